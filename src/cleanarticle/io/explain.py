"""The human view of an :class:`~cleanarticle.article.Article`: what was removed, where, and why.

Built from the removals alone (their spans in ``source_text``), the same data the JSON output holds,
so the view can never tell a different story from the output. Every source line is shown once:

- ``  `` a kept line;
- ``- `` a removed line, struck through and dimmed, with ``[kind · rule]`` after it;
- ``~ `` a kept line with inline cuts, each cut marked ``[-like this-]`` where it stood.

DOM removals (HTML mode) come first, since they happened before the text existed; the credits come
last. The markers are there with or without colour, so the view also reads right in a log file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cleanarticle.article import CREDIT_FIELDS, Article, Removal, split_lines

_RESET = "\x1b[0m"
_DOM_PREVIEW_CHARS = 100


@dataclass(frozen=True, slots=True)
class Style:
    """ANSI styling, or none: every method returns its text unchanged when ``color`` is off."""

    color: bool = False

    def _sgr(self, codes: str, text: str) -> str:
        return f"\x1b[{codes}m{text}{_RESET}" if self.color and text else text

    def heading(self, text: str) -> str:
        return self._sgr("1", text)

    def removed(self, text: str) -> str:
        return self._sgr("2;9", text)

    def cut(self, text: str) -> str:
        return self._sgr("31;9", text)

    def label(self, text: str) -> str:
        return self._sgr("33", text)

    def faint(self, text: str) -> str:
        return self._sgr("2", text)


def render_explanation(article: Article, *, name: str, color: bool = False) -> str:
    """The whole view as one string (ends with a newline)."""
    style = Style(color)
    inline_count = sum(1 for r in article.removed if r.is_inline)
    lines = [
        style.heading(f"{name}: {article.mode} mode")
        + f", {len(article.body)} paragraphs kept, {len(article.removed)} removals ({inline_count} inline)",
        style.faint("legend:   kept   - removed line [kind · rule]   ~ line with inline cuts [-cut-]"),
    ]
    if article.mode == "html":
        lines += ["", style.heading("Removed from the page before extraction (DOM):")]
        lines += _dom_lines([r for r in article.removed if r.start is None], style)
    lines += ["", style.heading("Article:")]
    lines += _text_lines(article, style)
    lines += ["", style.heading("Credits:")]
    lines += _credit_lines(article)
    if article.warnings:
        lines += ["", style.heading("Warnings:")] + [f"  {w}" for w in article.warnings]
    return "\n".join(lines) + "\n"


def _tag(removals: Sequence[Removal], style: Style) -> str:
    return style.label("[" + ", ".join(f"{r.kind.value} · {r.rule}" for r in removals) + "]")


def _dom_lines(removals: Sequence[Removal], style: Style) -> list[str]:
    if not removals:
        return ["  (nothing)"]
    return [f"- {style.removed(_preview(r.text))}  {_tag([r], style)}" for r in removals]


def _preview(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return "(no text)"
    return text if len(text) <= _DOM_PREVIEW_CHARS else text[: _DOM_PREVIEW_CHARS - 1] + "…"


def _text_lines(article: Article, style: Style) -> list[str]:
    by_line: defaultdict[int, list[Removal]] = defaultdict(list)
    for r in article.removed:
        if r.paragraph is not None and r.start is not None:
            by_line[r.paragraph].append(r)
    out = []
    source = article.source_text
    for index, (start, end) in enumerate(split_lines(source)):
        text = source[start:end]
        if text.strip():
            out.append(_one_line(text, start, sorted(by_line.get(index, []), key=_span_start), style))
    return out


def _span_start(removal: Removal) -> int:
    return removal.start or 0


def _one_line(text: str, offset: int, removals: list[Removal], style: Style) -> str:
    if not removals:
        return "  " + text.strip()
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for r in removals:
        s = max((r.start or 0) - offset, pos)
        e = max((r.end or 0) - offset, s)
        pieces += [(text[pos:s], False), (text[s:e], True)]
        pos = e
    pieces.append((text[pos:], False))
    if not "".join(piece for piece, cut in pieces if not cut).strip():
        return f"- {style.removed(text.strip())}  {_tag(removals, style)}"
    shown = "".join(style.cut(f"[-{piece}-]") if cut else piece for piece, cut in pieces)
    return f"~ {shown.strip()}  {_tag(removals, style)}"


def _credit_lines(article: Article) -> list[str]:
    credits = article.credits
    out = [f"  {name}: {', '.join(names)}" for name in CREDIT_FIELDS if (names := getattr(credits, name))]
    out += [f"  from: {line}" for line in credits.lines]
    return out or ["  (none)"]
