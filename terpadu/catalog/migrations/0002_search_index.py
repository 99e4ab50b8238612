"""Full-text search structures, one per database vendor.

* SQLite: an FTS5 virtual table ``catalog_service_fts(title, body)`` whose rowid is
  the service id; the catalogue services keep it in sync (search.index_services).
* PostgreSQL: a generated ``tsvector`` column ``search_vector`` on catalog_service
  ('simple' configuration over the already-normalised text, name terms weighted A,
  body terms B) with a GIN index. The column is not a model field: Django never
  writes it and PostgreSQL keeps it current.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_service_fts USING fts5(title, body, tokenize = 'unicode61')",
    "INSERT INTO catalog_service_fts(rowid, title, body) SELECT id, search_title, search_body FROM catalog_service",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS catalog_service_fts"]
PG_FORWARD = [
    "ALTER TABLE catalog_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, coalesce(search_title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(search_body, '')), 'B')) STORED",
    "CREATE INDEX catalog_service_search_gin ON catalog_service USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_service_search_gin",
    "ALTER TABLE catalog_service DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_catalog_models")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        )
    ]
