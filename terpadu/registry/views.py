from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from terpadu.accounts.models import current_user
from terpadu.core.errors import NotFound
from terpadu.registry.access import RESIDENT_READERS, access_resident_by_id
from terpadu.registry.selectors import resident_search


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
