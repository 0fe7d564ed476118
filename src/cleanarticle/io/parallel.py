"""An ordered, memory-bounded parallel map over a stream of records, that survives dying workers.

Why not ``multiprocessing.Pool.imap``: its feeder thread drains the whole input iterator into the task
queue as fast as it can read, so a 50,000-record input would sit in memory at once. Here the input is
pulled only as results are handed back: at most ``window`` chunks are in flight, so memory is bounded
by ``window × chunk`` whatever the input's length.

Results come back in input order (the head chunk is waited for; the other workers keep going on the
chunks behind it), so ``--jobs 4`` writes exactly what ``--jobs 1`` writes.

Records go to the workers in chunks (up to ``max_items`` records or ``max_weight`` bytes) to spread the
cost of each hand-over over several short documents, while a large page still travels alone.

If a worker process dies (killed, out of memory, a crash in a C extension), every chunk in flight is
lost. Those that had already finished keep their results; the others are replayed one record at a
time in a fresh pool, so the record that kills its worker again is the one reported as crashed, and
the others are cleaned as usual. The run goes on.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")
T_contra = TypeVar("T_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)

CRASH_REASON = "the worker process died while cleaning this record (killed, out of memory, or a native crash)"


class Worker(Protocol[T_contra, R_co]):
    """A picklable callable for one item, that can also say what a crashed item's result is."""

    def __call__(self, item: T_contra, /) -> R_co: ...

    def crashed(self, item: T_contra, reason: str, /) -> R_co: ...


def chunked(
    items: Iterable[T], *, max_items: int, max_weight: int, weight: Callable[[T], int]
) -> Iterator[list[T]]:
    """Consecutive items in lists of at most ``max_items``, closed early once ``max_weight`` is reached."""
    chunk: list[T] = []
    total = 0
    for item in items:
        chunk.append(item)
        total += weight(item)
        if len(chunk) >= max_items or total >= max_weight:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def ordered_map(
    worker: Worker[T, R],
    items: Iterable[T],
    *,
    jobs: int,
    weight: Callable[[T], int] = lambda _: 1,
    max_items: int = 32,
    max_weight: int = 256 * 1024,
    window_per_job: int = 4,
) -> Iterator[R]:
    """``worker(item)`` for every item, in input order; ``jobs > 1`` runs them in a process pool."""
    if jobs <= 1:
        for item in items:
            yield worker(item)
        return
    chunks = chunked(items, max_items=max_items, max_weight=max_weight, weight=weight)
    yield from _Pool(worker, jobs, window=jobs * window_per_job).run(chunks)


# ---------------------------------------------------------------------------------- worker side

_WORKER: Any = None
_WATCHDOG_SECONDS = 1.0


def _init_worker(worker: Any) -> None:
    """Runs once in each worker: keep the worker object; leave Ctrl-C to the parent, which shuts down.

    A watchdog ends the worker if the parent dies without shutting the pool down (``kill -9``): the
    worker would otherwise wait forever for work on a queue whose writing end it holds itself.
    """
    global _WORKER
    _WORKER = worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # inherited objects out of the collector's sight: its passes would copy their pages
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCHDOG_SECONDS)
    os._exit(1)


def _run_chunk(chunk: list[Any]) -> list[Any]:
    return [_WORKER(item) for item in chunk]


# ---------------------------------------------------------------------------------- parent side


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` on Linux: workers inherit the compiled rule packs and warm imports (compiling the packs
    anew costs seconds per worker). The parent runs no threads, which is what makes fork safe; other
    platforms keep their default start method.
    """
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _Pool(Generic[T, R]):
    """The pool, the window of chunks in flight, and the replay after a worker died."""

    def __init__(self, worker: Worker[T, R], jobs: int, window: int) -> None:
        self.worker = worker
        self.jobs = jobs
        self.window = window
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.jobs, mp_context=_context(), initializer=_init_worker, initargs=(self.worker,)
        )

    def _restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()

    def _submit(self, chunk: list[T]) -> Future[list[R]]:
        try:
            return self.executor.submit(_run_chunk, chunk)
        except BrokenProcessPool as exc:  # broken since the last result: handled like a lost chunk
            failed: Future[list[R]] = Future()
            failed.set_exception(exc)
            return failed

    def run(self, chunks: Iterator[list[T]]) -> Iterator[R]:
        pending: deque[tuple[list[T], Future[list[R]]]] = deque()
        try:
            while True:
                self._fill(pending, chunks)
                if not pending:
                    return
                chunk, future = pending.popleft()
                try:
                    results = future.result()
                except BrokenProcessPool:
                    yield from self._recover([(chunk, future), *pending])
                    pending.clear()
                    continue
                yield from results
        finally:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def _fill(self, pending: deque[tuple[list[T], Future[list[R]]]], chunks: Iterator[list[T]]) -> None:
        while len(pending) < self.window:
            chunk = next(chunks, None)
            if chunk is None:
                return
            pending.append((chunk, self._submit(chunk)))

    def _recover(self, lost: list[tuple[list[T], Future[list[R]]]]) -> Iterator[R]:
        """Results of the chunks in flight when the pool broke, in order, replaying the unfinished."""
        self._restart()
        for chunk, future in lost:
            if future.done() and not future.cancelled() and future.exception() is None:
                yield from future.result()
            else:
                yield from (self._isolated(item) for item in chunk)

    def _isolated(self, item: T) -> R:
        """One item alone in the pool: if the pool breaks now, this item is what broke it."""
        try:
            return self.executor.submit(_run_chunk, [item]).result()[0]  # type: ignore[no-any-return]
        except BrokenProcessPool:
            self._restart()
            return self.worker.crashed(item, CRASH_REASON)
