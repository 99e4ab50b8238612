"""Replication kit: export from Banyuwangi, import into Jember (validated, all or nothing)."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from django.core.management import call_command

from terpadu.catalog.models import Service
from terpadu.core.models import AuditEntry
from terpadu.gallery import measures
from terpadu.gallery.kit import VERSION, export_kit, import_kit
from terpadu.gallery.models import Innovation, KitImport
from terpadu.gallery.selectors import innovation_page
from terpadu.gallery.services import measure_add
from terpadu.outreach.models import Case, Programme

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


@pytest.fixture
def kit(innovation, garda, dispendik):  # type: ignore[no-untyped-def]
    from terpadu.catalog.testing import make_service

    Programme.objects.filter(pk=garda.pk).update(settings={"max_age": 21})
    service = make_service(agency=dispendik, code="mutasi-siswa", name="Surat Mutasi Siswa")
    measure_add(
        actor=None,
        innovation=innovation,
        kind="cetar",
        indicator_id="sla_compliance",
        service=service,
    )
    return export_kit(innovation_page(innovation))


@pytest.fixture
def jember_people(regions):  # type: ignore[no-untyped-def]
    """Three residents of school age in Jember, none enrolled; one adult."""
    from terpadu.core.testing import make_resident
    from terpadu.registry.models import Resident

    village = regions["jbr_village"]
    kids = [
        make_resident(village=village, nik=f"350901010{i}100001", name=f"Anak Jember {i}")
        for i in range(3)
    ]
    Resident.objects.filter(pk__in=[k.pk for k in kids]).update(birth_date=date(2012, 1, 1))
    make_resident(village=village, nik="3509010101900001", name="Orang Dewasa")
    return kids


def _counts() -> dict[str, int]:
    return {
        "innovations": Innovation.objects.count(),
        "programmes": Programme.objects.count(),
        "services": Service.objects.count(),
        "kits": KitImport.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_export_names_programme_services_indicators_and_roles(kit):
    assert kit["format"] == "terpadu.replication-kit" and kit["version"] == VERSION
    (programme,) = kit["programmes"]
    assert programme["code"] == "garda_ampuh" and programme["settings"] == {"max_age": 21}
    assert programme["rules"]["clocks_workdays"]["verify_days"] == 5
    assert "uptd" in programme["rules"]["levels"]
    assert [s["code"] for s in kit["services"]] == ["mutasi-siswa"]
    assert kit["services"][0]["row"]["name"] == "Surat Mutasi Siswa"
    assert [i["id"] for i in kit["indicators"]] == ["sla_compliance"]
    assert set(kit["agency_roles"]) == {"dispendik"}


def test_a_missing_agency_role_is_refused_and_nothing_is_imported(kit, regions):
    before = _counts()
    plan = import_kit(kit, region_code="35.09", on=TODAY)
    assert not plan.ok
    assert any("dispendik" in p.message and "--map" in p.message for p in plan.problems)
    assert _counts() == before


def test_round_trip_into_another_regency_runs_on_its_data(kit, regions, jember_people, innovation):
    from terpadu.core.testing import AgencyFactory
    from terpadu.outreach.services import cohort_sync

    disdik = AgencyFactory(region=regions["jember"], code="disdik", name="Dinas Pendidikan Jember")
    preview = import_kit(
        kit, region_code="35.09", agency_map={"dispendik": "disdik"}, dry_run=True, on=TODAY
    )
    assert preview.ok and preview.dry_run == {"garda_ampuh": 3}  # the cohort it would find
    assert {(a["what"], a["action"]) for a in preview.actions} == {
        ("programme", "create"),
        ("service", "create"),
        ("innovation", "create"),
    }
    assert not Programme.objects.filter(region=regions["jember"]).exists()

    plan = import_kit(kit, region_code="35.09", agency_map={"dispendik": "disdik"}, on=TODAY)
    assert plan.ok, plan.problems
    programme = Programme.objects.get(region=regions["jember"], code="garda_ampuh")
    assert programme.agency == disdik and programme.settings == {"max_age": 21}
    service = Service.objects.get(region=regions["jember"], code="mutasi-siswa")
    assert service.agency == disdik
    copy_ = Innovation.objects.get(region=regions["jember"])
    assert copy_.replicated_from == innovation and copy_.stage == "pilot"
    innovation.refresh_from_db()
    assert innovation.stage == "replicated"
    assert {m.kind for m in copy_.measures.all()} == {"outreach", "cetar"}
    assert copy_.measures.get(kind="cetar").service == service

    # the programme runs there on Jember's data, and the copy measures it live
    assert cohort_sync(programme=programme, on=TODAY) == {"found": 3, "opened": 3}
    assert Case.objects.filter(programme=programme).count() == 3
    outcome = next(
        o for o in measures.outcomes(innovation_page(copy_), TODAY) if o.kind == "outreach"
    )
    assert outcome.figures[0].value == 3
    assert KitImport.objects.get().innovation == copy_

    # importing the same kit again changes nothing
    before = _counts()
    again = import_kit(kit, region_code="35.09", agency_map={"dispendik": "disdik"}, on=TODAY)
    assert again.ok and again.unchanged and again.innovation_slug == copy_.slug
    assert _counts() == before


def test_newer_format_and_bad_parts_are_refused_naming_them(kit, regions):
    from terpadu.core.testing import AgencyFactory

    AgencyFactory(region=regions["jember"], code="dispendik")
    before = _counts()
    newer = {**kit, "version": VERSION + 1}
    plan = import_kit(newer, region_code="35.09", on=TODAY)
    assert not plan.ok and plan.problems[0].where == "version"
    assert f"versi {VERSION + 1}" in plan.problems[0].message

    broken = copy.deepcopy(kit)
    broken["programmes"][0]["code"] = "tidak_ada"
    broken["programmes"][0]["settings"] = {}
    broken["measures"][1]["indicator_id"] = "bukan_indikator"
    broken["innovation"]["theme"] = "astrologi"
    plan = import_kit(broken, region_code="35.09", on=TODAY)
    wheres = {p.where for p in plan.problems}
    assert {"programmes[0]", "measures[1]", "innovation.theme"} <= wheres
    assert import_kit(kit, region_code="99.99", on=TODAY).problems[0].where == "region"
    bad_setting = copy.deepcopy(kit)
    bad_setting["programmes"][0]["settings"] = {"warna": "merah"}
    assert "programmes[0].settings.warna" in {
        p.where for p in import_kit(bad_setting, region_code="35.09", on=TODAY).problems
    }
    assert _counts() == before


def test_cli_export_and_import_with_exit_codes(kit, innovation, regions, tmp_path, capsys):
    from terpadu.core.testing import AgencyFactory

    path = tmp_path / "kit.json"
    call_command("gallery", "export-kit", "garda-ampuh", str(path))
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["programmes"] == ["garda_ampuh"]
    assert json.loads(path.read_text())["format"] == "terpadu.replication-kit"

    with pytest.raises(SystemExit) as refused:
        call_command("gallery", "import-kit", str(path), "--region", "35.09")
    assert refused.value.code == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False and "dispendik" in result["problems"][0]["message"]

    AgencyFactory(region=regions["jember"], code="disdik")
    call_command(
        "gallery", "import-kit", str(path), "--region", "35.09", "--map", "dispendik=disdik"
    )
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["agency_map"] == {"dispendik": "disdik"}

    garbage = tmp_path / "rusak.json"
    garbage.write_text("{ bukan json")
    with pytest.raises(SystemExit) as usage:
        call_command("gallery", "import-kit", str(garbage), "--region", "35.09")
    assert usage.value.code == 2
    assert "bukan JSON" in capsys.readouterr().err


def test_original_page_shows_public_replications_side_by_side(kit, regions, innovation):
    from terpadu.core.testing import AgencyFactory
    from terpadu.gallery.services import innovation_update
    from terpadu.gallery.tests.conftest import H, client_for

    AgencyFactory(region=regions["jember"], code="dispendik", name="Dispendik Jember")
    assert import_kit(kit, region_code="35.09", on=TODAY).ok
    copy_ = Innovation.objects.get(region=regions["jember"])
    page = client_for().get("/inovasi/garda-ampuh/", **H).content.decode()
    assert "Daerah yang mereplikasi" not in page  # the copy is not published yet
    innovation_update(actor=None, innovation=copy_, is_public=True)
    page = client_for().get("/inovasi/garda-ampuh/", **H).content.decode()
    section = page.split('id="replikasi"')[1]
    assert "Kabupaten Jember" in section and "Kabupaten Banyuwangi" in section
    assert (
        "Replikasi dari Garda Ampuh"
        in client_for().get(f"/inovasi/{copy_.slug}/", **H).content.decode()
    )
