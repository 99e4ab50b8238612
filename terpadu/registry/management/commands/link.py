"""``terpadu link``: find the same person in CSV files, without the person index.

    terpadu link dedupe INPUT.csv --out CLUSTERS.csv [--pairs PAIRS.csv]
                        [--map role=column …] [--engine duckdb|spark]
    terpadu link pair LEFT.csv RIGHT.csv --out PAIRS.csv [--map role=column …]
                        [--engine duckdb|spark] [--one-to-one]

Roles: id, nik, full_name or given_name + family_name, birth_date (YYYY-MM-DD),
sex, address, locality, mother_name (see :mod:`terpadu.registry.csvlink`).
Prints a JSON summary. Exit status 0 when something was linked, 1 when
nothing was, 2 for bad input (a missing id column, an empty or repeated id —
the message names the row —, an unknown role, a missing file).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.core.workdays import local_today

NOTHING_LINKED = 1


def _probability(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' bukan angka") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} harus di antara 0 dan 1")
    return value


class Command(OneLineCommand):
    help = "Cari orang yang sama dalam berkas CSV (dedupe) atau antara dua berkas (pair)."
    command_name = "link"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        dedupe = sub.add_parser("dedupe", help="gugus rekaman orang yang sama dalam satu berkas")
        dedupe.add_argument("input", help="berkas CSV (atau XLSX), satu rekaman per baris")
        dedupe.add_argument("--out", required=True, help="CSV keluaran: id,cluster_id")
        dedupe.add_argument("--pairs", help="CSV pasangan: id_l,id_r,match_probability")
        pair = sub.add_parser("pair", help="pasangkan rekaman dua berkas")
        pair.add_argument("left")
        pair.add_argument("right")
        pair.add_argument("--out", required=True, help="CSV keluaran: id_l,id_r,match_probability")
        pair.add_argument(
            "--one-to-one",
            action="store_true",
            help="tiap rekaman tertaut ke paling banyak satu rekaman berkas lain",
        )
        for p in (dedupe, pair):
            p.add_argument(
                "--map",
                nargs="+",
                action="extend",
                default=[],
                metavar="PERAN=KOLOM",
                help="kolom untuk peran (id, nik, full_name, given_name, family_name, "
                "birth_date, sex, address, locality, mother_name); a+b menggabung kolom",
            )
            p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
            p.add_argument("--threads", type=int, default=2)
            p.add_argument(
                "--threshold",
                type=_probability,
                default=0.95,
                help="peluang minimum untuk menautkan (bawaan 0,95)",
            )
            p.add_argument(
                "--min-probability",
                type=_probability,
                help="tulis juga pasangan dengan peluang serendah ini (bawaan: = --threshold)",
            )
            p.add_argument("--model", help="model yang disimpan dengan --save-model (tanpa latih)")
            p.add_argument("--save-model", help="simpan model yang dilatih ke berkas JSON ini")

    def handle(self, *args: Any, **options: Any) -> None:
        from terpadu.registry import csvlink

        if options["engine"] == "spark":
            try:
                import pyspark  # noqa: F401
            except ImportError:
                raise UsageError(
                    "--engine spark butuh pyspark (pip install 'splink[spark]') dan Java 17"
                ) from None
        if options["threads"] < 1:
            raise UsageError("--threads minimal 1")
        started = time.perf_counter()
        try:
            mapping = csvlink.parse_map(options["map"])
            model = csvlink.load_model(Path(options["model"])) if options["model"] else None
            if options["action"] == "dedupe":
                summary, linked = self._dedupe(csvlink, mapping, model, options)
            else:
                summary, linked = self._pair(csvlink, mapping, model, options)
        except csvlink.InputError as exc:
            raise UsageError(str(exc)) from None
        summary["seconds"]["total"] = round(time.perf_counter() - started, 2)
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if not linked:
            raise SystemExit(NOTHING_LINKED)

    # -- the two actions ----------------------------------------------------------------

    def _dedupe(
        self, csvlink: Any, mapping: dict[str, list[str]], model: Any, options: dict[str, Any]
    ) -> tuple[dict[str, Any], bool]:
        t = time.perf_counter()
        records = csvlink.read_records(Path(options["input"]), mapping, reference=local_today())
        read_seconds = round(time.perf_counter() - t, 2)
        clusters, result = csvlink.dedupe(
            records,
            engine=options["engine"],
            threads=options["threads"],
            threshold=options["threshold"],
            min_probability=options["min_probability"],
            model=model,
        )
        ids = records.ids
        t = time.perf_counter()
        csvlink.write_csv(
            Path(options["out"]),
            ("id", "cluster_id"),
            ((ids[uid], ids[clusters[uid]]) for uid in records.columns["unique_id"]),
        )
        written = [x for x in result.pairs if x[2] >= _written_minimum(options)]
        if options["pairs"]:
            csvlink.write_csv(
                Path(options["pairs"]),
                ("id_l", "id_r", "match_probability"),
                (_pair_row(ids, ids, min(a, b), max(a, b), p, 0) for a, b, p in written),
            )
        self._save(csvlink, result, options)
        sizes: dict[int, int] = {}
        for root in clusters.values():
            sizes[root] = sizes.get(root, 0) + 1
        links = sum(1 for *_, p in result.pairs if p >= options["threshold"])
        summary = {
            "command": "dedupe",
            "engine": options["engine"],
            "records": records.count,
            "columns": records.used,
            "ignored_columns": records.ignored,
            "unreadable": records.unreadable_summary(),
            "model": self._model_summary(result, options),
            "threshold": options["threshold"],
            "links": links,
            "pairs_written": len(written) if options["pairs"] else 0,
            "clusters": len(sizes),
            "clusters_with_duplicates": sum(1 for n in sizes.values() if n > 1),
            "records_in_duplicate_clusters": sum(n for n in sizes.values() if n > 1),
            "out": options["out"],
            "pairs": options["pairs"],
            "seconds": {"read": read_seconds, **result.seconds},
        }
        summary["seconds"]["write"] = round(time.perf_counter() - t, 2)
        return summary, summary["clusters_with_duplicates"] > 0

    def _pair(
        self, csvlink: Any, mapping: dict[str, list[str]], model: Any, options: dict[str, Any]
    ) -> tuple[dict[str, Any], bool]:
        t = time.perf_counter()
        today = local_today()
        left = csvlink.read_records(Path(options["left"]), mapping, reference=today)
        right = csvlink.read_records(
            Path(options["right"]), mapping, reference=today, first_uid=left.count
        )
        read_seconds = round(time.perf_counter() - t, 2)
        pairs, result = csvlink.link_pair(
            left,
            right,
            engine=options["engine"],
            threads=options["threads"],
            threshold=options["threshold"],
            min_probability=options["min_probability"],
            one_to_one=options["one_to_one"],
            model=model,
        )
        t = time.perf_counter()
        links = sum(1 for *_, p in pairs if p >= options["threshold"])
        pairs = [x for x in pairs if x[2] >= _written_minimum(options)]
        csvlink.write_csv(
            Path(options["out"]),
            ("id_l", "id_r", "match_probability"),
            (_pair_row(left.ids, right.ids, a, b, p, left.count) for a, b, p in pairs),
        )
        self._save(csvlink, result, options)
        roles_l, roles_r = left.roles_with_values(), right.roles_with_values()
        summary = {
            "command": "pair",
            "engine": options["engine"],
            "records": {"left": left.count, "right": right.count},
            "columns": {"left": left.used, "right": right.used},
            "compared_roles": sorted(roles_l & roles_r),
            "roles_in_one_file_only": sorted(roles_l ^ roles_r),
            "ignored_columns": {"left": left.ignored, "right": right.ignored},
            "unreadable": {
                "left": left.unreadable_summary(),
                "right": right.unreadable_summary(),
            },
            "model": self._model_summary(result, options),
            "threshold": options["threshold"],
            "one_to_one": options["one_to_one"],
            "links": links,
            "pairs_written": len(pairs),
            "out": options["out"],
            "seconds": {"read": read_seconds, **result.seconds},
        }
        summary["seconds"]["write"] = round(time.perf_counter() - t, 2)
        return summary, links > 0

    # -- helpers --------------------------------------------------------------------------

    def _save(self, csvlink: Any, result: Any, options: dict[str, Any]) -> None:
        if options["save_model"]:
            csvlink.save_model(result.model, Path(options["save_model"]))

    def _model_summary(self, result: Any, options: dict[str, Any]) -> dict[str, Any]:
        meta = result.model.get("terpadu", {})
        out: dict[str, Any] = {
            "trained_on": "input" if result.trained else options["model"],
            "roles": meta.get("roles", []),
            "probability_two_random_records_match": result.model.get(
                "probability_two_random_records_match"
            ),
        }
        if result.trained:
            out["training_seconds"] = result.trained.steps
            out["em_blocks"] = result.trained.em_blocks
        if options["save_model"]:
            out["saved_to"] = options["save_model"]
        return out


def _written_minimum(options: dict[str, Any]) -> float:
    given = options["min_probability"]
    return float(options["threshold"] if given is None else given)


def _pair_row(
    left_ids: list[str], right_ids: list[str], a: int, b: int, p: float, offset: int
) -> tuple[str, str, str]:
    # nine decimals, rounded down: a pair written as 0.95 really reached 0.95
    return left_ids[a], right_ids[b - offset], f"{math.floor(p * 1e9) / 1e9:.9g}"
