"""The ``terpadu`` console script: Django's management commands plus Terpadu's own.

``terpadu demo``, ``terpadu serve``, ``terpadu worker``, ``terpadu workdays``,
``terpadu nik``, ``terpadu audit verify`` and every ``manage.py`` command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "terpadu"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terpadu.settings")
    if len(argv) > 1 and argv[1] in {"demo"}:
        os.environ.setdefault("TERPADU_DEMO", "1")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:  # one clear line for configuration problems, never a traceback
        from django.core.exceptions import ImproperlyConfigured
        from django.db import OperationalError

        if isinstance(exc, ImproperlyConfigured | OperationalError):
            print(f"terpadu: {exc}".splitlines()[0], file=sys.stderr)
            raise SystemExit(2) from None
        raise


if __name__ == "__main__":
    main()
