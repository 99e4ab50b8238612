"""Eight kiosks issue and eight counters call at the same time: every ticket is called exactly once.

Runs against whichever database the suite uses (SQLite file or PostgreSQL); CI
runs both. Threads each get their own database connection, as gunicorn workers do.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter as Tally

import pytest
from django.db import connection

from terpadu.catalog.models import Counter
from terpadu.queueing import services
from terpadu.queueing.access import access_counter_by_id
from terpadu.queueing.models import QueueEvent, Ticket
from terpadu.queueing.tests.conftest import open_counter

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
PER_THREAD = 25


def test_eight_kiosks_and_eight_counters_at_once(hall, people, agencies):
    officer = people["agency_officer"]
    supervisor = people["supervisor"]
    groups = [hall.group_a, hall.group_b]
    # Eight open counters: four per group (the fixture's 1, 2 and 3 plus five more).
    extra = [
        Counter.objects.create(
            hall=hall.hall,
            number=10 + i,
            agency=agencies["a"],
            counter_group=groups[(i + 1) % 2],
        )
        for i in range(5)
    ]
    for counter in extra:
        hall.counters[counter.number] = counter
    numbers = [1, 2, 3, *[c.number for c in extra]]
    contexts = [open_counter(n, hall, supervisor) for n in numbers]
    assert sorted(ctx.group_id for ctx in contexts).count(hall.group_a.pk) == 4

    start = threading.Barrier(THREADS * 2)
    issuing_done = threading.Event()
    issued: list[tuple[int, int]] = []
    called: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    issuers_left = [THREADS]

    def issuer(k: int) -> None:
        try:
            start.wait()
            for i in range(PER_THREAD):
                group = groups[(k + i) % 2]
                got = services.ticket_issue(
                    actor=people["front_desk"],
                    hall=hall.hall,
                    group_id=group.pk,
                    priority_reason="lansia" if i % 5 == 0 else "",
                )
                with lock:
                    issued.append((group.pk, got.number))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            with lock:
                issuers_left[0] -= 1
                if issuers_left[0] == 0:
                    issuing_done.set()
            connection.close()

    def caller(k: int) -> None:
        ctx = contexts[k]
        mine: list[int] = []
        try:
            start.wait()
            while True:
                finished = issuing_done.is_set()
                result = services.ticket_call_next(actor=officer, counter=ctx)
                ctx = dataclasses.replace(ctx, calls=ctx.calls + 1)
                if result.called is not None:
                    mine.append(result.called.id)
                elif finished:
                    break
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            with lock:
                called.extend(mine)
            connection.close()

    threads = [threading.Thread(target=issuer, args=(k,)) for k in range(THREADS)]
    threads += [threading.Thread(target=caller, args=(k,)) for k in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    total = THREADS * PER_THREAD

    # Every ticket was issued once with its own number, contiguous per group.
    assert len(issued) == total
    for group in groups:
        got = sorted(n for g, n in issued if g == group.pk)
        assert got == list(range(1, len(got) + 1))
    assert Ticket.objects.count() == total

    # Every ticket was called exactly once, by exactly one counter.
    assert len(called) == total
    assert len(set(called)) == total
    assert set(called) == set(Ticket.objects.values_list("id", flat=True))
    calls = Tally(QueueEvent.objects.filter(kind="called").values_list("ticket_id", flat=True))
    assert set(calls.values()) == {1}
    assert Ticket.objects.filter(status="waiting").count() == 0
    # All but each counter's last ticket were finished by the next call.
    assert Ticket.objects.filter(status="called").count() <= THREADS
    # A counter calls only its own group's tickets.
    for ticket in Ticket.objects.select_related("counter"):
        assert ticket.counter.counter_group_id == ticket.group_id


def test_double_click_on_one_counter_calls_one_ticket(hall, people):
    officer = people["agency_officer"]
    for _ in range(3):
        services.ticket_issue(actor=people["front_desk"], hall=hall.hall, group_id=hall.group_a.pk)
    ctx = open_counter(1, hall, officer)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def click() -> None:
        try:
            start.wait()
            result = services.ticket_call_next(actor=officer, counter=ctx)
            outcomes.append(f"called {result.called.number}" if result.called else "none")
        except services.DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["called 1", "counter_busy", "counter_busy", "counter_busy"]
    assert Ticket.objects.filter(status="called").count() == 1
    assert Ticket.objects.filter(status="waiting").count() == 2
    fresh = access_counter_by_id(user=officer, counter_id=ctx.id)
    assert fresh.calls == 1
