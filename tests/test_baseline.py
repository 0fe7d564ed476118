"""On the corpus, text mode beats a C4-style line filter on body precision and recall both, and keeps
every body line that filter drops (the look-alikes: short lines, lines without final punctuation)."""

from __future__ import annotations

from cleanarticle.baselines import c4_keeps, compare
from tests.conftest import CORPUS


def test_c4_rule_itself() -> None:
    assert c4_keeps("The council met on Monday.")
    assert not c4_keeps("Also Read")
    assert not c4_keeps("Read our privacy policy.")
    assert not c4_keeps("Too short.")


def test_cleaner_beats_c4_on_precision_and_recall() -> None:
    result = compare(str(CORPUS))
    assert result.cases >= 50
    assert result.cleaner.precision > result.c4.precision, result.format()
    assert result.cleaner.recall > result.c4.recall, result.format()


def test_cleaner_keeps_every_body_line_c4_drops() -> None:
    result = compare(str(CORPUS))
    assert result.c4_dropped_kept, "the corpus should hold body lines a C4 filter drops"
    assert result.c4_dropped_lost == [], result.format()
