"""The README's interactive examples run and print what the README says they print."""

from __future__ import annotations

import doctest

import pytest

from tests.conftest import ROOT


def test_readme_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {}, "README.md", str(ROOT / "README.md"), 0)
    assert test.examples, "README.md should hold >>> examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0


def test_package_docstring_example() -> None:
    import cleanarticle

    failures, tried = doctest.testmod(cleanarticle, verbose=False)[:2]
    assert tried > 0 and failures == 0
