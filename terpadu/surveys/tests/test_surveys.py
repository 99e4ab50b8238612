"""Responding (link, kiosk, after a visit), the report page and XLSX, follow-up plans, and the API."""

from __future__ import annotations

import io
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from terpadu.core.models import AuditEntry
from terpadu.surveys import selectors, services
from terpadu.surveys.ikm import STANDARD_CODES, ikm_from_rows
from terpadu.surveys.models import ExtraAnswer, FollowUpPlan, SurveyResponse, Unsur
from terpadu.surveys.periods import Period, parse_period
from terpadu.surveys.tests.conftest import wib

pytestmark = pytest.mark.django_db
H = {"HTTP_HOST": "127.0.0.1"}
ALL_THREE = {code: "3" for code in STANDARD_CODES}


def answer(agency, values, *, when=None, **extra):  # type: ignore[no-untyped-def]
    return services.survey_response_submit(
        agency=agency, answers=dict(zip(STANDARD_CODES, values, strict=True)), now=when, **extra
    )


def test_form_by_link_saves_one_response(client, agencies):
    page = client.get("/survei/isi/dukcapil/", **H)
    assert page.status_code == 200
    body = page.content.decode()
    assert "kesesuaian persyaratan" in body and "Sangat sesuai" in body
    response = client.post(
        "/survei/isi/dukcapil/", {**ALL_THREE, "sex": "P", "age_band": "30-39"}, **H
    )
    assert response.status_code == 302 and response["Location"].endswith("/terima-kasih/")
    saved = SurveyResponse.objects.get()
    assert (saved.u1, saved.u9, saved.sex, saved.channel) == (3, 3, "P", "link")
    assert AuditEntry.objects.filter(action="survey.respond").count() == 1


def test_unanswered_and_out_of_scale_answers_save_nothing(client, agencies):
    missing = dict(ALL_THREE)
    del missing["U5"]
    response = client.post("/survei/isi/dukcapil/", missing, **H)
    assert response.status_code == 400 and "Pilih salah satu jawaban" in response.content.decode()
    response = client.post("/survei/isi/dukcapil/", {**ALL_THREE, "U3": "5"}, **H)
    assert response.status_code == 400
    api = client.post(
        "/api/v1/surveys/responses",
        {"agency_code": "dukcapil", "answers": {**{c: 3 for c in STANDARD_CODES}, "U3": 5}},
        content_type="application/json",
        **H,
    )
    assert api.status_code == 400
    assert api.json()["errors"][0]["field"] == "U3"
    api = client.post(
        "/api/v1/surveys/responses",
        {"agency_code": "dukcapil", "answers": {"U1": 0}},
        content_type="application/json",
        **H,
    )
    assert api.status_code == 400
    assert SurveyResponse.objects.count() == 0


def test_one_response_per_visit(client, agencies, catalog):
    link = services.survey_link(agency=agencies["a"], visit_ref="A-017", service=catalog["ktp"])
    assert client.post(link, ALL_THREE, **H).status_code == 302
    again = client.post(link, {**ALL_THREE, "U1": "1"}, **H)
    assert again.status_code == 409 and "sudah diisi" in again.content.decode()
    saved = SurveyResponse.objects.get()
    assert (saved.visit_ref, saved.channel, saved.service, saved.u1) == (
        "A-017",
        "visit",
        catalog["ktp"],
        3,
    )
    forged = link.replace("A-017", "A-018")
    assert client.post(forged, ALL_THREE, **H).status_code == 400
    assert SurveyResponse.objects.count() == 1
    # the database constraint holds even if the service check is bypassed
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            region=saved.region,
            agency=saved.agency,
            visit_ref="A-017",
            submitted_at=saved.submitted_at,
            local_date=saved.local_date,
            u1=4,
        )


def test_kiosk_returns_to_a_fresh_form(client, agencies, catalog):
    response = client.post("/survei/isi/dukcapil/?kios=1", ALL_THREE, **H)
    assert response["Location"] == "/survei/isi/dukcapil/terima-kasih/?kios=1"
    thanks = client.get(response["Location"], **H).content.decode()
    assert 'http-equiv="refresh"' in thanks and "Responden berikutnya" in thanks
    saved = SurveyResponse.objects.get()
    assert saved.channel == "kiosk" and saved.hall == catalog["hall"]


def test_unit_labels_and_added_unsur(client, regions, agencies):
    Unsur.objects.create(
        region=regions["banyuwangi"],
        agency=agencies["a"],
        code="U4",
        name="Biaya",
        question="Berapa biaya yang Anda bayar?",
        label_1="Ada pungutan",
        label_2="Mahal",
        label_3="Murah",
        label_4="Gratis sesuai aturan",
    )
    Unsur.objects.create(
        region=regions["banyuwangi"],
        agency=agencies["a"],
        code="X1",
        name="Kebersihan toilet",
        question="Bagaimana kebersihan toilet?",
        label_1="Kotor",
        label_2="Kurang",
        label_3="Bersih",
        label_4="Sangat bersih",
        order=1,
    )
    body = client.get("/survei/isi/dukcapil/", **H).content.decode()
    assert "Gratis sesuai aturan" in body and "kebersihan toilet" in body
    assert "Gratis sesuai aturan" not in client.get("/survei/isi/dinkes/", **H).content.decode()
    response = client.post("/survei/isi/dukcapil/", {**ALL_THREE, "X1": "1"}, **H)
    assert response.status_code == 302
    assert ExtraAnswer.objects.get().value == 1
    year = SurveyResponse.objects.get().local_date.year
    report = selectors.build_report(
        region=regions["banyuwangi"], period=Period("year", year), agency=agencies["a"]
    )
    # ten unsur, equal weights: (9 × 3 + 1) / 10 × 25 = 70.00
    assert report.result.weight == Fraction(1, 10)
    assert report.result.ikm == Decimal("70.00")
    assert report.result.lowest() == ["X1"]


def test_report_page_all_threes_is_c_and_warns_about_the_sample(client, regions, agencies):
    for i in range(10):
        answer(agencies["a"], [3] * 9, when=wib(2026, 2, 1 + i))
    page = client.get(
        "/survei/hasil/", {"instansi": "dukcapil", "periode": "2026-Q1", "pengguna": "1000"}, **H
    )
    body = page.content.decode()
    assert "75,00" in body and "Kurang baik" in body  # Indonesian decimal comma
    assert "Mutu B dimulai dari 76,61" in body
    assert "Responden baru 10 dari minimal 278" in body
    page = client.get(
        "/survei/hasil/", {"instansi": "dukcapil", "periode": "2026-Q1", "pengguna": "10"}, **H
    )
    assert "terpenuhi" in page.content.decode()


def test_grouped_per_service_and_quarter_matches_the_pure_computation(regions, agencies, catalog):
    rng = random.Random(7)
    rows = []
    for i in range(240):
        service = catalog["ktp"] if i % 3 else catalog["kk"]
        month = 1 + i % 12
        values = [
            rng.choice([1, 2, 3, 4, None]) if rng.random() < 0.2 else rng.choice([2, 3, 4])
            for _ in range(9)
        ]
        if not any(values):
            values[0] = 3
        answer(agencies["a"], values, when=wib(2026, month, 10), service=service)
        rows.append(
            (service.pk, (month - 1) // 3 + 1, dict(zip(STANDARD_CODES, values, strict=True)))
        )
    grouped = selectors.ikm_grouped(
        region=regions["banyuwangi"], period=Period("year", 2026), kind="quarter", by="service"
    )
    assert len(grouped) == 8
    for (service_id, key), result in grouped.items():
        quarter = int(key[-1])
        expected = ikm_from_rows([r for s, q, r in rows if s == service_id and q == quarter])
        assert result.ikm == expected.ikm and result.n == expected.n and result.nrr == expected.nrr
    semester = selectors.ikm_grouped(
        region=regions["banyuwangi"], period=parse_period("2026"), kind="semester", by="agency"
    )
    assert {key for _g, key in semester} == {"2026-S1", "2026-S2"}


def test_xlsx_report(client, regions, agencies, catalog):
    for i in range(4):
        answer(
            agencies["a"],
            [4, 4, 4, 4, 4, 4, 4, 4, 2],
            when=wib(2026, 4, 1 + i),
            service=catalog["ktp"],
        )
    response = client.get("/survei/hasil.xlsx", {"instansi": "dukcapil", "periode": "2026"}, **H)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["IKM"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    # (8 × 4 + 2) / 9 × 25 = 94.444… -> 94.44
    assert values["IKM"] == pytest.approx(94.44)
    assert values["Mutu pelayanan"] == "A"
    assert values["Unsur terendah"] == "U9"
    assert "Profil responden" in book.sheetnames and "Rincian" in book.sheetnames


def test_follow_up_plan_recorded_and_published(client, regions, agencies, people):
    for i in range(3):
        answer(agencies["a"], [3, 3, 1, 3, 3, 3, 3, 3, 3], when=wib(2026, 7, 1 + i))
    client.force_login(people["agency_head"])
    page = client.get(
        "/survei/hasil/", {"instansi": "dukcapil", "periode": "2026-Q3"}, **H
    ).content.decode()
    assert "Catat rencana untuk unsur terendah" in page
    response = client.post(
        "/kantor/survei/dukcapil/rencana/",
        {
            "period": "2026-Q3",
            "unsur_code": "U3",
            "finding": "Waktu penyelesaian lama.",
            "action": "Tambah satu loket cetak KTP-el setiap Senin.",
            "responsible": "Kabid Pelayanan",
            "target_date": "2026-10-31",
        },
        **H,
    )
    assert response.status_code == 302
    plan = FollowUpPlan.objects.get()
    client.logout()
    assert (
        "Tambah satu loket"
        not in client.get(
            "/survei/hasil/", {"instansi": "dukcapil", "periode": "2026-Q3"}, **H
        ).content.decode()
    )
    client.force_login(people["agency_head"])
    assert (
        client.post(
            f"/kantor/survei/rencana/{plan.pk}/umumkan/", {"status": "in_progress"}, **H
        ).status_code
        == 302
    )
    client.logout()
    public = client.get(
        "/survei/hasil/", {"instansi": "dukcapil", "periode": "2026"}, **H
    ).content.decode()
    assert "Tambah satu loket" in public and "Sedang dikerjakan" in public
    # another unit's staff cannot write this unit's plans
    from terpadu.core.testing import UserFactory

    other = UserFactory(role="agency_head", region=regions["banyuwangi"], agency=agencies["b"])
    client.force_login(other)
    assert client.post(f"/kantor/survei/rencana/{plan.pk}/umumkan/", **H).status_code == 404
    assert (
        client.post("/kantor/survei/dukcapil/rencana/", {"period": "2026"}, **H).status_code == 404
    )
    assert list(
        AuditEntry.objects.filter(record_type="surveys.followupplan").values_list(
            "action", flat=True
        )
    ) == [
        "survey.plan_create",
        "survey.plan_publish",
    ]


def test_api_ikm_and_questionnaire(client, regions, agencies, catalog):
    for i in range(5):
        answer(agencies["a"], [3] * 9, when=wib(2026, 5, 4 + i), service=catalog["kk"])
    data = client.get(
        "/api/v1/surveys/ikm", {"period": "2026-S1", "service_code": "kk", "population": "40"}, **H
    ).json()
    assert data["ikm"] == 75.0 and data["mutu"] == "C" and data["n"] == 5
    assert data["minimum_sample"] == 36 and data["enough_sample"] is False
    items = client.get("/api/v1/surveys/questionnaire/dukcapil", **H).json()
    assert [i["code"] for i in items] == list(STANDARD_CODES)
    grouped = client.get(
        "/api/v1/surveys/ikm/grouped", {"period": "2026", "by": "service"}, **H
    ).json()
    assert grouped == [
        {"group_id": catalog["kk"].pk, "period": "2026-Q2", "n": 5, "ikm": 75.0, "mutu": "C"}
    ]
    assert client.get("/api/v1/surveys/ikm", {"period": "2026-Q5"}, **H).status_code == 400


def test_periods():
    assert parse_period("2026-q3") == Period("quarter", 2026, 3)
    assert Period("quarter", 2026, 3).start.isoformat() == "2026-07-01"
    assert Period("quarter", 2026, 1).end.isoformat() == "2026-03-31"
    assert Period("semester", 2026, 2).label == "Semester II 2026"
    assert parse_period("2026-S3") is None and parse_period("abc") is None
    assert [p.key for p in Period("year", 2026).parts("quarter")] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
