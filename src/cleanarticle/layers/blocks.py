"""Whole-paragraph filters: each decides that a line is boilerplate, and says which kind and why.

- :class:`RuleBlockFilter` runs the block rules of the language packs (first match wins, in pack order).
- :class:`RelatedListFilter` takes the bare headline lines that follow a "Related"/"Also Read" label.
- :class:`HeadlineFilter` (HTML mode) takes the title or standfirst repeated at the top of the text.
- :class:`DatelineFilter` reads the agency out of a dateline; the dateline itself stays in the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import regex

from cleanarticle.article import Kind
from cleanarticle.credits import names_from_match
from cleanarticle.layers.base import Finding, Line, TextContext, TextFilter, whole_line
from cleanarticle.rules import RuleSet


def _warn_timeout(warnings: list[str], rule_id: str, line: Line) -> None:
    warnings.append(f"rule {rule_id} timed out on paragraph {line.index}; treated as not matching")


class RuleBlockFilter(TextFilter):
    """Block rules from the packs: a paragraph the pattern is found in is removed whole."""

    name = "blocks"
    layer = "block"

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self._longest = max((r.max_chars for r in rules.block), default=0)

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        timeout = ctx.regex_timeout()
        for line in ctx.lines:
            n = len(line.text)
            if not n or n > self._longest or line.index in decided:
                continue
            for rule in self.rules.block:
                if n > rule.max_chars:
                    continue
                try:
                    m = rule.search(line.text, timeout)
                except TimeoutError:
                    _warn_timeout(warnings, rule.id, line)
                    continue
                if m is None:
                    continue
                names = {}
                if rule.kind in (Kind.CREDIT, Kind.CAPTION):
                    names = names_from_match(m, rule, self.rules.pack_for(rule))
                yield whole_line(line, rule.kind, rule.id, self.name, **names)
                break


# A label alone on its line ("Also Read", "RELATED STORIES:", "Mehr zum Thema") opens a list.
_LABEL_ONLY = regex.compile(r"^[\W_]*[\p{L}'’ ]{2,40}[\W_]*$")
# A line that reads like a teaser headline: short and without sentence-final punctuation.
_TEASER = regex.compile(r"^(?!.*[.!;:]$).{8,180}$", regex.DOTALL)
MAX_TEASERS = 12


class RelatedListFilter(TextFilter):
    """The bare headline lines under a related-links label, until the first line that reads as prose."""

    name = "related-lists"
    layer = "block"

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        lines = ctx.lines
        i = 0
        while i < len(lines):
            line = lines[i]
            opener = decided.get(line.index)
            i += 1
            if opener is None or opener.kind is not Kind.RELATED or not _LABEL_ONLY.match(line.text):
                continue
            taken = 0
            while i < len(lines) and taken < MAX_TEASERS:
                nxt = lines[i]
                if not nxt.text:
                    i += 1
                    continue
                if nxt.index in decided:
                    if decided[nxt.index].kind is Kind.RELATED:
                        i += 1
                        taken += 1
                        continue
                    break
                if not _TEASER.match(nxt.text):
                    break
                yield whole_line(nxt, Kind.RELATED, "related-list.teaser", self.name)
                taken += 1
                i += 1


def _norm(text: str) -> str:
    return " ".join(regex.findall(r"\w+", text.casefold()))


class HeadlineFilter(TextFilter):
    """In HTML mode, the page title (or its description) repeated as the first lines of the text."""

    name = "headline"
    layer = "block"

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        meta = ctx.metadata
        targets = {t for t in (_norm(meta.title or ""), _norm(meta.description or "")) if len(t) >= 10}
        if not targets:
            return
        seen = 0
        for line in ctx.lines:
            if not line.text or line.index in decided:
                continue
            seen += 1
            if seen > 2:
                return
            if _norm(line.text) in targets:
                yield whole_line(line, Kind.HEADLINE, "headline.repeated-title", self.name)
            else:
                return


class DatelineFilter(TextFilter):
    """Agencies named in a dateline go to ``sources``; the dateline stays in the body."""

    name = "datelines"
    layer = "block"
    #: only the first few body paragraphs can open with a dateline
    MAX_PARAGRAPHS = 3

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        timeout = ctx.regex_timeout()
        seen = 0
        for line in ctx.lines:
            if not line.text or line.index in decided:
                continue
            seen += 1
            if seen > self.MAX_PARAGRAPHS:
                return
            head = line.text[:300]
            for rule in self.rules.dateline:
                try:
                    m = rule.search(head, timeout)
                except TimeoutError:
                    _warn_timeout(warnings, rule.id, line)
                    continue
                if m is None:
                    continue
                names = names_from_match(m, rule, self.rules.pack_for(rule))
                yield Finding(
                    paragraph=line.index,
                    start=line.start + m.start(),
                    end=line.start + m.end(),
                    kind=Kind.CREDIT,
                    rule=rule.id,
                    filter=self.name,
                    names={k: tuple(v) for k, v in names.items()},
                    remove=False,
                )
                return
