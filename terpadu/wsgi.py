import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terpadu.settings")
application = get_wsgi_application()

if os.environ.get("TERPADU_WARMUP", "1") != "0":
    from terpadu.core.warmup import warm

    warm()

# The hot endpoints some apps answer without Django's request cycle (core/fastpath.py).
from terpadu.core.fastpath import wrap  # noqa: E402

application = wrap(application)
