"""Pages of the hall e-queue: kiosk, printable ticket, live ticket page, board, console, front desk, bookings.

Every page works without JavaScript (forms post and redirect; the board and the
ticket page refresh themselves with <meta refresh> inside <noscript>); htmx and
two small ES modules (board.js speaks calls, console.js adds shortcuts) only
make them nicer.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from terpadu.accounts.models import current_user
from terpadu.catalog.models import Hall, Service
from terpadu.core.errors import DomainError, NotFound
from terpadu.core.http import client_address
from terpadu.queueing import selectors, services, ticketpage
from terpadu.queueing.access import (
    access_booking_by_token,
    access_counter_by_id,
    access_hall_by_id,
    halls_for_user,
    may_issue,
)
from terpadu.queueing.models import (
    CITIZEN_PRIORITY_REASONS,
    CounterState,
    PriorityReason,
    Ticket,
    TicketNotice,
)

KIOSK_COOKIE = "terpadu_kiosk"
KIOSK_SALT = "terpadu.queueing.kiosk"
PRIORITY_CHOICES = [("", _("Tidak"))] + [(r.value, r.label) for r in CITIZEN_PRIORITY_REASONS]


def _hall_or_404(hall_id: int) -> Hall:
    hall = Hall.objects.select_related("region").filter(pk=hall_id).first()
    if hall is None:
        raise Http404
    return hall


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _status(request: HttpRequest, exc: DomainError) -> int:
    """htmx swaps only 2xx answers; a plain form post gets the honest status."""
    return 200 if _is_htmx(request) else exc.status


# --- public: halls, live ticket, printable ticket, board ----------------------------


def hall_list(request: HttpRequest) -> HttpResponse:
    halls = Hall.objects.select_related("region").order_by("name")
    return render(request, "queueing/hall_list.html", {"halls": halls})


def ticket_live(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's live ticket page; htmx polls its status block (ETag, 304 when unchanged).

    The lean path (``queueing/lean.py``) answers the poll the same way without
    Django's request cycle; this view is the fallback and serves the full page.
    """
    state = ticketpage.ticket_state(token)
    if state is None:
        raise Http404
    html = ticketpage.fragment(state)
    if _is_htmx(request):
        tag = ticketpage.etag(state, translation.get_language() or settings.LANGUAGE_CODE)
        if request.headers.get("If-None-Match") == tag:
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(html)
        response["ETag"] = tag
        for name, value in ticketpage.POLL_HEADERS:
            response[name] = value
        return response
    return _render_live(request, state, html)


def _render_live(
    request: HttpRequest,
    state: ticketpage.TicketState,
    html: str,
    *,
    error: str = "",
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    notice = (
        TicketNotice.objects.filter(ticket__token=state.token).only("masked", "queued_at").first()
    )
    return render(
        request,
        "queueing/ticket_live.html",
        {
            "t": state,
            "status_html": mark_safe(html),  # noqa: S308  (escaped in fragment())
            "notice": notice,
            "notice_saved": request.GET.get("pemberitahuan") == "1",
            "error": error,
            "errors": errors or {},
            "phone": request.POST.get("hp", ""),
            "channels": TicketNotice.Channel.choices,
        },
        status=status,
    )


@require_POST
def ticket_notice(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen leaves a number for one message when the ticket is 3rd in line."""
    ticket = Ticket.objects.filter(token=token).only("pk").first()
    state = ticketpage.ticket_state(token)
    if ticket is None or state is None:
        raise Http404
    try:
        services.ticket_notice_set(
            ticket_id=ticket.pk,
            phone=request.POST.get("hp", ""),
            channel=request.POST.get("saluran", ""),
            actor=request.user,
        )
    except DomainError as exc:
        errors = {e.field: e.message for e in exc.errors}
        return _render_live(
            request,
            state,
            ticketpage.fragment(state),
            error=exc.message,
            errors=errors,
            status=exc.status,
        )
    return redirect(f"/antrean/tiket/{token}/?pemberitahuan=1")


_STATUS_SQL = """
SELECT t.letter, t.number, t.status, c.number
FROM queueing_ticket t LEFT JOIN catalog_counter c ON c.id = t.counter_id
WHERE t.token = %s
"""


def ticket_status_json(request: HttpRequest, token: str) -> JsonResponse:
    """The cheapest poll: one indexed read by token (hardware displays; the benchmark's baseline)."""
    with connection.cursor() as cursor:
        cursor.execute(_STATUS_SQL, [token])
        row = cursor.fetchone()
    if row is None:
        return JsonResponse({"code": "not_found", "detail": "Data tidak ditemukan."}, status=404)
    return JsonResponse(
        {"label": f"{row[0]}-{row[1]:03d}", "status": row[2], "counter_number": row[3]}
    )


def qr_svg(url: str) -> str:
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=8,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    return str(image.to_string(encoding="unicode"))


def ticket_print(request: HttpRequest, token: str) -> HttpResponse:
    ticket = Ticket.objects.select_related("hall", "group", "service").filter(token=token).first()
    if ticket is None:
        raise Http404
    width = "80" if request.GET.get("lebar") == "80" else "58"
    url = f"{settings.BASE_URL}/antrean/tiket/{ticket.token}/"
    ahead = Ticket.objects.filter(
        group_id=ticket.group_id, status=Ticket.Status.WAITING, id__lt=ticket.pk
    ).count()
    return render(
        request,
        "queueing/ticket_print.html",
        {
            "ticket": ticket,
            "width": width,
            "qr": mark_safe(qr_svg(url)),  # noqa: S308  (SVG generated by qrcode from our own URL)
            "url": url,
            "ahead": ahead,
            "from_kiosk": request.GET.get("dari") == "kios",
            "autoprint": request.GET.get("cetak") == "1",
        },
    )


def board_page(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = _hall_or_404(hall_id)
    return render(
        request,
        "queueing/board.html",
        {"hall": hall, "board": selectors.board(hall)},
    )


# --- kiosk -----------------------------------------------------------------------------


def _kiosk_allowed(request: HttpRequest, hall: Hall) -> bool:
    if may_issue(request.user, hall):
        return True
    try:
        value = request.get_signed_cookie(KIOSK_COOKIE, salt=KIOSK_SALT)
    except (KeyError, signing.BadSignature):
        return False
    return value == str(hall.pk)


def kiosk_unlock(request: HttpRequest, hall_id: int) -> HttpResponse:
    """A kiosk device opens /antrean/<hall>/kios/buka/?kunci=<key> once; the cookie lets it issue tickets."""
    hall = _hall_or_404(hall_id)
    key = services.hall_settings(hall).kiosk_key
    given = request.GET.get("kunci", "")
    if not key or not given or not hmac.compare_digest(key, given):
        raise Http404
    response = redirect(f"/antrean/{hall.pk}/kios/")
    response.set_signed_cookie(
        KIOSK_COOKIE,
        str(hall.pk),
        salt=KIOSK_SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _kiosk_context(hall: Hall, **extra: Any) -> dict[str, Any]:
    return {
        "hall": hall,
        "groups": selectors.hall_groups(hall),
        "priority_choices": PRIORITY_CHOICES,
        **extra,
    }


def kiosk(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = _hall_or_404(hall_id)
    if not _kiosk_allowed(request, hall):
        raise Http404
    if request.method == "POST":
        reason = request.POST.get("prioritas", "")
        try:
            if reason and reason not in {r.value for r in CITIZEN_PRIORITY_REASONS}:
                raise services.domain_error(
                    "invalid", "priority_reason", "Pilihan prioritas tidak dikenal.", "Unknown."
                )
            group_id = int(request.POST.get("group_id") or 0) or None
            phone = request.POST.get("hp", "").strip()
            channel = request.POST.get("saluran", "whatsapp")
            issued = services.ticket_issue_with_notice(
                actor=request.user,
                hall=hall,
                group_id=group_id,
                priority_reason=reason,
                source=Ticket.Source.KIOSK,
                notify_phone=phone,
                notify_channel=channel,
            )
        except (DomainError, ValueError) as exc:
            message = exc.message if isinstance(exc, DomainError) else _("Pilihan tidak valid.")
            status = exc.status if isinstance(exc, DomainError) else 400
            fields = (
                {e.field: e.message for e in exc.errors} if isinstance(exc, DomainError) else {}
            )
            if "phone" in fields or "channel" in fields:
                message = fields.get("phone") or fields.get("channel") or message
            return render(
                request,
                "queueing/kiosk.html",
                _kiosk_context(hall, error=message, phone=request.POST.get("hp", "")),
                status=status,
            )
        return redirect(f"/antrean/tiket/{issued.token}/cetak/?dari=kios&cetak=1")
    return render(request, "queueing/kiosk.html", _kiosk_context(hall))


@require_POST
def kiosk_checkin(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = _hall_or_404(hall_id)
    if not _kiosk_allowed(request, hall):
        raise Http404
    code = request.POST.get("kode", "")
    try:
        _booking, issued = services.booking_checkin(actor=request.user, hall=hall, code=code)
    except DomainError as exc:
        return render(
            request,
            "queueing/kiosk.html",
            _kiosk_context(hall, checkin_error=exc.message, code=code),
            status=exc.status,
        )
    return redirect(f"/antrean/tiket/{issued.token}/cetak/?dari=kios&cetak=1")


# --- officer console ---------------------------------------------------------------------


def _counter_or_404(request: HttpRequest, counter_id: int) -> Any:
    try:
        return access_counter_by_id(user=request.user, counter_id=counter_id)
    except NotFound:
        raise Http404 from None


def _render_console(
    request: HttpRequest, ctx: Any, *, error: str = "", status: int = 200, notice: str = ""
) -> HttpResponse:
    data = selectors.console(ctx)
    template = "queueing/console.html"
    if request.GET.get("bagian") == "menunggu":
        template += "#waiting"
    return render(
        request,
        template,
        {
            "c": data,
            "error": error,
            "notice": notice or request.GET.get("info", ""),
            "priority_labels": dict(PriorityReason.choices),
            "statuses": CounterState.Status,
        },
        status=status,
    )


@login_required
def console(request: HttpRequest, counter_id: int) -> HttpResponse:
    ctx = _counter_or_404(request, counter_id)
    return _render_console(request, ctx)


@login_required
@require_POST
def console_action(request: HttpRequest, counter_id: int, action: str) -> HttpResponse:
    ctx = _counter_or_404(request, counter_id)
    user = current_user(request)
    notice = ""
    try:
        if action == "panggil":
            result = services.ticket_call_next(actor=user, counter=ctx)
            if result.called is None:
                notice = str(_("Tidak ada antrean yang menunggu."))
        elif action == "panggil-tiket":
            try:
                ticket_id = int(request.POST.get("ticket_id", ""))
            except ValueError:
                raise services.domain_error(
                    "invalid", "ticket_id", "Pilih tiket.", "Choose a ticket."
                ) from None
            services.ticket_call(actor=user, counter=ctx, ticket_id=ticket_id)
        elif action == "ulang":
            services.ticket_recall(actor=user, counter=ctx)
        elif action == "mulai":
            services.ticket_start(actor=user, counter=ctx)
        elif action == "selesai":
            services.ticket_finish(actor=user, counter=ctx)
        elif action == "tidak-hadir":
            services.ticket_skip(actor=user, counter=ctx)
        elif action == "pindah":
            try:
                to_group = int(request.POST.get("to_group_id") or 0) or None
            except ValueError:
                to_group = None
            successor = services.ticket_transfer(
                actor=user,
                counter=ctx,
                to_group_id=to_group,
                reason=request.POST.get("reason", ""),
                to_front=request.POST.get("to_front") == "1",
            )
            notice = str(_("Dipindahkan; nomor baru %(label)s.")) % {
                "label": f"{successor.letter}-{successor.number:03d}"
            }
        elif action == "status":
            services.counter_set_status(
                actor=user,
                counter=ctx,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
        else:
            raise Http404
    except DomainError as exc:
        fresh = access_counter_by_id(user=user, counter_id=counter_id)
        details = "; ".join(e.message for e in exc.errors if e.message != exc.message)
        message = f"{exc.message} {details}".strip() if details else exc.message
        return _render_console(request, fresh, error=message, status=_status(request, exc))
    target = f"/kantor/loket/{counter_id}/"
    if notice:
        target += "?" + urlencode({"info": notice})
    return redirect(target)


# --- front desk and hall overview ----------------------------------------------------------


@login_required
def desk_halls(request: HttpRequest) -> HttpResponse:
    halls = list(halls_for_user(request.user).order_by("name"))
    if len(halls) == 1:
        return redirect(f"/kantor/antrean/{halls[0].pk}/")
    return render(request, "queueing/desk_halls.html", {"halls": halls})


class DeskIssueForm(forms.Form):
    group_id = forms.TypedChoiceField(label=_("Kelompok loket"), coerce=int)
    priority_reason = forms.ChoiceField(
        label=_("Prioritas"), choices=PRIORITY_CHOICES, required=False
    )


@login_required
def front_desk(request: HttpRequest, hall_id: int) -> HttpResponse:
    try:
        hall = access_hall_by_id(user=request.user, hall_id=hall_id)
    except NotFound:
        raise Http404 from None
    can_issue = may_issue(request.user, hall)
    groups = selectors.hall_groups(hall)
    form = DeskIssueForm(request.POST or None)
    choices = [(g.pk, f"{g.letter} · {g.name}") for g in groups]
    form.fields["group_id"].choices = choices  # type: ignore[attr-defined]
    issued = None
    status = 200
    if request.method == "POST":
        if not can_issue:
            raise Http404
        if form.is_valid():
            try:
                issued = services.ticket_issue(
                    actor=request.user,
                    hall=hall,
                    group_id=form.cleaned_data["group_id"],
                    priority_reason=form.cleaned_data["priority_reason"] or "",
                    source=Ticket.Source.FRONT_DESK,
                )
            except DomainError as exc:
                for err in exc.errors:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
                status = exc.status
        else:
            status = 400
    return render(
        request,
        "queueing/front_desk.html",
        {
            "hall": hall,
            "form": form,
            "can_issue": can_issue,
            "issued": issued,
            "overview": selectors.hall_overview(hall),
            "kiosk_key": services.hall_settings(hall).kiosk_key
            if current_user(request).role in ("supervisor", "admin")
            else "",
        },
        status=status,
    )


# --- bookings --------------------------------------------------------------------------------


class BookingForm(forms.Form):
    start = forms.TimeField(label=_("Jam"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("Nama"), max_length=120)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20)


def booking_start(request: HttpRequest, hall_id: int) -> HttpResponse:
    """Choose a service → a day → a slot (three GET steps, then one POST)."""
    hall = _hall_or_404(hall_id)
    services_list = selectors.bookable_services(hall)
    service: Service | None = None
    day: dt.date | None = None
    try:
        service_id = int(request.GET.get("layanan") or request.POST.get("layanan") or 0)
    except ValueError:
        service_id = 0
    if service_id:
        service = next((s for s in services_list if s.pk == service_id), None)
        if service is None:
            raise Http404
    days = selectors.bookable_days(hall) if service else []
    raw_day = request.GET.get("tanggal") or request.POST.get("tanggal") or ""
    if service and raw_day:
        try:
            day = dt.date.fromisoformat(raw_day)
        except ValueError:
            day = None
    slots = selectors.slots(hall=hall, service=service, date=day) if service and day else []
    form = BookingForm(request.POST or None)
    form.fields["start"].widget.choices = [
        (s.start.strftime("%H:%M"), s.start.strftime("%H.%M")) for s in slots if s.available
    ]
    status = 200
    if request.method == "POST" and service and day:
        if form.is_valid():
            try:
                booking = services.booking_create(
                    actor=request.user,
                    hall=hall,
                    service=service,
                    date=day,
                    start=form.cleaned_data["start"],
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    source_key=services.address_key(client_address(request)),
                )
            except DomainError as exc:
                for err in exc.errors:
                    field = {"date": None, "booking": None}.get(err.field, err.field)
                    form.add_error(field if field in form.fields else None, err.message)
                status = exc.status
            else:
                return redirect(f"/antrean/janji/{booking.token}/")
        else:
            status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "queueing/booking.html",
        {
            "hall": hall,
            "services": services_list,
            "service": service,
            "days": days,
            "day": day,
            "slots": slots,
            "form": form,
        },
        status=status,
    )


def booking_detail(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = access_booking_by_token(token=token)
    except NotFound:
        raise Http404 from None
    error = ""
    status = 200
    if request.method == "POST":
        try:
            booking = services.booking_cancel(actor=request.user, booking=booking)
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect(f"/antrean/janji/{booking.token}/?dibatalkan=1")
    return render(
        request,
        "queueing/booking_detail.html",
        {
            **selectors.booking_view(booking),
            "error": error,
            "cancelled_now": request.GET.get("dibatalkan"),
            "now": timezone.now(),
        },
        status=status,
    )
