"""A deterministic synthetic population register for Kabupaten Banyuwangi.

``PopulationGenerator(seed=…, villages=…)`` yields households (Kartu Keluarga)
and their residents, district by district, in chunks; ``insert_population()``
writes the chunks with ``executemany`` on SQLite and ``COPY`` on PostgreSQL.
Everything comes from one ``random.Random(seed)`` and a fixed reference date,
so a seed and a people count always give the same register.

What the register looks like:

- households: couples with children (most), couples alone, single parents,
  people living alone, some with a widowed parent or a grandchild; about 3.3
  people per household;
- an age pyramid shaped like Indonesia's (BPS five-year bands: about 8 % aged
  0–4, slowly fewer per band up to about 2 % at 70–74, few above 80) and about
  as many men as women;
- KK numbers: district code ``3510xx`` + registration date ``DDMMYY`` + a
  4-digit serial, unique; NIKs: district code + birth date (day + 40 for
  women) + a serial unique per first 12 digits;
- people spread over the 217 desa/kelurahan by rough weights (the
  kelurahan of Kecamatan Banyuwangi denser than rural desa);
- birth places mostly Banyuwangi, otherwise other East Java (and a few Bali)
  towns; religion mostly Islam with Hindu and Christian villages; occupations
  by age, sex and the kind of district (coast, plantation, town).

The NIK's district is always the village's current district (a
simplification: in reality people keep the district code of their first
registration, e.g. Blimbingsari residents registered before the split carry
Rogojampi's 35.10.13).
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction

from terpadu.core.models import Region
from terpadu.demo.names import NameGenerator
from terpadu.registry.models import Household, Resident

#: Ages are computed against this fixed day so that a seed gives the same register every year.
REFERENCE_DATE = date(2026, 1, 1)
#: Bump when the generator's output changes; a stored build of another version is rebuilt.
GENERATOR_VERSION = 1
CHUNK_HOUSEHOLDS = 20_000

_REF = REFERENCE_DATE.toordinal()
_YEAR = 365.2425
# KK numbers are issued by SIAK; the demo's registration dates start in 2005.
_KK_FIRST = date(2005, 1, 1).toordinal()

HOUSEHOLD_COLUMNS = ("id", "region_id", "village_id", "kk_number", "address", "rt", "rw")
RESIDENT_COLUMNS = (
    "region_id",
    "village_id",
    "household_id",
    "nik",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "relationship",
    "mother_name",
    "religion",
    "occupation",
)

# Approximate relative populations of the 25 kecamatan (rounded, for the demo only).
DISTRICT_WEIGHTS: dict[str, int] = {
    "01": 52,
    "02": 62,
    "03": 68,
    "04": 64,
    "05": 132,
    "06": 73,
    "07": 61,
    "08": 92,
    "09": 88,
    "10": 72,
    "11": 63,
    "12": 49,
    "13": 80,
    "14": 71,
    "15": 37,
    "16": 116,
    "17": 32,
    "18": 80,
    "19": 54,
    "20": 74,
    "21": 83,
    "22": 47,
    "23": 48,
    "24": 29,
    "25": 50,
}
COASTAL = {"01", "04", "05", "14", "18", "21", "25"}
PLANTATION = {"10", "11", "19", "24"}
TOWN = {"16", "17"}

# (religion, name group, weight) by village code; others use the default mix.
_DEFAULT_FAITHS = (
    ("Islam", "java", 965),
    ("Kristen", "christian", 12),
    ("Katolik", "christian", 6),
    ("Hindu", "bali", 11),
    ("Hindu", "java", 5),
    ("Buddha", "chinese", 1),
)
_TOWN_FAITHS = (
    ("Islam", "java", 880),
    ("Kristen", "christian", 40),
    ("Katolik", "christian", 20),
    ("Kristen", "chinese", 10),
    ("Hindu", "bali", 20),
    ("Buddha", "chinese", 25),
    ("Khonghucu", "chinese", 5),
)
VILLAGE_FAITHS: dict[str, tuple[tuple[str, str, int], ...]] = {
    # Desa Blimbingsari: a Balinese Christian village (illustrative shares).
    "35.10.25.2001": (("Kristen", "christian", 60), ("Islam", "java", 30), ("Hindu", "bali", 10)),
    # Desa Patoman: a large Balinese Hindu community (illustrative shares).
    "35.10.25.2006": (("Hindu", "bali", 45), ("Islam", "java", 52), ("Kristen", "christian", 3)),
    # Tegaldlimo desa with Javanese Hindu communities (illustrative shares).
    "35.10.04.2003": (("Islam", "java", 75), ("Hindu", "java", 20), ("Hindu", "bali", 5)),
    "35.10.04.2007": (("Islam", "java", 75), ("Hindu", "java", 20), ("Hindu", "bali", 5)),
}

BIRTH_PLACES_JAVA = (
    ("Banyuwangi", 840),
    ("Jember", 30),
    ("Situbondo", 22),
    ("Bondowoso", 12),
    ("Surabaya", 18),
    ("Malang", 14),
    ("Probolinggo", 10),
    ("Lumajang", 9),
    ("Sumenep", 8),
    ("Pamekasan", 5),
    ("Bangkalan", 4),
    ("Jombang", 5),
    ("Kediri", 5),
    ("Blitar", 4),
    ("Sidoarjo", 5),
    ("Pasuruan", 5),
    ("Denpasar", 4),
)
BIRTH_PLACES_BALI = (
    ("Banyuwangi", 700),
    ("Jembrana", 110),
    ("Denpasar", 60),
    ("Tabanan", 60),
    ("Buleleng", 40),
    ("Karangasem", 30),
)

_CHILD = "Belum/Tidak Bekerja"
_STUDENT = "Pelajar/Mahasiswa"
_HOME = "Mengurus Rumah Tangga"
_MEN_JOBS = (
    ("Petani/Pekebun", 200),
    ("Buruh Tani/Perkebunan", 140),
    ("Wiraswasta", 150),
    ("Karyawan Swasta", 110),
    ("Buruh Harian Lepas", 110),
    ("Pedagang", 60),
    ("Nelayan/Perikanan", 25),
    ("Buruh Nelayan/Perikanan", 10),
    ("Sopir", 30),
    ("Tukang Batu", 20),
    ("Tukang Kayu", 15),
    ("Montir", 10),
    ("Peternak", 15),
    ("Pegawai Negeri Sipil", 25),
    ("Guru", 15),
    ("TNI", 5),
    ("Kepolisian RI", 5),
    ("Perangkat Desa", 8),
    ("Karyawan BUMN", 5),
    (_CHILD, 30),
)
_WOMEN_JOBS = (
    (_HOME, 420),
    ("Petani/Pekebun", 80),
    ("Buruh Tani/Perkebunan", 80),
    ("Wiraswasta", 90),
    ("Pedagang", 90),
    ("Karyawan Swasta", 80),
    ("Buruh Harian Lepas", 40),
    ("Guru", 30),
    ("Pegawai Negeri Sipil", 20),
    ("Penjahit", 15),
    ("Perawat", 10),
    ("Bidan", 6),
    ("Perangkat Desa", 3),
    (_CHILD, 30),
)
_ELDER_JOBS = (
    (_CHILD, 360),
    ("Petani/Pekebun", 260),
    ("Pensiunan", 80),
    ("Pedagang", 60),
    ("Wiraswasta", 60),
    ("Buruh Tani/Perkebunan", 60),
    (_HOME, 120),
)
_DISTRICT_JOB_BOOST: dict[str, dict[str, int]] = {
    "coast": {"Nelayan/Perikanan": 220, "Buruh Nelayan/Perikanan": 60},
    "plantation": {"Buruh Tani/Perkebunan": 260, "Petani/Pekebun": 120},
    "town": {
        "Karyawan Swasta": 160,
        "Wiraswasta": 100,
        "Pegawai Negeri Sipil": 50,
        "Pedagang": 60,
        "Petani/Pekebun": -170,
        "Buruh Tani/Perkebunan": -120,
    },
}

DUSUN_NAMES = (
    "Krajan",
    "Kampung Baru",
    "Sumberejo",
    "Karanganyar",
    "Sukorejo",
    "Kedungrejo",
    "Tegalrejo",
    "Wonorejo",
    "Purwosari",
    "Sidomulyo",
    "Kebonrejo",
    "Sumberagung",
    "Krajan Kidul",
    "Krajan Lor",
    "Gumuk",
    "Sukodadi",
    "Tanjungsari",
    "Sumbersari",
    "Rejosari",
    "Kaliputih",
)
TOWN_STREETS = (
    "Jl. Ahmad Yani",
    "Jl. Basuki Rahmat",
    "Jl. Brawijaya",
    "Jl. Jaksa Agung Suprapto",
    "Jl. Adi Sucipto",
    "Jl. PB Sudirman",
    "Jl. Kapten Piere Tendean",
    "Jl. Letjen S. Parman",
    "Jl. MH Thamrin",
    "Jl. Gajah Mada",
    "Jl. Hayam Wuruk",
    "Jl. Kolonel Sugiono",
    "Jl. Diponegoro",
    "Jl. Banterang",
    "Jl. Wijaya Kusuma",
    "Jl. Kartini",
    "Jl. Kyai Saleh",
    "Jl. Riau",
    "Jl. Jember",
    "Jl. Sritanjung",
)


class Weighted:
    """A fast weighted choice from fixed options (one ``random()`` and a bisect)."""

    __slots__ = ("cum", "options", "total")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        pairs = [(o, w) for o, w in pairs if w > 0]
        self.options = [o for o, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.options[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _bands(pairs: Sequence[tuple[tuple[int, int], float]]) -> Weighted:
    """Age bands in years ``((lo, hi), weight)`` → a picker of (lo_days, hi_days)."""
    return Weighted([((round(lo * _YEAR), round(hi * _YEAR)), w) for (lo, hi), w in pairs])


# Household types and the head's age by type (tuned so that the resulting
# pyramid follows the BPS bands; see docs/demo.md).
_KIND = Weighted(
    [("family", 0.66), ("couple", 0.10), ("single_parent", 0.11), ("alone", 0.06), ("elder", 0.07)]
)
_FAMILY_HEAD = _bands(
    [((23, 30), 0.09), ((30, 40), 0.28), ((40, 50), 0.33), ((50, 60), 0.21), ((60, 70), 0.09)]
)
_COUPLE_HEAD = _bands([((21, 30), 0.36), ((30, 50), 0.08), ((50, 65), 0.32), ((65, 85), 0.24)])
_SINGLE_PARENT_HEAD = _bands([((26, 40), 0.3), ((40, 55), 0.4), ((55, 70), 0.22), ((70, 85), 0.08)])
_ALONE_HEAD = _bands([((19, 35), 0.25), ((35, 60), 0.25), ((60, 75), 0.32), ((75, 92), 0.18)])
_ELDER_HEAD = _bands([((55, 65), 0.4), ((65, 75), 0.4), ((75, 90), 0.2)])
_CHILDREN = Weighted([(0, 0.02), (1, 0.22), (2, 0.37), (3, 0.24), (4, 0.10), (5, 0.05)])


@dataclass(frozen=True)
class VillageSpec:
    id: int
    code: str
    name: str
    district: str  # "01".."25"
    is_kelurahan: bool
    weight: float
    faiths: Weighted
    jobs_men: Weighted
    jobs_women: Weighted

    @property
    def nik_prefix(self) -> str:
        return "3510" + self.district


def _job_table(
    base: Sequence[tuple[str, int]], district: str, is_kelurahan: bool, *, women: bool = False
) -> Weighted:
    weights = dict(base)
    boosts: list[tuple[dict[str, int], float]] = []
    # Fishing and estate work are mostly men's jobs in the register; women get a small share.
    if district in COASTAL:
        boosts.append((_DISTRICT_JOB_BOOST["coast"], 0.15 if women else 1.0))
    if district in PLANTATION:
        boosts.append((_DISTRICT_JOB_BOOST["plantation"], 0.4 if women else 1.0))
    if district in TOWN or is_kelurahan:
        boosts.append((_DISTRICT_JOB_BOOST["town"], 1.0))
    for boost, scale in boosts:
        for job, delta in boost.items():
            if job in weights or delta > 0:
                weights[job] = max(5, weights.get(job, 0) + round(delta * scale))
    return Weighted(sorted(weights.items()))


def village_specs(villages: Sequence[Region]) -> list[VillageSpec]:
    """Weights and local mixes for each desa/kelurahan (independent of the seed)."""
    by_district: dict[str, list[Region]] = {}
    for v in villages:
        by_district.setdefault(v.code.split(".")[2], []).append(v)
    specs: list[VillageSpec] = []
    for district in sorted(by_district):
        members = by_district[district]
        # A village's share of its district: fixed jitter from its code; kelurahan are denser.
        raw = []
        for v in members:
            jitter = random.Random(v.code).uniform(0.6, 1.5)
            raw.append(jitter * (1.6 if v.is_kelurahan else 1.0))
        total = sum(raw)
        district_weight = DISTRICT_WEIGHTS.get(district, 60)
        for v, r in zip(members, raw, strict=True):
            town = district in TOWN
            faiths = VILLAGE_FAITHS.get(v.code) or (
                _TOWN_FAITHS if town and v.is_kelurahan else _DEFAULT_FAITHS
            )
            specs.append(
                VillageSpec(
                    id=v.pk,
                    code=v.code,
                    name=v.name,
                    district=district,
                    is_kelurahan=v.is_kelurahan,
                    weight=district_weight * r / total,
                    faiths=Weighted([((rel, grp), w) for rel, grp, w in faiths]),
                    jobs_men=_job_table(_MEN_JOBS, district, v.is_kelurahan),
                    jobs_women=_job_table(_WOMEN_JOBS, district, v.is_kelurahan, women=True),
                )
            )
    return specs


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    wsum = sum(weights)
    exact = [total * w / wsum for w in weights]
    counts = [int(x) for x in exact]
    short = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[:short]:
        counts[i] += 1
    return counts


@dataclass
class Chunk:
    households: list[tuple[Any, ...]] = field(default_factory=list)
    residents: list[tuple[Any, ...]] = field(default_factory=list)


# A member while a household is being composed: [relationship, sex, birth ordinal, name, mother_name]
_Member = list[Any]


class PopulationGenerator:
    """Yields ``Chunk``s of household and resident rows for the whole regency."""

    def __init__(
        self,
        *,
        seed: int,
        regency_id: int,
        villages: Sequence[VillageSpec],
        first_household_id: int = 1,
        chunk_households: int = CHUNK_HOUSEHOLDS,
    ) -> None:
        self.rng = random.Random(seed)
        self.names = NameGenerator(self.rng)
        self.regency_id = regency_id
        self.villages = list(villages)
        self.next_household_id = first_household_id
        self.chunk_households = chunk_households
        self.birth_java = Weighted(BIRTH_PLACES_JAVA)
        self.birth_bali = Weighted(BIRTH_PLACES_BALI)
        self.elder_jobs = Weighted(_ELDER_JOBS)
        self.households = 0
        self.people = 0

    # -- public -------------------------------------------------------------

    def chunks(self, people: int) -> Iterator[Chunk]:
        targets = allocate(people, [v.weight for v in self.villages])
        chunk = Chunk()
        district = None
        nik_serials: dict[str, int] = {}
        kk_serials: dict[str, int] = {}
        for village, target in zip(self.villages, targets, strict=True):
            if village.district != district:
                # Serials are unique per first 12 digits, which start with the district:
                # counters of a finished district are never needed again.
                district = village.district
                nik_serials = {}
                kk_serials = {}
            layout = self._layout(village)
            remaining = target
            while remaining > 0:
                members = self._compose()
                if len(members) > remaining:
                    del members[remaining:]
                remaining -= len(members)
                self._emit(chunk, village, layout, members, nik_serials, kk_serials)
                if len(chunk.households) >= self.chunk_households:
                    yield chunk
                    chunk = Chunk()
        if chunk.households:
            yield chunk

    # -- composition --------------------------------------------------------

    def _age(self, band: tuple[int, int]) -> int:
        """A birth ordinal for an age drawn uniformly inside ``band`` (days)."""
        return _REF - self.rng.randrange(band[0], band[1])

    def _born_years_before(self, birth: int, lo: float, hi: float) -> int:
        return birth - self.rng.randrange(round(lo * _YEAR), round(hi * _YEAR))

    def _compose(self) -> list[_Member]:
        """One household: [relationship, sex, birth ordinal, name, mother_name]; head first."""
        rng = self.rng
        kind = _KIND.pick(rng)
        members: list[_Member] = []
        if kind == "family":
            head = self._age(_FAMILY_HEAD.pick(rng))
            wife = self._wife(head)
            members.append(["head", "L", head, "", ""])
            members.append(["spouse", "P", wife, "", ""])
            self._children(members, wife, _CHILDREN.pick(rng))
            eldest = members[2] if len(members) > 2 else None
            if eldest and _REF - eldest[2] > 21 * _YEAR and rng.random() < 0.4:
                # A married child still on the parents' KK: the in-law, maybe a grandchild.
                in_law = eldest[2] + rng.randrange(-3 * 365, 3 * 365)
                members.append(
                    ["other", "P" if eldest[1] == "L" else "L", min(in_law, _REF - 6600), "", ""]
                )
                first_baby = max(eldest[2], in_law) + round(20 * _YEAR)
                if first_baby < _REF and rng.random() < 0.6:
                    members.append(
                        [
                            "other",
                            "L" if rng.random() < 0.52 else "P",
                            rng.randint(first_baby, _REF),
                            "",
                            "",
                        ]
                    )
            if rng.random() < 0.22 and _REF - head < 60 * _YEAR:
                members.append(
                    ["parent", "P" if rng.random() < 0.62 else "L", self._parent(head), "", ""]
                )
        elif kind == "couple":
            head = self._age(_COUPLE_HEAD.pick(rng))
            members.append(["head", "L", head, "", ""])
            members.append(["spouse", "P", self._wife(head), "", ""])
            if rng.random() < 0.08 and _REF - head < 40 * _YEAR:
                members.append(
                    ["parent", "P" if rng.random() < 0.62 else "L", self._parent(head), "", ""]
                )
        elif kind == "single_parent":
            head = self._age(_SINGLE_PARENT_HEAD.pick(rng))
            sex = "P" if rng.random() < 0.7 else "L"
            members.append(["head", sex, head, "", ""])
            mother = head if sex == "P" else self._wife(head)
            self._children(members, mother, max(1, _CHILDREN.pick(rng)))
        elif kind == "alone":
            head = self._age(_ALONE_HEAD.pick(rng))
            old = _REF - head > 60 * _YEAR
            sex = (
                ("P" if rng.random() < 0.6 else "L")
                if old
                else ("L" if rng.random() < 0.6 else "P")
            )
            members.append(["head", sex, head, "", ""])
        else:  # elder couple or widow(er) raising grandchildren
            head = self._age(_ELDER_HEAD.pick(rng))
            if rng.random() < 0.55:
                members.append(["head", "L", head, "", ""])
                members.append(["spouse", "P", self._wife(head), "", ""])
            else:
                members.append(["head", "P" if rng.random() < 0.75 else "L", head, "", ""])
            for _ in range(1 + (rng.random() < 0.35)):
                members.append(
                    [
                        "other",
                        "L" if rng.random() < 0.51 else "P",
                        self._age((0, round(17 * _YEAR))),
                        "",
                        "",
                    ]
                )
        return members

    def _wife(self, husband: int) -> int:
        gap = min(12.0, max(-2.0, self.rng.gauss(4.0, 3.0)))
        birth = husband + round(gap * _YEAR) + self.rng.randrange(-180, 180)
        return min(birth, _REF - round(18 * _YEAR))

    def _parent(self, child: int) -> int:
        birth = self._born_years_before(child, 20, 34)
        return max(birth, _REF - round(98 * _YEAR))

    def _children(self, members: list[_Member], mother: int, count: int) -> None:
        rng = self.rng
        birth = mother + rng.randrange(round(19 * _YEAR), round(29 * _YEAR))
        for _ in range(count):
            if birth > _REF or birth - mother > 44 * _YEAR:
                break
            age = (_REF - birth) / _YEAR
            # Grown-up children leave home: from 22 on fewer stay each year.
            if age < 22 or rng.random() > (age - 21) * 0.11:
                members.append(["child", "L" if rng.random() < 0.52 else "P", birth, "", ""])
            birth += rng.randrange(round(1.4 * _YEAR), round(6 * _YEAR))

    # -- rows -----------------------------------------------------------------

    def _layout(self, village: VillageSpec) -> tuple[list[str], int]:
        """Dusun or street names of a village and how many RT each RW has."""
        local = random.Random(village.code)
        if village.is_kelurahan:
            streets = local.sample(TOWN_STREETS, local.randint(5, 9))
        else:
            streets = [
                "Dusun " + d
                for d in ["Krajan", *local.sample(DUSUN_NAMES[1:], local.randint(2, 5))]
            ]
        return streets, local.randint(3, 8)

    def _emit(
        self,
        chunk: Chunk,
        village: VillageSpec,
        layout: tuple[list[str], int],
        members: list[_Member],
        nik_serials: dict[str, int],
        kk_serials: dict[str, int],
    ) -> None:
        rng = self.rng
        names = self.names
        religion, group = village.faiths.pick(rng)
        streets, rts_per_rw = layout
        rw = rng.randrange(len(streets))
        rt = rw * rts_per_rw + rng.randrange(rts_per_rw) + 1
        if village.is_kelurahan:
            address = f"{streets[rw]} No. {rng.randint(1, 180)}"
        else:
            address = streets[rw]
        household_id = self.next_household_id
        self.next_household_id += 1

        # KK: district + registration date DDMMYY + serial.
        head_birth = members[0][2]
        first = max(_KK_FIRST, head_birth + round(17 * _YEAR))
        registered = date.fromordinal(rng.randint(min(first, _REF), _REF))
        kk_prefix = f"{village.nik_prefix}{registered.day:02d}{registered.month:02d}{registered.year % 100:02d}"
        kk_serial = kk_serials.get(kk_prefix, 0) + 1
        kk_serials[kk_prefix] = kk_serial
        chunk.households.append(
            (
                household_id,
                self.regency_id,
                village.id,
                f"{kk_prefix}{kk_serial:04d}",
                address,
                f"{rt:03d}",
                f"{rw + 1:03d}",
            )
        )

        # Names: adults first so that children can carry their mother's name.
        mother_of_children = ""
        head_mother = ""
        order = 0
        for m in members:
            rel, sex, birth = m[0], m[1], m[2]
            year = date.fromordinal(birth).year
            if rel == "child":
                order += 1
                m[3] = names.name(sex, year, group, order)
            else:
                m[3] = names.name(sex, year, group, 0)
            if rel in ("spouse",) or (rel == "head" and sex == "P"):
                mother_of_children = m[3]
            if rel == "parent" and sex == "P":
                head_mother = m[3]
        for m in members:
            rel, birth = m[0], m[2]
            if rel == "child" and mother_of_children:
                m[4] = mother_of_children
            elif rel == "head" and head_mother:
                m[4] = head_mother
            else:
                year = date.fromordinal(birth).year - 25
                m[4] = names.name("P", year, group, 0)

        birth_places = self.birth_bali if group == "bali" else self.birth_java
        for rel, sex, birth, name, mother_name in members:
            born = date.fromordinal(birth)
            day = born.day + 40 if sex == "P" else born.day
            prefix = f"{village.nik_prefix}{day:02d}{born.month:02d}{born.year % 100:02d}"
            serial = nik_serials.get(prefix, 0) + 1
            nik_serials[prefix] = serial
            age = (_REF - birth) / _YEAR
            local = age < 18 and rng.random() < 0.95
            place = "Banyuwangi" if local else birth_places.pick(rng)
            chunk.residents.append(
                (
                    self.regency_id,
                    village.id,
                    household_id,
                    f"{prefix}{serial:04d}",
                    name,
                    sex,
                    place,
                    born.isoformat(),
                    rel,
                    mother_name,
                    religion,
                    self._occupation(village, sex, age),
                )
            )
        self.households += 1
        self.people += len(members)

    def _occupation(self, village: VillageSpec, sex: str, age: float) -> str:
        rng = self.rng
        if age < 5:
            return _CHILD
        if age < 18:
            return _STUDENT if rng.random() < 0.93 else _CHILD
        if age < 23 and rng.random() < 0.35:
            return _STUDENT
        if age >= 60:
            job: str = self.elder_jobs.pick(rng)
            if job == _HOME and sex == "L":
                return _CHILD
            return job
        return str((village.jobs_men if sex == "L" else village.jobs_women).pick(rng))


# -- database ------------------------------------------------------------------


def _table(model: type[Household] | type[Resident]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def next_household_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table(Household)}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0] if row else 0) + 1


def _insert_sql(model: type[Household] | type[Resident], columns: Sequence[str]) -> str:
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {_table(model)} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


def _copy_sql(model: type[Household] | type[Resident], columns: Sequence[str]) -> str:
    return f"COPY {_table(model)} ({', '.join(columns)}) FROM STDIN"


def insert_chunk(chunk: Chunk) -> None:
    """Write one chunk in one transaction: households first, then their residents."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw: Any = cursor.cursor
                with raw.copy(_copy_sql(Household, HOUSEHOLD_COLUMNS)) as copy:
                    for row in chunk.households:
                        copy.write_row(row)
                with raw.copy(_copy_sql(Resident, RESIDENT_COLUMNS)) as copy:
                    for row in chunk.residents:
                        copy.write_row(row)
        else:
            connection.ensure_connection()
            db: Any = connection.connection
            db.executemany(_insert_sql(Household, HOUSEHOLD_COLUMNS), chunk.households)
            db.executemany(_insert_sql(Resident, RESIDENT_COLUMNS), chunk.residents)


def after_bulk_load() -> None:
    """Fix the id sequences and refresh planner statistics after the raw inserts."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Household, Resident):
                max_id = f"SELECT MAX(id) FROM {_table(model)}"  # noqa: S608
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(({max_id}), 0) + 1, false)",
                    [model._meta.db_table],
                )
            cursor.execute(f"ANALYZE {_table(Household)}")
            cursor.execute(f"ANALYZE {_table(Resident)}")
        else:
            cursor.execute("ANALYZE")


class _SqliteBulkMode:
    """A bigger page cache while loading (random NIK and name index inserts)."""

    def __enter__(self) -> None:
        self.previous: int | None = None
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            row = cursor.fetchone()
            self.previous = int(row[0]) if row else None
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB

    def __exit__(self, *exc: object) -> None:
        if connection.vendor == "sqlite" and self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {self.previous}")


def build_population(
    *,
    people: int,
    seed: int,
    regency: Region,
    progress: Any = None,
    chunk_households: int = CHUNK_HOUSEHOLDS,
) -> dict[str, int]:
    """Generate and insert ``people`` residents of ``regency``; returns the counts."""
    villages = list(
        Region.objects.filter(
            level=Region.Level.VILLAGE, code__startswith=regency.code + "."
        ).order_by("code")
    )
    specs = village_specs(villages)
    generator = PopulationGenerator(
        seed=seed,
        regency_id=regency.pk,
        villages=specs,
        first_household_id=next_household_id(),
        chunk_households=chunk_households,
    )
    with _SqliteBulkMode():
        for chunk in generator.chunks(people):
            insert_chunk(chunk)
            if progress:
                progress(
                    f"population: {generator.people:,} people in {generator.households:,} households"
                )
    after_bulk_load()
    return {"people": generator.people, "households": generator.households, "villages": len(specs)}


def clear_population(regency: Region) -> dict[str, int]:
    """Delete the regency's residents and households (and rows that point at them).

    Rows of other models that reference a resident or a household of the
    regency are deleted through the ORM first (so their own cascades run);
    the residents and households themselves go with one raw ``DELETE`` each.
    """
    deleted_other = 0
    with transaction.atomic():
        for target, lookup in ((Resident, "region"), (Household, "region")):
            for rel in target._meta.related_objects:
                related_model = rel.related_model
                if related_model in (Resident, Household) or not rel.field.concrete:
                    continue
                manager = related_model._base_manager  # type: ignore[union-attr]
                deleted, _ = manager.filter(**{f"{rel.field.name}__{lookup}": regency}).delete()
                deleted_other += deleted
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_table(Resident)} WHERE region_id = %s", [regency.pk])  # noqa: S608
            residents = cursor.rowcount
            cursor.execute(f"DELETE FROM {_table(Household)} WHERE region_id = %s", [regency.pk])  # noqa: S608
            households = cursor.rowcount
    return {"residents": residents, "households": households, "other": deleted_other}
