"""Demo gallery: Banyuwangi's real innovations (domain reference §7), linked to the demo's
measured data, with the historic figures the press reported entered by hand, each with its
source. Idempotent (an existing entry is left as it is), deterministic, well under a second.

The measured figures are read live: outreach programmes by code (once the outreach demo has
cases, Garda Ampuh, the maternal-risk reporters and Gancang Aron show them), SKM answers for
the IKM, and the CETAR fact tables for the MPP's indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from terpadu.core.models import Agency, Region
from terpadu.core.workdays import local_today
from terpadu.gallery.models import Innovation
from terpadu.gallery.services import innovation_attach, innovation_create


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    unit: str
    period: str
    source: str
    url: str = ""


@dataclass(frozen=True)
class AwardSpec:
    year: int | None
    name: str
    giver: str
    level: str
    url: str = ""


@dataclass(frozen=True)
class MeasureSpec:
    kind: str
    title: str = ""
    programme: str = ""
    indicator: str = ""
    agency: str = ""
    #: pivot for before/after, in days before today (the demo's data covers one year)
    pivot_days_ago: int | None = None


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    agencies: tuple[str, ...]  # the first that exists in the demo regency
    theme: str
    stage: str
    start: date | None
    tagline: str
    problem: str
    how: str
    contact_role: str = ""
    measures: tuple[MeasureSpec, ...] = ()
    figures: tuple[Figure, ...] = ()
    awards: tuple[AwardSpec, ...] = field(default_factory=tuple)


KOMPAS_2016 = "http://regional.kompas.com/read/2016/05/02/13471001/Ada.Tim.Pemburu.Anak.Putus.Sekolah.Anak.Muda.Minimal.Harus.Lulus.SMA"
OKEZONE_2017 = "http://news.okezone.com/read/2017/01/05/65/1584142/5-ribu-anak-putus-sekolah-berhasil-kembali-ke-sekolah"
BPK_2018 = "https://jatim.bpk.go.id/?p=20564"
PRESNA = "https://www.presnapress.com/regional/2016/12/23/di-banyuwangi-perempuan-tukang-sayur-jadi-pemburu-ibu-hamil"
SJP_2020 = "https://www.suarajatimpost.com/news/tahun-2020-angka-kematian-ibu-dan-bayi-di-kabupaten-banyuwangi-menurun"
SUARA_2018 = "https://www.suara.com/news/2018/11/08/172242/geger-laskar-pemburu-perempuan-hamil-di-banyuwangi/komentar"
PEMKAB_2019 = "https://banyuwangikab.go.id/berita/kolaborasi-banyuwangi-dan-go-jek-antarkan-obat-ke-ribuan-pasien-miskin"
LIPUTAN6_2017 = "https://liputan6.com/regional/read/3198698/gratis-go-jek-siap-antar-obat-pasien-miskin-di-banyuwangi"
MERDEKA_2017 = "https://banyuwangi.merdeka.com/info-banyuwangi/butet-kertarajasa-puji-mall-pelayanan-publik-banyuwangi-171009e.html"
DETIK_2017 = "https://news.detik.com/berita-jawa-timur/d-3711311/mal-pelayanan-publik-banyuwangi-diusulkan-jadi-pilot-project"
LIPUTAN6_2019 = "https://liputan6.com/amp/3950346/mendagri-dan-gubernur-jawa-timur-kunjungi-mal-pelayanan-publik-banyuwangi"
MEDIAKAMPUNG_2026 = "https://mediakampung.com/regional/banyuwangi/meka-2026012933202/pelayanan-publik-banyuwangi-jadi-rujukan-pemkab-pohuwato-studi-tiru-mpp"
GESURI_2018 = "https://www.gesuri.id/pemerintahan/mal-pelayanan-publik-banyuwangi-terbitkan-218-345-dokumen-b1WbhZhLX"
ANTARA_SK = "https://jatim.antaranews.com/amp/berita/246875/@ANTARAJatim_"
RADAR_2023 = "https://radarbanyuwangi.jawapos.com/berita-daerah/blambangan-raya/24/02/2023/tangani-tengkes-gunakan-jasa-mlijoan/"
BB_PMT = "https://beritabanyuwangi.com/pemkab-libatkan-pedagang-mlijo-dalam-menyalurkan-makanan-tambahan-bagi-balita-stunting-dan-bumil-risti/"

ENTRIES: tuple[Entry, ...] = (
    Entry(
        slug="garda-ampuh",
        name="Garda Ampuh",
        agencies=("dispendik",),
        theme="education",
        stage="running",
        start=date(2016, 5, 2),
        tagline="Gerakan Daerah Angkat Anak Muda Putus Sekolah: setiap anak muda paling tidak lulus SMA/SMK.",
        problem=(
            "Anak muda dari keluarga miskin, yatim, atau dengan disabilitas putus sekolah dan "
            "tidak tercatat oleh siapa pun sampai terlambat."
        ),
        how=(
            "Tim pemburu berbasis dusun (guru, camat, kepala desa, ketua RT/RW) mendata anak "
            "yang tidak sekolah \u201cby name by address\u201d. RT mengirim daftar ke desa, desa ke "
            "kecamatan, kecamatan ke UPTD Dinas Pendidikan, yang menempatkan anak di sekolah "
            "terdekat atau Paket A/B/C di PKBM.\n"
            "Dukungan: uang saku dan transport, sepatu dan tas, KIP, Siswa Asuh Sebaya, dan "
            "Tabungan Garda Ampuh. Di Terpadu, kasus ditemukan dari data terpadu dan laporan warga."
        ),
        contact_role="Dinas Pendidikan (UPTD)",
        measures=(MeasureSpec("outreach", programme="garda_ampuh"),),
        figures=(
            Figure(
                "Anak putus sekolah terjaring",
                "1052",
                "anak",
                "2014",
                "Kompas, 2 Mei 2016",
                KOMPAS_2016,
            ),
            Figure(
                "Anak kembali bersekolah", "1037", "anak", "2015", "Kompas, 2 Mei 2016", KOMPAS_2016
            ),
            Figure(
                "Anak putus sekolah ditangani",
                "5093",
                "anak",
                "s.d. 31 Des 2016",
                "Okezone, 5 Jan 2017",
                OKEZONE_2017,
            ),
            Figure(
                "Terjaring sejak 2016",
                "5128",
                "anak",
                "laporan 2018",
                "BPK Perwakilan Jawa Timur",
                BPK_2018,
            ),
            Figure(
                "Sudah lulus", "2328", "anak", "laporan 2018", "BPK Perwakilan Jawa Timur", BPK_2018
            ),
            Figure("Anggaran", "3330000000", "Rp", "2016", "Kompas, 2 Mei 2016", KOMPAS_2016),
            Figure("Anggaran", "4000000000", "Rp", "2018", "BPK Perwakilan Jawa Timur", BPK_2018),
        ),
    ),
    Entry(
        slug="laskar-sakina",
        name="Pemburu Bumil Risti / Laskar SAKINA",
        agencies=("dinkes",),
        theme="health",
        stage="running",
        start=date(2016, 1, 1),
        tagline="Pedagang sayur keliling (mlijo) menemukan ibu hamil berisiko tinggi di rutenya.",
        problem="Ibu hamil berisiko tinggi baru diketahui saat persalinan, terlambat dirujuk.",
        how=(
            "Laskar SAKINA (Stop Angka Kematian Ibu dan Anak) dari Puskesmas Sempu: kader, guru, "
            "tokoh agama, PKK dan polisi mendampingi ibu hamil risiko tinggi. Mlijo membawa "
            "spanduk 13 kriteria bumil risti, memotret dan melaporkan ibu hamil baru ke puskesmas "
            "dan bidan, yang memeriksa dini sampai persalinan (skor KSPR di Terpadu)."
        ),
        contact_role="Puskesmas Sempu",
        measures=(MeasureSpec("outreach", programme="maternal"),),
        figures=(
            Figure(
                "Mlijo pelapor pertama",
                "10",
                "orang",
                "awal 2016 (3 desa)",
                "Presnapress, 23 Des 2016",
                PRESNA,
            ),
            Figure(
                "Bumil risti ditemukan dan melahirkan selamat",
                "7",
                "orang",
                "s.d. Des 2016",
                "Presnapress, 23 Des 2016",
                PRESNA,
            ),
            Figure("Kematian ibu (kabupaten)", "31", "orang", "2019", "Suara Jatim Post", SJP_2020),
            Figure("Kematian ibu (kabupaten)", "13", "orang", "2020", "Suara Jatim Post", SJP_2020),
        ),
        awards=(
            AwardSpec(
                2018,
                "The Most Interested Innovation",
                "OGP Asia-Pacific Leaders Forum, Seoul",
                "international",
                SUARA_2018,
            ),
        ),
    ),
    Entry(
        slug="gancang-aron",
        name="Gancang Aron",
        agencies=("rsud-blambangan", "dinkes"),
        theme="health",
        stage="running",
        start=date(2017, 12, 15),
        tagline="Obat pasien rawat jalan diantar ke rumah oleh pengemudi ojek daring terlatih.",
        problem="Pasien rawat jalan, banyak yang miskin, menunggu lama di apotek rumah sakit.",
        how=(
            "Gugus Antisipasi Cegah Antrian Panjang dengan Antar Obat ke Rumah Pasien. Setelah "
            "diperiksa dokter, pasien rawat jalan ke pos ojek daring di RSUD lalu pulang; apotek "
            "menyiapkan obat dan pengemudi terlatih mengantarnya. Gratis bagi pasien miskin; "
            "pasien lain membayar tarif jarak. Di Terpadu: resep, pengiriman ke kurir, bukti terima."
        ),
        contact_role="RSUD Blambangan",
        measures=(MeasureSpec("outreach", programme="medicine"),),
        figures=(
            Figure(
                "Pengantaran obat",
                "4444",
                "kali",
                "s.d. Feb 2019",
                "Pemkab Banyuwangi",
                PEMKAB_2019,
            ),
            Figure(
                "Pengantaran untuk pasien PBI",
                "2897",
                "kali",
                "s.d. Feb 2019",
                "Pemkab Banyuwangi",
                PEMKAB_2019,
            ),
            Figure(
                "Pengemudi dilatih apoteker", "15", "orang", "2017", "Liputan6, 2017", LIPUTAN6_2017
            ),
            Figure(
                "Biaya transport ditanggung mitra",
                "150000000",
                "Rp",
                "2017",
                "Liputan6, 2017",
                LIPUTAN6_2017,
            ),
        ),
        awards=(AwardSpec(None, "Top 99 Inovasi Pelayanan Publik", "KemenPANRB", "national"),),
    ),
    Entry(
        slug="mpp-banyuwangi",
        name="Mal Pelayanan Publik Banyuwangi",
        agencies=("dpmptsp", "dukcapil"),
        theme="public_service",
        stage="replicated",
        start=date(2017, 10, 6),
        tagline="Ratusan layanan dari puluhan instansi di satu gedung, MPP pertama yang dikelola kabupaten.",
        problem="Warga berpindah dari kantor ke kantor untuk satu urusan, dengan syarat yang tidak jelas.",
        how=(
            "Bekas gedung Mall of Sritanjung menjadi MPP: loket instansi daerah, instansi vertikal, "
            "BUMN dan bank di satu tempat, antrean elektronik, standar pelayanan terbuka, ruang "
            "laktasi dan ruang bermain. Di Terpadu: katalog layanan, antrean, permohonan, SKM."
        ),
        contact_role="DPMPTSP Banyuwangi",
        measures=(
            MeasureSpec(
                "ikm",
                title="IKM seluruh MPP (enam bulan terakhir vs sebelumnya)",
                pivot_days_ago=182,
            ),
            MeasureSpec("cetar", indicator="sla_compliance", pivot_days_ago=182),
            MeasureSpec("cetar", indicator="hall_wait_median", pivot_days_ago=182),
        ),
        figures=(
            Figure("Layanan", "80", "layanan", "Okt 2017 (pembukaan)", "Merdeka.com", MERDEKA_2017),
            Figure("Layanan", "149", "layanan", "Nov 2017", "Detik", DETIK_2017),
            Figure("Layanan", "199", "layanan", "2018–2019", "Liputan6", LIPUTAN6_2019),
            Figure(
                "Layanan", "370", "layanan", "Jan 2026 (sekitar)", "Mediakampung", MEDIAKAMPUNG_2026
            ),
            Figure("Dokumen/izin terbit", "218345", "dokumen", "2018", "Gesuri", GESURI_2018),
            Figure(
                "Tamu studi tiru (wisatawan kinerja)",
                "39000",
                "orang",
                "2017",
                "Laporan pers 2017",
            ),
        ),
    ),
    Entry(
        slug="smart-kampung",
        name="Smart Kampung",
        agencies=("dukcapil",),
        theme="village",
        stage="running",
        start=date(2016, 5, 31),
        tagline="Layanan administrasi di desa dengan serat optik dan tanda tangan elektronik.",
        problem="Warga desa jauh dari kantor kabupaten untuk KK, surat keterangan, dan izin.",
        how=(
            "Desa dengan jaringan serat optik melayani KK, Surat Pernyataan Miskin, SKCK, surat "
            "kematian, izin usaha dan permohonan e-KTP; perangkat desa menandatangani secara "
            "elektronik. Tujuh kriteria: pelayanan publik, ekonomi, kesehatan, pendidikan dan seni "
            "budaya, SDM, pengentasan kemiskinan, melek hukum."
        ),
        measures=(
            MeasureSpec(
                "ikm",
                title="IKM Dukcapil (enam bulan terakhir vs sebelumnya)",
                agency="dukcapil",
                pivot_days_ago=182,
            ),
            MeasureSpec("cetar", indicator="digital_takeup", agency="dukcapil", pivot_days_ago=182),
        ),
        figures=(
            Figure("Desa dengan serat optik", "181", "desa", "2019", "Antara Jatim", ANTARA_SK),
            Figure(
                "Desa berstatus maju (evaluasi)",
                "95",
                "desa dari 217",
                "evaluasi",
                "Antara Jatim",
                ANTARA_SK,
            ),
            Figure(
                "Desa berstatus kurang (evaluasi)",
                "24",
                "desa dari 217",
                "evaluasi",
                "Antara Jatim",
                ANTARA_SK,
            ),
        ),
    ),
    Entry(
        slug="mlijo-antar-pmt",
        name="Mlijo Antar Makanan Tambahan",
        agencies=("dinkes",),
        theme="health",
        stage="pilot",
        start=date(2023, 2, 1),
        tagline="Mlijo mengantar makanan tambahan harian untuk bumil risti dan balita stunting.",
        problem="Makanan tambahan tidak sampai setiap hari ke ibu hamil risiko tinggi dan balita stunting.",
        how=(
            "Perluasan Laskar SAKINA (2023): pedagang sayur keliling yang sudah mengenal rumah "
            "sasaran mengantar PMT setiap hari, dengan anggaran daerah."
        ),
        measures=(
            MeasureSpec("outreach", title="Bumil risti yang didampingi", programme="maternal"),
        ),
        figures=(
            Figure(
                "Anggaran PMT lewat mlijo", "7000000000", "Rp", "2023", "Berita Banyuwangi", BB_PMT
            ),
            Figure(
                "Kematian ibu setahun sebelumnya (pernyataan Bupati)",
                "25",
                "orang",
                "Feb 2023",
                "Radar Banyuwangi",
                RADAR_2023,
            ),
        ),
    ),
    Entry(
        slug="pasar-pelayanan-publik",
        name="Pasar Pelayanan Publik Genteng",
        agencies=("dpmptsp", "dukcapil"),
        theme="public_service",
        stage="idea",
        start=None,
        tagline="Satelit MPP di Pasar Genteng Wetan, dekat warga selatan-barat kabupaten.",
        problem="Warga jauh dari MPP di kota Banyuwangi.",
        how="Direncanakan 2019: loket layanan terpilih di dalam pasar, dengan antrean yang sama dengan MPP.",
    ),
)


def _agency(regency: Region, codes: tuple[str, ...]) -> Agency | None:
    found = {a.code: a for a in Agency.objects.filter(region=regency, code__in=codes)}
    return next((found[c] for c in codes if c in found), None)


@transaction.atomic
def load_demo_gallery(regency: Region, *, today: date | None = None) -> dict[str, Any]:
    today = today or local_today()
    existing = set(Innovation.objects.filter(region=regency).values_list("slug", flat=True))
    created = skipped = 0
    for entry in ENTRIES:
        if entry.slug in existing or Innovation.objects.filter(slug=entry.slug).exists():
            skipped += 1
            continue
        agency = _agency(regency, entry.agencies)
        if agency is None:
            skipped += 1
            continue
        innovation = innovation_create(
            actor=None,
            agency=agency,
            name=entry.name,
            slug=entry.slug,
            theme=entry.theme,
            stage=entry.stage,
            start_date=entry.start,
            tagline=entry.tagline,
            problem=entry.problem,
            how_it_works=entry.how,
            contact_name=entry.contact_role,
            contact_email=f"{agency.code}@mpp-banyuwangi.demo.invalid",
            is_public=True,
        )
        innovation_attach(
            actor=None,
            innovation=innovation,
            measures=[
                {
                    "kind": m.kind,
                    "title": m.title,
                    "programme_code": m.programme,
                    "indicator_id": m.indicator,
                    "agency": _agency(regency, (m.agency,)) if m.agency else None,
                    "pivot_date": today - timedelta(days=m.pivot_days_ago)
                    if m.pivot_days_ago
                    else None,
                }
                for m in entry.measures
            ],
            figures=[
                {
                    "label": f.label,
                    "value": f.value,
                    "unit": f.unit,
                    "period_label": f.period,
                    "source": f.source,
                    "source_url": f.url,
                }
                for f in entry.figures
            ],
            awards=[
                {
                    "year": a.year,
                    "name": a.name,
                    "giver": a.giver,
                    "level": a.level,
                    "source_url": a.url,
                }
                for a in entry.awards
            ],
        )
        created += 1
    return {"innovations": created, "kept": skipped}


def clear_demo_gallery(regency: Region) -> int:
    from terpadu.gallery.models import KitImport

    slugs = [e.slug for e in ENTRIES]
    qs = Innovation.objects.filter(region=regency, slug__in=slugs)
    KitImport.objects.filter(innovation__in=qs).delete()
    Innovation.objects.filter(replicated_from__in=qs).update(replicated_from=None)
    deleted, _ = qs.delete()
    return deleted
