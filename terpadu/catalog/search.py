"""Catalogue search: one selector over SQLite FTS5 or PostgreSQL full-text, with a Python rerank.

How a query runs (``service_search``):

1. The query becomes *groups* of alternative terms (:mod:`terpadu.catalog.text`):
   each word → its canonical term (synonyms + stemmer); a word the catalogue
   does not know is corrected to the nearest known word (edit distance ≤ 1 for
   words of 4–6 letters, ≤ 2 for longer ones); related terms are added with a
   lower weight (``anak`` → ``lahir``). The last word also matches as a prefix
   (live typing: ``akta kel``).
2. Candidates come from the full-text index of the database in use — an FTS5
   virtual table ``catalog_service_fts`` on SQLite, one generated ``tsvector``
   column per field with a GIN index each on PostgreSQL ('simple' configuration:
   the text is already normalised) — at most ``CANDIDATES`` of them, in one
   query that also returns what the result list shows. Which services are
   candidates is planned in Python from the vocabulary's counts
   (:func:`plan_query`): services matching any *selective* term (one found in
   at most ``BROAD`` names or bodies), or two of the query's words however
   common; a service sharing only one common word with a longer query
   (``surat`` of "surat kematian orang tua") is not fetched, so a query never
   makes the database rank a fifth of the catalogue for the tail of the list.
3. A pure-Python rerank scores each candidate: a term in the service's name
   counts 3, in an everyday name 2.5, in the body (requirements, product,
   agency, category) 1; related terms count 0.6 of that; "weak" words (cara,
   syarat, bikin …) 0.3. Services whose name covers every query word get a
   bonus; longer names lose a little.

The index text is kept by :func:`index_services` (called by the services on
create, update and publish, and by imports and the demo in bulk).
"""

from __future__ import annotations

import json
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.base import DEFERRED

from terpadu.catalog import text
from terpadu.catalog.models import Service, ServiceCategory, ServiceVersion
from terpadu.core.models import Agency

CANDIDATES = 120
#: A term found in more services' names (or bodies) than this does not pick candidates
#: by itself in a query of several words (see ``Plan``); it still counts in the rerank.
BROAD = 120
FTS_TABLE = "catalog_service_fts"
VOCAB_TTL_SECONDS = 60.0
_MAX_QUERY_WORDS = 8
_MAX_CORRECTIONS = 10_000

NAME_WEIGHT = 3.0
ALIAS_WEIGHT = 2.5
BODY_WEIGHT = 1.0
RELATED_WEIGHT = 0.6
CORRECTED_WEIGHT = 0.9
PREFIX_WEIGHT = 0.7
WEAK_WEIGHT = 0.3
COVER_BONUS = 1.5
EXACT_BONUS = 3.0
LENGTH_PENALTY = 0.05
RELATIVE_FLOOR = 0.3
PHRASE_BONUS = 2.0
BODY_RANK = 0.4  # PostgreSQL candidate order: ts_rank in the body counts this much of the name's
COMMON_FRACTION = 0.12
COMMON_MIN = 50


# --------------------------------------------------------------------------- indexing


def document_for(service: Service, version: ServiceVersion | None) -> tuple[str, str]:
    """(title, body) index text: canonical terms, and raw words of the names for prefixes."""
    names = " ".join([service.name, *[str(a) for a in service.aliases or []]])
    title_terms = text.terms(names) + text.words(names) + service.code.split("-")
    parts = [service.summary]
    if service.category_id and service.category is not None:
        parts.append(service.category.name)
    parts += [service.agency.name, service.agency.short_name]
    if version is not None:
        parts += [r.get("document", "") for r in version.requirement_list()]
        parts.append(version.product)
    body_terms = text.terms(" ".join(parts))
    return " ".join(dict.fromkeys(title_terms)), " ".join(dict.fromkeys(body_terms))


def index_services(services: Iterable[Service]) -> int:
    """Recompute the index text of ``services`` and sync the full-text table; returns the count."""
    rows = list(services)
    if not rows:
        return 0
    for service in rows:
        service.search_title, service.search_body = document_for(service, service.current_version)
    Service.objects.bulk_update(rows, ["search_title", "search_body"], batch_size=500)
    if connection.vendor == "sqlite":
        ids = [s.pk for s in rows]
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("%s" for _ in chunk)
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [(s.pk, s.search_title, s.search_body) for s in rows],
            )
    _VOCAB.clear()
    return len(rows)


def index_region(region_id: int) -> int:
    """Re-index every service of a region (after a bulk load)."""
    qs = Service.objects.filter(region_id=region_id).select_related(
        "agency", "category", "current_version"
    )
    return index_services(qs.iterator(chunk_size=1000))


def rebuild_fts() -> None:
    """SQLite only: rebuild the FTS table from the stored index text of every service."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) "  # noqa: S608
            "SELECT id, search_title, search_body FROM catalog_service"
        )


# --------------------------------------------------------------------------- vocabulary


def _letters(word: str) -> int:
    """The set of a word's characters as bits (index text is ``[0-9a-z]``)."""
    mask = 0
    for ch in word:
        mask |= 1 << (ord(ch) & 63)
    return mask


@dataclass
class Vocabulary:
    """What a region's index text contains: for each term, in how many services."""

    terms: dict[str, int]  # in the name/everyday names or the body
    raw_words: frozenset[str]
    size: int = 0
    title_terms: dict[str, int] = field(default_factory=dict)  # in the name/everyday names
    body_terms: dict[str, int] = field(default_factory=dict)
    built: float = 0.0
    #: Typo corrections made with this vocabulary (people repeat the same typos).
    corrections: dict[tuple[str, str], str | None] = field(default_factory=dict)

    @cached_property
    def buckets(self) -> dict[tuple[str, int], list[tuple[str, int]]]:
        """(first letter, length) → [(word, letters)]: the typo corrector's candidates."""
        buckets: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for word in sorted({*self.terms, *self.raw_words}):
            buckets.setdefault((word[:1], len(word)), []).append((word, _letters(word)))
        return buckets

    @cached_property
    def title_words(self) -> list[str]:
        """Name words in order, for prefixes."""
        return sorted(self.title_terms)

    def title_prefix_count(self, prefix: str) -> int:
        """Services with a name word starting with ``prefix`` (an upper bound)."""
        total = 0
        for word in islice(self.title_words, bisect_left(self.title_words, prefix), None):
            if not word.startswith(prefix):
                break
            total += self.title_terms[word]
        return total


_VOCAB: dict[int, Vocabulary] = {}


def _public_services(region_id: int) -> QuerySet[Service]:
    return Service.objects.filter(
        region_id=region_id, is_active=True, current_version__isnull=False
    )


def vocabulary(region_id: int) -> Vocabulary:
    """Known terms of a region's catalogue (cached per process for a minute)."""
    now = time.monotonic()
    cached = _VOCAB.get(region_id)
    if cached is not None and now - cached.built < VOCAB_TTL_SECONDS:
        return cached
    titles: Counter[str] = Counter()
    bodies: Counter[str] = Counter()
    both: Counter[str] = Counter()
    size = 0
    for title, body in _public_services(region_id).values_list("search_title", "search_body"):
        size += 1
        title_set = set(title.split())
        body_set = set(body.split())
        titles.update(title_set)
        bodies.update(body_set)
        both.update(title_set | body_set)
    raw = {w for w in text.SYNONYMS if len(w) > 3}
    for phrase in text.PHRASES:
        raw.update(w for w in phrase.split() if len(w) > 3)
    vocab = Vocabulary(
        terms=dict(both),
        raw_words=frozenset(raw),
        size=size,
        title_terms=dict(titles),
        body_terms=dict(bodies),
        built=now,
    )
    _VOCAB[region_id] = vocab
    return vocab


def _correct(word: str, term: str, vocab: Vocabulary) -> str | None:
    """The known term nearest to a mistyped word, or None (remembered with the vocabulary)."""
    key = (word, term)
    if key not in vocab.corrections:
        if len(vocab.corrections) >= _MAX_CORRECTIONS:
            vocab.corrections.clear()
        vocab.corrections[key] = _nearest(word, term, vocab)
    return vocab.corrections[key]


def _nearest(word: str, term: str, vocab: Vocabulary) -> str | None:
    limit = text.typo_limit(word)
    if limit == 0:
        return None
    best: tuple[int, int, str] | None = None
    for probe in {word, term}:
        # Most typos keep the first letter. Each edit changes at most two letters of
        # the word's letter set, so words differing in more cannot be near.
        letters = _letters(probe)
        for length in range(len(probe) - limit, len(probe) + limit + 1):
            for known, known_letters in vocab.buckets.get((probe[:1], length), ()):
                if (letters ^ known_letters).bit_count() > 2 * limit:
                    continue
                distance = text.edit_distance(probe, known, limit)
                if distance > limit:
                    continue
                canon = known if known in vocab.terms else text.canonical(known)
                if canon not in vocab.terms:
                    continue
                rank = (distance, -vocab.terms[canon], canon)
                if best is None or rank < best:
                    best = rank
    return best[2] if best else None


# --------------------------------------------------------------------------- query


@dataclass
class Group:
    """One query word: alternative terms with weights."""

    word: str
    weight: float
    alternatives: dict[str, float]
    prefix: str = ""

    @property
    def primary(self) -> str:
        return next(iter(self.alternatives))


def parse_query(query: str, vocab: Vocabulary) -> list[Group]:
    words = text.words(query)[:_MAX_QUERY_WORDS]
    groups: list[Group] = []
    for index, word in enumerate(words):
        is_last = index == len(words) - 1
        for term in text.canonical(word).split():
            alternatives: dict[str, float] = {}
            if term in vocab.terms or term in text.WEAK:
                alternatives[term] = 1.0
            else:
                corrected = _correct(word, term, vocab)
                if corrected is not None:
                    alternatives[corrected] = CORRECTED_WEIGHT
                else:
                    alternatives[term] = 1.0
            for base in list(alternatives):
                for related in text.expansions(base):
                    alternatives.setdefault(related, RELATED_WEIGHT)
            weight = WEAK_WEIGHT if term in text.WEAK else 1.0
            prefix = word if is_last and len(word) >= 3 and word not in vocab.terms else ""
            if any(g.primary == next(iter(alternatives)) for g in groups):
                continue  # "surat pindah datang": one group for "pindah"
            groups.append(Group(word=word, weight=weight, alternatives=alternatives, prefix=prefix))
    return groups


def _key(terms: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in terms if t not in text.WEAK)


def common_terms(groups: Sequence[Group], vocab: Vocabulary) -> frozenset[str]:
    """Query terms found in so many services that they cannot pick candidates ("surat").

    In the full-text query they match service names and everyday names only
    (FTS5 column ``title``, PostgreSQL ``t_`` lexemes); the rerank still counts
    them everywhere.
    """
    limit = max(COMMON_MIN, COMMON_FRACTION * vocab.size)
    terms = {t for g in groups for t in g.alternatives}
    return frozenset(t for t in terms if vocab.terms.get(t, 0) > limit)


@dataclass(frozen=True)
class Posting:
    """One lookup in the full-text index: a term (or prefix) in the names or in the bodies."""

    term: str
    field: str  # "title" (name and everyday names) or "body"
    prefix: bool = False
    primary: bool = True  # the word itself (or its correction), not a related term
    count: int = 0  # services that have it (vocabulary; an upper bound for prefixes)


@dataclass(frozen=True)
class Word:
    """A query word's *broad* postings: of its own term (or correction, or prefix), and all."""

    own: list[Posting]
    postings: list[Posting]


@dataclass
class Plan:
    """Which services are candidates, decided from the vocabulary before asking the database.

    * ``words``: the query's words (weak words such as "bikin" aside) with their
      broad postings (found in more than ``BROAD`` services).
    * ``selective``: every posting (related terms and weak words included) found
      in at most ``BROAD`` services.
    * ``full``: every posting; the plain "any term" query.

    A service is a candidate when it matches any selective posting, or two of the
    query's words however broad (one word's own term and another word's term;
    the only word, for a one-word query). Only the broad postings need the
    second rule: a match through a selective one is a candidate anyway. Left
    out: services sharing a single word of a longer query, and that only
    through a term in more than ``BROAD`` names or bodies — at most 3 points
    (one name word) against the 10 or so of a service matching the whole
    query; at 5,000 services such a term (``surat``, ``izin``) would otherwise
    make the database fetch and rank hundreds of services for the tail of the
    list. ``narrowed`` says whether anything was left out; if the narrowed
    query finds nothing, the full one runs.
    """

    words: list[Word]
    selective: list[Posting]
    full: list[Posting]
    narrowed: bool


def plan_query(groups: Sequence[Group], vocab: Vocabulary) -> Plan:
    common = common_terms(groups, vocab)
    words: list[Word] = []
    full: list[Posting] = []
    for group in groups:
        postings: list[Posting] = []
        for term, weight in group.alternatives.items():
            if not term.isalnum():
                continue
            primary = weight >= CORRECTED_WEIGHT
            postings.append(
                Posting(term, "title", primary=primary, count=vocab.title_terms.get(term, 0))
            )
            if term not in common:
                postings.append(
                    Posting(term, "body", primary=primary, count=vocab.body_terms.get(term, 0))
                )
        if group.prefix.isalnum():
            postings.append(
                Posting(
                    group.prefix, "title", prefix=True, count=vocab.title_prefix_count(group.prefix)
                )
            )
        full += postings
        if group.weight >= 1.0:
            broad = [p for p in postings if p.count > BROAD]
            words.append(Word(own=[p for p in broad if p.primary], postings=broad))
    selective = [p for p in full if p.count <= BROAD]
    if not words:  # weak words only ("cara"): nothing to narrow with
        return Plan(words=[], selective=full, full=full, narrowed=False)
    return Plan(words=words, selective=selective, full=full, narrowed=len(selective) < len(full))


@dataclass(frozen=True)
class Candidate:
    """What the rerank needs of a service, straight from the candidate query."""

    id: int
    name: str
    aliases: tuple[str, ...]
    body: str
    row: tuple[Any, ...] = field(default=(), compare=False, repr=False)


def _aliases(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return _aliases_json(value)
    return tuple(str(a) for a in value) if isinstance(value, list) else ()


@lru_cache(maxsize=50_000)
def _aliases_json(value: str) -> tuple[str, ...]:
    """Everyday names from the JSON text a raw query returns (cached: candidates repeat)."""
    try:
        decoded = json.loads(value)
    except ValueError:
        return ()
    return tuple(str(a) for a in decoded) if isinstance(decoded, list) else ()


# What the result list shows, fetched with the candidates (no second query).
_SERVICE_COLUMNS = (
    "id",
    "name",
    "aliases",
    "search_body",
    "code",
    "summary",
    "online_available",
    "booking_available",
    "is_active",
    "region_id",
    "agency_id",
    "category_id",
    "current_version_id",
)
_AGENCY_COLUMNS = ("code", "name", "short_name", "kind", "region_id")
_CATEGORY_COLUMNS = ("slug", "name", "position", "region_id")


def _fts5_terms(postings: Iterable[Posting]) -> str:
    return " OR ".join(
        dict.fromkeys(f'"{p.term}"*' if p.prefix else f'"{p.term}"' for p in postings)
    )


def _fts5_match(postings: Sequence[Posting]) -> str:
    parts = [
        f"{column} : ({_fts5_terms(p for p in postings if p.field == column)})"
        for column in ("title", "body")
        if any(p.field == column for p in postings)
    ]
    return "(" + " OR ".join(parts) + ")" if parts else ""


def _pg_lexeme(posting: Posting) -> str:
    """``t_akta`` / ``b_akta`` / ``t_kel:*`` (migration 0003 tags name and body terms)."""
    lexeme = f"'{posting.field[0]}_{posting.term}'"
    return f"{lexeme}:*" if posting.prefix else lexeme


def _pg_match(postings: Sequence[Posting]) -> str:
    return "(" + " | ".join(dict.fromkeys(_pg_lexeme(p) for p in postings)) + ")"


def _where(
    words: Sequence[Word],
    any_of: Sequence[Posting],
    match: Callable[[Sequence[Posting]], str],
    or_: str,
    and_: str,
) -> str:
    """``any selective posting OR (a word's own term AND another word's term) …``.

    For a one-word query: the word's own term. Another word's term excludes the
    first word's own ("izin usaha": ``izin`` is also a related term of ``usaha``).
    """
    alternatives = [match(any_of)] if any_of else []
    for word in words:
        if not word.own:
            continue
        if len(words) == 1:
            alternatives.append(match(word.own))
            continue
        own = {p.term for p in word.own}
        others = [p for w in words if w is not word for p in w.postings if p.term not in own]
        if others:
            alternatives.append(f"({match(word.own)}{and_}{match(others)})")
    return or_.join(alternatives)


def _select(inner: str) -> str:
    """The candidates of ``inner`` (a ranked, limited select of services) with agency and category."""
    columns = ", ".join(
        [f"c.{c}" for c in _SERVICE_COLUMNS]
        + [f"a.{c}" for c in _AGENCY_COLUMNS]
        + [f"k.{c}" for c in _CATEGORY_COLUMNS]
    )
    return (
        f"SELECT {columns} FROM ({inner}) c "  # noqa: S608
        f"JOIN {Agency._meta.db_table} a ON a.id = c.agency_id "
        f"LEFT JOIN {ServiceCategory._meta.db_table} k ON k.id = c.category_id"
    )


_INNER_COLUMNS = ", ".join(f"s.{c}" for c in _SERVICE_COLUMNS)
_PUBLISHED = "s.region_id = %s AND s.is_active AND s.current_version_id IS NOT NULL"


def _candidates(
    region_id: int,
    words: Sequence[Word],
    any_of: Sequence[Posting],
    ranking: Sequence[Posting],
    limit: int,
) -> list[Candidate]:
    """Services matching any of ``any_of`` or two of ``words``, best ``limit`` first.

    The same query returns the agency and category the result list shows.
    """
    if connection.vendor == "postgresql":
        rows = _pg_candidates(region_id, words, any_of, ranking, limit)
    else:
        rows = _fts5_candidates(region_id, words, any_of, limit)
    return [
        Candidate(id=row[0], name=row[1], aliases=_aliases(row[2]), body=row[3] or "", row=row)
        for row in rows
    ]


def _pg_candidates(
    region_id: int,
    words: Sequence[Word],
    any_of: Sequence[Posting],
    ranking: Sequence[Posting],
    limit: int,
) -> list[tuple[Any, ...]]:
    where = _where(words, any_of, _pg_match, " | ", " & ")
    if not where:
        return []
    # Order: matched name terms count 1, body terms BODY_RANK; then shorter names
    # (as the rerank does).
    ranks = [
        (weight, _pg_match([p for p in ranking if p.field == column]))
        for weight, column in ((1.0, "title"), (BODY_RANK, "body"))
        if any(p.field == column for p in ranking)
    ]
    rank = " + ".join(f"{w} * ts_rank(s.search_terms, x.r{i}, 0)" for i, (w, _) in enumerate(ranks))
    # The tsqueries come from a subquery the planner may not fold into constants
    # (OFFSET 0), so ``@@`` is always answered with the GIN index. With constants
    # it estimates the rows well but prices evaluating a long tsquery on every
    # row far too low: a scan of all 5,000 services took ~25 ms, the index ~1 ms.
    queries = ", ".join(["%s::tsquery AS q", *(f"%s::tsquery AS r{i}" for i in range(len(ranks)))])
    inner = (
        f"SELECT {_INNER_COLUMNS} FROM (SELECT {queries} OFFSET 0) x, "  # noqa: S608
        f"{Service._meta.db_table} s WHERE s.search_terms @@ x.q AND {_PUBLISHED} "
        f"ORDER BY {rank} DESC, length(s.name) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(_select(inner), [where, *(q for _, q in ranks), region_id, limit])
        return cursor.fetchall()


def _fts5_candidates(
    region_id: int, words: Sequence[Word], any_of: Sequence[Posting], limit: int
) -> list[tuple[Any, ...]]:
    where = _where(words, any_of, _fts5_match, " OR ", " AND ")
    if not where:
        return []

    def fetch(order: str, rows: int) -> list[tuple[Any, ...]]:
        # CROSS JOIN: SQLite starts from the FTS match, never probes it per service.
        inner = (
            f"SELECT {_INNER_COLUMNS} FROM {FTS_TABLE} f "  # noqa: S608
            f"CROSS JOIN {Service._meta.db_table} s ON s.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {_PUBLISHED} {order} LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(_select(inner), [where, region_id, rows])
            return cursor.fetchall()

    # bm25 (every phrase of the expression, for every match) costs more than the
    # match itself; it is only needed when more than ``limit`` services match.
    rows = fetch("", limit + 1)
    if len(rows) > limit:
        rows = fetch(f"ORDER BY bm25({FTS_TABLE}, 5.0, 1.0)", limit)
    return rows


def _instance(model: type[Model], values: dict[str, Any]) -> Any:
    """A model instance from some of its columns (the others load on access)."""
    return model.from_db(
        connection.alias,
        list(values),
        [values.get(f.attname, DEFERRED) for f in model._meta.concrete_fields],
    )


def _service(candidate: Candidate) -> Service:
    """The result list's service (with its agency and category) from the candidate row."""
    row = candidate.row
    n, m = len(_SERVICE_COLUMNS), len(_AGENCY_COLUMNS)
    values = dict(zip(_SERVICE_COLUMNS, row[:n], strict=True))
    values.pop("search_body")
    values["aliases"] = list(candidate.aliases)
    for flag in ("online_available", "booking_available", "is_active"):
        values[flag] = bool(values[flag])  # SQLite answers 0/1
    service: Service = _instance(Service, values)
    agency = dict(zip(_AGENCY_COLUMNS, row[n : n + m], strict=True))
    Service._meta.get_field("agency").set_cached_value(
        service, _instance(Agency, {"id": values["agency_id"], **agency})
    )
    category = None
    if values["category_id"] is not None:
        category = _instance(
            ServiceCategory,
            {
                "id": values["category_id"],
                **dict(zip(_CATEGORY_COLUMNS, row[n + m :], strict=True)),
            },
        )
    Service._meta.get_field("category").set_cached_value(service, category)
    return service


@dataclass
class Hit:
    service: Service
    score: float
    matched: list[str]


@lru_cache(maxsize=50_000)
def _text_terms(value: str) -> frozenset[str]:
    """Canonical terms and raw words of a name (cached: names repeat across queries)."""
    return frozenset(text.terms(value)) | frozenset(text.words(value))


@lru_cache(maxsize=50_000)
def _name_key(value: str) -> frozenset[str]:
    return _key(text.terms(value))


@lru_cache(maxsize=50_000)
def _body_terms(value: str) -> frozenset[str]:
    return frozenset(value.split())


def _score(
    candidate: Candidate, groups: Sequence[Group], query_key: frozenset[str]
) -> tuple[float, list[str]]:
    name_terms = _text_terms(candidate.name)
    alias_terms = _text_terms(" ".join(candidate.aliases))
    body_terms = _body_terms(candidate.body)
    title_words = name_terms | alias_terms
    score = 0.0
    matched: list[str] = []
    covered = 0
    strong = 0
    name_hits: set[str] = set()
    for group in groups:
        best = 0.0
        in_title = False
        for term, weight in group.alternatives.items():
            if term in name_terms:
                value = NAME_WEIGHT * weight
                name_hits.add(term)
            elif term in alias_terms:
                value = ALIAS_WEIGHT * weight
            elif term in body_terms:
                value = BODY_WEIGHT * weight
            else:
                continue
            if value > best:
                best = value
                in_title = term in title_words and weight >= CORRECTED_WEIGHT
        if group.prefix and best < NAME_WEIGHT * PREFIX_WEIGHT:
            if any(w.startswith(group.prefix) for w in name_terms):
                best, in_title = NAME_WEIGHT * PREFIX_WEIGHT, True
            elif any(w.startswith(group.prefix) for w in alias_terms):
                best, in_title = ALIAS_WEIGHT * PREFIX_WEIGHT, True
        if group.weight >= 1.0:
            strong += 1
            covered += in_title
        if best:
            matched.append(group.word)
        score += group.weight * best
    if strong and covered == strong:
        score += COVER_BONUS
    if query_key and any(_name_key(n) == query_key for n in (candidate.name, *candidate.aliases)):
        score += EXACT_BONUS
    elif any(
        len(k) >= 2 and k <= query_key
        for k in (_name_key(n) for n in (candidate.name, *candidate.aliases))
    ):
        score += PHRASE_BONUS  # the query contains a whole everyday name ("surat kematian")
    score -= LENGTH_PENALTY * len(name_terms - name_hits)
    return score, matched


def rerank(
    candidates: Iterable[Candidate], groups: Sequence[Group], limit: int
) -> list[tuple[Candidate, float, list[str]]]:
    """Score candidates; best first, without the long tail of weak matches."""
    scored = []
    query_key = _key(g.primary for g in groups)
    for candidate in candidates:
        score, matched = _score(candidate, groups, query_key)
        if score > 0:
            scored.append((candidate, round(score, 3), matched))
    scored.sort(key=lambda h: (-h[1], len(h[0].name), h[0].name))
    if scored:  # drop weak matches ("anak" in a savings account's name)
        floor = scored[0][1] * RELATIVE_FLOOR
        scored = [h for h in scored if h[1] >= floor]
    return scored[:limit]


def service_search(*, region_id: int, query: str, limit: int = 10) -> list[Hit]:
    """The one search selector: published, active services of a region, best first."""
    query = (query or "")[:200]
    vocab = vocabulary(region_id)
    groups = parse_query(query, vocab)
    if not groups:
        return []
    plan = plan_query(groups, vocab)
    candidates = _candidates(region_id, plan.words, plan.selective, plan.full, CANDIDATES)
    ranked = rerank(candidates, groups, limit)
    if not ranked and plan.narrowed:
        candidates = _candidates(region_id, [], plan.full, plan.full, CANDIDATES)
        ranked = rerank(candidates, groups, limit)
    return [Hit(service=_service(c), score=score, matched=matched) for c, score, matched in ranked]


def service_search_icontains(*, region_id: int, query: str, limit: int = 10) -> list[Service]:
    """The naive baseline (benchmark only): every query word ``icontains`` the name."""
    qs = _public_services(region_id)
    for word in text.normalise(query).split()[:_MAX_QUERY_WORDS]:
        qs = qs.filter(name__icontains=word)
    return list(qs.select_related("agency").order_by("name")[:limit])
