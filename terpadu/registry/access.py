"""The one way to open a person's record: scoped by region, and every opening logged."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from terpadu.accounts.models import Role
from terpadu.accounts.scope import region_q
from terpadu.core.errors import NotFound
from terpadu.registry.models import (
    Person,
    PersonLink,
    RecordAccess,
    Resident,
    ReviewPair,
)

RESIDENT_READERS: frozenset[str] = frozenset(
    {
        Role.FRONT_DESK,
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SUPERVISOR,
        Role.FIELD_WORKER,
        Role.ADMIN,
    }
)


def residents_for_user(user: Any) -> QuerySet[Resident]:
    qs = Resident.objects.select_related("village", "village__parent", "household")
    if not getattr(user, "is_authenticated", False) or user.role not in RESIDENT_READERS:
        return qs.none()
    return qs.filter(region_q(user))


def access_resident_by_id(*, user: Any, resident_id: int, purpose: str) -> Resident:
    """Fetch a resident for ``user`` and log the access; NotFound when missing or out of scope."""
    resident = residents_for_user(user).filter(pk=resident_id).first()
    if resident is None:
        raise NotFound("resident")
    RecordAccess.objects.create(
        resident=resident,
        region_id=resident.region_id,
        user=user,
        purpose=purpose[:120],
        full_nik_shown=bool(user.sees_full_nik),
    )
    return resident


#: Roles that decide clerical review pairs (data officers of agencies, supervisors).
REVIEWERS: frozenset[str] = frozenset(
    {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN}
)
#: Roles that read the record-access log (UU PDP: who looked at whom).
ACCESS_LOG_READERS: frozenset[str] = frozenset({Role.SUPERVISOR, Role.AGENCY_HEAD, Role.ADMIN})


def can_review(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in REVIEWERS


def review_pairs_for_user(user: Any) -> QuerySet[ReviewPair]:
    qs = ReviewPair.objects.select_related(
        "record_l",
        "record_r",
        "record_l__batch",
        "record_r__batch",
        "record_l__village",
        "record_r__village",
        "decided_by",
    )
    if not can_review(user):
        return qs.none()
    return qs.filter(region_q(user))


def access_review_pair_by_id(*, user: Any, pair_id: int) -> ReviewPair:
    """A review pair for a reviewer in scope; logs the opening of both records' persons."""
    pair = review_pairs_for_user(user).filter(pk=pair_id).first()
    if pair is None:
        raise NotFound("review_pair")
    persons = {
        link.person_id: link
        for link in PersonLink.objects.filter(record_id__in=[pair.record_l_id, pair.record_r_id])
    }
    RecordAccess.objects.bulk_create(
        [
            RecordAccess(
                person_id=person_id,
                region_id=pair.region_id,
                user=user,
                purpose=f"tinjau pasangan #{pair.pk}",
                full_nik_shown=bool(user.sees_full_nik),
            )
            for person_id in persons
        ]
    )
    return pair


def persons_for_user(user: Any) -> QuerySet[Person]:
    qs = Person.objects.select_related("village", "village__parent", "region")
    if not getattr(user, "is_authenticated", False) or user.role not in RESIDENT_READERS:
        return qs.none()
    return qs.filter(region_q(user))


def access_person_by_id(*, user: Any, person_id: int, purpose: str) -> Person:
    """A person of the index for ``user``, with the access logged; NotFound when out of scope."""
    person = persons_for_user(user).filter(pk=person_id).first()
    if person is None:
        raise NotFound("person")
    RecordAccess.objects.create(
        person=person,
        region_id=person.region_id,
        user=user,
        purpose=purpose[:120],
        full_nik_shown=bool(user.sees_full_nik),
    )
    return person


def access_log_for_user(user: Any) -> QuerySet[RecordAccess]:
    qs = RecordAccess.objects.select_related("user", "person", "resident", "region")
    if not getattr(user, "is_authenticated", False) or user.role not in ACCESS_LOG_READERS:
        return qs.none()
    return qs.filter(region_q(user))
