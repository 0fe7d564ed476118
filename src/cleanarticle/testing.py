"""Golden-file checks, for this project's corpus and for users' own scrapers (a pytest plugin).

Installed with the package as a ``pytest11`` entry point, so in any project that has cleanarticle
installed::

    def test_my_scraper(golden):
        article = cleanarticle.clean(fetch_fixture("page.html"))
        golden.check(article, "goldens/page.json")   # relative to this test file

``pytest --update-goldens`` writes the files from the current output; without the flag nothing is
ever written, and a difference fails the test with a readable diff: for article-shaped values, which
paragraphs appeared or vanished, which credits changed and which removals changed kind; for any other
JSON-able value, a unified diff of the JSON.

Golden files diff well: sorted keys, two-space indent, UTF-8, ``\\n`` line ends, no timestamps.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

UPDATE_OPTION = "--update-goldens"


def dumps(value: Any) -> str:
    """The canonical golden-file text of a JSON-able value."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def to_jsonable(value: Any) -> Any:
    """An Article becomes its golden form; objects with ``to_dict`` their dict; the rest as is."""
    from cleanarticle.article import Article

    if isinstance(value, Article):
        return value.to_golden()
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    return json.loads(json.dumps(value, ensure_ascii=False))


def _is_article_shape(value: Any) -> bool:
    return isinstance(value, Mapping) and "body" in value and "removed" in value


def describe_difference(expected: Any, actual: Any) -> str:
    """A person-readable account of how ``actual`` differs from ``expected`` ('' when equal)."""
    if expected == actual:
        return ""
    if _is_article_shape(expected) and _is_article_shape(actual):
        return _article_diff(expected, actual)
    diff = difflib.unified_diff(
        dumps(expected).splitlines(), dumps(actual).splitlines(), "golden", "actual", lineterm=""
    )
    return "\n".join(diff)


def _short(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _article_diff(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> str:
    out: list[str] = []
    exp_body, act_body = list(expected.get("body", [])), list(actual.get("body", []))
    if exp_body != act_body:
        out.append("body:")
        matcher = difflib.SequenceMatcher(a=exp_body, b=act_body, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            for p in exp_body[i1:i2]:
                out.append(f"  - vanished: {_short(p)}")
            for p in act_body[j1:j2]:
                out.append(f"  + appeared: {_short(p)}")
    exp_cr, act_cr = dict(expected.get("credits", {})), dict(actual.get("credits", {}))
    if exp_cr != act_cr:
        out.append("credits:")
        for field in sorted(set(exp_cr) | set(act_cr)):
            e, a = exp_cr.get(field, []), act_cr.get(field, [])
            if e != a:
                out.append(f"  {field}: golden {e} -> actual {a}")
    exp_rm = [(r.get("text", ""), r.get("kind", "")) for r in expected.get("removed", [])]
    act_rm = [(r.get("text", ""), r.get("kind", "")) for r in actual.get("removed", [])]
    if exp_rm != act_rm:
        out.append("removed:")
        exp_kinds = dict(exp_rm)
        act_kinds = dict(act_rm)
        for text, kind in exp_rm:
            if text not in act_kinds:
                out.append(f"  - no longer removed ({kind}): {_short(text)}")
            elif act_kinds[text] != kind:
                out.append(f"  ~ kind {kind} -> {act_kinds[text]}: {_short(text)}")
        for text, kind in act_rm:
            if text not in exp_kinds:
                out.append(f"  + newly removed ({kind}): {_short(text)}")
        if len(out) and out[-1] == "removed:":
            out.append("  (same removals, different order or count)")
    rest = {k for k in set(expected) | set(actual) if k not in ("body", "credits", "removed")}
    for key in sorted(rest):
        if expected.get(key) != actual.get(key):
            out.append(f"{key}: golden {expected.get(key)!r} -> actual {actual.get(key)!r}")
    return "\n".join(out)


class GoldenChecker:
    """Compares values with golden files; writes them instead when ``update`` is true."""

    def __init__(self, base_dir: Path, update: bool) -> None:
        self.base_dir = Path(base_dir)
        self.update = update

    def path(self, name: str | Path) -> Path:
        p = Path(name)
        return p if p.is_absolute() else self.base_dir / p

    def check(self, value: Any, name: str | Path) -> None:
        """Fail the calling test when ``value`` differs from the golden file ``name``."""
        actual = to_jsonable(value)
        path = self.path(name)
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            text = dumps(actual)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8", newline="\n")
            return
        if not path.exists():
            pytest.fail(f"no golden file {path}; run pytest {UPDATE_OPTION} to create it", pytrace=False)
        expected = json.loads(path.read_text(encoding="utf-8"))
        diff = describe_difference(expected, actual)
        if diff:
            pytest.fail(f"{path} differs from the output:\n{diff}", pytrace=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cleanarticle", "cleanarticle golden files")
    group.addoption(
        UPDATE_OPTION,
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing with them",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> GoldenChecker:
    """A :class:`GoldenChecker` whose relative paths start at the requesting test file's folder."""
    update = bool(request.config.getoption(UPDATE_OPTION))
    return GoldenChecker(Path(request.path).parent, update)
