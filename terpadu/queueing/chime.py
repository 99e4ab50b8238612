"""The board's chime: a two-tone "ding-dong" synthesised with the standard library.

``python -m terpadu.queueing.chime`` writes ``static/queueing/chime.wav`` (the
committed file; a test checks it matches this generator).
"""

from __future__ import annotations

import io
import math
import struct
import wave
from pathlib import Path

RATE = 11_025
TONES = ((659.25, 0.0, 0.9), (523.25, 0.45, 1.1))  # E5 then C5: (Hz, start s, length s)
LENGTH = 1.55
PATH = Path(__file__).parent / "static" / "queueing" / "chime.wav"


def render() -> bytes:
    frames = int(RATE * LENGTH)
    samples = [0.0] * frames
    for freq, start, length in TONES:
        first = int(start * RATE)
        for i in range(int(length * RATE)):
            if first + i >= frames:
                break
            t = i / RATE
            envelope = min(1.0, t / 0.01) * math.exp(-3.2 * t)  # soft attack, bell decay
            tone = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            samples[first + i] += 0.38 * envelope * tone
    data = b"".join(struct.pack("<h", max(-32767, min(32767, int(s * 32767)))) for s in samples)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(data)
    return buffer.getvalue()


if __name__ == "__main__":
    PATH.parent.mkdir(parents=True, exist_ok=True)
    PATH.write_bytes(render())
    print(f"{PATH} ({PATH.stat().st_size} bytes)")
