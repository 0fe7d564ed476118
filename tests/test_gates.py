"""Gates: the necessary conditions read off patterns never leave out a rule that would match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanarticle.rules import LANGUAGES, RuleSet, all_rules, load_packs
from cleanarticle.rules.gates import HeadGate, char_counts, head_gate, head_of

LISTS = {"tiny": ["AFP", "dpa"]}


@pytest.mark.parametrize(
    ("pattern", "gate"),
    [
        (r"^[\W_]*advertisement[\W_]*$", HeadGate(("advertis",), False)),  # cut to HEAD_CHARS
        (r"^[\W_]*(?:also read|read more)\b", HeadGate(("also rea", "read mor"), False)),
        (r"^[\W_]*ads?$", HeadGate(("ad",), False)),  # "ads" starts with "ad": one prefix does
        (r"^\s*\(?\s*(?:with|including) inputs", HeadGate(("includin", "with inp"), False)),
        (r"^[\W_]*\d{1,2}:\d{2}$", HeadGate(tuple("0123456789"), False)),  # a digit, then no more
        (r"^[\W_]*(?:\L<tiny>)\W*$", HeadGate(("afp", "dpa"), False)),
        (r"^[\s\p{P}\p{S}]{2,}$", HeadGate((), True)),  # punctuation only: an empty head
        (r"^(?:[\W_]*more|[\W_]*$)", HeadGate(("more",), True)),
        (r"(?=\w)^[\W_]*(?:the )?story continues", HeadGate(("story co", "the stor"), False)),
        # marks after the run are part of it: a head never starts with one
        (r"^[\W_]*(?:©|\(c\))\s*\d{4}", HeadGate((*"0123456789", "c)"), False)),
        (r"^[\W_]*(?:\(\s*)?(?:reporting|photos) by", HeadGate(("photos b", "reportin"), False)),
        (r"^[\W_]*(?:Über uns|über mich|mehr)", HeadGate(("mehr", "ü"), False)),  # another script: its letter
    ],
)
def test_head_gates_read_off_patterns(pattern: str, gate: HeadGate) -> None:
    assert head_gate(pattern, LISTS) == gate


@pytest.mark.parametrize(
    "pattern",
    [
        r"\bsubscribe\b",  # not anchored at the start
        r"^[\W_]*\w+ said$",  # opens with any word
        r"^advert|newsletter",  # one alternative is not anchored
        r"^[\W_]*(?:foo)?$",  # an optional opening: anything after the run
        r"(?i)^[\W_]*advert",  # a global flag
    ],
)
def test_no_head_gate_when_none_can_be_proved(pattern: str) -> None:
    assert head_gate(pattern, LISTS) is None


@pytest.mark.parametrize(
    ("pattern", "counts"),
    [
        (r"^(?=\w+(?:,\s?\w+){5,}$).+", ((",", 5),)),  # a lookahead's text is the paragraph's
        (r"a/b/c|x/y", (("/", 1),)[:0]),  # the weaker branch decides: one is no gate
        (r"(?:\w+,){2}\w+;\w+;", ((",", 2), (";", 2))),
        (r"(?<=,,,)x", ()),  # lookbehinds do not count
        (r"[,;]{3}", ()),  # a class is not a character
    ],
)
def test_char_counts_read_off_patterns(pattern: str, counts: tuple[tuple[str, int], ...]) -> None:
    assert char_counts(pattern, LISTS) == counts


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("Advertisement", "advertis"),
        ("  — ADVERTISEMENT —", "advertis"),
        ("*** ", ""),
        ("“Read more", "read mor"),
        ("Ärger im Rathaus", "ä"),  # a letter of another script: its prefixes alone can match
        ("Жизнь", "ж"),
        ("ſtory", None),  # "ſ" matches "s" case-insensitively: every gate lets it through
        ("\u212aelvin", None),  # the Kelvin sign matches "k"
        ("ﬁle photo", None),  # a ligature whose capitals are ASCII
        ("1. Item", "1. item"),
        ("✪ Featured", None),  # a leading mark the head does not skip
        ("Read mörë", None),
        ("." * 60 + "Advertisement", None),  # a leading run longer than the head looks
    ],
)
def test_head_of(text: str, head: str | None) -> None:
    assert head_of(text) == head


def _every_example() -> list[str]:
    return [ex for r in all_rules() for ex in (*r.examples, *r.counterexamples)]


def _assert_sound(ruleset: RuleSet, line: str) -> None:
    for scope in ("block", "inline"):
        kept = {rule.id for rule, _, _ in ruleset.matchers(scope, line)}
        for rule in getattr(ruleset, scope):
            if scope == "block" and len(line) > rule.max_chars:
                continue
            if rule.requires and not any(x in line.casefold() for x in rule.requires):
                continue  # not a candidate by definition (see test_triggers)
            if rule.search(line) is not None:
                assert rule.id in kept, (rule.id, line)


def test_gates_never_leave_out_a_rule_that_matches_an_example() -> None:
    ruleset = RuleSet(load_packs(LANGUAGES))
    candidates = kept = 0
    for line in _every_example():
        _assert_sound(ruleset, line)
        candidates += len(ruleset.candidates("block", line))
        kept += len(ruleset.matchers("block", line))
    assert kept < 0.7 * candidates  # and they do leave rules out


_MARKS = st.sampled_from(["", " ", "— ", "* ", "(", "“", "_", "\u00a0", "★ ", "1. ", "..."])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_every_example()), _MARKS, _MARKS, st.sampled_from(["keep", "upper", "lower", "title"]))
def test_gates_are_sound_on_variants_of_the_examples(example: str, before: str, after: str, case: str) -> None:
    """Leading marks, trailing marks and case changes: whatever matches is still a candidate."""
    line = before + {"keep": example, "upper": example.upper(), "lower": example.lower(), "title": example.title()}[case] + after
    _assert_sound(_en_and_all(), line)


_RULESETS: dict[str, RuleSet] = {}


def _en_and_all() -> RuleSet:
    if "all" not in _RULESETS:
        _RULESETS["all"] = RuleSet(load_packs(LANGUAGES))
    return _RULESETS["all"]


def test_a_tail_window_without_the_literals_skips_the_rule() -> None:
    """A rule searched in a tail window runs only when the window holds one of the literals of its
    match ("(PTI)"), wherever else in the paragraph they stand."""
    ruleset = RuleSet(load_packs(("en",)))
    body = "Officials from PTI and Reuters met on Friday to discuss the new rules for the harbour. "
    ids = {r.id for r, _, _ in ruleset.matchers("inline", body + "They agreed. (PTI)")}
    assert "en.credit.agency-glued" in ids
    ids = {r.id for r, _, _ in ruleset.matchers("inline", body + "They agreed - at last (again)")}
    assert "en.credit.agency-glued" not in ids


@pytest.mark.parametrize(
    ("pattern", "clauses"),
    [
        (r"\((?:PTI|IANS)\)$", (("(",), (")",))),  # each required mark is a clause
        (r"^(?:fotos?\s*:.*|\w+ / dpa)$", (("/", ":"),)),  # one of the alternatives' marks
        (r"^(?:fotos?\s*:.*|\w+ dpa)$", ()),  # an alternative without one: no clause
        (r"(?<=/)x", ()),  # lookbehinds read text before the match: not counted
        (r"(?=.*@)\w+", (("@",),)),  # a lookahead reads the paragraph's text
    ],
)
def test_mark_clauses_read_off_patterns(pattern: str, clauses: tuple[tuple[str, ...], ...]) -> None:
    from cleanarticle.rules.gates import mark_clauses

    assert mark_clauses(pattern, LISTS) == clauses


def test_anchored_alternatives_behind_a_lookahead_are_searched_at_the_start_only() -> None:
    """Narrowed to alternatives that all start with "^", a pattern with a lookahead in front is
    anchored as a whole: the engine no longer tries every position (the search is the same)."""
    from cleanarticle.rules import _alternatives_plan, _narrowed_to

    pattern = r"(?!^x)(?:^[\W_]*photo:|^[\W_]*file\b|\bAFP/\w+$|^\W*image:)"
    plan = _alternatives_plan(pattern)
    assert plan is not None
    anchored = _narrowed_to(pattern, False, plan, 0b1001)
    assert anchored.pattern.startswith("^")
    assert anchored.search("Photo: the bridge") is not None and anchored.search("a photo: no") is None
    assert not _narrowed_to(pattern, False, plan, 0b0101).pattern.startswith("^")


def test_a_rule_whose_alternatives_hold_none_of_their_literals_is_not_searched() -> None:
    """en.caption.photo-credit runs on "/" (its own requires) but each alternative wants its own
    words too: a paragraph with a "/" and none of them searches nothing."""
    ruleset = RuleSet(load_packs(("en",)))
    line = "The council voted 7/2 to extend the ferry timetable into the winter months."
    (rule,) = [r for r in ruleset.block if r.id == "en.caption.photo-credit"]
    assert "/" in rule.requires and "/" in line  # its own triggers are there...
    assert rule.id not in {r.id for r in ruleset.candidates("block", line)}  # ...its alternatives' are not
    assert rule.id not in {r.id for r, _, _ in ruleset.matchers("block", line)}
    assert rule.search(line) is None


def test_a_rule_with_requires_also_needs_the_literals_of_its_pattern() -> None:
    """en.credit.staff-bio requires " is ", which most paragraphs hold; its pattern also needs one of
    its newsroom roles ("editor", "writer"...), so a paragraph without any is not searched."""
    ruleset = RuleSet(load_packs(("en",)))
    (rule,) = [r for r in ruleset.block if r.id == "en.credit.staff-bio"]
    plain = "Dana Whitlock is the longest-serving member of the harbour board."
    bio = "Dana Whitlock is the Gazette's features editor."
    assert rule.requires == (" is ",)
    assert rule.id not in {r.id for r, _, _ in ruleset.matchers("block", plain)}
    assert rule.search(plain) is None
    assert rule.id in {r.id for r, _, _ in ruleset.matchers("block", bio)}
    assert rule.search(bio) is not None
