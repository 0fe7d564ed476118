"""The founding example must come out exactly right."""

from __future__ import annotations

import json

import cleanarticle
from tests.conftest import needs_shared
from tests.invariants import check_conservation, check_replay


def test_seed_exact() -> None:
    seed = needs_shared("seed")
    expected = json.loads((seed / "expected.json").read_text(encoding="utf-8"))
    text = (seed / "the-quint-talks.txt").read_text(encoding="utf-8")
    article = cleanarticle.clean(text)
    assert list(article.body) == expected["body"]
    assert list(article.credits.sources) == expected["credits"]["sources"]
    assert [(r.text, r.kind.value) for r in article.removed] == [
        (r["text"], r["kind"]) for r in expected["removed"]
    ]
    check_conservation(text, article)
    check_replay(text, article)
