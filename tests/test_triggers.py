"""Trigger literals: read off patterns soundly, and dispatch never skips a rule that would match."""

from __future__ import annotations

import functools
import sys
import types

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanarticle.rules import LANGUAGES, Rule, RuleSet, all_rules, load_packs, named_lists
from cleanarticle.rules.triggers import FOLDS_AFTER_LOWER, Dispatch, derive_triggers


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^[\W_]*advertisement[\W_]*$", ("advertisement",)),
        (r"^(?:also read|read more)\b", ("also read", "read more")),
        (r"^(?:sign up )?for our (?:daily )?newsletter", ("newsletter",)),  # the longest required run wins
        (r"(?P<sources>PTI|IANS)(?:\s*and\s*(?P<sources>PTI|IANS))*", ("ians", "pti")),  # names reused
        (r"(?=.*\bsubscri)\bplease\b", ("subscri",)),  # a lookahead's text is in the paragraph too
        (r"\L<tiny>", ("afp", "dpa")),
        (r"(?(DEFINE)(\L<tiny>))^\W*(?1)$", ("afp", "dpa")),  # a DEFINE'd group, called by number
    ],
)
def test_triggers_read_off_patterns(pattern: str, expected: tuple[str, ...]) -> None:
    assert derive_triggers(pattern, {"tiny": ["AFP", "dpa"]}) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\w+$",  # no literal at all
        r"^(?:advert)?\d+$",  # the only literal is optional
        r"^(?:advertisement|\d+)$",  # one branch has none: the union proves nothing
        r"^[\s\p{P}]{2,}$",
        r"(?<!x) $",  # a blank literal would fire everywhere
        r"(?!advert)\w+",  # a negative lookahead proves nothing
    ],
)
def test_no_triggers_when_none_can_be_proved(pattern: str) -> None:
    assert derive_triggers(pattern, {}) is None


def test_almost_every_shipped_rule_has_triggers() -> None:
    rules = all_rules()
    without = [r.id for r in rules if r.triggers is None]
    assert len(without) <= 0.05 * len(rules), without


def _every_example() -> list[str]:
    return [ex for r in all_rules() for ex in (*r.examples, *r.counterexamples)]


@pytest.mark.parametrize("scope", ["block", "inline"])
def test_dispatch_never_skips_a_rule_that_matches(scope: str) -> None:
    """Every rule that matches any example or counterexample of any shipped rule is a candidate.

    A rule with hand-written ``requires`` runs only where they are, by definition (so those are
    checked for that instead), and only where one of the literals read off its pattern is too; the
    literals read off a pattern must never skip a match.
    """
    ruleset = RuleSet(load_packs(LANGUAGES))
    rules = getattr(ruleset, scope)
    pruned = 0
    for line in _every_example():
        candidates = {r.id for r in ruleset.candidates(scope, line)}
        pruned += len(rules) - len(candidates)
        folded = line.casefold()
        for rule in rules:
            if rule.requires:
                if rule.id in candidates:
                    assert any(x in folded for x in rule.requires), (rule.id, line)
                elif (scope == "inline" or len(line) <= rule.max_chars) and any(x in folded for x in rule.requires):
                    # skipped although its requires are there: none of the literals of its pattern is
                    derived = derive_triggers(rule.pattern, named_lists())
                    assert derived is not None and not any(x in folded for x in derived), (rule.id, line)
                    assert rule.search(line) is None, (rule.id, line)
            elif rule.id not in candidates and (scope == "inline" or len(line) <= rule.max_chars):
                assert rule.search(line) is None, (rule.id, line)
    assert pruned > 0.5 * len(rules) * len(_every_example())  # and it does prune


@pytest.mark.parametrize("scope", ["block", "inline"])
def test_matchers_find_what_the_whole_patterns_find(scope: str) -> None:
    """The patterns the matching filters run (each rule cut down by the same scan to the
    alternatives the paragraph calls for) find the same match as the rule's whole pattern, on every
    example and counterexample of every shipped rule; and block rules are cut down (no shipped
    inline rule has enough alternatives to be worth it)."""
    ruleset = RuleSet(load_packs(LANGUAGES))
    narrowed = 0
    for line in _every_example():
        for rule, pattern, start in ruleset.matchers(scope, line):
            whole = rule.search(line)
            found = pattern.search(line, start)
            assert (found and found.span()) == (whole and whole.span()), (rule.id, line)
            narrowed += pattern is not rule.compiled
    assert narrowed > 1000 or scope == "inline"


@pytest.mark.parametrize(
    ("pattern", "width"),
    [
        (r"(?<=[.!?]\s*)\((?:PTI|IANS)\)\s{0,3}$", 9),  # the lookbehind reads, it spans nothing
        (r"\(PTI\)$|--\s?AFP\Z", 6),  # every alternative anchored at the end
        (r"\(\L<tiny>\)$", 5),  # a named list: its longest item
        (r"\(PTI\)\s*$", None),  # a match of any length
        (r"\(PTI\)", None),  # not anchored at the end
        (r"\(PTI\)$|AFP", None),  # one alternative is not
    ],
)
def test_tail_width(pattern: str, width: int | None) -> None:
    from cleanarticle.rules.triggers import tail_width

    assert tail_width(pattern, {"tiny": ["AFP", "dpa"]}) == width


def test_a_tail_search_finds_what_a_whole_search_finds() -> None:
    """The search of an end-anchored rule starts a bounded distance from the paragraph's end; its
    lookbehind still reads the sentence end before that start."""
    ruleset = RuleSet(load_packs(("en",)))
    line = "The minister, who spoke at length about the budget, said the works would end in May. (PTI)"
    (rule, pattern, start), = [m for m in ruleset.matchers("inline", line) if m[0].id == "en.credit.agency-glued"]
    assert start > 50
    found = pattern.search(line, start)
    assert found is not None and found.span("cut") == rule.search(line).span("cut") == (len(line) - 5, len(line))
    no_stop = line.replace("May. (PTI)", "May (PTI)")
    assert next(m for m in ruleset.matchers("inline", no_stop) if m[0].id == rule.id)[1].search(no_stop, start) is None


@pytest.mark.parametrize("automaton", [True, False], ids=["automaton", "trie"])
def test_select_names_the_alternatives_a_paragraph_holds(automaton: bool) -> None:
    rules = [Rule(id="xx.other.alts", kind="other", scope="block", pattern="a|(?:also read)|bc|\\d+", examples=("a",))]  # type: ignore[arg-type]
    alternatives = [[("a",), ("also read",), ("bc",), None]]
    dispatch = Dispatch(rules, [None], alternatives=alternatives, automaton=automaton)
    assert dispatch.select("also read bc") == [(rules[0], None)]  # "a" is in "also read": all of them
    assert dispatch.select("the abc", "block") == [(rules[0], 0b1101)]  # a, bc and the digits, which always run
    assert dispatch.select("xyz", "block") == [(rules[0], 0b1000)]
    assert dispatch.select("xyz", "inline") == []


@pytest.mark.parametrize("automaton", [True, False], ids=["automaton", "trie"])
def test_dispatch_sees_overlapping_and_nested_literals(automaton: bool) -> None:
    rules = [
        Rule(id=f"xx.other.r{i}", kind="other", scope="block", pattern=p, examples=(e,))  # type: ignore[arg-type]
        for i, (p, e) in enumerate(
            [("also read", "also read"), ("read more", "read more"), ("advert", "advert"), ("advertisement", "advertisement")]
        )
    ]
    dispatch = Dispatch(rules, [r.triggers for r in rules], automaton=automaton)
    assert [r.id for r in dispatch.candidates("also read more")] == ["xx.other.r0", "xx.other.r1"]
    assert [r.id for r in dispatch.candidates("an advertisement")] == ["xx.other.r2", "xx.other.r3"]
    assert list(dispatch.candidates("the council met on monday")) == []


_WORDS = ["also", "read", "more", "advert", "isement", "news", "letter", "sign", "up", " ", "(", "pti", ")", "©", "ß"]


@given(st.lists(st.sampled_from(_WORDS), max_size=12).map("".join))
def test_dispatch_is_sound_on_glued_fragments(text: str) -> None:
    ruleset = RuleSet(load_packs(("en",)))
    for scope in ("block", "inline"):
        candidates = {r.id for r in ruleset.candidates(scope, text)}
        for rule in getattr(ruleset, scope):
            if rule.id not in candidates and not rule.requires:
                assert rule.search(text) is None, (rule.id, text)


@functools.cache
def _both_scans() -> tuple[Dispatch, Dispatch]:
    ruleset = RuleSet(load_packs(LANGUAGES))
    rules = ruleset.block + ruleset.inline
    triggers = [r.triggers for r in rules]
    return Dispatch(rules, triggers), Dispatch(rules, triggers, automaton=False)


@settings(deadline=None)  # the first example builds both scans of every pack (a second or so)
@given(st.lists(st.sampled_from([*_WORDS, "advertisement", "inputs from", "—", "재", "भ"]), max_size=16).map("".join))
def test_automaton_and_trie_scans_agree(text: str) -> None:
    """The `fast` extra's automaton and the stdlib trie find the same rules (the trie gives up and
    runs every rule past MAX_HITS literal hits, so only texts under that bound compare)."""
    pytest.importorskip("ahocorasick_rs")
    fast, plain = _both_scans()
    assert fast.backend == "automaton" and plain.backend == "trie"
    folded = text.casefold()
    assert fast.hits(folded) == plain.hits(folded)
    assert fast.hits(text) == plain.hits(text)  # each folds the text itself


def test_folds_after_lower_lists_every_code_point_lower_leaves_unfolded() -> None:
    """The automaton scans a paragraph's lower() and case-folds it only when it holds one of
    FOLDS_AFTER_LOWER; that is sound only if, for every character, lower() and casefold() agree
    unless lower() leaves one of them (checked on this Python's Unicode tables)."""
    wanted = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.casefold() != ch and ch.lower() == ch)
    assert wanted == FOLDS_AFTER_LOWER
    listed = set(FOLDS_AFTER_LOWER)
    for ch in map(chr, range(sys.maxunicode + 1)):
        lowered = ch.lower()
        assert lowered == ch.casefold() or not listed.isdisjoint(lowered), hex(ord(ch))
    assert "ΟΔΟΣ".lower()[-1] in listed  # the one context rule of lower(): a final sigma


@pytest.mark.parametrize("automaton", [True, False])
@pytest.mark.parametrize(
    ("literal", "text"),
    [("strasse", "Hauptstraße 5"), ("fin", "ﬁnal words"), ("οδοσ", "ΟΔΟΣ"), ("ss", "STRASSE"), ("(pti", "(PTI)")],
)
def test_dispatch_finds_literals_of_the_case_folded_text(automaton: bool, literal: str, text: str) -> None:
    """A literal is found in a text whose case-fold holds it, even where lower() does not ("ß")."""
    if automaton:
        pytest.importorskip("ahocorasick_rs")
    rule = types.SimpleNamespace(scope="inline")
    dispatch = Dispatch([rule, rule], [(literal,), ("zzzz",)], automaton=automaton)
    assert dispatch.hits(text) == 0b01


def test_named_lists_expand_for_triggers() -> None:
    agencies = named_lists()["agencies"]
    rule = next(r for r in all_rules() if r.id == "en.credit.agency-line")
    assert rule.triggers is not None and {a.casefold() for a in agencies} <= set(rule.triggers)
    assert regex.search(r"\\L<agencies>", rule.pattern)


@pytest.mark.parametrize(
    ("pattern", "split"),
    [
        ("(?:a|b(?:c|d)|[|]e)", ("", ["a", "b(?:c|d)", "[|]e"])),
        ("a|b", ("", ["a", "b"])),
        ("(?!^x)(?:a|b)", ("(?!^x)", ["a", "b"])),  # a lookaround prefix applies to every alternative
        ("(?!^x)a|b", None),  # ... but here it binds to the first one only
        ("(?:a|(b))", None),  # a numbered group would be renumbered
        (r"(?:(?P<n>a)\1|b)", None),  # a reference by number
        ("(?i)a|b", None),  # a global flag
        ("(?:a)", None),  # one alternative
    ],
)
def test_split_alternatives(pattern: str, split: object) -> None:
    from cleanarticle.rules.triggers import split_alternatives

    assert split_alternatives(pattern) == split


def test_narrowed_rules_read_the_same_names() -> None:
    """A rule narrowed to the alternatives its triggers allow reads the same credit names from its
    examples as the whole rule (the named groups of dropped alternatives are looked up in the whole)."""
    from cleanarticle.credits import names_from_match
    from cleanarticle.rules import _alternatives_plan

    narrowed = [r for r in all_rules() if r._compile().groupindex and _alternatives_plan(r.pattern)]
    assert narrowed  # en.caption.photo-credit at least
    for rule in narrowed:
        for example in rule.examples:
            whole, part = rule.search(example), rule.search(example, folded=example.casefold())
            assert whole is not None and part is not None
            assert names_from_match(part, rule) == names_from_match(whole, rule), (rule.id, example)


@pytest.mark.parametrize(
    ("pattern", "exact"),
    [
        (r"\sMORE(?=\s|$)", ("MORE",)),
        (r"(?:Photo|Image): \w+", ("Image", "Photo")),
        (r"(?i:more)\b", None),  # case-insensitive in part: its case says nothing
        (r"(?mi)^more", None),
        (r"(?P<name>MORE)", ("MORE",)),
    ],
)
def test_exact_triggers_keep_the_case_a_case_sensitive_pattern_needs(pattern: str, exact: object) -> None:
    assert derive_triggers(pattern, {}, fold=False) == exact


def test_a_case_sensitive_rule_is_not_searched_where_its_literals_are_in_other_case() -> None:
    ruleset = RuleSet(load_packs(("en",)))
    rule = next(r for r in ruleset.inline if r.id == "en.related.hover-card")
    assert rule.case_sensitive
    example = rule.examples[0]
    ids = {r.id for r, _, _ in ruleset.matchers("inline", example)}
    assert rule.id in ids
    lowered = example.replace("MORE", "more")
    assert rule.search(lowered) is None
    assert rule.id not in {r.id for r, _, _ in ruleset.matchers("inline", lowered)}
