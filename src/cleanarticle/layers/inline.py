"""Inline filters: fragments cut out of a paragraph that is otherwise kept.

"... said the minister. (With inputs from PTI)" keeps its sentence and loses the credit; an ad marker
glued between two sentences is cut and the paragraph's whitespace runs are squashed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cleanarticle.article import Kind
from cleanarticle.credits import names_from_match
from cleanarticle.layers.base import Finding, SpanSet, TextContext, TextFilter


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
            timeout = ctx.regex_timeout()  # per line: the document's time budget is checked here too
            spans = SpanSet()
            found: list[Finding] = []
            folded = line.text.casefold()
            for rule in rules.inline:
                if not rule.may_match(folded):
                    continue
                try:
                    matches = list(rule.finditer(line.text, timeout))
                except TimeoutError:
                    warnings.append(
                        f"rule {rule.id} timed out on paragraph {line.index}; treated as not matching"
                    )
                    continue
                for m in matches:
                    has_cut = "cut" in m.re.groupindex and m.start("cut") >= 0
                    s, e = m.span("cut") if has_cut else m.span()
                    if s == e or not spans.add(s, e):
                        continue
                    names = {}
                    if rule.kind in (Kind.CREDIT, Kind.CAPTION):
                        names = names_from_match(m, rule, rules.pack_for(rule))
                    found.append(
                        Finding(
                            paragraph=line.index,
                            start=line.start + s,
                            end=line.start + e,
                            kind=rule.kind,
                            rule=rule.id,
                            filter=self.name,
                            names={k: tuple(v) for k, v in names.items()},
                        )
                    )
            found.sort(key=lambda f: f.start)
            yield from found
