"""Forgiving Indonesian text handling for the catalogue search (pure, no database).

``terms(text)`` turns any text (a service name, a requirement, a citizen's query)
into canonical terms:

1. normalise: lowercase, accents and punctuation away (``KTP-el`` → ``ktp el``);
2. phrases: multi-word everyday names become one term (``kartu keluarga`` → ``kk``,
   ``e ktp`` → ``ktp``);
3. synonyms on the word (``akte`` → ``akta``, ``meninggal`` → ``mati``, ``bikin`` → ``buat``);
4. a light stemmer for Indonesian affixes (me-/ber-/di-/ter-/pe-/ke-…-an/-kan/-nya),
   which prefers a known root when a nasal prefix hides the first letter
   (``pemeriksaan`` → ``periksa``, ``penerbitan`` → ``terbit``);
5. synonyms again on the stem (``kawin`` → ``nikah``, ``lahir`` stays ``lahir``).

The same function runs over the catalogue (stored in ``Service.search_title`` and
``search_body``) and over the query, so both sides meet on the same terms.
``expansions(term)`` adds weaker related terms for a query (``anak`` → ``lahir``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")

#: Multi-word names folded into one canonical term before anything else.
PHRASES: dict[str, str] = {
    "kartu keluarga": "kk",
    "kartu tanda penduduk": "ktp",
    "ktp el": "ktp",
    "e ktp": "ktp",
    "surat izin mengemudi": "sim",
    "surat ijin mengemudi": "sim",
    "surat keterangan catatan kepolisian": "skck",
    "nomor induk berusaha": "nib",
    "izin mendirikan bangunan": "imb",
    "ijin mendirikan bangunan": "imb",
    "persetujuan bangunan gedung": "pbg",
    "pajak bumi dan bangunan": "pbb",
    "pajak bumi bangunan": "pbb",
    "nomor pokok wajib pajak": "npwp",
    "kartu identitas anak": "kia",
    "online single submission": "oss",
    "kartu indonesia sehat": "kis",
    "surat keterangan tidak mampu": "sktm",
    "surat pernyataan miskin": "sktm",
    "bpjs kesehatan": "bpjs sehat",
    "bpjs ketenagakerjaan": "bpjs tenagakerja",
    "bpjs tk": "bpjs tenagakerja",
    "jaminan hari tua": "jht",
    "surat pindah": "pindah",
    "sertipikat": "sertifikat",
    "kartu kuning": "ak1",
    "kartu pencari kerja": "ak1",
    "ak 1": "ak1",
    "ak i": "ak1",
    "buku nikah": "nikah buku",
    "akta lahir": "akta lahir",
    "stnk": "stnk",
    "bea perolehan hak atas tanah dan bangunan": "bphtb",
}

#: Word-level synonyms, applied before stemming (surface forms) and after (stems).
SYNONYMS: dict[str, str] = {
    # documents
    "akte": "akta",
    "akt": "akta",
    "ektp": "ktp",
    "ktpel": "ktp",
    "ktp2": "ktp",
    "kk2": "kk",
    "sertipikat": "sertifikat",
    "sertifikasi": "sertifikat",
    "serifikat": "sertifikat",
    "ijin": "izin",
    "perijinan": "izin",
    "perizinan": "izin",
    "pasport": "paspor",
    "passport": "paspor",
    "pasfor": "paspor",
    "imb": "pbg",
    # life events
    "kelahiran": "lahir",
    "melahirkan": "lahir",
    "lahiran": "lahir",
    "brojol": "lahir",
    "kematian": "mati",
    "meninggal": "mati",
    "wafat": "mati",
    "mangkat": "mati",
    "tewas": "mati",
    "almarhum": "mati",
    "almarhumah": "mati",
    "perkawinan": "nikah",
    "pernikahan": "nikah",
    "kawin": "nikah",
    "menikah": "nikah",
    "nikahan": "nikah",
    "cerai": "cerai",
    "perceraian": "cerai",
    "talak": "cerai",
    "datang": "pindah",
    "kedatangan": "pindah",
    "kepindahan": "pindah",
    "pindahan": "pindah",
    "mutasi": "pindah",
    "hilang": "hilang",
    "kehilangan": "hilang",
    "rusak": "rusak",
    "kerusakan": "rusak",
    # actions
    "bikin": "buat",
    "pembuatan": "buat",
    "membuat": "buat",
    "dibuat": "buat",
    "penerbitan": "buat",
    "terbit": "buat",
    "urus": "buat",
    "ngurus": "buat",
    "mengurus": "buat",
    "pengurusan": "buat",
    "perpanjang": "panjang",
    "perpanjangan": "panjang",
    "memperpanjang": "panjang",
    "pergantian": "ganti",
    "penggantian": "ganti",
    "mengganti": "ganti",
    "pengganti": "ganti",
    "daftar": "daftar",
    "pendaftaran": "daftar",
    "mendaftar": "daftar",
    "registrasi": "daftar",
    "pengajuan": "aju",
    "permohonan": "mohon",
    "legalisir": "legalisasi",
    "fotokopi": "salin",
    "cetak": "cetak",
    "ulang": "ulang",
    # business
    "usaha": "usaha",
    "perusahaan": "usaha",
    "bisnis": "usaha",
    "dagang": "usaha",
    "berdagang": "usaha",
    "umkm": "usaha",
    "toko": "usaha",
    "warung": "usaha",
    "nib": "nib",
    # land and buildings
    "tanah": "tanah",
    "pertanahan": "tanah",
    "lahan": "tanah",
    "bangunan": "bangun",
    "rumah": "rumah",
    "gedung": "bangun",
    # people
    "bayi": "bayi",
    "balita": "anak",
    "putra": "anak",
    "putri": "anak",
    "orangtua": "orang tua",
    "ortu": "orang tua",
    # health, work, school
    "sakit": "sakit",
    "berobat": "obat",
    "pengobatan": "obat",
    "puskesmas": "puskesmas",
    "kesehatan": "sehat",
    "pekerjaan": "kerja",
    "bekerja": "kerja",
    "pengangguran": "anggur",
    "phk": "phk",
    "pemutusan": "putus",
    "sekolah": "sekolah",
    "bersekolah": "sekolah",
    "ppdb": "ppdb",
    "spmb": "ppdb",
    "pendidikan": "didik",
    "beasiswa": "beasiswa",
    # vehicles
    "motor": "kendara",
    "mobil": "kendara",
    "kendaraan": "kendara",
    "ranmor": "kendara",
    "pajak": "pajak",
    "perpajakan": "pajak",
    # misc
    "polisi": "polisi",
    "kepolisian": "polisi",
    "kelakuan": "skck",
    "miskin": "sktm",
    "bpjs": "bpjs",
    "jkn": "bpjs",
    "air": "air",
    "listrik": "listrik",
}

#: Weaker terms a query word also looks for (context, not identity).
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "anak": ("lahir", "kia"),
    "bayi": ("lahir", "kia", "anak"),
    "lahir": ("bayi",),
    "mati": ("makam",),
    "nikah": ("kua",),
    "usaha": ("nib", "izin", "oss"),
    "izin": ("usaha", "nib"),
    "nib": ("usaha", "oss"),
    "tanah": ("sertifikat",),
    "sertifikat": ("tanah",),
    "rumah": ("bangun", "pbg"),
    "pbg": ("bangun",),
    "bangun": ("pbg",),
    "kendara": ("stnk", "samsat"),
    "sakit": ("bpjs", "obat", "rujuk"),
    "kerja": ("ak1", "bpjs"),
    "phk": ("jht", "ak1", "kerja"),
    "sekolah": ("ppdb", "didik"),
    "pindah": ("kk", "ktp"),
    "hilang": ("ganti",),
    "sktm": ("miskin",),
    "pdam": ("air",),
    "pln": ("listrik",),
}

#: Words that carry little meaning in a query ("cara bikin ktp" ≈ "ktp").
WEAK: frozenset[str] = frozenset(
    {"buat", "cara", "syarat", "gimana", "bagaimana", "mau", "ingin", "saya", "untuk", "mohon"}
)
STOP: frozenset[str] = frozenset(
    {
        "dan",
        "atau",
        "yang",
        "di",
        "ke",
        "dari",
        "dengan",
        "bagi",
        "pada",
        "oleh",
        "apa",
        "ini",
        "itu",
        "the",
        "of",
        "nya",
        "yg",
        "dgn",
        "dr",
        "utk",
        "tentang",
    }
)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Known roots: the stemmer prefers them when a nasal prefix hides the first letter.
ROOTS: frozenset[str] = _wordset(
    """
    periksa terbit tulis tanda tetap tempat tinggal tahan tunjuk kirim karya kelola
    sahkan sah salin sewa sedia setor sampai pakai pasang potong pinjam pindah proses
    pungut tukar tanggung kembang kelompok kenal kawin kubur makam cetak catat daftar
    buat baru bangun bina beri bayar bantu aju ajar urus ubah ukur usaha izin ikut
    olah atur awas angkut ganti gabung guna hapus hitung jamin jual kerja lahir lapor
    layan lindung mohon nikah obat rawat rujuk sehat serah sidik tera tagih terima
    timbang tinggal uji umum ambil akui angkat alih didik duduk datang cerai mati
    aku sah nilai manfaat pilih tangan kuasa milik akta nyata serta cabut
    """
)

PROTECTED: frozenset[str] = _wordset(
    """
    ktp kk sim skck nib pbb pbg imb npwp kia oss kis sktm bpjs jht stnk bphtb ak1 kua
    samsat paspor akta sertifikat pajak tanah dinas kantor bank surat kartu nomor
    keterangan kepala keluarga pendidikan
    """
)

_VOWELS = "aeiou"


def normalise(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse spaces."""
    folded = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", ascii_text).split())


def _strip_suffixes(word: str) -> str:
    for particle in ("lah", "kah", "tah", "pun"):
        if word.endswith(particle) and len(word) - len(particle) >= 4:
            word = word[: -len(particle)]
            break
    for possessive in ("nya", "ku", "mu"):
        if word.endswith(possessive) and len(word) - len(possessive) >= 4:
            word = word[: -len(possessive)]
            break
    return word


def _nasal_candidates(rest: str, prefix: str) -> list[str]:
    """Roots hidden behind meN-/peN- (``pen`` + ``erbit`` → ``terbit``); the default first."""
    vowel = rest[:1] in _VOWELS
    if prefix.endswith("ny"):
        return ["s" + rest]
    if prefix.endswith("nge"):
        return [rest, "nge" + rest]
    if prefix.endswith("ng"):
        return [rest, "k" + rest] if vowel else [rest]
    if prefix.endswith("m"):
        return ["p" + rest, "m" + rest, rest] if vowel else [rest]
    if prefix.endswith("n"):
        return ["t" + rest, "n" + rest, rest] if vowel else [rest]
    return [rest]


_NASAL = ("menge", "penge", "meny", "peny", "meng", "peng", "mem", "pem", "men", "pen")
_PLAIN = ("memper", "diper", "per", "ber", "ter", "me", "pe", "di", "be")


def _unprefix(word: str, depth: int = 0) -> list[str]:
    """Candidate roots of a word without suffixes, the rule's default first."""
    if word in ROOTS or depth > 1:
        return [word]
    for prefix in _NASAL:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return _nasal_candidates(word[len(prefix) :], prefix)
    for prefix in _PLAIN:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            return [*_unprefix(rest, depth + 1), rest]
    return [word]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A light Indonesian stemmer; leaves short words, acronyms and digits alone.

    Every way of removing a suffix (none, ``-an``, ``-kan``) and prefix (including
    the confix ``ke-…-an``) is tried; a known root wins, otherwise the first rule's
    answer (``-an`` before ``-kan``) is kept. Both the catalogue and the query go
    through the same function, so an imperfect root still matches itself.
    """
    if len(word) <= 4 or word in PROTECTED or word in ROOTS or any(c.isdigit() for c in word):
        return word
    base = _strip_suffixes(word)
    bases = [base]
    for suffix in ("an", "kan"):
        if base.endswith(suffix) and len(base) - len(suffix) >= 4:
            bases.insert(len(bases) - 1, base[: -len(suffix)])
    candidates: list[str] = []
    for index, stripped in enumerate(bases):
        had_suffix = index < len(bases) - 1
        if had_suffix and stripped.startswith("ke") and len(stripped) >= 5:
            candidates.extend(_unprefix(stripped[2:]))
        candidates.extend(_unprefix(stripped))
    for candidate in candidates:
        if candidate in ROOTS:
            return candidate
    return candidates[0]


@lru_cache(maxsize=50_000)
def canonical(word: str) -> str:
    """Synonym → stem → synonym: one canonical term for a word."""
    if word in SYNONYMS:
        return SYNONYMS[word]
    stemmed = stem(word)
    return SYNONYMS.get(stemmed, stemmed)


def _fold_phrases(text: str) -> str:
    padded = f" {text} "
    for phrase, term in PHRASES.items():
        if f" {phrase} " in padded:
            padded = padded.replace(f" {phrase} ", f" {term} ")
    return padded.strip()


def words(text: str) -> list[str]:
    """Normalised words with phrases folded, before synonyms and stemming."""
    return [w for w in _fold_phrases(normalise(text)).split() if w not in STOP]


def terms(text: str) -> list[str]:
    """Canonical terms of a text, in order (a term may repeat)."""
    out: list[str] = []
    for word in words(text):
        out.extend(canonical(word).split())
    return out


def term_string(text: str) -> str:
    """Canonical terms joined by spaces, de-duplicated in order (what the index stores)."""
    return " ".join(dict.fromkeys(terms(text)))


def expansions(term: str) -> tuple[str, ...]:
    return EXPANSIONS.get(term, ())


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (adjacent transpositions) distance, stopping early above ``limit``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        row_min = cur[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            row_min = min(row_min, cur[j])
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def typo_limit(word: str) -> int:
    """How many edits a typed word may be from a known word (0 for very short words)."""
    if len(word) <= 3:
        return 0
    if len(word) <= 6:
        return 1
    return 2
