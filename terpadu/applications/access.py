"""Who may see and act on an application, its files and its output document.

- The applicant (a citizen account) sees their own applications, drafts included.
- Officers and the head of the responsible agency see the agency's submitted
  applications and act on them; nobody else's.
- The front desk sees the applications filed at the counter in its regency and
  acts for the applicant there (e.g. sends a correction).
- Supervisors and administrators of the regency read submitted applications
  (not the files: those go only to the applicant and the agency).
- Everything else gets the same NotFound as a missing id.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from terpadu.accounts.models import AGENCY_ROLES, Role
from terpadu.accounts.scope import region_q
from terpadu.applications.models import Application, ApplicationFile, IssuedDocument
from terpadu.applications.workflow import DRAFT
from terpadu.core.errors import NotFound

READER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def _auth(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_agency_user(user: Any) -> bool:
    return _auth(user) and user.role in AGENCY_ROLES


def can_file_at_counter(user: Any) -> bool:
    return _auth(user) and user.role in (Role.FRONT_DESK, Role.ADMIN)


def applications_for_user(user: Any) -> QuerySet[Application]:
    qs = Application.objects.select_related(
        "region", "agency", "service", "service_version", "assigned_to", "ticket"
    )
    if not _auth(user):
        return qs.none()
    if user.role == Role.CITIZEN:
        return qs.filter(applicant=user)
    if user.role in AGENCY_ROLES:
        return qs.filter(region_q(user), agency_id=user.agency_id).exclude(status=DRAFT)
    if user.role == Role.FRONT_DESK:
        return qs.filter(region_q(user)).filter(
            Q(channel=Application.Channel.COUNTER) | Q(filed_by=user)
        )
    if user.role in READER_ROLES or user.is_superuser:
        return qs.filter(region_q(user)).exclude(status=DRAFT)
    return qs.none()


def access_application_by_id(*, user: Any, application_id: int) -> Application:
    """The application if this user may see it; the same NotFound for missing and not yours."""
    application = applications_for_user(user).filter(pk=application_id).first()
    if application is None:
        raise NotFound("application")
    return application


def actor_kinds(user: Any, application: Application) -> set[str]:
    """The workflow actors this user is for this application (see workflow.ACTORS)."""
    kinds: set[str] = set()
    if not _auth(user):
        return kinds
    if user.role in AGENCY_ROLES and user.agency_id == application.agency_id:
        kinds.add("officer")
        if user.role == Role.AGENCY_HEAD:
            kinds.add("head")
    if application.applicant_id == user.pk and user.role == Role.CITIZEN:
        kinds.add("applicant")
    if user.role == Role.FRONT_DESK and (
        application.channel == Application.Channel.COUNTER or application.filed_by_id == user.pk
    ):
        kinds.add("applicant")
    return kinds


def may_see_files(user: Any, application: Application) -> bool:
    """Files and the output PDF: the applicant (or their front desk) and the agency only."""
    return bool(actor_kinds(user, application))


def access_file_by_id(*, user: Any, file_id: int) -> ApplicationFile:
    item = (
        ApplicationFile.objects.select_related("application")
        .filter(pk=file_id, application__in=applications_for_user(user))
        .first()
    )
    if item is None or not may_see_files(user, item.application):
        raise NotFound("file")
    return item


def access_document_by_application(*, user: Any, application_id: int) -> IssuedDocument:
    application = access_application_by_id(user=user, application_id=application_id)
    document = IssuedDocument.objects.filter(application=application).first()
    if document is None or not may_see_files(user, application):
        raise NotFound("document")
    document.application = application
    return document
