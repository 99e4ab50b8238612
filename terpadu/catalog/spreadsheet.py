"""Import and export of a whole catalogue as XLSX or CSV (the spreadsheet agencies keep).

One row per service, one column per component. Lists (requirements, procedure,
everyday names) are separated by newlines or ";"; a requirement's note follows
" -- ". Booleans are "ya"/"tidak". The header row names the columns (Indonesian
headers below, or the English keys); their order does not matter.

``catalog_import`` validates every row first and reports each problem as
(row number, column, reason) in Indonesian; nothing is written unless the whole
file is clean, and then everything is written in one transaction. A row whose
service and content equal the published version changes nothing, so
export → import is a no-op and export → import elsewhere → export gives the
same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max

from terpadu.accounts.models import Role
from terpadu.accounts.scope import region_allows
from terpadu.catalog.access import can_import
from terpadu.catalog.content import LABELS, clean_content, publish_errors, split_list
from terpadu.catalog.models import CONTENT_FIELDS, Service, ServiceCategory, ServiceVersion
from terpadu.catalog.services import (
    RESERVED_CODES,
    _publish,
    category_get_or_create,
    clean_aliases,
    latest_version,
    version_content,
    with_latest_versions,
)
from terpadu.core.audit import audit_record
from terpadu.core.models import Agency, Region
from terpadu.core.workdays import local_today

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

#: (key, header) in file order.
COLUMNS: list[tuple[str, str]] = [
    ("code", "Kode"),
    ("name", "Nama layanan"),
    ("agency", "Kode instansi"),
    ("category", "Kategori"),
    ("aliases", "Nama sehari-hari"),
    ("summary", "Ringkasan"),
    ("online_available", "Daring"),
    ("booking_available", "Pesan antrean"),
    ("is_active", "Aktif"),
    ("requirements", LABELS["requirements"]),
    ("procedure", LABELS["procedure"]),
    ("completion_time_value", LABELS["completion_time_value"]),
    ("completion_time_unit", LABELS["completion_time_unit"]),
    ("fee_amount", "Biaya (Rp)"),
    ("fee_legal_basis", LABELS["fee_legal_basis"]),
    ("product", LABELS["product"]),
    ("complaint_channel", LABELS["complaint_channel"]),
    ("legal_basis", LABELS["legal_basis"]),
    ("facilities", LABELS["facilities"]),
    ("staff_competence", LABELS["staff_competence"]),
    ("internal_control", LABELS["internal_control"]),
    ("staff_count", LABELS["staff_count"]),
    ("service_guarantee", LABELS["service_guarantee"]),
    ("safety_guarantee", LABELS["safety_guarantee"]),
    ("performance_evaluation", LABELS["performance_evaluation"]),
    ("extra_fields", "Isian tambahan (JSON)"),
    ("effective_date", "Tanggal berlaku"),
]
HEADERS = dict(COLUMNS)
REQUIRED_COLUMNS = ("code", "name", "agency")
_YES = {"ya", "y", "yes", "true", "1", "benar"}
_NO = {"tidak", "t", "no", "n", "false", "0", "salah", ""}
_UNITS = {"working_days": "hari kerja", "hours": "jam"}


class SpreadsheetError(Exception):
    """The file itself cannot be read (format, size, header): nothing was checked row by row."""


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportResult:
    ok: bool
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad_rows": self.bad_rows,
            "errors": [e.as_dict() for e in self.errors],
        }


# --------------------------------------------------------------------------- export


def _row_for(service: Service) -> dict[str, Any]:
    version = latest_version(service)
    content = version_content(version)
    row: dict[str, Any] = {
        "code": service.code,
        "name": service.name,
        "agency": service.agency.code,
        "category": service.category.name if service.category else "",
        "aliases": "\n".join(service.aliases or []),
        "summary": service.summary,
        "online_available": "ya" if service.online_available else "tidak",
        "booking_available": "ya" if service.booking_available else "tidak",
        "is_active": "ya" if service.is_active else "tidak",
        "effective_date": version.effective_date.isoformat()
        if version and version.effective_date
        else "",
    }
    for name in CONTENT_FIELDS:
        value = content.get(name)
        if name == "requirements":
            row[name] = "\n".join(
                r["document"] + (f" -- {r['note']}" if r.get("note") else "") for r in value or []
            )
        elif name == "procedure":
            row[name] = "\n".join(value or [])
        elif name == "extra_fields":
            row[name] = json.dumps(value, ensure_ascii=False) if value else ""
        elif name == "completion_time_unit":
            row[name] = _UNITS.get(value or "", value or "")
        else:
            row[name] = "" if value is None else value
    return row


def export_rows(*, region: Region, agency: Agency | None = None) -> list[dict[str, Any]]:
    """Published services of a region (or one agency), one dict per row, by code.

    A row holds the newest published version with its effective date, also when
    that date is still ahead (importing the file back then changes nothing).
    """
    published = ServiceVersion.objects.exclude(status=ServiceVersion.Status.DRAFT)
    qs = Service.objects.filter(
        region=region, pk__in=published.values("service_id")
    ).select_related("agency", "category")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return [_row_for(s) for s in with_latest_versions(qs).order_by("code")]


def export_catalog(*, region: Region, agency: Agency | None = None, fmt: str = "xlsx") -> bytes:
    rows = export_rows(region=region, agency=agency)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([header for _, header in COLUMNS])
        for row in rows:
            writer.writerow([row.get(key, "") for key, _ in COLUMNS])
        return buffer.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Katalog layanan"
    sheet.append([header for _, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(key, "") for key, _ in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            cell.alignment = wrap
    for index, (key, _) in enumerate(COLUMNS, 1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 14 if key in REQUIRED_COLUMNS else 40
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- reading


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


def read_table(data: bytes, filename: str) -> list[list[Any]]:
    """Rows of the first sheet (XLSX) or the CSV, header first."""
    if len(data) > MAX_BYTES:
        raise SpreadsheetError("Berkas lebih dari 5 MB.")
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise SpreadsheetError("Berkas XLSX tidak dapat dibaca.") from exc
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError("Berkas CSV harus berkode UTF-8.") from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise SpreadsheetError("Format berkas harus .xlsx atau .csv.")


def _header_keys(header: Sequence[Any]) -> list[str | None]:
    lookup = {h.lower(): k for k, h in COLUMNS} | {k: k for k, _ in COLUMNS}
    keys = [lookup.get(str(h or "").strip().lower()) for h in header]
    missing = [HEADERS[k] for k in REQUIRED_COLUMNS if k not in keys]
    if missing:
        raise SpreadsheetError("Kolom wajib tidak ada: " + ", ".join(missing) + ".")
    return keys


# --------------------------------------------------------------------------- validation


@dataclass
class CleanRow:
    number: int
    code: str
    name: str
    agency: Agency
    category_name: str
    identity: dict[str, Any]
    content: dict[str, Any]
    effective_date: dt.date | None
    service: Service | None = None


def _bool(value: Any) -> bool | None:
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _date(value: Any) -> dt.date | None:
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def _check_row(
    number: int,
    values: dict[str, Any],
    *,
    agencies: dict[str, Agency],
    existing: dict[str, Service],
    allowed_agency_ids: set[int] | None,
    errors: list[RowError],
) -> CleanRow | None:
    start = len(errors)

    def bad(key: str, reason: str) -> None:
        errors.append(RowError(row=number, column=HEADERS[key], reason=reason))

    code = str(values.get("code", "")).strip().lower()
    name = str(values.get("name", "")).strip()
    from terpadu.catalog.services import _CODE

    if not code:
        bad("code", "Kode wajib diisi.")
    elif not _CODE.match(code) or len(code) > 80 or code in RESERVED_CODES:
        bad("code", "Kode hanya huruf kecil, angka dan tanda hubung (mis. akta-kelahiran).")
    if not name:
        bad("name", "Nama layanan wajib diisi.")
    elif len(name) > 200:
        bad("name", "Nama paling banyak 200 huruf.")
    agency_code = str(values.get("agency", "")).strip().lower()
    agency = agencies.get(agency_code)
    if agency is None:
        bad("agency", f"Instansi '{agency_code}' tidak dikenal di daerah ini.")
    elif allowed_agency_ids is not None and agency.pk not in allowed_agency_ids:
        bad("agency", "Anda hanya dapat mengimpor layanan instansi Anda sendiri.")
    service = existing.get(code)
    if service is not None and agency is not None and service.agency_id != agency.pk:
        bad("agency", f"Kode '{code}' sudah dipakai oleh instansi {service.agency.short_name}.")
    identity: dict[str, Any] = {
        "aliases": clean_aliases(values.get("aliases", "")),
        "summary": str(values.get("summary", "")).strip(),
    }
    if len(identity["summary"]) > 300:
        bad("summary", "Ringkasan paling banyak 300 huruf.")
    for key, default in (
        ("online_available", False),
        ("booking_available", True),
        ("is_active", True),
    ):
        raw = values.get(key)
        if raw in (None, ""):
            identity[key] = default
            continue
        flag = _bool(raw)
        if flag is None:
            bad(key, "Isi 'ya' atau 'tidak'.")
        else:
            identity[key] = flag
    raw_content: dict[str, Any] = {}
    for key in CONTENT_FIELDS:
        if key not in values:
            continue
        raw = values[key]
        if key == "requirements":
            raw_content[key] = split_list(raw)
        elif key == "extra_fields":
            text = str(raw or "").strip()
            try:
                raw_content[key] = json.loads(text) if text else []
            except ValueError:
                bad(key, "Bukan JSON yang valid.")
        else:
            raw_content[key] = raw
    if "fee_amount" in raw_content and raw_content["fee_amount"] in ("", None):
        raw_content["fee_amount"] = 0
    content, field_errors = clean_content(raw_content)
    field_errors += publish_errors(content)
    seen_fields: set[str] = set()
    for err in field_errors:
        if err.field in seen_fields:
            continue
        seen_fields.add(err.field)
        key = err.field if err.field in HEADERS else "code"
        bad(key, err.message)
    effective: dt.date | None = None
    if str(values.get("effective_date", "") or "").strip():
        effective = _date(values["effective_date"])
        if effective is None:
            bad("effective_date", "Tanggal tidak valid (format YYYY-MM-DD).")
    if len(errors) > start or agency is None:
        return None
    return CleanRow(
        number=number,
        code=code,
        name=name,
        agency=agency,
        category_name=str(values.get("category", "") or "").strip(),
        identity=identity,
        content=content,
        effective_date=effective,
        service=service,
    )


def validate(
    *, actor: Any, region: Region, table: list[list[Any]]
) -> tuple[list[CleanRow], list[RowError], int]:
    """Check every row; returns (clean rows, errors, number of data rows)."""
    if not table:
        raise SpreadsheetError("Berkas kosong.")
    keys = _header_keys(table[0])
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise SpreadsheetError(f"Paling banyak {MAX_ROWS} baris.")
    agencies = {a.code: a for a in Agency.objects.filter(region=region)}
    existing = {
        s.code: s
        for s in with_latest_versions(
            Service.objects.filter(region=region).select_related("agency", "category")
        )
    }
    allowed: set[int] | None = None
    if getattr(actor, "role", None) == Role.AGENCY_HEAD:
        allowed = {actor.agency_id}
    errors: list[RowError] = []
    clean: list[CleanRow] = []
    seen: dict[str, int] = {}
    count = 0
    for offset, raw in enumerate(body):
        number = offset + 2  # spreadsheet row number (the header is row 1)
        if all(str(v or "").strip() == "" for v in raw):
            continue
        count += 1
        values = {k: raw[i] if i < len(raw) else "" for i, k in enumerate(keys) if k is not None}
        code = str(values.get("code", "")).strip().lower()
        if code and code in seen:
            errors.append(
                RowError(
                    row=number,
                    column=HEADERS["code"],
                    reason=f"Kode '{code}' sudah ada di baris {seen[code]}.",
                )
            )
            continue
        if code:
            seen[code] = number
        row = _check_row(
            number,
            values,
            agencies=agencies,
            existing=existing,
            allowed_agency_ids=allowed,
            errors=errors,
        )
        if row is not None:
            clean.append(row)
    return clean, errors, count


# --------------------------------------------------------------------------- import


def _same(service: Service, row: CleanRow, category: ServiceCategory | None) -> bool:
    latest = latest_version(service)
    if latest is None:
        return False
    identity_same = (
        service.name == row.name
        and service.category_id == (category.pk if category else None)
        and all(getattr(service, k) == v for k, v in row.identity.items())
    )
    current = version_content(latest)
    content_same = all(current.get(k) == v for k, v in row.content.items())
    date_same = row.effective_date in (None, latest.effective_date)
    return identity_same and content_same and date_same


def _write(actor: Any, region: Region, rows: Iterable[CleanRow], result: ImportResult) -> None:
    today = local_today()
    categories: dict[str, ServiceCategory | None] = {"": None}
    for row in rows:
        key = row.category_name.lower()
        if key not in categories:
            categories[key] = category_get_or_create(
                actor=actor, region_id=region.pk, name=row.category_name
            )
        category = categories[key]
        service = row.service
        if service is not None and _same(service, row, category):
            result.unchanged += 1
            continue
        if service is None:
            service = Service.objects.create(
                region=region,
                agency=row.agency,
                code=row.code,
                name=row.name,
                category=category,
                **row.identity,
            )
            result.created += 1
            number = 1
        else:
            for k, v in row.identity.items():
                setattr(service, k, v)
            service.name = row.name
            service.category = category
            service.save()
            result.updated += 1
            number = (service.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        service.versions.filter(status=ServiceVersion.Status.DRAFT).delete()
        draft = ServiceVersion.objects.create(
            service=service,
            number=number,
            created_by=actor if getattr(actor, "pk", None) else None,
            **row.content,
        )
        previous = latest_version(service) if row.service is not None else None
        effective = row.effective_date or today
        if previous is not None and previous.effective_date and effective < previous.effective_date:
            effective = previous.effective_date
        _publish(
            actor=actor,
            service=service,
            draft=draft,
            effective_date=effective,
            change_note="Impor katalog",
            action="catalog.import_publish",
            today=today,
        )


def catalog_import(
    *, actor: Any, region: Region, data: bytes, filename: str, dry_run: bool = False
) -> ImportResult:
    """Validate the whole file, then (unless ``dry_run``) write it in one transaction.

    Raises SpreadsheetError when the file cannot be read at all; returns a result
    with ``ok=False`` and the row errors when any row is bad (nothing written).
    ``actor`` is a user, or a label such as ``"cli"`` for the command line.
    """
    is_user = getattr(actor, "pk", None) is not None  # otherwise the CLI ("system")
    if is_user and (not can_import(actor) or not region_allows(actor, region.code)):
        raise SpreadsheetError("Anda tidak berwenang mengimpor katalog daerah ini.")
    table = read_table(data, filename)
    clean, errors, count = validate(actor=actor, region=region, table=table)
    result = ImportResult(ok=not errors, dry_run=dry_run, rows=count, errors=errors)
    if errors or dry_run:
        return result
    with transaction.atomic():
        _write(actor, region, clean, result)
        audit_record(
            actor=actor,
            action="catalog.import",
            record_type="catalog.catalog",
            record_id=region.code,
            region_code=region.code,
            summary={
                "file": filename[:120],
                "rows": count,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result
