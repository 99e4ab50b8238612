"""Gancang Aron: eligibility, dispatch to the courier simulator with an idempotency key,
retries with back-off, signed webhooks, proof of delivery, failed deliveries."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from terpadu.core.errors import DomainError
from terpadu.outreach import courier
from terpadu.outreach.courier_sim import CourierSimulator, proof_photo_b64
from terpadu.outreach.models import CourierEvent, CourierPartner, Dispatch
from terpadu.outreach.programmes import medicine

pytestmark = pytest.mark.django_db


@pytest.fixture
def sim():  # type: ignore[no-untyped-def]
    with CourierSimulator(api_key="k-123", secret="rahasia-webhook") as simulator:
        yield simulator


@pytest.fixture
def partner(area, sim):  # type: ignore[no-untyped-def]
    return CourierPartner.objects.create(
        region=area["regency"],
        code="sim",
        name="Ojek daring (simulator)",
        base_url=sim.url,
        api_key="k-123",
        webhook_secret="rahasia-webhook",
        timeout_seconds=1,
        max_attempts=3,
    )


def _mark(area, programmes, pharmacist, rx="RX-0001", **kw):  # type: ignore[no-untyped-def]
    return medicine.prescription_mark(
        programme=programmes["medicine"],
        agency=programmes["rsud"],
        actor=pharmacist,
        rx_number=rx,
        village=area["sobo"],
        patient_name=kw.pop("patient_name", "Pak Slamet"),
        address="Jl. Kepiting 3",
        phone="081234567890",
        distance_km=kw.pop("distance_km", "7.4"),
        **kw,
    )


def _hook(sim, dispatch, status, **extra):  # type: ignore[no-untyped-def]
    job = sim.job_for(dispatch.idempotency_key)
    body = sim.webhook_body(job, status, **extra)
    return body, courier.signed_headers("rahasia-webhook", body)


def test_tariff_free_for_pbi_and_distance_fare_for_others(area, programmes, pharmacist):  # type: ignore[no-untyped-def]
    paying, code = _mark(area, programmes, pharmacist)
    assert paying.eligibility == "paying"
    assert paying.tariff == 8_000 + 8_500  # 3.4 km beyond 4 km at Rp 2,500, to Rp 500
    assert len(code) == 6 and code not in paying.otp_hash
    assert paying.case.status == "found" and paying.case.tasks.get().kind == "delivery"
    assert paying.case.due_date == paying.case.found_on  # prepared the same day
    pbi, _ = _mark(area, programmes, pharmacist, rx="RX-0002", pbi=True)
    assert (pbi.eligibility, pbi.tariff) == ("pbi", 0)
    with pytest.raises(DomainError) as exc:
        _mark(area, programmes, pharmacist, rx="RX-0001")
    assert exc.value.code == "duplicate"


def test_dispatch_creates_one_courier_job_and_webhooks_deliver(
    area, programmes, pharmacist, partner, sim
):  # type: ignore[no-untyped-def]
    rx, code = _mark(area, programmes, pharmacist)
    dispatch = medicine.dispatch_create(prescription=rx, actor=pharmacist)
    assert dispatch.status == "pending"
    rx.case.refresh_from_db()
    assert rx.case.status == "in_progress"
    with pytest.raises(DomainError):
        medicine.dispatch_create(prescription=rx, actor=pharmacist)
    assert medicine.dispatch_send(dispatch_id=dispatch.pk) == "accepted"
    assert medicine.dispatch_send(dispatch_id=dispatch.pk) == "skipped"
    assert sim.created == 1
    job = sim.job_for(dispatch.idempotency_key)
    assert job.body["fare"] == rx.tariff and job.body["dropoff"]["name"] == "Pak Slamet"
    assert code not in json.dumps(job.body)  # the courier never learns the code
    body, headers = _hook(sim, dispatch, "picked_up")
    medicine.callback_apply(body=body, headers=headers)
    dispatch.refresh_from_db()
    assert dispatch.status == "picked_up"
    # a wrong code is no proof: nothing changes
    body, headers = _hook(sim, dispatch, "delivered", recipient_name="Slamet", otp="000000")
    medicine.callback_apply(body=body, headers=headers)
    dispatch.refresh_from_db()
    assert dispatch.status == "picked_up"
    body, headers = _hook(sim, dispatch, "delivered", recipient_name="Slamet", otp=code)
    event = medicine.callback_apply(body=body, headers=headers)
    assert event.applied
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.proof_kind, dispatch.recipient_name) == (
        "delivered",
        "otp",
        "Slamet",
    )
    rx.case.refresh_from_db()
    assert (rx.case.status, rx.case.outcome) == ("resolved", "delivered")
    # the same event again changes nothing
    assert medicine.callback_apply(body=body, headers=headers).pk == event.pk
    assert medicine.monthly_counts(programmes["medicine"])[0]["total"] == 1


def test_bad_signature_is_refused_and_changes_nothing(area, programmes, pharmacist, partner, sim):  # type: ignore[no-untyped-def]
    rx, _ = _mark(area, programmes, pharmacist)
    dispatch = medicine.dispatch_create(prescription=rx, actor=pharmacist)
    medicine.dispatch_send(dispatch_id=dispatch.pk)
    body, headers = _hook(sim, dispatch, "failed", reason="alamat tidak ditemukan")
    forged = courier.signed_headers("bukan-rahasianya", body)
    with pytest.raises(medicine.CallbackRefused) as exc:
        medicine.callback_apply(body=body, headers=forged)
    assert exc.value.status == 401
    tampered = body.replace(b"failed", b"delivered")
    with pytest.raises(medicine.CallbackRefused):
        medicine.callback_apply(body=tampered, headers=headers)
    stale = courier.signed_headers("rahasia-webhook", body, now=1_000_000)
    with pytest.raises(medicine.CallbackRefused):
        medicine.callback_apply(body=body, headers=stale)
    dispatch.refresh_from_db()
    assert dispatch.status == "accepted" and not CourierEvent.objects.exists()


def test_failed_delivery_returns_to_the_pharmacy_list(area, programmes, pharmacist, partner, sim):  # type: ignore[no-untyped-def]
    rx, _ = _mark(area, programmes, pharmacist)
    dispatch = medicine.dispatch_create(prescription=rx, actor=pharmacist)
    assert list(medicine.pharmacy_queue(programmes["rsud"])) == []
    medicine.dispatch_send(dispatch_id=dispatch.pk)
    body, headers = _hook(sim, dispatch, "failed", reason="rumah kosong")
    medicine.callback_apply(body=body, headers=headers)
    rx.case.refresh_from_db()
    assert rx.case.status == "verified"
    assert list(medicine.pharmacy_queue(programmes["rsud"])) == [rx]
    second = medicine.dispatch_create(prescription=rx, actor=pharmacist)
    assert second.number == 2 and second.idempotency_key != dispatch.idempotency_key
    medicine.dispatch_send(dispatch_id=second.pk)
    assert sim.created == 2


def test_photo_proof(area, programmes, pharmacist, partner, sim, _settings):  # type: ignore[no-untyped-def]
    rx, _ = _mark(area, programmes, pharmacist)
    dispatch = medicine.dispatch_create(prescription=rx, actor=pharmacist)
    medicine.dispatch_send(dispatch_id=dispatch.pk)
    body, headers = _hook(
        sim, dispatch, "delivered", recipient_name="Istri pasien", photo_b64=proof_photo_b64()
    )
    medicine.callback_apply(body=body, headers=headers)
    dispatch.refresh_from_db()
    assert dispatch.proof_kind == "photo" and (_settings / dispatch.proof_photo.name).exists()
    assert "photo_b64" not in CourierEvent.objects.get().payload


def test_lost_answer_is_resent_with_the_same_key(area, programmes, pharmacist, partner, sim):  # type: ignore[no-untyped-def]
    rx, _ = _mark(area, programmes, pharmacist)
    dispatch = medicine.dispatch_create(prescription=rx, actor=pharmacist)
    sim.delay = 1.5  # the courier creates the job but answers after our 1 s timeout
    assert medicine.dispatch_send(dispatch_id=dispatch.pk) == "pending"
    dispatch.refresh_from_db()
    assert dispatch.send_attempts == 1 and "timeout" in dispatch.last_error
    assert dispatch.next_attempt_at > timezone.now() + timedelta(seconds=10)  # back-off
    sim.delay = 0
    later = timezone.now() + timedelta(seconds=20)
    assert medicine.dispatch_sweep(now=later) == {"accepted": 1}
    assert sim.created == 1 and sim.requests == 2


def test_courier_that_does_not_answer_is_retried_with_backoff_then_flagged(
    area, programmes, pharmacist, partner, sim
):  # type: ignore[no-untyped-def]
    rx, _ = _mark(area, programmes, pharmacist)
    dispatch = medicine.dispatch_create(prescription=rx, actor=pharmacist)
    sim.down = True
    now = timezone.now()
    waits = []
    for _ in range(3):
        medicine.dispatch_sweep(now=now)
        dispatch.refresh_from_db()
        waits.append((dispatch.next_attempt_at - now).total_seconds())
        assert medicine.dispatch_sweep(now=now) == {}  # not due again yet
        now = dispatch.next_attempt_at
    assert dispatch.status == "flagged" and dispatch.send_attempts == 3
    assert waits[1] > waits[0] > 0
    assert rx.case.events.filter(to_value="flagged").exists()
    assert list(medicine.pharmacy_queue(programmes["rsud"])) == [rx]
    sim.down = False
    medicine.dispatch_retry_flagged(dispatch=dispatch, actor=pharmacist)
    assert medicine.dispatch_sweep() == {"accepted": 1}
    assert sim.created == 1


def test_a_stale_lease_is_retaken(area, programmes, pharmacist, partner, sim):  # type: ignore[no-untyped-def]
    rx, _ = _mark(area, programmes, pharmacist)
    dispatch = medicine.dispatch_create(prescription=rx, actor=pharmacist)
    now = timezone.now()
    # a worker claimed it and died before sending
    claimed = medicine._claim(dispatch.pk, now)
    assert claimed is not None and claimed.status == "sending"
    assert medicine.dispatch_sweep(now=now) == {}
    assert medicine.dispatch_sweep(now=now + timedelta(seconds=60)) == {"accepted": 1}
    assert Dispatch.objects.get().send_attempts == 2 and sim.created == 1


def test_signature_helpers() -> None:
    body = b'{"a":1}'
    headers = courier.signed_headers("s", body, now=2_000_000_000)
    assert courier.verify_signature("s", headers, body, now=2_000_000_100)
    assert not courier.verify_signature("s", headers, body, now=2_000_000_400)
    assert not courier.verify_signature("", headers, body, now=2_000_000_000)
    assert not courier.verify_signature("s", {}, body)
    assert courier.backoff_seconds(1) == 15 and courier.backoff_seconds(20) == 1800


def test_delivery_is_resolved_only_by_the_courier(area, programmes, pharmacist, partner, sim):  # type: ignore[no-untyped-def]
    from terpadu.outreach import services

    rx, _ = _mark(area, programmes, pharmacist)
    medicine.dispatch_create(prescription=rx, actor=pharmacist)
    with pytest.raises(DomainError) as exc:
        services.case_transition(
            case=rx.case, actor=pharmacist, target="resolved", outcome="delivered"
        )
    assert exc.value.code == "bad_transition"
    case = services.case_transition(
        case=rx.case, actor=pharmacist, target="not_eligible", note="Diambil sendiri"
    )
    assert case.status == "not_eligible"
