from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from terpadu.accounts.models import current_user
from terpadu.core.errors import DomainError, NotFound
from terpadu.registry.access import (
    ACCESS_LOG_READERS,
    RESIDENT_READERS,
    access_log_for_user,
    access_person_by_id,
    access_resident_by_id,
    access_review_pair_by_id,
    can_review,
)
from terpadu.registry.models import ReviewPair
from terpadu.registry.selectors import (
    compare_records,
    next_pending_pair,
    person_links,
    resident_search,
    review_counts,
    review_queue,
)
from terpadu.registry.services import review_decide


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    if current_user(request).role not in RESIDENT_READERS:
        raise Http404
    query = request.GET.get("q", "")[:100]
    results = list(resident_search(user=request.user, query=query))
    return render(request, "registry/resident_list.html", {"query": query, "results": results})


@login_required
def resident_detail(request: HttpRequest, resident_id: int) -> HttpResponse:
    try:
        resident = access_resident_by_id(
            user=request.user, resident_id=resident_id, purpose="lihat data penduduk"
        )
    except NotFound:
        raise Http404 from None
    return render(request, "registry/resident_detail.html", {"resident": resident})


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (ReviewPair.Status.ACCEPTED, _("Orang yang sama")),
            (ReviewPair.Status.REJECTED, _("Orang berbeda")),
            (ReviewPair.Status.UNSURE, _("Belum yakin")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih salah satu keputusan.")},
    )
    note = forms.CharField(label=_("Catatan (boleh kosong)"), max_length=300, required=False)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not can_review(user):
        raise Http404
    status = request.GET.get("status", ReviewPair.Status.PENDING)
    if status not in ReviewPair.Status.values:
        status = ReviewPair.Status.PENDING
    counts = review_counts(user=user)
    return render(
        request,
        "registry/review_list.html",
        {
            "pairs": review_queue(user=user, status=status),
            "status": status,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in ReviewPair.Status.choices],
        },
    )


@login_required
def review_detail(request: HttpRequest, pair_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        pair = access_review_pair_by_id(user=user, pair_id=pair_id)
    except NotFound:
        raise Http404 from None
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_decide(
                pair=pair,
                actor=user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            following = next_pending_pair(user=user, after=pair)
            if following is not None:
                return redirect("registry:review_detail", pair_id=following.pk)
            return redirect("registry:review_list")
    return render(
        request,
        "registry/review_detail.html",
        {
            "pair": pair,
            "rows": compare_records(pair.record_l, pair.record_r),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = access_person_by_id(
            user=request.user, person_id=person_id, purpose="lihat data terpadu"
        )
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "registry/person_detail.html",
        {"person": person, "links": person_links(person=person)},
    )


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.role not in ACCESS_LOG_READERS:
        raise Http404
    entries = list(access_log_for_user(user)[:200])
    return render(request, "registry/access_log.html", {"entries": entries})
