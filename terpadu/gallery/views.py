"""Public gallery pages (/inovasi/…) and the agencies' editing pages (/kantor/inovasi/…)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.accounts.models import current_user
from terpadu.core.errors import DomainError, NotFound
from terpadu.core.workdays import local_today
from terpadu.gallery import charts, measures, selectors, services
from terpadu.gallery.access import (
    access_innovation_by_id,
    access_innovation_by_slug,
    agencies_for_editor,
    can_edit,
    innovations_editable_by,
    is_gallery_editor,
)
from terpadu.gallery.forms import (
    AwardForm,
    DocumentForm,
    InnovationForm,
    ManualFigureForm,
    MeasureForm,
    PhotoForm,
    apply_errors,
)
from terpadu.gallery.models import Document, Innovation, Photo, Stage, Theme


def _readable(request: HttpRequest, slug: str) -> Innovation:
    try:
        return access_innovation_by_slug(user=current_user(request), slug=slug)
    except NotFound:
        raise Http404 from None


def _editable(request: HttpRequest, innovation_id: int) -> Innovation:
    try:
        return access_innovation_by_id(user=current_user(request), innovation_id=innovation_id)
    except NotFound:
        raise Http404 from None


def outcome_views(outcomes: list[measures.Outcome]) -> list[dict[str, Any]]:
    return [
        {
            "outcome": o,
            "trend": charts.trend_chart(o),
            "compare": charts.compare_chart(o),
        }
        for o in outcomes
    ]


# --------------------------------------------------------------------------- public


def gallery_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.parse(request.GET)
    cards = selectors.gallery(filters)
    return render(
        request,
        "gallery/list.html",
        {
            "filters": filters,
            "cards": cards,
            "themes": Theme.choices,
            "stages": Stage.choices,
            "impacts": selectors.IMPACT_CHOICES,
            "regions": selectors.regions_with_innovations(),
        },
    )


def innovation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = selectors.innovation_page(_readable(request, slug))
    today = local_today()
    outcomes = measures.outcomes(innovation, today)
    user = current_user(request)
    family = [
        member
        for member in selectors.replications(innovation)
        if member.is_public or member.pk == innovation.pk or can_edit(user, member)
    ]
    side_by_side = []
    if len(family) > 1:
        for member in family:
            side_by_side.append(
                {"innovation": member, "outcomes": measures.outcomes(member, today)}
            )
    return render(
        request,
        "gallery/detail.html",
        {
            "innovation": innovation,
            "outcomes": outcome_views(outcomes),
            "manual": list(innovation.manual_figures.all()),
            "today": today,
            "side_by_side": side_by_side,
            "can_edit": can_edit(user, innovation),
        },
    )


def photo_file(request: HttpRequest, slug: str, photo_id: int) -> FileResponse:
    innovation = _readable(request, slug)
    photo = Photo.objects.filter(innovation=innovation, pk=photo_id).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=86400" if innovation.is_public else "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_file(request: HttpRequest, slug: str, document_id: int) -> FileResponse:
    innovation = _readable(request, slug)
    document = Document.objects.filter(innovation=innovation, pk=document_id).first()
    if document is None:
        raise Http404
    ext = str(document.file.name).rsplit(".", 1)[-1]
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=document.content_type != "application/pdf",
        filename=f"{innovation.slug}-{document.pk}.{ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------- office


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not is_gallery_editor(user):
        raise Http404
    items = innovations_editable_by(user).order_by("name")
    return render(request, "gallery/office_list.html", {"innovations": items})


@login_required
def office_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not is_gallery_editor(user):
        raise Http404
    agencies = agencies_for_editor(user)
    form = InnovationForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        try:
            innovation = services.innovation_create(actor=user, agency=agency, **data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("gallery:office_edit", innovation_id=innovation.pk)
    return render(request, "gallery/office_new.html", {"form": form})


def _sub_forms(innovation: Innovation, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    return {
        "award_form": bound.get("award") or AwardForm(prefix="award"),
        "photo_form": bound.get("photo") or PhotoForm(prefix="photo"),
        "document_form": bound.get("document") or DocumentForm(prefix="document"),
        "measure_form": bound.get("measure")
        or MeasureForm(prefix="measure", region=innovation.region),
        "figure_form": bound.get("figure") or ManualFigureForm(prefix="figure"),
    }


def _edit_page(
    request: HttpRequest, innovation: Innovation, form: InnovationForm, **bound: Any
) -> HttpResponse:
    innovation = selectors.innovation_page(innovation)
    status = 400 if (form.errors or any(f.errors for f in bound.values())) else 200
    return render(
        request,
        "gallery/office_edit.html",
        {"innovation": innovation, "form": form, **_sub_forms(innovation, bound)},
        status=status,
    )


@login_required
def office_edit(request: HttpRequest, innovation_id: int) -> HttpResponse:
    user = current_user(request)
    innovation = _editable(request, innovation_id)
    agencies = agencies_for_editor(user)
    form = InnovationForm(request.POST or None, instance=innovation, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("agency")  # moving an innovation to another agency is not offered
        try:
            services.innovation_update(actor=user, innovation=innovation, **data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("gallery:office_edit", innovation_id=innovation.pk)
    return _edit_page(request, innovation, form)


ACTIONS = ("award", "photo", "document", "measure", "figure")


@login_required
@require_POST
def office_add(request: HttpRequest, innovation_id: int, what: str) -> HttpResponse:
    user = current_user(request)
    innovation = _editable(request, innovation_id)
    if what not in ACTIONS:
        raise Http404
    form: Any
    try:
        if what == "award":
            form = AwardForm(request.POST, prefix="award")
            if form.is_valid():
                services.award_add(actor=user, innovation=innovation, **form.cleaned_data)
        elif what == "photo":
            form = PhotoForm(request.POST, request.FILES, prefix="photo")
            if form.is_valid():
                services.photo_add(
                    actor=user,
                    innovation=innovation,
                    upload=form.cleaned_data["photo"],
                    alt_text=form.cleaned_data["alt_text"],
                    caption=form.cleaned_data["caption"],
                )
        elif what == "document":
            form = DocumentForm(request.POST, request.FILES, prefix="document")
            if form.is_valid():
                services.document_add(
                    actor=user,
                    innovation=innovation,
                    upload=form.cleaned_data["document"],
                    title=form.cleaned_data["title"],
                )
        elif what == "measure":
            form = MeasureForm(request.POST, prefix="measure", region=innovation.region)
            if form.is_valid():
                services.measure_add(actor=user, innovation=innovation, **form.cleaned_data)
        else:
            form = ManualFigureForm(request.POST, prefix="figure")
            if form.is_valid():
                services.manual_figure_add(actor=user, innovation=innovation, **form.cleaned_data)
    except DomainError as exc:
        apply_errors(form, exc)
    if form.errors:
        page_form = InnovationForm(instance=innovation, agencies=agencies_for_editor(user))
        return _edit_page(request, innovation, page_form, **{what: form})
    return redirect("gallery:office_edit", innovation_id=innovation.pk)


REMOVERS: dict[str, tuple[Any, str]] = {
    "award": (services.award_remove, "award_id"),
    "photo": (services.photo_remove, "photo_id"),
    "document": (services.document_remove, "document_id"),
    "measure": (services.measure_remove, "measure_id"),
    "figure": (services.manual_figure_remove, "figure_id"),
}


@login_required
@require_POST
def office_remove(
    request: HttpRequest, innovation_id: int, what: str, item_id: int
) -> HttpResponse:
    user = current_user(request)
    innovation = _editable(request, innovation_id)
    if what not in REMOVERS:
        raise Http404
    func, key = REMOVERS[what]
    try:
        func(actor=user, innovation=innovation, **{key: item_id})
    except DomainError:
        raise Http404 from None
    return redirect("gallery:office_edit", innovation_id=innovation.pk)


def title_for(innovation: Innovation) -> str:
    return _("Inovasi %(name)s") % {"name": innovation.name}


# --------------------------------------------------------------------------- poster, kit, proposal


def poster_pdf(request: HttpRequest, slug: str, size: str) -> HttpResponse:
    from terpadu.gallery.poster import SIZES, render_poster

    if size not in SIZES:
        raise Http404
    innovation = selectors.innovation_page(_readable(request, slug))
    url = request.build_absolute_uri(innovation_url(innovation))
    pdf = render_poster(innovation, size=size, url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{innovation.slug}-{size}.pdf"'
    return response


def kit_json(request: HttpRequest, slug: str) -> HttpResponse:
    import json

    from terpadu.gallery.kit import export_kit

    innovation = selectors.innovation_page(_readable(request, slug))
    data = export_kit(innovation)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="kit-{innovation.slug}.json"'
    return response


@login_required
def proposal_file(request: HttpRequest, innovation_id: int, fmt: str) -> HttpResponse:
    from terpadu.gallery.proposal import proposal_docx, proposal_pdf

    innovation = selectors.innovation_page(_editable(request, innovation_id))
    if fmt == "docx":
        content = proposal_docx(innovation)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        content = proposal_pdf(innovation)
        ctype = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="proposal-{innovation.slug}.{fmt}"'
    return response


def innovation_url(innovation: Innovation) -> str:
    from django.urls import reverse

    return reverse("gallery:detail", kwargs={"slug": innovation.slug})
