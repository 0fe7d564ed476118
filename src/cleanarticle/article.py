"""Immutable results: :class:`Article`, :class:`Credits`, :class:`Removal`, :class:`Metadata`.

One result type whether or not anybody looks at the explanation: every removal is recorded on every
call, so asking for explanations can never change the output. A :class:`Removal` carries its span in
:attr:`Article.source_text`, and :func:`apply_removals` replays them: applying an article's removals to
its source text gives back exactly its body (the tests check this on every corpus case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a removed piece of text was. The values are the strings used in JSON and goldens."""

    AD = "ad"
    APPEAL = "appeal"
    NEWSLETTER = "newsletter"
    SOCIAL = "social"
    RELATED = "related"
    DISCLAIMER = "disclaimer"
    COPYRIGHT = "copyright"
    CREDIT = "credit"
    CAPTION = "caption"
    NAVIGATION = "navigation"
    HEADLINE = "headline"
    COMMENTS = "comments"
    TEMPLATE = "template"
    OTHER = "other"


CREDIT_FIELDS: tuple[str, ...] = (
    "sources",
    "authors",
    "reporters",
    "writers",
    "editors",
    "contributors",
    "photographers",
)


@dataclass(frozen=True, slots=True)
class Removal:
    """One piece of text taken out, and why.

    ``filter`` is the filter that took it (``dom``, ``blocks``, ``inline`` or a user's own), ``rule``
    the rule id inside that filter. ``start``/``end`` index :attr:`Article.source_text`; they are
    ``None`` for DOM removals, whose text never reached the extracted text. ``paragraph`` is the index
    of the source line the removal sits in (``None`` for DOM removals).
    """

    text: str
    kind: Kind
    filter: str
    rule: str
    start: int | None = None
    end: int | None = None
    paragraph: int | None = None

    @property
    def is_inline(self) -> bool:
        """True for a fragment cut out of a paragraph that was otherwise kept."""
        return self.filter == "inline"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "filter": self.filter,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Removal:
        return cls(
            text=data["text"],
            kind=Kind(data["kind"]),
            filter=data.get("filter", ""),
            rule=data.get("rule", ""),
            start=data.get("start"),
            end=data.get("end"),
            paragraph=data.get("paragraph"),
        )


@dataclass(frozen=True, slots=True)
class Credits:
    """Who the article credits, by role, each a tuple of names in order of appearance, no duplicates.

    ``lines`` holds the raw credit lines and fragments the names were parsed from, verbatim.
    """

    sources: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    reporters: tuple[str, ...] = ()
    writers: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any(getattr(self, f) for f in (*CREDIT_FIELDS, "lines"))

    def to_dict(self, *, compact: bool = False) -> dict[str, list[str]]:
        """All fields as lists; ``compact=True`` leaves out empty fields and ``lines`` (golden form)."""
        names = CREDIT_FIELDS if compact else (*CREDIT_FIELDS, "lines")
        out = {name: list(getattr(self, name)) for name in names}
        if compact:
            out = {k: v for k, v in out.items() if v}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Iterable[str]]) -> Credits:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown credit fields: {sorted(unknown)}")
        return cls(**{k: tuple(v) for k, v in data.items()})


@dataclass(frozen=True, slots=True)
class Metadata:
    """What trafilatura found about the page (HTML mode only; empty in text mode)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    hostname: str | None = None
    language: str | None = None
    description: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Metadata:
        kwargs: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items()}
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article.

    ``body`` holds the kept paragraphs, verbatim and in order. ``source_text`` is the text the text
    layers ran on (the input itself in text mode, trafilatura's extraction in HTML mode): removals
    index into it. ``warnings`` lists anything the cleaner chose to be safe about (a rule that hit its
    regex timeout and was treated as not matching, for example).
    """

    body: tuple[str, ...]
    credits: Credits = field(default_factory=Credits)
    removed: tuple[Removal, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)
    mode: str = "text"
    source_text: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The body paragraphs joined by newlines, ready for downstream use."""
        return "\n".join(self.body)

    def removed_of(self, kind: Kind | str) -> tuple[Removal, ...]:
        """The removals of one kind, in order."""
        wanted = Kind(kind)
        return tuple(r for r in self.removed if r.kind is wanted)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict with every field; :meth:`from_dict` reads it back."""
        return {
            "body": list(self.body),
            "credits": self.credits.to_dict(),
            "removed": [r.to_dict() for r in self.removed],
            "metadata": self.metadata.to_dict(),
            "mode": self.mode,
            "source_text": self.source_text,
            "warnings": list(self.warnings),
        }

    def to_golden(self) -> dict[str, Any]:
        """The reduced form golden files store: body, non-empty credit fields, removals' text and kind."""
        return {
            "body": list(self.body),
            "credits": self.credits.to_dict(compact=True),
            "removed": [{"text": _squash(r.text), "kind": r.kind.value} for r in self.removed],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        return cls(
            body=tuple(data["body"]),
            credits=Credits.from_dict(data.get("credits", {})),
            removed=tuple(Removal.from_dict(r) for r in data.get("removed", ())),
            metadata=Metadata.from_dict(data.get("metadata", {})),
            mode=data.get("mode", "text"),
            source_text=data.get("source_text", ""),
            warnings=tuple(data.get("warnings", ())),
        )


_SPACES = re.compile(r"\s+")
_BREAK = re.compile(r"\r\n?|\n")


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def split_lines(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the lines of ``text``, line breaks excluded.

    Lines are split on ``\\n``, ``\\r\\n`` and ``\\r`` only: other Unicode separators stay inside
    paragraphs, so that a paragraph is always exactly what a scraper wrote on one line.
    """
    # One Python step per line, never one per character: this ran twice per document and once cost
    # more than all the rules together on long paragraphs. Without a carriage return, str.split
    # finds the breaks several times faster than the regex.
    spans: list[tuple[int, int]] = []
    start = 0
    if "\r" not in text:
        for line in text.split("\n"):
            end = start + len(line)
            spans.append((start, end))
            start = end + 1
        return spans
    for m in _BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def tidy_paragraph(text: str, *, cut: bool) -> str:
    """A kept paragraph: edge whitespace stripped; after an inline cut, inner whitespace runs squashed."""
    if cut:
        text = _SPACES.sub(" ", text)
    return text.strip()


def apply_removals(
    source_text: str, removals: Sequence[Removal], *, lines: Sequence[tuple[int, int]] | None = None
) -> tuple[str, ...]:
    """Replay: the body that results from cutting ``removals`` out of ``source_text``.

    Only removals with a span take part (DOM removals happened before the text existed). A line whose
    remaining text is blank vanishes; a line that lost a fragment is tidied with
    :func:`tidy_paragraph`. ``Cleaner`` builds its body exactly this way, so replay equals output.
    ``lines`` are the spans :func:`split_lines` gives for ``source_text``, when the caller has them.
    """
    spans = sorted((r.start, r.end) for r in removals if r.start is not None and r.end is not None)
    body: list[str] = []
    k = 0
    n_spans = len(spans)
    for start, end in split_lines(source_text) if lines is None else lines:
        if k == n_spans or spans[k][0] >= end:  # nothing cut here: most lines
            kept = source_text[start:end].strip()
            if kept:
                body.append(kept)
            continue
        pieces: list[str] = []
        pos = start
        cut = False
        while k < n_spans and spans[k][0] < end:
            s, e = spans[k]
            if e <= pos:
                k += 1
                continue
            s = max(s, pos)
            pieces.append(source_text[pos:s])
            cut = True
            pos = min(e, end)
            if e <= end:
                k += 1
            else:
                break
        pieces.append(source_text[pos:end])
        if not cut:
            kept = tidy_paragraph("".join(pieces), cut=False)
        else:
            kept = tidy_paragraph(" ".join(pieces), cut=True)
        if kept:
            body.append(kept)
    return tuple(body)
