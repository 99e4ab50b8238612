"""``terpadu audit verify`` (exit 0 intact, 1 broken) and ``terpadu audit anchor``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from terpadu.core.audit import verify_chain, write_anchor


class Command(BaseCommand):
    help = "Verify the audit chain, or write an anchor of its head outside the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor"])
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            anchor = write_anchor()
            self.stdout.write(json.dumps(anchor) if anchor else "rantai audit masih kosong")
            return
        result = verify_chain()
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        elif result.ok:
            self.stdout.write(f"rantai audit utuh: {result.checked} entri diperiksa")
        else:
            self.stderr.write(
                f"rantai audit RUSAK pada entri #{result.first_bad_seq}: {result.reason}"
            )
        if not result.ok:
            raise SystemExit(1)
