"""Issuing the output document of an approved application (called by the transition service)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from terpadu.applications import uploads
from terpadu.applications.documents import render_pdf, template_for
from terpadu.applications.models import Application, IssuedDocument
from terpadu.applications.sla import local_day
from terpadu.core.audit import audit_record


def _number(application: Application, prefix: str, year: int, attempt: int) -> str:
    count = IssuedDocument.objects.filter(
        agency_id=application.agency_id, number__endswith=f"/{year}"
    ).count()
    agency = (application.agency.code or "OPD").upper()[:20]
    return f"{prefix}/{count + 1 + attempt:05d}/{agency}/{year}"


def document_issue(
    *, actor: Any, application: Application, now: datetime, saved: list[str] | None = None
) -> IssuedDocument:
    """Number, render and store the PDF; inside the caller's transaction."""
    existing = IssuedDocument.objects.filter(application=application).first()
    if existing is not None:
        return existing
    title, body, prefix = template_for(application)
    year = local_day(now).year
    document: IssuedDocument | None = None
    for attempt in range(10):
        try:
            with transaction.atomic():
                document = IssuedDocument.objects.create(
                    application=application,
                    agency_id=application.agency_id,
                    number=_number(application, prefix, year, attempt),
                    title=title,
                    issued_at=now,
                    issued_by=actor if getattr(actor, "pk", None) else None,
                    file="",
                    sha256="",
                )
            break
        except IntegrityError:
            continue
    if document is None:  # pragma: no cover - ten concurrent issues of the same number
        raise RuntimeError("could not number the document")
    signer = actor.get_full_name() or actor.get_username() if getattr(actor, "pk", None) else ""
    pdf = render_pdf(
        application=application,
        document_id=document.pk,
        number=document.number,
        title=title,
        body=body,
        issued_at=now,
        signer=signer,
    )
    name = uploads.storage().save(
        f"documents/{application.pk}/{document.pk}-{application.code}.pdf", ContentFile(pdf)
    )
    if saved is not None:
        saved.append(name)
    document.file = name
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.save(update_fields=["file", "sha256"])
    audit_record(
        actor=actor,
        action="application.document_issue",
        record_type="applications.issueddocument",
        record_id=document.pk,
        region_code=application.region.code,
        summary={"number": document.number, "application": application.code},
    )
    return document


def document_pdf_bytes(document: IssuedDocument) -> bytes:
    """The stored PDF; documents loaded without a file (demo, imports) are rendered on request."""
    if document.file:
        with uploads.storage().open(str(document.file.name), "rb") as handle:
            return bytes(handle.read())
    application = Application.objects.select_related(
        "agency", "region", "service", "service_version"
    ).get(pk=document.application_id)
    title, body, _prefix = template_for(application)
    signer = ""
    if document.issued_by_id:
        from terpadu.accounts.models import User

        user = User.objects.filter(pk=document.issued_by_id).first()
        signer = (user.get_full_name() or user.get_username()) if user else ""
    return render_pdf(
        application=application,
        document_id=document.pk,
        number=document.number,
        title=document.title or title,
        body=body,
        issued_at=document.issued_at,
        signer=signer,
    )
