"""PostgreSQL: one position-free ``tsvector`` of field-tagged terms instead of a weighted vector.

0002 stored ``setweight(title, 'A') || setweight(body, 'B')``. A query for a
term in names (``akta:A``) could not be answered by the GIN index, which does
not know weights: every service with ``akta`` anywhere ("Akta kelahiran" is a
common requirement) was fetched and rechecked, and the planner, expecting that
many rows, scanned the whole table instead.

Now ``search_terms`` holds each name term as ``t_<term>`` and each body term as
``b_<term>`` (``array_to_tsvector``: the index text is already normalised and
de-duplicated, so no parser and no positions). "In the name", "in the body" and
the whole candidate rule (any of these terms, or two of the query's words) are
one tsquery answered exactly by one GIN index scan. SQLite (FTS5) is unchanged.
"""

from django.db import migrations


def _tagged(column: str, tag: str) -> str:
    """``'akta lahir'`` → the lexemes ``t_akta``, ``t_lahir`` (empty text → no lexeme)."""
    words = rf"regexp_replace(btrim(coalesce({column}, '')), '\s+', ' ', 'g')"
    return rf"array_to_tsvector(string_to_array(regexp_replace({words}, '(\S+)', '{tag}_\1', 'g'), ' '))"


PG_FORWARD = [
    "DROP INDEX IF EXISTS catalog_service_search_gin",
    "ALTER TABLE catalog_service DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE catalog_service ADD COLUMN search_terms tsvector GENERATED ALWAYS AS ("
    f"{_tagged('search_title', 't')} || {_tagged('search_body', 'b')}) STORED",
    "CREATE INDEX catalog_service_terms_gin ON catalog_service USING gin (search_terms)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_service_terms_gin",
    "ALTER TABLE catalog_service DROP COLUMN IF EXISTS search_terms",
    "ALTER TABLE catalog_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, coalesce(search_title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(search_body, '')), 'B')) STORED",
    "CREATE INDEX catalog_service_search_gin ON catalog_service USING gin (search_vector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_index")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
