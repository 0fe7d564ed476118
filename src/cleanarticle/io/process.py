"""Cleaning one record into its output: the part of a batch that runs in the worker processes.

A record always comes back as an :class:`Outcome`, never as an exception: the run must go on past any
one document. Failures are sorted by who is to blame, because a user acts differently on each:

``input``
    the record itself is unusable (not JSON, no such field, empty, unreadable file).
``library``
    the Cleaner refused it on purpose (a :class:`~cleanarticle.errors.CleanArticleError`: undecodable,
    too large, over its time budget).
``bug``
    anything else the Cleaner raised: a defect in cleanarticle or a library under it, worth a report.
``crash``
    the worker process died on the record (set by :mod:`cleanarticle.io.parallel`, not here).

The output text is serialised here, in the worker, so the parent process only writes strings and the
JSON encoding work is spread over the pool too.
"""

from __future__ import annotations

import contextlib
import json
import traceback
from dataclasses import dataclass
from typing import Any, Literal

from cleanarticle.article import Article
from cleanarticle.cleaner import Cleaner
from cleanarticle.errors import CleanArticleError
from cleanarticle.io.records import Record

OutputFormat = Literal["jsonl", "json", "text"]
Category = Literal["input", "library", "bug", "crash"]


_WARM_UP_HTML = (
    "<html><head><title>Warm-up</title></head><body><article><p>The council met on Monday to approve"
    " the budget.</p><p>advertisement</p></article></body></html>"
)
_WARM_UP_TEXT = "advertisement\nThe council met on Monday to approve the budget.\n(With inputs from PTI)"


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a record failed: its category (see the module docstring), exception type and message."""

    category: Category
    type: str
    message: str
    where: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"category": self.category, "type": self.type, "message": self.message}
        if self.where:
            out["where"] = self.where
        return out

    def describe(self) -> str:
        """One line for stderr: a bug is named as one, with the place it happened."""
        text = f"{self.type}: {self.message}" if self.type else self.message
        if self.category == "bug":
            return f"BUG (please report): {text}" + (f" [at {self.where}]" if self.where else "")
        return text


@dataclass(frozen=True, slots=True)
class Outcome:
    """One record's result: its id, the text to write for it (None: nothing) and its failure, if any."""

    id: str
    payload: str | None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True)
class CleanTask:
    """Clean records with one Cleaner and render them in one output format (picklable, for the pool)."""

    cleaner: Cleaner
    output_format: OutputFormat = "jsonl"

    def __call__(self, record: Record) -> Outcome:
        failure, article = self._clean(record)
        return Outcome(record.id, self._render(record, article, failure), failure)

    def warm_up(self) -> None:
        """Clean a tiny page and text once, so that the lazy imports (trafilatura and its dependencies)
        and per-language rule sets are loaded here: forked workers then inherit them instead of each
        paying for them. Best effort; a failure here shows again, properly reported, on real records.
        """
        for sample in (_WARM_UP_HTML, _WARM_UP_TEXT):
            with contextlib.suppress(Exception):
                self.cleaner.clean(sample)

    def crashed(self, record: Record, reason: str) -> Outcome:
        """The outcome of a record whose worker process died while cleaning it."""
        failure = Failure("crash", "WorkerCrash", reason)
        return Outcome(record.id, self._render(record, None, failure), failure)

    def _clean(self, record: Record) -> tuple[Failure | None, Article | None]:
        if record.error is not None or record.data is None:
            return Failure("input", "InputError", record.error or "no document"), None
        if not record.data.strip():
            return Failure("input", "EmptyInput", "the document is empty"), None
        try:
            return None, self.cleaner.clean(self._hinted(record), url=record.url)
        except CleanArticleError as exc:
            return Failure("library", type(exc).__name__, str(exc)), None
        except Exception as exc:  # a bug must not end the run; it is reported as one
            return Failure("bug", type(exc).__name__, str(exc), _where(exc)), None

    def _hinted(self, record: Record) -> str | bytes:
        """Bytes decoded with the transport's charset when it fits; else left to the Cleaner's sniffing."""
        data = record.data
        assert data is not None
        if not isinstance(data, bytes) or not record.encoding or self.cleaner.encoding:
            return data
        try:
            return data.decode(record.encoding).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            return data

    def _render(self, record: Record, article: Article | None, failure: Failure | None) -> str | None:
        if self.output_format == "text":
            return article.text if article is not None else None
        row: dict[str, Any] = {"id": record.id, "source": dict(record.source)}
        if failure is not None:
            row["error"] = failure.to_dict()
        elif article is not None:
            row["text"] = article.text
            row.update(article.to_dict())
        indent = 2 if self.output_format == "json" else None
        return json.dumps(row, ensure_ascii=False, indent=indent)


def _where(exc: BaseException) -> str | None:
    """``file:line in function`` of the innermost frame, so a bug report can point at the place."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return None
    last = frames[-1]
    return f"{last.filename}:{last.lineno} in {last.name}"
