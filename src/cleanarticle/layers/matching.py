"""Running rules over one paragraph: shared by the block and inline filters and the settling pass.

Each helper runs only the rules a paragraph's trigger literals call for, within their length bound, records a regex timeout
as a warning (the rule is then treated as not matching), and reads credit names where the rule's
kind carries them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cleanarticle.article import Kind
from cleanarticle.credits import names_from_match
from cleanarticle.errors import DocumentTimeoutError
from cleanarticle.rules import REGEX_TIMEOUT, Rule, RuleSet

Names = dict[str, tuple[str, ...]]

_NAMED_KINDS = (Kind.CREDIT, Kind.CAPTION)


def timeout_warning(rule_id: str, paragraph: int) -> str:
    return f"rule {rule_id} timed out on paragraph {paragraph}; treated as not matching"


def _timed_out(rule: Rule, timeout: float, warnings: list[str], paragraph: int) -> None:
    """A regex ran out of time: a warning, unless it was the document's budget that ran out."""
    if timeout < REGEX_TIMEOUT:
        raise DocumentTimeoutError(f"the document exceeded its time budget in rule {rule.id}")
    warnings.append(timeout_warning(rule.id, paragraph))


def names_of(rule: Rule, match: Any, rules: RuleSet) -> Names:
    """The credit names a match carries (none for kinds that credit nobody)."""
    if rule.kind not in _NAMED_KINDS:
        return {}
    return {k: tuple(v) for k, v in names_from_match(match, rule, rules.pack_for(rule)).items()}


def first_block_match(
    rules: RuleSet,
    text: str,
    timeout: float,
    warnings: list[str],
    paragraph: int,
    matchers: list[tuple[Rule, Any, int]] | None = None,
) -> tuple[Rule, Any] | None:
    """The first block rule (pack order) found in ``text``, with its match.

    Only the rules whose trigger literals ``text`` holds run (see :mod:`cleanarticle.rules.triggers`;
    ``matchers``, when the caller already has ``rules.matchers("block", text)``).
    """
    if len(text) > rules.block_max_chars:
        return None
    # only rules whose max_chars the text is within
    for rule, pattern, start in rules.matchers("block", text) if matchers is None else matchers:
        try:
            # (string, pos, endpos, concurrent, partial, timeout): see Rule.search
            m = pattern.search(text, start, None, None, False, timeout)
        except TimeoutError:
            _timed_out(rule, timeout, warnings, paragraph)
            continue
        if m is not None:
            return rule, m
    return None


def inline_cuts(
    rules: RuleSet,
    text: str,
    timeout: float,
    warnings: list[str],
    paragraph: int,
    matchers: list[tuple[Rule, Any, int]] | None = None,
) -> Iterator[tuple[Rule, Any, int, int]]:
    """Every inline match in ``text`` as (rule, match, start, end) of the fragment to cut.

    The fragment is the match's ``cut`` group when the rule has one, else the whole match; empty
    fragments are skipped. Overlaps between rules are the caller's to resolve. Only the rules whose
    trigger literals ``text`` holds run (``matchers``, when the caller already has
    ``rules.matchers("inline", text)``).
    """
    for rule, pattern, start in rules.matchers("inline", text) if matchers is None else matchers:
        try:
            # (string, pos, endpos, overlapped, concurrent, partial, timeout): see Rule.finditer
            matches = list(pattern.finditer(text, start, None, False, None, False, timeout))
        except TimeoutError:
            _timed_out(rule, timeout, warnings, paragraph)
            continue
        for m in matches:
            has_cut = "cut" in m.re.groupindex and m.start("cut") >= 0
            s, e = m.span("cut") if has_cut else m.span()
            if s < e:
                yield rule, m, s, e
