"""Trigger literals: strings one of which every match of a pattern must contain, read off the pattern.

Most paragraphs are prose that no boilerplate rule can match, yet running 200 patterns over each one
to find that out was most of the text layers' cost. A rule whose matches always contain "newsletter"
or "subscri" cannot match a paragraph without them, so the rules are dispatched by their literals:
one scan of the paragraph finds which literals it holds, and only the rules they trigger run
(:class:`Dispatch`). A pattern whose literals cannot be read (a bare ``\\w+``, an optional group
everywhere) simply runs on every paragraph, as before.

The reading is conservative. The pattern is parsed with the standard library's regular-expression
parser (``regex``-only syntax is first rewritten: ``\\L<list>`` becomes the list's alternation,
``\\p{..}`` a class); then, for a sequence, any run of literal characters or any required part is
a valid trigger set, for alternatives the union of every branch's set, for a repeat its item's set
when it must occur at least once, and for anything else nothing. Literals are compared case-folded,
so a case-insensitive match always shows its literal in the folded paragraph. The tests check every
rule's examples against its triggers, and the corpus and benchmark pages give the same result with
and without dispatch.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

try:  # the optional extra `cleanarticle[fast]`: an Aho-Corasick DFA in Rust (untyped)
    _ahocorasick: Any = importlib.import_module("ahocorasick_rs")
except ImportError:  # the stdlib trie scan, same hits
    _ahocorasick = None

try:  # the standard library's parser: private, so every failure below means "no triggers"
    _c: Any = importlib.import_module("re._constants")
    _p: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - a Python without it runs every rule on every paragraph
    _p = _c = None

#: A set of more alternatives than this is not worth a trigger (the pattern runs everywhere).
MAX_TRIGGERS = 400

#: an inline flag group that may hold "i" (``(?i)``, ``(?i:...)``, ``(?mi-s:...)``)
_INLINE_IGNORECASE = re.compile(r"\(\?[a-zA-Z-]*i")
_UNICODE_CLASS = re.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")
_NAMED_LIST = re.compile(r"\\L<(\w+)>")
# `regex` lets a name label several groups; the stdlib does not, and triggers need no names
_NAMED_GROUP = re.compile(r"\(\?P?<(?![=!])\w+>")


def derive_triggers(
    pattern: str,
    named_lists: Mapping[str, Sequence[str]] | None = None,
    *,
    lookbehind: bool = True,
    fold: bool = True,
) -> tuple[str, ...] | None:
    """Case-folded literals one of which every match of ``pattern`` contains; None when none can be read.

    With ``lookbehind=False`` the literals of lookbehinds are not used: every match then holds one of
    the literals inside its own span, not just somewhere in the paragraph. With ``fold=False`` the
    literals are as written, for a pattern matched case-sensitively: one of them is then in the
    paragraph exactly so ("MORE", not "more"); None for a pattern with an inline flag that may turn
    case-insensitivity on for a part of it.
    """
    if _p is None or (not fold and _INLINE_IGNORECASE.search(pattern)):
        return None
    lists = named_lists or {}

    # a named list stands in the parsed pattern as one private-use character (parsing the lists
    # spelled out, a hundred agencies per rule, took most of the time); see _runs_of
    placeholders: dict[str, tuple[str, ...]] = {}

    def expand(m: re.Match[str]) -> str:
        items = tuple(x for x in lists.get(m.group(1), ()) if x)
        if not items:
            return "(?:.)"  # an unknown list: matches something, proves nothing
        char = chr(_PLACEHOLDER_BASE + len(placeholders))
        placeholders[char] = items
        return char

    parsed = _parse_for_stdlib(pattern, expand)
    if parsed is None:  # syntax only `regex` knows: no triggers, the rule runs everywhere
        return None
    rewritten, tree = parsed
    if any(chr(_PLACEHOLDER_BASE + i) in rewritten for i in range(len(placeholders), 64)):
        return None  # the pattern itself holds a character of the placeholder range
    found = _of_sequence(list(tree), placeholders, lookbehind)
    if not found:
        return None
    folded = tuple(sorted({x.casefold() if fold else x for x in found}))
    if len(folded) > MAX_TRIGGERS or not all(x.strip() for x in folded):
        return None  # a blank literal is in nearly every paragraph: not a trigger
    return folded


def tail_width(pattern: str, named_lists: Mapping[str, Sequence[str]] | None = None) -> int | None:
    """The longest text a match can span when every top-level alternative of ``pattern`` ends with
    ``$`` (or ``\\Z``); None when it does not, or when a match can be of any length.

    Such a match ends where the paragraph ends, so it starts at most this far before the end: the
    search can start there (lookbehinds still see the text before) and find the same matches, in
    a few characters instead of the whole paragraph. The glued credits ("... said. (PTI)") are
    written this way; an unanchored pattern costs 20-25 ns a character in `regex` whatever it holds.
    """
    if _p is None:
        return None
    parsed = _parse_for_stdlib(pattern, alternation_of(named_lists or {}))
    if parsed is None:  # syntax only `regex` knows: search the whole paragraph
        return None
    tree = parsed[1]
    items = list(tree)
    parts = [list(b) for b in items[0][1][1]] if len(items) == 1 and items[0][0] is _c.BRANCH else [items]
    ends = ((_c.AT, _c.AT_END), (_c.AT, _c.AT_END_STRING))
    if not all(part and part[-1] in ends for part in parts):
        return None
    widest = tree.getwidth()[1]
    return int(widest) if widest < _c.MAXREPEAT else None


def alternation_of(lists: Mapping[str, Sequence[str]]) -> Any:
    """An ``expand_list`` for :func:`_parse_for_stdlib`: a named list as the alternation of its items."""

    def expand(m: re.Match[str]) -> str:
        items = [re.escape(x) for x in lists.get(m.group(1), ()) if x]
        return "(?:" + "|".join(items) + ")" if items else "(?:.)"  # an unknown list proves nothing

    return expand


def _parse_for_stdlib(pattern: str, expand_list: Any) -> tuple[str, Any] | None:
    """``pattern`` rewritten for the standard library's parser, and its parse; None if it cannot.

    ``(?(DEFINE)...)`` calls are inlined, ``\\L<list>`` becomes what ``expand_list`` makes of it,
    ``\\p{..}`` a word class and a named group a plain one (``regex`` lets one name label several).
    """
    try:
        rewritten = _expand_define(pattern)
        rewritten = _NAMED_GROUP.sub("(?:", _UNICODE_CLASS.sub(r"\\w", _NAMED_LIST.sub(expand_list, rewritten)))
        return rewritten, _p.parse(rewritten)
    except Exception:
        return None


_PLACEHOLDER_BASE = 0xF0000  # supplementary private use area: not in any rule
_CALL = re.compile(r"\(\?(\d+)\)")
_DEFINE = "(?(DEFINE)"


def _expand_define(pattern: str) -> str:
    """``pattern`` with a leading ``(?(DEFINE)(a)(b)...)`` block inlined into its ``(?N)`` calls."""
    if not pattern.startswith(_DEFINE):
        return pattern
    end = _closing(pattern, 0)
    bodies: list[str] = []
    i = len(_DEFINE)
    while i < end:
        close = _closing(pattern, i)
        bodies.append(pattern[i + 1 : close])
        i = close + 1

    def inline(text: str, depth: int) -> str:
        def call(m: re.Match[str]) -> str:
            n = int(m.group(1))
            if depth > 8 or not 1 <= n <= len(bodies):
                return "(?:.)"  # too deep or not a DEFINE group: matches something, proves nothing
            return "(?:" + inline(bodies[n - 1], depth + 1) + ")"

        return _CALL.sub(call, text)

    return inline(pattern[end + 1 :], 0)


def _syntax(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, character) of the characters of ``pattern`` from ``start`` that are syntax: not
    escaped and not inside a character class (a leading ``]`` of a class is a literal)."""
    i = start
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        else:
            yield i, ch
        i += 1


def _closing(pattern: str, start: int) -> int:
    """Index of the parenthesis closing the group opened at ``start`` (escapes and classes skipped)."""
    depth = 0
    for i, ch in _syntax(pattern, start):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses")


Lists = Mapping[str, tuple[str, ...]]


def _of_sequence(items: list[tuple[Any, Any]], lists: Lists, behind: bool = True) -> set[str] | None:
    """The best trigger set of a concatenation: a literal run, or the set of one required item."""
    options: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            options.extend(_runs_of("".join(run), lists))
            run = []
        sub = _of_item(op, arg, lists, behind)
        if sub:
            options.append(sub)
    if run:
        options.extend(_runs_of("".join(run), lists))
    return max(options, key=_selectivity, default=None)


def _runs_of(run: str, lists: Lists) -> list[set[str]]:
    """Trigger sets a literal run offers: its pieces between named lists, and each list's items."""
    if not any(ch in lists for ch in run):
        return [{run}]
    out: list[set[str]] = [set(lists[ch]) for ch in run if ch in lists]
    piece: list[str] = []
    for ch in (*run, next(iter(lists))):  # a list character closes the last piece too
        if ch in lists:
            if piece:
                out.append({"".join(piece)})
            piece = []
        else:
            piece.append(ch)
    return out


def _selectivity(triggers: set[str]) -> tuple[int, int]:
    """Longer shortest literal first (rarer in prose), then fewer literals."""
    return (min(len(x) for x in triggers), -len(triggers))


def _of_item(op: Any, arg: Any, lists: Lists, behind: bool = True) -> set[str] | None:
    if op is _c.SUBPATTERN:
        return _of_sequence(list(arg[-1]), lists, behind)
    if op is _c.ATOMIC_GROUP:
        return _of_sequence(list(arg), lists, behind)
    if op is _c.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            sub = _of_sequence(list(branch), lists, behind)
            if not sub:
                return None
            union |= sub
        return union
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, item = arg
        return _of_sequence(list(item), lists, behind) if low >= 1 else None
    if op is _c.ASSERT and (behind or arg[0] == 1):  # a positive lookaround: its text is in the paragraph too
        return _of_sequence(list(arg[1]), lists, behind)
    return None


class Dispatch:
    """Which of an ordered tuple of rules can match a paragraph, from one scan for their triggers.

    ``triggers[i]`` is the trigger set of ``rules[i]`` (None: the rule always runs). The scan finds
    every literal the paragraph holds, overlapping ones included. With the ``fast`` extra installed
    (ahocorasick-rs) it is one pass of an Aho-Corasick DFA over the paragraph's UTF-8 bytes, about
    12 ns a character warm (pyahocorasick's trie, used before, took 30-45: its nodes search their
    children one by one, and every character walks the failure chain);
    without it, one stdlib pattern of every literal as a trie, searched again from one character
    past each hit, about 150 ns a character (the engine tries a trie node's branches one by one);
    a hit there also fires the literals it starts with. Both give the same rules. The block and
    inline rules share one Dispatch, so a paragraph is scanned once for both: the hits of the last
    few thousand short paragraphs are kept.

    ``alternatives[i]``, when given, lists the trigger literals of each top-level alternative of
    ``rules[i]`` (None for an alternative that holds none): the same scan then also says which
    alternatives can match (:meth:`select`), so a rule of twenty alternatives runs as the two the
    paragraph calls for, without a substring test per literal.

    A set of rules or alternatives is an int, bit ``i`` standing for ``rules[i]`` (alternatives take
    the bits after the rules): or-ing two sets is one operation, and the int is its own cheap key.
    """

    #: paragraphs up to this length have their hits cached (the cache is cleared when full): at most
    #: about 2.5 million characters held per process, whatever the input
    CACHE_CHARS = 1200
    CACHE_SIZE = 2048
    #: past this many literal hits in one paragraph the scan stops and every rule runs (a bound on
    #: the Python loop for text that is nothing but trigger characters)
    MAX_HITS = 256

    def __init__(
        self,
        rules: Sequence[Any],
        triggers: Sequence[tuple[str, ...] | None],
        *,
        alternatives: Sequence[Sequence[tuple[str, ...] | None] | None] | None = None,
        automaton: bool = True,
    ) -> None:
        self.rules = tuple(rules)
        n = len(self.rules)
        self.always = bit_set(i for i, t in enumerate(triggers) if t is None)
        by_literal: dict[str, int] = {}
        for i, found in enumerate(triggers):
            for lit in found or ():
                by_literal[lit] = by_literal.get(lit, 0) | 1 << i
        #: rule index -> (first bit of its alternatives, all of them, those without literals)
        self._alternatives: dict[int, tuple[int, int, int]] = {}
        bit = n
        for i, alts in enumerate(alternatives or ()):
            if alts is None:
                continue
            self._alternatives[i] = (bit, (1 << len(alts)) - 1, bit_set(j for j, lits in enumerate(alts) if lits is None))
            for j, lits in enumerate(alts):
                for lit in lits or ():
                    by_literal[lit] = by_literal.get(lit, 0) | 1 << (bit + j)
            bit += len(alts)
        self._everything = (1 << bit) - 1
        self._scope_bits: dict[str | None, int] = {
            scope: bit_set(i for i, r in enumerate(self.rules) if r.scope == scope)
            for scope in {r.scope for r in self.rules}
        }
        self._scope_bits[None] = (1 << n) - 1
        literals = sorted(by_literal, key=lambda x: (-len(x), x))
        # a hit on "advertisement" also fires the rules of "advert": every literal it starts with
        self._fires: dict[str, int] = {lit: _or(by_literal.get(lit[:k], 0) for k in range(1, len(lit) + 1)) for lit in literals}
        use_automaton = bool(literals) and automaton and _ahocorasick is not None
        # A one-character literal frequent in prose (",", "-", a letter) is tested with `in`, not
        # scanned for: each hit of the scan costs a step of the Python loop below (a comma every few
        # words), a test one C call a paragraph. Rarer ones ("(", "/", "©") are scanned for.
        self._probes: tuple[tuple[str, int], ...] = (
            tuple(sorted((lit, bits) for lit, bits in by_literal.items() if _is_probe(lit))) if use_automaton else ()
        )
        self._automaton: Any = None
        #: the bits each literal of the automaton fires, by its index in the automaton; past them,
        #: FOLDS_AFTER_LOWER's characters fire ``_refold``, a bit of no rule: scan again case-folded
        self._automaton_bits: tuple[int, ...] = ()
        self._refold = 1 << bit
        if use_automaton and len(self._probes) < len(by_literal):
            scanned = [(lit, bits) for lit, bits in by_literal.items() if not _is_probe(lit)]
            # over UTF-8 bytes: a literal's bytes occur in a text's bytes only where the literal
            # occurs in the text (a character's bytes never start inside another's)
            self._automaton = _automaton_of(
                [lit.encode("utf-8", "surrogatepass") for lit, _ in scanned]
                + [ch.encode("utf-8") for ch in FOLDS_AFTER_LOWER]
            )
            self._automaton_bits = tuple(bits for _, bits in scanned) + (self._refold,) * len(FOLDS_AFTER_LOWER)
        self._scan = re.compile(_trie_pattern(literals)) if literals and not use_automaton else None
        self._cache: dict[str, int] = {}

    @property
    def backend(self) -> str:
        """How paragraphs are scanned: ``"automaton"`` (the ``fast`` extra) or ``"trie"``."""
        return "automaton" if self._automaton is not None or self._probes else "trie"

    def clear_cache(self) -> None:
        self._cache.clear()

    def hits(self, text: str) -> int:
        """The rules (and alternatives) that may match paragraph ``text``, as a bit set.

        The cache is keyed by the text as given: the block and inline filters look at each
        paragraph in turn, and the second look costs neither a case-fold nor a scan.
        """
        found = self._cache.get(text)
        if found is not None:
            return found
        scan = self._scan
        hit = self.always
        if self._automaton is not None:
            # lower(), half the cost of casefold(), gives the same text unless it holds one of
            # FOLDS_AFTER_LOWER ("ß", "ﬁ", final "ς"), which the scan looks for too
            folded = text.lower()
            hit |= self._scan_bytes(folded.encode("utf-8", "surrogatepass"))
            if hit & self._refold:
                folded = text.casefold()
                # (a case-folded text holds none of them: casefold() of casefold() is itself)
                hit = (self.always | self._scan_bytes(folded.encode("utf-8", "surrogatepass"))) & ~self._refold
        else:
            folded = text.lower() if text.isascii() else text.casefold()  # the same for ASCII, and faster
        if self._automaton is not None or self._probes:
            for char, bits in self._probes:
                if char in folded:
                    hit |= bits
        elif scan is None:
            hit = self._everything
        else:
            fires = self._fires
            search = scan.search
            m = search(folded)
            budget = self.MAX_HITS
            while m is not None:
                budget -= 1
                if budget < 0:  # "((((..." hits at every position: stop looking, run every rule
                    hit = self._everything
                    break
                hit |= fires[m.group()]
                m = search(folded, m.start() + 1)
        if len(text) <= self.CACHE_CHARS:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[text] = hit
        return hit

    def _scan_bytes(self, data: bytes) -> int:
        """The bits of the automaton's literals found in ``data`` (linear: a bounded number of
        literals ends at each byte)."""
        hit = 0
        fired = self._automaton_bits
        for found in self._automaton.find_matches_as_indexes(data, overlapping=True):
            hit |= fired[found[0]]
        return hit

    def scope_bits(self, scope: str | None) -> int:
        """The rules of ``scope``, as a bit set."""
        return self._scope_bits.get(scope, 0)

    def alternatives_of(self, i: int) -> tuple[int, int, int] | None:
        """For rule ``i`` searched by alternatives: (first bit of its alternatives, the bit set of
        all of them, those that always run); None when the rule runs whole."""
        return self._alternatives.get(i)

    def select(self, text: str, scope: str | None = None) -> list[tuple[Any, int | None]]:
        """``(rule, alternatives)`` for the rules (of ``scope``, when given) that may match
        ``text``, in order. ``alternatives`` is None when the whole rule runs, else the bit set
        of the rule's alternatives that may match (bit ``j``: its ``j``-th alternative)."""
        hits = self.hits(text)
        wanted = hits & self._scope_bits.get(scope, 0)
        rules = self.rules
        out: list[tuple[Any, int | None]] = []
        while wanted:
            low = wanted & -wanted
            i = low.bit_length() - 1
            wanted ^= low
            alts = self._alternatives.get(i)
            if alts is None:
                out.append((rules[i], None))
            else:
                base, full, always = alts
                keep = (hits >> base & full) | always
                if keep:  # else none of its alternatives' literals is there: it cannot match
                    out.append((rules[i], None if keep == full else keep))
        return out

    def candidates(self, text: str, scope: str | None = None) -> tuple[Any, ...]:
        """The rules (of ``scope``, when given) that may match ``text``, in order."""
        return tuple(rule for rule, _ in self.select(text, scope))


#: The characters that str.lower() leaves as they are and str.casefold() changes ("ß" -> "ss", "ﬁ" ->
#: "fi", final "ς" -> "σ", Cherokee small letters -> capitals), as ranges of code points. A text
#: whose lower() holds none of them has lower() == casefold(): lower() works character by character
#: (but for a final sigma, which becomes "ς"), and for every code point the two differ only where
#: lower() leaves one of these (the tests check every code point on the running Python's Unicode).
FOLDS_AFTER_LOWER = "".join(
    chr(c)
    for first, last in (
        (0x00B5, 0x00B5), (0x00DF, 0x00DF), (0x0149, 0x0149), (0x017F, 0x017F), (0x01F0, 0x01F0),
        (0x0345, 0x0345), (0x0390, 0x0390), (0x03B0, 0x03B0), (0x03C2, 0x03C2), (0x03D0, 0x03D1),
        (0x03D5, 0x03D6), (0x03F0, 0x03F1), (0x03F5, 0x03F5), (0x0587, 0x0587), (0x13F8, 0x13FD),
        (0x1C80, 0x1C88), (0x1E96, 0x1E9B), (0x1F50, 0x1F50), (0x1F52, 0x1F52), (0x1F54, 0x1F54),
        (0x1F56, 0x1F56), (0x1F80, 0x1F87), (0x1F90, 0x1F97), (0x1FA0, 0x1FA7), (0x1FB2, 0x1FB4),
        (0x1FB6, 0x1FB7), (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FC7), (0x1FD2, 0x1FD3),
        (0x1FD6, 0x1FD7), (0x1FE2, 0x1FE4), (0x1FE6, 0x1FE7), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FF7),
        (0xAB70, 0xABBF), (0xFB00, 0xFB06), (0xFB13, 0xFB17),
    )
    for c in range(first, last + 1)
)


def _is_probe(literal: str) -> bool:
    """A literal tested with ``in`` instead of scanned for: one character frequent in prose."""
    return len(literal) == 1 and (literal.isalnum() or literal.isspace() or literal in ",.-'\"")


def _automaton_of(literals: list[bytes]) -> Any:
    """An overlapping-match automaton over ``literals``: a DFA (a table lookup a byte; about 12 ms
    to build for the thousand literals of a language pack), or, should a rule set grow too large for
    one, the library's choice (a compact NFA, same matches)."""
    standard = _ahocorasick.MatchKind.Standard
    try:
        return _ahocorasick.BytesAhoCorasick(literals, matchkind=standard, implementation=_ahocorasick.Implementation.DFA)
    except ValueError:  # pragma: no cover - state ids overflow only for millions of literals
        return _ahocorasick.BytesAhoCorasick(literals, matchkind=standard)


def _or(masks: Iterable[int]) -> int:
    out = 0
    for m in masks:
        out |= m
    return out


def bit_set(indexes: Iterable[int]) -> int:
    """The int whose bits ``indexes`` are set: the sets of rules and alternatives of a Dispatch."""
    out = 0
    for i in indexes:
        out |= 1 << i
    return out


def _trie_pattern(literals: Iterable[str]) -> str:
    """One pattern matching the longest of ``literals`` at a position, as a trie of alternatives.

    A flat alternation of two thousand literals makes the stdlib engine try each in turn at every
    position; as a trie it tries one branch per distinct next character.
    """
    trie: dict[str, Any] = {}
    for lit in literals:
        node = trie
        for ch in lit:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a literal

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # greedy: the longer literal wins, the shorter one matches when it does not
            return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(trie)


#: a global inline flag such as ``(?i)``: it belongs to the whole pattern, so branches cannot be split off
_GLOBAL_FLAG = re.compile(r"\(\?[a-zA-Z]+\)")


#: a reference to a group by number (``\1``, ``(?1)``): dropping alternatives would renumber groups
_NUMBERED_REFERENCE = re.compile(r"\\[1-9]|\\g<\d|\(\?[+-]?\d|\(\?&")


def split_alternatives(pattern: str) -> tuple[str, list[str]] | None:
    """``(prefix, alternatives)`` of a pattern ``prefix(?:a|b|...)`` or ``a|b|...``, or None.

    The prefix is empty or a run of lookarounds (zero-width: ``X(?:a|b)`` matches as ``(?:Xa|Xb)``),
    so ``prefix + "(?:" + "|".join(some) + ")"`` is the pattern narrowed to some alternatives.
    None when there is only one, or when a global inline flag, a conditional, a numbered group or
    a reference by number makes the pieces mean something else on their own. Named groups keep
    their names in any subset of the alternatives.
    """
    if _GLOBAL_FLAG.search(pattern) or "(?(" in pattern or _NUMBERED_REFERENCE.search(pattern):
        return None
    try:
        prefix_end = 0
        while pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), prefix_end):
            prefix_end = _closing(pattern, prefix_end) + 1
        prefix, body = pattern[:prefix_end], pattern[prefix_end:]
        if body.startswith("(?:") and _closing(body, 0) == len(body) - 1:
            body = body[3:-1]
        elif prefix:
            return None  # the lookarounds would bind to the first alternative only
    except ValueError:  # unbalanced (the regex compiler has the last word on such a pattern)
        return None
    parts: list[str] = []
    depth = start = 0
    for i, ch in _syntax(body):
        if ch == "(":
            if body[i + 1 : i + 2] != "?":  # a numbered group: narrowing would renumber it
                return None
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return (prefix, parts) if len(parts) > 1 and depth == 0 else None

