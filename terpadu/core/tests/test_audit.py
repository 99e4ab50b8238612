"""The audit chain detects rows altered, inserted or deleted behind the application's back."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.db import connection

from terpadu.core.audit import audit_record, verify_chain, write_anchor
from terpadu.core.models import AuditEntry


@pytest.fixture
def chain(db):  # type: ignore[no-untyped-def]
    for i in range(6):
        audit_record(
            actor="system", action="test.change", record_type="test", record_id=i, summary={"n": i}
        )
    return list(AuditEntry.objects.order_by("seq"))


def run_verify(capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    try:
        call_command("audit", "verify")
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_intact_chain_verifies(chain, capsys):  # type: ignore[no-untyped-def]
    code, out = run_verify(capsys)
    assert code == 0
    assert "6 entri" in out
    assert chain[0].prev_digest == "0" * 64
    assert all(b.prev_digest == a.digest for a, b in itertools.pairwise(chain))


def test_altered_row_is_named(chain, capsys):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = %s WHERE seq = %s", ["test.forged", 4])
    code, out = run_verify(capsys)
    assert code == 1
    assert "#4" in out
    assert verify_chain().first_bad_seq == 4


def test_deleted_row_is_named(chain, capsys):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq = %s", [3])
    code, out = run_verify(capsys)
    assert code == 1
    assert "#3" in out


def test_inserted_row_is_named(chain, capsys):  # type: ignore[no-untyped-def]
    last = chain[-1]
    with connection.cursor() as cursor:
        # A forger who knows the format but not the key appends a plausible entry.
        cursor.execute(
            "INSERT INTO core_auditentry (seq, created_at, actor_id, actor_label, action, record_type, record_id,"
            " region_code, summary, prev_digest, digest) VALUES (%s, %s, NULL, 'x', 'test.change', 'test', '9', '',"
            " %s, %s, %s)",
            [7, last.created_at, '{"n": 9}', last.digest, "f" * 64],
        )
    code, out = run_verify(capsys)
    assert code == 1
    assert "#7" in out


def test_truncated_tail_is_caught_by_the_anchor(chain, capsys):  # type: ignore[no-untyped-def]
    write_anchor()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq >= %s", [5])
    code, out = run_verify(capsys)
    assert code == 1
    assert "#6" in out


def test_concurrent_style_appends_keep_sequence(db):  # type: ignore[no-untyped-def]
    entries = [
        audit_record(actor=None, action="x", record_type="t", record_id=i) for i in range(20)
    ]
    assert [e.seq for e in entries] == list(range(1, 21))
    assert verify_chain().ok
