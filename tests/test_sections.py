"""The section filters in layers/blocks.py: repeated copies of the text, trailing company boilerplate,
and the guard that keeps a line of code from opening a related-links list. All text is invented."""

from __future__ import annotations

import pytest

from cleanarticle import Cleaner

CLEANER = Cleaner()

ARTICLE = [
    "The harbour authority in Kestrel Bay approved a plan on Tuesday to rebuild the old north pier by 2027, "
    "ending two years of argument over whether the structure should be repaired, replaced or pulled down.",
    "The pier, built in 1911, was closed to the public last spring after divers found cracks in its piles, and "
    "a survey commissioned by the authority concluded that patching them would only buy a few more years.",
    "Fishermen who moor at the pier said the closure had cost them customers and made deliveries slower, "
    "because lorries now have to queue at the south quay behind the ferries during the busiest hours.",
    "The rebuild will cost about 14 million pounds, most of it paid for by a regional infrastructure fund, "
    "with the rest raised through higher mooring fees that the authority will phase in over five years.",
    "Work is due to start in the autumn, once the summer ferry season is over and the moorings are moved, "
    "and the authority expects the new pier to carry heavier vehicles than the old one ever could.",
]
# (each paragraph about 200 characters: a repeated copy must hold at least 800 characters in all)


def clean(lines: list[str]):  # type: ignore[no-untyped-def]
    return CLEANER.clean("\n\n".join(lines), mode="text")


def rules_of(article) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.rule for r in article.removed]


# ------------------------------------------------------------------ section.repeated-copy


def test_a_second_copy_of_the_article_is_removed() -> None:
    article = clean([*ARTICLE, "Share this story", *ARTICLE[:4]])
    assert list(article.body) == ARTICLE
    assert rules_of(article).count("section.repeated-copy") == 4


def test_a_repeated_copy_must_repeat_in_order() -> None:
    shuffled = [ARTICLE[3], ARTICLE[0], ARTICLE[2], ARTICLE[1]]
    article = clean([*ARTICLE, *shuffled])
    assert "section.repeated-copy" not in rules_of(article)
    assert list(article.body) == ARTICLE + shuffled


def test_three_repeated_paragraphs_are_not_a_copy() -> None:
    article = clean([*ARTICLE, *ARTICLE[:3]])
    assert "section.repeated-copy" not in rules_of(article)
    assert list(article.body) == ARTICLE + ARTICLE[:3]


def test_repeated_short_recipe_headings_stay() -> None:
    lines = [
        "Before the workout",
        "Oats cooked in milk with a sliced banana and a spoonful of peanut butter, eaten an hour before training.",
        "After the workout",
        "Grilled chicken with rice and steamed greens, or a lentil stew for a vegetarian day of the plan.",
        "Day two",
        "Before the workout",
        "Greek yoghurt with honey, walnuts and berries, which is lighter on the stomach than a cooked breakfast.",
        "After the workout",
        "Baked salmon with potatoes and peas, with a glass of milk if the session ran longer than an hour.",
        "Snacks for both days",
    ]
    article = clean(lines)
    assert list(article.body) == lines
    assert not any(r.startswith("section.") for r in rules_of(article))


def test_the_same_question_to_every_guest_stays() -> None:
    question = "What is the one book you would take to a desert island?"
    lines = [
        "We asked three authors at the Kestrel Bay book festival the same question.",
        "First, the poet:",
        question,
        "A field guide to seabirds, because I would finally have the time to learn every one of them by sight.",
        "Then the novelist:",
        question,
        "A very long Russian novel that I have started four times and never finished, out of pure stubbornness.",
        "And the editor:",
        question,
        "A blank notebook and a pencil, which I know is cheating, but somebody has to write the next one.",
    ]
    article = clean(lines)
    assert list(article.body) == lines
    assert "section.repeated-copy" not in rules_of(article)


# ------------------------------------------------------------------ section.company-boilerplate

COMPANY = "Brightwell Analytics is a leading provider of tide-forecasting software for ports and harbour operators."
COMPANY_MORE = "Brightwell Analytics is headquartered in Kestrel Bay and employs 240 people in four countries."
INFO = "For more information, visit the company website."


def test_trailing_company_boilerplate_is_removed() -> None:
    article = clean([*ARTICLE, COMPANY, COMPANY_MORE, INFO])
    assert list(article.body) == ARTICLE
    assert rules_of(article).count("section.company-boilerplate") == 3


def test_company_sentence_mid_article_stays() -> None:
    lines = [*ARTICLE[:2], COMPANY, *ARTICLE[2:]]
    article = clean(lines)
    assert list(article.body) == lines
    assert "section.company-boilerplate" not in rules_of(article)


def test_company_sentence_followed_by_other_prose_stays() -> None:
    closing = "The harbour master said the new forecasts had already saved two pilots a wasted night."
    lines = [*ARTICLE, COMPANY, closing]
    article = clean(lines)
    assert list(article.body) == lines
    assert "section.company-boilerplate" not in rules_of(article)


def test_company_sentence_in_a_short_text_stays() -> None:
    lines = [ARTICLE[0], ARTICLE[1], COMPANY]
    article = clean(lines)
    assert list(article.body) == lines
    assert "section.company-boilerplate" not in rules_of(article)


# ------------------------------------------------------------------ lists: a label opening a brace

CODE = ['"name": "north pier",', '"opened": 1911,', '"status": "closed for repairs",', "}"]


@pytest.mark.parametrize("label", ["Related: {", '"Comments": {'])
def test_a_label_that_opens_a_brace_does_not_open_a_list(label: str) -> None:
    article = clean([ARTICLE[0], label, *CODE, ARTICLE[1]])
    assert not any(r.startswith("list.") for r in rules_of(article))
    for line in CODE:
        assert line in article.body


def test_the_same_lines_under_a_plain_label_are_taken_as_a_list() -> None:
    # proves the test above can fail: without the brace the label opens a list and takes the lines
    article = clean([ARTICLE[0], "Related", *CODE[:3], ARTICLE[1]])
    assert rules_of(article).count("list.teaser") == 3
    assert list(article.body) == [ARTICLE[0], ARTICLE[1]]


# ------------------------------------------------------------------ headline.title-echo (HTML mode)

TITLE = "Kestrel Bay votes to rebuild its old north pier"


def _page(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{TITLE}</title></head><body><article>{body}</article></body></html>"


def test_the_title_repeated_at_the_bottom_is_removed() -> None:
    article = CLEANER.clean(_page([*ARTICLE, TITLE, TITLE]), mode="html")
    assert TITLE not in article.body
    assert rules_of(article).count("headline.title-echo") == 2


def test_a_short_title_repeated_as_a_heading_stays() -> None:
    page = _page([*ARTICLE[:3], "North pier", *ARTICLE[3:]]).replace(TITLE, "North pier")
    article = CLEANER.clean(page, mode="html")
    assert "North pier" in article.body
    assert "headline.title-echo" not in rules_of(article)
