"""Settings for the test suite: the same as production, fast hashing, a temporary var dir."""

import os
import tempfile

os.environ.setdefault("TERPADU_VAR_DIR", tempfile.mkdtemp(prefix="terpadu-test-"))
os.environ.setdefault("TERPADU_DEMO", "1")

from terpadu.settings import *  # noqa: F403
from terpadu.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
SECURE_SSL_REDIRECT = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so live-server and subprocess tests share it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(os.environ["TERPADU_VAR_DIR"], "test.sqlite3")
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
