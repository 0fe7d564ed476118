"""The public API: configuration, the filter chain, results, errors."""

from __future__ import annotations

import dataclasses
import json
import pickle
import unicodedata
from collections.abc import Iterable, Mapping

import pytest

import cleanarticle
from cleanarticle import (
    Article,
    Cleaner,
    ConfigError,
    DecodeError,
    Finding,
    InputTooLargeError,
    InputTypeError,
    Kind,
    TextContext,
    TextFilter,
    UnknownFilterError,
    whole_line,
)
from cleanarticle.article import Metadata

TEXT = (
    "advertisement\n"
    "The council met on Monday to approve the budget for the new library.\n"
    "Also Read: Mayor opens the new bridge\n"
    "Residents said they had waited ten years for the building.\n"
    "(With inputs from PTI)\n"
)

PAGE = """<!DOCTYPE html><html><head><title>Library budget approved</title></head><body>
<header><nav><a href="/">Home</a></nav></header>
<article><h1>Library budget approved</h1>
<p>The council met on Monday to approve the budget for the new library in the old market hall.</p>
<div class="ad-slot" id="div-gpt-ad-1-0"><p>Advertisement</p></div>
<p>Residents said they had waited ten years for the building, and that the reading rooms would be full.</p>
<aside class="newsletter-signup"><p>Sign up for our morning newsletter</p></aside>
<p>Construction is due to start in the spring and to last about eighteen months, the council said.</p>
<p>(With inputs from PTI)</p>
</article></body></html>"""


def test_clean_text_mode() -> None:
    article = cleanarticle.clean(TEXT)
    assert article.mode == "text"
    assert article.body == (
        "The council met on Monday to approve the budget for the new library.",
        "Residents said they had waited ten years for the building.",
    )
    assert [r.kind for r in article.removed] == [Kind.AD, Kind.RELATED, Kind.CREDIT]
    assert article.credits.sources == ("PTI",)
    assert article.text == "\n".join(article.body)


def test_removals_explain_themselves() -> None:
    article = cleanarticle.clean(TEXT)
    ad = article.removed[0]
    assert (ad.filter, ad.rule, ad.start, ad.end, ad.paragraph) == ("blocks", "en.ad.marker", 0, 13, 0)
    assert TEXT[ad.start : ad.end] == ad.text


def test_html_mode_dom_extraction_and_text_layers() -> None:
    article = cleanarticle.clean(PAGE.encode("utf-8"), url="https://example.com/a")
    assert article.mode == "html"
    assert article.body == (
        "The council met on Monday to approve the budget for the new library in the old market hall.",
        "Residents said they had waited ten years for the building, and that the reading rooms would be full.",
        "Construction is due to start in the spring and to last about eighteen months, the council said.",
    )
    dom = [r for r in article.removed if r.filter == "dom"]
    assert [(r.kind, r.text) for r in dom] == [
        (Kind.AD, "Advertisement"),
        (Kind.NEWSLETTER, "Sign up for our morning newsletter"),
    ]
    assert all(r.start is None for r in dom)
    assert article.credits.sources == ("PTI",)
    assert article.metadata.title == "Library budget approved"
    assert article.metadata.url == "https://example.com/a"


BYLINE_PAGE = """<html><head><title>Harbour cranes return</title>
<meta name="description" content="The port brings back its old cranes.">
<meta property="article:published_time" content="2024-03-05T09:00:00Z"></head>
<body><article><h1>Harbour cranes return</h1>
<div class="byline">By <a class="author-name" href="/staff/ana-ruiz">Ana Ruiz</a></div>
<p>The port authority said on Tuesday that the two restored cranes would be lifted back onto the quay next week.</p>
<p>Volunteers spent four winters stripping the rust and replacing the cabins, the authority said in a statement.</p>
<p>The cranes will not load ships again but will be lit at night and open for guided climbs in the summer.</p>
</article></body></html>"""


def test_fast_metadata_reads_what_the_page_declares() -> None:
    meta = Cleaner().clean(BYLINE_PAGE, url="https://port.example/cranes").metadata
    assert meta.title == "Harbour cranes return"
    assert meta.description == "The port brings back its old cranes."
    assert meta.date == "2024-03-05"
    assert meta.hostname == "port.example"
    assert meta.author is None  # only in the markup's byline: the fast path does not search it


_JSON_LD_PAGE = """<html><head><script type="application/ld+json">{SCRIPT}</script></head><body>
<article><p>The harbour authority said the two restored cranes would be back in service by spring.</p>
<p>Engineers spent eighteen months replacing the cables and the cabins of both machines.</p></article>
</body></html>"""


@pytest.mark.parametrize(
    "script",
    [
        # pretty-printed, as most sites print it: parsed as it is
        '{\n  "@context": "https://schema.org",\n  "@type": "NewsArticle",\n'
        '  "headline": "Cranes   back in service",\n  "author": {"@type": "Person", "name": "Ana  Ruiz"}\n}',
        # broken JSON (a trailing comma): trafilatura's regex fallback reads the minified text
        '{ "@type": "NewsArticle", "headline": "Cranes   back in service",\n'
        '  "author": { "@type": "Person", "name": "Ana  Ruiz" }, }',
    ],
)
def test_json_ld_metadata_reads_as_trafilatura_reads_it(script: str) -> None:
    from trafilatura.metadata import extract_meta_json
    from trafilatura.settings import Document

    from cleanarticle.layers.extract import _meta_json, parse_html

    page = _JSON_LD_PAGE.replace("{SCRIPT}", script)
    ours, theirs = _meta_json(parse_html(page), Document()), extract_meta_json(parse_html(page), Document())
    assert ours.author == theirs.author == "Ana Ruiz"
    assert ours.title == theirs.title


_RIVER = [
    f"Paragraph {i} tells how the river rose after nine days of rain and the council met to plan repairs."
    for i in range(4)
]


@pytest.mark.parametrize(
    "body",
    [
        json.dumps("\n".join(_RIVER)),  # plain text, one paragraph per line
        json.dumps("".join(f"<p>{p}</p>" for p in _RIVER)),  # markup inside the value
        json.dumps("".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in _RIVER)),  # escaped markup
    ],
)
def test_a_page_showing_only_a_caption_gives_the_body_its_json_ld_declares(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a script-rendered page: trafilatura's cascade settles on the caption (its own JSON
    fallback only runs below its floor, before trimming), so the text is next to nothing."""
    import trafilatura

    real = trafilatura.bare_extraction

    def caption_only(tree: object, **kwargs: object) -> object:
        doc = real(tree, **kwargs)
        if not kwargs.get("favor_recall"):
            doc.text = "The river at dawn. Photo: AP"
        return doc

    monkeypatch.setattr(trafilatura, "bare_extraction", caption_only)
    page = (
        '<html><head><script type="application/ld+json">'
        f'{{"@graph": [{{"@type": "WebPage"}}, {{"@type": "NewsArticle", "articleBody": {body}}}]}}'
        "</script></head><body><figure><figcaption>The river at dawn. Photo: AP</figcaption></figure>"
        '<div id="app"></div></body></html>'
    )
    assert Cleaner().clean(page).body == tuple(_RIVER)


def test_a_long_extraction_ignores_the_declared_body() -> None:
    page = _JSON_LD_PAGE.replace("{SCRIPT}", json.dumps({"@type": "NewsArticle", "articleBody": "Declared only."}))
    page = page.replace("</article>", "".join(f"<p>{p}</p>" for p in _RIVER) + "</article>")
    body = Cleaner().clean(page).body
    assert "Declared only." not in body and body[-1] == _RIVER[-1]


def test_an_article_trafilatura_takes_for_an_aside_is_recalled() -> None:
    """The precision pass drops an ``<aside>``; with next to nothing left, the recall pass runs."""
    page = "<html><body><h1>River</h1><aside>" + "".join(f"<p>{p}</p>" for p in _RIVER) + "</aside></body></html>"
    assert Cleaner().clean(page).body[-4:] == tuple(_RIVER)


def test_declared_body_takes_the_longest_and_skips_broken_json() -> None:
    from cleanarticle.layers.extract import declared_body, parse_html

    scripts = [
        '{"@type": "NewsArticle", "articleBody": "Short."}',
        '{"@type": "NewsArticle", "articleBody": "A longer body,\nin two lines."}',
        '{"articleBody": "broken", }',
        '[{"@type": "Review", "reviewBody": "x"}]',
    ]
    head = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    assert declared_body(parse_html(f"<html><head>{head}</head><body></body></html>")) == "A longer body,\nin two lines."
    assert declared_body(parse_html("<html><body><p>No JSON-LD.</p></body></html>")) == ""


def test_full_metadata_searches_the_markup_and_cleans_the_same() -> None:
    fast = Cleaner().clean(BYLINE_PAGE, url="https://port.example/cranes")
    full = Cleaner(metadata="full").clean(BYLINE_PAGE, url="https://port.example/cranes")
    assert full.metadata.author == "Ana Ruiz"
    assert full.metadata.title == fast.metadata.title and full.metadata.date == fast.metadata.date
    assert full.body == fast.body and full.removed == fast.removed


def test_fast_metadata_reads_declared_dates_only_full_searches_the_text() -> None:
    """A date written only in the prose ("Last edited on 14 May 2023") is found by htmldate's
    extensive search, which metadata="full" runs (as trafilatura does); the default "fast" level
    runs the quick search only (the extensive one costs 4 to 20 ms a page), and cleans the same."""
    prose = "<p>" + "The council met to discuss the new bridge and the budget for the year ahead. " * 6 + "</p>"
    page = (
        "<html><head><title>Bridge plan</title></head><body><article><h1>Bridge plan</h1>"
        f"{prose}<p>Last edited on 14 May 2023 by the desk.</p></article></body></html>"
    )
    fast = Cleaner().clean(page, mode="html")
    full = Cleaner(metadata="full").clean(page, mode="html")
    assert fast.metadata.date is None and full.metadata.date == "2023-05-14"
    assert fast.body == full.body
    declared = page.replace("<head>", '<head><meta property="article:published_time" content="2023-05-12">')
    assert Cleaner().clean(declared, mode="html").metadata.date == "2023-05-12"


def test_metadata_level_is_checked_and_survives_pickling() -> None:
    with pytest.raises(ConfigError, match="metadata must be"):
        Cleaner(metadata="some")  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(Cleaner(metadata="full"))).metadata == "full"


def test_html_without_dom_layer_keeps_marker_for_text_layer() -> None:
    article = Cleaner(disable={"dom"}).clean(PAGE)
    assert all(r.filter != "dom" for r in article.removed)


def test_same_input_same_output() -> None:
    assert cleanarticle.clean(TEXT) == cleanarticle.clean(TEXT)
    assert cleanarticle.clean(PAGE) == cleanarticle.clean(PAGE)


def test_round_trip_through_json() -> None:
    article = cleanarticle.clean(PAGE)
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again == article


def test_text_without_boilerplate_is_unchanged() -> None:
    text = "The first paragraph of a plain story.\nThe second paragraph, also plain."
    article = cleanarticle.clean(text)
    assert article.body == tuple(text.splitlines())
    assert article.removed == () and not article.credits


def test_empty_input_gives_empty_article() -> None:
    assert cleanarticle.clean("").body == ()
    assert cleanarticle.clean(b"").body == ()


def test_filter_names_and_disable() -> None:
    cleaner = Cleaner()
    assert cleaner.filter_names[0] == "dom" and "inline" in cleaner.filter_names
    without_inline = cleaner.without("inline")
    assert "inline" not in without_inline.filter_names
    text = "The minister said the bridge would open in May. (With inputs from PTI)"
    assert without_inline.clean(text).body == (text,)
    assert cleaner.filter_names == Cleaner().filter_names  # the original is untouched


def test_unknown_filter_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownFilterError, match="inline") as info:
        Cleaner(disable={"inlien"})
    assert "inlien" in str(info.value)
    assert isinstance(info.value, KeyError) and isinstance(info.value, ConfigError)


def test_unknown_rule_id_and_language() -> None:
    with pytest.raises(ConfigError, match="unknown rule ids"):
        Cleaner(disable_rules={"en.nope"})
    with pytest.raises(ConfigError, match="no rule pack"):
        Cleaner(languages=("xx",))


def test_disable_rule() -> None:
    article = Cleaner(disable_rules={"en.ad.marker"}).clean(TEXT)
    assert article.body[0] == "advertisement"


def test_user_rule() -> None:
    cleaner = Cleaner().with_rules(
        {
            "id": "en.other.house-promo",
            "kind": "other",
            "pattern": r"^Read our special report on\b",
            "examples": ["Read our special report on floods"],
        }
    )
    article = cleaner.clean("Read our special report on floods\nThe river rose overnight.")
    assert article.body == ("The river rose overnight.",)
    assert article.removed[0].rule == "en.other.house-promo"


class ShoutFilter(TextFilter):
    """Removes lines written entirely in capitals (a user's own filter)."""

    name = "shouting"

    def find(self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]) -> Iterable[Finding]:
        for line in ctx.lines:
            if line.text and line.text.isupper() and line.index not in decided:
                yield whole_line(line, Kind.OTHER, "shouting.all-caps", self.name)


def test_user_filter_placed_in_chain() -> None:
    cleaner = Cleaner().with_filter(ShoutFilter(), before="inline")
    names = cleaner.filter_names
    assert names.index("shouting") == names.index("inline") - 1
    article = cleaner.clean("BREAKING NEWS TICKER\nThe river rose overnight.")
    assert article.body == ("The river rose overnight.",)
    assert article.removed[0].filter == "shouting"
    with pytest.raises(UnknownFilterError):
        Cleaner().with_filter(ShoutFilter(), after="nowhere")


def test_cleaner_is_immutable_and_picklable() -> None:
    cleaner = Cleaner(languages=("en",), timeout=5.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cleaner.timeout = 1.0  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.filter_names == cleaner.filter_names
    assert copy.clean(TEXT) == cleaner.clean(TEXT)


def test_bad_input_types_and_bytes() -> None:
    with pytest.raises(InputTypeError):
        cleanarticle.clean(12)  # type: ignore[arg-type]
    with pytest.raises(DecodeError):
        cleanarticle.clean(b"caf\xe9 au lait\nsecond line", mode="text")
    article = Cleaner(errors="replace").clean(b"caf\xe9 au lait", mode="text")
    assert article.body == ("caf\ufffd au lait",)
    assert Cleaner(encoding="latin-1").clean(b"caf\xe9", mode="text").body == ("café",)
    with pytest.raises(InputTooLargeError):
        Cleaner(max_input_chars=10).clean("x" * 11)


def test_bytes_html_with_declared_charset() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><article><p>{}</p></article></body></html>'
    body = "Le café du marché a rouvert ses portes lundi matin après six mois de travaux importants."
    article = cleanarticle.clean(page.format(body).encode("latin-1"))
    assert article.body == (body,)


def test_config_errors() -> None:
    with pytest.raises(ConfigError):
        Cleaner(mode="pdf")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        Cleaner(timeout=0)
    with pytest.raises(ConfigError):
        Cleaner(errors="ignore")


def test_html_text_comes_out_nfc_like_trafilatura_extract() -> None:
    decomposed = unicodedata.normalize("NFD", "Die Brücke über den Fluss wurde geprüft und für sicher erklärt, sagte die Stadt.")
    page = f"<html><body><article><p>{decomposed}</p><p>{decomposed}</p></article></body></html>"
    body = Cleaner().clean(page, mode="html").body
    assert body and all(p == unicodedata.normalize("NFC", p) for p in body)
    assert "geprüft" in body[0]


SHY = "Die Stadt\u00adverwaltung teilte mit, dass die Sanierung der Brücke im Frühjahr beginnt und bis zum Herbst dauert."
ZWNJ = "می\u200cخواهم این متن را بنویسم و این یک جمله طولانی برای آزمایش است که باید در متن باقی بماند."


@pytest.mark.parametrize("level", ["fast", "full"])
def test_format_characters_survive_extraction(level: str) -> None:
    """Soft hyphens and zero-width joiners are text: trafilatura alone drops every one of them."""
    title = "Stadt\u00adverwaltung plant neue Brücke"
    page = (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{SHY}</p><p>{ZWNJ}</p><p>{SHY} Noch ein Satz.</p></article></body></html>"
    )
    article = Cleaner(metadata=level).clean(page, mode="html")  # type: ignore[arg-type]
    assert article.body == (SHY, ZWNJ, SHY + " Noch ein Satz.")
    assert article.metadata.title == title
    assert [r.rule for r in article.removed] == ["headline.repeated-title"]  # the title still compares equal


def test_a_page_holding_a_stand_in_is_left_as_trafilatura_reads_it() -> None:
    stand_in = chr(0x1D300)
    page = f"<html><body><article><p>{SHY} {stand_in}</p><p>{SHY}</p></article></body></html>"
    body = Cleaner().clean(page, mode="html").body
    assert stand_in in body[0]  # nothing is swapped back into a character the page did not have
    assert all("\u00ad" not in p for p in body)


def test_clear_caches_changes_speed_never_results() -> None:
    cleaner = Cleaner()
    first = (cleaner.clean(TEXT), cleaner.clean(PAGE))
    rulesets = [cleaner.ruleset, *cleaner._subsets.values()]  # type: ignore[attr-defined]
    dispatches = [d for rs in rulesets for d in rs._dispatch.values()]
    assert any(d._cache for d in dispatches)  # paragraphs were remembered
    cleaner.clear_caches()
    assert not any(d._cache for d in dispatches)
    assert (cleaner.clean(TEXT), cleaner.clean(PAGE)) == first


def test_a_failing_metadata_reader_does_not_cost_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleanarticle.layers import extract

    def broken(tree: object, url: str | None) -> object:
        raise KeyError("a reader tripped on the page")

    monkeypatch.setattr(extract, "_fast_metadata", broken)
    article = Cleaner().clean(PAGE, url="https://example.com/a")
    assert article.body == cleanarticle.clean(PAGE, url="https://example.com/a").body
    assert article.metadata == Metadata(url="https://example.com/a")


def test_scripts_and_styles_go_before_extraction_and_their_tails_stay() -> None:
    """Scripts and style sheets are deleted before trafilatura copies the tree (every trafilatura
    path deletes them anyway); the text after an inline script stays where it was."""
    import trafilatura

    page = (
        "<html><head><style>p { color: red }</style>"
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "Quay wall repaired", "author": {"@type": "Person", "name": "Ana Ruiz"}}</script>'
        "</head><body><article><p>The quay wall was repaired<script>track('quay');</script> in six weeks, "
        "the port authority said on Tuesday, ahead of the summer season.</p>"
        "<p>Divers inspected the foundations<style>.x{}</style> before the work began in April.</p>"
        "</article></body></html>"
    )
    article = Cleaner().clean(page, mode="html")
    expected = trafilatura.extract(page, include_comments=False, deduplicate=False) or ""
    assert article.text == expected
    assert "track(" not in article.text and "color" not in article.text
    assert "repaired in six weeks" in article.text
    assert article.metadata.author == "Ana Ruiz"  # JSON-LD read before the scripts go
