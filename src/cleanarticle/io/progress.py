"""Progress on stderr: a one-line live counter on a terminal, failure lines always, a closing summary.

The live line is drawn only when stderr is a terminal (a log file or CI output would fill with
carriage returns otherwise) and at most ten times a second, so it costs nothing next to cleaning. A
failure line first wipes the live line, so the two never tangle.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from cleanarticle.io.process import Outcome

_REDRAW_SECONDS = 0.1


@dataclass(slots=True)
class Tally:
    """Counts for the summary and the exit code."""

    ok: int = 0
    failed: int = 0
    bugs: int = 0
    skipped: int = 0

    @property
    def records(self) -> int:
        return self.ok + self.failed


@dataclass
class Progress:
    """Tally outcomes, show them live when ``live``, report failures and the summary on ``stream``."""

    stream: TextIO
    live: bool = False
    summary: bool = True
    clock: Callable[[], float] = time.monotonic
    tally: Tally = field(default_factory=Tally)
    started: float = 0.0
    _drawn_at: float = -1.0
    _line_shown: bool = False

    def __post_init__(self) -> None:
        self.started = self.clock()

    def record(self, outcome: Outcome) -> None:
        """Count one outcome; a failure is reported at once with its id and reason."""
        if outcome.failure is None:
            self.tally.ok += 1
        else:
            self.tally.failed += 1
            self.tally.bugs += outcome.failure.category in ("bug", "crash")
            self.message(f"cleanarticle: failed: {outcome.id}: {outcome.failure.describe()}")
        self._maybe_draw()

    def message(self, line: str) -> None:
        self._wipe()
        self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self, skipped: int = 0) -> None:
        """Clear the live line and print the summary (unless ``summary`` is off)."""
        self.tally.skipped = skipped
        self._wipe()
        if self.summary:
            self.stream.write(self.summary_line() + "\n")
            self.stream.flush()

    def summary_line(self) -> str:
        t = self.tally
        seconds = max(self.clock() - self.started, 1e-9)
        bugs = f" ({t.bugs} bug{'s' if t.bugs != 1 else ''})" if t.bugs else ""
        skipped = f", {t.skipped} skipped" if t.skipped else ""
        return (
            f"cleanarticle: {t.records} record{'' if t.records == 1 else 's'}: {t.ok} ok, {t.failed} failed{bugs}{skipped}"
            f" in {seconds:.2f} s ({t.records / seconds:.1f} records/s)"
        )

    def _maybe_draw(self) -> None:
        if not self.live:
            return
        now = self.clock()
        if now - self._drawn_at < _REDRAW_SECONDS:
            return
        self._drawn_at = now
        t = self.tally
        rate = t.records / max(now - self.started, 1e-9)
        self.stream.write(f"\r\x1b[K{t.records:,} records  {rate:,.1f}/s  {t.failed:,} failed")
        self.stream.flush()
        self._line_shown = True

    def _wipe(self) -> None:
        if self._line_shown:
            self.stream.write("\r\x1b[K")
            self._line_shown = False
