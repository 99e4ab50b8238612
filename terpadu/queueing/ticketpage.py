"""The status block of the citizen's live ticket page: read in one statement, answered 304 when unchanged.

Up to hundreds of phones poll it every 5 s (htmx; the browser revalidates with
``If-None-Match`` by itself). :func:`ticket_state` reads everything the block
shows — the ticket, its position, the priority tickets behind it that go first,
the open counters of its group, the counter it was called to — in ONE indexed
statement (the counts walk the partial "waiting" index). The ETag is a digest of
exactly what the block shows (plus the language), so an unchanged block is
answered ``304`` without rendering anything. :func:`fragment` renders the block;
the full page (``ticket_live.html``) includes the same HTML, so the Django view
and the lean path (``queueing/lean.py``) answer byte for byte the same.

A transferred ticket (rare) is followed through ``selectors.ticket_public``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terpadu.queueing.hotpath import fetchone
from terpadu.queueing.models import Ticket, ticket_label

_STATE_SQL = """
SELECT t.id, t.letter, t.number, t.status, t.priority, t.group_id, t.day, c.number, h.name, g.name,
  CASE WHEN t.status = 'waiting' THEN (
    SELECT COUNT(*) FROM queueing_ticket w
    WHERE w.group_id = t.group_id AND w.status = 'waiting' AND w.id < t.id) END,
  CASE WHEN t.status = 'waiting' AND NOT t.priority THEN (
    SELECT COUNT(*) FROM queueing_ticket w
    WHERE w.group_id = t.group_id AND w.status = 'waiting' AND w.priority AND w.id > t.id) END,
  CASE WHEN t.status = 'waiting' THEN (
    SELECT COUNT(*) FROM queueing_counterstate s JOIN catalog_counter k ON k.id = s.counter_id
    WHERE k.counter_group_id = t.group_id AND s.status = 'open') END
FROM queueing_ticket t
JOIN catalog_hall h ON h.id = t.hall_id
JOIN catalog_countergroup g ON g.id = t.group_id
LEFT JOIN catalog_counter c ON c.id = t.counter_id
WHERE t.token = %s
"""

_STATUS_LABELS = dict(Ticket.Status.choices)


@dataclass
class TicketState:
    token: str
    label: str
    status: str
    hall: str
    group: str
    counter_number: int | None
    position: int | None = None  # tickets before this one (waiting only)
    wait_minutes: int | None = None
    open_counters: int = 0
    chain: list[str] = field(default_factory=list)  # earlier labels if transferred

    def key(self) -> tuple[object, ...]:
        return (
            self.label,
            self.status,
            self.hall,
            self.group,
            self.counter_number,
            self.position,
            self.wait_minutes,
            self.open_counters,
            tuple(self.chain),
        )


def ticket_state(token: str) -> TicketState | None:
    """What the status block shows, in one statement (a transfer is followed via the selector)."""
    from terpadu.queueing.selectors import average_service_seconds

    if not token or len(token) > 64:
        return None
    row = fetchone(_STATE_SQL, [token])
    if row is None:
        return None
    status = row[3]
    if status == Ticket.Status.TRANSFERRED:
        return _followed(token)
    state = TicketState(
        token=token,
        label=ticket_label(row[1], row[2]),
        status=status,
        hall=row[8],
        group=row[9],
        counter_number=row[7],
    )
    if status == Ticket.Status.WAITING:
        position = int(row[10]) + int(row[11] or 0)
        day = row[6] if isinstance(row[6], dt.date) else dt.date.fromisoformat(str(row[6]))
        seconds = average_service_seconds(row[5], day)
        state.position = position
        state.open_counters = int(row[12])
        state.wait_minutes = round((position + 1) * seconds / max(1, state.open_counters) / 60)
    return state


def _followed(token: str) -> TicketState | None:
    from terpadu.queueing.selectors import ticket_public

    found = ticket_public(token)
    if found is None:
        return None
    return TicketState(
        token=token,
        label=found.label,
        status=found.status,
        hall=found.ticket.hall.name,
        group=found.ticket.group.name,
        counter_number=found.counter_number,
        position=found.position,
        wait_minutes=found.wait_minutes,
        open_counters=found.open_counters,
        chain=found.chain,
    )


def etag(state: TicketState, language: str) -> str:
    digest = hashlib.blake2b(repr((state.key(), language)).encode(), digest_size=9).hexdigest()
    return f'"s{digest}"'


def fragment(state: TicketState) -> str:
    """The ``#status`` block (htmx swaps it every 5 s)."""
    path = escape(f"/antrean/tiket/{state.token}/")
    parts = [
        f'<section id="status" aria-live="polite" hx-get="{path}" hx-trigger="every 5s" '
        'hx-select="#status" hx-swap="outerHTML">',
        f'<p class="ticket-big">{escape(state.label)}</p>',
        f"<p>{escape(state.hall)} · {escape(state.group)}</p>",
    ]
    if state.chain:
        moved = _("Dipindahkan dari %(old)s.") % {"old": ", ".join(state.chain)}
        parts.append(f"<p>{escape(moved)}</p>")
    if state.status == Ticket.Status.CALLED:
        called = _("Dipanggil ke loket %(n)s") % {"n": state.counter_number}
        parts.append(f'<div class="called-banner" role="alert"><p>{escape(called)}</p></div>')
        go = _("Silakan segera menuju loket.")  # outside the f-string: xgettext reads it
        parts.append(f"<p>{escape(go)}</p>")
    elif state.status == Ticket.Status.WAITING:
        minutes = state.wait_minutes or 0
        if minutes < 1:
            wait = _("kurang dari 1 menit")
        else:
            wait = ngettext("sekitar %(m)s menit", "sekitar %(m)s menit", minutes) % {"m": minutes}
        # Translated outside the f-strings: xgettext does not read inside them.
        ahead, estimate, open_now = (
            _("Antrean di depan Anda"),
            _("Perkiraan waktu tunggu"),
            _("Loket yang sedang buka"),
        )
        parts += [
            '<dl class="facts">',
            f"<dt>{escape(ahead)}</dt><dd>{state.position}</dd>",
            f"<dt>{escape(estimate)}</dt><dd>{escape(wait)}</dd>",
            f"<dt>{escape(open_now)}</dt><dd>{state.open_counters}</dd>",
            "</dl>",
            '<p class="muted">'
            + escape(
                _(
                    "Perkiraan dari lama layanan terakhir di kelompok loket ini; "
                    "halaman ini diperbarui sendiri."
                )
            )
            + "</p>",
        ]
    elif state.status == Ticket.Status.SERVING:
        serving = _("Sedang dilayani di loket %(n)s.") % {"n": state.counter_number}
        parts.append(f"<p><strong>{escape(serving)}</strong></p>")
    else:
        parts.append(f"<p><strong>{escape(str(_STATUS_LABELS[state.status]))}</strong></p>")
    parts.append("</section>")
    return "\n".join(parts)


POLL_HEADERS = [("Cache-Control", "no-cache"), ("Vary", "HX-Request, Cookie")]
