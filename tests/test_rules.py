"""Every rule agrees with its own examples; malformed packs and rules are refused with clear errors."""

from __future__ import annotations

import pickle

import pytest

from cleanarticle.errors import ConfigError, RuleError
from cleanarticle.layers.dom import load_dom_rules
from cleanarticle.rules import LANGUAGES, Rule, load_pack, parse_pack, rule_from_mapping

ALL = [r for lang in LANGUAGES for r in load_pack(lang).rules]


@pytest.mark.parametrize("rule", ALL, ids=[r.id for r in ALL])
def test_rule_matches_its_examples(rule: Rule) -> None:
    assert rule.examples, "every rule needs examples"
    assert rule.check_examples() == []


@pytest.mark.parametrize("rule", load_dom_rules(), ids=[r.id for r in load_dom_rules()])
def test_dom_rule_matches_its_examples(rule: object) -> None:
    assert rule.check_examples() == []  # type: ignore[attr-defined]


def test_every_language_has_a_pack_with_rules() -> None:
    for lang in LANGUAGES:
        assert load_pack(lang).rules, f"pack {lang} is empty"


def test_rule_ids_are_unique_across_packs() -> None:
    ids = [r.id for r in ALL]
    assert len(ids) == len(set(ids))


def test_rule_pickles_and_still_matches() -> None:
    rule = load_pack("en").rules[0]
    copy = pickle.loads(pickle.dumps(rule))
    assert copy == rule
    assert copy.search(rule.examples[0]) is not None


def _rule(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "en.other.x", "kind": "other", "pattern": "^foo$", "examples": ["foo"]}
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "nonsense"}, "unknown kind"),
        ({"pattern": "(unclosed"}, "bad pattern"),
        ({"pattern": "x*"}, "matches the empty string"),
        ({"examples": []}, "at least one example"),
        ({"scope": "page"}, "scope must be one of"),
        ({"pattern": "(?P<who>x)"}, "unknown named groups"),
        ({"colour": "red"}, "unknown keys"),
    ],
)
def test_malformed_rules_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        rule_from_mapping(_rule(**change))


def test_pack_refuses_duplicate_and_foreign_ids() -> None:
    rule = '[[rule]]\nid = "en.ad.x"\nkind = "ad"\npattern = "^ad$"\nexamples = ["ad"]\n'
    with pytest.raises(RuleError, match="duplicate id"):
        parse_pack(rule + rule, "en")
    with pytest.raises(RuleError, match="must start with"):
        parse_pack(rule, "de")


def test_unknown_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no rule pack"):
        load_pack("xx")


def test_examples_check_catches_a_rule_that_disagrees() -> None:
    rule = rule_from_mapping(_rule(examples=["bar"], counterexamples=["foo"]))
    problems = rule.check_examples()
    assert any("example not matched" in p for p in problems)
    assert any("counterexample matched" in p for p in problems)


@pytest.mark.parametrize("scope", ["block", "inline"])
def test_a_rule_search_stops_at_its_timeout(scope: str) -> None:
    """Rule.search and Rule.finditer hand the timeout to `regex` by position: this pins the slot."""
    import time

    slow = rule_from_mapping(
        {"id": "xx.other.slow", "kind": "other", "scope": scope, "pattern": "(?:a|aa)+$", "examples": ["aaa"]}
    )
    start = time.perf_counter()
    with pytest.raises(TimeoutError):
        if scope == "block":
            slow.search("a" * 60 + "b", timeout=0.05)
        else:
            list(slow.finditer("a" * 60 + "b", timeout=0.05))
    assert time.perf_counter() - start < 5
