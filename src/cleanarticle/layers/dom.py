"""DOM layer: drop ad, promo, newsletter, related, share, paywall and comment containers by markup.

Runs on the parsed lxml tree before extraction, so that trafilatura never sees the containers and every
dropped one is recorded with its kind and rule. Matching is by whole tokens of class/id values (see
``rules/dom.toml``), never by substring: "header" and "download" are not ads.

Guard, after trafilatura's own backup-and-restore idea: a container that holds a large share of the
page's text, or the article itself (``<article>``, ``<main>``, ``itemprop=articleBody``), is never
dropped, whatever its class says.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import regex
from lxml import etree, html

from cleanarticle.article import Kind, Removal
from cleanarticle.errors import RuleError

#: A container holding more than this share of the page's text is never dropped...
MAX_TEXT_SHARE = 0.4
#: ...provided it holds at least this many words (tiny pages are all small containers).
MIN_GUARDED_WORDS = 70
#: A container is never dropped when its long paragraphs (PROSE_PARAGRAPH_WORDS words or more) hold
#: this many words together: that is article text (teaser blurbs and prompts are shorter).
PROSE_PARAGRAPH_WORDS = 30
MAX_PROSE_WORDS = 150

_PROTECTED_TAGS = frozenset({"html", "body", "main", "article", "head", "title"})
# class names are matched once per process but there are many: the simple patterns use the stdlib
# engine, faster per call; \p{..} classes need `regex`, and only for names that are not ASCII
_CAMEL = regex.compile(r"(?<=\p{Ll})(?=\p{Lu})")
_ASCII_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TOKEN_SPLIT = re.compile(r"[\s\-_:./\d]+")
_PLAIN_NAME = re.compile(r"[a-z\-]+")
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
def _dom_data() -> dict[str, Any]:
    text = resources.files("cleanarticle.rules").joinpath("dom.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def load_dom_rules() -> tuple[DomRule, ...]:
    return tuple(dom_rule_from_mapping(r) for r in _dom_data().get("rule", ()))


@lru_cache(maxsize=1)
def _protect() -> tuple[frozenset[str], frozenset[str]]:
    data = _dom_data().get("protect", {})
    phrases = frozenset(p.lower().replace("_", "-") for p in data.get("phrases", ()))
    return frozenset(t.lower() for t in data.get("tokens", ())), phrases


def names_main_content(el: Any) -> bool:
    """Whether the element's own class or id says it is the main content (``id="article"``)."""
    tokens, phrases = _protect()
    for attr in ("class", "id"):
        value = el.get(attr)
        if not value:
            continue
        for part in value.split():
            name = part.lower().replace("_", "-")
            if name in tokens or name in phrases or any(r in phrases for r in _runs(name)):
                return True
    return False


def _names(el: Any) -> list[str]:
    """Class names and id of an element, lowercased, underscores as hyphens."""
    out: list[str] = []
    for attr in ("class", "id"):
        value = el.get(attr)
        if value:
            out.extend(v.lower().replace("_", "-") for v in value.split())
    return out


def _hashlike(piece: str) -> bool:
    """A build hash ("36AD7RDgkLzFtv3AeWjhgR"): eight or more ASCII letters and digits, both kinds."""
    return len(piece) >= 8 and piece.isascii() and piece.isalnum() and not piece.isalpha() and not piece.isdigit()


def _tokens(el: Any) -> set[str]:
    out: set[str] = set()
    for attr in ("class", "id"):
        value = el.get(attr)
        if value:
            for part in value.split():
                out.update(t.lower() for t in _TOKEN_SPLIT.split(_CAMEL.sub("-", part)) if t)
    return out


def _runs(name: str) -> list[str]:
    """Every contiguous hyphen-joined run of a class name's parts: a phrase matches when it is one."""
    parts = [p for p in name.split("-") if p]
    return ["-".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, min(len(parts), i + 6) + 1)]


#: roles of an attribute name in DomMatcher.roles
_VALUE, _ATTRIBUTE, _ARIA = 0, 1, 2
#: the verdict on a class name or value that names no rule (one shared tuple: most names are that)
_MISS = (1 << 30, 1 << 30)


class DomMatcher:
    """The rules compiled for lookup: phrase run -> rule, token -> rule (first rule wins)."""

    def __init__(self, rules: Sequence[DomRule]) -> None:
        self.rules = tuple(rules)
        self.phrases: dict[str, DomRule] = {}
        self.tokens: dict[str, DomRule] = {}
        self.attributes: dict[str, DomRule] = {}
        self.aria: dict[str, DomRule] = {}
        for rule in self.rules:
            for phrase in rule.phrases:
                self.phrases.setdefault(phrase, rule)
            for token in rule.tokens:
                self.tokens.setdefault(token, rule)
            for attr in rule.attributes:
                self.attributes.setdefault(attr, rule)
            for label in rule.aria:
                self.aria.setdefault(label, rule)
        self._order = {id(r): i for i, r in enumerate(self.rules)}
        self._phrase_rank = {p: self._order[id(r)] for p, r in self.phrases.items()}
        self._token_rank = {t: self._order[id(r)] for t, r in self.tokens.items()}
        self._cache: dict[str, tuple[int, int]] = {}
        self._phrase_heads = frozenset(p.split("-")[0] for p in self.phrases)
        #: what an attribute name means to :func:`_candidates`: a value to match (class, id), an
        #: attribute a rule names, or an aria label
        self.roles: dict[str, int] = {"class": _VALUE, "id": _VALUE, "aria-label": _ARIA}
        for attr in self.attributes:
            self.roles.setdefault(attr, _ATTRIBUTE)

    #: bound on the per-process cache of class/id values (cleared when full)
    CACHE_SIZE = 100_000
    _NONE = 1 << 30

    def _hits(self, value: str) -> tuple[int, int]:
        """(first phrase rule, first token rule) a class or id value names, as rule indexes."""
        hit = self._cache.get(value)
        if hit is not None:
            return hit
        phrase = token = self._NONE
        for part in value.split():
            p, t = self._part_hits(part)
            if p < phrase:
                phrase = p
            if t < token:
                token = t
        hit = _MISS if phrase == token == self._NONE else (phrase, token)
        self._remember(value, hit)
        return hit

    def _part_hits(self, part: str) -> tuple[int, int]:
        """(first phrase rule, first token rule) of one class name; cached, names recur across values.

        Called once for every distinct class name of every page (about 150 a page, most of them
        names of no rule), so it is written for the miss: set lookups, no regex for plain names.
        """
        key = " " + part  # a value never starts with a space: parts and values share the cache
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        none = self._NONE
        phrase_rank, token_rank = self._phrase_rank, self._token_rank
        plain = _PLAIN_NAME.fullmatch(part) is not None  # ASCII lower case and hyphens: most names
        name = part if plain else part.lower().replace("_", "-")
        phrase = phrase_rank.get(name, none)
        pieces = [p for p in name.split("-") if p]
        if len(pieces) > 1:
            heads = self._phrase_heads
            for i in range(len(pieces) - 1):
                if pieces[i] in heads:  # a phrase run can only start at a piece that starts a phrase
                    for j in range(i + 2, min(len(pieces), i + 6) + 1):
                        rank = phrase_rank.get("-".join(pieces[i:j]))
                        if rank is not None and rank < phrase:
                            phrase = rank
        if plain:  # no digits, no capitals: the pieces are the tokens
            tokens: list[str] = pieces
        else:
            # build hashes ("search-submit-36AD7RDgkLzFtv3AeWjhgR") are not words: split at their
            # digits and capitals they would yield "ad" and friends
            readable = "-".join(p for p in part.replace("_", "-").split("-") if not _hashlike(p))
            if not readable.islower():  # a capital may follow a small letter: split camelCase there
                readable = (_ASCII_CAMEL if readable.isascii() else _CAMEL).sub("-", readable)
            tokens = [t.lower() for t in _TOKEN_SPLIT.split(readable) if t]
        ranks = [token_rank[t] for t in tokens if t in token_rank]
        token = min(ranks) if ranks else none
        hit = _MISS if phrase == none and token == none else (phrase, token)
        self._remember(key, hit)
        return hit

    def _remember(self, key: str, hit: tuple[int, int]) -> None:
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = hit

    def match(self, el: Any) -> DomRule | None:
        """The first rule ``el`` matches: phrases first, then attributes and aria labels, then tokens."""
        if not isinstance(el.tag, str):
            return None
        phrase = token = self._NONE
        named = 0
        for attr in ("class", "id"):
            value = el.get(attr)
            if value:
                named += 1
                p, t = self._hits(value)
                phrase, token = min(phrase, p), min(token, t)
        if phrase < self._NONE:
            return self.rules[phrase]
        attrib = el.attrib
        if len(attrib) > named:
            found = [self.attributes[a.lower()] for a in attrib if a.lower() in self.attributes]
            if found:
                return min(found, key=lambda r: self._order[id(r)])
            aria = (el.get("aria-label") or "").strip().casefold()
            if aria and aria in self.aria:
                return self.aria[aria]
        if token < self._NONE:
            return self.rules[token]
        return None


def clear_caches() -> None:
    """Forget the verdicts on class and id values remembered by every matcher of this process."""
    for matcher in _MATCHERS.values():
        matcher._cache.clear()


def match_element(el: Any, rules: Sequence[DomRule]) -> DomRule | None:
    """The first of ``rules`` that ``el`` matches (see :class:`DomMatcher`)."""
    return _matcher(tuple(rules)).match(el)


_MATCHERS: dict[tuple[DomRule, ...], DomMatcher] = {}


def _matcher(rules: tuple[DomRule, ...]) -> DomMatcher:
    """One matcher (and its cache) per set of rules, for the life of the process."""
    found = _MATCHERS.get(rules)
    if found is None:
        if len(_MATCHERS) >= 8:
            _MATCHERS.clear()
        found = _MATCHERS[rules] = DomMatcher(rules)
    return found


_HOLDS_MAIN_CONTENT = etree.XPath("boolean(.//*[@itemprop='articleBody'] | .//main)")


def _is_protected(el: Any, page_words: Callable[[], int]) -> bool:
    if el.tag in _PROTECTED_TAGS:
        return True
    if (el.get("itemprop") or "").lower() == "articlebody" or names_main_content(el):
        return True
    if _HOLDS_MAIN_CONTENT(el):
        return True
    words = _word_count(el)
    if words >= MIN_GUARDED_WORDS and words > MAX_TEXT_SHARE * page_words():
        return True
    return _prose_words(el) >= MAX_PROSE_WORDS


def _prose_words(el: Any) -> int:
    """Words in the paragraphs of ``el`` that read as prose (long ``<p>``): article text, not furniture.

    Sites wrap the article itself in containers named for what surrounds it ("paywall", "share-wrap"):
    a container holding several long paragraphs is the article, whatever its class says.
    """
    total = 0
    for p in el.iter("p"):
        n = _word_count(p)
        if n >= PROSE_PARAGRAPH_WORDS:
            total += n
    return total


def _text(el: Any) -> str:
    return " ".join(_STRING(el).split())


def drop_keeping_tail(el: Any) -> None:
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


def _candidates(root: Any, matcher: DomMatcher) -> list[Any]:
    """The elements under ``root`` that may match, in document order.

    One walk over the elements, reading each one's attributes in one C call (``items()``); each
    distinct class or id value is matched once per process (see DomMatcher). The page is parsed
    with a C element-class lookup (see ``extract.parse_html``), so the proxies of the walk are
    cheap: 0.8 ms a page against 5.6 ms for one XPath testing every element against the hits.
    """
    none = (matcher._NONE, matcher._NONE)
    remembered = matcher._cache.get
    hits = matcher._hits
    role_of = matcher.roles.get
    attributes = matcher.attributes
    aria = matcher.aria
    found = []
    for el in root.iterdescendants("*"):
        for name, value in el.items():
            role = role_of(name)
            if role is None:
                if name.islower() or name.lower() not in attributes:
                    continue
                role = _ATTRIBUTE
            if role == _VALUE:
                if not value or (remembered(value) or hits(value)) == none:
                    continue
            elif role == _ARIA and (not value or value.strip().casefold() not in aria):
                continue
            found.append(el)
            break
    return found


def prune(tree: Any, rules: Sequence[DomRule], filter_name: str = "dom") -> list[Removal]:
    """Drop matching containers from ``tree`` in place; their removals in document order.

    Candidates: the elements whose class, id or aria-label value hits a rule, or that carry an
    attribute a rule names (see :func:`_candidates`). Only outermost matches are recorded: a match
    inside an already dropped container is skipped. No recursion, so 10,000 levels of nesting are
    fine.
    """
    body = tree.find(".//body") if tree.tag != "body" else tree
    root = body if body is not None else tree
    matcher = _matcher(tuple(rules))
    page_words = cache(lambda: _word_count(root))  # counted only when a big container asks
    removals: list[Removal] = []
    dropped: set[Any] = set()
    for el in _candidates(root, matcher):
        rule = matcher.match(el)
        if rule is None or any(a in dropped for a in el.iterancestors()):
            continue
        if _is_protected(el, page_words):
            continue
        text = _text(el)
        removals.append(Removal(text=text, kind=rule.kind_for(text), filter=filter_name, rule=rule.id))
        dropped.add(el)
    for el in dropped:
        drop_keeping_tail(el)
    return removals


_STRING = etree.XPath("string()", smart_strings=False)


def _word_count(el: Any) -> int:
    """Words of all the text under ``el`` (script and style included, as ``itertext`` would)."""
    return len(_STRING(el).split())


def is_element(obj: object) -> bool:
    return isinstance(obj, etree._Element)
