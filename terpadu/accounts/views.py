"""Login, logout and the role home page."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from terpadu.accounts import services
from terpadu.accounts.home import ROLE_INTRO, cards_for
from terpadu.accounts.models import Role, current_user
from terpadu.core.http import client_address


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, max_length=128)


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        address = client_address(request)
        if services.login_is_throttled(username=username, address=address):
            form.add_error(
                None, _("Terlalu banyak percobaan masuk yang gagal. Coba lagi 15 menit lagi.")
            )
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(username=username, address=address)
                form.add_error(None, _("Nama pengguna atau kata sandi salah."))
                status = 400
            else:
                services.login_failures_clear(username=username)
                login(request, user)
                return HttpResponseRedirect(next_url or "/beranda/")
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("/")


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(
        request,
        "accounts/home.html",
        {"intro": ROLE_INTRO.get(Role(user.role), ""), "cards": cards_for(user)},
    )
