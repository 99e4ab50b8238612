"""The programme engine: cases, assignment by desa, working-day tasks across holidays,
transitions, escalation of overdue work, visit notes with photos, reports."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terpadu.core.errors import DomainError
from terpadu.core.models import AuditEntry
from terpadu.outreach import services
from terpadu.outreach.models import Case, Escalation, Report, Task, VisitNote

from .conftest import jpeg_bytes, resident, wib

pytestmark = pytest.mark.django_db


def _open(programmes, village, name="Rina Wati", key="report:abc12345", **kw):  # type: ignore[no-untyped-def]
    return services.case_open(
        programme=programmes[kw.pop("programme", "maternal")],
        village=village,
        name=name,
        subject_key=key,
        source=Case.Source.REPORT,
        now=kw.pop("now", wib(2026, 3, 17)),
        **kw,
    )


def test_case_is_assigned_by_desa_and_due_in_working_days_across_lebaran(area, programmes, workers):  # type: ignore[no-untyped-def]
    # Tuesday 17 March 2026: then cuti bersama Nyepi, Nyepi, cuti bersama and Idul Fitri,
    # a weekend and two more days of cuti bersama: the first working day is 25 March.
    case = _open(programmes, area["sobo"])
    assert case.assigned_to == workers["bidan"]
    assert case.status == "found" and case.found_on == date(2026, 3, 17)
    task = case.tasks.get()
    assert task.kind == "verify" and task.assigned_to == workers["bidan"]
    assert task.due_date == date(2026, 3, 27)  # 3 working days: 25, 26, 27 March
    assert case.due_date == date(2026, 3, 27)
    garda = _open(programmes, area["sobo"], programme="garda_ampuh", key="resident:1")
    assert garda.assigned_to == workers["pendamping"]
    assert garda.level == "rt"
    assert garda.tasks.get().due_date == date(2026, 3, 31)  # 5 working days
    unassigned = _open(programmes, area["penganjuran"], key="report:zz998877")
    assert unassigned.assigned_to is None
    assert AuditEntry.objects.filter(action="outreach.case_open").count() == 3


def test_a_person_has_one_open_case_per_programme(area, programmes, workers):  # type: ignore[no-untyped-def]
    _open(programmes, area["sobo"])
    with pytest.raises(DomainError) as exc:
        _open(programmes, area["sobo"])
    assert exc.value.code == "duplicate"
    # the same person in another programme is another case
    _open(programmes, area["sobo"], programme="garda_ampuh")


def test_case_open_validates_desa_of_the_regency(area, programmes):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as exc:
        _open(programmes, area["jember_village"], name="")
    fields = {e.field for e in exc.value.errors}
    assert fields == {"village", "name"}
    assert not Case.objects.exists()


def test_flow_to_resolved_with_outcome_and_audit(area, programmes, workers):  # type: ignore[no-untyped-def]
    bidan = workers["pendamping"]
    case = _open(programmes, area["sobo"], programme="garda_ampuh", key="resident:9")
    with pytest.raises(DomainError) as exc:
        services.case_transition(case=case, actor=bidan, target="resolved", outcome="paket_b")
    assert exc.value.code == "bad_transition"
    case = services.case_transition(case=case, actor=bidan, target="verified", now=wib(2026, 3, 25))
    verify = case.tasks.get(kind="verify")
    assert verify.done_at is not None
    placement = case.tasks.get(kind="placement")
    assert placement.due_date == date(2026, 4, 9)  # 10 working days, Good Friday closed
    case = services.case_transition(case=case, actor=bidan, target="in_progress")
    with pytest.raises(DomainError) as exc:
        services.case_transition(case=case, actor=bidan, target="resolved")
    assert exc.value.errors[0].field == "outcome"
    with pytest.raises(DomainError):
        services.case_transition(case=case, actor=bidan, target="resolved", outcome="kuliah")
    case = services.case_transition(case=case, actor=bidan, target="resolved", outcome="paket_b")
    assert case.status == "resolved" and case.closed_at is not None
    assert case.due_date is None
    assert not Task.objects.filter(case=case, done_at__isnull=True, cancelled_at__isnull=True)
    assert list(case.events.filter(kind="status").values_list("to_value", flat=True)) == [
        "verified",
        "in_progress",
        "resolved",
    ]
    assert AuditEntry.objects.filter(action="outreach.case_transition").count() == 3
    # closed: a new report of the same person may open a new case
    _open(programmes, area["sobo"], programme="garda_ampuh", key="resident:9")


def test_not_eligible_and_lost_need_a_reason(area, programmes, workers):  # type: ignore[no-untyped-def]
    case = _open(programmes, area["sobo"])
    with pytest.raises(DomainError) as exc:
        services.case_transition(case=case, actor=workers["bidan"], target="lost")
    assert exc.value.errors[0].field == "note"
    case = services.case_transition(
        case=case, actor=workers["bidan"], target="not_eligible", note="Tidak hamil"
    )
    assert case.outcome_note == "Tidak hamil"


def test_assign_to_field_worker_of_the_regency_only(area, programmes, workers, people):  # type: ignore[no-untyped-def]
    case = _open(programmes, area["penganjuran"], key="report:p1234567")
    case = services.case_assign(
        case=case, actor=people["admin"], assignee=workers["bidan_jambewangi"]
    )
    assert case.assigned_to == workers["bidan_jambewangi"]
    assert case.tasks.get().assigned_to == workers["bidan_jambewangi"]
    with pytest.raises(DomainError):
        services.case_assign(case=case, actor=people["admin"], assignee=people["citizen"])


def test_overdue_tasks_escalate_once_per_level_skipping_holidays(
    area, programmes, workers, people, agencies
):  # type: ignore[no-untyped-def]
    from terpadu.accounts.models import Role
    from terpadu.core.testing import UserFactory

    head = UserFactory(
        username="kadinkes", role=Role.AGENCY_HEAD, region=area["regency"], agency=agencies["b"]
    )
    case = _open(programmes, area["sobo"])  # verify due Friday 27 March
    assert services.escalate_overdue(now=wib(2026, 3, 27, 16)) == 0
    assert services.escalate_overdue(now=wib(2026, 3, 28, 9)) == 0  # Saturday: not overdue yet
    assert services.escalate_overdue(now=wib(2026, 3, 30, 9)) == 1  # Monday: 1 working day
    esc = Escalation.objects.get()
    assert (esc.level, esc.recipient) == (1, head)
    assert "2026-03-27" in esc.reason
    assert services.escalate_overdue(now=wib(2026, 3, 31, 9)) == 0  # same level
    assert services.escalate_overdue(now=wib(2026, 4, 1, 9)) == 1  # 3 working days: level 2
    # Good Friday (3 April) and the weekend do not count: 2 April is day 4, 6 April day 5
    assert services.escalate_overdue(now=wib(2026, 4, 6, 9)) == 1
    assert list(Escalation.objects.order_by("level").values_list("level", flat=True)) == [1, 2, 3]
    assert case.events.filter(kind="escalated").count() == 3
    assert AuditEntry.objects.filter(action="outreach.escalate").count() == 3
    # a finished task never escalates
    services.case_transition(case=case, actor=workers["bidan"], target="verified")
    assert services.escalate_overdue(now=wib(2026, 5, 6, 9)) == 0


def test_escalation_job_is_registered() -> None:
    from terpadu.core.periodic import JOBS

    names = {job.name: job for job in JOBS}
    assert names["outreach_escalate"].task_path == "terpadu.outreach.tasks.outreach_escalate"
    assert "outreach_dispatch_sweep" in names


def test_visit_note_with_photo_checked_by_content(area, programmes, workers, _settings):  # type: ignore[no-untyped-def]
    case = _open(programmes, area["sobo"])
    task = case.tasks.get()
    photo = SimpleUploadedFile("rumah.jpg", jpeg_bytes(), content_type="image/jpeg")
    note = services.visit_note_add(
        case=case,
        actor=workers["bidan"],
        text="Ibu di rumah, HPHT 2 bulan lalu.",
        photos=[photo],
        client_id="a1b2c3d4-0000-4000-8000-000000000001",
        task=task,
        now=wib(2026, 3, 25),
    )
    stored = note.photos.get()
    assert stored.content_type == "image/jpeg"
    path = _settings / stored.file.name
    assert path.exists() and "static" not in str(path)
    task.refresh_from_db()
    assert task.done_at is not None
    # the phone sends it again: the same note, nothing new
    again = services.visit_note_add(
        case=case,
        actor=workers["bidan"],
        text="Ibu di rumah, HPHT 2 bulan lalu.",
        client_id="a1b2c3d4-0000-4000-8000-000000000001",
    )
    assert again.pk == note.pk and VisitNote.objects.count() == 1
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        services.visit_note_add(case=case, actor=workers["bidan"], text="x", photos=[fake])
    assert exc.value.errors[0].field == "photos"
    assert VisitNote.objects.count() == 1


def test_report_is_deduplicated_by_client_id_and_matched_to_an_open_case(area, programmes, workers):  # type: ignore[no-untyped-def]
    maternal = programmes["maternal"]
    first, created = services.report_submit(
        programme=maternal,
        client_id="c0ffee00-0000-4000-8000-000000000001",
        name="Bu Rina Wati",
        village=area["sobo"],
        age_years=24,
        signs=["age_under_20"],
        reporter_label="Mlijo Sumiati",
        now=wib(2026, 3, 2),
    )
    assert created and first.case is not None
    assert first.case.assigned_to == workers["bidan"]
    again, created = services.report_submit(
        programme=maternal,
        client_id="c0ffee00-0000-4000-8000-000000000001",
        name="Bu Rina Wati",
        village=area["sobo"],
        now=wib(2026, 3, 2),
    )
    assert not created and again.pk == first.pk
    other, created = services.report_submit(
        programme=maternal,
        client_id="c0ffee00-0000-4000-8000-000000000002",
        name="Ny. Rina Wati",
        village=area["sobo"],
        age_years=25,
        now=wib(2026, 3, 3),
    )
    assert created and other.matched_existing and other.case_id == first.case_id
    assert Case.objects.count() == 1 and Report.objects.count() == 2


def test_report_matches_a_resident_of_the_desa(area, programmes, workers):  # type: ignore[no-untyped-def]
    woman = resident(area["sobo"], "Siti Nurhayati", date(2001, 5, 4))
    resident(area["sobo"], "Siti Nurhayati", date(1950, 5, 4))  # her grandmother: too old
    report, _ = services.report_submit(
        programme=programmes["maternal"],
        client_id="c0ffee00-0000-4000-8000-000000000003",
        name="siti nurhayati",
        village=area["sobo"],
        age_years=25,
        now=wib(2026, 3, 2),
    )
    assert report.case.resident_id == woman.pk
    assert report.case.nik == woman.nik
    assert report.case.subject_key == f"resident:{woman.pk}"


def test_report_validation(area, programmes):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as exc:
        services.report_submit(
            programme=programmes["maternal"],
            client_id="x",
            name="",
            village=area["jember_village"],
            age_years=300,
            signs=["unknown"],
            photo=SimpleUploadedFile("a.jpg", jpeg_bytes()),
            photo_consent=False,
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"client_id", "name", "village", "age_years", "signs", "photo_consent"}
    assert not Report.objects.exists()


def test_report_status_follows_the_case(area, programmes, workers):  # type: ignore[no-untyped-def]
    report, _ = services.report_submit(
        programme=programmes["maternal"],
        client_id="c0ffee00-0000-4000-8000-000000000004",
        name="Dewi Anggraini",
        village=area["sobo"],
    )
    assert report.status == "received"
    services.case_transition(case=report.case, actor=workers["bidan"], target="verified")
    report.refresh_from_db()
    assert report.status == "followed_up"


def test_escalation_is_sent_through_the_notifications_outbox(area, programmes, workers, agencies):  # type: ignore[no-untyped-def]
    from terpadu.accounts.models import Role
    from terpadu.core.testing import UserFactory
    from terpadu.notifications.models import Outbox

    UserFactory(
        username="kadinkes",
        role=Role.AGENCY_HEAD,
        region=area["regency"],
        agency=agencies["b"],
        email="kadinkes@banyuwangikab.go.id",
    )
    _open(programmes, area["sobo"])
    services.escalate_overdue(now=wib(2026, 3, 30, 9))
    message = Outbox.objects.get()
    assert message.recipient == "kadinkes@banyuwangikab.go.id"
    assert "Sobo" in message.subject and "2026-03-27" in message.body
    assert Escalation.objects.get().notified
