"""Synthetic personal names as they appear in Banyuwangi's population register.

Patterns, not real people:

- older Javanese and Osing/Madurese-area villagers often carry one word
  (``Sutrisno``, ``Paimin``, ``Sumiati``, ``Misnah``): men's names often end in
  -o, women's in -i;
- Muslim names with the many spellings of Muhammad (``Muhammad``, ``Mohammad``,
  ``Moh.``, ``Moch.``, ``M.``) and ``Siti`` for women, Madurese forms with
  ``H`` for ``Kh`` (``Holil``, ``Hotimah``);
- Javanese birth-order names (``Eko``, ``Dwi``, ``Tri``) and ``Sri``;
- younger people born after about 1990 get two or three modern words;
- Balinese birth-order names (``I Wayan``, ``Ni Made``) in Hindu households,
  Christian given names in Christian households, Chinese-Indonesian surnames
  in a few town households.

All choices come from the ``random.Random`` passed in, so a seed gives the same
names every time.
"""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    """``"Sutrisno, Siti Aminah"`` → ``("Sutrisno", "Siti Aminah")``."""
    return tuple(w.strip() for w in text.split(",") if w.strip())


MUHAMMAD_FORMS = _words(
    "Muhammad, Muhammad, Mohammad, Mohamad, Muhamad, Moh., Moh., Mochammad, Moch., M., M."
)

MALE_OLD = _words(
    "Sutrisno, Suparno, Sugiyono, Slamet, Paimin, Wagiman, Supriyadi, Sumarno, Suyitno, "
    "Suwandi, Sukardi, Sunarto, Sumadi, Marjono, Darsono, Karsono, Poniman, Tukiman, "
    "Tugimin, Parno, Suroso, Harjono, Sugeng, Bambang, Joko, Subagyo, Mulyono, Purnomo, "
    "Suprapto, Sudarmaji, Sumarsono, Gimin, Kasiman, Legiman, Ngadiman, Rusdi, Sukirno, "
    "Sutikno, Tarmuji, Sarimin, Rusmadi, Sumarto, Sarno, Kusnadi, Suwito, Jumadi, Kateni, "
    "Ponidi, Wardoyo, Hartono, Suyanto, Sugianto, Mujiono, Suwarno, Kasno, Tumiran"
)
MALE_RURAL = _words(
    "Misnadi, Sahuni, Sanuri, Juhari, Mursid, Matsari, Hairudin, Supandi, Sahlan, Sapi'i, "
    "Sanadi, Rasidi, Holil, Hosnan, Busri, Jumali, Muhlis, Sahrul, Samsuri, Samsul, "
    "Sanusi, Mistar, Marsuki, Sunardi, Asmuni, Juhairi, Saleh, Jumain, Satuki, Haryono, "
    "Masrukin, Sujak, Tohari"
)
MALE_MUSLIM = _words(
    "Abdul Rohman, Abdullah, Ahmad, Achmad, Ali, Amin, Anwar, Arifin, Bahrul Ulum, Fauzi, "
    "Hasan, Husein, Ibrahim, Imam, Ismail, Jamaludin, Khoirul Anam, Lukman Hakim, Mahfud, "
    "Ma'ruf, Mukhlis, Munir, Mustofa, Nur Hasan, Rahmat, Ridwan, Rofiq, Saiful, Salim, "
    "Sholeh, Syamsul Arifin, Syaiful, Taufik, Umar, Usman, Yusuf, Zainal Abidin, "
    "Zainuddin, Hidayat, Choirul Anam, Nurul Huda, Abdul Aziz, Abdul Ghofur, Imron, "
    "Fathur Rozi"
)
MUHAMMAD_TAIL = _words(
    "Sholeh, Arif, Ali, Yusuf, Hasan, Rizky, Fauzi, Ilham, Hanif, Syaiful, Nur, Zainuri, "
    "Khoirul, Amin, Fahmi, Rofiqi, Lutfi, Iqbal, Faisal, Alfarizi, Rafi, Zidan, Najib, "
    "Anwar, Toha, Ridho"
)
MALE_BIRTH_ORDER = ("Eko", "Dwi", "Tri", "Catur")
MALE_MODERN = _words(
    "Adi, Aditya, Agung, Andi, Angga, Arif, Bagus, Bayu, Dimas, Dedi, Deni, Fajar, "
    "Farhan, Galih, Hendra, Ilham, Indra, Krisna, Rizky, Rizki, Reza, Rendi, Rio, Yoga, "
    "Wahyu, Yudha, Zidan, Alif, Raka, Bima, Arya, Dafa, Fahri, Hafiz, Naufal, Rafi, "
    "Satria, Dika, Febri, Gilang, Ilyas, Bagas, Danu, Heru, Budi, Agus, Teguh, Wahyudi, "
    "Hari, Yanto, Edi"
)
MALE_SECOND = _words(
    "Pratama, Saputra, Ramadhan, Nugroho, Wicaksono, Prasetyo, Setiawan, Hidayat, "
    "Firmansyah, Kurniawan, Maulana, Santoso, Wibowo, Putra, Hakim, Akbar, Alfarizi, "
    "Syahputra, Permana, Aditama, Ardiansyah, Prakoso, Susanto, Hermawan, Purnomo, "
    "Wijaya, Budiman, Irawan, Sanjaya"
)

FEMALE_OLD = _words(
    "Sumiati, Suwarni, Sulastri, Sumarni, Tumini, Painem, Tukinem, Wagini, Ngatini, "
    "Sutinah, Sainem, Kasiyem, Poniyem, Marsini, Atmini, Suyati, Sunarsih, Suprapti, "
    "Mujiati, Endang, Tutik, Lestari, Rukmini, Sukarni, Sarinah, Kartini, Murni, Ponirah, "
    "Jumiatun, Mariyam, Masruroh, Musriah, Ngaisah, Rohani, Sriatun, Karsinah, Wartini, "
    "Paini, Katemi, Sumini, Juwariyah, Suwarsih, Jumirah, Supiyah, Tarmi, Kemisah, "
    "Sumarti"
)
FEMALE_RURAL = _words(
    "Misnah, Sahwati, Juhairiyah, Saniyah, Asiyah, Sunariyah, Mursiyati, Jumaiyah, "
    "Sanimah, Rusmiati, Satumi, Misnati, Holilah, Hotimah, Hosniyah, Maisaroh, Juma'ati, "
    "Sahriyah, Marfu'ah, Busriyah, Mustiyah, Salamah"
)
FEMALE_MUSLIM = _words(
    "Nur Hasanah, Nurul Hidayah, Umi Kulsum, Khotimah, Rohmah, Munawaroh, Mutmainah, "
    "Zainab, Aisyah, Khoiriyah, Lailatul Fitriyah, Hasanah, Ainun, Fatimatus Zahro, Nur Aini, "
    "Ummi Hani, Zulaikha, Istiqomah, Luluk Maknunah, Nurul Aini, Khusnul Khotimah, "
    "Rofiah, Anis Fuadah, Mufidah, Roudhotul Jannah"
)
SITI_TAIL = _words(
    "Aminah, Fatimah, Khotijah, Maryam, Romlah, Nurhayati, Zulaikha, Nur Jannah, Rohmah, "
    "Muawanah, Rukayah, Sholihah, Maisaroh, Juwariyah, Aisyah, Khoiriyah, Halimah, Nurul Azizah, "
    "Mariyatul Qibtiyah, Komariyah, Hajar"
)
SRI_TAIL = _words(
    "Wahyuni, Rahayu, Utami, Lestari, Mulyani, Wulandari, Astutik, Handayani, Suwarni, "
    "Hartatik, Ningsih, Rejeki, Sundari, Purwanti"
)
FEMALE_BIRTH_ORDER = ("Eka", "Dwi", "Tri", "Catur")
FEMALE_MODERN = _words(
    "Ayu, Dewi, Putri, Nayla, Aulia, Anisa, Nabila, Nadia, Salsabila, Zahra, Alya, "
    "Keisha, Aisyah, Adinda, Amelia, Dinda, Fitri, Indah, Intan, Lina, Rina, Wulan, Yuni, "
    "Novi, Ratna, Rani, Citra, Maya, Nur, Vina, Della, Nurul, Devi, Yulia, Erna, Yeni, "
    "Wiwik, Eni, Ika, Riska, Anggi"
)
FEMALE_SECOND = _words(
    "Putri, Lestari, Rahmawati, Wulandari, Safitri, Puspitasari, Anggraini, Permatasari, "
    "Maharani, Ramadhani, Aprilia, Nurhaliza, Azzahra, Fitriani, Handayani, "
    "Kusumawardani, Oktaviani, Pertiwi, Rahayu, Sari, Susanti, Utami, Wahyuningsih, "
    "Kurniasih, Novitasari, Agustina, Febriani, Damayanti"
)

BALI_MALE_PREFIX = ("I Wayan", "I Made", "I Nyoman", "I Ketut")
BALI_MALE_FIRST = ("I Putu", "I Gede", "I Wayan")
BALI_MALE_GIVEN = _words(
    "Sudarma, Suarta, Astawa, Suparta, Wirawan, Adnyana, Budiarta, Sukadana, Darmawan, "
    "Mertayasa, Ariawan, Arsana, Sutama, Widana, Suardana, Yasa"
)
BALI_FEMALE_PREFIX = ("Ni Wayan", "Ni Made", "Ni Nyoman", "Ni Ketut")
BALI_FEMALE_FIRST = ("Ni Putu", "Ni Luh", "Ni Wayan")
BALI_FEMALE_GIVEN = _words(
    "Sukarmi, Suartini, Ariani, Widiastuti, Sriani, Yuliani, Astiti, Darmini, Sekarini, "
    "Suwitri, Mertasari, Sumerti, Kartini, Wahyuni, Sudiasih"
)

CHRISTIAN_MALE = _words(
    "Yohanes, Markus, Petrus, Paulus, Yosua, Daniel, Samuel, Stefanus, Andreas, Timotius, "
    "Yakobus, Matius, Gabriel, Yosef, Kristian, Natanael"
)
CHRISTIAN_FEMALE = _words(
    "Maria, Yohana, Magdalena, Debora, Ester, Elisabet, Rut, Kristina, Veronika, "
    "Theresia, Agnes, Natalia, Lidia, Priskila, Yuliana, Margaretha"
)

CHINESE_SURNAMES = _words(
    "Wijaya, Gunawan, Halim, Tanoto, Santoso, Kusuma, Hartono, Salim, Setiadi, Sugianto, "
    "Tjandra, Lim, Tanjaya, Widjaja, Hendrawan"
)
CHINESE_MALE = _words(
    "Hendra, Steven, Michael, Kevin, William, Susanto, Budi, Felix, Andy, Johan, Yohanes, "
    "Tommy, Henry"
)
CHINESE_FEMALE = _words(
    "Lina, Yenny, Lily, Vivian, Jessica, Meliana, Susan, Fenny, Linda, Monica, Cindy, "
    "Angeline, Grace"
)


class NameGenerator:
    """Names by sex, birth year and the household's cultural group.

    ``group`` is one of ``"java"`` (Javanese/Osing/Madurese Muslim majority),
    ``"bali"`` (Balinese Hindu), ``"christian"`` or ``"chinese"``.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def name(self, sex: str, birth_year: int, group: str = "java", order: int = 0) -> str:
        if group == "bali":
            return self._bali(sex, order)
        if group == "christian":
            return self._christian(sex, birth_year, order)
        if group == "chinese":
            return self._chinese(sex)
        return self.male(birth_year, order) if sex == "L" else self.female(birth_year, order)

    def male(self, birth_year: int, order: int = 0) -> str:
        rng = self.rng
        r = rng.random()
        if birth_year < 1965:
            if r < 0.55:
                return rng.choice(MALE_OLD)
            if r < 0.75:
                return rng.choice(MALE_RURAL)
            if r < 0.9:
                return rng.choice(MALE_MUSLIM)
            return f"{rng.choice(MUHAMMAD_FORMS)} {rng.choice(MUHAMMAD_TAIL)}"
        if birth_year < 1990:
            if r < 0.3:
                return rng.choice(MALE_OLD)
            if r < 0.42:
                return rng.choice(MALE_RURAL)
            if r < 0.6:
                return rng.choice(MALE_MUSLIM)
            if r < 0.75:
                return f"{rng.choice(MUHAMMAD_FORMS)} {rng.choice(MUHAMMAD_TAIL)}"
            if r < 0.85 and 1 <= order <= 4:
                return f"{MALE_BIRTH_ORDER[order - 1]} {rng.choice(MALE_SECOND)}"
            return f"{rng.choice(MALE_MODERN)} {rng.choice(MALE_SECOND)}"
        if r < 0.06:
            return rng.choice(MALE_MODERN)
        if r < 0.32:
            tail = rng.choice(MUHAMMAD_TAIL)
            if rng.random() < 0.5:
                return f"{rng.choice(MUHAMMAD_FORMS)} {tail} {rng.choice(MALE_SECOND)}"
            return f"{rng.choice(MUHAMMAD_FORMS)} {tail}"
        if r < 0.42:
            return f"{rng.choice(MALE_MUSLIM)} {rng.choice(MALE_SECOND)}"
        if r < 0.5 and 1 <= order <= 4:
            return f"{MALE_BIRTH_ORDER[order - 1]} {rng.choice(MALE_SECOND)}"
        if r < 0.75:
            return f"{rng.choice(MALE_MODERN)} {rng.choice(MALE_SECOND)}"
        return f"{rng.choice(MALE_MODERN)} {rng.choice(MALE_MODERN)} {rng.choice(MALE_SECOND)}"

    def female(self, birth_year: int, order: int = 0) -> str:
        rng = self.rng
        r = rng.random()
        if birth_year < 1965:
            if r < 0.5:
                return rng.choice(FEMALE_OLD)
            if r < 0.7:
                return rng.choice(FEMALE_RURAL)
            if r < 0.88:
                return f"Siti {rng.choice(SITI_TAIL)}"
            if r < 0.95:
                return f"Sri {rng.choice(SRI_TAIL)}"
            return rng.choice(FEMALE_MUSLIM)
        if birth_year < 1990:
            if r < 0.25:
                return rng.choice(FEMALE_OLD)
            if r < 0.35:
                return rng.choice(FEMALE_RURAL)
            if r < 0.55:
                return f"Siti {rng.choice(SITI_TAIL)}"
            if r < 0.67:
                return f"Sri {rng.choice(SRI_TAIL)}"
            if r < 0.8:
                return rng.choice(FEMALE_MUSLIM)
            if r < 0.87 and 1 <= order <= 4:
                return f"{FEMALE_BIRTH_ORDER[order - 1]} {rng.choice(FEMALE_SECOND)}"
            return f"{rng.choice(FEMALE_MODERN)} {rng.choice(FEMALE_SECOND)}"
        if r < 0.05:
            return rng.choice(FEMALE_MODERN)
        if r < 0.17:
            return f"Siti {rng.choice(SITI_TAIL)}"
        if r < 0.3:
            return f"{rng.choice(FEMALE_MUSLIM)}"
        if r < 0.36 and 1 <= order <= 4:
            return f"{FEMALE_BIRTH_ORDER[order - 1]} {rng.choice(FEMALE_SECOND)}"
        if r < 0.75:
            return f"{rng.choice(FEMALE_MODERN)} {rng.choice(FEMALE_SECOND)}"
        return (
            f"{rng.choice(FEMALE_MODERN)} {rng.choice(FEMALE_MODERN)} {rng.choice(FEMALE_SECOND)}"
        )

    def _bali(self, sex: str, order: int) -> str:
        rng = self.rng
        if sex == "L":
            if order == 1 and rng.random() < 0.5:
                prefix = rng.choice(BALI_MALE_FIRST)
            else:
                prefix = (
                    BALI_MALE_PREFIX[(order - 1) % 4] if order else rng.choice(BALI_MALE_PREFIX)
                )
            return f"{prefix} {rng.choice(BALI_MALE_GIVEN)}"
        if order == 1 and rng.random() < 0.5:
            prefix = rng.choice(BALI_FEMALE_FIRST)
        else:
            prefix = (
                BALI_FEMALE_PREFIX[(order - 1) % 4] if order else rng.choice(BALI_FEMALE_PREFIX)
            )
        return f"{prefix} {rng.choice(BALI_FEMALE_GIVEN)}"

    def _christian(self, sex: str, birth_year: int, order: int) -> str:
        rng = self.rng
        if sex == "L":
            given = rng.choice(CHRISTIAN_MALE)
            if rng.random() < 0.3:
                return f"{BALI_MALE_PREFIX[(order - 1) % 4] if order else 'I Wayan'} {given}"
            return f"{given} {rng.choice(MALE_SECOND)}"
        given = rng.choice(CHRISTIAN_FEMALE)
        if rng.random() < 0.3:
            return f"{BALI_FEMALE_PREFIX[(order - 1) % 4] if order else 'Ni Wayan'} {given}"
        return f"{given} {rng.choice(FEMALE_SECOND)}"

    def _chinese(self, sex: str) -> str:
        rng = self.rng
        given = rng.choice(CHINESE_MALE if sex == "L" else CHINESE_FEMALE)
        return f"{given} {rng.choice(CHINESE_SURNAMES)}"
