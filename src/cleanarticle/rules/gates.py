"""Gates: cheap necessary conditions read off a pattern, tested before the pattern is searched.

The trigger literals (:mod:`cleanarticle.rules.triggers`) say a rule *may* match a paragraph; most
such paragraphs still fail, and a failing search costs its fixed price (a few microseconds: the
engine's set-up, two clock reads for the timeout) however early it fails. Facts read off the
pattern turn most of those calls into a string test in C:

* :func:`head_gate`: a pattern anchored at the start (``^``), whose text after a run of
  punctuation and spaces begins with one of a few literal words ("advertisement", "related", a
  digit), cannot match a paragraph whose first letters are none of them. The paragraph's *head* is
  its text after that run, cut to :data:`HEAD_CHARS` characters and lowercased; the gate is a
  ``startswith`` on a tuple of prefixes. An alternative that ends right after the run (a line of
  asterisks) lets an empty head through.
* :func:`char_counts`: a pattern that needs a character several times ("six comma-separated
  phrases" needs five commas) cannot match a paragraph with fewer (``str.count``).
* :func:`mark_clauses`: a pattern (or, read on its own, one of its alternatives) that
  needs a rare mark ("/", "(", ":"), or one of its alternatives' marks, cannot match without it.

All are conservative, like the triggers: whatever cannot be read (a class of letters, a group
reference, a pattern the standard library cannot parse) gives no gate, and the rule runs as before.
Heads are compared in ASCII, or by their first letter when it is of another script and has no
ASCII case twin; any other head passes every gate, so case-folding differences between Python and
``regex`` never matter. The tests check every rule's examples (and variants of them) against its
gates, and the corpus and benchmark pages give the same result with and without them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cleanarticle.rules.triggers import _GLOBAL_FLAG, _c, _parse_for_stdlib, alternation_of

#: Characters of the head compared (longer prefixes are cut to this).
HEAD_CHARS = 8
#: More prefixes than this and the rule gets no head gate (the test would cost more than it saves).
MAX_PREFIXES = 256
#: Leading characters a head skips: ASCII punctuation and spaces, and the common typographic marks.
#: A leading run holding anything else leaves a head that starts with it, and such a head passes.
LEADING = string.punctuation + string.whitespace + "\u00a0«»„“”‘’‹›–—―•·…°§¶†‡※★☆►▶■□●○◆◇|"
#: How far into a paragraph the leading run is looked for.
LEADING_SCAN = 48

_ALNUM = frozenset(string.ascii_letters + string.digits)
_DIGITS = tuple(string.digits)
#: ``\p{..}`` classes of punctuation, symbols, separators and others hold no ASCII letter or digit
_NON_ALNUM_CLASS = re.compile(r"\\p\{(?:P|S|Z|C)[a-z]?\}|\\p(?:P|S|Z|C)(?![\w{])")


class _Unreadable(Exception):
    """The part of the pattern being read gives no gate."""


@dataclass(frozen=True, slots=True)
class HeadGate:
    """Prefixes one of which the head of any paragraph the pattern matches starts with."""

    prefixes: tuple[str, ...]
    #: an alternative matches a paragraph of punctuation and spaces only (an empty head)
    empty: bool

    def admits(self, head: str) -> bool:
        """False when a paragraph with this ``head`` (see :func:`head_of`) cannot match."""
        if not head:
            return self.empty
        return head.startswith(self.prefixes)


def head_of(text: str) -> str | None:
    """The lowercased first letters of ``text`` after its leading punctuation and spaces, or None
    when gates cannot judge it (a head that is not plain ASCII, or starts with anything else).

    A head that starts with a letter of another script ("Über", "Éditorial") is that letter alone:
    no prefix starts with it, so it passes only the rules without a head gate. (Unless the letter
    has an ASCII case twin, as "ſ" has "S": ``regex`` matches it case-insensitively to "s".)
    """
    head = text[:LEADING_SCAN].lstrip(LEADING)
    if not head:
        return "" if len(text) <= LEADING_SCAN else None
    first = head[0]
    if first in _ALNUM:
        head = head[:HEAD_CHARS]
        return head.lower() if head.isascii() else None
    if first.isalpha() and not _has_ascii_twin(first) and len(first.casefold()) == 1:
        return first.casefold()
    return None


def _has_ascii_twin(char: str) -> bool:
    return any(c.isascii() for c in char.lower() + char.upper() + char.casefold())


@dataclass(frozen=True, slots=True)
class Gates:
    """Every gate of one pattern (see the module docstring)."""

    head: HeadGate | None = None
    counts: tuple[tuple[str, int], ...] = ()
    clauses: tuple[tuple[str, ...], ...] = ()


def read_gates(pattern: str, named_lists: Mapping[str, Sequence[str]] | None = None) -> Gates:
    """Every gate of ``pattern``, from one parse: the head gate (None unless every alternative is
    anchored at the start and opened by readable literal text), the character counts (see
    :func:`char_counts`) and the clauses of rare marks (see :func:`mark_clauses`)."""
    if _c is None or _GLOBAL_FLAG.search(pattern):
        return Gates()
    parsed = _parse_for_stdlib(_NON_ALNUM_CLASS.sub(r"\\W", pattern), alternation_of(named_lists or {}))
    if parsed is None:
        return Gates()
    tree = list(parsed[1])
    return Gates(_head_gate(tree), _char_counts(tree), _mark_clauses(tree))


def head_gate(pattern: str, named_lists: Mapping[str, Sequence[str]] | None = None) -> HeadGate | None:
    """The head gate of ``pattern`` alone (see :func:`read_gates`)."""
    return read_gates(pattern, named_lists).head


def char_counts(pattern: str, named_lists: Mapping[str, Sequence[str]] | None = None) -> tuple[tuple[str, int], ...]:
    """``(character, n)``: every match of ``pattern`` is in a paragraph holding ``character`` at
    least ``n`` times (n >= 2; lookaheads count, since the text they read is the paragraph's)."""
    return read_gates(pattern, named_lists).counts


def mark_clauses(pattern: str, named_lists: Mapping[str, Sequence[str]] | None = None) -> tuple[tuple[str, ...], ...]:
    """Clauses of rare marks: every match of ``pattern`` reads at least one mark of each clause. A
    required "/" is a clause of its own; alternatives that each need one give one clause of them
    all ("Foto: ..." needs its ":", "Name / dpa" its "/": a paragraph with neither cannot match)."""
    return read_gates(pattern, named_lists).clauses


def _head_gate(tree: list[tuple[Any, Any]]) -> HeadGate | None:
    try:
        found = _anchored(tree, 0, False, 0)
    except (_Unreadable, RecursionError):
        return None
    kept = _minimal({p for p in found if p})
    if len(kept) > MAX_PREFIXES:
        return None
    return HeadGate(tuple(sorted(kept)), "" in found)


def _minimal(prefixes: set[str]) -> set[str]:
    """The prefixes no other one of which they start with: the others add nothing to the test."""
    kept: list[str] = []
    for p in sorted(prefixes):  # a prefix sorts right before the strings that start with it
        if not kept or not p.startswith(kept[-1]):
            kept.append(p)
    return set(kept)


def _anchored(seq: list[tuple[Any, Any]], i: int, started: bool, depth: int) -> set[str]:
    """Heads of ``seq[i:]``: before ``^`` (``started`` False), then through the leading run."""
    if depth > 40:
        raise _Unreadable
    while i < len(seq):
        op, arg = seq[i]
        if op is _c.BRANCH:
            out: set[str] = set()
            for branch in arg[1]:
                out |= _anchored(list(branch) + seq[i + 1 :], 0, started, depth + 1)
            return out
        if op is _c.SUBPATTERN:
            return _anchored(list(arg[-1]) + seq[i + 1 :], 0, started, depth + 1)
        if op in (_c.ASSERT, _c.ASSERT_NOT) or (op is _c.AT and arg in (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY)):
            i += 1  # zero-width: a constraint more, which a necessary condition may ignore
            continue
        if not started:
            if op is _c.AT and arg is _c.AT_BEGINNING:
                started = True
                i += 1
                continue
            raise _Unreadable  # an alternative not anchored at the start
        if _only_non_alnum(op, arg):
            i += 1  # the leading run: punctuation and spaces, however many
            continue
        if op is _c.AT and arg in (_c.AT_END, _c.AT_END_STRING):
            return {""}
        return _prefixes(seq, i, "", depth + 1)
    raise _Unreadable  # "^" and nothing after it: anything matches


def _prefixes(seq: list[tuple[Any, Any]], i: int, acc: str, depth: int) -> set[str]:
    """Every literal text of at most HEAD_CHARS characters a match of ``seq[i:]`` starts with."""
    if depth > 60:
        raise _Unreadable
    while i < len(seq) and len(acc) < HEAD_CHARS:
        op, arg = seq[i]
        if op is _c.LITERAL:
            ch = chr(arg)
            if not acc and ch.isalpha() and not ch.isascii() and len(ch.casefold()) == 1 and not _has_ascii_twin(ch):
                return {ch.casefold()}  # a letter of another script: a head of that letter alone
            if not ch.isascii() or (not acc and ch not in _ALNUM):
                return _stop(acc)
            acc += ch.lower()
            i += 1
            continue
        if op is _c.IN:
            chars = _class_chars(arg)
            if chars is None or (not acc and not chars <= _ALNUM):
                return _stop(acc)
            return {acc + ch for ch in chars}  # one character of a class, then stop: few prefixes
        if op is _c.BRANCH:
            out: set[str] = set()
            for branch in arg[1]:
                out |= _prefixes(list(branch) + seq[i + 1 :], 0, acc, depth + 1)
                if acc in out:
                    return {acc}  # the text read so far is a prefix already: longer ones add nothing
                if len(out) > MAX_PREFIXES:
                    out = _minimal(out)
                    if len(out) > MAX_PREFIXES:
                        raise _Unreadable
            return out
        if op in (_c.SUBPATTERN, _c.ATOMIC_GROUP):
            sub = arg[-1] if op is _c.SUBPATTERN else arg
            return _prefixes(list(sub) + seq[i + 1 :], 0, acc, depth + 1)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, high, item = arg
            item = list(item)
            if high == 0:
                i += 1
                continue
            fewer = [] if high == 1 else [(op, (max(low - 1, 0), high - 1 if high != _c.MAXREPEAT else high, item))]
            if low > 0:
                return _prefixes(item + fewer + seq[i + 1 :], 0, acc, depth + 1)
            skipped = _prefixes(seq, i + 1, acc, depth + 1)
            if acc in skipped:
                return {acc}  # as above: whatever the optional part starts, it starts with acc
            return skipped | _prefixes(item + fewer + seq[i + 1 :], 0, acc, depth + 1)
        if op in (_c.ASSERT, _c.ASSERT_NOT) or (op is _c.AT and arg in (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY)):
            i += 1
            continue
        return _stop(acc)
    return {acc} if acc else _stop(acc)


def _stop(acc: str) -> set[str]:
    if not acc:
        raise _Unreadable
    return {acc}


def _class_chars(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The lowercased ASCII characters a class matches, when it matches only those (digits allowed)."""
    out: set[str] = set()
    for op, arg in items:
        if op is _c.LITERAL and chr(arg).isascii():
            out.add(chr(arg).lower())
        elif op is _c.RANGE and arg[1] < 128 and arg[1] - arg[0] < 16:
            out.update(chr(x).lower() for x in range(arg[0], arg[1] + 1))
        elif op is _c.CATEGORY and arg is _c.CATEGORY_DIGIT:
            out.update(_DIGITS)  # \d also matches other scripts' digits: heads not in ASCII pass
        else:
            return None
    return frozenset(out)


def _only_non_alnum(op: Any, arg: Any) -> bool:
    """True for an item that matches only characters that are neither letters nor digits (of any
    script: a head may start with a letter of any script, and the leading run must not take it)."""
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return all(_only_non_alnum(*item) for item in arg[2])  # "\(?", "(?:\(\s*)?"
    if op is _c.SUBPATTERN:
        return all(_only_non_alnum(*item) for item in arg[-1])
    if op is _c.LITERAL:
        return not chr(arg).isalnum()
    if op is _c.IN:
        for sub_op, sub_arg in arg:
            if sub_op is _c.LITERAL:
                if chr(sub_arg).isalnum():
                    return False
            elif sub_op is _c.CATEGORY:
                if sub_arg not in (_c.CATEGORY_NOT_WORD, _c.CATEGORY_SPACE):
                    return False
            elif sub_op is _c.RANGE:
                low, high = sub_arg
                if high - low > 4096 or any(chr(x).isalnum() for x in range(low, high + 1)):
                    return False
            else:
                return False
        return True
    return False


#: characters whose count is worth a gate: not letters (case) and not digits (other scripts)
_COUNTED = frozenset(",;:|/·•–—")


#: marks a clause may hold: rare in prose, or (the colon) rare enough in short paragraphs
_CLAUSE_MARKS = frozenset("/|()[]@©#=:")
MAX_CLAUSES = 3


def _mark_clauses(tree: list[tuple[Any, Any]]) -> tuple[tuple[str, ...], ...]:
    try:
        clauses = _clauses(tree, 0)
    except RecursionError:
        return ()
    return tuple(sorted({tuple(sorted(c)) for c in clauses}, key=lambda c: (len(c), c)))[:MAX_CLAUSES]


def _clauses(seq: list[tuple[Any, Any]], depth: int) -> list[frozenset[str]]:
    if depth > 40:
        return []
    out: list[frozenset[str]] = []
    for op, arg in seq:
        if op is _c.LITERAL:
            if chr(arg) in _CLAUSE_MARKS:
                out.append(frozenset(chr(arg)))
        elif op is _c.SUBPATTERN:
            out += _clauses(list(arg[-1]), depth + 1)
        elif op is _c.ATOMIC_GROUP:
            out += _clauses(list(arg), depth + 1)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            if arg[0]:
                out += _clauses(list(arg[2]), depth + 1)
        elif op is _c.ASSERT and arg[0] == 1:
            out += _clauses(list(arg[1]), depth + 1)
        elif op is _c.BRANCH:
            union: set[str] = set()
            for branch in arg[1]:
                found = _clauses(list(branch), depth + 1)
                if not found:
                    union = set()
                    break
                union |= min(found, key=len)
            if union:
                out.append(frozenset(union))
    return out


def _char_counts(tree: list[tuple[Any, Any]]) -> tuple[tuple[str, int], ...]:
    try:
        counts = _count(tree, 0)
    except RecursionError:
        return ()
    return tuple(sorted((ch, n) for ch, n in counts.items() if n >= 2))


def _count(seq: list[tuple[Any, Any]], depth: int) -> dict[str, int]:
    """Least number of times each counted character occurs in the text a match of ``seq`` reads."""
    if depth > 40:
        return {}
    consumed: dict[str, int] = {}
    looked: list[dict[str, int]] = []
    for op, arg in seq:
        sub: dict[str, int] = {}
        if op is _c.LITERAL:
            ch = chr(arg)
            sub = {ch: 1} if ch in _COUNTED else {}
        elif op is _c.SUBPATTERN:
            sub = _count(list(arg[-1]), depth + 1)
        elif op is _c.ATOMIC_GROUP:
            sub = _count(list(arg), depth + 1)
        elif op is _c.BRANCH:
            branches = [_count(list(b), depth + 1) for b in arg[1]]
            sub = {ch: min(b.get(ch, 0) for b in branches) for ch in set().union(*branches)}
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low = arg[0]
            if low:
                sub = {ch: n * low for ch, n in _count(list(arg[2]), depth + 1).items()}
        elif op is _c.ASSERT and arg[0] == 1:  # a lookahead reads text the match goes on to read
            looked.append(_count(list(arg[1]), depth + 1))
            continue
        for ch, n in sub.items():
            consumed[ch] = consumed.get(ch, 0) + n
    for counts in looked:
        for ch, n in counts.items():
            consumed[ch] = max(consumed.get(ch, 0), n)
    return {ch: n for ch, n in consumed.items() if n}
