"""HTML mode on the real article-body benchmark pages (../shared): no errors, and a body at least as
precise as trafilatura alone in the same run. Skips cleanly when ../shared is absent."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import pytest

import cleanarticle
from tests.conftest import needs_shared

_WORD = re.compile(r"\w+")


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text)
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def _precision(truth: str, pred: str) -> float | None:
    t, p = _shingles(truth), _shingles(pred)
    tp, fp = sum((t & p).values()), sum((p - t).values())
    return tp / (tp + fp) if tp + fp else None


@pytest.mark.slow
def test_scrapinghub_pages_clean_without_error_and_gain_precision() -> None:
    trafilatura = pytest.importorskip("trafilatura")
    root = needs_shared("benchmarks", "scrapinghub")
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    ours, theirs = [], []
    for doc_id, item in sorted(truth.items()):
        page = gzip.decompress((root / "html" / f"{doc_id}.html.gz").read_bytes())
        article = cleanarticle.clean(page, url=item.get("url"))
        assert article.mode == "html"
        baseline = trafilatura.extract(page, include_comments=False, deduplicate=False) or ""
        for out, text in ((ours, article.text), (theirs, baseline)):
            p = _precision(item["articleBody"], text)
            if p is not None:
                out.append(p)
    assert len(ours) == len(truth), "every page gives a non-empty body"
    assert sum(ours) / len(ours) >= sum(theirs) / len(theirs)
