#!/usr/bin/env bash
# Extract the translatable strings of the whole project into terpadu/locale/en and compile them.
# Needs GNU gettext (Debian: apt-get install gettext). The compiled .mo is committed,
# so a fresh install needs no gettext.
set -euo pipefail
cd "$(dirname "$0")/../terpadu"
export DJANGO_SETTINGS_MODULE=terpadu.settings
../.venv/bin/django-admin makemessages -l en --no-obsolete --no-location \
  --ignore 'static/*' --ignore '*/tests/*' --ignore 'locale/*'
if [ "${1:-}" = "--fill" ]; then
  ../.venv/bin/python ../scripts/fill_translations.py locale/en/LC_MESSAGES/django.po ../scripts/translations_en.json
fi
../.venv/bin/django-admin compilemessages -l en
