"""The SLA clock on 2026 dates (domain.md §9): holidays, cuti bersama, pauses, working hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from terpadu.applications import sla
from terpadu.applications.tests.conftest import wib
from terpadu.core.workdays import Calendar

NATIONAL = Calendar()  # Monday-Friday, cuti bersama closed
PUBLIC_ONLY = Calendar(cuti_bersama_open=True)
DAYS = "working_days"


@pytest.mark.parametrize(
    ("cal", "days", "due"),
    [
        (NATIONAL, 3, date(2026, 3, 27)),  # across Nyepi and Idul Fitri cuti bersama 18..24 March
        (PUBLIC_ONLY, 3, date(2026, 3, 23)),  # the office stays open on cuti bersama
        (NATIONAL, 14, date(2026, 4, 14)),  # and Good Friday 3 April
        (NATIONAL, 60, date(2026, 6, 26)),  # Kenaikan, Idul Adha, Waisak, Pancasila, 1 Muharam
    ],
)
def test_due_date_vectors_from_the_domain_reference(cal, days, due):
    moment = sla.due_at(wib(2026, 3, 17, 9), sla.Sla(days, DAYS), cal)
    assert moment == datetime.combine(due, sla.OFFICE_CLOSE, tzinfo=sla.LOCAL_TZ)


def test_submission_on_a_holiday_counts_from_the_next_working_day():
    # Nyepi (19 March) + 1 working day = Wednesday 25 March (20, 23, 24 cuti bersama)
    assert sla.local_day(sla.due_at(wib(2026, 3, 19, 11), sla.Sla(1, DAYS), NATIONAL)) == date(
        2026, 3, 25
    )


def test_a_late_evening_submission_is_still_that_local_day():
    # 22:30 WIB on Monday 9 March is 15:30 UTC the same day; +1 working day is Tuesday
    late = datetime(2026, 3, 9, 15, 30, tzinfo=UTC)
    assert sla.local_day(late) == date(2026, 3, 9)
    assert sla.local_day(sla.due_at(late, sla.Sla(1, DAYS), NATIONAL)) == date(2026, 3, 10)
    # 01:00 WIB on Tuesday is still Monday in UTC: the local day decides
    early = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
    assert sla.local_day(sla.due_at(early, sla.Sla(1, DAYS), NATIONAL)) == date(2026, 3, 11)


def test_pause_during_perbaikan_moves_the_due_date_by_the_working_days_waited():
    start = wib(2026, 3, 9, 9)  # Monday; 5 working days -> Monday 16 March
    assert sla.local_day(sla.due_at(start, sla.Sla(5, DAYS), NATIONAL)) == date(2026, 3, 16)
    # correction asked Wednesday 11 March, sent back Tuesday 17 March: 12, 13, 16, 17 = 4 days
    pauses = [(wib(2026, 3, 11, 10), wib(2026, 3, 17, 14))]
    assert sla.paused_workdays(pauses, NATIONAL) == 4
    # 9 working days after 9 March, skipping 18-24 March (Nyepi, Idul Fitri, cuti bersama)
    assert sla.local_day(sla.due_at(start, sla.Sla(5, DAYS), NATIONAL, pauses=pauses)) == date(
        2026, 3, 27
    )


def test_a_pause_over_holidays_only_adds_nothing():
    pauses = [(wib(2026, 3, 17, 15), wib(2026, 3, 24, 15))]  # all closed days in between
    assert sla.paused_workdays(pauses, NATIONAL) == 0


def test_working_hours_skip_nights_weekends_and_holidays():
    # Tuesday 17 March 14:00 + 4 working hours: 2 h to 16:00, then Nyepi week: next open is 25 March
    due = sla.due_at(wib(2026, 3, 17, 14), sla.Sla(4, "hours"), NATIONAL)
    assert due == wib(2026, 3, 25, 10)
    # before opening time the clock starts at 08:00
    assert sla.due_at(wib(2026, 3, 10, 6), sla.Sla(3, "hours"), NATIONAL) == wib(2026, 3, 10, 11)
    # a Saturday submission starts on Monday
    assert sla.due_at(wib(2026, 3, 14, 9), sla.Sla(1, "hours"), NATIONAL) == wib(2026, 3, 16, 9)


def test_working_hours_pause_is_added_back():
    start = wib(2026, 3, 10, 8)
    pauses = [(wib(2026, 3, 10, 9), wib(2026, 3, 11, 9))]  # 7 h + 1 h = 8 office hours
    assert sla.working_seconds_between(*pauses[0], NATIONAL) == 8 * 3600
    assert sla.due_at(start, sla.Sla(2, "hours"), NATIONAL, pauses=pauses) == wib(2026, 3, 11, 10)


def test_saturday_office_counts_saturdays():
    saturday = Calendar(saturday_open=True)
    due = sla.due_at(wib(2026, 3, 12, 9), sla.Sla(2, DAYS), saturday)  # Thu -> Fri, Sat
    assert sla.local_day(due) == date(2026, 3, 14)


def test_clock_states_due_soon_at_forty_percent_left_and_overdue_after_the_due_moment():
    start, due = wib(2026, 3, 9, 8), wib(2026, 3, 19, 8)  # ten days of wall time
    warn = sla.warn_at(start, due)
    assert warn == due - timedelta(days=4)
    assert sla.clock_state(wib(2026, 3, 10), due, warn) == sla.RUNNING
    assert sla.clock_state(wib(2026, 3, 16), due, warn) == sla.DUE_SOON
    assert sla.clock_state(wib(2026, 3, 19, 9), due, warn) == sla.OVERDUE
    assert sla.clock_state(wib(2026, 3, 19, 9), None, None) == sla.PAUSED


def test_countdown_in_working_days():
    due = wib(2026, 3, 27, 16)
    assert sla.countdown_text(date(2026, 3, 17), due, NATIONAL) == "sisa 3 hari kerja"
    assert sla.countdown_text(date(2026, 3, 27), due, NATIONAL) == "jatuh tempo hari ini"
    assert sla.countdown_text(date(2026, 3, 31), due, NATIONAL) == "terlambat 2 hari kerja"
