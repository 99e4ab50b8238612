"""Catalogue search: one selector over SQLite FTS5 or PostgreSQL full-text, with a Python rerank.

How a query runs (``service_search``):

1. The query becomes *groups* of alternative terms (:mod:`terpadu.catalog.text`):
   each word → its canonical term (synonyms + stemmer); a word the catalogue
   does not know is corrected to the nearest known word (edit distance ≤ 1 for
   words of 4–6 letters, ≤ 2 for longer ones); related terms are added with a
   lower weight (``anak`` → ``lahir``). The last word also matches as a prefix
   (live typing: ``akta kel``).
2. Candidates come from the full-text index of the database in use — an FTS5
   virtual table ``catalog_service_fts`` on SQLite, a generated ``tsvector``
   column with a GIN index on PostgreSQL ('simple' configuration: the text is
   already normalised) — ranked with name/everyday-name terms above body terms,
   at most ``CANDIDATES`` of them.
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import QuerySet

from terpadu.catalog import text
from terpadu.catalog.models import Service, ServiceVersion

CANDIDATES = 120
FTS_TABLE = "catalog_service_fts"
VOCAB_TTL_SECONDS = 60.0
_MAX_QUERY_WORDS = 8

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


@dataclass
class Vocabulary:
    terms: dict[str, int]
    raw_words: frozenset[str]
    size: int = 0
    by_first: dict[str, list[str]] = field(default_factory=dict)
    built: float = 0.0

    def __post_init__(self) -> None:
        for word in [*self.terms, *self.raw_words]:
            self.by_first.setdefault(word[:1], []).append(word)


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
    counts: dict[str, int] = {}
    size = 0
    for title, body in _public_services(region_id).values_list("search_title", "search_body"):
        size += 1
        for term in set(f"{title} {body}".split()):
            counts[term] = counts.get(term, 0) + 1
    raw = {w for w in text.SYNONYMS if len(w) > 3}
    for phrase in text.PHRASES:
        raw.update(w for w in phrase.split() if len(w) > 3)
    vocab = Vocabulary(terms=counts, raw_words=frozenset(raw), size=size, built=now)
    _VOCAB[region_id] = vocab
    return vocab


def _correct(word: str, term: str, vocab: Vocabulary) -> str | None:
    """The known term nearest to a mistyped word, or None."""
    limit = text.typo_limit(word)
    if limit == 0:
        return None
    best: tuple[int, int, str] | None = None
    for probe in {word, term}:
        # Most typos keep the first letter; also try words sharing the second letter.
        pool = vocab.by_first.get(probe[:1], [])
        for known in pool:
            if abs(len(known) - len(probe)) > limit:
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


def _fts5_query(groups: Sequence[Group], skip: frozenset[str] = frozenset()) -> str:
    parts: list[str] = []
    for group in groups:
        for t in group.alternatives:
            if t.isalnum():
                parts.append(f'title : "{t}"' if t in skip else f'"{t}"')
        if group.prefix.isalnum():
            parts.append(f'"{group.prefix}"*')
    return " OR ".join(dict.fromkeys(parts))


def _pg_query(groups: Sequence[Group], skip: frozenset[str] = frozenset()) -> str:
    parts: list[str] = []
    for group in groups:
        for t in group.alternatives:
            if t.isalnum():
                parts.append(f"{t}:A" if t in skip else t)
        if group.prefix.isalnum():
            parts.append(f"{group.prefix}:*")
    return " | ".join(dict.fromkeys(parts))


@dataclass(frozen=True)
class Candidate:
    """What the rerank needs of a service, straight from the candidate query."""

    id: int
    name: str
    aliases: tuple[str, ...]
    body: str


def _aliases(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return ()
    return tuple(str(a) for a in value) if isinstance(value, list) else ()


def common_terms(groups: Sequence[Group], vocab: Vocabulary) -> frozenset[str]:
    """Query terms found in so many services that they cannot pick candidates ("surat").

    In the full-text query they match service names and everyday names only
    (FTS5 column filter ``title :``, PostgreSQL weight ``:A``); the rerank still
    counts them everywhere.
    """
    limit = max(COMMON_MIN, COMMON_FRACTION * vocab.size)
    terms = {t for g in groups for t in g.alternatives}
    return frozenset(t for t in terms if vocab.terms.get(t, 0) > limit)


def _candidates(
    region_id: int, groups: Sequence[Group], limit: int, skip: frozenset[str] = frozenset()
) -> list[Candidate]:
    if not groups:
        return []
    columns = "s.id, s.name, s.aliases, s.search_body"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = _pg_query(groups, skip)
            if not tsquery:
                return []
            cursor.execute(
                f"SELECT {columns} FROM catalog_service s, to_tsquery('simple', %s) q "  # noqa: S608
                "WHERE s.search_vector @@ q AND s.region_id = %s AND s.is_active "
                "AND s.current_version_id IS NOT NULL "
                "ORDER BY ts_rank(s.search_vector, q, 1) DESC LIMIT %s",
                [tsquery, region_id, limit],
            )
        else:
            match = _fts5_query(groups, skip)
            if not match:
                return []
            cursor.execute(
                f"SELECT {columns} FROM {FTS_TABLE} f JOIN catalog_service s ON s.id = f.rowid "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND s.region_id = %s AND s.is_active "
                "AND s.current_version_id IS NOT NULL "
                f"ORDER BY bm25({FTS_TABLE}, 5.0, 1.0) LIMIT %s",
                [match, region_id, limit],
            )
        return [
            Candidate(id=row[0], name=row[1], aliases=_aliases(row[2]), body=row[3] or "")
            for row in cursor.fetchall()
        ]


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
    skip = common_terms(groups, vocab)
    ranked = rerank(_candidates(region_id, groups, CANDIDATES, skip), groups, limit)
    if not ranked:
        return []
    services = Service.objects.select_related("agency", "category").in_bulk(
        [c.id for c, _, _ in ranked]
    )
    return [
        Hit(service=services[c.id], score=score, matched=matched)
        for c, score, matched in ranked
        if c.id in services
    ]


def service_search_icontains(*, region_id: int, query: str, limit: int = 10) -> list[Service]:
    """The naive baseline (benchmark only): every query word ``icontains`` the name."""
    qs = _public_services(region_id)
    for word in text.normalise(query).split()[:_MAX_QUERY_WORDS]:
        qs = qs.filter(name__icontains=word)
    return list(qs.select_related("agency").order_by("name")[:limit])
