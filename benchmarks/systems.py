"""The systems the harness can run.

Each system is built by a factory that imports what it needs and returns an
``extract(page, url) -> str | None`` callable, or raises :class:`Unavailable` with a
one-line reason (the harness then skips the system).  ``page`` is the page ``str``
decoded by the harness, or the raw ``bytes`` with ``--feed bytes`` for the systems that
accept bytes (``accepts_bytes``); the others always get the ``str``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Extract = Callable[[str | bytes, str | None], str | None]

REPO_SRC = Path(__file__).resolve().parent.parent / "src"


class Unavailable(Exception):
    """The system cannot run here (not installed, not importable, no API yet)."""


@dataclass
class System:
    name: str
    factory: Callable[[], Extract]
    accepts_bytes: bool
    description: str


# ------------------------------------------------------------------ helpers

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "hr",
    "aside",
    "main",
    "nav",
    "form",
    "address",
}


def html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment, one line per block element (used for readability)."""
    import lxml.html

    if not fragment or not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n" + (el.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _import_error(pkg: str, exc: BaseException) -> Unavailable:
    return Unavailable(f"{pkg} not importable ({type(exc).__name__}: {exc}); pip install the 'bench' extra")


# ------------------------------------------------------------------ factories


def _trafilatura_tuned() -> Extract:
    try:
        import trafilatura
    except ImportError as exc:
        raise _import_error("trafilatura", exc) from exc

    def extract(page: str | bytes, url: str | None) -> str | None:
        return trafilatura.extract(page, include_comments=False, deduplicate=False, output_format="txt")

    return extract


def _trafilatura_default() -> Extract:
    try:
        import trafilatura
    except ImportError as exc:
        raise _import_error("trafilatura", exc) from exc

    def extract(page: str | bytes, url: str | None) -> str | None:
        return trafilatura.extract(page)

    return extract


def import_cleanarticle():  # type: ignore[no-untyped-def]
    """Import cleanarticle, preferring this checkout's ``src/`` over an installed copy."""
    if (REPO_SRC / "cleanarticle" / "__init__.py").is_file() and str(REPO_SRC) not in sys.path:
        sys.path.insert(0, str(REPO_SRC))
    try:
        import cleanarticle
    except Exception as exc:  # ImportError, or an error inside a half-written package
        raise Unavailable(f"cleanarticle not importable ({type(exc).__name__}: {exc})") from exc
    return cleanarticle


def _cleanarticle() -> Extract:
    ca = import_cleanarticle()
    if not callable(getattr(ca, "clean", None)):
        raise Unavailable("cleanarticle has no clean() yet")

    def extract(page: str | bytes, url: str | None) -> str | None:
        return ca.clean(page, url=url).text  # type: ignore[no-any-return]

    return extract


def _cleanarticle_cleaner() -> Extract:
    ca = import_cleanarticle()
    if not callable(getattr(ca, "Cleaner", None)):
        raise Unavailable("cleanarticle has no Cleaner yet")
    cleaner = ca.Cleaner()  # built once, outside timing

    def extract(page: str | bytes, url: str | None) -> str | None:
        return cleaner.clean(page, url=url).text  # type: ignore[no-any-return]

    return extract


def _readability() -> Extract:
    try:
        import readability
    except ImportError as exc:
        raise _import_error("readability-lxml", exc) from exc

    def extract(page: str | bytes, url: str | None) -> str | None:
        return html_fragment_to_text(readability.Document(page, url=url).summary())

    return extract


def _newspaper() -> Extract:
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "nltk is not installed" (only needed for NLP features)
            import newspaper
    except ImportError as exc:
        raise _import_error("newspaper4k", exc) from exc

    def extract(page: str | bytes, url: str | None) -> str | None:
        art = newspaper.Article(url or "http://localhost/", fetch_images=False)
        art.download(input_html=page)
        art.parse()
        return art.text  # type: ignore[no-any-return]

    return extract


def _justext() -> Extract:
    try:
        import justext
    except ImportError as exc:
        raise _import_error("justext", exc) from exc
    # language-independent: the union of all stoplists (as trafilatura's own jusText fallback does)
    stoplist = frozenset().union(*(justext.get_stoplist(lang) for lang in justext.get_stoplists()))

    def extract(page: str | bytes, url: str | None) -> str | None:
        paragraphs = justext.justext(page, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return extract


SYSTEMS: dict[str, System] = {
    s.name: s
    for s in (
        System("cleanarticle", _cleanarticle, True, "cleanarticle.clean(page, url=url).text"),
        System(
            "cleanarticle-cleaner",
            _cleanarticle_cleaner,
            True,
            "one cleanarticle.Cleaner() reused: cleaner.clean(page, url=url).text",
        ),
        System(
            "trafilatura",
            _trafilatura_tuned,
            True,
            'trafilatura.extract(page, include_comments=False, deduplicate=False, output_format="txt")',
        ),
        System(
            "trafilatura-default",
            _trafilatura_default,
            True,
            "trafilatura.extract(page) (defaults: include_comments=True, txt)",
        ),
        System(
            "readability",
            _readability,
            True,
            "readability.Document(page, url=url).summary() -> text via lxml",
        ),
        System(
            "newspaper4k",
            _newspaper,
            False,
            "newspaper.Article(url, fetch_images=False); download(input_html=page); parse(); .text",
        ),
        System("justext", _justext, True, "justext.justext(page, union of all stoplists), non-boilerplate"),
    )
}

DEFAULT_SYSTEMS = [
    "cleanarticle",
    "trafilatura",
    "trafilatura-default",
    "readability",
    "newspaper4k",
    "justext",
]
BASELINE = "trafilatura"
