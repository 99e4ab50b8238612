#!/usr/bin/env python
"""Django's manage.py; the ``terpadu`` console script does the same and more."""

from terpadu.cli import main

if __name__ == "__main__":
    main()
