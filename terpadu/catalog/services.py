"""Writes to the catalogue. Every change is atomic, validated first and audited.

The life of a Standar Pelayanan:

* ``service_create`` makes a service with an empty draft (version 1).
* ``service_version_draft_update`` edits the draft; if the service has none, a
  new draft is copied from the published version (number = last + 1).
* ``service_version_publish`` (the head of the service's agency only) publishes
  the draft with an effective date. From that date (Asia/Jakarta) it is the
  current version: at once when the date is today or past, otherwise it waits as
  ``scheduled`` and ``promote_due_versions`` (the periodic job
  ``catalog_promote_versions``) switches it on. The version it replaces becomes
  ``superseded`` and stays in the database, so applications filed under it keep it.

Access (may this user touch this service at all?) is checked by the caller with
:mod:`terpadu.catalog.access`; these functions re-check the role rules that are
part of the business (only a head publishes; only editors create).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from terpadu.catalog import search
from terpadu.catalog.access import AGENCY_EDITOR_ROLES, can_publish, is_catalog_editor
from terpadu.catalog.content import clean_content, publish_errors
from terpadu.catalog.models import CONTENT_FIELDS, Service, ServiceCategory, ServiceVersion
from terpadu.core.audit import audit_record, changes
from terpadu.core.errors import DomainError, FieldError, field_error
from terpadu.core.models import Agency
from terpadu.core.workdays import local_today

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Path segments of the public pages that a service code may not take.
RESERVED_CODES = frozenset({"cari", "instansi", "kategori", "peristiwa", "search"})
IDENTITY_FIELDS = (
    "name",
    "aliases",
    "summary",
    "category",
    "online_available",
    "booking_available",
    "is_active",
)


def _invalid(errors: Sequence[FieldError]) -> DomainError:
    return DomainError(
        code="invalid", message="Periksa kembali isian yang ditandai.", errors=list(errors)
    )


def _forbidden(message: str, message_en: str) -> DomainError:
    return DomainError(
        code="forbidden",
        message=message,
        errors=[field_error("__all__", message, message_en)],
        status=403,
    )


def version_content(version: ServiceVersion | None) -> dict[str, Any]:
    """The 14 components (and extra fields) of a version as a plain dict."""
    if version is None:
        return {}
    return {name: getattr(version, name) for name in CONTENT_FIELDS}


def clean_aliases(value: Any) -> list[str]:
    from terpadu.catalog.content import split_list

    seen: dict[str, None] = {}
    for alias in split_list(value):
        seen.setdefault(alias[:120], None)
    return list(seen)[:30]


def _check_identity(
    *, region_id: int, code: str, name: str, exclude_id: int | None = None
) -> list[FieldError]:
    errors: list[FieldError] = []
    if not _CODE.match(code) or len(code) > 80 or code in RESERVED_CODES:
        errors.append(
            field_error(
                "code",
                "Kode hanya huruf kecil, angka dan tanda hubung (mis. akta-kelahiran).",
                "Code: lowercase letters, digits and hyphens only.",
            )
        )
    elif (
        Service.objects.filter(region_id=region_id, code=code).exclude(pk=exclude_id or 0).exists()
    ):
        errors.append(
            field_error("code", "Kode layanan sudah dipakai.", "This service code is taken.")
        )
    if not name.strip():
        errors.append(field_error("name", "Nama layanan wajib diisi.", "Name is required."))
    elif len(name) > 200:
        errors.append(
            field_error("name", "Nama paling banyak 200 huruf.", "At most 200 characters.")
        )
    return errors


@transaction.atomic
def service_create(
    *,
    actor: Any,
    agency: Agency,
    code: str,
    name: str,
    aliases: Sequence[str] = (),
    summary: str = "",
    category: ServiceCategory | None = None,
    online_available: bool = False,
    booking_available: bool = True,
    content: Mapping[str, Any] | None = None,
) -> Service:
    """A new service of ``agency`` with a draft version 1 holding ``content``."""
    if not is_catalog_editor(actor) or (
        actor.role in AGENCY_EDITOR_ROLES and actor.agency_id != agency.pk
    ):
        raise _forbidden(
            "Anda tidak dapat menambah layanan untuk instansi ini.",
            "You cannot add services for this agency.",
        )
    code = code.strip().lower()
    errors = _check_identity(region_id=agency.region_id, code=code, name=name)
    cleaned, content_errors = clean_content(content or {})
    errors += content_errors
    if category is not None and category.region_id != agency.region_id:
        errors.append(field_error("category", "Kategori tidak dikenal.", "Unknown category."))
    if errors:
        raise _invalid(errors)
    service = Service.objects.create(
        region_id=agency.region_id,
        agency=agency,
        code=code,
        name=name.strip(),
        aliases=clean_aliases(aliases),
        summary=summary.strip()[:300],
        category=category,
        online_available=online_available,
        booking_available=booking_available,
    )
    ServiceVersion.objects.create(service=service, number=1, created_by=_user(actor), **cleaned)
    search.index_services([service])
    audit_record(
        actor=actor,
        action="catalog.service_create",
        record=service,
        summary={"code": code, "name": service.name, "agency": agency.code},
    )
    return service


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


@transaction.atomic
def service_update(*, actor: Any, service: Service, **fields: Any) -> Service:
    """Change a service's identity (name, everyday names, category, where it is offered)."""
    if not is_catalog_editor(actor):
        raise _forbidden("Anda tidak dapat mengubah layanan.", "You cannot edit services.")
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown service fields: {sorted(unknown)}")
    service = Service.objects.select_for_update().get(pk=service.pk)
    before = {name: getattr(service, name) for name in IDENTITY_FIELDS}
    errors: list[FieldError] = []
    if "name" in fields:
        fields["name"] = str(fields["name"]).strip()
        errors += _check_identity(
            region_id=service.region_id,
            code=service.code,
            name=fields["name"],
            exclude_id=service.pk,
        )
    if "aliases" in fields:
        fields["aliases"] = clean_aliases(fields["aliases"])
    category = fields.get("category")
    if category is not None and category.region_id != service.region_id:
        errors.append(field_error("category", "Kategori tidak dikenal.", "Unknown category."))
    if errors:
        raise _invalid(errors)
    for name, value in fields.items():
        setattr(service, name, value)
    after = {name: getattr(service, name) for name in IDENTITY_FIELDS}
    diff = changes(before, after)
    if not diff:
        return service
    service.save(update_fields=[*fields, "updated_at"])
    service = Service.objects.select_related("agency", "category", "current_version").get(
        pk=service.pk
    )
    search.index_services([service])
    audit_record(actor=actor, action="catalog.service_update", record=service, summary=diff)
    return service


def with_latest_versions(qs: QuerySet[Service]) -> QuerySet[Service]:
    """``qs`` with its published versions (in force or scheduled) prefetched, newest first,
    for :func:`latest_version` over many services (export, import)."""
    return qs.prefetch_related(
        Prefetch(
            "versions",
            queryset=ServiceVersion.objects.exclude(status=ServiceVersion.Status.DRAFT).order_by(
                "-number"
            ),
            to_attr="published_versions",
        )
    )


def latest_version(service: Service) -> ServiceVersion | None:
    """The newest published version, in force or scheduled (what a new draft starts from,
    what the agency last decided); from :func:`with_latest_versions`' prefetch when there."""
    versions = getattr(service, "published_versions", None)
    if versions is not None:
        return versions[0] if versions else None
    return service.versions.exclude(status=ServiceVersion.Status.DRAFT).order_by("-number").first()


def _draft_for_update(service: Service, actor: Any) -> ServiceVersion:
    draft = service.versions.filter(status=ServiceVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    last = service.versions.aggregate(n=Max("number"))["n"] or 0
    base = version_content(latest_version(service))
    return ServiceVersion(service=service, number=last + 1, created_by=_user(actor), **base)


@transaction.atomic
def service_version_draft_update(
    *, actor: Any, service: Service, content: Mapping[str, Any], change_note: str | None = None
) -> ServiceVersion:
    """Edit the draft (creating it from the published version if needed); only given fields change."""
    if not is_catalog_editor(actor):
        raise _forbidden("Anda tidak dapat mengubah layanan.", "You cannot edit services.")
    service = Service.objects.select_for_update().get(pk=service.pk)
    draft = _draft_for_update(service, actor)
    cleaned, errors = clean_content(content, version_content(draft))
    if errors:
        raise _invalid(errors)
    before = version_content(draft) if draft.pk else {}
    for name, value in cleaned.items():
        setattr(draft, name, value)
    if change_note is not None:
        draft.change_note = change_note.strip()[:300]
    created = draft.pk is None
    draft.save()
    diff = changes(before, version_content(draft)) if not created else {}
    audit_record(
        actor=actor,
        action="catalog.draft_update",
        record=service,
        summary={
            "version": draft.number,
            "created": created,
            "fields": sorted(diff) if not created else sorted(cleaned),
        },
    )
    return draft


def _make_current(service: Service, version: ServiceVersion) -> ServiceVersion | None:
    """``version`` becomes the one in force; the one it replaces (returned) is superseded."""
    previous = service.current_version
    replaced = [v for v in (previous,) if v is not None and v.pk != version.pk]
    # Scheduled versions older than this one never take effect.
    replaced += list(
        service.versions.filter(
            status=ServiceVersion.Status.SCHEDULED, number__lt=version.number
        ).exclude(pk=version.pk)
    )
    for old in replaced:  # before the new one is published: one published per service
        old.status = ServiceVersion.Status.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
    version.status = ServiceVersion.Status.PUBLISHED
    version.save(update_fields=["status", "updated_at"])
    service.current_version = version
    service.save(update_fields=["current_version", "updated_at"])
    fresh = Service.objects.select_related("agency", "category", "current_version").get(
        pk=service.pk
    )
    search.index_services([fresh])
    return previous


def _publish(
    *,
    actor: Any,
    service: Service,
    draft: ServiceVersion,
    effective_date: dt.date,
    change_note: str,
    action: str,
    today: dt.date | None = None,
) -> ServiceVersion:
    """Publish ``draft``: current at once if ``effective_date`` has come, else scheduled."""
    previous = latest_version(service)
    scheduled = effective_date > (today or local_today())
    draft.status = ServiceVersion.Status.SCHEDULED
    draft.effective_date = effective_date
    draft.published_at = timezone.now()
    draft.published_by = _user(actor)
    if change_note:
        draft.change_note = change_note[:300]
    draft.save()
    if not scheduled:
        _make_current(service, draft)
    audit_record(
        actor=actor,
        action=action,
        record=service,
        summary={
            "version": draft.number,
            "previous_version": previous.number if previous else None,
            "effective_date": effective_date.isoformat(),
            "scheduled": scheduled,
            "changes": sorted(changes(version_content(previous), version_content(draft))),
            "change_note": draft.change_note,
        },
    )
    return draft


def promote_due_versions(*, today: dt.date | None = None) -> int:
    """Make every scheduled version whose effective date has come current; returns how many.

    The periodic job ``catalog_promote_versions`` runs this. Per service, the
    newest due version wins (older due ones are superseded without taking
    effect); the search index follows; each switch is audited. Applications keep
    the version they were filed under.
    """
    today = today or local_today()
    service_ids = sorted(
        set(
            ServiceVersion.objects.filter(
                status=ServiceVersion.Status.SCHEDULED, effective_date__lte=today
            ).values_list("service_id", flat=True)
        )
    )
    promoted = 0
    for service_id in service_ids:
        with transaction.atomic():
            service = Service.objects.select_for_update().get(pk=service_id)
            version = (
                service.versions.filter(
                    status=ServiceVersion.Status.SCHEDULED, effective_date__lte=today
                )
                .order_by("-number")
                .first()
            )
            if version is None:  # promoted meanwhile by another worker
                continue
            previous = _make_current(service, version)
            audit_record(
                actor="system",
                action="catalog.version_effective",
                record=service,
                summary={
                    "version": version.number,
                    "previous_version": previous.number if previous else None,
                    "effective_date": version.effective_date.isoformat()
                    if version.effective_date
                    else None,
                },
            )
            promoted += 1
    return promoted


@transaction.atomic
def service_version_publish(
    *,
    actor: Any,
    service: Service,
    effective_date: dt.date | None = None,
    change_note: str = "",
) -> ServiceVersion:
    """Publish the draft (agency head of the service's agency only), in force from its date.

    The effective date (default: today in Asia/Jakarta) may not be earlier than
    that of the newest published version (in force or scheduled).
    """
    if not can_publish(actor, service):
        raise _forbidden(
            "Hanya kepala instansi pemilik layanan yang dapat menerbitkan standar pelayanan.",
            "Only the head of the service's agency can publish its service standard.",
        )
    service = Service.objects.select_for_update().get(pk=service.pk)
    draft = service.versions.filter(status=ServiceVersion.Status.DRAFT).first()
    if draft is None:
        raise DomainError(
            code="no_draft",
            message="Tidak ada konsep perubahan untuk diterbitkan.",
            errors=[
                field_error(
                    "__all__", "Tidak ada konsep untuk diterbitkan.", "No draft to publish."
                )
            ],
            status=409,
        )
    errors = publish_errors(version_content(draft))
    today = local_today()
    effective = effective_date or today
    previous = latest_version(service)
    if previous is not None and previous.effective_date and effective < previous.effective_date:
        errors.append(
            field_error(
                "effective_date",
                "Tanggal berlaku tidak boleh sebelum tanggal berlaku versi sebelumnya "
                f"({previous.effective_date:%d-%m-%Y}).",
                "The effective date cannot be before the previous version's.",
            )
        )
    if errors:
        raise _invalid(errors)
    return _publish(
        actor=actor,
        service=service,
        draft=draft,
        effective_date=effective,
        change_note=change_note.strip(),
        action="catalog.service_publish",
        today=today,
    )


@transaction.atomic
def category_get_or_create(*, actor: Any, region_id: int, name: str) -> ServiceCategory:
    """A category by name (case-insensitive) in a region, created (and audited) if missing."""
    from django.utils.text import slugify

    name = name.strip()[:120]
    existing = ServiceCategory.objects.filter(region_id=region_id, name__iexact=name).first()
    if existing is not None:
        return existing
    slug = slugify(name)[:60] or "kategori"
    category = ServiceCategory.objects.create(region_id=region_id, slug=slug, name=name)
    audit_record(
        actor=actor,
        action="catalog.category_create",
        record=category,
        summary={"name": name, "slug": slug},
    )
    return category
