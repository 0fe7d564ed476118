"""Every corpus case against its golden file, plus the text-mode invariants on each.

`pytest --update-goldens` rewrites the goldens from the current output (read the diff before you
commit it). Known failures are listed in corpus/KNOWN_FAILURES.txt and run as strict xfails, so an
accidental fix is noticed.
"""

from __future__ import annotations

import pytest

from cleanarticle.corpus import Case, load_cases
from cleanarticle.testing import GoldenChecker
from tests.conftest import CORPUS
from tests.invariants import check_conservation, check_replay

CASES = load_cases(CORPUS)
KNOWN_FAILURES_FILE = CORPUS.parent / "KNOWN_FAILURES.txt"


def _known_failures() -> dict[str, str]:
    if not KNOWN_FAILURES_FILE.exists():
        return {}
    out = {}
    for line in KNOWN_FAILURES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            case_id, _, reason = line.partition(" ")
            out[case_id] = reason.strip() or "known failure"
    return out


KNOWN = _known_failures()


def _params(cases: list[Case], xfail_known: bool) -> list[object]:
    out = []
    for c in cases:
        marks = [pytest.mark.xfail(reason=KNOWN[c.id], strict=True)] if xfail_known and c.id in KNOWN else []
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


def test_corpus_is_there() -> None:
    assert len(CASES) >= 1, f"no corpus cases under {CORPUS}"


@pytest.mark.parametrize("case", _params(CASES, xfail_known=True))
def test_golden(case: Case, request: pytest.FixtureRequest) -> None:
    update = bool(request.config.getoption("--update-goldens"))
    checker = GoldenChecker(case.path, update)
    checker.check(case.run(), "expected.json")


@pytest.mark.parametrize("case", _params([c for c in CASES if c.mode == "text"], xfail_known=False))
def test_text_invariants(case: Case) -> None:
    source = case.read_input()
    article = case.run()
    check_conservation(source, article)
    check_replay(source, article)


@pytest.mark.parametrize("case", _params([c for c in CASES if c.mode == "html"], xfail_known=False))
def test_html_replay(case: Case) -> None:
    article = case.run()
    check_conservation(article.source_text, article)
    check_replay(article.source_text, article)


def test_known_failures_exist() -> None:
    ids = {c.id for c in CASES}
    stale = sorted(set(KNOWN) - ids)
    assert not stale, f"KNOWN_FAILURES.txt names cases that do not exist: {stale}"


