"""Shared hypothesis strategies and settings for the property, hostile and fuzz tests.

Generated articles are built from the rules' own examples (lines each rule is sure to take) and
counterexamples (lines that look like boilerplate but must stay), mixed with generated prose, blank
lines and arbitrary text, joined by every line break the splitter knows. Drawing from the packs keeps
the properties honest as rules are added: a new rule's examples are in the next run without anybody
editing this file.

Settings: the suite must stay fast, so examples are few and the deadline is off (one document can
take tens of milliseconds); with ``CI=true`` the run is derandomized, so CI is reproducible and a
failure there is a failure here. ``CLEANARTICLE_EXAMPLES=N`` raises the count for a long local run.
"""

from __future__ import annotations

import os
from functools import cache

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cleanarticle.layers.dom import load_dom_rules
from cleanarticle.rules import all_rules

CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
_EXAMPLES = int(os.environ.get("CLEANARTICLE_EXAMPLES", "0") or 0)


def profile(max_examples: int) -> settings:
    """Settings for one property: ``max_examples`` (or the env override), no deadline, CI derandomized.

    A settings object per test rather than a global profile, so importing this module never changes
    the settings of anybody else's hypothesis tests.
    """
    return settings(
        max_examples=_EXAMPLES or max_examples,
        deadline=None,
        derandomize=CI,
        database=None if CI else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )


@cache
def boilerplate_lines() -> tuple[str, ...]:
    """Every example of every rule: lines the cleaner is meant to take (block or inline)."""
    return tuple(ex for r in all_rules() for ex in r.examples)


@cache
def lookalike_lines() -> tuple[str, ...]:
    """Every counterexample of every rule: lines that look like boilerplate but are body."""
    return tuple(cx for r in all_rules() for cx in r.counterexamples) or ("The advertisement ran twice.",)


@cache
def dom_containers() -> tuple[str, ...]:
    """Opening tags of containers the DOM layer drops (from the DOM rules' examples)."""
    tags = []
    for rule in load_dom_rules():
        for ex in rule.examples:
            head = ex.split(">", 1)[0] + ">"
            name = head[1:].split()[0].rstrip(">")
            tags.append((head, name))
    return tuple(f"{head}\0{name}" for head, name in tags)


_WORD_TEXT = (
    "the council met on Monday to discuss water pipeline villages minister said reporters officials "
    "according district budget school police court hearing election results rain flood bridge farmers "
    "market prices rose fell percent year week told added spokesperson opposition government plan "
    "advertisement subscribe newsletter follow read more related also inputs PTI Reuters AFP AP IANS "
    "dpa EFE ANSA PAP with from by photo credit copyright 2024 © (c) editor reporting contributed "
    "Werbung Anzeige Publicité Publicidad Mehr zum Thema Lire aussi Leia também Czytaj także "
    "Staff Writer Desk Correspondent – — - : ; , . ! ? ( ) [ ] \" ' “ ” ‘ ’ … / | @ # * _ ~ = +"
)
_WORDS = tuple(_WORD_TEXT.split())

_word = st.sampled_from(_WORDS)
_space = st.sampled_from((" ", " ", " ", "  ", "\t", "\u00a0", "\u2009", " \u200b"))


@st.composite
def prose_lines(draw: st.DrawFn) -> str:
    """A line of news-like prose (sometimes ending without punctuation, like a teaser headline)."""
    words = draw(st.lists(_word, min_size=1, max_size=40))
    seps = draw(st.lists(_space, min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True)).strip()
    end = draw(st.sampled_from((".", ".", ".", "", "!", "?", ":", ".\"", ")")))
    return text[:1].upper() + text[1:] + end


def article_lines() -> st.SearchStrategy[str]:
    """One line of an article: prose, a rule example, a lookalike, blank, or anything at all."""
    return st.one_of(
        prose_lines(),
        st.sampled_from(boilerplate_lines()),
        st.sampled_from(lookalike_lines()),
        st.sampled_from(("", " ", "\t", "\u00a0", "\u3000")),
        st.text(max_size=60).map(lambda s: s.replace("\n", " ").replace("\r", " ")),
        # two boilerplate or prose lines glued onto one paragraph, as scrapers do
        st.tuples(st.one_of(prose_lines(), st.sampled_from(boilerplate_lines())), _space,
                  st.sampled_from(boilerplate_lines())).map("".join),
        # boilerplate with noise around it: case, padding, bullets
        st.tuples(st.sampled_from(("", " ", "* ", "• ", "-- ", "\t")), st.sampled_from(boilerplate_lines()),
                  st.sampled_from(("", " ", ".", " |", "\u00a0"))).map("".join),
        st.sampled_from(boilerplate_lines()).map(str.upper),
    )


_BREAK = st.sampled_from(("\n", "\n", "\n", "\r\n", "\r", "\n\n", "\n \n"))


@st.composite
def articles(draw: st.DrawFn, max_lines: int = 30) -> str:
    """A text-mode article: lines joined by a mix of line breaks (no trailing/leading guarantees)."""
    lines = draw(st.lists(article_lines(), max_size=max_lines))
    if not lines:
        return ""
    breaks = draw(st.lists(_BREAK, min_size=len(lines) - 1, max_size=len(lines) - 1))
    out = [lines[0]]
    for br, line in zip(breaks, lines[1:], strict=True):
        out.append(br)
        out.append(line)
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """A news page: title, article paragraphs, boilerplate paragraphs and DOM containers around them."""
    title = draw(prose_lines())
    blocks = []
    for line in draw(st.lists(article_lines(), min_size=1, max_size=20)):
        tag = draw(st.sampled_from(("p", "p", "p", "div", "h2", "li", "figcaption", "blockquote", "span")))
        body = f"<{tag}>{_escape(line)}</{tag}>"
        if draw(st.integers(0, 5)) == 0:
            head, name = draw(st.sampled_from(dom_containers())).split("\0")
            body = f"{head}{body}</{name}>"
        blocks.append(body)
    wrapper = draw(st.sampled_from(("article", "main", "div", "section")))
    charset = draw(st.sampled_from(("", '<meta charset="utf-8">', '<meta charset="shift_jis">',
                                    '<meta http-equiv="Content-Type" content="text/html; charset=latin-1">')))
    return (
        f"<!DOCTYPE html><html><head>{charset}<title>{_escape(title)}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><{wrapper}><h1>{_escape(title)}</h1>{''.join(blocks)}</{wrapper}>"
        "<footer>© 2024 Example Media</footer></body></html>"
    )


def any_text() -> st.SearchStrategy[str]:
    """Arbitrary strings, weighted towards what breaks parsers: controls, NULs, lone surrogates, tags."""
    tricky = st.sampled_from(
        ("\x00", "\x01", "\x0b", "\x0c", "\x1c", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe",
         "\ud800", "\udfff", "<", ">", "&", "<html>", "<p>", "</p>", "<!--", "-->", "<script>", "<?xml ",
         "\r", "\n", "\r\n", "(", ")", "[", "\\", "advertisement", "(With inputs from PTI)")
    )
    return st.one_of(
        st.text(),
        st.lists(st.one_of(tricky, st.text(max_size=5)), max_size=40).map("".join),
        st.text(alphabet=st.characters(codec=None, categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Po", "Ps", "Pe"))),
    )


def any_bytes() -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, and encodings of text under BOMs and charsets that may or may not be true."""
    boms = st.sampled_from((b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"))
    metas = st.sampled_from((b"", b'<html><head><meta charset="utf-8">', b'<meta charset="shift_jis">',
                             b'<meta charset="utf-16">', b'<?xml version="1.0" encoding="latin-1"?>',
                             b'<meta charset="no-such-codec">'))
    codecs_ = st.sampled_from(("utf-8", "latin-1", "cp1252", "shift_jis", "utf-16-le", "utf-16-be", "gb18030"))
    encoded = st.tuples(st.text(max_size=200), codecs_).map(lambda tc: tc[0].encode(tc[1], "replace"))
    return st.one_of(
        st.binary(max_size=400),
        st.tuples(boms, metas, st.one_of(encoded, st.binary(max_size=100))).map(lambda t: b"".join(t)),
    )
