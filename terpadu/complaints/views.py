"""Complaint pages: the public list and map, the phone-first form, the reporter's page by
tracking code, and the office pages of the coordinator and the agencies."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.accounts.models import current_user
from terpadu.complaints import selectors, services
from terpadu.complaints.access import (
    access_complaint_by_code,
    access_complaint_by_id,
    access_photo,
    can_file_at_counter,
    complaints_for_user,
    is_agency_user,
    is_coordinator,
    normalise_code,
)
from terpadu.complaints.forms import (
    AnswerForm,
    ComplaintForm,
    DisposeForm,
    MergeForm,
    ReasonForm,
)
from terpadu.complaints.models import Category, Complaint, ComplaintPhoto
from terpadu.core.errors import DomainError, NotFound
from terpadu.core.http import client_address
from terpadu.core.models import Agency, Region


def home_region() -> Region:
    region = Region.objects.filter(code=settings.TERPADU_HOME_REGION).first()
    if region is None:
        raise Http404
    return region


def apply_errors(form: forms.Form, exc: DomainError) -> None:
    unmapped = [e for e in exc.errors if e.field not in form.fields]
    if not exc.errors or unmapped or exc.status == 429:
        form.add_error(None, exc.message)
    for error in exc.errors:
        if error.field in form.fields:
            form.add_error(error.field, error.message)


def _region_object(model: Any, pk: Any, region: Region) -> Any:
    if pk in (None, ""):
        return None
    return model.objects.filter(pk=pk, region=region).first()


def _submit_from_form(
    request: HttpRequest, form: ComplaintForm, region: Region, channel: str
) -> Complaint:
    data = form.cleaned_data
    village = Region.objects.filter(pk=data["village"]).select_related("parent").first()
    user = request.user if request.user.is_authenticated else None
    return services.complaint_submit(
        region=region,
        channel=channel,
        text=data["text"],
        reporter=services.Reporter(
            name=data["reporter_name"],
            phone=data["reporter_phone"],
            email=data["reporter_email"],
            user=user if channel == Complaint.Channel.WEB else None,
        ),
        village=village,
        address=data["address"],
        lat=data["lat"],
        long=data["long"],
        category=_region_object(Category, data.get("category"), region),
        agency=_region_object(Agency, data.get("agency"), region),
        is_confidential=data["is_confidential"],
        is_anonymous=data["is_anonymous"],
        photos=data["photos"],
        filed_by=user if channel == Complaint.Channel.COUNTER else None,
        client_address=client_address(request),
    )


# -- public ------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    region = home_region()
    district = request.GET.get("kecamatan", "")[:13]
    status = request.GET.get("status", "")[:10]
    qs = selectors.public_complaints(region=region, district_code=district, status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("halaman"))
    day = selectors.today()
    return render(
        request,
        "complaints/public_list.html",
        {
            "rows": [selectors.public_dict(c, day) for c in page.object_list],
            "page": page,
            "districts": selectors.district_counts(region=region),
            "points": selectors.public_points(region=region),
            "district": district,
            "status": status,
            "statuses": [
                (value, label)
                for value, label in Complaint.Status.choices
                if value not in ("rejected", "merged")
            ],
            "region": region,
        },
    )


def public_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = selectors.public_complaint(region=home_region(), complaint_id=complaint_id)
    if complaint is None:
        raise Http404
    return render(
        request, "complaints/public_detail.html", {"row": selectors.public_dict(complaint)}
    )


def complaint_new(request: HttpRequest) -> HttpResponse:
    region = home_region()
    form = ComplaintForm(request.POST or None, request.FILES or None, region=region)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                complaint = _submit_from_form(request, form, region, Complaint.Channel.WEB)
            except DomainError as exc:
                apply_errors(form, exc)
                status = exc.status if exc.status == 429 else 400
            else:
                return HttpResponseRedirect(f"/pengaduan/lacak/{complaint.tracking_code}/?baru=1")
        else:
            status = 400
    return render(
        request,
        "complaints/new.html",
        {"form": form, "counter": False, "text_max": services.text_max()},
        status=status,
    )


def track_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("kode", "")
    error = ""
    if code:
        normal = normalise_code(code)
        if normal:
            return HttpResponseRedirect(f"/pengaduan/lacak/{normal}/")
        error = _("Kode lacak terdiri atas 12 huruf dan angka, misalnya K7QM-4TXP-9C2A.")
    return render(
        request,
        "complaints/track_lookup.html",
        {"code": code[:40], "error": error},
        status=400 if error else 200,
    )


def _track_context(complaint: Complaint, **extra: Any) -> dict[str, Any]:
    complaint = selectors.complaint_detail(complaint)
    return {
        "complaint": complaint,
        "events": list(complaint.events.all()),
        "photos": list(complaint.photos.all()),
        "due": selectors.current_due(complaint),
        "overdue": selectors.is_overdue(complaint),
        "reopen_form": ReasonForm(),
        **extra,
    }


def track(request: HttpRequest, code: str) -> HttpResponse:
    try:
        complaint = access_complaint_by_code(code=code)
    except NotFound:
        raise Http404 from None
    if complaint.tracking_code != code:
        return HttpResponseRedirect(f"/pengaduan/lacak/{complaint.tracking_code}/")
    return render(
        request,
        "complaints/track.html",
        _track_context(complaint, just_filed=request.GET.get("baru") == "1"),
    )


@require_POST
def track_confirm(request: HttpRequest, code: str) -> HttpResponse:
    try:
        complaint = access_complaint_by_code(code=code)
        services.complaint_confirm(complaint=complaint)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return render(
            request,
            "complaints/track.html",
            _track_context(complaint, error=exc.message),
            status=exc.status,
        )
    return HttpResponseRedirect(f"/pengaduan/lacak/{complaint.tracking_code}/")


@require_POST
def track_reopen(request: HttpRequest, code: str) -> HttpResponse:
    try:
        complaint = access_complaint_by_code(code=code)
    except NotFound:
        raise Http404 from None
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(complaint=complaint, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return HttpResponseRedirect(f"/pengaduan/lacak/{complaint.tracking_code}/")
    return render(
        request, "complaints/track.html", _track_context(complaint, reopen_form=form), status=400
    )


def _photo_response(photo: ComplaintPhoto) -> HttpResponseBase:
    handle = default_storage.open(str(photo.file.name), "rb")
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


def track_photo(request: HttpRequest, code: str, photo_id: int) -> HttpResponseBase:
    try:
        photo = access_photo(user=request.user, photo_id=photo_id, code=code)
    except NotFound:
        raise Http404 from None
    return _photo_response(photo)


# -- office ------------------------------------------------------------------


def _office_user(request: HttpRequest) -> Any:
    user = current_user(request)
    if not (is_coordinator(user) or is_agency_user(user)):
        raise Http404
    return user


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    user = _office_user(request)
    status = request.GET.get("status", "")[:10]
    overdue = request.GET.get("terlambat") == "1"
    query = request.GET.get("q", "")[:100]
    qs = selectors.complaint_list_for_user(user=user, status=status, overdue=overdue, query=query)
    page = Paginator(qs, 30).get_page(request.GET.get("halaman"))
    day = selectors.today()
    rows = [
        {
            "complaint": c,
            "due": selectors.current_due(c),
            "overdue": selectors.is_overdue(c, day),
        }
        for c in page.object_list
    ]
    return render(
        request,
        "complaints/office_list.html",
        {
            "rows": rows,
            "page": page,
            "status": status,
            "overdue": overdue,
            "query": query,
            "statuses": Complaint.Status.choices,
            "coordinator": is_coordinator(user),
            "can_file": can_file_at_counter(user),
        },
    )


@login_required
def office_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not can_file_at_counter(user) or user.region is None:
        raise Http404
    region = user.region if user.region.level == Region.Level.REGENCY else home_region()
    form = ComplaintForm(request.POST or None, request.FILES or None, region=region)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                complaint = _submit_from_form(request, form, region, Complaint.Channel.COUNTER)
            except DomainError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                return HttpResponseRedirect(f"/pengaduan/lacak/{complaint.tracking_code}/?baru=1")
        else:
            status = 400
    return render(
        request,
        "complaints/new.html",
        {"form": form, "counter": True, "text_max": services.text_max()},
        status=status,
    )


def _detail_context(request: HttpRequest, complaint: Complaint, **forms_: Any) -> dict[str, Any]:
    user = current_user(request)
    complaint = selectors.complaint_detail(complaint)
    coordinator = is_coordinator(user)
    context: dict[str, Any] = {
        "complaint": complaint,
        "reporter": selectors.reporter_for(user, complaint),
        "events": list(complaint.events.all()),
        "photos": list(complaint.photos.all()),
        "escalations": list(complaint.escalations.all()),
        "due": selectors.current_due(complaint),
        "overdue": selectors.is_overdue(complaint),
        "coordinator": coordinator,
    }
    if coordinator and complaint.status == Complaint.Status.SUBMITTED:
        context["dispose_form"] = forms_.get("dispose_form") or DisposeForm(
            region=complaint.region,
            initial={
                "agency": complaint.agency_id,
                "category": complaint.category_id,
                "is_confidential": complaint.is_confidential,
                "is_anonymous": complaint.is_anonymous,
            },
        )
        context["reject_form"] = forms_.get("reject_form") or ReasonForm()
    if coordinator and complaint.status in (Complaint.Status.SUBMITTED, Complaint.Status.DISPOSED):
        context["merge_form"] = forms_.get("merge_form") or MergeForm()
    if complaint.status == Complaint.Status.DISPOSED and (
        coordinator or (is_agency_user(user) and user.agency_id == complaint.agency_id)
    ):
        context["answer_form"] = forms_.get("answer_form") or AnswerForm()
    return context


def _office_complaint(request: HttpRequest, complaint_id: int) -> Complaint:
    try:
        return access_complaint_by_id(user=request.user, complaint_id=complaint_id)
    except NotFound:
        raise Http404 from None


@login_required
def office_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _office_complaint(request, complaint_id)
    return render(request, "complaints/office_detail.html", _detail_context(request, complaint))


def _back(complaint: Complaint) -> HttpResponse:
    return HttpResponseRedirect(f"/kantor/pengaduan/{complaint.pk}/")


def _office_action(
    request: HttpRequest,
    complaint: Complaint,
    form: forms.Form,
    slot: str,
    perform: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """One officer action on a complaint: valid and accepted -> back to the complaint;
    otherwise the complaint page again with ``form`` (in ``slot``) showing its errors."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return _back(complaint)
    return render(
        request,
        "complaints/office_detail.html",
        _detail_context(request, complaint, **{slot: form}),
        status=400,
    )


@login_required
@require_POST
def office_dispose(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _office_complaint(request, complaint_id)

    def perform(data: dict[str, Any]) -> None:
        agency = _region_object(Agency, data["agency"], complaint.region)
        if agency is None:
            raise NotFound("agency")
        services.complaint_dispose(
            user=request.user,
            complaint=complaint,
            agency=agency,
            category=_region_object(Category, data.get("category"), complaint.region),
            is_confidential=data["is_confidential"],
            is_anonymous=data["is_anonymous"],
            note=data["note"],
        )

    form = DisposeForm(request.POST, region=complaint.region)
    return _office_action(request, complaint, form, "dispose_form", perform)


@login_required
@require_POST
def office_reject(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _office_complaint(request, complaint_id)
    return _office_action(
        request,
        complaint,
        ReasonForm(request.POST),
        "reject_form",
        lambda data: services.complaint_reject(
            user=request.user, complaint=complaint, reason=data["reason"]
        ),
    )


@login_required
@require_POST
def office_answer(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _office_complaint(request, complaint_id)
    return _office_action(
        request,
        complaint,
        AnswerForm(request.POST),
        "answer_form",
        lambda data: services.complaint_answer(
            user=request.user, complaint=complaint, answer=data["answer"]
        ),
    )


@login_required
@require_POST
def office_merge(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _office_complaint(request, complaint_id)

    def perform(data: dict[str, Any]) -> None:
        ref = data["into"].strip().upper().removeprefix("ADU-")
        target = (
            complaints_for_user(request.user).filter(pk=int(ref)).first() if ref.isdigit() else None
        )
        if target is None:
            raise services.invalid(
                [
                    services.field_error(
                        "into", "Nomor pengaduan tidak dikenal.", "Unknown complaint."
                    )
                ]
            )
        services.complaint_merge(user=request.user, complaint=complaint, into=target)

    return _office_action(request, complaint, MergeForm(request.POST), "merge_form", perform)


@login_required
def office_photo(request: HttpRequest, photo_id: int) -> HttpResponseBase:
    try:
        photo = access_photo(user=request.user, photo_id=photo_id)
    except NotFound:
        raise Http404 from None
    return _photo_response(photo)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EXPORT_HEADER = [
    "nomor",
    "diterima",
    "saluran",
    "status",
    "kategori",
    "instansi",
    "kecamatan",
    "desa",
    "isi",
    "tanggapan",
    "batas_langkah_ini",
    "terlambat",
    "rahasia",
    "anonim",
    "nama_pelapor",
    "hp_pelapor",
    "surel_pelapor",
]


@login_required
def office_export(request: HttpRequest) -> HttpResponseBase:
    """CSV of the complaints this user may see; reporter columns only where identity is visible."""
    user = _office_user(request)
    qs = selectors.complaint_list_for_user(
        user=user,
        status=request.GET.get("status", "")[:10],
        overdue=request.GET.get("terlambat") == "1",
    )
    day = selectors.today()

    def rows() -> Any:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(EXPORT_HEADER)
        for c in qs.iterator(chunk_size=500):
            who = selectors.reporter_for(user, c)
            yield writer.writerow(
                [
                    _cell(v)
                    for v in (
                        c.public_ref,
                        timezone.localtime(c.submitted_at).strftime("%Y-%m-%d %H:%M"),
                        c.channel,
                        c.status,
                        c.category.name if c.category else "",
                        c.agency.short_name if c.agency else "",
                        c.district.name if c.district else "",
                        c.village.name if c.village else "",
                        c.text,
                        c.answer,
                        selectors.current_due(c) or "",
                        "ya" if selectors.is_overdue(c, day) else "",
                        "ya" if c.is_confidential else "",
                        "ya" if c.is_anonymous else "",
                        who.name if who else "",
                        who.phone if who else "",
                        who.email if who else "",
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pengaduan.csv"'
    return response
