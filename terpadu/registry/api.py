from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from terpadu.core.apiauth import AUTH
from terpadu.core.nik import mask_nik
from terpadu.registry.access import (
    access_person_by_id,
    access_resident_by_id,
    access_review_pair_by_id,
)
from terpadu.registry.models import Resident, ReviewPair, SourceRecord
from terpadu.registry.selectors import person_links, resident_search, review_queue
from terpadu.registry.services import review_decide

router = Router(tags=["registry"])


class ResidentOut(Schema):
    id: int
    nik: str
    name: str
    sex: str
    birth_date: str
    village_code: str
    village_name: str


def resident_out(resident: Resident, user: object) -> dict[str, object]:
    full = getattr(user, "sees_full_nik", False)
    return {
        "id": resident.pk,
        "nik": resident.nik if full else mask_nik(resident.nik),
        "name": resident.name,
        "sex": resident.sex,
        "birth_date": resident.birth_date.isoformat(),
        "village_code": resident.village.code,
        "village_name": resident.village.name,
    }


@router.get(
    "/residents", response=list[ResidentOut], operation_id="registry_resident_search", auth=AUTH
)
def resident_list(request: HttpRequest, q: str) -> list[dict[str, object]]:
    return [
        resident_out(r, request.user) for r in resident_search(user=request.user, query=q[:100])
    ]


@router.get(
    "/residents/{resident_id}",
    response=ResidentOut,
    operation_id="registry_resident_get",
    auth=AUTH,
)
def resident_get(request: HttpRequest, resident_id: int) -> dict[str, object]:
    resident = access_resident_by_id(
        user=request.user, resident_id=resident_id, purpose="API registry_resident_get"
    )
    return resident_out(resident, request.user)


class RecordOut(Schema):
    id: int
    source_type: str
    batch_version: int
    row_number: int
    name: str
    nik: str
    sex: str
    birth_date: str | None
    birth_year: int | None
    village_code: str | None


class ReviewPairOut(Schema):
    id: int
    status: str
    match_probability: float
    left: RecordOut
    right: RecordOut


class ReviewDecisionIn(Schema):
    decision: str
    note: str = ""


class PersonLinkOut(Schema):
    method: str
    match_probability: float
    record: RecordOut


class PersonOut(Schema):
    id: int
    nik: str
    name: str
    sex: str
    birth_date: str | None
    village_code: str | None
    records: list[PersonLinkOut]


def _masked(value: str, user: object) -> str:
    return value if getattr(user, "sees_full_nik", False) or not value else mask_nik(value)


def record_out(record: SourceRecord, user: object) -> dict[str, object]:
    return {
        "id": record.pk,
        "source_type": record.source_type,
        "batch_version": record.batch.version,
        "row_number": record.row_number,
        "name": record.name,
        "nik": _masked(record.nik, user),
        "sex": record.sex,
        "birth_date": record.birth_date.isoformat() if record.birth_date else None,
        "birth_year": record.birth_year,
        "village_code": record.village.code if record.village else None,
    }


def pair_out(pair: ReviewPair, user: object) -> dict[str, object]:
    return {
        "id": pair.pk,
        "status": pair.status,
        "match_probability": pair.match_probability,
        "left": record_out(pair.record_l, user),
        "right": record_out(pair.record_r, user),
    }


@router.get(
    "/registry/review-pairs",
    response=list[ReviewPairOut],
    operation_id="registry_review_list",
    auth=AUTH,
)
def review_list(request: HttpRequest, status: str = "pending") -> list[dict[str, object]]:
    return [pair_out(p, request.user) for p in review_queue(user=request.user, status=status)]


@router.post(
    "/registry/review-pairs/{pair_id}/decision",
    response=ReviewPairOut,
    operation_id="registry_review_decide",
    auth=AUTH,
)
def review_decision(
    request: HttpRequest, pair_id: int, body: ReviewDecisionIn
) -> dict[str, object]:
    pair = access_review_pair_by_id(user=request.user, pair_id=pair_id)
    decided = review_decide(pair=pair, actor=request.user, decision=body.decision, note=body.note)
    return pair_out(access_review_pair_by_id(user=request.user, pair_id=decided.pk), request.user)


@router.get(
    "/registry/persons/{person_id}",
    response=PersonOut,
    operation_id="registry_person_get",
    auth=AUTH,
)
def person_get(request: HttpRequest, person_id: int) -> dict[str, object]:
    person = access_person_by_id(
        user=request.user, person_id=person_id, purpose="API registry_person_get"
    )
    return {
        "id": person.pk,
        "nik": _masked(person.nik, request.user),
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "village_code": person.village.code if person.village else None,
        "records": [
            {
                "method": link.method,
                "match_probability": link.match_probability,
                "record": record_out(link.record, request.user),
            }
            for link in person_links(person=person)
        ],
    }
