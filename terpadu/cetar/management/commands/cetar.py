"""``terpadu cetar``: build the fact tables, and write docs/indicators.md.

terpadu cetar build                      # today
terpadu cetar build --date 2026-03-17    # one past day
terpadu cetar build --from 2026-01-01 --to 2026-03-31
terpadu cetar build --all                # every day with events
terpadu cetar finalise                   # yesterday (+ the cohort window), once
terpadu cetar docs [--check]             # docs/indicators.md from the definitions
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from terpadu.cetar import facts
from terpadu.cetar.docs import indicators_markdown
from terpadu.core.management.commands._oneline import OneLineCommand, UsageError


def _date(text: str | None, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{name}: tanggal harus berbentuk YYYY-MM-DD, bukan {text!r}") from None


class Command(OneLineCommand):
    help = "Fakta CETAR: bangun ulang hari tertentu, finalisasi, dokumen definisi indikator."
    command_name = "cetar"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="bangun fakta untuk hari (WIB) tertentu")
        build.add_argument("--date", dest="day")
        build.add_argument("--from", dest="first")
        build.add_argument("--to", dest="last")
        build.add_argument("--all", action="store_true")
        sub.add_parser("finalise", help="finalisasi kemarin (sekali)")
        docs = sub.add_parser("docs", help="tulis docs/indicators.md")
        docs.add_argument("--check", action="store_true", help="gagal bila dokumen tidak sama")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "docs":
            path = Path(settings.BASE_DIR) / "docs" / "indicators.md"
            text = indicators_markdown()
            if options["check"]:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    raise UsageError(
                        f"{path} tidak sama dengan definisi; jalankan 'terpadu cetar docs'"
                    )
                self.stdout.write("docs/indicators.md sesuai definisi")
                return
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"{path} ditulis")
            return
        if action == "finalise":
            result = facts.finalise()
            self.stdout.write(json.dumps(result.as_dict() if result else {"done": "sudah final"}))
            return
        day = _date(options.get("day"), "--date")
        first = _date(options.get("first"), "--from")
        last = _date(options.get("last"), "--to")
        if options.get("all"):
            span = facts.event_range()
            if span is None:
                self.stdout.write(json.dumps({"rows": {}, "note": "belum ada kejadian"}))
                return
            first, last = span
        elif day is not None:
            if first or last:
                raise UsageError("pakai --date atau --from/--to, tidak keduanya")
            first = last = day
        elif first or last:
            if not (first and last):
                raise UsageError("--from dan --to harus diisi bersama")
        else:
            result = facts.refresh_today()
            self.stdout.write(json.dumps(result.as_dict()))
            return
        assert first is not None and last is not None
        if last < first:
            raise UsageError("--to sebelum --from")
        result = facts.build_days(first, last)
        self.stdout.write(json.dumps(result.as_dict()))
