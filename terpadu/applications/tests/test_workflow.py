"""The state machine (pure): the default path, who may act, reasons, bad configurations."""

from __future__ import annotations

import copy

import pytest

from terpadu.applications.workflow import DEFAULT_DEFINITION, DEFAULT_WORKFLOW, WorkflowError, parse


def test_default_main_path_and_the_correction_loop():
    wf = DEFAULT_WORKFLOW
    assert wf.path_to_end() == ["diajukan", "verifikasi", "diproses", "disetujui", "selesai"]
    assert wf.resolve("verifikasi", "request_fix", {"officer"}, "KK buram").target == "perbaikan"
    assert wf.resolve("perbaikan", "resubmit", {"applicant"}).target == "verifikasi"
    assert wf.state("perbaikan").pauses_clock
    assert wf.is_terminal("ditolak") and wf.is_terminal("selesai")


def test_the_citizen_cannot_approve_and_the_officer_cannot_resubmit():
    wf = DEFAULT_WORKFLOW
    with pytest.raises(WorkflowError) as exc:
        wf.resolve("diproses", "approve", {"applicant"})
    assert exc.value.code == "forbidden"
    with pytest.raises(WorkflowError) as exc:
        wf.resolve("perbaikan", "resubmit", {"officer"})
    assert exc.value.code == "forbidden"
    assert [t.action for t in wf.available("verifikasi", {"officer"})] == [
        "accept",
        "request_fix",
        "reject",
    ]


def test_rejection_and_correction_need_a_reason():
    with pytest.raises(WorkflowError) as exc:
        DEFAULT_WORKFLOW.resolve("verifikasi", "reject", {"officer"}, "   ")
    assert exc.value.code == "reason_required"


def test_an_action_from_the_wrong_state_is_refused():
    with pytest.raises(WorkflowError) as exc:
        DEFAULT_WORKFLOW.resolve("diajukan", "approve", {"officer"})
    assert exc.value.code == "not_allowed"


def test_a_service_can_shorten_the_workflow():
    definition = copy.deepcopy(DEFAULT_DEFINITION)
    definition["transitions"].append(
        {"action": "fast_track", "from": "diajukan", "to": "disetujui", "actors": ["head"]}
    )
    wf = parse(definition)
    assert wf.resolve("diajukan", "fast_track", {"officer", "head"}).target == "disetujui"
    with pytest.raises(WorkflowError):
        wf.resolve("diajukan", "fast_track", {"officer"})


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["transitions"].append(
            {"action": "x", "from": "selesai", "to": "diajukan", "actors": ["officer"]}
        ),
        lambda d: d["transitions"].append(
            {"action": "y", "from": "diajukan", "to": "nowhere", "actors": ["officer"]}
        ),
        lambda d: d["transitions"].append(
            {"action": "verify", "from": "diajukan", "to": "ditolak", "actors": ["officer"]}
        ),
        lambda d: d["transitions"].append(
            {"action": "z", "from": "diajukan", "to": "ditolak", "actors": ["robot"]}
        ),
        lambda d: d["states"].append({"key": "orphan", "label": "Yatim"}),
        lambda d: d["states"][1].update({"sla": {"value": 0, "unit": "working_days"}}),
        lambda d: d["states"][1].update({"sla": {"value": 2, "unit": "weeks"}}),
        lambda d: d.update({"initial": "mulai"}),
    ],
)
def test_bad_definitions_are_refused(mutate):
    definition = copy.deepcopy(DEFAULT_DEFINITION)
    mutate(definition)
    with pytest.raises(WorkflowError):
        parse(definition)
