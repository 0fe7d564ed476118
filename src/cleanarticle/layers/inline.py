"""Inline filters: fragments cut out of a paragraph that is otherwise kept.

"... said the minister. (With inputs from PTI)" keeps its sentence and loses the credit; an ad marker
glued between two sentences is cut and the paragraph's whitespace runs are squashed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cleanarticle.layers.base import Finding, SpanSet, TextContext, TextFilter
from cleanarticle.layers.matching import inline_cuts, names_of


class RuleInlineFilter(TextFilter):
    """Inline rules from the packs; the ``cut`` group (or the whole match) is the fragment removed."""

    name = "inline"
    layer = "inline"

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        rules = ctx.rules
        if rules is None:
            return
        for line in ctx.lines:
            if not line.text or line.index in decided:
                continue
            matchers = rules.matchers("inline", line.text)
            if not matchers:
                continue  # most paragraphs: no inline rule can match, nothing more to do
            timeout = ctx.regex_timeout()  # per line: the document's time budget is checked here too
            spans = SpanSet()
            found: list[Finding] = []
            for rule, m, s, e in inline_cuts(rules, line.text, timeout, warnings, line.index, matchers):
                if not spans.add(s, e):
                    continue
                found.append(
                    Finding(
                        paragraph=line.index,
                        start=line.start + s,
                        end=line.start + e,
                        kind=rule.kind,
                        rule=rule.id,
                        filter=self.name,
                        names=names_of(rule, m, rules),
                    )
                )
            found.sort(key=lambda f: f.start)
            yield from found
