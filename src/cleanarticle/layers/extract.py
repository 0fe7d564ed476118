"""Extraction layer: trafilatura finds the main content of the pruned tree, one paragraph per line.

The tree is parsed once (:func:`parse_html`) and handed to the DOM layer and then to trafilatura,
which accepts an lxml tree as it is. Comments are off and trafilatura's process-wide deduplication
cache is never used: the same page must always give the same text.
"""

from __future__ import annotations

from typing import Any

from cleanarticle.article import Metadata
from cleanarticle.errors import CleanArticleError


class ParseError(CleanArticleError, ValueError):
    """The HTML could not be parsed into a tree at all."""


def parse_html(text: str) -> Any:
    """The lxml tree of a page (trafilatura's loader: tolerant, and what its extractor expects)."""
    from trafilatura.utils import load_html  # imported late: `import cleanarticle` stays light

    tree = load_html(text)
    if tree is None:
        raise ParseError("the page could not be parsed as HTML")
    return tree


def extract(tree: Any, *, url: str | None = None, include_tables: bool = True) -> tuple[str, Metadata]:
    """Main text and metadata of ``tree``. An empty string when trafilatura finds no main content."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=include_tables,
        with_metadata=True,
        deduplicate=False,
    )
    if doc is None or isinstance(doc, dict):
        return "", Metadata(url=url)
    return doc.text or "", _metadata(doc, url)


def _metadata(doc: Any, url: str | None) -> Metadata:
    def _str(value: Any) -> str | None:
        return str(value) if value else None

    def _tuple(value: Any) -> tuple[str, ...]:
        if not value:
            return ()
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        return tuple(str(v) for v in value)

    return Metadata(
        title=_str(doc.title),
        author=_str(doc.author),
        date=_str(doc.date),
        sitename=_str(doc.sitename),
        url=_str(doc.url) or url,
        hostname=_str(doc.hostname),
        language=_str(doc.language),
        description=_str(doc.description),
        categories=_tuple(doc.categories),
        tags=_tuple(doc.tags),
    )
