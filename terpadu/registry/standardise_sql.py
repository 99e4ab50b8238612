"""The rules of :mod:`terpadu.registry.standardise` as DuckDB SQL over whole columns.

:mod:`~terpadu.registry.standardise` is the definition: pure, tested Python
functions. This module applies the same rules set-based, for bulk jobs
(:func:`terpadu.registry.sources.engine_table`): each distinct name, word and
date of an extract is standardised once, in SQL, and joined back to the rows.
At a million records that takes seconds instead of a Python call per row.

``tests/test_standardise_sql.py`` checks with hypothesis that the SQL and the
Python functions agree on random and tricky input (titles, degrees with and
without dots, commas, old spellings, doubled letters, every date form).

The SQL covers text of printable ASCII (``' '`` to ``'~'``, :data:`PRINTABLE`),
which is what agency lists hold; :func:`names` and :func:`dates` hand a value
with any other character (accents, tabs, other scripts) to the Python
functions, so their answers agree on any input.
DuckDB's regular expressions (RE2) have no look-around and no
back-references, so two rules are written differently from the Python:

* the old ``j`` for ``y`` (``(?<![dn])j(?=[aeiou])``) is a replacement
  ``(^|[^dn])j([aeiou])`` applied twice (one pass skips a ``j`` whose
  preceding vowel the previous match consumed; the second catches it);
* doubled letters (``([a-z])\\1+``) are collapsed by comparing each letter
  with the one before it.

DuckDB is imported only inside functions (web processes never load it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from terpadu.registry import standardise as std

#: A value the SQL standardises: printable ASCII only (else the caller uses Python).
PRINTABLE = "[ -~]*"

#: Degrees dropped at the end of a name even when written without dots.
_TRAILING_DEGREES = std.DEGREES - {"ma", "st", "se"}
# The Python drops trailing unmistakable degrees and then trailing degrees; that
# is one loop over this set only because the first set is inside the second.
assert std._UNMISTAKABLE <= _TRAILING_DEGREES


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _member(expr: str, words: Iterable[str]) -> str:
    """``expr`` is one of ``words``."""
    return f"({expr} IN ({', '.join(quote(w) for w in sorted(words))}))"


def _case(expr: str, mapping: dict[str, str] | dict[str, int], default: str) -> str:
    whens = " ".join(
        f"WHEN {quote(k)} THEN {quote(v) if isinstance(v, str) else v}"
        for k, v in sorted(mapping.items())
    )
    return f"(CASE {expr} {whens} ELSE {default} END)"


def _without_leading(tokens: str, words: Iterable[str]) -> str:
    """The list column ``tokens`` without its leading ``words``, always keeping one token."""
    position = (
        f"coalesce(list_position(list_transform({tokens}, lambda t: "
        f"{_member('t', words)}), false) - 1, len({tokens}))"
    )
    return f"{tokens}[least({position}, greatest(len({tokens}) - 1, 0)) + 1:]"


def _old_j(expr: str) -> str:
    """``(?<![dn])j(?=[aeiou])`` → ``y`` without look-around: two passes."""
    once = f"regexp_replace({expr}, '(^|[^dn])j([aeiou])', '\\1y\\2', 'g')"
    return f"regexp_replace({once}, '(^|[^dn])j([aeiou])', '\\1y\\2', 'g')"


def _letters(expr: str) -> str:
    return f"regexp_replace({expr}, '[^a-z]', '', 'g')"


def _rewrite(expr: str, rules: Iterable[tuple[str, str]]) -> str:
    for old, new in rules:
        expr = f"replace({expr}, {quote(old)}, {quote(new)})"
    return expr


def _written_tokens(raw: str) -> str:
    """The words of ``raw`` before titles are dropped (``_tokens_with_titles_removed``).

    A name of letters and spaces only is split on spaces. Otherwise: the part
    after the first comma is dropped when it holds only degrees; tokens are
    split on spaces, ``-`` and ``/``; a dotted degree (``S.Pd.``) or an
    unmistakable one is dropped anywhere; ``H.M.`` splits into ``h``, ``m``.
    """
    simple = f"list_filter(string_split(lower({raw}), ' '), lambda w: w <> '')"
    text = f"replace(lower({raw}), '`', {quote(chr(39))})"
    comma = f"strpos({text}, ',')"
    head = f"(CASE WHEN {comma} > 0 THEN substr({text}, 1, {comma} - 1) ELSE {text} END)"
    tail = f"(CASE WHEN {comma} > 0 THEN substr({text}, {comma} + 1) ELSE '' END)"
    undotted_degree = _member("replace(t, '.', '')", std.DEGREES)
    tail_tokens = f"regexp_extract_all({tail}, {quote('[a-z.' + chr(39) + ']+')})"
    tail_is_degrees = (
        f"coalesce(list_bool_and(list_transform({tail_tokens}, "
        f"lambda t: {undotted_degree} OR trim(t, '.') = '')), true)"
    )
    parts = (
        f"(CASE WHEN {tail} <> '' AND NOT {tail_is_degrees} "
        f"THEN [{head}, {tail}] ELSE [{head}] END)"
    )
    written = (
        f"list_filter(flatten(list_transform({parts}, "
        f"lambda p: string_split_regex(trim(p), '[ \\-/]+'))), lambda t: t <> '')"
    )
    pieces = "list_filter(string_split(t, '.'), lambda p: p <> '')"
    one = (
        f"CASE WHEN (strpos(trim(t, '.'), '.') > 0 AND {_member(_letters('t'), std.DEGREES)}) "
        f"OR {_member(_letters('t'), std._UNMISTAKABLE)} THEN []::VARCHAR[] "
        f"WHEN len({pieces}) > 1 THEN list_transform({pieces}, lambda p: {_letters('p')}) "
        f"ELSE [{_letters('t')}] END"
    )
    complex_ = (
        f"list_filter(flatten(list_transform({written}, lambda t: {one})), lambda w: w <> '')"
    )
    return f"(CASE WHEN regexp_full_match({raw}, '[A-Za-z ]+') THEN {simple} ELSE {complex_} END)"


def _old_spelling_sql(word: str, replaced: str) -> str:
    """``_old_spelling`` given ``replaced``, the word with the old spellings rewritten."""
    # A rewrite always changes the word, so "changed" is "had an old spelling".
    return (
        f"(CASE WHEN length({word}) < 2 THEN {word} "
        f"WHEN {replaced} <> {word} AND length({replaced}) > 2 "
        f"THEN {replaced}[1] || {_old_j(f'{replaced}[2:]')} "
        f"ELSE {replaced} END)"
    )


#: Names with more words than this are standardised by the Python functions.
MAX_WORDS = 12


def names(con: Any, source: str, target: str) -> None:
    """Table ``target(raw, name_std, name_key)`` for the distinct non-null ``raw`` of ``source``.

    ``name_std`` and ``name_key`` are ``standardise_name(raw)`` and
    ``name_key(raw)``. Printable ASCII names are done in SQL, each distinct
    word once; any other name (and one of more than :data:`MAX_WORDS` words)
    by the Python functions.
    """
    run = con.execute
    titles = "|".join(sorted(t for t in std.PREFIX_TITLES if t.isalpha()))
    degrees = "|".join(sorted(_TRAILING_DEGREES))
    # Letters and spaces only (most names): titles and degrees cut off the string by
    # two expressions (a title must be followed, a degree preceded, by another word).
    spaced = "trim(regexp_replace(lower(raw), ' +', ' ', 'g'))"
    cut = (
        f"regexp_replace(regexp_replace({spaced}, '^(?:(?:{titles}) )+', ''), "
        f"'(?: (?:{degrees}))+$', '')"
    )
    run(
        f"""CREATE OR REPLACE TEMP TABLE {target}_a AS
        SELECT raw, CASE WHEN cut = '' THEN []::VARCHAR[] ELSE string_split(cut, ' ') END AS tokens
        FROM (SELECT raw, {cut} AS cut FROM (SELECT DISTINCT raw FROM {source}) WHERE
              regexp_full_match(raw, '[A-Za-z ]+'))"""  # noqa: S608
    )
    # Any other printable name: token lists, titles and degrees dropped list-wise.
    run(
        f"""CREATE OR REPLACE TEMP TABLE {target}_b AS
        SELECT raw, {_written_tokens("raw")} AS tokens
        FROM (SELECT DISTINCT raw FROM {source} WHERE raw IS NOT NULL)
        WHERE regexp_full_match(raw, '{PRINTABLE}') AND NOT regexp_full_match(raw, '[A-Za-z ]+')"""  # noqa: S608
    )
    trailing = _without_leading("list_reverse(tokens)", _TRAILING_DEGREES)
    run(
        f"""INSERT INTO {target}_a SELECT raw, list_reverse({trailing}) FROM (
            SELECT raw, {_without_leading("tokens", std.PREFIX_TITLES)} AS tokens FROM {target}_b
        )"""  # noqa: S608
    )
    # Each distinct word: Muhammad and Siti forms, old spellings, spelling families;
    # then the key of that standard word.
    word_forms = _case("old", dict(std.WORD_FORMS), "old")
    first = f"(CASE WHEN length(word) > 2 THEN word[1] || {_old_j('word[2:]')} ELSE word END)"
    run(
        f"""CREATE OR REPLACE TEMP TABLE {target}_w AS
        SELECT token, word, CASE WHEN length(k) > 3 AND ends_with(k, 'h') THEN k[:-2] ELSE k END
               AS word_key
        FROM (
            SELECT token, word, CASE WHEN word IN ('muhammad', 'siti') THEN word
                ELSE array_to_string(list_filter(string_split(merged, ''),
                    lambda c, i: i = 1 OR c <> string_split(merged, '')[i - 1]), '') END AS k
            FROM (
                SELECT token, word, {_rewrite("lead", std._KEY_RULES)} AS merged
                FROM (
                    SELECT token, word, CASE WHEN starts_with(oldj, 'y') THEN 'j' || oldj[2:]
                                             ELSE oldj END AS lead
                    FROM (
                        SELECT token, word, {first} AS oldj
                        FROM (
                            SELECT token, CASE
                                WHEN {_member("token", std.MUHAMMAD_FORMS)} THEN 'muhammad'
                                WHEN {_member("token", std.SITI_FORMS)} THEN 'siti'
                                ELSE {word_forms} END AS word
                            FROM (
                                SELECT token, {_old_spelling_sql("token", "replaced")} AS old
                                FROM (
                                    SELECT token,
                                        {_rewrite("token", std._OLD_SPELLINGS)} AS replaced
                                    FROM (SELECT DISTINCT unnest(tokens) AS token
                                          FROM {target}_a)
                                )
                            )
                        )
                    )
                )
            )
        )"""  # noqa: S608
    )
    found = run(f"SELECT coalesce(max(len(tokens)), 0) FROM {target}_a").fetchone()  # noqa: S608
    longest = min(MAX_WORDS, int(found[0]) if found else 0)
    # Words looked up position by position (a join per position: cheaper than unnest
    # and an ordered aggregate); a leading "M." is Muhammad, "St." Siti.
    joins = " ".join(
        f"LEFT JOIN {target}_w w{i} ON w{i}.token = a.tokens[{i}]" for i in range(1, longest + 1)
    )

    def at(i: int, column: str) -> str:
        if i == 1:
            return (
                f"CASE WHEN len(a.tokens) > 1 AND a.tokens[1] = 'm' THEN 'muhammad' "
                f"WHEN len(a.tokens) > 1 AND a.tokens[1] = 'st' THEN 'siti' "
                f"ELSE w1.{column} END"
            )
        return f"w{i}.{column}"

    words = ", ".join(at(i, "word") for i in range(1, longest + 1)) or "NULL"
    keys = ", ".join(at(i, "word_key") for i in range(1, longest + 1)) or "NULL"
    titled = (
        f"len(a.tokens) > 1 AND {_member(at(1, 'word'), std.PREFIX_TITLES)}" if longest else "FALSE"
    )
    run(
        f"""CREATE OR REPLACE TEMP TABLE {target}_b AS
        SELECT a.raw, concat_ws(' ', {words}) AS name_std, concat_ws(' ', {keys}) AS name_key,
               {titled} AS titled,
               list_value({words}) AS words, list_value({keys}) AS keys
        FROM {target}_a a {joins}
        WHERE len(a.tokens) <= {longest}"""  # noqa: S608
    )
    # An old spelling can make a title ("Nj." is the old "Ny."): dropped as well.
    position = (
        f"least(coalesce(list_position(list_transform(words, lambda t: "
        f"{_member('t', std.PREFIX_TITLES)}), false) - 1, len(words)), "
        f"greatest(len(words) - 1, 0))"
    )
    run(
        f"""CREATE OR REPLACE TEMP TABLE {target} AS
        SELECT raw, name_std, name_key FROM {target}_b WHERE NOT titled
        UNION ALL
        SELECT raw, array_to_string(words[{position} + 1:], ' '),
               array_to_string(keys[{position} + 1:], ' ')
        FROM (SELECT raw, list_filter(words, lambda w: w IS NOT NULL) AS words,
                     list_filter(keys, lambda w: w IS NOT NULL) AS keys
              FROM {target}_b WHERE titled)"""  # noqa: S608
    )
    rest = [
        r[0]
        for r in run(
            f"""SELECT DISTINCT raw FROM {source} WHERE raw IS NOT NULL
            AND raw NOT IN (SELECT raw FROM {target})"""  # noqa: S608
        ).fetchall()
    ]
    if rest:
        run(
            f"INSERT INTO {target} VALUES " + ", ".join(["(?, ?, ?)"] * len(rest)),  # noqa: S608
            [v for raw in rest for v in (raw, std.standardise_name(raw), std.name_key(raw))],
        )
    for suffix in ("a", "b", "w"):
        run(f"DROP TABLE {target}_{suffix}")


# -- dates ---------------------------------------------------------------------------


def _int(expr: str) -> str:
    return f"TRY_CAST({expr} AS BIGINT)"


def _make(year: str, month: str, day: str, reference: date) -> str:
    """``_make``: a real date not after ``reference`` nor before 1880, else NULL."""
    value = (
        f"(CASE WHEN ({year}) BETWEEN 1 AND 9999 AND ({month}) BETWEEN 1 AND 12 "
        f"AND ({day}) BETWEEN 1 AND 31 THEN try(make_date({year}, {month}, {day})) END)"
    )
    return (
        f"(CASE WHEN {value} <= DATE '{reference.isoformat()}' AND ({year}) >= 1880 "
        f"THEN {value} END)"
    )


def _full_year(yy: str, reference: date) -> str:
    """``_full_year``: a two-digit year in the latest century that keeps it not after today."""
    century = reference.year // 100 * 100
    return (
        f"(CASE WHEN {century} + ({yy}) > {reference.year} "
        f"THEN {century} + ({yy}) - 100 ELSE {century} + ({yy}) END)"
    )


def dates(con: Any, source: str, target: str, *, reference: date) -> None:
    """Table ``target(raw, value DATE, year INTEGER)`` for the distinct ``raw`` of ``source``.

    For printable ASCII ``raw``, ``value`` and ``year`` are those of
    ``parse_date(raw, reference=reference)`` (both NULL when unreadable, only
    ``year`` for a month or a year alone).
    """
    ref_year = reference.year
    month = _case("month_text", dict(std.MONTHS), "NULL")
    empties = "('', '-', '0', '00-00-0000', '0000-00-00', 'tidak tahu', 'tt')"
    numeric = r"'^([0-9]{1,4})[ ./\-]+([0-9]{1,2})[ ./\-]+([0-9]{1,4})$'"
    wordy = r"'^(?:([0-9]{1,2})[ .\-/]*)?([a-z]+)\.?[ .\-/,]*([0-9]{2,4})$'"
    # 12031990 is day first unless it starts with 19/20 and has a month in the middle.
    iso8 = _make(_int("t[1:4]"), _int("t[5:6]"), _int("t[7:8]"), reference)
    dmy8 = _make(_int("t[5:8]"), _int("t[3:4]"), _int("t[1:2]"), reference)
    serial = f"(DATE '1899-12-30' + {_int('t')}::INTEGER)"
    excel = _make(f"year({serial})", f"month({serial})", f"day({serial})", reference)
    a, b, c = _int("a"), _int("b"), _int("c")
    n_year = (
        f"(CASE WHEN length(c) = 4 THEN {c} WHEN length(c) = 2 THEN {_full_year(c, reference)} END)"
    )
    swapped = f"({b} > 12 AND {a} <= 12)"  # month written first
    n_day = f"(CASE WHEN {swapped} THEN {b} ELSE {a} END)"
    n_month = f"(CASE WHEN {swapped} THEN {a} ELSE {b} END)"
    y = _int("year_text")
    w_year = f"(CASE WHEN length(year_text) = 4 THEN {y} ELSE {_full_year(y, reference)} END)"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {target} AS
        SELECT raw, value, coalesce(year(value), year_only)::INTEGER AS year FROM (
            SELECT raw,
            CASE
                WHEN t IN {empties} THEN NULL
                WHEN digits AND length(t) = 8 AND t[1:2] IN ('19', '20')
                    AND {_int("t[5:6]")} <= 12 THEN {iso8}
                WHEN digits AND length(t) = 8 THEN {dmy8}
                WHEN digits AND length(t) = 5 AND {_int("t")} > 1000 AND {_int("t")} < 80000
                    THEN {excel}
                WHEN digits THEN NULL
                WHEN a <> '' AND length(a) = 4 THEN {_make(a, b, c, reference)}
                WHEN a <> '' THEN {_make(n_year, n_month, n_day, reference)}
                WHEN month_text <> '' AND day_text <> '' AND {month} IS NOT NULL
                    THEN {_make(w_year, month, _int("day_text"), reference)}
            END AS value,
            CASE
                WHEN t IN {empties} THEN NULL
                WHEN digits AND length(t) = 4 AND {_int("t")} BETWEEN 1880 AND {ref_year}
                    THEN {_int("t")}
                WHEN digits OR a <> '' THEN NULL
                WHEN month_text <> '' AND day_text = '' AND {month} IS NOT NULL
                    AND {w_year} <= {ref_year} THEN {w_year}
            END AS year_only
            FROM (
                SELECT raw, t, regexp_full_match(t, '[0-9]+') AS digits,
                    regexp_extract(t, {numeric}, 1) AS a,
                    regexp_extract(t, {numeric}, 2) AS b,
                    regexp_extract(t, {numeric}, 3) AS c,
                    regexp_extract(t, {wordy}, 1) AS day_text,
                    regexp_extract(t, {wordy}, 2) AS month_text,
                    regexp_extract(t, {wordy}, 3) AS year_text
                FROM (
                    SELECT raw, regexp_replace(lower(trim(raw)),
                        '[ t][0-9]{{1,2}}:[0-9]{{2}}(:[0-9]{{2}}(\\.[0-9]+)?)?$', '') AS t
                    FROM (SELECT DISTINCT raw FROM {source}
                          WHERE regexp_full_match(raw, '{PRINTABLE}'))
                )
            )
        )"""  # noqa: S608
    )
    rest = [
        r[0]
        for r in con.execute(
            f"""SELECT DISTINCT raw FROM {source} WHERE raw IS NOT NULL
            AND NOT regexp_full_match(raw, '{PRINTABLE}')"""  # noqa: S608
        ).fetchall()
    ]
    if rest:
        parsed = [std.parse_date(raw, reference=reference) for raw in rest]
        con.execute(
            f"INSERT INTO {target} VALUES " + ", ".join(["(?, ?, ?)"] * len(rest)),  # noqa: S608
            [v for raw, d in zip(rest, parsed, strict=True) for v in (raw, d.value, d.year)],
        )


# -- NIK -------------------------------------------------------------------------------


def nik_birth(nik: str, reference: date) -> str:
    """``nik_facts(nik, reference=…).birth_date`` for a clean 16-digit ``nik`` (no birth year known)."""
    raw_day = f"{nik}[7:8]::INT"
    day = f"(CASE WHEN {raw_day} BETWEEN 1 AND 31 THEN {raw_day} WHEN {raw_day} BETWEEN 41 AND 71 THEN {raw_day} - 40 END)"
    month = f"{nik}[9:10]::INT"
    yy = f"{nik}[11:12]::INT"
    century = reference.year // 100 * 100
    tries = [f"try(make_date({century} + {yy} - {back}, {month}, {day}))" for back in (0, 100, 200)]
    ref = f"DATE '{reference.isoformat()}'"
    cases = " ".join(f"WHEN {c} <= {ref} THEN {c}" for c in tries)
    return (
        f"(CASE WHEN {nik}[1:2] = '00' OR {day} IS NULL OR {month} NOT BETWEEN 1 AND 12 THEN NULL "
        f"{cases} END)"
    )


def nik_sex(nik: str) -> str:
    """``nik_facts(nik).sex`` for a clean 16-digit ``nik``."""
    raw_day = f"{nik}[7:8]::INT"
    return (
        f"(CASE WHEN {nik}[1:2] = '00' THEN NULL WHEN {raw_day} BETWEEN 1 AND 31 THEN 'L' "
        f"WHEN {raw_day} BETWEEN 41 AND 71 THEN 'P' END)"
    )


def clean_number(expr: str) -> str:
    """``clean_nik`` for printable ASCII: spaces, dots and hyphens dropped."""
    return f"regexp_replace({expr}, '[ .\\-]+', '', 'g')"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
