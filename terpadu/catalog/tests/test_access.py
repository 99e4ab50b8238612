"""Who may edit which service: same NotFound for missing and not-yours."""

from __future__ import annotations

import pytest

from terpadu.catalog.access import access_service_by_id, can_publish, services_editable_by
from terpadu.catalog.testing import make_service
from terpadu.core.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(agencies):
    return {
        "a": make_service(agency=agencies["a"], code="akta-kelahiran", name="Akta Kelahiran"),
        "b": make_service(agency=agencies["b"], code="imunisasi", name="Imunisasi"),
        "jember": make_service(agency=agencies["jember"], code="ktp", name="KTP-el"),
    }


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("agency_officer", {"a"}),
        ("agency_head", {"a"}),
        ("supervisor", {"a", "b"}),
        ("admin", {"a", "b"}),
        ("province_supervisor", {"a", "b", "jember"}),
        ("citizen", set()),
        ("front_desk", set()),
        ("field_worker", set()),
    ],
)
def test_each_role_edits_only_its_services(people, services, role, visible):
    user = people[role]
    ids = set(services_editable_by(user).values_list("pk", flat=True))
    assert ids == {services[k].pk for k in visible}
    for key, service in services.items():
        if key in visible:
            assert access_service_by_id(user=user, service_id=service.pk) == service
        else:
            with pytest.raises(NotFound) as err:
                access_service_by_id(user=user, service_id=service.pk)
            missing = pytest.raises(NotFound)
            with missing as err_missing:
                access_service_by_id(user=user, service_id=999_999)
            assert err.value.as_dict() == err_missing.value.as_dict()


def test_only_own_head_publishes(people, services):
    assert can_publish(people["agency_head"], services["a"])
    assert not can_publish(people["agency_head"], services["b"])
    assert not can_publish(people["agency_officer"], services["a"])
    assert not can_publish(people["supervisor"], services["a"])
