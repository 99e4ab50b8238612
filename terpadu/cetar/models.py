"""CETAR fact tables (``ft_*``) and the one input the agencies type in (their costs).

Every fact row is keyed by the **local day** (Asia/Jakarta) of the event it
counts, the regency (``region_id``), and where meaningful the agency, the
service and the kecamatan (``district_id``). Keys are plain integers, not
foreign keys: the facts are a published record that must survive renames and
never block a delete, and the dashboard reads the names from the ``ft_dim_*``
snapshots, so it never touches a transactional table.

The tables hold additive measures only (counts, sums, histograms), so any
slice — a month, an agency, the whole province — is a ``SUM`` over rows, and
medians and percentiles come from the histogram tables (``ft_*_hist``) exactly.

``facts.py`` builds them with one ``DELETE`` + ``INSERT … SELECT … GROUP BY``
per table and day range: idempotent, and any past day can be rebuilt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terpadu.core.models import Agency


class FactBase(models.Model):
    day = models.DateField()
    region_id = models.IntegerField()

    class Meta:
        abstract = True


class FtQueueDay(FactBase):
    """Hall tickets per local day × agency × service (the ticket's counter group's agency)."""

    agency_id = models.IntegerField(null=True)
    service_id = models.IntegerField(null=True)
    issued = models.IntegerField(default=0)
    called = models.IntegerField(default=0)
    served = models.IntegerField(default=0)
    no_show = models.IntegerField(default=0)
    cancelled = models.IntegerField(default=0)
    wait_seconds = models.BigIntegerField(default=0)  # Σ (called − issued) over called tickets
    service_seconds = models.BigIntegerField(default=0)  # Σ (finished − served) over served ones

    class Meta:
        db_table = "ft_queue_day"
        indexes = [
            models.Index(fields=["day"], name="ft_queue_day_day"),
            models.Index(fields=["region_id", "day"], name="ft_queue_day_region"),
        ]


class FtQueueWaitHist(FactBase):
    """Waiting time in the hall (called − issued), whole minutes (240 = 240 or more)."""

    agency_id = models.IntegerField(null=True)
    service_id = models.IntegerField(null=True)
    bucket = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        db_table = "ft_queue_wait_hist"
        indexes = [
            models.Index(fields=["day"], name="ft_queue_wait_day"),
            models.Index(fields=["region_id", "day"], name="ft_queue_wait_region"),
        ]


class FtCounterDay(FactBase):
    """One counter (and officer) on one day: tickets, busy time and the span it was in use."""

    hall_id = models.IntegerField()
    counter_id = models.IntegerField()
    agency_id = models.IntegerField(null=True)
    officer_id = models.IntegerField(null=True)
    tickets = models.IntegerField(default=0)
    served = models.IntegerField(default=0)
    busy_seconds = models.BigIntegerField(default=0)  # Σ (finished − called)
    span_seconds = models.BigIntegerField(default=0)  # last finished − first called

    class Meta:
        db_table = "ft_counter_day"
        indexes = [
            models.Index(fields=["day"], name="ft_counter_day_day"),
            models.Index(fields=["region_id", "day"], name="ft_counter_day_region"),
        ]


class FtApplicationDay(FactBase):
    """Applications: each measure on the local day of its own event (started, submitted, decided)."""

    agency_id = models.IntegerField()
    service_id = models.IntegerField()
    district_id = models.IntegerField(null=True)  # the applicant's kecamatan (from the NIK)
    started = models.IntegerField(default=0)  # created (online drafts included)
    submitted = models.IntegerField(default=0)
    submitted_online = models.IntegerField(default=0)
    decided = models.IntegerField(default=0)  # first outcome (approved or rejected)
    decided_online = models.IntegerField(default=0)
    decided_in_sla = models.IntegerField(default=0)
    approved = models.IntegerField(default=0)
    approved_first_time = models.IntegerField(default=0)  # approved with no perbaikan

    class Meta:
        db_table = "ft_application_day"
        indexes = [
            models.Index(fields=["day"], name="ft_app_day_day"),
            models.Index(fields=["region_id", "day"], name="ft_app_day_region"),
        ]


class FtApplicationHist(FactBase):
    """Decided applications by working days from submission to decision, pauses excluded (60 = 60+)."""

    agency_id = models.IntegerField()
    service_id = models.IntegerField()
    district_id = models.IntegerField(null=True)
    bucket = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        db_table = "ft_application_hist"
        indexes = [
            models.Index(fields=["day"], name="ft_app_hist_day"),
            models.Index(fields=["region_id", "day"], name="ft_app_hist_region"),
        ]


class FtComplaintDay(FactBase):
    """Complaints: each measure on the local day of its own event (see docs/indicators.md)."""

    agency_id = models.IntegerField(null=True)
    service_id = models.IntegerField(null=True)
    district_id = models.IntegerField(null=True)
    submitted = models.IntegerField(default=0)
    submitted_public = models.IntegerField(default=0)  # not rahasia
    disposed = models.IntegerField(default=0)  # forwarded to an agency (cohort by that day)
    disposed_answered = models.IntegerField(default=0)  # … of which answered (so far)
    responded = models.IntegerField(default=0)  # first response (answer or rejection)
    responded_in_time = models.IntegerField(default=0)
    first_answered = models.IntegerField(default=0)  # first answer (cohort by that day)
    reopened = models.IntegerField(default=0)  # … of which reopened at least once (so far)
    closed = models.IntegerField(default=0)  # closed after an answer (confirmed or auto)
    closed_confirmed = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)  # escalations created (cohort by that day)
    escalations_resolved = models.IntegerField(default=0)  # … of which resolved (so far)

    class Meta:
        db_table = "ft_complaint_day"
        indexes = [
            models.Index(fields=["day"], name="ft_complaint_day_day"),
            models.Index(fields=["region_id", "day"], name="ft_complaint_day_region"),
        ]


class FtComplaintHist(FactBase):
    """First responses by working days from submission (60 = 60+)."""

    agency_id = models.IntegerField(null=True)
    service_id = models.IntegerField(null=True)
    district_id = models.IntegerField(null=True)
    bucket = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        db_table = "ft_complaint_hist"
        indexes = [
            models.Index(fields=["day"], name="ft_complaint_hist_day"),
            models.Index(fields=["region_id", "day"], name="ft_complaint_hist_region"),
        ]


class FtSurveyDay(FactBase):
    """SKM questionnaires: count and per-unsur (sum, count), so the exact IKM of any slice."""

    agency_id = models.IntegerField()
    service_id = models.IntegerField(null=True)
    n = models.IntegerField(default=0)
    s1 = models.IntegerField(default=0)
    c1 = models.IntegerField(default=0)
    s2 = models.IntegerField(default=0)
    c2 = models.IntegerField(default=0)
    s3 = models.IntegerField(default=0)
    c3 = models.IntegerField(default=0)
    s4 = models.IntegerField(default=0)
    c4 = models.IntegerField(default=0)
    s5 = models.IntegerField(default=0)
    c5 = models.IntegerField(default=0)
    s6 = models.IntegerField(default=0)
    c6 = models.IntegerField(default=0)
    s7 = models.IntegerField(default=0)
    c7 = models.IntegerField(default=0)
    s8 = models.IntegerField(default=0)
    c8 = models.IntegerField(default=0)
    s9 = models.IntegerField(default=0)
    c9 = models.IntegerField(default=0)

    class Meta:
        db_table = "ft_survey_day"
        indexes = [
            models.Index(fields=["day"], name="ft_survey_day_day"),
            models.Index(fields=["region_id", "day"], name="ft_survey_day_region"),
        ]


class FtSkmPeriod(FactBase):
    """One agency's SKM quarter (``day`` = the quarter's last day): responses and follow-up plans."""

    agency_id = models.IntegerField()
    period = models.CharField(max_length=10)
    responses = models.IntegerField(default=0)
    plans = models.IntegerField(default=0)
    published_on_time = models.IntegerField(
        default=0
    )  # 1 when a plan was published by the deadline
    due = models.DateField()

    class Meta:
        db_table = "ft_skm_period"
        indexes = [models.Index(fields=["region_id", "day"], name="ft_skm_period_region")]


class FtServiceDay(FactBase):
    """Catalogue snapshot per day: the services in force and whether all 6 delivery components show."""

    agency_id = models.IntegerField()
    service_id = models.IntegerField()
    published = models.IntegerField(default=0)
    complete = models.IntegerField(default=0)

    class Meta:
        db_table = "ft_service_day"
        indexes = [
            models.Index(fields=["day"], name="ft_service_day_day"),
            models.Index(fields=["region_id", "day"], name="ft_service_day_region"),
        ]


class FtAuditDay(models.Model):
    """The audit chain check of one day (the chain is one for the whole installation)."""

    day = models.DateField(unique=True)
    checked = models.BigIntegerField(default=0)
    ok = models.IntegerField(default=0)
    broken_seq = models.BigIntegerField(null=True)
    checked_at = models.DateTimeField()

    class Meta:
        db_table = "ft_audit_day"


class FtCostMonth(FactBase):
    """An agency's entered cost for a month (``day`` = the 1st) beside its completed transactions."""

    agency_id = models.IntegerField()
    cost = models.BigIntegerField(default=0)  # Rupiah
    transactions = models.IntegerField(default=0)

    class Meta:
        db_table = "ft_cost_month"
        indexes = [models.Index(fields=["region_id", "day"], name="ft_cost_month_region")]


class FtDimRegion(models.Model):
    """A snapshot of the regions the facts name (so the dashboard never joins core tables)."""

    id = models.IntegerField(primary_key=True)
    code = models.CharField(max_length=13)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10)
    parent_id = models.IntegerField(null=True)

    class Meta:
        db_table = "ft_dim_region"
        ordering = ["code"]


class FtDimAgency(models.Model):
    id = models.IntegerField(primary_key=True)
    region_id = models.IntegerField()
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)

    class Meta:
        db_table = "ft_dim_agency"
        ordering = ["name"]


class FtDimService(models.Model):
    id = models.IntegerField(primary_key=True)
    region_id = models.IntegerField()
    agency_id = models.IntegerField()
    code = models.CharField(max_length=80)
    name = models.CharField(max_length=200)

    class Meta:
        db_table = "ft_dim_service"
        ordering = ["name"]


class FtDimCounter(models.Model):
    """Counters and officers for the internal (supervisor) view."""

    id = models.IntegerField(primary_key=True)
    kind = models.CharField(max_length=8)  # "counter" | "officer"
    ref_id = models.IntegerField()
    label = models.CharField(max_length=150)

    class Meta:
        db_table = "ft_dim_counter"
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref_id"], name="ft_dim_counter_unique")
        ]


class FtBuild(models.Model):
    """When each local day's facts were last built, and whether that day is finalised."""

    day = models.DateField(unique=True)
    built_at = models.DateTimeField()
    finalised_at = models.DateTimeField(null=True)
    seconds = models.FloatField(default=0)

    class Meta:
        db_table = "ft_build"


class Workday(models.Model):
    """Builder's working-day index per calendar: ``cum`` = working days up to and including ``day``.

    ``workdays_between(a, b)`` of :mod:`terpadu.core.workdays` is ``cum(b) − cum(a)``, so the
    builder counts working days in SQL. ``cal_key`` is the agency's ``calendar_id``, or minus
    the regency's id for the regency's default calendar. Rebuilt from the calendars on every build.
    """

    cal_key = models.IntegerField()
    day = models.DateField()
    cum = models.IntegerField()
    is_workday = models.BooleanField()

    class Meta:
        db_table = "cetar_workday"
        constraints = [
            models.UniqueConstraint(fields=["cal_key", "day"], name="cetar_workday_unique")
        ]


class AgencyCost(models.Model):
    """What an agency spent on delivering its services in a month (GOV.UK cost per transaction)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cetar_costs")
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan tersebut."))
    amount = models.BigIntegerField(_("biaya (Rp)"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("biaya layanan instansi")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="one_cost_per_agency_month"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}: {self.amount}"


# -- monthly rollups -------------------------------------------------------------------

#: the keys a coarse (month × agency) rollup leaves out
COARSE_DROP = frozenset({"service_id", "district_id"})
#
# The same rows summed per calendar month (``day`` = the 1st), rebuilt by the builder for
# every month it touches. Dashboards read whole months here and only the partial months at
# the edges of a period from the day tables, so a year is ~12 row groups, not ~365.


def _month_model(
    day_model: type[models.Model],
    name: str,
    table: str,
    *,
    coarse: bool = False,
    **extra: models.Field,
) -> type:
    attrs: dict[str, object] = {"__module__": __name__}
    for f in day_model._meta.concrete_fields:
        if not f.primary_key and not (coarse and f.name in COARSE_DROP):
            attrs[f.name] = f.clone()
    attrs.update(extra)
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "db_table": table,
            "indexes": [
                models.Index(
                    fields=["region_id", "day"],
                    name=f"{table.replace('_hist', '_h').replace('_agency', '_a')}_r",
                )
            ],
        },
    )
    return type(name, (models.Model,), attrs)


FtQueueMonth = _month_model(FtQueueDay, "FtQueueMonth", "ft_queue_month")
FtQueueWaitHistMonth = _month_model(
    FtQueueWaitHist, "FtQueueWaitHistMonth", "ft_queue_wait_hist_month"
)
FtApplicationMonth = _month_model(FtApplicationDay, "FtApplicationMonth", "ft_application_month")
FtApplicationHistMonth = _month_model(
    FtApplicationHist, "FtApplicationHistMonth", "ft_application_hist_month"
)
FtComplaintMonth = _month_model(FtComplaintDay, "FtComplaintMonth", "ft_complaint_month")
FtComplaintHistMonth = _month_model(
    FtComplaintHist, "FtComplaintHistMonth", "ft_complaint_hist_month"
)
FtSurveyMonth = _month_model(FtSurveyDay, "FtSurveyMonth", "ft_survey_month")
FtServiceMonth = _month_model(
    FtServiceDay, "FtServiceMonth", "ft_service_month", services=models.IntegerField(default=0)
)

#: day table -> its monthly rollup
MONTHLY: dict[str, str] = {
    "ft_queue_day": "ft_queue_month",
    "ft_queue_wait_hist": "ft_queue_wait_hist_month",
    "ft_application_day": "ft_application_month",
    "ft_application_hist": "ft_application_hist_month",
    "ft_complaint_day": "ft_complaint_month",
    "ft_complaint_hist": "ft_complaint_hist_month",
    "ft_survey_day": "ft_survey_month",
    "ft_service_day": "ft_service_month",
}

FtQueueAgencyMonth = _month_model(
    FtQueueDay, "FtQueueAgencyMonth", "ft_queue_agency_month", coarse=True
)
FtQueueWaitHistAgencyMonth = _month_model(
    FtQueueWaitHist, "FtQueueWaitHistAgencyMonth", "ft_queue_wait_hist_agency_month", coarse=True
)
FtApplicationAgencyMonth = _month_model(
    FtApplicationDay, "FtApplicationAgencyMonth", "ft_application_agency_month", coarse=True
)
FtApplicationHistAgencyMonth = _month_model(
    FtApplicationHist,
    "FtApplicationHistAgencyMonth",
    "ft_application_hist_agency_month",
    coarse=True,
)
FtComplaintAgencyMonth = _month_model(
    FtComplaintDay, "FtComplaintAgencyMonth", "ft_complaint_agency_month", coarse=True
)
FtComplaintHistAgencyMonth = _month_model(
    FtComplaintHist, "FtComplaintHistAgencyMonth", "ft_complaint_hist_agency_month", coarse=True
)
FtSurveyAgencyMonth = _month_model(
    FtSurveyDay, "FtSurveyAgencyMonth", "ft_survey_agency_month", coarse=True
)
FtServiceAgencyMonth = _month_model(
    FtServiceDay,
    "FtServiceAgencyMonth",
    "ft_service_agency_month",
    coarse=True,
    services=models.IntegerField(default=0),
)

#: day table -> its month × agency rollup (no service, no kecamatan): the overview's source
MONTHLY_BY_AGENCY: dict[str, str] = {
    day: f"{day.removesuffix('_day')}_agency_month" for day in MONTHLY
}
