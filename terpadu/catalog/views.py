"""Public catalogue pages (/layanan/…) and the agencies' maintenance pages (/kantor/layanan/…)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.accounts.models import current_user
from terpadu.catalog import selectors
from terpadu.catalog.access import (
    access_agency_by_id,
    access_service_by_id,
    can_import,
    can_publish,
    is_catalog_editor,
)
from terpadu.catalog.content import LABELS, management_missing
from terpadu.catalog.forms import ImportForm, PublishForm, ServiceEditForm
from terpadu.catalog.models import MANAGEMENT_FIELDS, Service, ServiceVersion
from terpadu.catalog.services import (
    latest_version,
    service_update,
    service_version_draft_update,
    service_version_publish,
    version_content,
)
from terpadu.core.errors import DomainError, NotFound

# --------------------------------------------------------------------------- helpers


def _region(request: HttpRequest) -> Any:
    try:
        return selectors.public_region(request.user)
    except NotFound:
        raise Http404 from None


def _optional_url(name: str, service: Service) -> str:
    """The URL of another app's page for this service, or "" while that app does not exist."""
    for kwargs in ({"service_id": service.pk}, {"code": service.code}, None):
        try:
            url = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
        except NoReverseMatch:
            continue
        return url if kwargs else f"{url}?layanan={service.pk}"
    return ""


def service_actions(service: Service) -> list[dict[str, str]]:
    """Links the queue and application apps add once they exist ("Ambil antrean", "Ajukan daring")."""
    actions = []
    if service.booking_available:
        url = _optional_url("queueing:booking_new", service)
        if url:
            actions.append({"url": url, "label": _("Ambil antrean / pesan jadwal")})
    if service.online_available:
        url = _optional_url("applications:apply", service)
        if url:
            actions.append({"url": url, "label": _("Ajukan daring")})
    return actions


def management_rows(version: ServiceVersion) -> list[tuple[str, str]]:
    return [(LABELS[name], getattr(version, name)) for name in MANAGEMENT_FIELDS]


# --------------------------------------------------------------------------- public pages


def catalog_home(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    return render(
        request,
        "catalog/home.html",
        {
            "region": region,
            "categories": selectors.category_public_list(region=region),
            "life_events": selectors.life_event_list(region=region),
            "agencies": selectors.agency_public_list(region=region),
            "query": "",
        },
    )


def catalog_search(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    query = request.GET.get("q", "").strip()[:200]
    hits = selectors.catalog_search(region=region, query=query, limit=20) if query else []
    context = {"region": region, "query": query, "hits": hits}
    if request.headers.get("HX-Request") == "true":
        return render(request, "catalog/search.html#results", context)
    return render(request, "catalog/search.html", context)


def agency_services(request: HttpRequest, agency_code: str) -> HttpResponse:
    region = _region(request)
    try:
        agency = selectors.agency_public_get(region=region, code=agency_code)
    except NotFound:
        raise Http404 from None
    services = selectors.service_public_list(region=region, agency=agency)
    return render(
        request,
        "catalog/service_list.html",
        {
            "title": agency.name,
            "subtitle": agency.opening_hours,
            "agency": agency,
            "services": services,
        },
    )


def category_services(request: HttpRequest, slug: str) -> HttpResponse:
    region = _region(request)
    try:
        category = selectors.category_public_get(region=region, slug=slug)
    except NotFound:
        raise Http404 from None
    services = selectors.service_public_list(region=region, category=category)
    return render(
        request,
        "catalog/service_list.html",
        {"title": category.name, "subtitle": category.description, "services": services},
    )


def life_event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = _region(request)
    try:
        event, steps = selectors.life_event_detail(region=region, slug=slug)
    except NotFound:
        raise Http404 from None
    return render(request, "catalog/life_event.html", {"event": event, "steps": steps})


def _public_service(request: HttpRequest, code: str) -> Service:
    try:
        return selectors.service_public_detail(region=_region(request), code=code)
    except NotFound:
        raise Http404 from None


def _upcoming_for_editor(request: HttpRequest, service: Service) -> list[ServiceVersion]:
    """Versions not yet in force, for an officer who maintains this service (else nothing)."""
    if not is_catalog_editor(current_user(request)):
        return []
    try:
        access_service_by_id(user=request.user, service_id=service.pk)
    except NotFound:
        return []
    return selectors.service_upcoming_versions(service=service)


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = _public_service(request, code)
    version = service.current_version
    assert version is not None
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "version": version,
            "management": management_rows(version),
            "actions": service_actions(service),
            "counters": list(service.counters.all()),
            "points": [p for p in service.service_points.all() if p.kind != "hall"],
            "life_events": list(service.life_events.all()),
            "upcoming": _upcoming_for_editor(request, service),
        },
    )


def service_print(request: HttpRequest, code: str) -> HttpResponse:
    service = _public_service(request, code)
    version = service.current_version
    assert version is not None
    return render(
        request,
        "catalog/service_print.html",
        {"service": service, "version": version, "management": management_rows(version)},
    )


# --------------------------------------------------------------------------- office pages


def _editor(request: HttpRequest) -> Any:
    user = current_user(request)
    if not is_catalog_editor(user):
        raise Http404
    return user


@login_required
def office_service_list(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    query = request.GET.get("q", "").strip()[:100]
    services = selectors.service_office_list(user=user, query=query)
    return render(
        request,
        "catalog/office_list.html",
        {"services": services, "query": query, "can_import": can_import(user)},
    )


def _access(request: HttpRequest, service_id: int) -> Service:
    try:
        return access_service_by_id(user=request.user, service_id=service_id)
    except NotFound:
        raise Http404 from None


@login_required
def office_service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    user = _editor(request)
    service = _access(request, service_id)
    draft = selectors.service_draft(service=service)
    base = latest_version(service)  # a new draft starts from it (scheduled or in force)
    shown = draft or base
    status = 200
    if request.method == "POST":
        form = ServiceEditForm(request.POST, region_id=service.region_id)
        if form.is_valid():
            try:
                with transaction.atomic():
                    service_update(actor=user, service=service, **form.identity_data())
                    service_version_draft_update(
                        actor=user,
                        service=service,
                        content=form.content_data(),
                        change_note=form.cleaned_data["change_note"],
                    )
            except DomainError as exc:
                for err in exc.errors:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                return redirect(reverse("catalog:office_edit", args=[service.pk]) + "?disimpan=1")
        status = 400
    else:
        form = ServiceEditForm(
            initial=ServiceEditForm.initial_for(service, shown), region_id=service.region_id
        )
    return render(
        request,
        "catalog/office_edit.html",
        {
            "service": service,
            "draft": draft,
            "form": form,
            "publish_form": PublishForm(),
            "can_publish": can_publish(user, service) and draft is not None,
            "is_head": can_publish(user, service),
            "versions": selectors.service_versions(service=service),
            "base": base,
            "upcoming": selectors.service_upcoming_versions(service=service),
            "missing": [LABELS[m] for m in management_missing(version_content(shown))]
            if shown
            else [],
            "saved": request.GET.get("disimpan"),
            "published": request.GET.get("terbit"),
        },
        status=status,
    )


@login_required
@require_POST
def office_service_publish(request: HttpRequest, service_id: int) -> HttpResponse:
    user = _editor(request)
    service = _access(request, service_id)
    form = PublishForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            service_version_publish(
                actor=user,
                service=service,
                effective_date=form.cleaned_data["effective_date"],
                change_note=form.cleaned_data["change_note"],
            )
        except DomainError as exc:
            errors = [f"{LABELS.get(e.field, '')}: {e.message}".lstrip(": ") for e in exc.errors]
            errors = errors or [exc.message]
            status = exc.status
        else:
            return redirect(reverse("catalog:office_edit", args=[service.pk]) + "?terbit=1")
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]
        status = 400
    return render(
        request,
        "catalog/office_publish_error.html",
        {"service": service, "errors": errors},
        status=status,
    )


@login_required
def office_import(request: HttpRequest) -> HttpResponse:
    from terpadu.catalog.spreadsheet import SpreadsheetError, catalog_import

    user = current_user(request)
    if not can_import(user):
        raise Http404
    result = None
    status = 200
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = catalog_import(
                    actor=user,
                    region=selectors.public_region(user),
                    data=upload.read(),
                    filename=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except SpreadsheetError as exc:
                form.add_error("file", str(exc))
                status = 400
            else:
                status = 200 if result.ok else 400
        else:
            status = 400
    return render(
        request, "catalog/office_import.html", {"form": form, "result": result}, status=status
    )


@login_required
def office_export(request: HttpRequest) -> HttpResponse:
    from terpadu.catalog.spreadsheet import CONTENT_TYPES, export_catalog

    user = _editor(request)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    agency = None
    if user.agency_id:
        try:
            agency = access_agency_by_id(user=user, agency_id=user.agency_id)
        except NotFound:
            raise Http404 from None
    region = selectors.public_region(user)
    body = export_catalog(region=region, agency=agency, fmt=fmt)
    name = f"katalog-{agency.code if agency else region.code}.{fmt}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
