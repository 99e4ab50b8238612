"""``terpadu catalog export FILE.xlsx|.csv [--agency CODE]`` and ``terpadu catalog import FILE [--dry-run]``.

Both print JSON. Exit status: 0 done, 1 file rejected (row errors, nothing
written), 2 bad input (unreadable file, unknown region/agency, usage).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from terpadu.catalog.spreadsheet import SpreadsheetError, catalog_import, export_catalog
from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.core.models import Agency, Region


class Command(OneLineCommand):
    help = "Export or import the service catalogue as XLSX or CSV."
    command_name = "catalog"
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the published catalogue to FILE")
        export.add_argument("file")
        export.add_argument("--agency", help="only this agency's services (agency code)")
        export.add_argument("--region", default="", help="regency code (default: home region)")
        imp = sub.add_parser("import", help="validate FILE and write it in one transaction")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        imp.add_argument("--region", default="", help="regency code (default: home region)")

    def _region(self, code: str) -> Region:
        code = code or settings.TERPADU_HOME_REGION
        region = Region.objects.filter(code=code, level=Region.Level.REGENCY).first()
        if region is None:
            raise UsageError(f"daerah {code} tidak dikenal")
        return region

    def handle(self, *args: Any, **options: Any) -> None:
        region = self._region(options["region"])
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise UsageError("nama berkas harus berakhiran .xlsx atau .csv")
        if options["action"] == "export":
            agency = None
            if options["agency"]:
                agency = Agency.objects.filter(region=region, code=options["agency"]).first()
                if agency is None:
                    raise UsageError(f"instansi {options['agency']} tidak dikenal")
            body = export_catalog(region=region, agency=agency, fmt=fmt)
            try:
                path.write_bytes(body)
            except OSError as exc:
                raise UsageError(f"tidak dapat menulis {path}: {exc.strerror}") from None
            from terpadu.catalog.spreadsheet import export_rows

            rows = len(export_rows(region=region, agency=agency))
            self.stdout.write(json.dumps({"ok": True, "file": str(path), "rows": rows}))
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"tidak dapat membaca {path}: {exc.strerror}") from None
        try:
            result = catalog_import(
                actor="cli",
                region=region,
                data=data,
                filename=path.name,
                dry_run=options["dry_run"],
            )
        except SpreadsheetError as exc:
            raise UsageError(str(exc)) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        if not result.ok:
            raise SystemExit(1)
