"""DOM layer: drop ad, promo, newsletter, related, share, paywall and comment containers by markup.

Runs on the parsed lxml tree before extraction, so that trafilatura never sees the containers and every
dropped one is recorded with its kind and rule. Matching is by whole tokens of class/id values (see
``rules/dom.toml``), never by substring: "header" and "download" are not ads.

Guard, after trafilatura's own backup-and-restore idea: a container that holds a large share of the
page's text, or the article itself (``<article>``, ``<main>``, ``itemprop=articleBody``), is never
dropped, whatever its class says.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
from lxml import etree, html

from cleanarticle.article import Kind, Removal
from cleanarticle.errors import RuleError

#: A container holding more than this share of the page's text is never dropped...
MAX_TEXT_SHARE = 0.4
#: ...provided it holds at least this many characters (tiny pages are all small containers).
MIN_GUARDED_CHARS = 400

_PROTECTED_TAGS = frozenset({"html", "body", "main", "article", "head", "title"})
_CAMEL = regex.compile(r"(?<=\p{Ll})(?=\p{Lu})")
_TOKEN_SPLIT = regex.compile(r"[\s\-_:./\d]+")
_SPACES = regex.compile(r"\s+")
# What a promo box promotes, read from its first words (first match wins).
_PROMO_KINDS = (
    (Kind.RELATED, regex.compile(r"^\W*(?:related|read more|also read|read next|more on|recommended|mehr zum thema|lesen sie auch|lire aussi|leer m[aá]s|leggi anche|lees ook|czytaj|leia tamb[eé]m)\b", regex.I)),
    (Kind.NEWSLETTER, regex.compile(r"\bnewsletters?\b|\binbox\b|\bsign up\b", regex.I)),
    (Kind.SOCIAL, regex.compile(r"\b(?:download|get) (?:the|our) .{0,30}\bapp\b|\bfollow us\b|\bwhatsapp\b|\btelegram\b", regex.I)),
    (Kind.APPEAL, regex.compile(r"\bsubscri|\bmember|\bdonat|\bsupport (?:us|our)|\bcontribut", regex.I)),
)


@dataclass(frozen=True, slots=True)
class DomRule:
    """One container rule: whole tokens, hyphen-joined phrases, attribute names and aria labels."""

    id: str
    kind: Kind
    tokens: frozenset[str]
    phrases: tuple[str, ...]
    attributes: frozenset[str]
    aria: frozenset[str]
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    classify_text: bool = False

    def kind_for(self, text: str) -> Kind:
        """The rule's kind, or for a promo box the kind of what its text promotes."""
        if not self.classify_text:
            return self.kind
        for kind, pattern in _PROMO_KINDS:
            if pattern.search(text[:500]):
                return kind
        return self.kind

    def check_examples(self) -> list[str]:
        problems = []
        for ex in self.examples:
            if match_element(html.fragment_fromstring(ex), (self,)) is None:
                problems.append(f"{self.id}: example not matched: {ex}")
        for ex in self.counterexamples:
            if match_element(html.fragment_fromstring(ex), (self,)) is not None:
                problems.append(f"{self.id}: counterexample matched: {ex}")
        return problems


def dom_rule_from_mapping(data: dict[str, Any]) -> DomRule:
    try:
        kind = Kind(data["kind"])
    except (KeyError, ValueError):
        raise RuleError(f"DOM rule {data.get('id')!r}: missing or unknown kind") from None
    words = [w.lower() for w in data.get("tokens", [])]
    phrases = [p.lower().replace("_", "-") for p in data.get("phrases", [])]
    phrases += [w for w in words if "-" in w]
    tokens = frozenset(w for w in words if "-" not in w)
    if not (tokens or phrases or data.get("attributes") or data.get("aria")):
        raise RuleError(f"DOM rule {data.get('id')!r}: an empty rule would match nothing")
    return DomRule(
        id=str(data["id"]),
        kind=kind,
        tokens=tokens,
        phrases=tuple(sorted(set(phrases), key=len, reverse=True)),
        attributes=frozenset(a.lower() for a in data.get("attributes", [])),
        aria=frozenset(a.casefold() for a in data.get("aria", [])),
        examples=tuple(data.get("examples", ())),
        counterexamples=tuple(data.get("counterexamples", ())),
        classify_text=bool(data.get("classify_text", False)),
    )


@lru_cache(maxsize=1)
def load_dom_rules() -> tuple[DomRule, ...]:
    text = resources.files("cleanarticle.rules").joinpath("dom.toml").read_text(encoding="utf-8")
    return tuple(dom_rule_from_mapping(r) for r in tomllib.loads(text).get("rule", ()))


def _names(el: Any) -> list[str]:
    """Class names and id of an element, lowercased, underscores as hyphens."""
    out: list[str] = []
    for attr in ("class", "id"):
        value = el.get(attr)
        if value:
            out.extend(v.lower().replace("_", "-") for v in value.split())
    return out


def _tokens(el: Any) -> set[str]:
    out: set[str] = set()
    for attr in ("class", "id"):
        value = el.get(attr)
        if value:
            for part in value.split():
                out.update(t.lower() for t in _TOKEN_SPLIT.split(_CAMEL.sub("-", part)) if t)
    return out


def _has_phrase(name: str, phrase: str) -> bool:
    if name == phrase:
        return True
    return (
        name.startswith(phrase + "-")
        or name.endswith("-" + phrase)
        or ("-" + phrase + "-") in name
    )


def match_element(el: Any, rules: Sequence[DomRule]) -> DomRule | None:
    """The first rule ``el`` matches: phrases first, then attributes and aria labels, then tokens."""
    if not isinstance(el.tag, str):
        return None
    names = _names(el)
    if names:
        for rule in rules:
            if any(_has_phrase(n, p) for n in names for p in rule.phrases):
                return rule
    attrib_names = {a.lower() for a in el.attrib}
    aria = (el.get("aria-label") or "").strip().casefold()
    for rule in rules:
        if attrib_names & rule.attributes or (aria and aria in rule.aria):
            return rule
    if names:
        tokens = _tokens(el)
        for rule in rules:
            if tokens & rule.tokens:
                return rule
    return None


def _is_protected(el: Any, page_chars: int) -> bool:
    if el.tag in _PROTECTED_TAGS:
        return True
    if (el.get("itemprop") or "").lower() == "articlebody":
        return True
    if el.xpath("boolean(.//*[@itemprop='articleBody'] | .//main)"):
        return True
    chars = len(_text(el))
    return chars >= MIN_GUARDED_CHARS and chars > MAX_TEXT_SHARE * page_chars


def _text(el: Any) -> str:
    return str(_SPACES.sub(" ", "".join(el.itertext()))).strip()


def _drop(el: Any) -> None:
    """Remove ``el`` but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def prune(tree: Any, rules: Sequence[DomRule], filter_name: str = "dom") -> list[Removal]:
    """Drop matching containers from ``tree`` in place; their removals in document order.

    Walks the tree with an explicit stack (no recursion, so 10,000 levels of nesting are fine) and
    does not descend into a dropped container: only outermost matches are recorded.
    """
    body = tree.find(".//body") if tree.tag != "body" else tree
    root = body if body is not None else tree
    page_chars = len(_text(root))
    removals: list[Removal] = []
    to_drop: list[Any] = []
    stack = [root]
    while stack:
        el = stack.pop()
        rule = match_element(el, rules) if el is not root else None
        if rule is not None and not _is_protected(el, page_chars):
            text = _text(el)
            removals.append(Removal(text=text, kind=rule.kind_for(text), filter=filter_name, rule=rule.id))
            to_drop.append(el)
            continue
        children = [c for c in el if isinstance(c.tag, str)]
        stack.extend(reversed(children))
    for el in to_drop:
        _drop(el)
    return removals


def is_element(obj: object) -> bool:
    return isinstance(obj, etree._Element)
