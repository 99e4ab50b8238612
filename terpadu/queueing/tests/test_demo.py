"""The demo step: ten working days of history plus a live queue today; fast, deterministic, idempotent."""

from __future__ import annotations

import pytest

from terpadu.core.audit import verify_chain
from terpadu.demo.build import StepContext
from terpadu.queueing import services
from terpadu.queueing.demo_steps import HALL_CODE, build_queue
from terpadu.queueing.models import CounterState, QueueEvent, Ticket

pytestmark = pytest.mark.django_db


def context(regions) -> StepContext:
    return StepContext(
        regency=regions["banyuwangi"], seed=2017, people=0, rebuild=True, progress=lambda m: None
    )


def test_demo_queue(hall, regions, people):
    hall.hall.code = HALL_CODE
    hall.hall.save()
    # Its speed is measured by bench/demo_build.py, not asserted here (the machine is shared).
    first = build_queue(context(regions))
    assert first["tickets"] > 500 and first["today"] > 10
    assert first["waiting_now"] > 0 and first["called_now"] > 0
    assert first["events_sealed"] + first["history_events"] == QueueEvent.objects.count()
    assert not QueueEvent.objects.filter(sealed_seq=None).exists()
    assert verify_chain().ok
    snapshot = list(
        Ticket.objects.order_by("day", "letter", "number").values_list(
            "letter", "number", "status", "priority"
        )
    )

    second = build_queue(context(regions))  # idempotent and deterministic for the day
    assert second["tickets"] == first["tickets"]
    again = list(
        Ticket.objects.order_by("day", "letter", "number").values_list(
            "letter", "number", "status", "priority"
        )
    )
    assert again == snapshot

    # The live queue goes on: an open counter calls the next ticket, the kiosk continues numbering.
    today = services.local_day(services.timezone.now())
    last_a = Ticket.objects.filter(day=today, letter="A").order_by("-number").first()
    issued = services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    assert issued.number == last_a.number + 1
    state = CounterState.objects.filter(status="open", counter__counter_group=hall.group_a).first()
    from terpadu.queueing.access import access_counter_by_id

    ctx = access_counter_by_id(user=people["supervisor"], counter_id=state.counter_id)
    result = services.ticket_call_next(actor=people["supervisor"], counter=ctx)
    assert result.called is not None
    # every history ticket is finished; numbers are contiguous per group and day
    for day, letter in set(Ticket.objects.values_list("day", "letter")):
        numbers = sorted(
            Ticket.objects.filter(day=day, letter=letter).values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))
    assert not Ticket.objects.filter(day__lt=today, status__in=["waiting", "called"]).exists()
