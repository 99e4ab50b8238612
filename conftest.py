"""Fixtures shared by every test: a small Jawa Timur, two agencies, and one user per role."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


@pytest.fixture(autouse=True)
def _own_audit_anchor_file(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit_anchors.jsonl")


@pytest.fixture
def regions(db):  # type: ignore[no-untyped-def]
    from terpadu.core.testing import jatim_regions

    return jatim_regions()


@pytest.fixture
def agencies(regions):  # type: ignore[no-untyped-def]
    from terpadu.core.testing import AgencyFactory

    return {
        "a": AgencyFactory(
            region=regions["banyuwangi"],
            code="dukcapil",
            name="Dinas Kependudukan",
            short_name="Dukcapil",
        ),
        "b": AgencyFactory(
            region=regions["banyuwangi"], code="dinkes", name="Dinas Kesehatan", short_name="Dinkes"
        ),
        "jember": AgencyFactory(
            region=regions["jember"],
            code="dukcapil",
            name="Dukcapil Jember",
            short_name="Dukcapil JBR",
        ),
    }


@pytest.fixture
def people(regions, agencies):  # type: ignore[no-untyped-def]
    """One user per role in Banyuwangi (officers of agency A), plus a provincial supervisor."""
    from terpadu.accounts.models import Role
    from terpadu.core.testing import UserFactory

    bwi = regions["banyuwangi"]
    return {
        "citizen": UserFactory(username="warga", role=Role.CITIZEN, region=bwi),
        "front_desk": UserFactory(username="frontdesk", role=Role.FRONT_DESK, region=bwi),
        "agency_officer": UserFactory(
            username="petugas", role=Role.AGENCY_OFFICER, region=bwi, agency=agencies["a"]
        ),
        "agency_head": UserFactory(
            username="kepala", role=Role.AGENCY_HEAD, region=bwi, agency=agencies["a"]
        ),
        "supervisor": UserFactory(username="pengawas", role=Role.SUPERVISOR, region=bwi),
        "field_worker": UserFactory(username="lapangan", role=Role.FIELD_WORKER, region=bwi),
        "admin": UserFactory(username="admin", role=Role.ADMIN, region=bwi, is_staff=True),
        "province_supervisor": UserFactory(
            username="pengawas.jatim", role=Role.SUPERVISOR, region=regions["province"]
        ),
    }
