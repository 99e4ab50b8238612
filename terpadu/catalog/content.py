"""Validation of a Standar Pelayanan's content (pure: no database).

One function checks the 14 components wherever they come from — the office
form, the API, a spreadsheet row — so the same input gets the same field-level
messages (Indonesian and English) everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from terpadu.catalog.models import CONTENT_FIELDS, MANAGEMENT_FIELDS, CompletionUnit
from terpadu.core.errors import FieldError, field_error

MAX_TEXT = 5000
MAX_ITEMS = 60
MAX_FEE = 1_000_000_000_000
MAX_COMPLETION = 3650
EXTRA_FIELD_TYPES = ("text", "textarea", "date", "number", "email", "tel")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

#: Indonesian labels of the components (for messages, the form and the sheet).
LABELS: dict[str, str] = {
    "requirements": "Persyaratan",
    "procedure": "Sistem, mekanisme dan prosedur",
    "completion_time_value": "Jangka waktu pelayanan",
    "completion_time_unit": "Satuan jangka waktu",
    "fee_amount": "Biaya/tarif",
    "fee_legal_basis": "Dasar hukum biaya",
    "product": "Produk pelayanan",
    "complaint_channel": "Penanganan pengaduan, saran dan masukan",
    "legal_basis": "Dasar hukum",
    "facilities": "Sarana, prasarana dan/atau fasilitas",
    "staff_competence": "Kompetensi pelaksana",
    "internal_control": "Pengawasan internal",
    "staff_count": "Jumlah pelaksana",
    "service_guarantee": "Jaminan pelayanan",
    "safety_guarantee": "Jaminan keamanan dan keselamatan pelayanan",
    "performance_evaluation": "Evaluasi kinerja pelaksana",
    "extra_fields": "Isian tambahan permohonan",
}


def split_list(value: Any) -> list[str]:
    """A list from a list, or from text separated by newlines or ';'."""
    if value is None:
        return []
    if isinstance(value, str):
        parts: Iterable[Any] = re.split(r"[\n;]", value)
    elif isinstance(value, list | tuple):
        parts = value
    else:
        parts = [value]
    return [str(p).strip() for p in parts if str(p).strip()]


def _requirements(value: Any, errors: list[FieldError]) -> list[dict[str, str]]:
    items: list[Any] = list(value) if isinstance(value, list | tuple) else split_list(value)
    out: list[dict[str, str]] = []
    for item in items:
        if isinstance(item, Mapping):
            document = str(item.get("document", "") or "").strip()
            note = str(item.get("note", "") or "").strip()
        else:
            text = str(item).strip()
            document, _, note = text.partition(" -- ")
            document, note = document.strip(), note.strip()
        if not document and not note:
            continue
        if not document:
            errors.append(
                field_error(
                    "requirements",
                    "Setiap persyaratan harus menyebut dokumennya.",
                    "Every requirement must name its document.",
                )
            )
            continue
        if len(document) > 300 or len(note) > 500:
            errors.append(
                field_error(
                    "requirements",
                    "Persyaratan terlalu panjang (dokumen ≤ 300, catatan ≤ 500 huruf).",
                    "Requirement too long (document ≤ 300, note ≤ 500 characters).",
                )
            )
            continue
        out.append({"document": document, "note": note})
    if len(out) > MAX_ITEMS:
        errors.append(
            field_error(
                "requirements",
                f"Paling banyak {MAX_ITEMS} persyaratan.",
                f"At most {MAX_ITEMS} requirements.",
            )
        )
    return out


def _procedure(value: Any, errors: list[FieldError]) -> list[str]:
    steps = split_list(value)
    if any(len(s) > 500 for s in steps):
        errors.append(
            field_error(
                "procedure",
                "Setiap langkah prosedur paling banyak 500 huruf.",
                "Each procedure step is at most 500 characters.",
            )
        )
    if len(steps) > MAX_ITEMS:
        errors.append(
            field_error(
                "procedure",
                f"Paling banyak {MAX_ITEMS} langkah.",
                f"At most {MAX_ITEMS} steps.",
            )
        )
    return steps


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value or "").strip().replace(".", "").replace(" ", "")
    if text.lower().startswith("rp"):
        text = text[2:]
    if text in ("", "-"):
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _extra_fields(value: Any, errors: list[FieldError]) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        errors.append(
            field_error(
                "extra_fields",
                "Isian tambahan harus berupa daftar.",
                "Extra fields must be a list.",
            )
        )
        return []
    out: list[dict[str, Any]] = []
    names: set[str] = set()
    for item in value:
        if not isinstance(item, Mapping):
            errors.append(
                field_error("extra_fields", "Isian tambahan tidak valid.", "Invalid extra field.")
            )
            continue
        name = str(item.get("name", "")).strip()
        label = str(item.get("label", "")).strip()
        kind = str(item.get("type", "text")).strip() or "text"
        if not _FIELD_NAME.match(name) or name in names or not label:
            errors.append(
                field_error(
                    "extra_fields",
                    f"Isian tambahan '{name}' perlu nama unik (huruf kecil, angka, _) dan label.",
                    f"Extra field '{name}' needs a unique name (lowercase, digits, _) and a label.",
                )
            )
            continue
        if kind not in EXTRA_FIELD_TYPES:
            errors.append(
                field_error(
                    "extra_fields",
                    f"Jenis isian '{kind}' tidak dikenal.",
                    f"Unknown field type '{kind}'.",
                )
            )
            continue
        names.add(name)
        out.append(
            {"name": name, "label": label, "type": kind, "required": bool(item.get("required"))}
        )
    return out


def clean_content(
    data: Mapping[str, Any], existing: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """Clean the content fields present in ``data``; returns (cleaned, field errors).

    ``existing`` is the content being edited: a fee given without its legal
    basis may rely on the basis already there.
    """
    existing = existing or {}
    errors: list[FieldError] = []
    cleaned: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "requirements":
            cleaned[name] = _requirements(value, errors)
        elif name == "procedure":
            cleaned[name] = _procedure(value, errors)
        elif name == "extra_fields":
            cleaned[name] = _extra_fields(value, errors)
        elif name == "completion_time_value":
            number = _integer(value)
            if number is None or not 1 <= number <= MAX_COMPLETION:
                errors.append(
                    field_error(
                        name,
                        f"Jangka waktu harus bilangan bulat 1–{MAX_COMPLETION}.",
                        f"Completion time must be a whole number 1–{MAX_COMPLETION}.",
                    )
                )
            else:
                cleaned[name] = number
        elif name == "completion_time_unit":
            unit = str(value or "").strip().lower()
            unit = {"hari kerja": "working_days", "hari": "working_days", "jam": "hours"}.get(
                unit, unit
            )
            if unit not in CompletionUnit.values:
                errors.append(
                    field_error(
                        name,
                        "Satuan harus 'hari kerja' atau 'jam'.",
                        "Unit must be 'working_days' or 'hours'.",
                    )
                )
            else:
                cleaned[name] = unit
        elif name == "fee_amount":
            text = str(value).strip().lower() if isinstance(value, str) else ""
            amount = 0 if text in ("gratis", "tidak dipungut biaya", "0") else _integer(value)
            if amount is None or not 0 <= amount <= MAX_FEE:
                errors.append(
                    field_error(
                        name,
                        "Biaya harus bilangan bulat Rupiah, 0 berarti gratis.",
                        "Fee must be a whole number of Rupiah, 0 means free.",
                    )
                )
            else:
                cleaned[name] = amount
        else:
            text = str(value or "").strip()
            if len(text) > MAX_TEXT:
                errors.append(
                    field_error(
                        name,
                        f"{LABELS[name]} paling banyak {MAX_TEXT} huruf.",
                        f"At most {MAX_TEXT} characters.",
                    )
                )
            else:
                cleaned[name] = text
    fee = cleaned.get("fee_amount", existing.get("fee_amount"))
    basis = cleaned.get("fee_legal_basis", existing.get("fee_legal_basis", ""))
    if isinstance(fee, int) and fee > 0 and not str(basis or "").strip():
        errors.append(
            field_error(
                "fee_legal_basis",
                "Layanan berbayar wajib menyebut dasar hukum biayanya.",
                "A paid service must state the legal basis of its fee.",
            )
        )
    return cleaned, errors


def publish_errors(content: Mapping[str, Any]) -> list[FieldError]:
    """What a version still lacks before it may be published (the 6 delivery components)."""
    errors: list[FieldError] = []
    if not content.get("requirements"):
        errors.append(
            field_error(
                "requirements",
                "Isi sedikitnya satu persyaratan.",
                "Add at least one requirement.",
            )
        )
    if not content.get("procedure"):
        errors.append(
            field_error(
                "procedure",
                "Isi sedikitnya satu langkah prosedur.",
                "Add at least one procedure step.",
            )
        )
    for name in ("product", "complaint_channel"):
        if not str(content.get(name) or "").strip():
            errors.append(
                field_error(name, f"{LABELS[name]} wajib diisi.", "This component is required.")
            )
    return errors


def management_missing(content: Mapping[str, Any]) -> list[str]:
    """Management components still empty (shown as a warning, not blocking)."""
    return [name for name in MANAGEMENT_FIELDS if not str(content.get(name) or "").strip()]
