"""What every text filter sees and returns.

A text filter gets the document's lines (:class:`Line`, with absolute offsets) and the whole-line
decisions made by the filters before it, and returns :class:`Finding` objects: a span to cut (a whole
line or a fragment), its kind and rule, and any credit names it carries. Filters never mutate
anything, so the chain is a fold over pure functions and its result is deterministic.
"""

from __future__ import annotations

import bisect
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from cleanarticle.article import Kind, Metadata
from cleanarticle.errors import DocumentTimeoutError
from cleanarticle.rules import REGEX_TIMEOUT, RuleSet


class Line(NamedTuple):
    """One paragraph of the source text: its index, its stripped text and that text's offsets.

    A named tuple rather than a frozen dataclass: a document makes one per paragraph, and this is
    twice as cheap to make (0.7 against 1.4 µs). (``index`` is the paragraph's number: the field
    takes the name of tuple's ``index`` method, which a line has no use for.)
    """

    index: int  # type: ignore[assignment]
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A span a filter wants out of the text (``remove=False``: only credit names, e.g. datelines)."""

    paragraph: int
    start: int
    end: int
    kind: Kind
    rule: str
    filter: str
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    remove: bool = True


@dataclass(frozen=True, slots=True)
class TextContext:
    """Everything a text filter may look at for one document."""

    lines: tuple[Line, ...]
    source_text: str
    metadata: Metadata = field(default_factory=Metadata)
    mode: str = "text"
    deadline: float | None = None
    #: the rules chosen for this document (its languages, plus extra rules, minus disabled ids)
    rules: RuleSet | None = None

    def regex_timeout(self) -> float:
        """The per-pattern timeout, shortened to what is left of the document's time budget."""
        if self.deadline is None:
            return REGEX_TIMEOUT
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DocumentTimeoutError("the document exceeded its time budget in the text layers")
        return min(REGEX_TIMEOUT, left)


class TextFilter(ABC):
    """Base of block and inline filters. Subclass it (set ``name``) to add a filter of your own."""

    name: str = ""
    #: "block" filters remove whole lines, "inline" filters cut fragments; both return Findings.
    layer: str = "block"

    @abstractmethod
    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        """Findings for ``ctx``. ``decided`` maps line index to the whole-line finding already made."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class SpanSet:
    """Non-overlapping ``[start, end)`` spans kept sorted: ``add`` is O(log n) to check, so a paragraph
    with thousands of glued fragments costs n log n, not n²."""

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        """Add the span unless it overlaps one already there; whether it was added."""
        i = bisect.bisect_left(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return False
        if i < len(self._starts) and self._starts[i] < end:
            return False
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True

    def items(self) -> list[tuple[int, int]]:
        """The spans in order."""
        return list(zip(self._starts, self._ends, strict=True))

    def __bool__(self) -> bool:
        return bool(self._starts)


def whole_line(line: Line, kind: Kind, rule: str, filter_name: str, **names: Sequence[str]) -> Finding:
    """A finding that removes ``line`` entirely."""
    return Finding(
        paragraph=line.index,
        start=line.start,
        end=line.end,
        kind=kind,
        rule=rule,
        filter=filter_name,
        names={k: tuple(v) for k, v in names.items()},
    )
