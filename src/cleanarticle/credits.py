"""Credit lines into fields: sources, authors, reporters, writers, editors, contributors, photographers.

A credit rule finds the line; this module reads the names out of it. Two ways in:

- the rule's named groups (``sources``, ``contributors``, ``people`` ...) hold lists of names, which
  :func:`split_names` cuts at commas, semicolons and the pack's conjunctions;
- a rule without groups (``Reporting by X; Editing by Y``) is read clause by clause, each clause opened
  by a role phrase from the pack's ``[roles]`` table.

Then every name is checked against what it is: a known agency or an outlet-looking name found in a
people field goes to ``sources`` (``Additional reporting by Reuters``); a person-looking name in a
sources list goes to ``contributors`` (``With inputs from PTI and Jane Doe``); titles, affiliations
after a comma and locations ("in Buenos Aires") are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import regex

from cleanarticle.article import CREDIT_FIELDS, Credits
from cleanarticle.errors import ConfigError
from cleanarticle.rules import REGEX_TIMEOUT, Rule, RulePack, load_common, load_pack

Names = dict[str, list[str]]

_EDGE = regex.compile(r"^[\s\p{P}\p{S}&&[^(\[\"“'‘]]+|[\s\p{P}\p{S}&&[^)\]\"”'’.]]+$|\.$", regex.V1)
_PAREN = regex.compile(r"^\((.*)\)$")
_LOCATION = regex.compile(r"\s+(?:in|from|at|aus|à|en|a|em|in|w|से)\s+\p{Lu}[\p{L}.'’\- ]*$")
_ROLE_PREFIX = regex.compile(
    r"^.{0,60}?\b(?:staff )?(?:writers?|reporters?|correspondents?|journalists?|staffers?|photographers?)\s+(?=\p{Lu})"
)
# "CNN's Jane Doe" -> "Jane Doe"; "Jane Doe For Mailonline" -> "Jane Doe"; emails and "at <email>".
_POSSESSIVE = regex.compile(r"^\p{Lu}[\p{L}.&-]*(?:\s+\p{Lu}[\p{L}.&-]*){0,3}['’]s\s+(?=\p{Lu})")
_FOR_OUTLET = regex.compile(r"\s+(?:for|For|FOR)\s+(?:the\s+|The\s+)?\p{Lu}.*$")
_PHOTO_PREFIX = regex.compile(r"^(?:photos?|fotos?|fot\.|photograph|photographie|picture|bild)\s*:?\s+(?=\p{Lu})", regex.I)
_EMAIL = regex.compile(r"\s*(?:\bat\s+)?<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")
_ARTICLES = frozenset({"the", "la", "le", "les", "el", "los", "las", "der", "die", "das", "il", "lo", "o", "a", "os", "de", "het"})
_SPACES = regex.compile(r"\s+")


@lru_cache(maxsize=1)
def _common_sets() -> tuple[frozenset[str], frozenset[str], tuple[str, ...], frozenset[str]]:
    common = load_common()
    agencies = frozenset(a.casefold() for a in common["agencies"])
    outlet_words = frozenset(w.casefold() for w in common["outlet_words"])
    titles = tuple(sorted((t.casefold() for t in common["title_words"]), key=len, reverse=True))
    particles = frozenset(p.casefold() for p in common["name_particles"])
    return agencies, outlet_words, titles, particles


def is_agency(name: str) -> bool:
    """A wire agency or outlet from the shared list (case-insensitive, leading "the" ignored)."""
    agencies = _common_sets()[0]
    key = name.casefold()
    return key in agencies or (key.startswith("the ") and key[4:] in agencies)


def looks_like_outlet(name: str) -> bool:
    """A known agency, or a name with an outlet word in it ("Hindustan Times", "Daily Mirror")."""
    if is_agency(name):
        return True
    outlet_words = _common_sets()[1]
    return any(tok.casefold() in outlet_words for tok in name.split())


def is_title(name: str) -> bool:
    """A job title or affiliation phrase ("Staff Writer", "Special Correspondent")."""
    titles = _common_sets()[2]
    key = name.casefold()
    return any(key == t or key.startswith(t + " ") or key.endswith(" " + t) for t in titles)


def looks_like_person(name: str) -> bool:
    """Two to five words, each capitalised or a name particle, and nothing outlet-like."""
    particles = _common_sets()[3]
    words = name.split()
    if not 2 <= len(words) <= 5 or looks_like_outlet(name) or is_title(name):
        return False
    if words[0].casefold() in _ARTICLES:
        return False
    return all(w[:1].isupper() or w.casefold() in particles for w in words) and any(
        (w[:1].isupper() and not w.isupper()) or len(w) > 3 for w in words
    )


@lru_cache(maxsize=64)
def _splitter(conjunctions: tuple[str, ...]) -> Any:
    words = sorted({"and", "&", *conjunctions}, key=len, reverse=True)
    alternation = "|".join(regex.escape(w) for w in words)
    return regex.compile(rf"\s*[,;]\s*(?:(?:{alternation})\s+)?|\s+(?:{alternation})\s+", regex.IGNORECASE)


def clean_name(name: str) -> str:
    """Trim punctuation, brackets and whitespace runs around a name."""
    name = _SPACES.sub(" ", name).strip()
    for opener, closer in (("(", ")"), ("[", "]")):
        if name.endswith(closer) and opener not in name:
            name = name[:-1].rstrip()
        if name.startswith(opener) and closer not in name:
            name = name[1:].lstrip()
    for _ in range(3):
        m = _PAREN.match(name)
        if m:
            name = m.group(1).strip()
        stripped = _EDGE.sub("", name).strip()
        if stripped == name:
            break
        name = stripped
    return name


def split_names(text: str, conjunctions: Sequence[str] = ()) -> list[tuple[str, bool]]:
    """Names in a list, each with whether it followed a comma (an affiliation may stand there)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    after_comma = False
    splitter = _splitter(tuple(conjunctions))
    for m in splitter.finditer(text, timeout=REGEX_TIMEOUT):
        piece = clean_name(text[pos : m.start()])
        if piece:
            out.append((piece, after_comma))
        after_comma = "," in m.group() and not m.group().strip(" ,;").strip()
        pos = m.end()
    piece = clean_name(text[pos:])
    if piece:
        out.append((piece, after_comma))
    return out


def clean_person(name: str) -> str:
    """A person's name without role prefixes, possessive outlets, "for <Outlet>", places and emails."""
    name = _EMAIL.sub("", name)
    name = _PHOTO_PREFIX.sub("", name)
    name = _ROLE_PREFIX.sub("", name)
    name = _POSSESSIVE.sub("", name)
    name = _FOR_OUTLET.sub("", name)
    name = _LOCATION.sub("", name).strip()
    return clean_name(name)


def _people(names: Iterable[tuple[str, bool]], field: str, out: Names) -> None:
    for raw, after_comma in names:
        name = clean_person(raw)
        if not name or is_title(name):
            continue
        if looks_like_outlet(name):
            # an agency credited in a people line ("Additional reporting by Reuters") is a source;
            # an outlet after a comma is an affiliation; a photo agency is never a source
            if not after_comma and is_agency(name) and field != "photographers":
                out.setdefault("sources", []).append(name)
            continue
        if after_comma and not looks_like_person(name):
            continue  # "By Jane Doe, The Valley Times": the affiliation is dropped
        out.setdefault(field, []).append(name)


def _sources(names: Iterable[tuple[str, bool]], out: Names) -> None:
    names = list(names)
    # "(With inputs from PTI and Jane Doe)": a person beside an agency is a contributor. A list with no
    # known agency in it ("SOURCE Brightwell Analytics") is taken at its word.
    mixed = any(is_agency(n) for n, _ in names)
    for name, _ in names:
        if mixed and looks_like_person(name) and not is_agency(name):
            out.setdefault("contributors", []).append(name)
        else:
            out.setdefault("sources", []).append(name)


def add_names(raw: str, field: str, conjunctions: Sequence[str], out: Names) -> None:
    """Parse one captured list into ``out`` for ``field`` with the agency/person checks."""
    names = split_names(raw, conjunctions)
    if field == "sources":
        _sources(names, out)
    else:
        _people(names, field, out)


def names_from_match(match: Any, rule: Rule, pack: RulePack | None = None) -> Names:
    """The names a credit rule's match holds, by field."""
    pack = pack or _pack_of(rule)
    conjunctions = pack.conjunctions if pack else ()
    out: Names = {}
    # the groups of the rule's whole pattern: a match of the rule narrowed to some of its
    # alternatives (Rule.search) lacks the groups of the others, which captured nothing
    groups = [g for g in (rule.compiled or rule._compile()).groupindex if g != "cut"]
    if groups:
        # every capture of every name group, in the order it stands in the text
        present = match.re.groupindex
        found = sorted(
            (start, group, raw)
            for group in groups
            if group in present
            for start, raw in zip(match.starts(group), match.captures(group), strict=True)
        )
        for _, group, raw in found:
            add_names(raw, rule.role if group == "people" else group, conjunctions, out)
        return out
    has_cut = "cut" in match.re.groupindex and match.start("cut") >= 0
    text = match.group("cut") if has_cut else match.string
    return names_from_clauses(text, pack)


def names_from_clauses(text: str, pack: RulePack | None) -> Names:
    """``Reporting by X in Y; Additional reporting by Z; Editing by W`` read clause by clause."""
    out: Names = {}
    roles = _role_table(pack)
    conjunctions = pack.conjunctions if pack else ()
    clauses = regex.split(r"\s*;\s*|(?<=\S)\.\s+(?=\p{Lu})|\s*\)\s*\(\s*", text.strip().strip("()"))
    for clause in clauses:
        clause = clean_name(clause)
        low = clause.casefold()
        for field, phrase in roles:
            if low.startswith(phrase):
                rest = clause[len(phrase) :]
                if field == "reporters" and phrase.endswith("from"):
                    break  # "Reporting from Kyiv" names no reporter
                add_names(rest, field, conjunctions, out)
                break
    return out


@lru_cache(maxsize=32)
def _role_table(pack: RulePack | None) -> tuple[tuple[str, str], ...]:
    phrases: list[tuple[str, str]] = []
    packs = [pack] if pack else []
    if not pack or pack.language != "en":
        packs.append(load_pack("en"))
    for p in packs:
        for field, words in p.roles:
            phrases.extend((field, w.casefold()) for w in words)
    return tuple(sorted(phrases, key=lambda fp: len(fp[1]), reverse=True))


def _pack_of(rule: Rule) -> RulePack | None:
    try:
        return load_pack(rule.language)
    except ConfigError:  # a user's rule in a language without a pack
        return None


def merge_names(found: Iterable[Mapping[str, Sequence[str]]], lines: Iterable[str]) -> Credits:
    """Credits from name maps in document order: first occurrence wins, no duplicates per field."""
    fields: dict[str, list[str]] = {f: [] for f in CREDIT_FIELDS}
    seen: dict[str, set[str]] = {f: set() for f in CREDIT_FIELDS}
    for names in found:
        for field, values in names.items():
            for value in values:
                key = value.casefold()
                if key not in seen[field]:
                    seen[field].add(key)
                    fields[field].append(value)
    unique_lines = tuple(dict.fromkeys(lines))
    return Credits(**{f: tuple(v) for f, v in fields.items()}, lines=unique_lines)


def parse_credit_line(line: str, languages: Sequence[str] = ("en",)) -> Credits:
    """Parse one credit line with the credit rules of ``languages``; empty Credits when none applies.

    >>> parse_credit_line("(With inputs from ABC News, Sputnik and CNN.)").sources
    ('ABC News', 'Sputnik', 'CNN')
    >>> parse_credit_line("Reporting by Jane Doe in Kyiv; Editing by John Roe").editors
    ('John Roe',)
    """
    for lang in languages:
        pack = load_pack(lang)
        for rule in pack.rules:
            if rule.kind.value != "credit" and rule.kind.value != "caption":
                continue
            m = rule.search(line.strip())
            if m:
                return merge_names([names_from_match(m, rule, pack)], [line.strip()])
    return Credits()
