"""Public landing page, health check, and agencies' internal pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from terpadu.accounts.models import current_user
from terpadu.core.access import AGENCY_EDITORS, access_agency_by_id, agencies_for_user
from terpadu.core.errors import DomainError, NotFound
from terpadu.core.services import agency_update


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("/beranda/")
    return render(request, "core/landing.html")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True, "database": connection.vendor})


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = agencies_for_user(request.user)
    return render(request, "core/agency_list.html", {"agencies": agencies})


class AgencyForm(forms.Form):
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    opening_hours = forms.CharField(label=_("Jam layanan"), max_length=200, required=False)


@login_required
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    try:
        agency = access_agency_by_id(user=request.user, agency_id=agency_id)
    except NotFound:
        raise Http404 from None
    user = current_user(request)
    can_edit = user.role in AGENCY_EDITORS
    form = AgencyForm(
        initial={k: getattr(agency, k) for k in ("address", "phone", "email", "opening_hours")}
    )
    status = 200
    if request.method == "POST":
        try:
            agency = access_agency_by_id(user=request.user, agency_id=agency_id, for_change=True)
        except NotFound:
            raise Http404 from None
        form = AgencyForm(request.POST)
        if form.is_valid():
            try:
                agency_update(agency=agency, actor=request.user, data=form.cleaned_data)
            except DomainError as exc:
                for err in exc.errors:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                return redirect(f"/kantor/instansi/{agency.pk}/?disimpan=1")
        status = 400
    staff = agency.staff.order_by("role", "username")
    return render(
        request,
        "core/agency_detail.html",
        {
            "agency": agency,
            "form": form,
            "can_edit": can_edit,
            "staff": staff,
            "saved": request.GET.get("disimpan"),
        },
        status=status,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
