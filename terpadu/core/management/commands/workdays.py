"""``terpadu workdays``: working-day arithmetic from the command line.

    terpadu workdays add 2026-03-17 3            -> 2026-03-27
    terpadu workdays add 2026-03-17 3 --cuti-bersama-open   -> 2026-03-23
    terpadu workdays between 2026-03-17 2026-03-27          -> 3
    terpadu workdays explain 2026-03-20          -> why the day is (not) a working day

Options (after the action): ``--region 35.10``, ``--calendar ID``,
``--saturday-open/--no-saturday-open``, ``--cuti-bersama-open/--no-cuti-bersama-open``,
``--json``. Bad input prints one line on stderr and exits 2.
"""

from __future__ import annotations

import json
import re
from argparse import ArgumentParser, BooleanOptionalAction
from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.db import DatabaseError

from terpadu.core.calendars import CalendarNotFound, calendar_for
from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.core.workdays import (
    Calendar,
    add_workdays,
    explain_day,
    long_date,
    workdays_between,
)

_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: str) -> date:
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(f"tanggal '{value}' tidak valid (format YYYY-MM-DD)")


def parse_count(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise UsageError(f"jumlah hari kerja '{value}' harus bilangan bulat") from None


def _add_policy_options(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--region", help="kode wilayah Kemendagri, mis. 35.10 (bawaan: TERPADU_HOME_REGION)"
    )
    parser.add_argument("--calendar", help="nomor (id) kalender kerja kantor")
    parser.add_argument(
        "--saturday-open",
        action=BooleanOptionalAction,
        default=None,
        help="kantor buka hari Sabtu (bawaan: menurut kalender kantor)",
    )
    parser.add_argument(
        "--cuti-bersama-open",
        action=BooleanOptionalAction,
        default=None,
        help="kantor tetap buka saat cuti bersama (bawaan: menurut kalender kantor)",
    )
    parser.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")


class Command(OneLineCommand):
    help = "Hitung hari kerja: add (tambah N hari kerja), between (jumlah hari kerja), explain."
    command_name = "workdays"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{add,between,explain}"
        )
        add = actions.add_parser("add", help="tanggal hari kerja ke-N setelah START")
        add.add_argument("start", help="YYYY-MM-DD")
        add.add_argument("n", help="jumlah hari kerja (boleh negatif)")
        _add_policy_options(add)
        between = actions.add_parser("between", help="jumlah hari kerja dalam (A, B]")
        between.add_argument("a", help="YYYY-MM-DD")
        between.add_argument("b", help="YYYY-MM-DD")
        _add_policy_options(between)
        explain = actions.add_parser("explain", help="apakah DAY hari kerja, dan mengapa")
        explain.add_argument("day", help="YYYY-MM-DD")
        _add_policy_options(explain)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            start, n = parse_day(options["start"]), parse_count(options["n"])
            cal = self._calendar(options)
            due = add_workdays(start, n, cal)
            if options["json"]:
                self._json({"start": start.isoformat(), "n": n, "result": due.isoformat()}, cal)
            else:
                self.stdout.write(due.isoformat())
        elif action == "between":
            a, b = parse_day(options["a"]), parse_day(options["b"])
            cal = self._calendar(options)
            count = workdays_between(a, b, cal)
            if options["json"]:
                self._json({"from": a.isoformat(), "to": b.isoformat(), "workdays": count}, cal)
            else:
                self.stdout.write(str(count))
        else:
            day = parse_day(options["day"])
            cal = self._calendar(options)
            explanation = explain_day(day, cal)
            if options["json"]:
                self._json(explanation.as_dict(), cal)
            else:
                verdict = "hari kerja" if explanation.is_workday else "BUKAN hari kerja"
                self.stdout.write(
                    f"{day.isoformat()} ({long_date(day)}): {verdict} — {'; '.join(explanation.reasons)}"
                )

    def _calendar(self, options: dict[str, Any]) -> Calendar:
        region = options.get("region")
        if region is not None and not _REGION_CODE.match(region):
            raise UsageError(f"kode wilayah '{region}' tidak valid (contoh: 35.10)")
        calendar_id: int | None = None
        if options.get("calendar") is not None:
            try:
                calendar_id = int(options["calendar"])
            except ValueError:
                raise UsageError(
                    f"nomor kalender '{options['calendar']}' harus bilangan bulat"
                ) from None
        policy = {
            "saturday_open": options.get("saturday_open"),
            "cuti_bersama_open": options.get("cuti_bersama_open"),
        }
        try:
            return calendar_for(region_code=region, calendar_id=calendar_id, **policy)
        except CalendarNotFound as exc:
            raise UsageError(str(exc)) from None
        except DatabaseError as exc:
            if calendar_id is not None:
                raise UsageError(f"basis data tidak dapat dibaca ({_first_line(exc)})") from None
            # No database yet (e.g. before `terpadu migrate`): national rules still work.
            self.stderr.write(
                f"terpadu workdays: peringatan: basis data tidak dapat dibaca "
                f"({_first_line(exc)}); memakai kalender nasional",
                style_func=lambda text: text,
            )
            return Calendar(
                saturday_open=bool(policy["saturday_open"]),
                cuti_bersama_open=bool(policy["cuti_bersama_open"]),
            )

    def _json(self, payload: dict[str, Any], cal: Calendar) -> None:
        payload = {
            **payload,
            "calendar": {
                "saturday_open": cal.saturday_open,
                "cuti_bersama_open": cal.cuti_bersama_open,
                "local_closed": sorted(d.isoformat() for d in cal.closed),
                "local_opened": sorted(d.isoformat() for d in cal.opened),
            },
        }
        self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [exc.__class__.__name__])[0]
