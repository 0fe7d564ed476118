"""Which packs a document runs: a stopword count over a sample of its prose."""

from __future__ import annotations

from cleanarticle.language import FALLBACK_CHARS, SAMPLE_CHARS, WHOLE_CHARS, _sample, detect_languages
from cleanarticle.rules import LANGUAGES

GERMAN = (
    "Der Gemeinderat hat am Dienstag über den neuen Fahrplan der Hafenfähre beraten, und die Mehrheit "
    "war mit dem Vorschlag der Verwaltung nicht einverstanden, wie die Sprecherin sagte. "
)
MENU = "\n".join(["Home", "Politik", "Wirtschaft", "Sport", "Kultur", "Wetter", "Podcast", "Newsletter"] * 50)


def test_a_short_text_is_read_whole() -> None:
    text = "Kurzmeldung\n" + GERMAN
    assert len(text) <= WHOLE_CHARS
    assert _sample(text) == text
    assert detect_languages(text, LANGUAGES) == ("en", "de")


def test_a_long_text_is_read_from_its_prose_not_its_menu() -> None:
    """A page that opens with a long menu of short lines is still read as German: the sample is
    drawn from the paragraphs that are prose, wherever they start."""
    text = MENU + "\n" + "\n".join([GERMAN] * 20)
    assert len(MENU) > FALLBACK_CHARS  # the first few thousand characters are all menu
    sample = _sample(text)
    assert len(sample) == SAMPLE_CHARS and "Politik" not in sample
    assert detect_languages(text, LANGUAGES) == ("en", "de")


def test_a_long_text_with_little_prose_is_read_from_its_start() -> None:
    table = "\n".join(f"| {i} | Kyle Busch | 5040 | 5 | 1 |" for i in range(200))
    text = GERMAN + "\n" + table
    assert _sample(text) == text[:FALLBACK_CHARS]


def test_english_always_runs_and_other_packs_only_when_their_stopwords_are_frequent() -> None:
    english = "The council said the new timetable for the harbour ferry was not ready, and that it would be published later. " * 30
    assert detect_languages(english, LANGUAGES) == ("en",)
    assert detect_languages("Hi", LANGUAGES) == LANGUAGES  # too short to tell: every pack


def test_german_words_shared_with_other_lists_do_not_add_their_packs() -> None:
    """"es", "des", "um" and "das" are frequent German words: counted for Spanish, French or
    Portuguese too, a German text with many of them got those packs as well."""
    text = "Es war um acht Uhr, als das Ende des Streits kam, und es blieb dabei, um das Haus des Vaters zu retten. " * 10
    assert detect_languages(text, LANGUAGES) == ("en", "de")


def test_stopwords_count_as_written_capitalised_or_in_capitals() -> None:
    """The sample is not lower()ed: each stopword is looked up in its three usual forms, so a German
    text counts the same in capitals, in title case or as written."""
    text = "\n".join([GERMAN] * 12)
    for variant in (text, text.upper(), text.title()):
        assert detect_languages(variant, LANGUAGES) == ("en", "de"), variant[:40]
    shouting = "DIE STADT UND DER HAFEN SIND NICHT MIT DER FÄHRE VERBUNDEN, SAGTE DIE SPRECHERIN. " * 12
    assert detect_languages(shouting, LANGUAGES) == ("en", "de")
