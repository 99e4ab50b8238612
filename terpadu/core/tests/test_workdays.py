"""Working-day arithmetic: the domain vectors, office policies, local decrees, properties."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terpadu.core import calendars
from terpadu.core.calendars import CalendarNotFound, calendar_for
from terpadu.core.models import LocalDay, Region, WorkCalendar
from terpadu.core.workdays import (
    Calendar,
    add_workdays,
    closed_reason,
    cuti_bersama,
    day_name,
    explain_day,
    is_workday,
    local_today,
    national_holidays,
    workdays_between,
)

START = date(2026, 3, 17)


# --- domain.md section 9 vectors -------------------------------------------------


@pytest.mark.parametrize(
    ("n", "cal", "due"),
    [
        (3, Calendar(), date(2026, 3, 27)),
        (3, Calendar(cuti_bersama_open=True), date(2026, 3, 23)),
        (14, Calendar(), date(2026, 4, 14)),
        (60, Calendar(), date(2026, 6, 26)),
    ],
)
def test_domain_vectors(n: int, cal: Calendar, due: date) -> None:
    assert add_workdays(START, n, cal) == due
    assert workdays_between(START, due, cal) == n


def test_default_calendar_is_the_five_day_week_with_cuti_bersama_closed() -> None:
    assert add_workdays(START, 3) == date(2026, 3, 27)


def test_zero_returns_start_even_on_a_holiday() -> None:
    nyepi = date(2026, 3, 19)
    assert add_workdays(nyepi, 0) == nyepi
    assert workdays_between(nyepi, nyepi) == 0


def test_negative_n_counts_backwards() -> None:
    # Working days before 27 March 2026: 26, 25, then back over Idul Fitri to 17.
    assert add_workdays(date(2026, 3, 27), -1) == date(2026, 3, 26)
    assert add_workdays(date(2026, 3, 27), -3) == START
    assert workdays_between(date(2026, 3, 27), START) == -3


def test_holiday_tables_come_from_the_pinned_package() -> None:
    public = national_holidays(2026)
    joint = cuti_bersama(2026)
    assert len(public) == 17
    assert public[date(2026, 3, 19)] == "Hari Suci Nyepi"
    assert len(joint) == 8
    assert date(2026, 3, 20) in joint and "Cuti Bersama" in joint[date(2026, 3, 20)]
    assert date(2025, 8, 18) in cuti_bersama(2025)  # mid-year decree revision
    # Callers get a copy: mutating it does not change the rules.
    public.clear()
    assert not is_workday(date(2026, 3, 19))


# --- office policies ---------------------------------------------------------------


def test_saturday_open_office() -> None:
    friday = date(2026, 7, 3)
    saturday, sunday, monday = (friday + timedelta(days=i) for i in (1, 2, 3))
    mpp = Calendar(saturday_open=True)
    assert add_workdays(friday, 1) == monday
    assert add_workdays(friday, 1, mpp) == saturday
    assert is_workday(saturday, mpp) and not is_workday(saturday)
    assert not is_workday(sunday, mpp)
    assert workdays_between(friday, monday, mpp) == 2
    # A public holiday on a Saturday stays closed even for a Saturday office.
    assert not is_workday(date(2026, 3, 21), mpp)


def test_cuti_bersama_policy() -> None:
    cuti = date(2026, 3, 20)
    assert not is_workday(cuti)
    assert is_workday(cuti, Calendar(cuti_bersama_open=True))
    assert not is_workday(date(2026, 3, 19), Calendar(cuti_bersama_open=True))  # Nyepi itself


def test_local_decree_closes_and_opens_days() -> None:
    regional_leave = date(2026, 3, 25)
    cal = Calendar(closed=frozenset({regional_leave}), opened=frozenset({date(2026, 3, 20)}))
    assert not is_workday(regional_leave, cal)
    assert is_workday(date(2026, 3, 20), cal)  # opened despite cuti bersama
    # 25 March closed: 26, 27, then Monday 30 March.
    assert add_workdays(START, 3, Calendar(closed=frozenset({regional_leave}))) == date(2026, 3, 30)
    # ...and with 20 March opened as well: 20, 26, 27.
    assert add_workdays(START, 3, cal) == date(2026, 3, 27)
    assert add_workdays(START, 1, cal) == date(2026, 3, 20)


def test_closed_reason_explains_in_indonesian() -> None:
    assert closed_reason(date(2026, 3, 19)) == "Libur nasional: Hari Suci Nyepi"
    assert closed_reason(date(2026, 3, 20)) == "Cuti bersama Hari Raya Idul Fitri"
    sunday = closed_reason(date(2026, 3, 22)) or ""
    assert sunday.startswith("Hari Minggu") and "Idul Fitri" in sunday
    assert "Sabtu" in (closed_reason(date(2026, 7, 4)) or "")
    assert closed_reason(date(2026, 7, 4), Calendar(saturday_open=True)) is None
    assert closed_reason(START) is None
    named = Calendar(closed=frozenset({date(2026, 3, 25)}), notes={date(2026, 3, 25): "Hari Jadi"})
    assert closed_reason(date(2026, 3, 25), named) == "Libur daerah: Hari Jadi"
    explanation = explain_day(date(2026, 3, 20), Calendar(cuti_bersama_open=True))
    assert explanation.is_workday
    assert any("tetap buka" in r for r in explanation.reasons)


def test_day_name_and_local_today() -> None:
    assert day_name(date(2026, 3, 20)) == "Jumat"
    assert day_name(date(2026, 3, 22)) == "Minggu"
    before = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    today = local_today()
    after = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    assert today in {before, after}
    assert local_today("America/Los_Angeles") <= today


# --- database calendars --------------------------------------------------------------


@pytest.fixture
def banyuwangi() -> Region:
    jatim = Region.objects.create(code="35", name="Jawa Timur", level=Region.Level.PROVINCE)
    return Region.objects.create(
        code="35.10", name="Kabupaten Banyuwangi", level=Region.Level.REGENCY, parent=jatim
    )


@pytest.mark.django_db
def test_without_any_calendar_rows_the_national_defaults_apply() -> None:
    cal = calendar_for(region_code="35.10")
    assert cal == Calendar()
    assert add_workdays(START, 3, cal) == date(2026, 3, 27)
    assert calendar_for() == Calendar()  # settings.TERPADU_HOME_REGION


@pytest.mark.django_db
def test_region_wide_local_day_from_the_database(banyuwangi: Region) -> None:
    WorkCalendar.objects.create(region=banyuwangi, name="Pemkab", is_region_default=True)
    LocalDay.objects.create(region=banyuwangi, date=date(2026, 3, 25), name="Cuti bersama daerah")
    cal = calendar_for(region_code="35.10")
    assert not is_workday(date(2026, 3, 25), cal)
    assert add_workdays(START, 3, cal) == date(2026, 3, 30)
    assert closed_reason(date(2026, 3, 25), cal) == "Libur daerah: Cuti bersama daerah"
    # Other regions are untouched, and a district inherits its regency's rules.
    assert add_workdays(START, 3, calendar_for(region_code="35.09")) == date(2026, 3, 27)
    assert add_workdays(START, 3, calendar_for(region_code="35.10.01")) == date(2026, 3, 30)


@pytest.mark.django_db
def test_office_policy_and_calendar_specific_days(banyuwangi: Region) -> None:
    pemkab = WorkCalendar.objects.create(region=banyuwangi, name="Pemkab", is_region_default=True)
    mpp = WorkCalendar.objects.create(
        region=banyuwangi, name="MPP", saturday_open=True, cuti_bersama_open=True
    )
    LocalDay.objects.create(region=banyuwangi, date=date(2026, 3, 25), name="Libur daerah")
    LocalDay.objects.create(
        region=banyuwangi, calendar=mpp, date=date(2026, 3, 25), name="Piket", is_open=True
    )
    LocalDay.objects.create(
        region=banyuwangi, calendar=mpp, date=date(2026, 3, 26), name="Pindahan"
    )

    mpp_cal = calendar_for(calendar_id=mpp.pk)
    assert mpp_cal.saturday_open and mpp_cal.cuti_bersama_open
    assert is_workday(date(2026, 3, 25), mpp_cal)  # the office's own roster wins
    assert not is_workday(date(2026, 3, 26), mpp_cal)

    pemkab_cal = calendar_for(calendar_id=pemkab.pk)
    assert not is_workday(date(2026, 3, 25), pemkab_cal)
    assert is_workday(date(2026, 3, 26), pemkab_cal)  # MPP's day does not leak
    assert calendar_for(region_code="35.10") == pemkab_cal  # the region default

    # Explicit switches override the stored policy.
    assert calendar_for(calendar_id=mpp.pk, saturday_open=False).saturday_open is False
    assert calendar_for(calendar_id=pemkab.pk, cuti_bersama_open=True).cuti_bersama_open

    with pytest.raises(CalendarNotFound):
        calendar_for(calendar_id=mpp.pk + 1000)


@pytest.mark.django_db
def test_province_wide_local_day_applies_to_regencies(banyuwangi: Region) -> None:
    jatim = Region.objects.get(code="35")
    LocalDay.objects.create(region=jatim, date=date(2026, 3, 26), name="Libur provinsi")
    assert not is_workday(date(2026, 3, 26), calendar_for(region_code="35.10"))


@pytest.mark.django_db(transaction=True)
def test_cache_is_used_and_invalidated_when_local_days_change(
    banyuwangi: Region, django_assert_num_queries: object
) -> None:
    calendars.clear_cache()
    WorkCalendar.objects.create(region=banyuwangi, name="Pemkab", is_region_default=True)
    first = calendar_for(region_code="35.10")
    assert add_workdays(START, 3, first) == date(2026, 3, 27)
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert calendar_for(region_code="35.10") is first

    day = LocalDay.objects.create(region=banyuwangi, date=date(2026, 3, 25), name="Hari Jadi")
    assert add_workdays(START, 3, calendar_for(region_code="35.10")) == date(2026, 3, 30)

    day.is_open = True
    day.save()
    assert is_workday(date(2026, 3, 25), calendar_for(region_code="35.10"))

    day.delete()
    assert calendar_for(region_code="35.10") == first

    WorkCalendar.objects.filter(region=banyuwangi).delete()  # queryset delete sends post_delete
    WorkCalendar.objects.create(
        region=banyuwangi, name="MPP", saturday_open=True, is_region_default=True
    )
    assert calendar_for(region_code="35.10").saturday_open
    calendars.clear_cache()


# --- properties --------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31))
policies = st.builds(
    Calendar,
    saturday_open=st.booleans(),
    cuti_bersama_open=st.booleans(),
    closed=st.frozensets(days, max_size=5),
    opened=st.frozensets(days, max_size=5),
)
counts = st.integers(min_value=-80, max_value=80)


@settings(deadline=None, max_examples=150)
@given(start=days, n=counts, cal=policies)
def test_between_inverts_add(start: date, n: int, cal: Calendar) -> None:
    assert workdays_between(start, add_workdays(start, n, cal), cal) == n


@settings(deadline=None, max_examples=150)
@given(start=days, n=counts.filter(lambda n: n != 0), cal=policies)
def test_result_is_a_working_day_on_the_right_side(start: date, n: int, cal: Calendar) -> None:
    due = add_workdays(start, n, cal)
    assert is_workday(due, cal)
    assert (due > start) if n > 0 else (due < start)


@settings(deadline=None, max_examples=100)
@given(start=days, a=counts, b=counts, cal=policies)
def test_add_is_strictly_monotonic(start: date, a: int, b: int, cal: Calendar) -> None:
    if a < b:
        assert add_workdays(start, a, cal) < add_workdays(start, b, cal)


@settings(deadline=None, max_examples=100)
@given(a=days, b=days, cal=policies)
def test_add_inverts_between_on_working_days(a: date, b: date, cal: Calendar) -> None:
    if is_workday(b, cal) or a == b:
        assert add_workdays(a, workdays_between(a, b, cal), cal) == b
