"""Write static/sounds/chime.wav: the staff alert chime, a short quiet two-tone "ding-dong".

Made here from sine waves (no copied audio): two bell-like notes, E6 then C6, each with a soft
overtone and an exponential fade, 0.7 s in all, 16-bit mono at 22.05 kHz, peak at 35 % of
full scale. Run from the repository root: python scripts/make_chime.py
"""

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
PEAK = 0.35  # quiet: a lobby must not startle, staff can still hear it
# (frequency in Hz, start in s, length in s)
NOTES = ((1318.5, 0.0, 0.35), (1046.5, 0.3, 0.4))
LENGTH_S = 0.7
ATTACK_S = 0.006  # a few milliseconds of fade-in, so a note starts without a click
OUT = Path(__file__).resolve().parent.parent / "static" / "sounds" / "chime.wav"


def note(t: float, frequency: float, length: float) -> float:
    """One bell-like note at time t into it: a sine and its octave, fading out."""
    if t < 0 or t >= length:
        return 0.0
    envelope = min(1.0, t / ATTACK_S) * math.exp(-5.0 * t / length)
    tone = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(4 * math.pi * frequency * t)
    return envelope * tone / 1.3


def samples() -> list[int]:
    out = []
    for i in range(int(RATE * LENGTH_S)):
        t = i / RATE
        value = sum(note(t - start, f, length) for f, start, length in NOTES)
        value = max(-1.0, min(1.0, value)) * PEAK
        out.append(round(value * 32767))
    return out


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT), "wb") as chime:
        chime.setnchannels(1)
        chime.setsampwidth(2)
        chime.setframerate(RATE)
        chime.writeframes(struct.pack(f"<{int(RATE * LENGTH_S)}h", *samples()))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
