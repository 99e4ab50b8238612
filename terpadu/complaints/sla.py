"""The complaint clocks in working days. Pure: the calendar is passed in.

- verification and disposition by the coordinator: 3 working days after submission;
- the agency's follow-up: 5 working days after disposition, or the category's own limit;
- the reporter's confirmation: closed automatically when the reporter says nothing for
  10 working days after the answer.

A due date is a local (WIB) day; the step is overdue from the next day on.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from terpadu.core.workdays import Calendar, add_workdays

VERIFY_DAYS = 3
DEFAULT_FOLLOW_UP_DAYS = 5
CONFIRM_DAYS = 10
LOCAL_TZ = ZoneInfo("Asia/Jakarta")


def local_day(moment: datetime) -> date:
    """The WIB calendar day of an aware moment."""
    return moment.astimezone(LOCAL_TZ).date()


def verify_due(submitted: date, cal: Calendar) -> date:
    return add_workdays(submitted, VERIFY_DAYS, cal)


def follow_up_due(disposed: date, cal: Calendar, days: int | None = None) -> date:
    return add_workdays(disposed, days or DEFAULT_FOLLOW_UP_DAYS, cal)


def confirm_due(answered: date, cal: Calendar) -> date:
    return add_workdays(answered, CONFIRM_DAYS, cal)


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and today > due
