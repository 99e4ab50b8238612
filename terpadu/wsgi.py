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

# Everything loaded by now lives as long as the worker: move it out of the cyclic
# garbage collector's reach. A full collection walked ~209,000 objects of Django,
# the apps and the warm-up (139 ms on these machines), a stall for every request on
# the worker when it ran; after the freeze it walks only what requests create.
import gc  # noqa: E402

gc.freeze()
