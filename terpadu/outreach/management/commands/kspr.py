"""``terpadu kspr``: the Kartu Skor Poedji Rochjati score of a pregnancy, as JSON.

Items are given by their number on the card (``domain.md`` §4: 1, 2a, 2b, 3 … 11a–11f … 20)
and/or by English flags::

    terpadu kspr --items 1,10,17
    terpadu kspr --items '["2b", "6"]'
    terpadu kspr --age-over-35 --anemia
    terpadu kspr --list            # the card: code, flag, points, label

Output: ``{"score": 22, "group": "KRST", "colour": "merah", "place": "Rumah sakit", …}``.
An unknown item prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.outreach import kspr


class Command(OneLineCommand):
    help = "Hitung skor KSPR (Poedji Rochjati), kelompok risiko, dan tempat persalinan."
    command_name = "kspr"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--items",
            default="",
            help='kode butir dipisah koma (1,10,17) atau daftar JSON (["2b","6"])',
        )
        parser.add_argument("--list", action="store_true", help="tampilkan daftar butir kartu")
        for item in kspr.ITEMS:
            parser.add_argument(
                f"--{item.alias}",
                dest=f"item_{item.code}",
                action="store_true",
                help=f"butir {item.code}: {item.label} ({item.points})",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            card = [
                {
                    "code": i.code,
                    "flag": f"--{i.alias}",
                    "points": i.points,
                    "group": i.group,
                    "label": i.label,
                }
                for i in kspr.ITEMS
            ]
            self.stdout.write(json.dumps(card, ensure_ascii=False, indent=2))
            return
        try:
            codes = kspr.items_from_text(options["items"] or "")
            codes += [i.code for i in kspr.ITEMS if options.get(f"item_{i.code}")]
            result = kspr.score(codes)
        except kspr.KsprError as exc:
            raise UsageError(str(exc)) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
