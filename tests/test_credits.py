"""The credit parser: formulas that parse, and look-alikes that must not."""

from __future__ import annotations

import pytest

import cleanarticle
from cleanarticle import LANGUAGES, Cleaner
from cleanarticle.credits import clean_person, looks_like_person, parse_credit_line, split_names

ALL_PACKS = Cleaner(languages=LANGUAGES)


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


@pytest.mark.parametrize(
    ("text", "field", "names"),
    [
        ("Berlin (dpa) - Die Regierung hat am Montag beschlossen, die Mittel zu erhöhen.", "sources", ("dpa",)),
        ("Mit Material von dpa und AFP", "sources", ("dpa", "AFP")),
        ("Madrid, 12 mar (EFE).- El Gobierno aprobó este martes el plan de vivienda.", "sources", ("EFE",)),
        ("Con información de EFE y Europa Press", "sources", ("EFE", "Europa Press")),
        ("(ANSA) - ROMA, 12 MAR - Il governo ha approvato il piano per le ferrovie.", "sources", ("ANSA",)),
        ("Lisboa, 12 mar 2024 (Lusa) - O Governo aprovou hoje o plano de habitação.", "sources", ("Lusa",)),
        ("Bron: ANP", "sources", ("ANP",)),
        ("Źródło: PAP", "sources", ("PAP",)),
        ("(इनपुट: भाषा)", "sources", ("भाषा",)),
        ("==Kyodo", "sources", ("Kyodo",)),
        ("SEOUL, March 3 (Yonhap) -- South Korea's exports rose for a fifth month.", "sources", ("Yonhap",)),
        ("BEIJING, March 3 (Xinhua) -- China's exports rose in February.", "sources", ("Xinhua",)),
        ("SYDNEY, March 3 (AAP) - The Reserve Bank held rates steady.", "sources", ("AAP",)),
        ("This report by The Canadian Press was first published March 3, 2024.", "sources", ("The Canadian Press",)),
        ("[Editor: Meng Jialin]", "editors", ("Meng Jialin",)),
        ("Von Anna Berger", "authors", ("Anna Berger",)),
        ("Par Claire Dumont", "authors", ("Claire Dumont",)),
    ],
)
def test_wire_and_language_formulas(text: str, field: str, names: tuple[str, ...]) -> None:
    # every pack runs here: the body is a mix of languages, which auto-detection would narrow down
    body = "Der Rat tagte am Montag. Le conseil s'est réuni lundi. The council met on Monday."
    article = ALL_PACKS.clean(text + "\n" + body, mode="text")
    assert getattr(article.credits, field) == names, article.credits
    assert body in article.body


@pytest.mark.parametrize(
    "sentence",
    [
        "Die Regierung will die Mittel erhöhen, wie die Deutsche Presse-Agentur berichtete.",
        "Le gouvernement veut augmenter les moyens, selon l'AFP, qui cite un conseiller.",
        "El Gobierno aprobó el plan, según informó la agencia EFE en un comunicado.",
        "Według PAP rząd przyjął plan w poniedziałek po długiej debacie.",
    ],
)
def test_attributions_in_other_languages_are_body(sentence: str) -> None:
    article = cleanarticle.clean("Erster Absatz des Artikels.\n" + sentence, mode="text")
    assert sentence in article.body
