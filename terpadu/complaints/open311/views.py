"""GeoReport v2 endpoints. Plain Django views: the specification fixes names, formats and errors."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from terpadu.complaints import selectors
from terpadu.complaints import services as complaint_services
from terpadu.complaints.access import public_q
from terpadu.complaints.models import Category, Complaint, Open311Client
from terpadu.complaints.open311.keys import open311_client_for_key
from terpadu.complaints.open311.render import errors, respond
from terpadu.complaints.sla import LOCAL_TZ
from terpadu.core.errors import DomainError
from terpadu.core.http import client_address
from terpadu.core.models import Region

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-28T00:00:00+07:00"
MAX_REQUESTS = 1000
DEFAULT_WINDOW_DAYS = 90
OPEN = (Complaint.Status.SUBMITTED, Complaint.Status.DISPOSED, Complaint.Status.ANSWERED)
# Our field names -> the specification's, for error descriptions.
FIELD_NAMES = {
    "text": "description",
    "reporter_phone": "phone",
    "reporter_email": "email",
    "reporter_name": "first_name",
    "address": "address_string",
    "village": "address_string",
}
YES = {"1", "true", "yes", "ya", "y"}


def _region() -> Region | None:
    return Region.objects.filter(code=settings.TERPADU_HOME_REGION).first()


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def _due_iso(day: date | None) -> str | None:
    if day is None:
        return None
    return datetime.combine(day, time(23, 59, 59), tzinfo=LOCAL_TZ).isoformat(timespec="seconds")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/open311/v2/").rstrip("/")


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    body = {
        "changeset": CHANGESET,
        "contact": "Pengelola pengaduan — lihat /pengaduan/",
        "key_service": "API key diterbitkan administrator Terpadu (terpadu open311 issue-key NAMA).",
        "endpoints": [
            {
                "specification": SPEC,
                "url": _base_url(request),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, body, root="discovery")


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description
        or f"Tindak lanjut paling lambat {category.follow_up_days} hari kerja.",
        "metadata": True,
        "type": "realtime",
        "keywords": category.code.replace("-", ","),
        "group": category.agency.short_name if category.agency else "",
    }


def _categories() -> QuerySet[Category]:
    region = _region()
    if region is None:
        return Category.objects.none()
    return Category.objects.filter(region=region, is_active=True).select_related("agency")


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    jurisdiction = _jurisdiction_error(request, fmt)
    if jurisdiction:
        return jurisdiction
    return respond(
        fmt, [_service(c) for c in _categories().order_by("name")], root="services", item="service"
    )


ATTRIBUTES = [
    {
        "variable": True,
        "code": "rahasia",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "1 = rahasia (tidak tampil di daftar publik)",
        "order": 1,
        "description": "Rahasiakan laporan ini dari publik?",
        "values": [{"key": "0", "name": "Tidak"}, {"key": "1", "name": "Ya"}],
    },
    {
        "variable": True,
        "code": "anonim",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "1 = identitas pelapor disembunyikan dari instansi",
        "order": 2,
        "description": "Sembunyikan identitas pelapor dari instansi?",
        "values": [{"key": "0", "name": "Tidak"}, {"key": "1", "name": "Ya"}],
    },
]


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = _categories().filter(code=code).first()
    if category is None:
        return errors(fmt, 404, f"service_code {code} not found")
    body = {"service_code": category.code, "attributes": ATTRIBUTES}
    return respond(fmt, body, root="service_definition")


def _jurisdiction_error(request: HttpRequest, fmt: str) -> HttpResponse | None:
    data = request.POST if request.method == "POST" else request.GET
    jurisdiction = data.get("jurisdiction_id", "")
    if jurisdiction and jurisdiction != settings.TERPADU_HOME_REGION:
        return errors(fmt, 404, f"jurisdiction_id {jurisdiction[:40]} not found")
    return None


def _status_notes(complaint: Complaint) -> str:
    if complaint.status == Complaint.Status.MERGED and complaint.merged_into_id:
        return f"Digabung dengan ADU-{complaint.merged_into_id}."
    if complaint.status == Complaint.Status.REJECTED:
        return "Tidak dapat diproses: " + selectors.redact(complaint.answer)
    if complaint.answered_at:
        return selectors.redact(complaint.answer)
    return str(complaint.get_status_display())


def _address(complaint: Complaint) -> str:
    parts = [complaint.address]
    if complaint.village:
        parts.append(
            f"{complaint.village.name}, Kec. {complaint.district.name if complaint.district else ''}"
        )
    return " · ".join(p for p in parts if p)


def request_record(complaint: Complaint) -> dict[str, Any]:
    """A service request as GeoReport v2 names it; never the reporter's identity."""
    return {
        "service_request_id": str(complaint.pk),
        "status": "open" if complaint.status in OPEN else "closed",
        "status_notes": _status_notes(complaint),
        "service_name": complaint.category.name if complaint.category else "",
        "service_code": complaint.category.code if complaint.category else "",
        "description": selectors.redact(complaint.text),
        "agency_responsible": complaint.agency.name
        if complaint.agency and complaint.disposed_at
        else "",
        "service_notice": "Terlambat" if selectors.is_overdue(complaint) else "",
        "requested_datetime": _iso(complaint.submitted_at),
        "updated_datetime": _iso(complaint.updated_at),
        "expected_datetime": _due_iso(selectors.current_due(complaint)),
        "address": _address(complaint),
        "address_id": "",
        "zipcode": "",
        "lat": float(complaint.lat) if complaint.lat is not None else None,
        "long": float(complaint.long) if complaint.long is not None else None,
        "media_url": complaint.media_url,
    }


def _visible(client: Open311Client | None) -> Q:
    q = public_q() | Q(
        is_confidential=False, status__in=[Complaint.Status.MERGED, Complaint.Status.REJECTED]
    )
    if client is not None:
        q |= Q(open311_client=client)
    return q


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))
        if moment is None:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    region = _region()
    client = open311_client_for_key(request.GET.get("api_key", ""))
    qs = (
        Complaint.objects.filter(_visible(client), region=region)
        .select_related("category", "agency", "village", "district")
        .order_by("-submitted_at")
    )
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        if not all(i.isdigit() and len(i) < 19 for i in ids):
            return errors(fmt, 400, "service_request_id must be a comma-separated list of ids")
        return respond(
            fmt,
            [request_record(c) for c in qs.filter(pk__in=[int(i) for i in ids])[:MAX_REQUESTS]],
            root="service_requests",
            item="request",
        )
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    statuses = [s.strip() for s in request.GET.get("status", "").split(",") if s.strip()]
    if any(s not in ("open", "closed") for s in statuses):
        return errors(fmt, 400, "status must be open, closed or both")
    if statuses == ["open"]:
        qs = qs.filter(status__in=OPEN)
    elif statuses == ["closed"]:
        qs = qs.exclude(status__in=OPEN)
    raw_start, raw_end = request.GET.get("start_date", ""), request.GET.get("end_date", "")
    start, end = _parse_date(raw_start), _parse_date(raw_end)
    if (raw_start and start is None) or (raw_end and end is None):
        return errors(
            fmt, 400, "start_date and end_date must be W3C date-times (2026-03-17T08:00:00+07:00)"
        )
    if start is None and end is None:
        start = timezone.now() - timedelta(days=DEFAULT_WINDOW_DAYS)
    if start is not None:
        qs = qs.filter(submitted_at__gte=start)
    if end is not None:
        qs = qs.filter(submitted_at__lte=end)
    return respond(
        fmt, [request_record(c) for c in qs[:MAX_REQUESTS]], root="service_requests", item="request"
    )


def _field_errors(exc: DomainError) -> list[str]:
    if not exc.errors:
        return [exc.message]
    return [f"{FIELD_NAMES.get(e.field, e.field)}: {e.message_en}" for e in exc.errors]


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = data.get("api_key", "")
    if not key:
        return errors(fmt, 403, "api_key not provided")
    client = open311_client_for_key(key)
    if client is None:
        return errors(fmt, 403, "api_key is invalid")
    jurisdiction = _jurisdiction_error(request, fmt)
    if jurisdiction:
        return jurisdiction
    code = data.get("service_code", "").strip()
    if not code:
        return errors(fmt, 400, "service_code not provided")
    category = _categories().filter(code=code, region=client.region).first()
    if category is None:
        return errors(fmt, 404, f"service_code {code[:40]} not found")
    lat, long, address = data.get("lat", ""), data.get("long", ""), data.get("address_string", "")
    address_id = data.get("address_id", "").strip()
    if not (str(lat).strip() or str(long).strip() or address.strip() or address_id):
        return errors(
            fmt, 400, "a location is required: lat and long, address_string or address_id"
        )
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p.strip())
    try:
        complaint = complaint_services.complaint_submit(
            region=client.region,
            channel=Complaint.Channel.OPEN311,
            text=data.get("description", ""),
            reporter=complaint_services.Reporter(
                name=name, phone=data.get("phone", ""), email=data.get("email", "")
            ),
            address=address or (f"address_id {address_id}" if address_id else ""),
            lat=lat,
            long=long,
            category=category,
            is_confidential=data.get("attribute[rahasia]", "").strip().lower() in YES,
            is_anonymous=data.get("attribute[anonim]", "").strip().lower() in YES,
            open311_client=client,
            client_address=client_address(request),
            media_url=data.get("media_url", "").strip(),
        )
    except DomainError as exc:
        return errors(fmt, 429 if exc.status == 429 else 400, *_field_errors(exc))
    body = [
        {
            "service_request_id": str(complaint.pk),
            "token": complaint.open311_token,
            "service_notice": f"Diverifikasi paling lambat {complaint.verify_due.isoformat()}.",
            "account_id": None,
        }
    ]
    return respond(fmt, body, root="service_requests", item="request")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    jurisdiction = _jurisdiction_error(request, fmt)
    if jurisdiction:
        return jurisdiction
    return _list(request, fmt)


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    client = open311_client_for_key(request.GET.get("api_key", ""))
    complaint = (
        Complaint.objects.filter(_visible(client), region=_region(), pk=int(request_id))
        .select_related("category", "agency", "village", "district")
        .first()
    )
    if complaint is None:
        return errors(fmt, 404, f"service_request_id {request_id} not found")
    return respond(fmt, [request_record(complaint)], root="service_requests", item="request")


@require_GET
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    complaint = Complaint.objects.filter(open311_token=token).only("pk", "open311_token").first()
    if complaint is None:
        return errors(fmt, 404, f"token {token} not found")
    body = [{"service_request_id": str(complaint.pk), "token": complaint.open311_token}]
    return respond(fmt, body, root="service_requests", item="request")
