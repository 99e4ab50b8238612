"""Who may edit which innovation, for every role; the same 404 for missing and not yours."""

from __future__ import annotations

import pytest

from terpadu.core.errors import NotFound
from terpadu.gallery.access import access_innovation_by_id, access_innovation_by_slug
from terpadu.gallery.services import innovation_create
from terpadu.gallery.tests.conftest import H, client_for

pytestmark = pytest.mark.django_db

#: role → may edit an innovation of agency A (Dukcapil Banyuwangi)
EDITS_AGENCY_A = {
    "citizen": False,
    "front_desk": False,
    "agency_officer": True,
    "agency_head": True,
    "supervisor": True,
    "field_worker": False,
    "admin": True,
    "province_supervisor": True,
}


@pytest.fixture
def items(agencies):  # type: ignore[no-untyped-def]
    def make(agency, slug, public=False):  # type: ignore[no-untyped-def]
        return innovation_create(
            actor=None, agency=agency, name=slug, slug=slug, theme="other", is_public=public
        )

    return {
        "a": make(agencies["a"], "inovasi-a"),
        "b": make(agencies["b"], "inovasi-b"),
        "jember": make(agencies["jember"], "inovasi-jember"),
        "public_b": make(agencies["b"], "inovasi-b-publik", public=True),
    }


@pytest.mark.parametrize("role", sorted(EDITS_AGENCY_A))
def test_edit_access_for_every_role(people, items, role):
    user = people[role]
    may = EDITS_AGENCY_A[role]
    if may:
        assert access_innovation_by_id(user=user, innovation_id=items["a"].pk) == items["a"]
    else:
        with pytest.raises(NotFound):
            access_innovation_by_id(user=user, innovation_id=items["a"].pk)
    response = client_for(user).get(f"/kantor/inovasi/{items['a'].pk}/", **H)
    assert response.status_code == (200 if may else 404)
    # agency B's innovation: officers/heads of agency A get the same 404 as a missing id
    b_ok = role in {"supervisor", "admin", "province_supervisor"}
    assert client_for(user).get(f"/kantor/inovasi/{items['b'].pk}/", **H).status_code == (
        200 if b_ok else 404
    )
    assert client_for(user).get("/kantor/inovasi/999999/", **H).status_code == 404
    # another regency: only the province supervisor
    jember = client_for(user).get(f"/kantor/inovasi/{items['jember'].pk}/", **H)
    assert jember.status_code == (200 if role == "province_supervisor" else 404)


@pytest.mark.parametrize("role", sorted(EDITS_AGENCY_A))
def test_office_list_shows_only_what_the_user_may_edit(people, items, role):
    response = client_for(people[role]).get("/kantor/inovasi/", **H)
    if not EDITS_AGENCY_A[role]:
        assert response.status_code == 404
        return
    body = response.content.decode()
    assert "inovasi-a" in body
    assert ("inovasi-b<" in body) == (role not in {"agency_officer", "agency_head"})


def test_unpublished_innovation_is_hidden_from_the_public(people, items):
    assert client_for().get("/inovasi/inovasi-a/", **H).status_code == 404
    assert client_for().get("/inovasi/inovasi-b-publik/", **H).status_code == 200
    assert client_for(people["agency_officer"]).get("/inovasi/inovasi-a/", **H).status_code == 200
    assert client_for(people["citizen"]).get("/inovasi/inovasi-a/", **H).status_code == 404
    with pytest.raises(NotFound):
        access_innovation_by_slug(user=people["agency_officer"], slug="inovasi-b")
    assert client_for().get("/api/v1/gallery/innovations/inovasi-a", **H).status_code == 404
    assert client_for().get("/inovasi/", **H).content.decode().count("inovasi-a/") == 0


def test_anonymous_office_pages_redirect_to_login(items):
    response = client_for().get(f"/kantor/inovasi/{items['a'].pk}/", **H)
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("role", sorted(EDITS_AGENCY_A))
def test_home_cards(people, items, role):
    from terpadu.gallery.home import cards

    titles = [c.title for c in cards(people[role])]
    assert "Galeri inovasi" in titles
    assert ("Inovasi instansi Anda" in titles) == EDITS_AGENCY_A[role]
