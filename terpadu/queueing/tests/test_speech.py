"""What the board says aloud, and the committed chime."""

from __future__ import annotations

import io
import wave

import pytest

from terpadu.queueing import chime
from terpadu.queueing.speech import spoken_call, terbilang


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (45, "empat puluh lima"),
        (100, "seratus"),
        (112, "seratus dua belas"),
        (250, "dua ratus lima puluh"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (2345, "dua ribu tiga ratus empat puluh lima"),
    ],
)
def test_terbilang(n, words):
    assert terbilang(n) == words


def test_spoken_call_as_number_and_as_digits():
    assert spoken_call("A", 12, 5) == "Nomor antrean A dua belas, silakan menuju loket lima"
    assert (
        spoken_call("B", 1, 3, digits=True)
        == "Nomor antrean B nol nol satu, silakan menuju loket tiga"
    )


def test_committed_chime_is_the_generated_one():
    assert chime.PATH.read_bytes() == chime.render()
    with wave.open(io.BytesIO(chime.PATH.read_bytes())) as wav:
        assert wav.getnchannels() == 1 and wav.getframerate() == chime.RATE
        assert 1.0 < wav.getnframes() / wav.getframerate() < 2.0
