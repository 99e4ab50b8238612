"""Planner statistics after a bulk change.

A query planner chooses its indexes from statistics gathered by ``ANALYZE``. After a
bulk load (an agency extract of hundreds of thousands of rows, a linkage run that
rewrites the person index) the statistics describe the tables as they were, and
SQLite in particular may then walk a whole batch for every row of a correlated
subquery instead of using the right index: the Garda Ampuh cohort of a 1.8-million
regency went from seconds to more than half an hour that way.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def refresh_statistics(*models: type[Model]) -> None:
    """``ANALYZE`` the tables of ``models`` (outside a transaction it is cheap to lose)."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    if not tables:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(tables))
        else:
            for table in tables:  # SQLite's ANALYZE takes one table at a time
                cursor.execute("ANALYZE " + table)
