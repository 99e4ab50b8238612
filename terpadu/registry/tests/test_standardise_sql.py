"""The set-based SQL standardisation agrees with the pure Python functions (hypothesis).

``standardise.py`` defines the rules; ``standardise_sql.py`` applies them to
whole columns in DuckDB for bulk jobs. These tests feed both random and tricky
input (titles, degrees with and without dots, commas, the old spellings,
doubled letters, every written date form, NIKs with slips, accents and tabs
that the SQL hands back to Python) and require the same answers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from terpadu.registry import sources, standardise_sql
from terpadu.registry import standardise as std

TODAY = date(2026, 1, 1)
# Each example plans a few large SQL statements (~0.1 s): fewer examples, lists of values each.
HYPOTHESIS = settings(max_examples=60, deadline=None)


def _connect() -> Any:
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET threads = 1")
    return con


def _sql_names(values: list[str]) -> dict[str, tuple[str, str]]:
    con = _connect()
    con.execute("CREATE TABLE src (raw VARCHAR)")
    con.executemany("INSERT INTO src VALUES (?)", [[v] for v in values])
    standardise_sql.names(con, "src", "out")
    rows = con.execute("SELECT raw, name_std, name_key FROM out").fetchall()
    con.close()
    return {raw: (name_std, key) for raw, name_std, key in rows}


def _sql_dates(values: list[str]) -> dict[str, tuple[date | None, int | None]]:
    con = _connect()
    con.execute("CREATE TABLE src (raw VARCHAR)")
    con.executemany("INSERT INTO src VALUES (?)", [[v] for v in values])
    standardise_sql.dates(con, "src", "out", reference=TODAY)
    rows = con.execute("SELECT raw, value, year FROM out").fetchall()
    con.close()
    return {raw: (value, year) for raw, value, year in rows}


# -- names ---------------------------------------------------------------------------

TRICKY_WORDS = [
    *("H.", "Hj.", "HJ", "Hj", "KH.", "Drs.", "Dra", "dr.", "drg.", "Ir.", "Prof.", "Ny."),
    *("Bpk.", "Ibu", "Sdr.", "Alm.", "Almh.", "Ust.", "Raden", "a.n", "Nj.", "Nn."),
    *("S.Pd.", "S.Pd.I", "SPd", "S.Pd", "M.Pd.", "A.Md.Keb.", "SKM", "S.Kep.", "MA", "ST"),
    *("SE", "S.E.", "S.H.", "M.Si", "Amd", "PhD", "Sag", "S.Ag.", "spdi", "mm"),
    *("M.", "M", "Moh.", "Moch", "Mochammad", "Muh.", "Mhd", "MUHAMAD", "H.M.", "H.Moh."),
    *("St.", "St", "Sitti", "SITY", "Citi", "Achmad", "Akhmad", "Abd.", "Abdoel", "Noer"),
    *("Soekarno", "Djoko", "Tjahjono", "Choirul", "Sjamsul", "Njoman", "Jusuf", "Joyo"),
    *("Djojo", "djaja", "jajaja", "Tjitjih", "oejang", "Kholil", "Khotimah", "Ramadhan"),
    *("Dzulkifli", "Zainal", "Qomar", "Vivi", "Fitri", "Xena", "Yusuf", "yyaa", "Aminah"),
    *("Syah", "Shinta", "Philip", "Annisa", "Ahmadd", "Ma'ruf", "Ma`ruf", "I", "Wayan"),
    *("Putu", "nur", "'", ".", "..", "-", "3", "12", "a1b", "O'Neil"),
]
SEPARATORS = [" ", "  ", ", ", ",", "-", "/", " - ", ". ", " , ", "", " ,, ", "  /"]
printable = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=24)
word = st.one_of(
    st.sampled_from(TRICKY_WORDS),
    st.text(alphabet="abcdehijkmnostuyzAHJMSTY", min_size=1, max_size=8),
    printable,
)


@st.composite
def written_names(draw: Any) -> str:
    words = draw(st.lists(word, min_size=0, max_size=7))
    out = draw(st.sampled_from(["", " ", "  "]))
    for w in words:
        out += w + draw(st.sampled_from(SEPARATORS))
    return out


@HYPOTHESIS
@given(
    st.lists(st.one_of(written_names(), printable, st.text(max_size=20)), min_size=1, max_size=25)
)
@example(
    [
        "Hj. SITI Maryam, S.Pd.",
        "  hj.  SITI   maryam , S.Pd. ",
        "Drs. H. Suparno, M.Pd.",
        "H.M. Arif",
        "Moch. Djoko Tjahjono",
        "Sutrisno SPd",
        "Spd Budi",
        "Spd, Budi",
        "Aminah, Siti",
        "M",
        "H",
        "",
        "m yusuf",
        "St Aminah",
        "nj. ani",
        "Nj Ani",
        "jajaja djajaja",
        "Tjahjono Djojohadikoesoemo",
        "Zoelaikha",
        "Iwan\tSetiawan",
        "Dédé Sunarya",
        " ".join(["a"] * 15),
    ]
)
def test_names_in_sql_are_the_python_names(values: list[str]) -> None:
    got = _sql_names(values)
    for raw in values:
        assert got[raw] == (std.standardise_name(raw), std.name_key(raw)), raw


# -- dates ---------------------------------------------------------------------------

MONTH_WORDS = [*std.MONTHS, "Maret.", "AGT", "Pebruari", "Marett", "foo", "x"]


@st.composite
def written_dates(draw: Any) -> str:
    day = draw(st.integers(0, 45))
    month = draw(st.integers(0, 14))
    year = draw(st.sampled_from([1879, 1880, 1925, 1990, 2000, 2005, 2024, 2025, 2026, 2027, 9]))
    year_text = draw(
        st.sampled_from(
            [str(year), f"{year % 100:02d}", str(year % 100), str(year)[-3:], f"{year:04d}"]
        )
    )
    day_text = draw(st.sampled_from([str(day), f"{day:02d}"]))
    month_text = draw(st.sampled_from([str(month), f"{month:02d}"]))
    sep = draw(st.sampled_from(["-", "/", ".", " ", " - ", "--", ". "]))
    form = draw(st.integers(0, 7))
    if form == 0:
        text = f"{day_text}{sep}{month_text}{sep}{year_text}"
    elif form == 1:
        text = f"{year_text}{sep}{month_text}{sep}{day_text}"
    elif form == 2:
        name = draw(st.sampled_from(MONTH_WORDS))
        name = draw(st.sampled_from([name, name.upper(), name.title()]))
        text = f"{day_text}{sep}{name}{draw(st.sampled_from(['', '.', ',', ' ']))}{sep}{year_text}"
    elif form == 3:
        text = f"{draw(st.sampled_from(MONTH_WORDS))} {year_text}"
    elif form == 4:
        text = draw(
            st.sampled_from([f"{day:02d}{month:02d}{year:04d}", f"{year:04d}{month:02d}{day:02d}"])
        )
    elif form == 5:
        text = str(draw(st.integers(0, 99999)))
    elif form == 6:
        text = year_text
    else:
        text = draw(printable)
    suffix = draw(st.sampled_from(["", "", " 00:00:00", "T08:15", " 1:02:03.5", "  00:00"]))
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + text + suffix + draw(st.sampled_from(["", " "]))


@HYPOTHESIS
@given(
    st.lists(st.one_of(written_dates(), printable, st.text(max_size=12)), min_size=1, max_size=30)
)
@example(
    [
        "12-03-1990",
        "12 Maret 1990",
        "5 Agt 2001",
        "03-25-1990",
        "12031990",
        "19900312",
        "1990-03-12 00:00:00",
        "32944",
        "1990",
        "Maret 1990",
        "31-02-2012",
        "2030",
        "tt",
        "tidak tahu",
        "00-00-0000",
        "Maret 999",
        "12-03-1990  00:00",
        "1-1-1",
        "0001-01-01",
        "12\t03\t1990",
        "١٢-٠٣-١٩٩٠",
    ]
)
def test_dates_in_sql_are_the_python_dates(values: list[str]) -> None:
    got = _sql_dates(values)
    for raw in values:
        parsed = std.parse_date(raw, reference=TODAY)
        assert got[raw] == (parsed.value, parsed.year), raw


# -- whole rows ----------------------------------------------------------------------

GAZ = std.Gazetteer(
    villages={
        "35.10.05.2001": "Kemiren",
        "35.10.05.2002": "Sumberagung",
        "35.10.16.1001": "Sobo",
        "35.10.07.2003": "Sumberagung",
        "35.10.07.2004": "Tegaldlimo",
    },
    districts={"35.10.05": "Glagah", "35.10.16": "Banyuwangi", "35.10.07": "Songgon"},
)
niks = st.one_of(
    st.just(""),
    st.from_regex(
        r"35100[0-9](0[1-9]|[1-3][0-9]|4[1-9]|[5-7][0-9])(0[0-9]|1[0-3])[0-9]{2}000[1-9]",
        fullmatch=True,
    ),
    st.from_regex(r"3510 [0-9]{4}\.[0-9]{4}-[0-9]{4}", fullmatch=True),
    st.from_regex(r"00[0-9]{14}|[0-9]{15}|[0-9]{17}", fullmatch=True),
    printable,
    st.text(max_size=18),
)
sexes = st.sampled_from(["", "L", "P", "l", "Laki-laki", "PEREMPUAN", "w", "2", "?", " L "])
places = st.sampled_from(
    [
        ("", ""),
        ("Sobo", ""),
        ("Kel. Sobo", "Banyuwangi"),
        ("Sumberagung", ""),
        ("Kemirren", "x"),
        ("Sumberagung", "Songgon"),
        ("Atlantis", "Glagah"),
        ("Tegaldlimo", "Kec. Songgon"),
    ]
)
ages = st.one_of(st.sampled_from(["", "27", " 31 ", "x", "0", "045", "١٢"]), printable)


@st.composite
def maternal_rows(draw: Any) -> dict[str, str]:
    desa, kecamatan = draw(places)
    return {
        "no_register": "K1",
        "nik": draw(niks),
        "nama_ibu": draw(st.one_of(written_names(), st.text(max_size=12))),
        "nama_suami": draw(st.one_of(st.just(""), written_names())),
        "umur": draw(ages),
        "tanggal_lahir": draw(st.one_of(st.just(""), written_dates())),
        "desa": desa,
        "kecamatan": kecamatan,
        "tanggal_kunjungan": draw(st.one_of(st.just(""), written_dates())),
        "truth": draw(st.sampled_from(["", "t1", "t2"])),
    }


@st.composite
def welfare_rows(draw: Any) -> dict[str, str]:
    desa, kecamatan = draw(places)
    return {
        "nik": draw(niks),
        "no_kk": draw(niks),
        "nama": draw(written_names()),
        "jenis_kelamin": draw(sexes),
        "tanggal_lahir": draw(st.one_of(st.just(""), written_dates())),
        "desa": desa,
        "kecamatan": kecamatan,
        "desil": "3",
    }


@st.composite
def school_rows(draw: Any) -> dict[str, str]:
    desa, kecamatan = draw(places)
    return {
        "nisn": "0012345678",
        "nik": draw(niks),
        "nama_siswa": draw(written_names()),
        "jk": draw(sexes),
        "tanggal_lahir": draw(written_dates()),
        "nama_ibu_kandung": draw(st.one_of(st.just(""), written_names())),
        "desa": desa,
        "kecamatan": kecamatan,
        "sekolah": "SDN 1",
    }


def _arrow(rows: list[dict[str, str]]) -> Any:
    import pyarrow as pa

    columns = list(rows[0]) if rows else ["nama"]
    return pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in columns})


@settings(max_examples=25, deadline=None)
@given(
    st.lists(maternal_rows(), min_size=1, max_size=8),
    st.lists(welfare_rows(), min_size=1, max_size=8),
    st.lists(school_rows(), min_size=1, max_size=8),
)
def test_engine_table_is_the_row_by_row_standardisation(
    maternal: list[dict[str, str]], welfare: list[dict[str, str]], school: list[dict[str, str]]
) -> None:
    extracts = [("maternal", maternal), ("welfare", welfare), ("school", school)]
    got = sources.engine_table(
        [(source, _arrow(rows)) for source, rows in extracts],
        gazetteer=GAZ,
        reference=TODAY,
        first_id=10,
        threads=1,
    ).sort_by("unique_id")
    expected: dict[str, list[Any]] | None = None
    next_id = 10
    for source, rows in extracts:
        expected = sources.engine_columns_from_rows(
            source, rows, gazetteer=GAZ, reference=TODAY, first_id=next_id, columns=expected
        )
        next_id += len(rows)
    assert expected is not None
    for column, values in expected.items():
        assert got[column].to_pylist() == values, column
