"""The application state machine. Pure: no database, no Django.

A workflow is configuration (``ServiceWorkflow.definition``, JSON) in the shape of
DIGIT's BusinessService: states, each with its own SLA, and the transitions
between them with who may take them. The default for every service::

    diajukan → verifikasi → (perbaikan ↔ verifikasi) → diproses → disetujui | ditolak
    disetujui → selesai (diambil)

``perbaikan`` waits for the citizen: it *pauses* the agency's clock. The overall
SLA of the service (from the catalogue) is not part of the workflow; the SLA of a
step is, as ``{"value": 1, "unit": "working_days" | "hours"}`` or ``"service"``
(the service's own completion time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Who takes a transition: an officer of the responsible agency, its head only,
#: the applicant (the citizen, or the front desk on their behalf), or the system.
ACTORS = frozenset({"officer", "head", "applicant", "system"})
UNITS = frozenset({"working_days", "hours"})


class WorkflowError(Exception):
    """An action that the workflow does not allow (``code`` says why)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class StepSla:
    value: int
    unit: str  # "working_days" | "hours"


@dataclass(frozen=True)
class State:
    key: str
    label: str
    sla: StepSla | None = None
    uses_service_sla: bool = False
    pauses_clock: bool = False
    terminal: bool = False
    waits_for: str = "agency"  # "agency" | "citizen" | "nobody"
    citizen_hint: str = ""


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    label: str
    actors: frozenset[str]
    reason_required: bool = False
    issues_document: bool = False


@dataclass(frozen=True)
class Workflow:
    initial: str
    states: Mapping[str, State]
    transitions: tuple[Transition, ...] = field(default_factory=tuple)

    def state(self, key: str) -> State:
        try:
            return self.states[key]
        except KeyError:
            raise WorkflowError("unknown_state", f"status '{key}' tidak dikenal") from None

    def available(self, state: str, actors: Iterable[str]) -> list[Transition]:
        """Transitions out of ``state`` that any of ``actors`` may take, in definition order."""
        roles = set(actors)
        return [t for t in self.transitions if t.source == state and t.actors & roles]

    def resolve(
        self, state: str, action: str, actors: Iterable[str], reason: str = ""
    ) -> Transition:
        """The transition ``action`` from ``state`` for ``actors``, or WorkflowError."""
        self.state(state)
        candidates = [t for t in self.transitions if t.source == state and t.action == action]
        if not candidates:
            raise WorkflowError(
                "not_allowed",
                f"Tindakan '{action}' tidak dapat dilakukan pada status "
                f"'{self.state(state).label}'.",
            )
        roles = set(actors)
        allowed = [t for t in candidates if t.actors & roles]
        if not allowed:
            raise WorkflowError("forbidden", "Anda tidak berwenang melakukan tindakan ini.")
        transition = allowed[0]
        if transition.reason_required and not reason.strip():
            raise WorkflowError("reason_required", "Alasan wajib diisi untuk tindakan ini.")
        return transition

    def is_terminal(self, state: str) -> bool:
        return self.state(state).terminal

    def path_to_end(self) -> list[str]:
        """The main path (first transition out of each state) for the citizen's timeline."""
        path = [self.initial]
        seen = {self.initial}
        current = self.initial
        while True:
            nxt = next(
                (
                    t.target
                    for t in self.transitions
                    if t.source == current
                    and t.target not in seen
                    and not self.states[t.target].pauses_clock
                    and "applicant" not in t.actors
                    and not t.reason_required
                ),
                None,
            )
            if nxt is None:
                return path
            path.append(nxt)
            seen.add(nxt)
            current = nxt


DEFAULT_DEFINITION: dict[str, Any] = {
    "initial": "diajukan",
    "states": [
        {
            "key": "diajukan",
            "label": "Diajukan",
            "sla": {"value": 4, "unit": "hours"},
            "citizen_hint": "Permohonan Anda sudah masuk dan menunggu diperiksa petugas.",
        },
        {
            "key": "verifikasi",
            "label": "Verifikasi berkas",
            "sla": {"value": 1, "unit": "working_days"},
            "citizen_hint": "Petugas sedang memeriksa berkas Anda. Belum ada yang perlu Anda lakukan.",
        },
        {
            "key": "perbaikan",
            "label": "Perlu perbaikan",
            "sla": {"value": 10, "unit": "working_days"},
            "pauses_clock": True,
            "waits_for": "citizen",
            "citizen_hint": "Perbaiki berkas sesuai catatan petugas, lalu kirim kembali.",
        },
        {
            "key": "diproses",
            "label": "Diproses",
            "sla": "service",
            "citizen_hint": "Berkas lengkap dan sedang diproses.",
        },
        {
            "key": "disetujui",
            "label": "Disetujui",
            "sla": {"value": 1, "unit": "working_days"},
            "citizen_hint": "Permohonan disetujui. Dokumen dapat diunduh atau diambil di loket.",
        },
        {
            "key": "ditolak",
            "label": "Ditolak",
            "terminal": True,
            "waits_for": "nobody",
            "citizen_hint": "Permohonan ditolak. Alasannya tercantum di bawah.",
        },
        {
            "key": "selesai",
            "label": "Selesai/diambil",
            "terminal": True,
            "waits_for": "nobody",
            "citizen_hint": "Permohonan selesai. Terima kasih.",
        },
    ],
    "transitions": [
        {
            "action": "verify",
            "from": "diajukan",
            "to": "verifikasi",
            "label": "Mulai verifikasi",
            "actors": ["officer", "head"],
        },
        {
            "action": "accept",
            "from": "verifikasi",
            "to": "diproses",
            "label": "Berkas lengkap, proses",
            "actors": ["officer", "head"],
        },
        {
            "action": "request_fix",
            "from": "verifikasi",
            "to": "perbaikan",
            "label": "Minta perbaikan",
            "actors": ["officer", "head"],
            "reason_required": True,
        },
        {
            "action": "resubmit",
            "from": "perbaikan",
            "to": "verifikasi",
            "label": "Kirim perbaikan",
            "actors": ["applicant"],
        },
        {
            "action": "reject",
            "from": "verifikasi",
            "to": "ditolak",
            "label": "Tolak",
            "actors": ["officer", "head"],
            "reason_required": True,
        },
        {
            "action": "approve",
            "from": "diproses",
            "to": "disetujui",
            "label": "Setujui dan terbitkan",
            "actors": ["officer", "head"],
            "issues_document": True,
        },
        {
            "action": "reject",
            "from": "diproses",
            "to": "ditolak",
            "label": "Tolak",
            "actors": ["officer", "head"],
            "reason_required": True,
        },
        {
            "action": "complete",
            "from": "disetujui",
            "to": "selesai",
            "label": "Selesai/diserahkan",
            "actors": ["officer", "head"],
        },
    ],
}


def _sla(raw: Any, where: str) -> tuple[StepSla | None, bool]:
    if raw in (None, "", 0):
        return None, False
    if raw == "service":
        return None, True
    if not isinstance(raw, Mapping):
        raise WorkflowError("invalid_definition", f"{where}: SLA tidak valid")
    unit = str(raw.get("unit", "working_days"))
    try:
        value = int(raw.get("value", 0))
    except (TypeError, ValueError):
        raise WorkflowError("invalid_definition", f"{where}: SLA harus bilangan bulat") from None
    if unit not in UNITS or value <= 0 or value > 3650:
        raise WorkflowError("invalid_definition", f"{where}: SLA tidak valid")
    return StepSla(value, unit), False


def parse(definition: Mapping[str, Any]) -> Workflow:
    """Check a definition and build the :class:`Workflow` (WorkflowError on any fault)."""
    if not isinstance(definition, Mapping):
        raise WorkflowError("invalid_definition", "definisi alur harus berupa objek")
    states: dict[str, State] = {}
    for raw in definition.get("states", []):
        key = str(raw.get("key", "")).strip()
        if not key or len(key) > 30 or key in states:
            raise WorkflowError("invalid_definition", f"status '{key}' kosong atau ganda")
        sla, uses_service = _sla(raw.get("sla"), key)
        waits_for = str(raw.get("waits_for", "agency"))
        if waits_for not in ("agency", "citizen", "nobody"):
            raise WorkflowError("invalid_definition", f"{key}: waits_for tidak dikenal")
        states[key] = State(
            key=key,
            label=str(raw.get("label") or key),
            sla=sla,
            uses_service_sla=uses_service,
            pauses_clock=bool(raw.get("pauses_clock")),
            terminal=bool(raw.get("terminal")),
            waits_for=waits_for,
            citizen_hint=str(raw.get("citizen_hint", "")),
        )
    initial = str(definition.get("initial", ""))
    if initial not in states:
        raise WorkflowError("invalid_definition", "status awal tidak ada")
    transitions = []
    for raw in definition.get("transitions", []):
        source, target = str(raw.get("from", "")), str(raw.get("to", ""))
        action = str(raw.get("action", "")).strip()
        if source not in states or target not in states or not action:
            raise WorkflowError(
                "invalid_definition", f"transisi '{action}' {source}→{target} tidak valid"
            )
        if states[source].terminal:
            raise WorkflowError("invalid_definition", f"status akhir '{source}' tidak boleh keluar")
        actors = frozenset(str(a) for a in raw.get("actors", []))
        if not actors or not actors <= ACTORS:
            raise WorkflowError("invalid_definition", f"pelaku transisi '{action}' tidak valid")
        transitions.append(
            Transition(
                action=action,
                source=source,
                target=target,
                label=str(raw.get("label") or action),
                actors=actors,
                reason_required=bool(raw.get("reason_required")),
                issues_document=bool(raw.get("issues_document")),
            )
        )
    seen = {(t.source, t.action) for t in transitions}
    if len(seen) != len(transitions):
        raise WorkflowError("invalid_definition", "tindakan ganda dari status yang sama")
    # every state reachable from the initial one, and a terminal state reachable from every state
    reach = {initial}
    frontier = [initial]
    while frontier:
        current = frontier.pop()
        for t in transitions:
            if t.source == current and t.target not in reach:
                reach.add(t.target)
                frontier.append(t.target)
    unreachable = set(states) - reach
    if unreachable:
        raise WorkflowError(
            "invalid_definition", f"status tidak terjangkau: {', '.join(sorted(unreachable))}"
        )
    if not any(s.terminal for s in states.values()):
        raise WorkflowError("invalid_definition", "tidak ada status akhir")
    return Workflow(initial=initial, states=states, transitions=tuple(transitions))


DEFAULT_WORKFLOW = parse(DEFAULT_DEFINITION)
DRAFT = "draf"  # before submission; not a workflow state
