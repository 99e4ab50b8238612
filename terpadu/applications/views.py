"""Application pages: apply (citizen online, front desk at the counter), the citizen's own
pages, public tracking and document verification, and the officers' worklist and detail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from terpadu.accounts.models import Role, User, current_user
from terpadu.applications import selectors, services
from terpadu.applications.access import (
    access_application_by_id,
    access_document_by_application,
    access_file_by_id,
    actor_kinds,
    can_file_at_counter,
    is_agency_user,
)
from terpadu.applications.codes import token_document_id, token_matches
from terpadu.applications.forms import ApplicationForm, ReasonForm, TrackForm, form_field_name
from terpadu.applications.issue import document_pdf_bytes
from terpadu.applications.models import Application, IssuedDocument
from terpadu.applications.uploads import SizeLimitUploadHandler, storage, too_large_message
from terpadu.applications.workflow import DRAFT
from terpadu.catalog.models import Service
from terpadu.core.errors import DomainError, NotFound
from terpadu.core.http import client_address
from terpadu.queueing.models import Ticket


def apply_errors(form: forms.Form, exc: DomainError) -> None:
    mapped = [(form_field_name(e.field), e.message) for e in exc.errors]
    if not exc.errors or any(name not in form.fields for name, _msg in mapped):
        form.add_error(None, exc.message)
    for name, message in mapped:
        if name in form.fields:
            form.add_error(name, message)


def limited_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Install the size-limit upload handler before the body is read (then check CSRF)."""
    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _too_large(request: HttpRequest, form: forms.Form) -> bool:
    names: set[str] = getattr(request, "too_large", set())
    for name in names:
        if name in form.fields:
            form.add_error(name, too_large_message(name).message)
    return bool(names)


def _service(code: str, user: Any) -> Service:
    region_code = settings.TERPADU_HOME_REGION
    if getattr(user, "region", None) is not None and user.region.level == "regency":
        region_code = user.region.code
    service = (
        Service.objects.select_related("agency", "current_version", "region")
        .filter(region__code=region_code, code=code[:80], is_active=True)
        .exclude(current_version=None)
        .first()
    )
    if service is None:
        raise Http404
    return service


def _applicant_from(form: ApplicationForm) -> services.Applicant:
    data = form.cleaned_data
    return services.Applicant(
        name=data.get("applicant_name", ""),
        nik=data.get("applicant_nik", ""),
        phone=data.get("applicant_phone", ""),
        email=data.get("applicant_email", ""),
        notify_channel=data.get("notify_channel") or Application.NotifyChannel.NONE,
    )


# -- citizen -----------------------------------------------------------------------


@login_required
def my_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.role != Role.CITIZEN:
        return HttpResponseRedirect("/kantor/permohonan/")
    rows = [
        {"app": a, "clock": selectors.service_clock(a), "label": _state_label(a)}
        for a in selectors.my_applications(user)[:100]
    ]
    return render(request, "applications/my_list.html", {"rows": rows})


def _state_label(application: Application) -> str:
    if application.status == DRAFT:
        return _("Draf (belum diajukan)")
    return services.workflow_for(application.service_id).state(application.status).label


@login_required
def service_choice(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    counter = can_file_at_counter(user)
    if user.role != Role.CITIZEN and not counter:
        raise Http404
    region_code = settings.TERPADU_HOME_REGION
    if user.region is not None and user.region.level == "regency":
        region_code = user.region.code
    qs = (
        Service.objects.select_related("agency")
        .filter(region__code=region_code, is_active=True)
        .exclude(current_version=None)
        .order_by("agency__name", "name")
    )
    if not counter:
        qs = qs.filter(online_available=True)
    query = request.GET.get("q", "").strip()[:80]
    if query:
        qs = qs.filter(name__icontains=query)
    base = "/kantor/permohonan/baru/" if counter else "/permohonan/baru/"
    return render(
        request,
        "applications/service_choice.html",
        {"services": list(qs[:200]), "query": query, "base": base, "counter": counter},
    )


@login_required
@limited_uploads
def apply(request: HttpRequest, service_code: str) -> HttpResponse:
    """The citizen's online application (a draft can be saved and finished later)."""
    user = current_user(request)
    if user.role != Role.CITIZEN:
        raise Http404
    service = _service(service_code, user)
    if not service.online_available:
        return render(request, "applications/not_online.html", {"service": service}, status=404)
    version = service.current_version
    assert version is not None
    initial = {
        "applicant_name": user.get_full_name(),
        "applicant_nik": user.nik,
        "applicant_phone": user.phone,
        "applicant_email": user.email,
        "notify_channel": "email" if user.email else ("whatsapp" if user.phone else "none"),
    }
    form = ApplicationForm(
        request.POST or None, request.FILES or None, version=version, initial=initial
    )
    status = 200
    if request.method == "POST":
        too_large = _too_large(request, form)
        if form.is_valid() and not too_large:
            try:
                application = services.application_apply(
                    actor=user,
                    service=service,
                    applicant=_applicant_from(form),
                    data=form.data_values(),
                    files=form.uploads(),
                    submit=request.POST.get("submit") == "1",
                )
            except DomainError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                suffix = "?baru=1" if application.status != DRAFT else "?draf=1"
                return HttpResponseRedirect(f"/permohonan/{application.pk}/{suffix}")
        else:
            status = 400
    return render(
        request,
        "applications/apply.html",
        {"form": form, "service": service, "version": version, "counter": False},
        status=status,
    )


def _citizen_application(request: HttpRequest, pk: int) -> Application:
    try:
        application = access_application_by_id(user=request.user, application_id=pk)
    except NotFound:
        raise Http404 from None
    if "applicant" not in actor_kinds(request.user, application):
        # officers use the office page; same answer as for a missing id
        raise Http404
    return application


def _detail_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    application = selectors.with_detail(application)
    wf = services.workflow_for(application.service_id)
    document = IssuedDocument.objects.filter(application=application).first()
    return {
        "app": application,
        "state": wf.state(application.status) if application.status != DRAFT else None,
        "state_label": _state_label(application),
        "requirements": selectors.requirement_rows(application),
        "data_rows": selectors.data_rows(application),
        "timeline": selectors.timeline(application, wf),
        "clock": selectors.service_clock(application),
        "step_clock": selectors.step_clock(application),
        "document": document,
        **extra,
    }


@login_required
def my_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _citizen_application(request, pk)
    context = _detail_context(
        request,
        application,
        just_submitted=request.GET.get("baru") == "1",
        just_saved=request.GET.get("draf") == "1",
    )
    if application.status == DRAFT or application.status == "perbaikan":
        context["form"] = ApplicationForm(
            version=application.service_version,
            applicant_fields=False,
            initial={f"x_{k}": v for k, v in (application.data or {}).items()},
        )
    return render(request, "applications/my_detail.html", context)


@login_required
@limited_uploads
@require_POST
def my_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Save or submit a draft, or send the corrections asked for (perbaikan)."""
    application = _citizen_application(request, pk)
    form = ApplicationForm(
        request.POST, request.FILES, version=application.service_version, applicant_fields=False
    )
    too_large = _too_large(request, form)
    if form.is_valid() and not too_large:
        try:
            if application.status == DRAFT:
                services.application_update_draft(
                    actor=request.user,
                    application=application,
                    data=form.data_values(),
                    files=form.uploads(),
                    submit=request.POST.get("submit") == "1",
                )
            else:
                services.application_transition(
                    actor=request.user,
                    application=application,
                    action="resubmit",
                    data=form.data_values(),
                    files=form.uploads(),
                )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            application.refresh_from_db(fields=["status"])
            suffix = "?draf=1" if application.status == DRAFT else ""
            return HttpResponseRedirect(f"/permohonan/{application.pk}/{suffix}")
    context = _detail_context(request, application, form=form)
    return render(request, "applications/my_detail.html", context, status=400)


def _file_response(name: str, content_type: str, filename: str = "") -> HttpResponseBase:
    try:
        handle = storage().open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{filename}"' if filename else "inline"
    return response


@login_required
def file_view(request: HttpRequest, file_id: int) -> HttpResponseBase:
    try:
        item = access_file_by_id(user=request.user, file_id=file_id)
    except NotFound:
        raise Http404 from None
    return _file_response(str(item.file.name), item.content_type)


@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    try:
        document = access_document_by_application(user=request.user, application_id=pk)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(document_pdf_bytes(document), content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{document.application.code}.pdf"'
    return response


# -- public ------------------------------------------------------------------------


def track(request: HttpRequest) -> HttpResponse:
    """Code + last 4 NIK digits (or phone): POST, so the secret never sits in a URL or a log."""
    form = TrackForm(request.POST or None, initial={"code": request.GET.get("kode", "")[:40]})
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_track(
                code=form.cleaned_data["code"],
                secret=form.cleaned_data["secret"],
                client_address=client_address(request),
            )
        except DomainError as exc:
            if exc.status == 429:
                form.add_error(None, exc.message)
            else:
                form.add_error("secret", exc.message)
            return render(request, "applications/track.html", {"form": form}, status=exc.status)
        return render(
            request,
            "applications/track_result.html",
            {"s": selectors.public_status(application)},
        )
    return render(request, "applications/track.html", {"form": form})


def verify_lookup(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("kode", "").strip()[:80]
    if token:
        return HttpResponseRedirect(f"/verifikasi/{token}/")
    return render(request, "applications/verify_lookup.html", {})


def verify(request: HttpRequest, token: str) -> HttpResponse:
    result = document_verification(token)
    return render(
        request,
        "applications/verify.html",
        {"r": result, "token": token[:80]},
        status=200 if result["valid"] else 404,
    )


def document_verification(token: str) -> dict[str, Any]:
    """``{"valid", "revoked", number, title, agency, issued_at}`` for a QR token."""
    document_id = token_document_id(token)
    document = (
        IssuedDocument.objects.select_related("agency").filter(pk=document_id).first()
        if document_id is not None
        else None
    )
    if document is None or not token_matches(token, document.pk, document.number):
        return {"valid": False, "revoked": False}
    return {
        "valid": document.revoked_at is None,
        "revoked": document.revoked_at is not None,
        "number": document.number,
        "title": document.title,
        "agency": document.agency.name,
        "issued_at": document.issued_at,
        "revoked_at": document.revoked_at,
        "revoked_reason": document.revoked_reason,
    }


# -- office ------------------------------------------------------------------------


def _office_user(request: HttpRequest) -> User:
    user = current_user(request)
    if user.role == Role.CITIZEN or user.role == Role.FIELD_WORKER:
        raise Http404
    return user


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    user = _office_user(request)
    mine = request.GET.get("milik") == "saya"
    clock_state = request.GET.get("jam", "")[:30]
    status = request.GET.get("status", "")[:30]
    qs = selectors.worklist(user, mine=mine, state=clock_state, status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("halaman"))
    rows = [
        {"app": a, "clock": selectors.step_clock(a), "label": _state_label(a)}
        for a in page.object_list
    ]
    return render(
        request,
        "applications/office_list.html",
        {
            "rows": rows,
            "page": page,
            "mine": mine,
            "jam": clock_state,
            "status": status,
            "counts": selectors.worklist_counts(user, mine=mine),
            "can_file": can_file_at_counter(user),
            "agency_user": is_agency_user(user),
        },
    )


@login_required
@limited_uploads
def office_new(request: HttpRequest, service_code: str) -> HttpResponse:
    """The front desk files for a citizen at the counter, linked to their queue ticket."""
    user = current_user(request)
    if not can_file_at_counter(user):
        raise Http404
    service = _service(service_code, user)
    version = service.current_version
    assert version is not None
    form = ApplicationForm(
        request.POST or None, request.FILES or None, version=version, counter=True
    )
    form.fields["ticket"] = forms.CharField(
        label=_("Nomor tiket antrean (opsional, mis. A-012)"), required=False, max_length=10
    )
    status = 200
    if request.method == "POST":
        too_large = _too_large(request, form)
        if form.is_valid() and not too_large:
            ticket = _ticket_today(form.cleaned_data.get("ticket", ""), service)
            try:
                if form.cleaned_data.get("ticket") and ticket is None:
                    raise services._invalid(
                        [
                            services.field_error(
                                "ticket",
                                "Tiket antrean hari ini tidak ditemukan.",
                                "No such ticket today.",
                            )
                        ]
                    )
                application = services.application_apply(
                    actor=user,
                    service=service,
                    applicant=_applicant_from(form),
                    data=form.data_values(),
                    files=form.uploads(),
                    checked=form.checked(),
                    ticket=ticket,
                    submit=True,
                )
            except DomainError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                return HttpResponseRedirect(f"/kantor/permohonan/{application.pk}/?baru=1")
        else:
            status = 400
    return render(
        request,
        "applications/apply.html",
        {"form": form, "service": service, "version": version, "counter": True},
        status=status,
    )


def _ticket_today(label: str, service: Service) -> Ticket | None:
    from django.utils import timezone

    from terpadu.applications.sla import local_day

    text = label.strip().upper().replace(" ", "")
    if not text:
        return None
    letter, _sep, number = text.partition("-")
    if not number.isdigit():
        return None
    return (
        Ticket.objects.select_related("hall")
        .filter(
            letter=letter,
            number=int(number),
            day=local_day(timezone.now()),
            hall__region_id=service.region_id,
        )
        .first()
    )


def _office_application(request: HttpRequest, pk: int) -> Application:
    _office_user(request)
    try:
        return access_application_by_id(user=request.user, application_id=pk)
    except NotFound:
        raise Http404 from None


def _office_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    context = _detail_context(request, application, **extra)
    app = context["app"]
    kinds = actor_kinds(request.user, app)
    wf = services.workflow_for(app.service_id)
    officer_kinds = kinds - {"applicant"}
    context["actions"] = wf.available(app.status, officer_kinds) if app.status != DRAFT else []
    context["reason_form"] = extra.get("reason_form") or ReasonForm()
    context["can_act"] = bool(officer_kinds)
    context["sees_files"] = bool(kinds)
    context["is_head"] = "head" in kinds
    context["officers"] = (
        list(
            User.objects.filter(
                agency_id=app.agency_id,
                role__in=[Role.AGENCY_OFFICER, Role.AGENCY_HEAD],
                is_active=True,
            ).order_by("first_name", "username")
        )
        if "head" in kinds
        else []
    )
    context["just_submitted"] = request.GET.get("baru") == "1"
    return context


@login_required
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _office_application(request, pk)
    return render(request, "applications/office_detail.html", _office_context(request, application))


@login_required
@require_POST
def office_transition(request: HttpRequest, pk: int) -> HttpResponse:
    application = _office_application(request, pk)
    form = ReasonForm(request.POST)
    action = request.POST.get("action", "")[:30]
    if form.is_valid():
        try:
            services.application_transition(
                actor=request.user,
                application=application,
                action=action,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return HttpResponseRedirect(f"/kantor/permohonan/{application.pk}/")
    return render(
        request,
        "applications/office_detail.html",
        _office_context(request, application, reason_form=form),
        status=400,
    )


@login_required
@require_POST
def office_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _office_application(request, pk)
    officer_id = request.POST.get("officer", "")
    officer = (
        User.objects.filter(pk=int(officer_id), agency_id=application.agency_id).first()
        if officer_id.isdigit()
        else None
    )
    try:
        services.application_assign(actor=request.user, application=application, officer=officer)
    except DomainError as exc:
        return render(
            request,
            "applications/office_detail.html",
            _office_context(request, application, assign_error=exc.message),
            status=exc.status,
        )
    return HttpResponseRedirect(f"/kantor/permohonan/{application.pk}/")


@login_required
@require_POST
def office_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    application = _office_application(request, pk)
    document = IssuedDocument.objects.filter(application=application).first()
    form = ReasonForm(request.POST)
    try:
        if document is None or not form.is_valid():
            raise NotFound("document")
        services.document_revoke(
            actor=request.user, document=document, reason=form.cleaned_data["reason"]
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return render(
            request,
            "applications/office_detail.html",
            _office_context(request, application, revoke_error=exc.message),
            status=exc.status,
        )
    return HttpResponseRedirect(f"/kantor/permohonan/{application.pk}/")
