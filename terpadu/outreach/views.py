"""Outreach pages: the field worker's worklist and case page, programme reports, the
community reporter's offline-tolerant phone page, and the pharmacy's delivery list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from terpadu.accounts.models import Role, User, current_user
from terpadu.accounts.scope import is_staff_role
from terpadu.core.errors import DomainError, FieldError, NotFound, field_error
from terpadu.core.http import client_address
from terpadu.core.models import Region
from terpadu.outreach import kspr, selectors, services, workflow
from terpadu.outreach.access import (
    access_case_by_id,
    access_dispatch_by_id,
    access_prescription_by_id,
    access_report_photo,
    access_visit_photo,
    can_manage,
    pharmacy_agency_id,
    programmes_for_user,
    reporter_of,
    sees_health_data,
)
from terpadu.outreach.models import Case, Dispatch, Programme, Support, Task
from terpadu.outreach.programmes import garda_ampuh, maternal, medicine, spec

STATIC_DIR = Path(__file__).resolve().parent / "static" / "outreach"


def _errors(errors: list[FieldError]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in errors:
        out.setdefault(e.field, []).append(e.message)
    return out


def _int_or_none(raw: str, name: str, errors: list[FieldError]) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors.append(field_error(name, "Isi dengan angka.", "Use a number."))
        return None


def _date_or_none(raw: str, name: str, errors: list[FieldError]) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(field_error(name, "Tanggal tidak valid.", "Invalid date."))
        return None


def _staff(request: HttpRequest) -> User:
    user = current_user(request)
    if not is_staff_role(user):
        raise Http404
    return user


# --- worklist and case page ----------------------------------------------------------------


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    today = timezone.localdate()
    programmes = list(programmes_for_user(user))
    code = request.GET.get("program", "")
    chosen = next((p for p in programmes if p.code == code), None)
    cases = list(selectors.worklist(user, today=today, programme=chosen)[:300])
    return render(
        request,
        "outreach/worklist.html",
        {
            "cases": cases,
            "today": today,
            "programmes": programmes,
            "chosen": chosen,
            "counts": selectors.due_counts(user, today=today),
        },
    )


def _case_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    user = current_user(request)
    case = selectors.case_detail(case)
    found = spec(case.programme.code)
    health = sees_health_data(user, case.programme)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "case": case,
        "spec": found,
        "health": health,
        "today": today,
        "level_label": found.level_label(case.level) if case.level else "",
        "next_states": [
            (s, Case.Status(s).label)
            for s in workflow.next_states(case.status, found.extra_transitions)
            if s not in found.system_targets
        ],
        "outcomes": found.outcomes,
        "levels": found.levels,
        "open_tasks": [t for t in case.tasks.all() if t.is_open],
        "manager": can_manage(user, case.programme),
        "is_field_worker": user.role == Role.FIELD_WORKER,
        "errors": {},
        "form": {},
    }
    if case.programme.code == "maternal" and health:
        context["kspr_items"] = kspr.ITEMS
        context["local_criteria"] = maternal.local_criteria(case.programme)
        context["latest"] = (
            kspr.score(case.screenings.all().reverse()[0].items) if case.screenings.all() else None
        )
    if case.programme.code == "garda_ampuh":
        context["support_kinds"] = Support.Kind.choices
        context["funders"] = Support.Funder.choices
    if context["manager"]:
        context["field_workers"] = User.objects.filter(
            role=Role.FIELD_WORKER, region_id=case.region_id, is_active=True
        ).order_by("username")
    if case.programme.code == "medicine":
        rx = getattr(case, "prescription", None)
        context["rx"] = rx
        context["dispatches"] = list(rx.dispatches.all()) if rx else []
    context.update(extra)
    return context


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _staff(request)
    try:
        case = access_case_by_id(user=user, case_id=case_id)
    except NotFound:
        raise Http404 from None
    services.case_view_log(case=case, user=user, purpose="halaman kasus")
    return render(request, "outreach/case_detail.html", _case_context(request, case))


def _case_action(request: HttpRequest, case_id: int, action: Any, form_name: str) -> HttpResponse:
    """Run ``action(case, user)``; on a DomainError show the case page with field errors."""
    user = _staff(request)
    try:
        case = access_case_by_id(user=user, case_id=case_id)
    except NotFound:
        raise Http404 from None
    try:
        message = action(case, user)
    except DomainError as exc:
        if _wants_json(request):
            return JsonResponse(exc.as_dict(), status=exc.status)
        errors = exc.errors or [field_error("general", exc.message, exc.message)]
        context = _case_context(
            request, case, errors=_errors(errors), form=request.POST, failed=form_name
        )
        return render(request, "outreach/case_detail.html", context, status=400)
    if _wants_json(request):  # the offline queue of the field worker's phone
        return JsonResponse({"ok": True, "status": message})
    messages.success(request, message)
    return HttpResponseRedirect(f"/lapangan/kasus/{case.pk}/")


@login_required
@require_POST
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, user: User) -> str:
        target = request.POST.get("status", "")
        services.case_transition(
            case=case,
            actor=user,
            target=target,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
        return _("Status kasus diperbarui.")

    return _case_action(request, case_id, act, "status")


@login_required
@require_POST
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, user: User) -> str:
        if not can_manage(user, case.programme):
            raise NotFound("case")
        raw = request.POST.get("user_id", "")
        assignee = (
            User.objects.filter(pk=int(raw), role=Role.FIELD_WORKER).first()
            if raw.isdigit()
            else None
        )
        if raw and assignee is None:
            raise services.invalid(
                [field_error("assignee", "Pilih petugas lapangan.", "Choose a field worker.")]
            )
        services.case_assign(case=case, actor=user, assignee=assignee)
        return _("Kasus ditugaskan.")

    try:
        return _case_action(request, case_id, act, "assign")
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def case_level(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, user: User) -> str:
        services.case_set_level(
            case=case,
            actor=user,
            level=request.POST.get("level", ""),
            note=request.POST.get("note", ""),
        )
        return _("Kasus diteruskan.")

    return _case_action(request, case_id, act, "level")


@login_required
@require_POST
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, user: User) -> str:
        errors: list[FieldError] = []
        visited_on = _date_or_none(request.POST.get("visited_on", ""), "visited_on", errors)
        task_id = _int_or_none(request.POST.get("task", ""), "task", errors)
        if errors:
            raise services.invalid(errors)
        task = Task.objects.filter(pk=task_id, case=case).first() if task_id else None
        services.visit_note_add(
            case=case,
            actor=user,
            text=request.POST.get("text", ""),
            visited_on=visited_on,
            photos=request.FILES.getlist("photos"),
            client_id=request.POST.get("client_id", ""),
            task=task,
        )
        return _("Catatan kunjungan disimpan.")

    return _case_action(request, case_id, act, "note")


@login_required
@require_POST
def case_kspr(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, user: User) -> str:
        if user.role != Role.FIELD_WORKER:
            raise services.refuse(
                "forbidden", "Hanya bidan desa yang mengisi KSPR.", "Midwives only.", status=403
            )
        errors: list[FieldError] = []
        visited_on = _date_or_none(request.POST.get("visited_on", ""), "visited_on", errors)
        weeks = _int_or_none(request.POST.get("gestation_weeks", ""), "gestation_weeks", errors)
        if errors:
            raise services.invalid(errors)
        screening = maternal.screening_record(
            case=case,
            actor=user,
            items=request.POST.getlist("items"),
            visited_on=visited_on,
            gestation_weeks=weeks,
            local_flags=request.POST.getlist("local_flags"),
        )
        result = kspr.score(screening.items)
        return _("KSPR %(score)s: %(group)s — %(place)s.") % {
            "score": result.score,
            "group": result.group,
            "place": result.risk.place,
        }

    return _case_action(request, case_id, act, "kspr")


@login_required
@require_POST
def case_support(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, user: User) -> str:
        errors: list[FieldError] = []
        amount = _int_or_none(request.POST.get("amount", "").replace(".", ""), "amount", errors)
        given_on = _date_or_none(request.POST.get("given_on", ""), "given_on", errors)
        if errors:
            raise services.invalid(errors)
        garda_ampuh.support_record(
            case=case,
            actor=user,
            kind=request.POST.get("kind", ""),
            funder=request.POST.get("funder", ""),
            amount=amount or 0,
            given_on=given_on,
            note=request.POST.get("note", ""),
        )
        return _("Bantuan dicatat.")

    return _case_action(request, case_id, act, "support")


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _staff(request)
    task = Task.objects.filter(pk=task_id).first()
    if task is None:
        raise Http404
    try:
        access_case_by_id(user=user, case_id=task.case_id)
    except NotFound:
        raise Http404 from None
    services.task_complete(task=task, actor=user)
    messages.success(request, _("Tugas selesai."))
    return HttpResponseRedirect(f"/lapangan/kasus/{task.case_id}/")


def _file_response(name: str, content_type: str) -> HttpResponseBase:
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def visit_photo(request: HttpRequest, photo_id: int) -> HttpResponseBase:
    try:
        photo = access_visit_photo(user=current_user(request), photo_id=photo_id)
    except NotFound:
        raise Http404 from None
    return _file_response(str(photo.file.name), photo.content_type)


@login_required
def report_photo(request: HttpRequest, report_id: int) -> HttpResponseBase:
    try:
        report = access_report_photo(user=current_user(request), report_id=report_id)
    except NotFound:
        raise Http404 from None
    return _file_response(str(report.photo.name), report.photo_content_type)


# --- programme reports ---------------------------------------------------------------------


@login_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    rows = []
    for programme in programmes_for_user(user):
        area = selectors.report_by_area(programme)
        rows.append({"programme": programme, "spec": spec(programme.code), **area})
    return render(request, "outreach/programme_list.html", {"rows": rows})


@login_required
@require_GET
def programme_report(request: HttpRequest, code: str) -> HttpResponse:
    user = _staff(request)
    programme = programmes_for_user(user).filter(code=code).first()
    if programme is None:
        raise Http404
    area = selectors.report_by_area(programme)
    context: dict[str, Any] = {
        "programme": programme,
        "spec": spec(code),
        "area": area,
        "status_labels": [(s, Case.Status(s).label) for s in area["statuses"]],
    }
    if code == "garda_ampuh":
        context["garda"] = garda_ampuh.report_by_level_and_district(programme)
    if code == "medicine":
        context["months"] = medicine.monthly_counts(programme)
    return render(request, "outreach/programme_report.html", context)


# --- the community reporter's phone page ---------------------------------------------------


def _villages(region: Region) -> list[tuple[str, list[Region]]]:
    villages = Region.objects.filter(
        level=Region.Level.VILLAGE, parent__parent=region
    ).select_related("parent")
    groups: dict[str, list[Region]] = {}
    for village in villages.order_by("parent__name", "name"):
        groups.setdefault(village.parent.name if village.parent else "", []).append(village)
    return list(groups.items())


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def reporter_page(request: HttpRequest) -> HttpResponse:
    """A very short report from a cheap phone; the page queues it while offline."""
    user = current_user(request)
    reporter = reporter_of(user)
    if reporter is None:
        raise Http404
    programmes = list(reporter.programmes.filter(is_active=True).order_by("code"))
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        code = request.POST.get("programme", "")
        programme = next((p for p in programmes if p.code == code), None)
        try:
            if programme is None:
                raise services.invalid(
                    [field_error("programme", "Pilih program.", "Choose a programme.")]
                )
            field_errors: list[FieldError] = []
            age = _int_or_none(request.POST.get("age_years", ""), "age_years", field_errors)
            if field_errors:
                raise services.invalid(field_errors)
            village = Region.objects.filter(
                code=request.POST.get("village", ""), level=Region.Level.VILLAGE
            ).first()
            report, created = services.report_submit(
                programme=programme,
                reporter=reporter,
                client_id=request.POST.get("client_id", ""),
                name=request.POST.get("name", ""),
                village=village,
                age_years=age,
                note=request.POST.get("note", ""),
                signs=request.POST.getlist("signs"),
                photo=request.FILES.get("photo"),
                photo_consent=request.POST.get("photo_consent") == "1",
            )
        except DomainError as exc:
            if _wants_json(request):
                return JsonResponse(exc.as_dict(), status=exc.status)
            errors = _errors(exc.errors or [field_error("general", exc.message, exc.message)])
            status = exc.status
        else:
            if _wants_json(request):
                return JsonResponse(
                    {
                        "ok": True,
                        "client_id": report.client_id,
                        "created": created,
                        "status": str(report.get_status_display()),
                    },
                    status=201 if created else 200,
                )
            messages.success(request, _("Laporan diterima. Terima kasih."))
            return HttpResponseRedirect("/lapor/")
    return render(
        request,
        "outreach/reporter.html",
        {
            "reporter": reporter,
            "programmes": programmes,
            "signs": maternal.LOCAL_CRITERIA,
            "villages": _villages(reporter.region),
            "reports": selectors.reporter_reports(reporter),
            "errors": errors,
            "form": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@require_GET
def reporter_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /lapor/ so that it may control the reporter page."""
    body = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/lapor/"
    return response


# --- Garda Ampuh: anyone may report a young person out of school ------------------------


def garda_report(request: HttpRequest) -> HttpResponse:
    """A public form (no login): RT/RW, schools or anyone report a young person out of school."""
    from django.conf import settings

    programme = (
        Programme.objects.select_related("region")
        .filter(code="garda_ampuh", is_active=True, region__code=settings.TERPADU_HOME_REGION)
        .first()
    )
    if programme is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        field_errors: list[FieldError] = []
        age = _int_or_none(request.POST.get("age_years", ""), "age_years", field_errors)
        village = Region.objects.filter(
            code=request.POST.get("village", ""), level=Region.Level.VILLAGE
        ).first()
        try:
            if field_errors:
                raise services.invalid(field_errors)
            services.report_submit(
                programme=programme,
                client_id=request.POST.get("client_id", ""),
                name=request.POST.get("name", ""),
                village=village,
                reporter_label=" ".join(
                    part
                    for part in (
                        request.POST.get("reporter_kind", "").strip()[:40],
                        request.POST.get("reporter_name", "").strip()[:70],
                    )
                    if part
                ),
                reporter_phone=request.POST.get("reporter_phone", "").strip(),
                age_years=age,
                note=request.POST.get("note", ""),
                signs=request.POST.getlist("signs"),
                source_key=services.address_key(client_address(request)),
            )
        except DomainError as exc:
            errors = _errors(exc.errors or [field_error("general", exc.message, exc.message)])
            status = exc.status
        else:
            messages.success(
                request,
                _("Terima kasih. Laporan diterima dan diteruskan ke petugas desa."),
            )
            return HttpResponseRedirect("/garda-ampuh/lapor/")
    import uuid

    return render(
        request,
        "outreach/garda_report.html",
        {
            "programme": programme,
            "villages": _villages(programme.region),
            "signs": garda_ampuh.REPORT_SIGNS.items(),
            "client_id": str(uuid.uuid4()),
            "errors": errors,
            "form": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


# --- the pharmacy's list -------------------------------------------------------------------


def _pharmacy(request: HttpRequest) -> tuple[User, Programme]:
    user = current_user(request)
    agency_id = pharmacy_agency_id(user)
    if agency_id is None:
        raise Http404
    programme = (
        Programme.objects.select_related("region", "agency")
        .filter(code="medicine", agency_id=agency_id)
        .first()
    )
    if programme is None:
        raise Http404
    return user, programme


def _pharmacy_context(programme: Programme, **extra: Any) -> dict[str, Any]:
    assert programme.agency is not None
    recent = (
        Dispatch.objects.filter(prescription__agency=programme.agency)
        .select_related("prescription__case")
        .order_by("-updated_at")[:30]
    )
    return {
        "programme": programme,
        "queue": list(medicine.pharmacy_queue(programme.agency)),
        "recent": list(recent),
        "villages": _villages(programme.region),
        "months": medicine.monthly_counts(programme),
        "errors": {},
        "form": {},
        **extra,
    }


@login_required
def pharmacy(request: HttpRequest) -> HttpResponse:
    user, programme = _pharmacy(request)
    if request.method != "POST":
        return render(request, "outreach/pharmacy.html", _pharmacy_context(programme))
    assert programme.agency is not None
    errors: list[FieldError] = []
    try:
        distance = Decimal(request.POST.get("distance_km", "").replace(",", ".") or "x")
    except InvalidOperation:
        distance = Decimal(-1)  # the service names the field
    village = Region.objects.filter(
        code=request.POST.get("village", ""), level=Region.Level.VILLAGE
    ).first()
    resident = None
    nik = request.POST.get("nik", "").strip()
    if nik:
        from terpadu.registry.models import Resident

        resident = Resident.objects.filter(region=programme.region, nik=nik).first()
        if resident is None:
            errors.append(
                field_error("nik", "NIK tidak ada di data penduduk.", "NIK not in the register.")
            )
    try:
        with transaction.atomic():
            try:
                rx, code = medicine.prescription_mark(
                    programme=programme,
                    agency=programme.agency,
                    actor=user,
                    rx_number=request.POST.get("rx_number", ""),
                    village=village or (resident.village if resident else None),
                    patient_name=request.POST.get("patient_name", ""),
                    address=request.POST.get("address", ""),
                    phone=request.POST.get("phone", ""),
                    distance_km=distance,
                    resident=resident,
                    pbi=request.POST.get("pbi") == "1",
                )
            except DomainError as exc:
                raise services.invalid(
                    [*errors, *exc.errors] or [field_error("general", exc.message, exc.message)]
                ) from None
            if errors:
                raise services.invalid(errors)  # nothing half-saved: roll the mark back
    except DomainError as exc:
        context = _pharmacy_context(programme, errors=_errors(exc.errors), form=request.POST)
        return render(request, "outreach/pharmacy.html", context, status=400)
    fee = _("gratis") if rx.tariff == 0 else f"Rp {rx.tariff:,}".replace(",", ".")
    messages.success(
        request,
        _("Resep %(rx)s ditandai untuk diantar (%(fee)s). Kode serah terima pasien: %(code)s")
        % {"rx": rx.rx_number, "fee": fee, "code": code},
    )
    return HttpResponseRedirect("/farmasi/")


@login_required
@require_POST
def pharmacy_dispatch(request: HttpRequest, prescription_id: int) -> HttpResponse:
    user, programme = _pharmacy(request)
    try:
        rx = access_prescription_by_id(user=user, prescription_id=prescription_id)
        if rx.agency_id != programme.agency_id:
            raise NotFound("prescription")
        medicine.dispatch_create(prescription=rx, actor=user)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Permintaan kurir dikirim."))
    return HttpResponseRedirect("/farmasi/")


@login_required
@require_POST
def pharmacy_retry(request: HttpRequest, dispatch_id: int) -> HttpResponse:
    user, _programme = _pharmacy(request)
    try:
        dispatch = access_dispatch_by_id(user=user, dispatch_id=dispatch_id)
        medicine.dispatch_retry_flagged(dispatch=dispatch, actor=user)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pengiriman ke kurir dicoba lagi."))
    return HttpResponseRedirect("/farmasi/")
