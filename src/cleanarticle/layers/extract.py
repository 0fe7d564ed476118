"""Extraction layer: trafilatura finds the main content of the pruned tree, one paragraph per line.

The tree is parsed once (:func:`parse_html`) and handed to the DOM layer and then to trafilatura,
which accepts an lxml tree as it is. Comments are off and trafilatura's process-wide deduplication
cache is never used: the same page must always give the same text.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from typing import Any

from lxml import etree, html

from cleanarticle.article import Metadata
from cleanarticle.errors import CleanArticleError
from cleanarticle.layers.dom import drop_keeping_tail
from cleanarticle.source import sanitize_for_html


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

    Characters XML cannot hold (NUL, C0 controls, lone surrogates) are deleted first, as trafilatura does.
    """
    text = _repair_faulty_html(sanitize_for_html(text))
    tree, limit = _parse(text, huge=False)
    if limit is not None and "depth" not in limit.lower():
        tree, limit = _parse(text, huge=True)
    if limit is not None and warnings is not None:
        warnings.append(f"the HTML parser stopped early ({limit.strip()}); the text after that point is missing")
    if len(text) > MAX_PAYLOAD_CHARS:  # decoding entities never lengthens: a shorter page has no payload that long
        _drop_payloads(tree)
    return tree


def _repair_faulty_html(text: str) -> str:
    """The repairs trafilatura's loader makes before libxml2 sees a page, minus the one already done.

    A DOCTYPE written as a self-closing tag is dropped from the first line, and a self-closing
    ``<html .../>`` in the first four lines is opened (libxml2 would otherwise see an empty
    document). trafilatura also deletes the characters XML cannot hold, which ``parse_html`` has
    done already (``source.sanitize_for_html``): a second pass over the page cost 1.3 ms.
    """
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML  # imported late: `import cleanarticle` stays light

    if "doctype" in text[:50].lower():
        first, _, rest = text.partition("\n")
        text = DOCTYPE_TAG.sub("", first, count=1) + "\n" + rest
    for line in text[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", text, count=1)
    return text


#: Inline payloads longer than this (script or style text, attribute values such as data: URIs) are
#: emptied before anything reads the tree. They never hold article text; htmldate's date search crawled
#: through them at about a second per MB (and found "dates" in base64), and their length hid the
#: article's share of the page from the DOM layer's guard.
MAX_PAYLOAD_CHARS = 1_000_000
#: Scripts trafilatura reads metadata from; kept whatever their size.
_METADATA_SCRIPTS = frozenset({"application/ld+json", "application/settings+json"})
_METADATA_TYPE_TEST = " or ".join(f"@type='{t}'" for t in sorted(_METADATA_SCRIPTS))
_HUGE_SCRIPTS = etree.XPath(
    f"//script[string-length(.) > {MAX_PAYLOAD_CHARS}] | //style[string-length(.) > {MAX_PAYLOAD_CHARS}]"
)
_HUGE_ATTRIBUTES = etree.XPath(f"//@*[string-length(.) > {MAX_PAYLOAD_CHARS}]")


def _drop_payloads(tree: Any) -> None:
    for el in _HUGE_SCRIPTS(tree):
        if (el.get("type") or "").strip().lower() not in _METADATA_SCRIPTS:
            for child in list(el):
                el.remove(child)
            el.text = ""
    for value in _HUGE_ATTRIBUTES(tree):
        value.getparent().set(value.attrname, "")


#: Every element an ``HtmlElement``, decided in C. lxml.html's own lookup is a Python method called
#: for every element proxy created, by us and by trafilatura walking the tree (about 3,000 calls a
#: page); it only adds form-control subclasses (``InputElement``...) that nothing here uses.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction, entity=html.HtmlEntity
)


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
    parser.set_element_class_lookup(_HTML_CLASSES)
    try:
        try:
            tree = html.document_fromstring(text, parser=parser)
        except ValueError:  # a str with an XML encoding declaration; the parser's utf-8 overrides it
            tree = html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except etree.ParserError:  # "Document is empty": nothing but whitespace, comments or stray end tags
        tree = html.document_fromstring("<html><body></body></html>")
    limits = [e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    return tree, (limits[0] if limits else None)


#: How much metadata HTML mode reads (``Cleaner(metadata=...)``).
METADATA_LEVELS = ("fast", "full")


def extract(
    tree: Any, *, url: str | None = None, include_tables: bool = True, metadata: str = "fast"
) -> tuple[str, Metadata]:
    """Main text and metadata of ``tree``. An empty string when trafilatura finds no main content.

    ``metadata="fast"`` reads what the page declares (meta tags, JSON-LD, ``<title>``/``<h1>``,
    canonical URL, site name) and htmldate's quick date search; ``"full"`` is trafilatura's complete
    search, which also hunts the markup for author names, categories and tags and searches the
    whole page for a date (10 to 30 ms more a page).
    """
    import trafilatura

    full = metadata == "full"
    restore = _shield_format_characters(tree)
    fast_meta = None if full else _fast_metadata_or_url(tree, url)  # before extraction reads the tree
    if not full:
        _drop_code(tree)
    options: dict[str, Any] = {"url": url, "include_comments": False, "include_tables": include_tables, "deduplicate": False}
    doc = trafilatura.bare_extraction(tree, with_metadata=full, **options)
    text = "" if doc is None or isinstance(doc, dict) else doc.text or ""
    if len(text) < MIN_EXTRACTED_CHARS:  # next to nothing found: see _short_extraction_rescue
        text = _short_extraction_rescue(tree, text, options)
    # NFC, as trafilatura.extract returns it: a page in decomposed form ("u" + combining diaeresis)
    # would otherwise give text that does not compare equal to the same words typed normally
    text = unicodedata.normalize("NFC", text.translate(restore) if restore else text)
    if fast_meta is not None:
        meta = fast_meta
    elif doc is None or isinstance(doc, dict):
        return "", Metadata(url=url)
    else:
        meta = _metadata(doc, url)
    if restore:
        meta = Metadata(**{k: _restored(v, restore) for k, v in meta.to_dict().items()})
    return text, meta


#: Below this many characters an extraction found next to nothing (trafilatura's own floor,
#: ``MIN_EXTRACTED_SIZE``): the body the page declares in its JSON-LD is taken when it is longer.
MIN_EXTRACTED_CHARS = 250
_BODY_KEYS = ("articleBody", "reviewBody")
_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|li|ul|ol|blockquote|span|a|strong|em|b|i)\b", re.I)


def _short_extraction_rescue(tree: Any, text: str, options: dict[str, Any]) -> str:
    """A longer text for a page where extraction found next to nothing (a teaser, a caption).

    First the body the page declares in its JSON-LD (:func:`declared_body`): the publisher's own
    statement of what the article is. Then trafilatura again with ``favor_recall``: its precision
    pass sometimes discards the only article container of a page as boilerplate. The longer text
    wins; the text layers clean whatever comes back.
    """
    import trafilatura

    declared = declared_body(tree)
    if len(declared) > len(text):
        text = declared
    if len(text) < MIN_EXTRACTED_CHARS:
        doc = trafilatura.bare_extraction(tree, favor_recall=True, with_metadata=False, **options)
        recalled = "" if doc is None or isinstance(doc, dict) else doc.text or ""
        if len(recalled) > len(text):
            text = recalled
    return text


def declared_body(tree: Any) -> str:
    """The longest ``articleBody`` (or ``reviewBody``) of the page's JSON-LD, one paragraph per line.

    A page that renders its article with scripts, or hides it behind a paywall overlay, often still
    declares the whole text for search engines; trafilatura's extractors see only the caption or
    teaser left in the markup. Markup inside the value (``<p>...</p>``) is read as paragraphs.
    An empty string when there is none.
    """
    import json

    found: list[str] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            found.extend(v for k in _BODY_KEYS if isinstance(v := node.get(k), str) and v.strip())
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                walk(node.get(key), depth + 1)

    for script in _JSON_SCRIPTS(tree):
        if script.text and "Body" in script.text:
            with contextlib.suppress(ValueError, RecursionError):
                walk(json.loads(script.text, strict=False), 0)
    if not found:
        return ""
    return _paragraphs(max(found, key=len))


def _paragraphs(value: str) -> str:
    """Plain text of a JSON body value: its markup read as blocks, one paragraph per line."""
    import html as html_entities

    value = html_entities.unescape(value) if "&" in value else value
    if _MARKUP.search(value):
        with contextlib.suppress(etree.ParserError, ValueError):
            fragment = html.fragment_fromstring(sanitize_for_html(value), create_parent="div")
            for el in fragment.iter(*_BLOCK_TAGS):  # a line break before and after every block
                el.tail = "\n" + (el.tail or "")
                el.text = "\n" + (el.text or "")
            value = fragment.text_content()
    return "\n".join(" ".join(line.split()) for line in value.splitlines() if line.strip())


_BLOCK_TAGS = ("br", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote")


#: Code trafilatura deletes first thing (``MANUALLY_CLEANED``, ``BASIC_CLEAN_XPATH``), read by
#: nothing after the metadata; JSON-LD stays, trafilatura's baseline reads ``articleBody`` from it.
_CODE = etree.XPath(f"//script[not({_METADATA_TYPE_TEST})] | //style")


def _drop_code(tree: Any) -> None:
    """Delete scripts and style sheets (tails kept) before trafilatura copies the tree twice over."""
    for el in _CODE(tree):
        drop_keeping_tail(el)


#: Invisible format characters that carry meaning in the text: the soft hyphen of hyphenated German,
#: the zero-width (non-)joiners of Persian and Indic scripts, direction marks, word joiners.
#: trafilatura drops every character that is not printable, so they are swapped for printable
#: stand-ins around extraction and back afterwards: the body stays verbatim.
FORMAT_CHARACTERS = "\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
#: the stand-ins: symbols of a block no news page uses (Tai Xuan Jing), checked absent per page
_STAND_INS = "".join(chr(0x1D300 + i) for i in range(len(FORMAT_CHARACTERS)))
_TO_STAND_IN = str.maketrans(FORMAT_CHARACTERS, _STAND_INS)
_FROM_STAND_IN = str.maketrans(_STAND_INS, FORMAT_CHARACTERS)
_FORMAT_OR_STAND_IN = FORMAT_CHARACTERS + _STAND_INS
_ALL_TEXT = etree.XPath("string()", smart_strings=False)


def _shield_format_characters(tree: Any) -> dict[int, int] | None:
    """Swap the page's format characters for stand-ins in place; the table to swap them back, or None.

    Nothing is done (None) on a page without them (nine pages in ten: one pass over the page's
    text per character in C tells), or on the rare page that already holds a stand-in.
    """
    # one substring test per character (a memchr-like scan in C, ~0.3 ms on a 110 kB page text):
    # a regex character class with astral members scanned the same text 20x slower
    text = _ALL_TEXT(tree)
    present = {c for c in _FORMAT_OR_STAND_IN if c in text}
    if not present or not present.isdisjoint(_STAND_INS):
        return None
    tests = " or ".join(f"contains(., '{c}')" for c in sorted(present))
    for node in tree.xpath(f"//text()[{tests}]"):
        parent = node.getparent()
        if parent is None:
            continue
        if node.is_tail:
            parent.tail = parent.tail.translate(_TO_STAND_IN)
        elif node.is_text:
            parent.text = parent.text.translate(_TO_STAND_IN)
    return _FROM_STAND_IN


def _restored(value: Any, table: dict[int, int]) -> Any:
    if isinstance(value, str):
        return value.translate(table)
    if isinstance(value, list):
        return tuple(v.translate(table) if isinstance(v, str) else v for v in value)
    return value


def _fast_metadata_or_url(tree: Any, url: str | None) -> Metadata:
    """The page's metadata; only the URL when trafilatura's readers fail on a hostile page (the
    metadata is an extra: it must not cost the article)."""
    try:
        return _fast_metadata(tree, url)
    except Exception:
        return Metadata(url=url)


def _fast_metadata(tree: Any, url: str | None) -> Metadata:
    """What the page declares about itself, read the way trafilatura reads it, minus its slow searches.

    The same steps as ``trafilatura.metadata.extract_metadata`` in the same order (meta tags, then
    JSON-LD overrides, then fallbacks), leaving out the author search through the markup and the
    category, tag and licence searches: together they cost about 10 ms a page, a third of an
    extraction. ``Cleaner(metadata="full")`` runs the complete search.
    """
    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura import metadata as tm

    doc = tm.examine_meta(tree)
    if doc.author and " " not in doc.author:  # a single word is a handle, not a name (as trafilatura)
        doc.author = None
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader is fragile; meta tags stand
        doc = _meta_json(tree, doc)
    if not doc.title:
        doc.title = tm.extract_title(tree)
    if not doc.url:
        doc.url = tm.extract_url(tree, url)
    if doc.url:
        doc.hostname = extract_domain(doc.url, fast=True)
    # htmldate's quick search, not its extensive one (which ``metadata="full"`` runs, as trafilatura
    # does): on pages seen once, the extensive search costs 4.4 ms a page on the article-body set
    # and 20 ms on the snippet set, against 0.8 and 1.8 ms, and where the quick one finds nothing
    # it costs most (repeated runs over the same pages hide this behind htmldate's caches)
    doc.date = find_date(tree, **_date_params(False, doc.url))
    if not doc.sitename:
        doc.sitename = tm.extract_sitename(tree)
    if doc.sitename:
        doc.sitename = doc.sitename.lstrip("@")
        if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
            doc.sitename = doc.sitename.title()
    elif doc.url:
        found = tm.META_URL.match(doc.url)
        if found:
            doc.sitename = found[1]
    doc.clean_and_trim()
    return _metadata(doc, url)


def _date_params(extensive: bool, url: str | None) -> dict[str, Any]:
    from trafilatura.settings import set_date_params

    params: dict[str, Any] = set_date_params(extensive)
    params["url"] = url
    return params


_JSON_SCRIPTS = etree.XPath(f".//script[{_METADATA_TYPE_TEST}]")


def _meta_json(tree: Any, doc: Any) -> Any:
    """``trafilatura.metadata.extract_meta_json``, minus its minifying pass when the JSON parses.

    trafilatura strips the whitespace between JSON tokens (a regex substitution that calls Python
    for every space and string: 0.45 ms a page) before parsing; ``json.loads`` skips that whitespace
    itself, so the same objects come out. The minified text is only needed by the regex fallback
    for broken JSON, which gets exactly what trafilatura gives it.
    """
    import json

    from trafilatura import json_metadata as tj
    from trafilatura.metadata import JSON_MINIFY

    for script in _JSON_SCRIPTS(tree):
        if not script.text:
            continue
        try:
            schema = json.loads(tj.normalize_json(script.text), strict=False)
        except json.JSONDecodeError:
            text = tj.normalize_json(JSON_MINIFY.sub(r"\1", script.text))
            try:
                schema = json.loads(text, strict=False)
            except json.JSONDecodeError:
                doc = tj.extract_json_parse_error(text, doc)
                continue
        doc = tj.extract_json(schema, doc)
    return doc


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
