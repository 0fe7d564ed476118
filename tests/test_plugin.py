"""The golden-file pytest plugin, driven through pytest's own pytester (as a user's project sees it)."""

from __future__ import annotations

import json

import pytest

from cleanarticle.testing import describe_difference, dumps

USER_TEST = """
import cleanarticle

TEXT = "advertisement\\nThe council met on Monday.\\n(With inputs from PTI)"

def test_article(golden):
    golden.check(cleanarticle.clean(TEXT), "goldens/article.json")

def test_plain_value(golden):
    golden.check({"b": [1, 2], "a": "x"}, "goldens/plain.json")
"""


def test_plugin_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(["*--update-goldens*"])


def test_missing_golden_fails_then_update_writes_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    first = pytester.runpytest()
    first.assert_outcomes(failed=2)
    first.stdout.fnmatch_lines(["*no golden file*--update-goldens*"])
    assert not (pytester.path / "goldens").exists(), "nothing is written without the flag"

    update = pytester.runpytest("--update-goldens")
    update.assert_outcomes(passed=2)
    stored = json.loads((pytester.path / "goldens" / "article.json").read_text(encoding="utf-8"))
    assert stored["body"] == ["The council met on Monday."]
    assert stored["credits"] == {"sources": ["PTI"]}
    plain = (pytester.path / "goldens" / "plain.json").read_text(encoding="utf-8")
    assert plain == '{\n  "a": "x",\n  "b": [\n    1,\n    2\n  ]\n}\n', "sorted keys, indent 2, newline"

    again = pytester.runpytest()
    again.assert_outcomes(passed=2)


def test_difference_is_reported_readably(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    pytester.runpytest("--update-goldens").assert_outcomes(passed=2)
    golden = pytester.path / "goldens" / "article.json"
    data = json.loads(golden.read_text(encoding="utf-8"))
    data["body"].append("A paragraph the golden expects.")
    data["credits"]["sources"] = ["IANS"]
    data["removed"][0]["kind"] = "other"
    golden.write_text(dumps(data), encoding="utf-8")
    result = pytester.runpytest("-k", "test_article")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "- vanished: A paragraph the golden expects." in out
    assert "sources: golden ['IANS'] -> actual ['PTI']" in out
    assert "~ kind other -> ad: advertisement" in out


def test_describe_difference_for_plain_values() -> None:
    assert describe_difference({"a": 1}, {"a": 1}) == ""
    diff = describe_difference({"a": 1}, {"a": 2})
    assert '-  "a": 1' in diff and '+  "a": 2' in diff
