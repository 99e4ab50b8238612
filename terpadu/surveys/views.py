"""Survey pages: the questionnaire (link, kiosk, after a visit), the public SKM report with
its XLSX, and the unit's follow-up plans."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.catalog.models import Hall, Service
from terpadu.core.errors import DomainError, NotFound
from terpadu.core.models import Agency, Region
from terpadu.core.workdays import local_today
from terpadu.surveys import selectors, services
from terpadu.surveys.access import access_plan_by_id, can_manage_agency
from terpadu.surveys.forms import PlanForm, QuestionnaireForm
from terpadu.surveys.models import SurveyResponse
from terpadu.surveys.periods import Period, parse_period
from terpadu.surveys.questionnaire import questionnaire_for
from terpadu.surveys.xlsx import report_xlsx


def home_region() -> Region:
    region = Region.objects.filter(code=settings.TERPADU_HOME_REGION).first()
    if region is None:
        raise Http404
    return region


def _agency(region: Region, code: str) -> Agency:
    agency = Agency.objects.filter(region=region, code=code).select_related("region").first()
    if agency is None:
        raise Http404
    return agency


def survey_index(request: HttpRequest) -> HttpResponse:
    region = home_region()
    agencies = Agency.objects.filter(region=region).order_by("name")
    return render(request, "surveys/index.html", {"agencies": agencies, "region": region})


def survey_form(request: HttpRequest, agency_code: str) -> HttpResponse:
    region = home_region()
    agency = _agency(region, agency_code)
    items = questionnaire_for(agency)
    service = None
    service_code = request.GET.get("layanan", "")[:80]
    if service_code:
        service = Service.objects.filter(region=region, agency=agency, code=service_code).first()
    kiosk = request.GET.get("kios") == "1"
    ref = request.GET.get("ref", "")[:200]
    form = QuestionnaireForm(request.POST or None, items=items)
    status = 200
    error = ""
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit_ref = services.unsign_visit(ref) if ref else ""
                services.survey_response_submit(
                    agency=agency,
                    service=service,
                    hall=Hall.objects.filter(region=region).order_by("pk").first()
                    if kiosk
                    else None,
                    answers={item.code: data.get(item.code) for item in items},
                    profile={k: data.get(k, "") for k in services.PROFILE_FIELDS},
                    comment=data.get("comment", ""),
                    channel=SurveyResponse.Channel.KIOSK
                    if kiosk
                    else (SurveyResponse.Channel.VISIT if ref else SurveyResponse.Channel.LINK),
                    visit_ref=visit_ref,
                )
            except DomainError as exc:
                error = exc.message
                for item in exc.errors:
                    if item.field in form.fields:
                        form.add_error(item.field, item.message)
                status = exc.status
            else:
                target = f"/survei/isi/{agency.code}/terima-kasih/"
                return HttpResponseRedirect(target + ("?kios=1" if kiosk else ""))
        else:
            status = 400
    return render(
        request,
        "surveys/form.html",
        {
            "agency": agency,
            "service": service,
            "form": form,
            "kiosk": kiosk,
            "ref": ref,
            "error": error,
            "query": request.GET.urlencode(),
        },
        status=status,
    )


def survey_thanks(request: HttpRequest, agency_code: str) -> HttpResponse:
    agency = _agency(home_region(), agency_code)
    kiosk = request.GET.get("kios") == "1"
    return render(request, "surveys/thanks.html", {"agency": agency, "kiosk": kiosk})


def _report_params(request: HttpRequest) -> dict[str, Any]:
    region = home_region()
    today = local_today()
    period = parse_period(request.GET.get("periode", "")) or Period("year", today.year)
    agency = None
    code = request.GET.get("instansi", "")[:40]
    if code:
        agency = _agency(region, code)
    service = None
    service_code = request.GET.get("layanan", "")[:80]
    if service_code:
        service = (
            Service.objects.filter(region=region, code=service_code)
            .select_related("agency")
            .first()
        )
        if service is None:
            raise Http404
    hall = None
    hall_code = request.GET.get("gedung", "")[:40]
    if hall_code:
        hall = Hall.objects.filter(region=region, code=hall_code).first()
        if hall is None:
            raise Http404
    raw_population = request.GET.get("pengguna", "").strip()
    population = (
        int(raw_population) if raw_population.isdigit() and len(raw_population) < 10 else None
    )
    return {
        "region": region,
        "period": period,
        "agency": agency,
        "service": service,
        "hall": hall,
        "population": population,
    }


def _report(request: HttpRequest) -> tuple[selectors.Report, bool]:
    params = _report_params(request)
    agency = params["agency"] or (params["service"].agency if params["service"] else None)
    manager = agency is not None and can_manage_agency(request.user, agency)
    plans = (
        selectors.plans_for(agency=agency, period=params["period"], published_only=not manager)
        if agency is not None
        else None
    )
    return selectors.build_report(**params, plans=plans), manager


def survey_report(request: HttpRequest) -> HttpResponse:
    report, manager = _report(request)
    region = report.region
    context: dict[str, Any] = {
        "report": report,
        "manager": manager,
        "agencies": Agency.objects.filter(region=region).order_by("name"),
        "periods": _period_choices(report.period.year),
        "query": request.GET.urlencode(),
        "sample_warning": not_enough_message(report),
    }
    if manager and report.agency is not None:
        qs = selectors.responses(
            region=region, period=report.period, agency=report.agency, service=report.service
        )
        context["comments"] = selectors.comments(qs)
        lowest = report.result.lowest()
        context["plan_form"] = PlanForm(
            initial={"period": report.period.key, "unsur_code": lowest[0] if lowest else "U1"}
        )
    return render(request, "surveys/report.html", context)


def _period_choices(year: int) -> list[tuple[str, str]]:
    choices = []
    for y in (year - 1, year, year + 1):
        choices.append((str(y), Period("year", y).label))
        choices += [(p.key, p.label) for p in Period("year", y).parts("semester")]
        choices += [(p.key, p.label) for p in Period("year", y).parts("quarter")]
    return choices


def survey_report_xlsx(request: HttpRequest) -> HttpResponse:
    report, _manager = _report(request)
    content = report_xlsx(report)
    name = f"skm-{report.agency.code if report.agency else 'daerah'}-{report.period.key}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def plan_create(request: HttpRequest, agency_code: str) -> HttpResponse:
    agency = _agency(home_region(), agency_code)
    if not can_manage_agency(request.user, agency):
        raise Http404
    form = PlanForm(request.POST)
    back = f"/survei/hasil/?instansi={agency.code}&periode={request.POST.get('period', '')[:10]}"
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_plan_create(
                user=request.user,
                agency=agency,
                period=data["period"],
                unsur_code=data["unsur_code"],
                finding=data["finding"],
                action=data["action"],
                responsible=data["responsible"],
                target_date=data["target_date"],
            )
        except DomainError as exc:
            return render(
                request,
                "surveys/plan_error.html",
                {"errors": exc.errors or [exc], "back": back},
                status=400,
            )
        return HttpResponseRedirect(back)
    return render(
        request,
        "surveys/plan_error.html",
        {"form_errors": form.errors, "back": back},
        status=400,
    )


@login_required
@require_POST
def plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    try:
        plan = access_plan_by_id(user=request.user, plan_id=plan_id)
        services.follow_up_plan_publish(
            user=request.user, plan=plan, status=request.POST.get("status", "")[:12]
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status)
    return HttpResponseRedirect(f"/survei/hasil/?instansi={plan.agency.code}&periode={plan.period}")


def not_enough_message(report: selectors.Report) -> str:
    sample = report.sample
    if sample.enough is False:
        return _(
            "Responden baru %(n)d dari minimal %(min)d (Krejcie & Morgan untuk %(pop)d pengguna "
            "layanan). Hasil belum mewakili."
        ) % {"n": sample.responses, "min": sample.minimum, "pop": sample.population}
    return ""
