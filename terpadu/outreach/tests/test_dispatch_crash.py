"""Killing the worker (SIGKILL) while deliveries are dispatched never creates a courier job
twice: the resend after the restart carries the same idempotency key."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from terpadu.outreach.courier_sim import CourierSimulator
from terpadu.outreach.models import CourierPartner, Dispatch
from terpadu.outreach.programmes import medicine

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TERPADU = Path(sys.executable).with_name("terpadu")


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "terpadu.settings_test",
        "DATABASE_URL": _database_url(),
    }
    return subprocess.Popen(
        [str(TERPADU), "worker"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_sigkill_mid_dispatch_never_creates_a_job_twice(area, programmes, tmp_path):  # type: ignore[no-untyped-def]
    from terpadu.accounts.models import Role
    from terpadu.core.testing import UserFactory

    pharmacist = UserFactory(
        username="apoteker",
        role=Role.AGENCY_OFFICER,
        region=area["regency"],
        agency=programmes["rsud"],
    )
    with CourierSimulator(api_key="k", secret="s", delay=0.6) as sim:
        CourierPartner.objects.create(
            region=area["regency"],
            code="sim",
            name="Simulator",
            base_url=sim.url,
            api_key="k",
            webhook_secret="s",
            timeout_seconds=2,
        )
        count = 6
        for i in range(count):
            rx, _ = medicine.prescription_mark(
                programme=programmes["medicine"],
                agency=programmes["rsud"],
                actor=pharmacist,
                rx_number=f"RX-{i:03d}",
                village=area["sobo"],
                patient_name=f"Pasien {i}",
                address="Jl. Melati",
                phone="081200000000",
                distance_km="3",
                pbi=True,
            )
            medicine.dispatch_create(prescription=rx, actor=pharmacist)
        log = tmp_path / "worker.log"
        worker = _worker(log)
        try:
            # kill it while a job exists at the courier but its answer has not arrived
            _wait(lambda: sim.created >= 2 and sim.in_flight == 1, 60, "a dispatch in flight")
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
        orphan = Dispatch.objects.get(status="sending")
        created_before_restart = sim.created
        assert sim.job_for(orphan.idempotency_key) is not None  # the courier has the job
        time.sleep(max(0.0, (orphan.lease_until.timestamp() - time.time()) + 0.2))
        worker = _worker(log)
        try:
            _wait(
                lambda: Dispatch.objects.filter(status="accepted").count() == count,
                90,
                "every dispatch accepted after the restart",
            )
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    assert sim.created == count, log.read_text()[-2000:]
    assert created_before_restart < count or sim.created == count
    keys = set(Dispatch.objects.values_list("idempotency_key", flat=True))
    assert set(sim.jobs) == keys
    orphan.refresh_from_db()
    assert orphan.send_attempts == 2
    assert orphan.courier_job_id == sim.jobs[orphan.idempotency_key].job_id
    assert sim.requests == count + 1  # one repeated request, honoured by the key
