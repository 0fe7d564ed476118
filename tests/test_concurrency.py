"""A Cleaner is an immutable value: it cannot be changed, can be shared between threads, and can be
shipped to other processes.

Pipelines build one Cleaner and hand it to a thread pool, a ProcessPoolExecutor or Spark executors;
each of those would turn hidden mutable state into wrong output that no single-threaded test sees.
So: attribute assignment raises, the corpus cleaned from several threads at once gives exactly the
sequential results, and a pickled Cleaner rebuilt in fresh ``spawn`` workers does too.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import pickle
import random
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest

import cleanarticle
from cleanarticle import Article, Cleaner
from cleanarticle.corpus import Case, load_cases
from tests.conftest import CORPUS

CASES = load_cases(CORPUS)
CUSTOM_RULE = {
    "id": "xx.other.house-promo",
    "kind": "other",
    "pattern": r"^Read our special report on\b",
    "examples": ["Read our special report on floods"],
}


def _custom() -> Cleaner:
    """A Cleaner with every kind of setting changed, so that none is lost in a copy or a pickle."""
    last = Cleaner().filter_names[-1]
    return Cleaner(languages=("en", "de"), disable={last}, timeout=60, errors="replace").with_rules(CUSTOM_RULE)


def _sequential(cleaner: Cleaner) -> dict[str, dict[str, Any]]:
    return {case.id: case.run(cleaner).to_dict() for case in CASES}


@pytest.fixture
def fine_grained_switching() -> Iterator[None]:
    """Switch threads every 10 µs instead of every 5 ms, so races get a chance to show."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


# --------------------------------------------------------------------------- immutability


@pytest.mark.parametrize("name", ["timeout", "mode", "languages", "disable", "rules", "errors", "not_a_field"])
def test_assigning_an_attribute_raises(name: str) -> None:
    cleaner = Cleaner()
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(cleaner, name, None)
    with pytest.raises(AttributeError):
        delattr(cleaner, "timeout")
    assert cleaner.timeout is None and cleaner.mode == "auto"


def test_configuration_is_made_of_immutable_values() -> None:
    """No list or set inside a Cleaner that a caller could still mutate through a reference."""
    disable = {Cleaner().filter_names[-1]}
    languages = ["en", "de"]
    cleaner = Cleaner(languages=languages, disable=disable)  # type: ignore[arg-type]
    disable.add("blocks")
    languages.append("fr")
    assert cleaner.languages == ("en", "de")
    assert isinstance(cleaner.disable, frozenset) and "blocks" not in cleaner.disable
    assert isinstance(cleaner.rules, tuple)
    hash(cleaner)  # a value: usable as a dict key or in a set


def test_with_methods_return_copies() -> None:
    base = Cleaner()
    names = base.filter_names
    changed = base.with_rules(CUSTOM_RULE).without(names[-1])
    assert base.rules == () and base.filter_names == names
    assert len(changed.rules) == 1 and names[-1] not in changed.filter_names


# --------------------------------------------------------------------------- threads


def test_threads_match_sequential(fine_grained_switching: None) -> None:
    """The whole corpus, twice over in shuffled orders, from 4 threads sharing one Cleaner (and the
    shared default): every result equals the sequential one."""
    cleaner = Cleaner()
    expected = _sequential(cleaner)
    assert _sequential(cleaner) == expected, "not even deterministic sequentially"
    work: list[tuple[Cleaner, Case]] = [(c, case) for c in (cleaner, cleanarticle.default_cleaner()) for case in CASES]
    random.Random(5).shuffle(work)

    def run(item: tuple[Cleaner, Case]) -> tuple[str, dict[str, Any]]:
        c, case = item
        return case.id, case.run(c).to_dict()

    with ThreadPoolExecutor(max_workers=4) as pool:
        for case_id, result in pool.map(run, work):
            assert result == expected[case_id], f"{case_id} differs when cleaned from threads"


def test_threads_with_timeouts_do_not_leak_between_documents(fine_grained_switching: None) -> None:
    """Documents timing out in some threads never affect the documents of other threads.

    The budgets differ (a wall-clock budget also counts time spent waiting for the GIL, which a
    backtracking regex holds), but the rule objects underneath are the same shared ones.
    """
    redos = {"id": "xx.other.redos", "kind": "other", "pattern": r"^(?:a|aa)+$", "examples": ["aaaa"]}
    strict = Cleaner(mode="text", timeout=0.2).with_rules(redos)
    relaxed = Cleaner(mode="text", timeout=60).with_rules(redos)
    slow = "\n".join(["a" * 40 + "!"] * 3)
    fine = "advertisement\nThe council met on Monday.\n(With inputs from PTI)"
    expected = Cleaner(mode="text").with_rules(redos).clean(fine).to_dict()

    def run(i: int) -> str:
        try:
            out = strict.clean(slow) if i % 2 else relaxed.clean(fine)
        except cleanarticle.DocumentTimeoutError:
            return "timeout"
        assert out.to_dict() == expected
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(run, range(8)))
    assert outcomes == ["ok", "timeout"] * 4


# --------------------------------------------------------------------------- pickling and processes


@pytest.mark.parametrize("make", [Cleaner, _custom], ids=["default", "custom"])
def test_pickle_round_trip(make: Any) -> None:
    cleaner = make()
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(cleaner, protocol=protocol))
        assert copy == cleaner
        assert copy.filter_names == cleaner.filter_names
        assert copy.ruleset.rules == cleaner.ruleset.rules
    sample = [c for c in CASES][:: max(1, len(CASES) // 20)]
    for case in sample:
        assert case.run(copy).to_dict() == case.run(cleaner).to_dict(), case.id


def test_article_pickles() -> None:
    """Results travel back from workers too."""
    for case in CASES[:: max(1, len(CASES) // 10)]:
        article = case.run()
        assert pickle.loads(pickle.dumps(article)) == article


def test_process_pool_matches_sequential() -> None:
    """A (custom) Cleaner's bound ``clean`` mapped over the corpus by 2 fresh ``spawn`` workers: the
    Cleaner is rebuilt from its pickle alone, and every result equals the sequential one."""
    cleaner = _custom()
    expected = _sequential(cleaner)
    text = [c for c in CASES if c.mode == "text"]
    html = [c for c in CASES if c.mode == "html"]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:
        got_text = pool.map(partial(cleaner.clean, mode="text"), [c.read_input() for c in text], chunksize=8)
        got_html = pool.map(partial(cleaner.clean, mode="html"), [c.read_input() for c in html], chunksize=8)
        results: list[Article] = [*got_text, *got_html]
    for case, article in zip([*text, *html], results, strict=True):
        assert article.to_dict() == expected[case.id], f"{case.id} differs in a worker process"
