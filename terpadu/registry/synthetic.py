"""Dirty agency extracts with known truth, made from a synthetic population register.

Pure Python (no Django): the demo step feeds it the demo's residents, the
linkage benchmark feeds it :class:`terpadu.demo.population.PopulationGenerator`
chunks without a database. One ``random.Random(seed)`` drives every choice.

What the extracts look like (rates per record, see docs/registry.md):

- **school enrolment** (Dapodik-like) for children aged 6–18: NISN, the name
  as the school wrote it (capitals, ``M.``/``Moch.`` for Muhammad, old
  spellings, a typing slip, a dropped last word), a birth date with slips
  (day and month swapped, a digit off), the NIK in fewer than half of the rows
  (sometimes with one wrong digit), the mother's name, school, grade, year;
- **maternal cohort** of a puskesmas: women aged 17–44, ``Ny.``/``Hj.`` before
  the name, the husband's name, an age instead of a birth date in most rows,
  the desa, HPHT and the expected delivery date, the NIK in some rows;
- **social welfare list** (DTKS-like): the poorer households, every member,
  NIK and KK (a wrong digit now and then, a few blanks), the address with
  RT/RW written in the many ways villages write it, a welfare decile, and a
  few people listed twice.

Every record carries ``truth`` (the register NIK of the person it describes)
so precision and recall can be measured.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from terpadu.demo.names import MUHAMMAD_FORMS

SOURCE_TYPES = ("population", "school", "maternal", "welfare")


@dataclass(frozen=True)
class TruePerson:
    """One person of the register, with what the extracts need to know about the household."""

    nik: str
    kk: str
    name: str
    sex: str
    birth_date: date
    birth_place: str
    village_code: str
    village_name: str
    district_name: str
    address: str
    rt: str
    rw: str
    mother_name: str
    relationship: str
    household: int
    husband_name: str = ""


@dataclass
class Rates:
    """How dirty each list is (probabilities per record)."""

    school_coverage: float = 0.92
    school_nik: float = 0.45
    nik_typo: float = 0.03
    name_variant: float = 0.35
    name_typo: float = 0.06
    name_drop_word: float = 0.05
    date_slip: float = 0.06
    school_mother: float = 0.85
    school_moved: float = 0.05
    maternal_share: float = 0.06
    maternal_nik: float = 0.55
    maternal_birth_date: float = 0.35
    welfare_households: float = 0.35
    welfare_nik_blank: float = 0.06
    welfare_duplicate: float = 0.02
    welfare_birth_blank: float = 0.04


# Spellings a clerk may use for the same sounds (modern → written).
_SPELLING_SWAPS = (
    ("u", "oe"),
    ("j", "dj"),
    ("c", "tj"),
    ("kh", "ch"),
    ("sy", "sj"),
    ("ny", "nj"),
    ("y", "j"),
    ("i", "y"),
    ("ah", "a"),
    ("f", "p"),
    ("kh", "h"),
    ("dh", "d"),
    ("ii", "i"),
)
_MUHAMMAD = {f.lower().rstrip(".") for f in MUHAMMAD_FORMS} | {"muhammad"}
_WOMAN_TITLES = ("Ny.", "Ny", "Hj.", "Ibu")
_MAN_TITLES = ("H.", "Drs.", "Bpk.")
_DEGREES = (", S.Pd.", ", S.Pd.I", " S.Ag", ", A.Md.Keb.", ", S.E.", ", S.Kep.")


class Dirtier:
    """Realistic corruptions of names, dates, NIKs and addresses."""

    def __init__(self, rng: random.Random, rates: Rates, reference: date | None = None) -> None:
        self.rng = rng
        self.rates = rates
        self.reference = reference

    def name(self, name: str, *, sex: str = "", title_chance: float = 0.0) -> str:
        rng = self.rng
        words = name.split()
        if rng.random() < self.rates.name_variant:
            words = [self._variant(w, first=i == 0) for i, w in enumerate(words)]
        if len(words) > 2 and rng.random() < self.rates.name_drop_word:
            words = words[:-1]
        out = " ".join(words)
        if rng.random() < self.rates.name_typo:
            out = self._typo(out)
        if title_chance and rng.random() < title_chance:
            if sex == "P":
                out = f"{rng.choice(_WOMAN_TITLES)} {out}"
            else:
                out = f"{rng.choice(_MAN_TITLES)} {out}"
            if rng.random() < 0.15:
                out += rng.choice(_DEGREES)
        r = rng.random()
        if r < 0.35:
            out = out.upper()
        elif r < 0.4:
            out = out.lower()
        return out

    def _variant(self, word: str, *, first: bool) -> str:
        rng = self.rng
        low = word.lower().rstrip(".")
        if low in _MUHAMMAD:
            return rng.choice(MUHAMMAD_FORMS)
        if first and low == "siti" and rng.random() < 0.3:
            return "Sitti"
        candidates = [(a, b) for a, b in _SPELLING_SWAPS if a in low]
        if not candidates or rng.random() < 0.4:
            return word
        a, b = rng.choice(candidates)
        i = low.find(a)
        changed = low[:i] + b + low[i + len(a) :]
        return changed.capitalize()

    def _typo(self, text: str) -> str:
        rng = self.rng
        letters = [i for i, c in enumerate(text) if c.isalpha()]
        if len(letters) < 4:
            return text
        i = rng.choice(letters[1:])
        kind = rng.random()
        if kind < 0.35:  # a letter left out
            return text[:i] + text[i + 1 :]
        if kind < 0.6 and i + 1 < len(text) and text[i + 1].isalpha():  # two letters swapped
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if kind < 0.8:  # a letter doubled
            return text[:i] + text[i] + text[i:]
        near = "aiueo" if text[i].lower() in "aiueo" else "bcdfghjklmnprstw"
        c = rng.choice(near)
        return text[:i] + (c.upper() if text[i].isupper() else c) + text[i + 1 :]

    def birth_date(self, born: date) -> date:
        """The same date, or a slip: day and month swapped, a day or a year off."""
        slipped = self._slip(born)
        return born if self.reference and slipped > self.reference else slipped

    def _slip(self, born: date) -> date:
        rng = self.rng
        if rng.random() >= self.rates.date_slip:
            return born
        kind = rng.random()
        if kind < 0.3 and born.day <= 12 and born.day != born.month:
            return date(born.year, born.day, born.month)
        if kind < 0.6:
            return born + timedelta(days=rng.choice((-1, 1, 10, -10)))
        try:
            return born.replace(year=born.year + rng.choice((-1, 1)))
        except ValueError:
            return born + timedelta(days=1)

    def digits(self, number: str) -> str:
        """One digit of a NIK/KK typed wrong (most often in the last six)."""
        rng = self.rng
        i = rng.randrange(10, 16) if rng.random() < 0.7 else rng.randrange(0, 16)
        d = str((int(number[i]) + rng.randint(1, 9)) % 10)
        return number[:i] + d + number[i + 1 :]

    def date_text(self, value: date) -> str:
        """A date as a clerk types it."""
        r = self.rng.random()
        if r < 0.55:
            return value.strftime("%d-%m-%Y")
        if r < 0.75:
            return value.strftime("%d/%m/%Y")
        if r < 0.9:
            return f"{value.day} {_MONTHS_ID[value.month - 1]} {value.year}"
        return value.isoformat()

    def address(self, person: TruePerson) -> str:
        rt, rw = int(person.rt), int(person.rw)
        forms = (
            f"{person.address} RT {rt:03d} RW {rw:03d}",
            f"{person.address} RT.{rt:02d}/RW.{rw:02d}",
            f"{person.address} Rt {rt} Rw {rw}",
            f"{person.address} {rt:03d}/{rw:03d}",
            f"{person.address.replace('Dusun', 'Dsn.')} RT{rt:02d} RW{rw:02d}",
        )
        return self.rng.choice(forms)


_MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_SCHOOLS = ("SDN {n} {v}", "SD Islam {v}", "MI Nurul Huda {v}", "SMPN {n} {d}", "MTs Al Amin {d}")


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def dirty_extracts(
    people: Iterable[TruePerson],
    *,
    seed: int,
    reference: date,
    rates: Rates | None = None,
    include_population: bool = True,
) -> Iterator[tuple[str, dict[str, str]]]:
    """``(source_type, row)`` for each row of each extract, as an agency would write it.

    Rows are dicts of column → text using each source type's default column
    names (see ``terpadu/registry/mappings``), plus ``truth``. The population
    rows (``include_population``) are the register itself, clean.
    """
    rng = random.Random(seed)
    rates = rates or Rates()
    dirt = Dirtier(rng, rates, reference)
    welfare_households: dict[int, bool] = {}
    nisn = 10_000_000
    for p in people:
        if include_population:
            yield (
                "population",
                {
                    "nik": p.nik,
                    "no_kk": p.kk,
                    "nama": p.name,
                    "jenis_kelamin": p.sex,
                    "tempat_lahir": p.birth_place,
                    "tanggal_lahir": p.birth_date.isoformat(),
                    "alamat": p.address,
                    "rt": p.rt,
                    "rw": p.rw,
                    "desa": p.village_name,
                    "kecamatan": p.district_name,
                    "nama_ibu": p.mother_name,
                    "truth": p.nik,
                },
            )
        age = _age(p.birth_date, reference)
        # School enrolment.
        if 6 <= age <= 18 and rng.random() < rates.school_coverage:
            nisn += rng.randint(1, 40)
            nik = ""
            if rng.random() < rates.school_nik:
                nik = dirt.digits(p.nik) if rng.random() < rates.nik_typo else p.nik
            born = dirt.birth_date(p.birth_date)
            desa = p.village_name if rng.random() >= rates.school_moved else ""
            grade = min(12, max(1, age - 6))
            school = rng.choice(_SCHOOLS).format(
                n=rng.randint(1, 6), v=p.village_name, d=p.district_name
            )
            yield (
                "school",
                {
                    "nisn": f"{nisn:010d}",
                    "nik": nik,
                    "nama_siswa": dirt.name(p.name),
                    "jk": p.sex,
                    "tempat_lahir": p.birth_place,
                    "tanggal_lahir": dirt.date_text(born),
                    "nama_ibu_kandung": dirt.name(p.mother_name)
                    if p.mother_name and rng.random() < rates.school_mother
                    else "",
                    "desa": desa,
                    "kecamatan": p.district_name if desa else "",
                    "sekolah": school,
                    "kelas": str(grade),
                    "tahun_ajaran": f"{reference.year - 1}/{reference.year}",
                    "truth": p.nik,
                },
            )
        # Maternal cohort.
        if p.sex == "P" and 17 <= age <= 44 and rng.random() < rates.maternal_share:
            nik = ""
            if rng.random() < rates.maternal_nik:
                nik = dirt.digits(p.nik) if rng.random() < rates.nik_typo else p.nik
            hpht = reference - timedelta(days=rng.randint(20, 260))
            has_date = rng.random() < rates.maternal_birth_date
            born = dirt.birth_date(p.birth_date)
            yield (
                "maternal",
                {
                    "no_register": f"K{rng.randint(1, 99999):05d}",
                    "nik": nik,
                    "nama_ibu": dirt.name(p.name, sex="P", title_chance=0.3),
                    "nama_suami": dirt.name(p.husband_name) if p.husband_name else "",
                    "umur": "" if has_date else str(_age(p.birth_date, hpht)),
                    "tanggal_lahir": dirt.date_text(born) if has_date else "",
                    "desa": p.village_name,
                    "kecamatan": p.district_name,
                    "alamat": dirt.address(p) if rng.random() < 0.7 else "",
                    "hpht": dirt.date_text(hpht),
                    "taksiran_persalinan": dirt.date_text(hpht + timedelta(days=280)),
                    "tanggal_kunjungan": (hpht + timedelta(days=rng.randint(10, 20))).isoformat(),
                    "truth": p.nik,
                },
            )
        # Social welfare list: whole households.
        listed = welfare_households.get(p.household)
        if listed is None:
            listed = rng.random() < rates.welfare_households
            welfare_households[p.household] = listed
        if listed:
            copies = 2 if rng.random() < rates.welfare_duplicate else 1
            for _ in range(copies):
                nik = p.nik
                if rng.random() < rates.welfare_nik_blank:
                    nik = ""
                elif rng.random() < rates.nik_typo:
                    nik = dirt.digits(p.nik)
                kk = dirt.digits(p.kk) if rng.random() < rates.nik_typo else p.kk
                yield (
                    "welfare",
                    {
                        "nik": nik,
                        "no_kk": kk,
                        "nama": dirt.name(p.name, sex=p.sex, title_chance=0.05),
                        "jenis_kelamin": p.sex,
                        "tanggal_lahir": ""
                        if rng.random() < rates.welfare_birth_blank
                        else dirt.date_text(dirt.birth_date(p.birth_date)),
                        "alamat": dirt.address(p),
                        "desa": p.village_name,
                        "kecamatan": p.district_name,
                        "desil": str(rng.choice((1, 1, 2, 2, 2, 3, 3, 4))),
                        "truth": p.nik,
                    },
                )


def people_from_chunks(
    chunks: Iterable[Any], villages: Mapping[int, tuple[str, str, str]]
) -> Iterator[TruePerson]:
    """TruePersons from :class:`terpadu.demo.population.Chunk` rows.

    ``villages`` maps the generator's village id to ``(code, name, district name)``.
    """
    for chunk in chunks:
        households = {h[0]: h for h in chunk.households}
        by_household: dict[int, list[tuple[Any, ...]]] = {}
        for r in chunk.residents:
            by_household.setdefault(r[2], []).append(r)
        for household_id, members in by_household.items():
            _, _, village_id, kk, address, rt, rw = households[household_id]
            code, village_name, district_name = villages[village_id]
            head = members[0]
            husband = head[4] if head[5] == "L" else ""
            for r in members:
                _, _, _, nik, name, sex, place, born, rel, mother, _, _ = r
                yield TruePerson(
                    nik=nik,
                    kk=kk,
                    name=name,
                    sex=sex,
                    birth_date=date.fromisoformat(born),
                    birth_place=place,
                    village_code=code,
                    village_name=village_name,
                    district_name=district_name,
                    address=address,
                    rt=rt,
                    rw=rw,
                    mother_name=mother,
                    relationship=rel,
                    household=household_id,
                    husband_name=husband if rel == "spouse" else "",
                )
