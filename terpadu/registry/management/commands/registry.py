"""``terpadu registry``: import agency extracts, link them into the person index, evaluate.

    terpadu registry import SOURCE_TYPE FILE [--region 35.10]
    terpadu registry register [--region 35.10]        # the Resident table as a population batch
    terpadu registry train [--region 35.10] [--sample 150000]
    terpadu registry link [--incremental] [--backend duckdb|spark] [--threads 2]
    terpadu registry evaluate [--region 35.10]          # JSON: precision, recall, F1

Source types: population, school, maternal, welfare (mapping files in
``terpadu/registry/mappings``). An import with bad rows prints one line per
row and column and writes nothing (exit status 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from terpadu.core.errors import DomainError
from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.core.models import Region
from terpadu.registry import person_index, services, sources

MAX_BYTES = 512 * 1024 * 1024


class Command(OneLineCommand):
    help = "Impor data instansi, tautkan ke indeks orang, dan ukur ketepatannya."
    command_name = "registry"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="impor satu berkas CSV/XLSX sebagai batch baru")
        imp.add_argument("source_type", choices=sources.source_types())
        imp.add_argument("file")
        imp.add_argument("--synthetic", action="store_true", help="data uji dengan kolom truth")
        reg = sub.add_parser("register", help="register penduduk (Resident) sebagai batch")
        train = sub.add_parser("train", help="latih model pada contoh desa, simpan di var/")
        train.add_argument("--sample", type=int, default=150_000)
        link = sub.add_parser("link", help="tautkan rekaman ke indeks orang")
        link.add_argument("--incremental", action="store_true")
        link.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        link.add_argument("--threads", type=int, default=2)
        ev = sub.add_parser("evaluate", help="presisi/recall terhadap kebenaran yang diketahui")
        for p in (imp, reg, train, link, ev):
            p.add_argument("--region", default="35.10", help="kode kabupaten/kota")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["region"], level="regency").first()
        if region is None:
            raise UsageError(f"kabupaten/kota {options['region']} tidak ada")
        action = options["action"]
        try:
            if action == "import":
                self._import(region, options)
            elif action == "register":
                batch = services.batch_from_register(region=region)
                self._json({"batch": batch.pk, "version": batch.version, "rows": batch.row_count})
            elif action == "train":
                self._json(person_index.train(region=region, sample_records=options["sample"]))
            elif action == "link":
                if options["backend"] == "spark":
                    try:
                        import pyspark  # noqa: F401
                    except ImportError:
                        raise UsageError(
                            "--backend spark butuh pyspark (pip install 'splink[spark]')"
                        ) from None
                run = person_index.linkage_run(
                    region=region,
                    incremental=options["incremental"],
                    backend=options["backend"],
                    threads=options["threads"],
                )
                self._json({"run": run.pk, "mode": run.mode, **run.figures})
            else:
                self._json(person_index.evaluate(region=region))
        except DomainError as exc:
            lines = [str(exc)] + [f"{e.field}: {e.message}" for e in exc.errors]
            self.fail("\n".join(lines))

    def _import(self, region: Region, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise UsageError(f"{path}: berkas lebih dari 512 MB")
            content = path.read_bytes()
        except FileNotFoundError:
            raise UsageError(f"{path}: berkas tidak ditemukan") from None
        except (IsADirectoryError, PermissionError) as exc:
            raise UsageError(f"{path}: tidak dapat dibaca ({exc.strerror})") from None
        batch = services.batch_import(
            region=region,
            source_type=options["source_type"],
            content=content,
            file_name=path.name,
            synthetic=options["synthetic"],
        )
        self._json(
            {
                "batch": batch.pk,
                "source_type": batch.source_type,
                "version": batch.version,
                "rows": batch.row_count,
            }
        )

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=str))
