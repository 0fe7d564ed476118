"""The credit parser: formulas that parse, and look-alikes that must not."""

from __future__ import annotations

import pytest

import cleanarticle
from cleanarticle.credits import clean_person, looks_like_person, parse_credit_line, split_names


@pytest.mark.parametrize(
    ("line", "field", "names"),
    [
        ("(With inputs from ABC News, Sputnik and CNN.)", "sources", ("ABC News", "Sputnik", "CNN")),
        ("(With PTI inputs)", "sources", ("PTI",)),
        ("With inputs from agencies", "sources", ("agencies",)),
        ("(with inputs from Reuters and Jane Doe)", "contributors", ("Jane Doe",)),
        ("— AFP", "sources", ("AFP",)),
        ("--IANS", "sources", ("IANS",)),
        ("==Kyodo", "sources", ("Kyodo",)),
        ("PTI ABC XYZ", "sources", ("PTI",)),
        ("Source: Al Jazeera and news agencies", "sources", ("Al Jazeera", "news agencies")),
        ("Reporting by Jane Doe in Kyiv; Editing by John Roe", "reporters", ("Jane Doe",)),
        ("Reporting by Jane Doe in Kyiv; Editing by John Roe", "editors", ("John Roe",)),
        ("Writing by Ann Lee; Editing by Tom Hart and Bill Ray", "editors", ("Tom Hart", "Bill Ray")),
        ("Additional reporting by Reuters", "sources", ("Reuters",)),
        ("The Associated Press contributed to this report.", "sources", ("The Associated Press",)),
        ("Associated Press writers Jane Doe and John Roe contributed to this report.", "contributors", ("Jane Doe", "John Roe")),
        ("Jane Doe in Buenos Aires contributed reporting.", "contributors", ("Jane Doe",)),
        ("With assistance from Jane Doe.", "contributors", ("Jane Doe",)),
        ("By Jane Doe, Staff Writer", "authors", ("Jane Doe",)),
        ("By Amit Kumar, The Valley Times", "authors", ("Amit Kumar",)),
        ("Photo: Jane Doe/Getty Images", "photographers", ("Jane Doe",)),
        ("REUTERS/John Roe", "photographers", ("John Roe",)),
        ("This article originally appeared on Business Insider.", "sources", ("Business Insider",)),
    ],
)
def test_formula_parses(line: str, field: str, names: tuple[str, ...]) -> None:
    assert getattr(parse_credit_line(line), field) == names


def test_associated_press_writers_add_no_source() -> None:
    credits = parse_credit_line("Associated Press writers Jane Doe and John Roe contributed to this report.")
    assert credits.sources == ()


def test_photo_agency_is_not_a_source() -> None:
    credits = parse_credit_line("A farmer inspects his crop. (AP Photo/Ravi Kant)")
    assert credits.photographers == ("Ravi Kant",)
    assert credits.sources == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks lasted five hours, Medinsky said, according to Sputnik.",
        "The decision followed a phone call between the two leaders, reported AFP.",
        "The plan was drafted with inputs from farmers' groups, the minister said.",
        "An Associated Press analysis found the figures had been revised.",
        "By the time the rain stopped, the roads were flooded.",
    ],
)
def test_attributions_in_prose_are_body(sentence: str) -> None:
    article = cleanarticle.clean("The council met on Monday.\n" + sentence, mode="text")
    assert sentence in article.body
    assert not article.credits


def test_glued_credit_is_cut_and_parsed() -> None:
    article = cleanarticle.clean("The minister said the bridge would open in May. (With inputs from PTI)")
    assert article.body == ("The minister said the bridge would open in May.",)
    assert article.credits.sources == ("PTI",)
    assert article.removed[0].filter == "inline"


def test_dateline_stays_in_body_and_credits_agency() -> None:
    text = "LONDON, March 3 (Reuters) - Shares fell sharply on Monday.\nTraders blamed the oil price."
    article = cleanarticle.clean(text)
    assert article.body[0].startswith("LONDON, March 3 (Reuters)")
    assert article.credits.sources == ("Reuters",)
    assert article.removed == ()


def test_names_are_not_listed_twice() -> None:
    text = "(Reuters) - Oil rose.\nThe market closed higher.\nAdditional reporting by Reuters"
    assert cleanarticle.clean(text).credits.sources == ("Reuters",)


def test_split_names_handles_conjunctions_and_commas() -> None:
    assert [n for n, _ in split_names("A One, B Two and C Three")] == ["A One", "B Two", "C Three"]
    assert [n for n, _ in split_names("A One und B Two", ["und"])] == ["A One", "B Two"]


def test_person_cleanup() -> None:
    assert clean_person("CNN's Marcus Lowell") == "Marcus Lowell"
    assert clean_person("Tom Ashcroft For Mailonline") == "Tom Ashcroft"
    assert clean_person("Aiko Nishimura in Tokyo at an@example.net") == "Aiko Nishimura"
    assert looks_like_person("Jane Doe") and not looks_like_person("The Hindu")
    assert not looks_like_person("Hindustan Times")
