"""``terpadu gallery export-kit SLUG FILE`` and
``terpadu gallery import-kit FILE --region CODE [--map ROLE=CODE …] [--dry-run]``.

Both print JSON. Exit status: 0 done (or nothing to change), 1 kit refused (every problem
named, nothing imported), 2 bad input (unreadable file, not JSON, unknown innovation, usage).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.gallery.kit import KitError, export_kit, import_kit, kit_bytes, read_kit
from terpadu.gallery.models import Innovation
from terpadu.gallery.selectors import innovation_page


class Command(OneLineCommand):
    help = "Export or import an innovation's replication kit (JSON)."
    command_name = "gallery"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export-kit", help="write the innovation's kit to FILE")
        export.add_argument("slug")
        export.add_argument("file")
        imp = sub.add_parser("import-kit", help="validate the kit, then import it (or nothing)")
        imp.add_argument("file")
        imp.add_argument("--region", required=True, help="regency code, e.g. 35.09")
        imp.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="ROLE=CODE",
            help="use agency CODE of the target region for the kit's agency ROLE",
        )
        imp.add_argument("--dry-run", action="store_true", help="check and preview only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export-kit":
            found = Innovation.objects.filter(slug=options["slug"]).first()
            if found is None:
                raise UsageError(f"inovasi {options['slug']} tidak dikenal")
            kit = export_kit(innovation_page(found))
            path = Path(options["file"])
            try:
                path.write_bytes(kit_bytes(kit))
            except OSError as exc:
                raise UsageError(f"tidak dapat menulis {path}: {exc.strerror}") from None
            summary = {
                "ok": True,
                "file": str(path),
                "format": kit["format"],
                "version": kit["version"],
                "programmes": [p["code"] for p in kit["programmes"]],
                "services": [s["code"] for s in kit["services"]],
                "indicators": [i["id"] for i in kit["indicators"]],
                "agency_roles": sorted(kit["agency_roles"]),
            }
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        mapping: dict[str, str] = {}
        for item in options["map"]:
            role, sep, code = item.partition("=")
            if not sep or not role.strip() or not code.strip():
                raise UsageError(f"--map harus berbentuk PERAN=KODE (bukan {item!r})")
            mapping[role.strip()] = code.strip()
        path = Path(options["file"])
        try:
            kit = read_kit(path.read_bytes())
        except OSError as exc:
            raise UsageError(f"tidak dapat membaca {path}: {exc.strerror}") from None
        except KitError as exc:
            raise UsageError(str(exc)) from None
        plan = import_kit(
            kit, region_code=options["region"], agency_map=mapping, dry_run=options["dry_run"]
        )
        self.stdout.write(
            json.dumps({**plan.as_dict(), "dry_run_only": options["dry_run"]}, ensure_ascii=False)
        )
        if not plan.ok:
            raise SystemExit(1)
