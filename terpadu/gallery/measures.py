"""Live outcomes of an innovation, read through the other apps' public reads.

This is the gallery's one adapter to the platform's data:

* outreach: :func:`terpadu.outreach.selectors.report_by_area` for the programme's own
  totals (so the gallery's figures equal the programme's report), plus a monthly count of
  cases found and resolved for the trend (the outreach app has no monthly selector yet);
* CETAR: :mod:`terpadu.cetar.selectors` (``Slice``, ``load_facts``, ``evaluate``,
  ``make_row``, ``series``) over the fact tables; public small-cell suppression applies;
* IKM: :func:`terpadu.surveys.selectors.ikm_of` on the SKM questionnaires of a period.

Whatever is missing (no programme in the region, fact tables not built, no
questionnaire) is reported as "belum ada data", never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from terpadu.core.workdays import local_today
from terpadu.gallery.models import Innovation, Measure

NO_DATA = "belum ada data"
MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
TREND_MONTHS = 12
BEFORE_DAYS = 365


@dataclass(frozen=True)
class Figure:
    """One measured number with the period it covers."""

    label: str
    value: float | None
    text: str
    period: str = ""

    @property
    def has_data(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Point:
    key: str
    label: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Line:
    name: str
    css: str
    points: list[Point]


@dataclass
class Outcome:
    """One measure's live result: headline figures, before/after, trend, definition."""

    measure_id: int
    kind: str
    title: str
    unit: str
    definition: str
    source: str
    as_of: date
    figures: list[Figure] = field(default_factory=list)
    before: Figure | None = None
    after: Figure | None = None
    lines: list[Line] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    table_rows: list[dict[str, Any]] = field(default_factory=list)
    direction: str = "higher"

    @property
    def has_data(self) -> bool:
        return any(f.has_data for f in self.figures) or bool(
            (self.before and self.before.has_data) or (self.after and self.after.has_data)
        )

    @property
    def headline(self) -> Figure | None:
        for f in (*self.figures, self.after):
            if f is not None and f.has_data:
                return f
        return None

    @property
    def change_better(self) -> bool | None:
        if not (self.before and self.after and self.before.has_data and self.after.has_data):
            return None
        assert self.before.value is not None and self.after.value is not None
        if abs(self.after.value - self.before.value) < 1e-9:
            return None
        up = self.after.value > self.before.value
        return up if self.direction == "higher" else not up

    def as_dict(self) -> dict[str, Any]:
        def fig(f: Figure | None) -> dict[str, Any] | None:
            if f is None:
                return None
            return {"label": f.label, "value": f.value, "text": f.text, "period": f.period}

        return {
            "measure_id": self.measure_id,
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "definition": self.definition,
            "source": self.source,
            "measured": True,
            "as_of": self.as_of.isoformat(),
            "figures": [fig(f) for f in self.figures],
            "before": fig(self.before),
            "after": fig(self.after),
            "trend": [
                {
                    "name": line.name,
                    "points": [{"period": p.key, "value": p.value} for p in line.points],
                }
                for line in self.lines
            ],
            "caveats": list(self.caveats),
        }


def number_text(value: float | None, unit: str = "", decimals: int = 0) -> str:
    """Indonesian number format (``1.234``, ``87,5 %``); ``belum ada data`` for None."""
    if value is None:
        return NO_DATA
    text = f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if unit == "%":
        return f"{text} %"
    return f"{text} {unit}".strip()


def month_keys(as_of: date, months: int = TREND_MONTHS) -> list[str]:
    y, m = as_of.year, as_of.month
    keys = []
    for _ in range(months):
        keys.append(f"{y:04d}-{m:02d}")
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return list(reversed(keys))


def month_label(key: str) -> str:
    y, m = key.split("-")
    return f"{MONTHS_ID[int(m) - 1]} {y[2:]}"


def _first_of(key: str) -> date:
    y, m = key.split("-")
    return date(int(y), int(m), 1)


def period_text(first: date, last: date) -> str:
    return f"{first.strftime('%d/%m/%Y')}–{last.strftime('%d/%m/%Y')}"


# --------------------------------------------------------------------------- outreach

HANDLED_STATUSES = ("verified", "in_progress", "resolved")


def programme_of(innovation: Innovation, code: str) -> Any:
    from terpadu.outreach.models import Programme

    return (
        Programme.objects.filter(region_id=innovation.region_id, code=code)
        .select_related("agency")
        .first()
    )


def outreach_outcome(measure: Measure, innovation: Innovation, as_of: date) -> Outcome:
    from terpadu.outreach.models import Case
    from terpadu.outreach.selectors import report_by_area

    programme = programme_of(innovation, measure.programme_code)
    title = measure.title or (programme.name if programme else measure.programme_code)
    out = Outcome(
        measure_id=measure.pk,
        kind=measure.kind,
        title=title,
        unit="orang",
        definition=(
            "Ditemukan: semua kasus yang dibuka program (dari data terpadu, laporan warga, "
            "atau petugas). Ditangani: kasus yang sudah diverifikasi, sedang ditangani, atau "
            "selesai. Selesai: kasus dengan hasil akhir yang dituju program. Kasus yang tidak "
            "memenuhi syarat atau tidak dapat dilacak tidak dihitung sebagai ditangani."
        ),
        source=f"Diukur langsung dari kasus program jemput bola “{title}” di Terpadu",
        as_of=as_of,
    )
    if programme is None:
        out.figures = [Figure(label, None, NO_DATA) for label in _OUTREACH_LABELS]
        out.caveats = ["Program ini belum berjalan di daerah ini."]
        return out
    report = report_by_area(programme)
    totals = report["totals"]
    found = int(totals.get("total") or 0)
    handled = sum(int(totals.get(s) or 0) for s in HANDLED_STATUSES)
    resolved = int(totals.get("resolved") or 0)
    period = "sejak program berjalan s.d. " + as_of.strftime("%d/%m/%Y")
    out.figures = [
        Figure(_OUTREACH_LABELS[0], float(found), number_text(found), period),
        Figure(_OUTREACH_LABELS[1], float(handled), number_text(handled), period),
        Figure(_OUTREACH_LABELS[2], float(resolved), number_text(resolved), period),
    ]
    for row in report["districts"]:
        out.table_rows.append(
            {
                "area": row.get("district__name") or "—",
                "found": int(row.get("total") or 0),
                "handled": sum(int(row.get(s) or 0) for s in HANDLED_STATUSES),
                "resolved": int(row.get("resolved") or 0),
            }
        )
    # monthly trend: found by the day found, resolved by the local day closed
    keys = month_keys(as_of)
    first = _first_of(keys[0])
    found_by: dict[str, int] = dict.fromkeys(keys, 0)
    resolved_by: dict[str, int] = dict.fromkeys(keys, 0)
    qs = Case.objects.filter(programme=programme)
    for day in qs.filter(found_on__gte=first, found_on__lte=as_of).values_list(
        "found_on", flat=True
    ):
        key = f"{day.year:04d}-{day.month:02d}"
        if key in found_by:
            found_by[key] += 1
    for closed in qs.filter(status="resolved", closed_at__isnull=False).values_list(
        "closed_at", flat=True
    ):
        local = timezone.localtime(closed).date()
        key = f"{local.year:04d}-{local.month:02d}"
        if key in resolved_by and local <= as_of:
            resolved_by[key] += 1
    out.lines = [
        Line(
            "Ditemukan",
            "found",
            [Point(k, month_label(k), float(found_by[k]), number_text(found_by[k])) for k in keys],
        ),
        Line(
            "Selesai",
            "resolved",
            [
                Point(k, month_label(k), float(resolved_by[k]), number_text(resolved_by[k]))
                for k in keys
            ],
        ),
    ]
    return out


_OUTREACH_LABELS = ("Ditemukan", "Ditangani", "Selesai")


# --------------------------------------------------------------------------- CETAR


def _subject(measure: Measure, innovation: Innovation) -> str:
    if measure.service is not None:
        return measure.service.name
    if measure.agency is not None:
        return measure.agency.short_name or measure.agency.name
    return innovation.region.name


def _pivot(measure: Measure, innovation: Innovation, as_of: date) -> date:
    return measure.pivot_date or innovation.start_date or as_of - timedelta(days=BEFORE_DAYS // 2)


def cetar_outcome(measure: Measure, innovation: Innovation, as_of: date) -> Outcome:
    from terpadu.cetar import indicators
    from terpadu.cetar import selectors as cs

    indicator = indicators.get(measure.indicator_id)
    subject = _subject(measure, innovation)
    if indicator is None:
        return Outcome(
            measure_id=measure.pk,
            kind=measure.kind,
            title=measure.title or measure.indicator_id,
            unit="",
            definition="Indikator ini tidak dikenal di Terpadu.",
            source="Indikator CETAR",
            as_of=as_of,
            figures=[Figure(measure.indicator_id, None, NO_DATA)],
        )
    out = Outcome(
        measure_id=measure.pk,
        kind=measure.kind,
        title=measure.title or f"{indicator.name_id} — {subject}",
        unit=indicator.unit,
        definition=indicator.formula,
        source=f"Diukur dari tabel fakta CETAR Terpadu (indikator “{indicator.name_id}”)",
        as_of=as_of,
        caveats=list(indicator.caveats),
        direction=indicator.direction,
    )
    base = cs.Slice(
        first=as_of,
        last=as_of,
        region_ids=(innovation.region_id,),
        agency_id=measure.agency_id,
        service_id=measure.service_id,
    )
    pivot = min(_pivot(measure, innovation, as_of), as_of)

    def value(first: date, last: date, label: str) -> Figure:
        s = cs.Slice(first, last, base.region_ids, base.agency_id, base.service_id)
        facts = cs.load_facts(s, indicator.facts)[None]
        row = cs.make_row(indicator, cs.evaluate(indicator, facts, s))
        text = row.text if row.value.value is not None else NO_DATA
        return Figure(label, row.value.value, text, period_text(first, last))

    out.before = value(pivot - timedelta(days=BEFORE_DAYS), pivot - timedelta(days=1), "Sebelum")
    out.after = value(pivot, as_of, "Sesudah")
    keys = month_keys(as_of)
    s = cs.Slice(_first_of(keys[0]), as_of, base.region_ids, base.agency_id, base.service_id)
    points = [
        Point(
            str(k),
            month_label(str(k)),
            row.value.value,
            row.text if row.value.value is not None else NO_DATA,
        )
        for k, row in cs.series(s, indicator, "month")
    ]
    out.lines = [Line(indicator.name_id, "indicator", points)]
    return out


# --------------------------------------------------------------------------- IKM


def _ikm_between(innovation: Innovation, measure: Measure, first: date, last: date) -> Any:
    from terpadu.surveys.models import SurveyResponse
    from terpadu.surveys.selectors import ikm_of

    qs = SurveyResponse.objects.filter(
        region_id=innovation.region_id, local_date__gte=first, local_date__lte=last
    )
    if measure.agency_id:
        qs = qs.filter(agency_id=measure.agency_id)
    if measure.service_id:
        qs = qs.filter(service_id=measure.service_id)
    return ikm_of(qs)


def ikm_outcome(measure: Measure, innovation: Innovation, as_of: date) -> Outcome:
    subject = _subject(measure, innovation)
    out = Outcome(
        measure_id=measure.pk,
        kind=measure.kind,
        title=measure.title or f"IKM — {subject}",
        unit="indeks",
        definition=(
            "Indeks Kepuasan Masyarakat (PermenPANRB 14/2017): rata-rata nilai 9 unsur pelayanan "
            "dari kuesioner SKM, bobot sama, dikonversi ke skala 25–100. Dihitung persis dari "
            "semua kuesioner pada periode itu."
        ),
        source="Diukur dari kuesioner SKM yang diisi warga di Terpadu",
        as_of=as_of,
        caveats=["Sebelum: 12 bulan sebelum tanggal pembanding; sesudah: sejak tanggal itu."],
    )
    pivot = min(_pivot(measure, innovation, as_of), as_of)

    def figure(first: date, last: date, label: str) -> Figure:
        result = _ikm_between(innovation, measure, first, last)
        if result.ikm is None:
            return Figure(label, None, NO_DATA, period_text(first, last))
        text = f"{number_text(float(result.ikm), decimals=2)} (mutu {result.mutu}, n = {result.n})"
        return Figure(label, float(result.ikm), text, period_text(first, last))

    out.before = figure(pivot - timedelta(days=BEFORE_DAYS), pivot - timedelta(days=1), "Sebelum")
    out.after = figure(pivot, as_of, "Sesudah")
    # quarterly trend over the last 8 quarters
    y, q = as_of.year, (as_of.month - 1) // 3 + 1
    quarters: list[tuple[int, int]] = []
    for _ in range(8):
        quarters.append((y, q))
        y, q = (y - 1, 4) if q == 1 else (y, q - 1)
    points = []
    for y, q in reversed(quarters):
        first = date(y, 3 * q - 2, 1)
        last = (date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)) - timedelta(days=1)
        result = _ikm_between(innovation, measure, first, min(last, as_of))
        value = float(result.ikm) if result.ikm is not None else None
        points.append(
            Point(f"{y}-Q{q}", f"T{q} {str(y)[2:]}", value, number_text(value, decimals=2))
        )
    out.lines = [Line("IKM", "indicator", points)]
    return out


# --------------------------------------------------------------------------- entry points

READERS = {"outreach": outreach_outcome, "cetar": cetar_outcome, "ikm": ikm_outcome}


def measure_outcome(measure: Measure, innovation: Innovation, as_of: date | None = None) -> Outcome:
    return READERS[measure.kind](measure, innovation, as_of or local_today())


def outcomes(innovation: Innovation, as_of: date | None = None) -> list[Outcome]:
    """Every measure of the innovation, read live (measures must be prefetched)."""
    day = as_of or local_today()
    return [measure_outcome(m, innovation, day) for m in innovation.measures.all()]
