"""An administrator keeps local closed days in the database, and they change the working-day answer."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from terpadu.core.calendars import calendar_for
from terpadu.core.models import LocalDay
from terpadu.core.workdays import add_workdays


def test_admin_adds_regional_leave_and_due_dates_move(people, regions):  # type: ignore[no-untyped-def]
    admin_user = people["admin"]
    admin_user.is_superuser = True
    admin_user.save()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin_user)
    before = add_workdays(dt.date(2026, 9, 7), 1, calendar_for(region_code="35.10"))
    assert before == dt.date(2026, 9, 8)
    response = client.post(
        "/admin/core/localday/add/",
        {
            "region": regions["banyuwangi"].pk,
            "date": "2026-09-08",
            "name": "Cuti daerah Hari Jadi Banyuwangi",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert LocalDay.objects.filter(date=dt.date(2026, 9, 8)).exists()
    assert add_workdays(dt.date(2026, 9, 7), 1, calendar_for(region_code="35.10")) == dt.date(
        2026, 9, 9
    )


def test_audit_entries_cannot_be_edited_in_admin(people):  # type: ignore[no-untyped-def]
    admin_user = people["admin"]
    admin_user.is_superuser = True
    admin_user.save()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin_user)
    assert client.get("/admin/core/auditentry/add/").status_code == 403
