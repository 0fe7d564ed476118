"""Rules are data: per-language packs of patterns, each with examples that must and must not match.

A pack is a TOML file in this folder (``en.toml``, ``de.toml`` ...). Each ``[[rule]]`` has:

``id``
    unique, ``<lang>.<kind>.<name>``; removals name it as their reason.
``kind``
    what the text is (:class:`~cleanarticle.article.Kind`), e.g. ``ad`` or ``credit``.
``scope``
    ``block`` (the whole paragraph is boilerplate when the pattern is found in it), ``inline`` (the
    match, or its ``cut`` group, is a fragment cut out of a kept paragraph) or ``dateline`` (nothing is
    removed; the named groups only feed the credits, e.g. the agency in ``LONDON (Reuters) -``).
``pattern``
    a `regex <https://pypi.org/project/regex/>`_ pattern, compiled once, case-insensitive unless
    ``case_sensitive = true``. Named groups ``sources``, ``authors``, ``reporters``, ``writers``,
    ``editors``, ``contributors``, ``photographers`` (and ``people``, whose field is the rule's ``role``)
    hold names for the credit parser.
``examples`` / ``counterexamples``
    text the pattern must find / must not find; the test suite checks every rule against both, and
    :func:`load_pack` refuses a rule that has no example.
``max_chars``
    block rules only look at paragraphs up to this length (boilerplate is short); default 300.
``requires``
    optional lowercase literals; the pattern only runs on a paragraph whose case-folded text holds at
    least one of them, checked by the tests: every example must hold one. Without it the literals are
    read off the pattern (:mod:`cleanarticle.rules.triggers`), so it is only needed where that
    reading finds nothing or too little.

Patterns run with a timeout (:data:`REGEX_TIMEOUT`): a pathological line can cost at most that much
per rule before the rule is treated as not matching and the article records a warning. Before that,
gates read off each pattern (:mod:`cleanarticle.rules.gates`: its opening words, the marks it needs)
skip the searches that cannot succeed; :meth:`RuleSet.matchers` hands the filters what is left.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import regex

from cleanarticle.article import CREDIT_FIELDS, Kind
from cleanarticle.errors import ConfigError, RuleError
from cleanarticle.rules.gates import Gates, head_of, read_gates
from cleanarticle.rules.triggers import Dispatch, bit_set, derive_triggers, split_alternatives, tail_width

#: Seconds one pattern may spend on one paragraph before it is treated as not matching.
REGEX_TIMEOUT = 0.25

#: Block rules skip paragraphs longer than this unless the rule says otherwise.
DEFAULT_MAX_CHARS = 300

SCOPES = ("block", "inline", "dateline")
NAME_GROUPS = (*CREDIT_FIELDS, "people")

#: Packs that ship with the library, in the order they run.
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "hi")


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One compiled rule. Immutable and picklable (the pattern is recompiled on unpickling)."""

    id: str
    kind: Kind
    scope: str
    pattern: str
    language: str = "xx"
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    case_sensitive: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    role: str = "authors"
    description: str = ""
    requires: tuple[str, ...] = ()
    #: compile on first use instead of at construction (shipped packs: a pack costs its compile
    #: time only in processes whose documents need it)
    lazy: bool = field(default=False, repr=False, compare=False)
    compiled: Any = field(default=None, repr=False, compare=False)
    prefilter: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise RuleError(f"rule {self.id!r}: scope must be one of {SCOPES}, not {self.scope!r}")
        if self.role not in CREDIT_FIELDS:
            raise RuleError(f"rule {self.id!r}: role must be one of {CREDIT_FIELDS}, not {self.role!r}")
        # the literals as one alternation for the stdlib engine: linear, and far cheaper per call
        # than a Python loop of substring tests
        prefilter = re.compile("|".join(re.escape(x) for x in self.requires)) if self.requires else None
        object.__setattr__(self, "prefilter", prefilter)
        if not self.lazy:
            self._compile()

    def _compile(self) -> Any:
        """Compile and validate the pattern (once; shipped packs do it on first use)."""
        if self.compiled is not None:
            return self.compiled
        flags = regex.VERSION0 | (0 if self.case_sensitive else regex.IGNORECASE)
        try:
            compiled = regex.compile(self.pattern, flags, ignore_unused=True, **named_lists())
        except regex.error as exc:
            raise RuleError(f"rule {self.id!r}: bad pattern: {exc}") from exc
        if compiled.search("") is not None:
            raise RuleError(f"rule {self.id!r}: pattern matches the empty string")
        unknown = set(compiled.groupindex) - {*NAME_GROUPS, "cut"}
        if unknown:
            raise RuleError(f"rule {self.id!r}: unknown named groups {sorted(unknown)}")
        object.__setattr__(self, "compiled", compiled)
        return compiled

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Rule,
            (
                self.id,
                self.kind,
                self.scope,
                self.pattern,
                self.language,
                self.examples,
                self.counterexamples,
                self.case_sensitive,
                self.max_chars,
                self.role,
                self.description,
                self.requires,
                self.lazy,
            ),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rule) and self.__reduce__()[1] == other.__reduce__()[1]

    def __hash__(self) -> int:
        return hash((self.id, self.pattern))

    def may_match(self, folded: str) -> bool:
        """False when the prefilter proves the pattern cannot match (``folded`` is the casefolded text)."""
        return self.prefilter is None or self.prefilter.search(folded) is not None

    @property
    def triggers(self) -> tuple[str, ...] | None:
        """Case-folded literals one of which every match holds (``requires``, else read off the
        pattern); None when the rule must run on every paragraph."""
        return self.requires or _derived_triggers(self.pattern)

    def search(self, text: str, timeout: float = REGEX_TIMEOUT, folded: str | None = None) -> Any:
        """``regex`` match object or None; raises ``TimeoutError`` past ``timeout`` seconds.

        Given ``folded`` (``text.casefold()``), a rule of many alternatives only tries those whose
        trigger literals the text holds (see :func:`_narrowed`): the same match, found sooner.
        """
        # the timeout passed by position: `regex` parses keyword arguments slowly (about 1.3 µs a call,
        # a tenth of the text layers' regex time); the order is (string, pos, endpos, concurrent,
        # partial, timeout), which tests/test_rules.py checks against a pattern that must time out
        return self._pattern_for(folded).search(text, None, None, None, False, timeout)

    def finditer(self, text: str, timeout: float = REGEX_TIMEOUT, folded: str | None = None) -> Any:
        # (string, pos, endpos, overlapped, concurrent, partial, timeout): see search
        return self._pattern_for(folded).finditer(text, None, None, False, None, False, timeout)

    def _pattern_for(self, folded: str | None) -> Any:
        compiled = self.compiled or self._compile()
        if folded is None:
            return compiled
        plan = _alternatives_plan(self.pattern)
        if plan is None:
            return compiled
        return _narrowed(self.pattern, self.case_sensitive, plan, folded) or compiled

    def check_examples(self) -> list[str]:
        """Problems with this rule's own examples (empty when it agrees with all of them)."""
        problems = []
        triggers = self.triggers
        for ex in self.examples:
            if not self.may_match(ex.casefold()):
                problems.append(f"{self.id}: example holds none of requires={list(self.requires)}: {ex!r}")
            elif triggers is not None and not any(t in ex.casefold() for t in triggers):
                problems.append(f"{self.id}: example holds none of its triggers {list(triggers)[:10]}: {ex!r}")
            found = self.search(ex, timeout=2.0)
            if found is None:
                problems.append(f"{self.id}: example not matched: {ex!r}")
            elif (narrowed := self.search(ex, timeout=2.0, folded=ex.casefold())) is None or (
                narrowed.span() != found.span()
            ):
                problems.append(f"{self.id}: narrowed to its triggered alternatives, it misses: {ex!r}")
            elif self.scope == "block" and len(ex.strip()) > self.max_chars:
                problems.append(f"{self.id}: example longer than max_chars={self.max_chars}: {ex!r}")
        for ex in self.counterexamples:
            found = self.search(ex, timeout=2.0)
            if (found is None) != (self.search(ex, timeout=2.0, folded=ex.casefold()) is None):
                problems.append(f"{self.id}: narrowed to its triggered alternatives, it differs on: {ex!r}")
            if found is not None and not (
                self.scope == "block" and len(ex.strip()) > self.max_chars
            ):
                problems.append(f"{self.id}: counterexample matched: {ex!r}")
        return problems


def rule_from_mapping(data: Mapping[str, Any], *, language: str = "xx", lazy: bool = False) -> Rule:
    """Build a :class:`Rule` from a TOML table or a plain dict (for users adding their own rules)."""
    known = {
        "id", "kind", "scope", "pattern", "examples", "counterexamples", "case_sensitive",
        "max_chars", "role", "description", "language", "requires",
    }
    unknown = set(data) - known
    if unknown:
        raise RuleError(f"rule {data.get('id')!r}: unknown keys {sorted(unknown)}")
    for key in ("id", "kind", "pattern"):
        if not data.get(key):
            raise RuleError(f"rule {data.get('id')!r}: missing {key!r}")
    try:
        kind = Kind(data["kind"])
    except ValueError:
        raise RuleError(
            f"rule {data['id']!r}: unknown kind {data['kind']!r}; one of {[k.value for k in Kind]}"
        ) from None
    examples = tuple(data.get("examples", ()))
    if not examples:
        raise RuleError(f"rule {data['id']!r}: a rule needs at least one example")
    return Rule(
        id=str(data["id"]),
        kind=kind,
        scope=str(data.get("scope", "block")),
        pattern=str(data["pattern"]),
        language=str(data.get("language", language)),
        examples=examples,
        counterexamples=tuple(data.get("counterexamples", ())),
        case_sensitive=bool(data.get("case_sensitive", False)),
        max_chars=int(data.get("max_chars", DEFAULT_MAX_CHARS)),
        role=str(data.get("role", "authors")),
        description=str(data.get("description", "")),
        requires=tuple(str(x).casefold() for x in data.get("requires", ())),
        lazy=lazy,
    )


@dataclass(frozen=True, slots=True)
class RulePack:
    """The rules of one language, plus the words that join names in a list ("and", "und" ...)."""

    language: str
    rules: tuple[Rule, ...]
    conjunctions: tuple[str, ...] = ()
    #: credit field -> phrases that open a clause for it ("reporting by"), longest first
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def of_scope(self, scope: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.scope == scope)


@cache
def load_pack(language: str) -> RulePack:
    """The pack shipped for ``language``; cached, so every Cleaner shares the compiled patterns."""
    if language not in LANGUAGES:
        raise ConfigError(f"no rule pack for language {language!r}; available: {', '.join(LANGUAGES)}")
    text = resources.files(__package__).joinpath(f"{language}.toml").read_text(encoding="utf-8")
    return parse_pack(text, language)


def parse_pack(text: str, language: str) -> RulePack:
    """Parse a pack from TOML text; ids must be unique and start with the language code."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"rule pack {language!r}: {exc}") from exc
    rules = tuple(rule_from_mapping(r, language=language, lazy=True) for r in data.get("rule", ()))
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise RuleError(f"rule pack {language!r}: duplicate id {r.id!r}")
        if not r.id.startswith(language + "."):
            raise RuleError(f"rule pack {language!r}: id {r.id!r} must start with {language + '.'!r}")
        seen.add(r.id)
    roles = data.get("roles", {})
    unknown_roles = set(roles) - set(CREDIT_FIELDS)
    if unknown_roles:
        raise RuleError(f"rule pack {language!r}: unknown role fields {sorted(unknown_roles)}")
    return RulePack(
        language,
        rules,
        tuple(data.get("conjunctions", ())),
        tuple((field_name, tuple(phrases)) for field_name, phrases in roles.items()),
    )


def load_packs(languages: Iterable[str]) -> tuple[RulePack, ...]:
    return tuple(load_pack(lang) for lang in languages)


@lru_cache(maxsize=1)
def load_common() -> Mapping[str, Any]:
    """Shared data: known agencies and outlets, title words, DOM tokens (``common.toml``)."""
    text = resources.files(__package__).joinpath("common.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=256)
def _subset(ruleset: RuleSet, languages: tuple[str, ...]) -> RuleSet:
    packs = tuple(p for p in ruleset.packs if p.language in languages)
    ids = {r.id for p in packs for r in p.rules} | {r.id for r in ruleset.extra}
    # each subset builds its own trigger index (about 30-50 ms once, the triggers themselves are
    # read once per pattern): an index of every pack's literals scans twice as slowly per character
    return RuleSet(packs, ruleset.extra, frozenset(ruleset.disabled & ids))


@lru_cache(maxsize=4096)
def _derived_triggers(pattern: str) -> tuple[str, ...] | None:
    return derive_triggers(pattern, named_lists())


def _alternative_literals(rule: Rule) -> list[tuple[str, ...] | None] | None:
    """What the Dispatch scans for besides a rule's own triggers: each alternative's literals when
    the rule is searched by alternatives (see :func:`_alternatives_plan`); for a rule with
    hand-written ``requires``, the literals read off its pattern as one more condition (" is " and
    one of "editor", "writer"... for a staff bio: " is " alone is in most paragraphs); else None."""
    plan = _alternatives_plan(rule.pattern)
    if plan is not None:
        return [lits for _, lits in plan[1]]
    if rule.requires and (derived := _derived_triggers(rule.pattern)) is not None:
        return [derived]
    return None


@lru_cache(maxsize=4096)
def _tail_width(pattern: str) -> int | None:
    return tail_width(pattern, named_lists())


@lru_cache(maxsize=4096)
def _gates(pattern: str) -> Gates:
    return read_gates(pattern, named_lists())


@lru_cache(maxsize=4096)
def _span_triggers(pattern: str) -> tuple[str, ...] | None:
    return derive_triggers(pattern, named_lists(), lookbehind=False)


@lru_cache(maxsize=4096)
def _exact_triggers(pattern: str) -> tuple[str, ...] | None:
    return derive_triggers(pattern, named_lists(), fold=False)


class _SearchPlan:
    """What :meth:`RuleSet.matchers` needs to search one rule of a Dispatch, read once."""

    __slots__ = (
        "alternative_marks", "case_sensitive", "clauses", "compiled", "counts", "derived_bit", "empty", "exact_triggers",
        "gated_by_marks", "heads", "inline", "max_chars", "narrowed", "narrowing", "pattern", "rule", "tail_triggers",
        "width",
    )

    def __init__(self, rule: Rule, alternatives: tuple[int, int, int] | None) -> None:
        self.rule = rule
        self.pattern = rule.pattern
        self.case_sensitive = rule.case_sensitive
        self.max_chars = rule.max_chars
        self.inline = rule.scope == "inline"
        self.compiled = rule.compiled  # compiled when first searched: most rules never are
        plan = _alternatives_plan(rule.pattern) if alternatives is not None else None
        #: (the Dispatch's bits of the rule's alternatives, the alternatives) when searched by parts
        self.narrowing = (alternatives, plan) if alternatives is not None and plan is not None else None
        #: the Dispatch's bit of the literals read off a pattern whose triggers are its ``requires``
        self.derived_bit = 1 << alternatives[0] if alternatives is not None and plan is None else 0
        #: (bit of an alternative, its mark clauses): "Name / AFP" needs its "/" as well as "afp"
        self.alternative_marks = tuple(
            (1 << j, clauses)
            for j, (part, _) in enumerate(plan[1] if self.narrowing and plan else ())
            if (clauses := _gates(part).clauses)
        )
        #: for a case-sensitive rule: its literals as written, one of which the paragraph holds as
        #: written (the Dispatch scans case-folded text: "more" is in most paragraphs, "MORE" is not)
        self.exact_triggers = _exact_triggers(rule.pattern) if rule.case_sensitive else None
        self.width = _tail_width(rule.pattern)
        #: for a rule searched in a tail window: literals one of which the window itself must hold
        self.tail_triggers = _span_triggers(rule.pattern) if self.width is not None else None
        gates = _gates(rule.pattern)
        self.counts = gates.counts
        self.clauses = gates.clauses
        #: the head gate's prefixes by their first character (None: no head gate): a paragraph's
        #: head is compared with those of its own first letter only (a rule may open with 78
        #: words; after an extraction each one compared is a cache miss)
        self.heads: dict[str, tuple[str, ...]] | None = None
        if gates.head is not None:
            self.heads = {}
            for prefix in gates.head.prefixes:
                self.heads[prefix[0]] = (*self.heads.get(prefix[0], ()), prefix)
        self.empty = gates.head.empty if gates.head is not None else True
        self.gated_by_marks = bool(self.counts or self.clauses)
        #: the rule cut down to some of its alternatives, by their bit set (see _narrowed_to)
        self.narrowed: dict[int, Any] = {}


#: narrowed patterns each rule keeps at hand (the shared cache behind them holds more)
_NARROWED_PER_RULE = 64
#: inline matchers kept for paragraphs the inline filter has not reached yet
_INLINE_NEXT_SIZE = 4096


# Loops, not any()/all() over generators: these run for every candidate rule of every paragraph,
# and a generator costs more to set up than the one or two tests it makes.
def _fails_marks(plan: _SearchPlan, text: str) -> bool:
    """True when ``text`` lacks a mark the plan's counts or clauses need."""
    for char, least in plan.counts:
        if text.count(char) < least:
            return True
    return _lacks_a_clause(text, plan.clauses)


def _lacks_a_clause(text: str, clauses: tuple[tuple[str, ...], ...]) -> bool:
    """True when ``text`` holds no mark of one of the clauses."""
    for clause in clauses:  # noqa: SIM110 - see above
        if not _holds_any(text, clause):
            return True
    return False


def _holds_any(text: str, literals: tuple[str, ...]) -> bool:
    for literal in literals:  # noqa: SIM110 - see above
        if literal in text:
            return True
    return False


class _Prefilter:
    """Bit masks over one Dispatch's rules that leave out, before any per-rule step, the block rules
    a paragraph is too long for and the rules whose head gate its first letter already fails."""

    def __init__(self, dispatch: Dispatch) -> None:
        self.dispatch = dispatch
        self.block_or_inline = dispatch.scope_bits("block") | dispatch.scope_bits("inline")
        rules: tuple[Rule, ...] = dispatch.rules
        self.plans: list[_SearchPlan] = [_SearchPlan(r, dispatch.alternatives_of(i)) for i, r in enumerate(rules)]
        self.limits = sorted({r.max_chars for r in rules if r.scope == "block"})
        other = bit_set(i for i, r in enumerate(rules) if r.scope != "block")
        #: by_length[k]: the rules for a paragraph of at most limits[k] characters; one more: longer
        self.by_length = [
            other | bit_set(i for i, r in enumerate(rules) if r.scope == "block" and r.max_chars >= limit)
            for limit in self.limits
        ] + [other]
        gated = [i for i, p in enumerate(self.plans) if p.heads is not None]
        self.gated = bit_set(gated)
        open_ = ((1 << len(rules)) - 1) & ~self.gated
        self.empty_head = open_ | bit_set(i for i in gated if self.plans[i].empty)
        by_first: dict[str, int] = {}
        for i in gated:
            for first in self.plans[i].heads or ():
                by_first[first] = by_first.get(first, 0) | 1 << i
        self.open = open_
        self.by_first = by_first


#: Rules of fewer top-level alternatives are searched whole; more literals than this per rule cost
#: more to test than the narrowing saves.
MIN_ALTERNATIVES = 4
MAX_PLAN_LITERALS = 200


Plan = tuple[str, tuple[tuple[str, tuple[str, ...] | None], ...]]


@lru_cache(maxsize=4096)
def _alternatives_plan(pattern: str) -> Plan | None:
    """The lookaround prefix and the top-level alternatives of a pattern with their trigger
    literals, when narrowing pays."""
    split = split_alternatives(pattern)
    if split is None or len(split[1]) < MIN_ALTERNATIVES:
        return None
    prefix, parts = split
    plan = tuple((part, derive_triggers(part, named_lists())) for part in parts)
    if sum(len(t or ()) for _, t in plan) > MAX_PLAN_LITERALS or all(t is None for _, t in plan):
        return None
    return prefix, plan


_NARROWED: dict[tuple[str, bool, int], Any] = {}
_NARROWED_SIZE = 1024


def _narrowed(pattern: str, case_sensitive: bool, prefixed_plan: Plan, folded: str) -> Any:
    """The pattern cut down to the alternatives whose triggers ``folded`` holds; None for all of them.

    An alternative without any of its literals cannot match anywhere in the text, and the engine
    takes the leftmost match, then the first alternative matching there: dropping alternatives that
    cannot match changes no match. Named groups of dropped alternatives are missing from the
    narrowed pattern; they could not have captured anything (readers of names look the groups up in
    the rule's whole pattern, see ``credits.names_from_match``). The 20 alternatives of an appeal
    rule cost 200 µs on a long paragraph where one or two could apply.
    """
    plan = prefixed_plan[1]
    keep = bit_set(i for i, (_, lits) in enumerate(plan) if lits is None or any(x in folded for x in lits))
    if keep == (1 << len(plan)) - 1:
        return None
    return _narrowed_to(pattern, case_sensitive, prefixed_plan, keep)


def _narrowed_to(pattern: str, case_sensitive: bool, prefixed_plan: Plan, keep: int) -> Any:
    """The pattern cut down to the alternatives of bit set ``keep`` (bit ``i``: the ``i``-th one)."""
    if not keep:
        return _NEVER
    key = (pattern, case_sensitive, keep)
    found = _NARROWED.get(key)
    if found is None:
        prefix, plan = prefixed_plan
        flags = regex.VERSION0 | (0 if case_sensitive else regex.IGNORECASE)
        parts = [part for i, (part, _) in enumerate(plan) if keep >> i & 1]
        # alternatives that all start with "^" behind a lookaround: said up front, the engine tries
        # the paragraph's start only, instead of every position (3.6 against 0.3 µs on 300 characters)
        anchor = "^" if prefix and all(part.startswith("^") for part in parts) else ""
        found = regex.compile(f"{anchor}{prefix}(?:{'|'.join(parts)})", flags, ignore_unused=True, **named_lists())
        if len(_NARROWED) >= _NARROWED_SIZE:
            _NARROWED.clear()
        _NARROWED[key] = found
    return found


#: matches nothing: a rule none of whose alternatives' literals the text holds
_NEVER = regex.compile(r"(?!)")


@lru_cache(maxsize=1)
def named_lists() -> dict[str, list[str]]:
    """The lists a pattern may name with ``\\L<name>``: every list in ``common.toml``."""
    common = load_common()
    return {k: sorted(v, key=len, reverse=True) for k, v in common.items() if isinstance(v, list)}


def all_rules(languages: Sequence[str] = LANGUAGES) -> tuple[Rule, ...]:
    return tuple(r for p in load_packs(languages) for r in p.rules)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules one Cleaner runs: its language packs, plus extra rules, minus disabled ids."""

    packs: tuple[RulePack, ...]
    extra: tuple[Rule, ...] = ()
    disabled: frozenset[str] = frozenset()
    block: tuple[Rule, ...] = field(init=False, default=())
    inline: tuple[Rule, ...] = field(init=False, default=())
    dateline: tuple[Rule, ...] = field(init=False, default=())
    #: the longest paragraph any block rule looks at
    block_max_chars: int = field(init=False, default=0)
    _dispatch: dict[str, Dispatch] = field(init=False, default_factory=dict, repr=False, compare=False)
    #: per Dispatch (by length tier): what searching each of its rules takes, and the masks that skip them
    _prefilters: dict[str, _Prefilter] = field(init=False, default_factory=dict, repr=False, compare=False)
    #: the inline matchers of paragraphs whose block matchers were just made, until asked for
    _inline_next: dict[str, list[tuple[Rule, Any, int]]] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        rules = [r for p in self.packs for r in p.rules] + list(self.extra)
        known = {r.id for r in rules}
        unknown = self.disabled - known
        if unknown:
            raise ConfigError(f"unknown rule ids {sorted(unknown)}; see cleanarticle.rules.all_rules()")
        ids = [r.id for r in rules]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ConfigError(f"rule ids must be unique; repeated: {sorted(dupes)}")
        active = [r for r in rules if r.id not in self.disabled]
        for scope in SCOPES:
            object.__setattr__(self, scope, tuple(r for r in active if r.scope == scope))
        object.__setattr__(self, "block_max_chars", max((r.max_chars for r in self.block), default=0))

    def __reduce__(self) -> tuple[Any, ...]:
        return (RuleSet, (self.packs, self.extra, self.disabled))

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.block + self.inline + self.dateline

    def candidates(self, scope: str, text: str) -> tuple[Rule, ...]:
        """The rules of ``scope`` that may match paragraph ``text``, in order: those whose trigger
        literals it holds (see :mod:`cleanarticle.rules.triggers`).

        Block and inline rules share one scan of the paragraph. A paragraph longer than the default
        ``max_chars`` is scanned only for the literals of the rules that still look at it: half the
        text of an article is in such paragraphs, and most block rules never read them.
        """
        return self._dispatch_for(text).candidates(text, scope)

    def matchers(self, scope: str, text: str) -> list[tuple[Rule, Any, int]]:
        """``(rule, compiled pattern, start)`` for the rules :meth:`candidates` gives, each pattern
        cut down to the alternatives whose trigger literals the paragraph holds (see
        :func:`_narrowed`), and ``start`` the position its search may begin at: past 0 only for a
        pattern anchored at the paragraph's end whose matches are short (see :func:`tail_width`).

        A block rule is left out of a paragraph longer than its ``max_chars``, and any rule whose
        gates (see :mod:`cleanarticle.rules.gates`) prove it cannot match:
        a rule anchored at the start whose opening words the paragraph does not begin with, or one
        needing a character more often than the paragraph holds it.

        Searching these patterns from ``start`` finds what each rule's whole pattern finds from the
        paragraph's start; the matching filters use this instead of :meth:`Rule.search`.
        """
        if scope == "inline":
            found = self._inline_next.pop(text, None)
            if found is not None:
                return found
        n = len(text)
        pre = self._prefilters.get("short" if n <= DEFAULT_MAX_CHARS else "long")
        if pre is None:
            dispatch = self._dispatch_for(text)
            pre = self._prefilters["short" if n <= DEFAULT_MAX_CHARS else "long"] = _Prefilter(dispatch)
        hits = pre.dispatch.hits(text)
        out: list[tuple[Rule, Any, int]] = []
        inline: list[tuple[Rule, Any, int]] | None = None
        if scope == "block":  # the inline filter asks next: its rules come out of the same loop
            inline = []
            if len(self._inline_next) >= _INLINE_NEXT_SIZE:
                self._inline_next.clear()
            self._inline_next[text] = inline
            wanted = hits & pre.block_or_inline
        else:
            wanted = hits & pre.dispatch.scope_bits(scope)
        if not wanted:
            return out
        wanted &= pre.by_length[bisect_left(pre.limits, n)]  # block rules long enough for it
        head = None
        if wanted & pre.gated:
            head = head_of(text)
            if head is not None:  # the rules whose opening words can start this head
                wanted &= (pre.open | pre.by_first.get(head[0], 0)) if head else pre.empty_head
        plans = pre.plans
        while wanted:  # the rules in order: lowest bit first
            low = wanted & -wanted
            wanted ^= low
            plan = plans[low.bit_length() - 1]
            if head and plan.heads is not None and not head.startswith(plan.heads[head[0]]):
                continue  # a rule anchored at the start, opened by other words (by_first: some of
                # its opening words begin with the head's first letter)
            if plan.gated_by_marks and _fails_marks(plan, text):
                continue
            if plan.derived_bit and not hits & plan.derived_bit:
                continue  # its ``requires`` are there, none of the literals its pattern needs
            if plan.exact_triggers is not None and not _holds_any(text, plan.exact_triggers):
                continue  # case-sensitive: its literals are there in other case only
            start = 0
            if plan.width is not None:
                start = max(0, n - plan.width - 1)  # "$" also matches before a final line break
                if start and plan.tail_triggers is not None and not _holds_any(text[start:].casefold(), plan.tail_triggers):
                    continue
            compiled = plan.compiled
            if compiled is None:
                compiled = plan.compiled = plan.rule.compiled or plan.rule._compile()
            if plan.narrowing is not None:
                (base, full, always), alternatives = plan.narrowing
                keep = (hits >> base & full) | always
                for bit, clauses in plan.alternative_marks:
                    if keep & bit and _lacks_a_clause(text, clauses):
                        keep &= ~bit
                if not keep:
                    continue  # the rule's own triggers are there, none of its alternatives' are
                if keep != full:
                    compiled = plan.narrowed.get(keep)
                    if compiled is None:
                        if len(plan.narrowed) >= _NARROWED_PER_RULE:
                            plan.narrowed.clear()
                        compiled = plan.narrowed[keep] = _narrowed_to(plan.pattern, plan.case_sensitive, alternatives, keep)
            if inline is not None and plan.inline:
                inline.append((plan.rule, compiled, start))
            else:
                out.append((plan.rule, compiled, start))
        return out

    def _dispatch_for(self, text: str) -> Dispatch:
        tier = "short" if len(text) <= DEFAULT_MAX_CHARS else "long"  # the length max_chars bounds
        dispatch = self._dispatch.get(tier)
        if dispatch is None:
            block = self.block if tier == "short" else tuple(r for r in self.block if r.max_chars > DEFAULT_MAX_CHARS)
            rules = block + self.inline
            dispatch = self._dispatch[tier] = Dispatch(
                rules, [r.triggers for r in rules], alternatives=[_alternative_literals(r) for r in rules]
            )
        return dispatch

    def clear_caches(self) -> None:
        """Forget the trigger hits remembered for paragraphs already seen."""
        for dispatch in self._dispatch.values():
            dispatch.clear_cache()
        self._inline_next.clear()

    def subset(self, languages: tuple[str, ...]) -> RuleSet:
        """The same configuration restricted to ``languages`` (extra rules always stay)."""
        return _subset(self, languages)

    def pack_for(self, rule: Rule) -> RulePack | None:
        for p in self.packs:
            if p.language == rule.language:
                return p
        return None
