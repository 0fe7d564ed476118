"""Extraction layer: trafilatura finds the main content of the pruned tree, one paragraph per line.

The tree is parsed once (:func:`parse_html`) and handed to the DOM layer and then to trafilatura,
which accepts an lxml tree as it is. Comments are off and trafilatura's process-wide deduplication
cache is never used: the same page must always give the same text.
"""

from __future__ import annotations

from typing import Any

from lxml import etree, html

from cleanarticle.article import Metadata
from cleanarticle.errors import CleanArticleError


class ParseError(CleanArticleError, ValueError):
    """The HTML could not be parsed into a tree at all."""


def parse_html(text: str, warnings: list[str] | None = None) -> Any:
    """The lxml tree of a page, always rooted at ``<html>``; what went wrong in parsing goes to ``warnings``.

    Parsed like trafilatura's own loader (same parser options, same repairs), with three differences
    that each stopped a hostile page from losing text in silence:

    - a parser per call, so its error log belongs to this document (trafilatura shares one parser);
    - libxml2 stops at a resource limit (a text node over 10 MB, nesting deeper than 255 levels) and
      returns what it had: a page with a 10 MB inline script lost everything after it. A text-node
      limit is retried with ``huge_tree``; the depth limit is kept, because trafilatura's cost grows
      with the square of the depth, and the text cut off there is reported in ``warnings``;
    - a fragment (``<p>...</p>``) is parsed as a document rather than refused.
    """
    from trafilatura.utils import repair_faulty_html  # imported late: `import cleanarticle` stays light

    text = repair_faulty_html(text, text[:50].lower())
    tree, limit = _parse(text, huge=False)
    if limit is not None and "depth" not in limit.lower():
        tree, limit = _parse(text, huge=True)
    if limit is not None and warnings is not None:
        warnings.append(f"the HTML parser stopped early ({limit.strip()}); the text after that point is missing")
    _drop_payloads(tree)
    return tree


#: Inline payloads longer than this (script or style text, attribute values such as data: URIs) are
#: emptied before anything reads the tree. They never hold article text; htmldate's date search crawled
#: through them at about a second per MB (and found "dates" in base64), and their length hid the
#: article's share of the page from the DOM layer's guard.
MAX_PAYLOAD_CHARS = 1_000_000
#: Scripts trafilatura reads metadata from; kept whatever their size.
_METADATA_SCRIPTS = frozenset({"application/ld+json", "application/settings+json"})


def _drop_payloads(tree: Any) -> None:
    n = MAX_PAYLOAD_CHARS
    for el in tree.xpath(f"//script[string-length(.) > {n}] | //style[string-length(.) > {n}]"):
        if (el.get("type") or "").strip().lower() not in _METADATA_SCRIPTS:
            for child in list(el):
                el.remove(child)
            el.text = ""
    for value in tree.xpath(f"//@*[string-length(.) > {n}]"):
        value.getparent().set(value.attrname, "")


def _parse(text: str, *, huge: bool) -> tuple[Any, str | None]:
    """The tree and the message of the resource limit libxml2 hit, if it hit one."""
    parser = html.HTMLParser(
        huge_tree=huge,
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    try:
        try:
            tree = html.document_fromstring(text, parser=parser)
        except ValueError:  # a str with an XML encoding declaration; the parser's utf-8 overrides it
            tree = html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except etree.ParserError:  # "Document is empty": nothing but whitespace, comments or stray end tags
        tree = html.document_fromstring("<html><body></body></html>")
    limits = [e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    return tree, (limits[0] if limits else None)


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
