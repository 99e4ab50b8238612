"""Writes of the gallery: innovations and everything attached to them.

Every service validates first, writes in one transaction and appends an audit entry.
``actor`` is the user making the change (or ``None``/a label for the CLI and the demo).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from terpadu.core.audit import audit_record, changes
from terpadu.core.errors import DomainError, FieldError, bilingual, field_error
from terpadu.core.models import Agency, Region
from terpadu.gallery.models import (
    Award,
    Document,
    Innovation,
    ManualFigure,
    Measure,
    Photo,
    Stage,
    Theme,
)

EDITABLE_FIELDS = (
    "name",
    "tagline",
    "start_date",
    "problem",
    "how_it_works",
    "theme",
    "stage",
    "is_public",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
)
THOUSANDS_RE = re.compile(r"-?\d{1,3}(\.\d{3})+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def invalid(errors: Sequence[FieldError]) -> DomainError:
    return DomainError(
        code="invalid",
        message=bilingual("Periksa isian yang ditandai.", "Check the marked fields."),
        errors=list(errors),
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


def _snapshot(innovation: Innovation) -> dict[str, Any]:
    out = {}
    for name in (*EDITABLE_FIELDS, "agency_id"):
        value = getattr(innovation, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def _check_fields(fields: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    if "name" in fields and not str(fields["name"] or "").strip():
        errors.append(field_error("name", "Nama inovasi wajib diisi.", "The name is required."))
    if "theme" in fields and fields["theme"] not in Theme.values:
        errors.append(field_error("theme", "Pilih tema.", "Choose a theme."))
    if "stage" in fields and fields["stage"] not in Stage.values:
        errors.append(field_error("stage", "Pilih tahap.", "Choose a stage."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    for name in sorted(unknown):
        errors.append(field_error(name, "Isian tidak dikenal.", "Unknown field."))
    return errors


def _full_clean(innovation: Innovation) -> None:
    try:
        innovation.full_clean(exclude=["region", "agency", "replicated_from", "slug"])
    except ValidationError as exc:
        raise invalid(
            [
                field_error(name, str(messages[0]), str(messages[0]))
                for name, messages in exc.message_dict.items()
            ]
        ) from None


def unique_slug(name: str, region: Region, wanted: str = "") -> str:
    base = (wanted or slugify(name))[:60].strip("-") or "inovasi"
    candidate = base
    if Innovation.objects.filter(slug=candidate).exists():
        candidate = f"{base}-{slugify(region.name)}"[:75].strip("-")
    n = 2
    while Innovation.objects.filter(slug=candidate).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


@transaction.atomic
def innovation_create(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    theme: str,
    slug: str = "",
    now: Any = None,
    replicated_from: Innovation | None = None,
    origin_label: str = "",
    **fields: Any,
) -> Innovation:
    """A new innovation of ``agency`` (in the agency's regency), unpublished unless asked."""
    fields = {"name": name, "theme": theme, **fields}
    errors = _check_fields(fields)
    if slug and not SLUG_RE.match(slug):
        errors.append(
            field_error("slug", "Gunakan huruf kecil, angka dan tanda -.", "Use a-z, 0-9 and -.")
        )
    elif slug and Innovation.objects.filter(slug=slug).exists():
        errors.append(field_error("slug", "Alamat singkat sudah dipakai.", "Slug already used."))
    if errors:
        raise invalid(errors)
    now = now or timezone.now()
    region = agency.region
    innovation = Innovation(
        region=region,
        agency=agency,
        slug=slug or unique_slug(name, region),
        created_at=now,
        updated_at=now,
        replicated_from=replicated_from,
        origin_label=origin_label[:200],
    )
    for key, value in fields.items():
        setattr(innovation, key, value.strip() if isinstance(value, str) else value)
    _full_clean(innovation)
    innovation.save()
    audit_record(
        actor=_user(actor),
        action="gallery.innovation_create",
        record=innovation,
        summary={"name": innovation.name, "agency": agency.code, "slug": innovation.slug},
        region_code=region.code,
    )
    return innovation


@transaction.atomic
def innovation_update(*, actor: Any, innovation: Innovation, **fields: Any) -> Innovation:
    errors = _check_fields(fields)
    if errors:
        raise invalid(errors)
    locked = Innovation.objects.select_for_update().get(pk=innovation.pk)
    before = _snapshot(locked)
    for key, value in fields.items():
        setattr(locked, key, value.strip() if isinstance(value, str) else value)
    after = _snapshot(locked)
    diff = changes(before, after)
    if not diff:
        return locked
    _full_clean(locked)
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=_user(actor),
        action="gallery.innovation_update",
        record=locked,
        summary=diff,
        region_code=locked.region.code,
    )
    return locked


def _touch(innovation: Innovation, actor: Any, action: str, summary: dict[str, Any]) -> None:
    Innovation.objects.filter(pk=innovation.pk).update(updated_at=timezone.now())
    audit_record(
        actor=_user(actor),
        action=action,
        record=innovation,
        summary=summary,
        region_code=innovation.region.code,
    )


# --------------------------------------------------------------------------- awards


@transaction.atomic
def award_add(
    *,
    actor: Any,
    innovation: Innovation,
    year: int | None,
    name: str,
    giver: str,
    level: str,
    source_url: str = "",
) -> Award:
    errors = []
    if not name.strip():
        errors.append(field_error("name", "Nama penghargaan wajib diisi.", "Name required."))
    if not giver.strip():
        errors.append(field_error("giver", "Pemberi wajib diisi.", "Giver required."))
    if year is not None and not 1945 <= int(year) <= 2100:
        errors.append(field_error("year", "Tahun tidak sah.", "Invalid year."))
    if level not in Award.Level.values:
        errors.append(field_error("level", "Pilih tingkat.", "Choose a level."))
    if errors:
        raise invalid(errors)
    award = Award.objects.create(
        innovation=innovation,
        year=year,
        name=name.strip(),
        giver=giver.strip(),
        level=level,
        source_url=source_url.strip(),
    )
    _touch(innovation, actor, "gallery.award_add", {"award": award.name, "year": year})
    return award


@transaction.atomic
def award_remove(*, actor: Any, innovation: Innovation, award_id: int) -> None:
    award = Award.objects.filter(innovation=innovation, pk=award_id).first()
    if award is None:
        raise invalid([field_error("award", "Penghargaan tidak ditemukan.", "Award not found.")])
    award.delete()
    _touch(innovation, actor, "gallery.award_remove", {"award": award.name, "year": award.year})


# --------------------------------------------------------------------------- photos, documents


@transaction.atomic
def photo_add(
    *, actor: Any, innovation: Innovation, upload: Any, alt_text: str, caption: str = ""
) -> Photo:
    """A public photo: JPEG/PNG by content, re-encoded without metadata, stored outside static."""
    from terpadu.complaints.photos import clean_photo

    errors = []
    if not alt_text.strip():
        errors.append(
            field_error(
                "alt_text",
                "Tulis teks alternatif (apa yang terlihat di foto).",
                "Describe the photo (alternative text).",
            )
        )
    if upload is None:
        errors.append(field_error("photo", "Pilih berkas foto.", "Choose a photo file."))
    if errors:
        raise invalid(errors)
    clean = clean_photo(upload, field="photo")
    photo = Photo(
        innovation=innovation,
        content_type=clean.content_type,
        caption=caption.strip()[:200],
        alt_text=alt_text.strip()[:200],
        width=clean.width,
        height=clean.height,
        created_at=timezone.now(),
    )
    photo.file.save(f"foto.{clean.extension}", ContentFile(clean.content), save=False)
    photo.save()
    _touch(innovation, actor, "gallery.photo_add", {"photo": photo.pk, "alt": photo.alt_text})
    return photo


@transaction.atomic
def photo_remove(*, actor: Any, innovation: Innovation, photo_id: int) -> None:
    photo = Photo.objects.filter(innovation=innovation, pk=photo_id).first()
    if photo is None:
        raise invalid([field_error("photo", "Foto tidak ditemukan.", "Photo not found.")])
    name = str(photo.file.name)
    photo.delete()
    transaction.on_commit(lambda: Photo.file.field.storage.delete(name))
    _touch(innovation, actor, "gallery.photo_remove", {"photo": photo_id})


@transaction.atomic
def document_add(*, actor: Any, innovation: Innovation, upload: Any, title: str) -> Document:
    """A public document: PDF, JPEG or PNG recognised by content (name and type ignored)."""
    from terpadu.applications.uploads import UploadRejected, clean_upload

    errors = []
    if not title.strip():
        errors.append(field_error("title", "Judul dokumen wajib diisi.", "Title required."))
    if upload is None:
        errors.append(field_error("document", "Pilih berkas.", "Choose a file."))
    if errors:
        raise invalid(errors)
    try:
        clean = clean_upload(upload, field="document")
    except UploadRejected as exc:
        raise invalid([exc.error]) from None
    document = Document(
        innovation=innovation,
        content_type=clean.content_type,
        title=title.strip()[:200],
        size=len(clean.content),
        created_at=timezone.now(),
    )
    document.file.save(f"dokumen.{clean.extension}", ContentFile(clean.content), save=False)
    document.save()
    _touch(innovation, actor, "gallery.document_add", {"document": document.title})
    return document


@transaction.atomic
def document_remove(*, actor: Any, innovation: Innovation, document_id: int) -> None:
    document = Document.objects.filter(innovation=innovation, pk=document_id).first()
    if document is None:
        raise invalid([field_error("document", "Dokumen tidak ditemukan.", "Not found.")])
    name = str(document.file.name)
    document.delete()
    transaction.on_commit(lambda: Document.file.field.storage.delete(name))
    _touch(innovation, actor, "gallery.document_remove", {"document": document.title})


# --------------------------------------------------------------------------- measures


def check_measure(
    *,
    region: Region,
    kind: str,
    programme_code: str = "",
    indicator_id: str = "",
    agency: Agency | None = None,
    service: Any = None,
) -> list[FieldError]:
    from terpadu.cetar import indicators
    from terpadu.outreach.programmes import MODULES

    errors = []
    if kind not in Measure.Kind.values:
        return [field_error("kind", "Pilih jenis ukuran.", "Choose a measure kind.")]
    if kind == Measure.Kind.OUTREACH and programme_code not in MODULES:
        errors.append(field_error("programme_code", "Program tidak dikenal.", "Unknown programme."))
    if kind == Measure.Kind.CETAR and indicators.get(indicator_id) is None:
        errors.append(field_error("indicator_id", "Indikator tidak dikenal.", "Unknown indicator."))
    if agency is not None and agency.region_id != region.pk:
        errors.append(
            field_error("agency", "Instansi bukan dari daerah ini.", "Agency of another region.")
        )
    if service is not None and service.region_id != region.pk:
        errors.append(
            field_error("service", "Layanan bukan dari daerah ini.", "Service of another region.")
        )
    return errors


@transaction.atomic
def measure_add(
    *,
    actor: Any,
    innovation: Innovation,
    kind: str,
    title: str = "",
    programme_code: str = "",
    indicator_id: str = "",
    agency: Agency | None = None,
    service: Any = None,
    pivot_date: date | None = None,
) -> Measure:
    errors = check_measure(
        region=innovation.region,
        kind=kind,
        programme_code=programme_code,
        indicator_id=indicator_id,
        agency=agency,
        service=service,
    )
    if errors:
        raise invalid(errors)
    position = innovation.measures.count()
    measure = Measure.objects.create(
        innovation=innovation,
        kind=kind,
        title=title.strip()[:160],
        programme_code=programme_code if kind == Measure.Kind.OUTREACH else "",
        indicator_id=indicator_id if kind == Measure.Kind.CETAR else "",
        agency=agency,
        service=service,
        pivot_date=pivot_date,
        position=position,
    )
    _touch(
        innovation,
        actor,
        "gallery.measure_add",
        {"kind": kind, "programme": programme_code, "indicator": indicator_id},
    )
    return measure


@transaction.atomic
def measure_remove(*, actor: Any, innovation: Innovation, measure_id: int) -> None:
    measure = Measure.objects.filter(innovation=innovation, pk=measure_id).first()
    if measure is None:
        raise invalid([field_error("measure", "Ukuran tidak ditemukan.", "Measure not found.")])
    measure.delete()
    _touch(innovation, actor, "gallery.measure_remove", {"measure": measure_id})


# --------------------------------------------------------------------------- manual figures


def parse_decimal(value: Any) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(" ", "")
    if "," in text or THOUSANDS_RE.fullmatch(text):  # Indonesian: 1.234,5 and 1.250
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@transaction.atomic
def manual_figure_add(
    *,
    actor: Any,
    innovation: Innovation,
    label: str,
    value: Any,
    period_label: str,
    source: str,
    unit: str = "",
    source_url: str = "",
) -> ManualFigure:
    """A hand-entered figure; the source is required (it is shown next to the number)."""
    errors = []
    number = parse_decimal(value)
    if not label.strip():
        errors.append(field_error("label", "Keterangan angka wajib diisi.", "Label required."))
    if number is None or abs(number) >= Decimal("1e14"):
        errors.append(field_error("value", "Isi angka yang sah.", "Enter a valid number."))
    if not period_label.strip():
        errors.append(field_error("period_label", "Periode wajib diisi.", "Period required."))
    if not source.strip():
        errors.append(
            field_error(
                "source",
                "Sumber wajib diisi: angka yang dicatat manual harus menyebut sumbernya.",
                "A hand-entered figure needs its source.",
            )
        )
    if errors:
        raise invalid(errors)
    assert number is not None
    figure = ManualFigure.objects.create(
        innovation=innovation,
        label=label.strip()[:200],
        value=number,
        unit=unit.strip()[:30],
        period_label=period_label.strip()[:60],
        source=source.strip()[:200],
        source_url=source_url.strip()[:300],
        position=innovation.manual_figures.count(),
    )
    _touch(
        innovation,
        actor,
        "gallery.manual_figure_add",
        {"label": figure.label, "value": str(number), "source": figure.source},
    )
    return figure


@transaction.atomic
def manual_figure_remove(*, actor: Any, innovation: Innovation, figure_id: int) -> None:
    figure = ManualFigure.objects.filter(innovation=innovation, pk=figure_id).first()
    if figure is None:
        raise invalid([field_error("figure", "Angka tidak ditemukan.", "Figure not found.")])
    figure.delete()
    _touch(innovation, actor, "gallery.manual_figure_remove", {"label": figure.label})


@transaction.atomic
def innovation_attach(
    *,
    actor: Any,
    innovation: Innovation,
    measures: Sequence[dict[str, Any]] = (),
    figures: Sequence[dict[str, Any]] = (),
    awards: Sequence[dict[str, Any]] = (),
) -> None:
    """Attach many measures, hand-entered figures and awards at once (the demo, imports):
    the same checks as the one-by-one services, bulk writes, one audit entry."""
    errors: list[FieldError] = []
    for m in measures:
        errors += check_measure(
            region=innovation.region,
            kind=m["kind"],
            programme_code=m.get("programme_code", ""),
            indicator_id=m.get("indicator_id", ""),
            agency=m.get("agency"),
            service=m.get("service"),
        )
    values = []
    for f in figures:
        number = parse_decimal(f["value"])
        values.append(number)
        if number is None or not str(f.get("source", "")).strip() or not f.get("label"):
            errors.append(
                field_error(
                    "figures", "Angka manual perlu nilai dan sumber.", "Needs value and source."
                )
            )
    for a in awards:
        if a.get("level") not in Award.Level.values or not a.get("name"):
            errors.append(field_error("awards", "Penghargaan tidak lengkap.", "Incomplete award."))
    if errors:
        raise invalid(errors)
    start = innovation.measures.count()
    Measure.objects.bulk_create(
        Measure(
            innovation=innovation,
            kind=m["kind"],
            title=m.get("title", "")[:160],
            programme_code=m.get("programme_code", ""),
            indicator_id=m.get("indicator_id", ""),
            agency=m.get("agency"),
            service=m.get("service"),
            pivot_date=m.get("pivot_date"),
            position=start + i,
        )
        for i, m in enumerate(measures)
    )
    start = innovation.manual_figures.count()
    ManualFigure.objects.bulk_create(
        ManualFigure(
            innovation=innovation,
            label=f["label"][:200],
            value=value or Decimal(0),
            unit=f.get("unit", "")[:30],
            period_label=f["period_label"][:60],
            source=f["source"][:200],
            source_url=f.get("source_url", "")[:300],
            position=start + i,
        )
        for i, (f, value) in enumerate(zip(figures, values, strict=True))
    )
    Award.objects.bulk_create(
        Award(
            innovation=innovation,
            year=a.get("year"),
            name=a["name"][:200],
            giver=a.get("giver", "")[:200],
            level=a["level"],
            source_url=a.get("source_url", "")[:300],
        )
        for a in awards
    )
    _touch(
        innovation,
        actor,
        "gallery.innovation_attach",
        {"measures": len(measures), "figures": len(figures), "awards": len(awards)},
    )
