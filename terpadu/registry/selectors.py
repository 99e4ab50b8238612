from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from terpadu.registry.access import residents_for_user, review_pairs_for_user
from terpadu.registry.models import Person, PersonLink, Resident, ReviewPair, SourceRecord


def resident_search(*, user: Any, query: str, limit: int = 50) -> QuerySet[Resident]:
    """By full NIK (exact) or by name (prefix, case-insensitive)."""
    query = " ".join(query.split())
    qs = residents_for_user(user)
    if not query:
        return qs.none()
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) == 16:
        return qs.filter(nik=digits)[:limit]
    if len(query) < 3:
        return qs.none()
    return qs.filter(name__istartswith=query).order_by("name", "id")[:limit]


def review_queue(*, user: Any, status: str = "pending", limit: int = 100) -> list[ReviewPair]:
    """Pairs waiting for (or given) a decision, most probable first."""
    qs = review_pairs_for_user(user)
    if status in ReviewPair.Status.values:
        qs = qs.filter(status=status)
    return list(qs.order_by("-match_probability", "id")[:limit])


def review_counts(*, user: Any) -> dict[str, int]:
    rows = review_pairs_for_user(user).values_list("status").annotate(n=Count("id"))
    return {status: n for status, n in rows}


def next_pending_pair(*, user: Any, after: ReviewPair) -> ReviewPair | None:
    return (
        review_pairs_for_user(user)
        .filter(status=ReviewPair.Status.PENDING)
        .exclude(pk=after.pk)
        .order_by("-match_probability", "id")
        .first()
    )


def person_links(*, person: Person) -> list[PersonLink]:
    return list(
        PersonLink.objects.filter(person=person)
        .select_related("record", "record__batch", "record__village")
        .order_by("record__source_type", "record__batch__version", "record__row_number")
    )


@dataclass(frozen=True)
class CompareRow:
    label: str
    left: str
    right: str
    differs: bool
    is_nik: bool = False


def _birth(record: SourceRecord) -> str:
    if record.birth_date:
        return record.birth_date.isoformat()
    if record.birth_year:
        return f"{record.birth_year} (umur)" if record.data.get("age") else str(record.birth_year)
    return ""


def _birth_keys(left: SourceRecord, right: SourceRecord) -> tuple[str, str]:
    """Full dates when both have one; otherwise only the years are compared."""
    if left.birth_date and right.birth_date:
        return left.birth_date.isoformat(), right.birth_date.isoformat()
    return str(left.birth_year or ""), str(right.birth_year or "")


def compare_records(left: SourceRecord, right: SourceRecord) -> list[CompareRow]:
    """Two records side by side; ``differs`` compares the standard forms, not the spelling."""

    def row(
        label: str, a: str, b: str, key_a: str = "", key_b: str = "", nik: bool = False
    ) -> CompareRow:
        ka, kb = (key_a or a), (key_b or b)
        return CompareRow(label, a, b, bool(ka and kb and ka != kb), nik)

    return [
        row(
            str(_("Sumber")),
            left.get_source_type_display(),
            right.get_source_type_display(),
            "-",
            "-",
        ),
        row(str(_("Nama")), left.name, right.name, left.name_key, right.name_key),
        row("NIK", left.nik, right.nik, nik=True),
        row(str(_("Nomor KK")), left.kk, right.kk, nik=True),
        row(str(_("Jenis kelamin")), left.sex, right.sex),
        row(
            str(_("Tanggal/tahun lahir")),
            _birth(left),
            _birth(right),
            *_birth_keys(left, right),
        ),
        row(str(_("Tempat lahir")), left.birth_place, right.birth_place),
        row(
            str(_("Desa/Kelurahan")),
            left.village.name if left.village else left.data.get("desa", ""),
            right.village.name if right.village else right.data.get("desa", ""),
            left.village.code if left.village else "",
            right.village.code if right.village else "",
        ),
        row(str(_("Alamat")), left.address, right.address, "-", "-"),
        row(
            str(_("RT/RW")),
            "/".join(filter(None, (left.rt, left.rw))),
            "/".join(filter(None, (right.rt, right.rw))),
        ),
        row(
            str(_("Nama ibu")),
            left.mother_name,
            right.mother_name,
            left.mother_key,
            right.mother_key,
        ),
    ]
