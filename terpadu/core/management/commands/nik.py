"""``terpadu nik 3510014508900001``: what a NIK says, as JSON; exit 0 valid, 1 not, 2 usage."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import CommandParser
from django.db import DatabaseError

from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.core.management.commands.workdays import parse_day
from terpadu.core.nik import NikInfo, parse_nik
from terpadu.core.workdays import local_today


class Command(OneLineCommand):
    help = "Urai NIK (16 digit): wilayah pendaftaran, tanggal lahir, jenis kelamin, nomor urut."
    command_name = "nik"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("value", help="NIK 16 digit (spasi dan titik diabaikan)")
        parser.add_argument(
            "--reference-date",
            help="tanggal acuan abad tahun lahir, YYYY-MM-DD (bawaan: hari ini, WIB)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hint = local_today()
        if options.get("reference_date"):
            hint = parse_day(options["reference_date"])
        if not str(options["value"]).strip():
            raise UsageError("NIK kosong")
        info = with_region_names(parse_nik(options["value"], century_hint=hint))
        self.stdout.write(json.dumps(info.as_dict(), indent=2, ensure_ascii=False))
        if not info.valid:
            raise SystemExit(1)


def with_region_names(info: NikInfo) -> NikInfo:
    """Fill ``regency_name``/``district_name`` from the Region table, when it has them."""
    codes = [c for c in (info.regency, info.district) if c]
    if not codes:
        return info
    from terpadu.core.models import Region

    try:
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    except DatabaseError:  # no database or no tables yet: the NIK still parses
        return info
    return dataclasses.replace(
        info,
        regency_name=names.get(info.regency or ""),
        district_name=names.get(info.district or ""),
    )
