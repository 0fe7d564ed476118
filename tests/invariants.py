"""Checks that hold for every text-mode result: conservation and replay."""

from __future__ import annotations

import re
from itertools import pairwise

from cleanarticle import Article, apply_removals
from cleanarticle.article import split_lines

_WS = re.compile(r"\s+")


def nonspace(text: str) -> str:
    return _WS.sub("", text)


def check_conservation(source: str, article: Article) -> None:
    """Body + removals account for every non-whitespace character of ``source``, in order.

    Computed independently of the cleaner: the kept pieces are the complement of the removal spans;
    the body must be made of exactly their characters, and kept + removed pieces, in source order,
    must give back the source.
    """
    spans = sorted((r.start, r.end) for r in article.removed if r.start is not None)
    for r in article.removed:
        if r.start is not None:
            assert source[r.start : r.end] == r.text, f"removal text does not match its span: {r}"
    for (s1, e1), (s2, e2) in pairwise(spans):
        assert e1 <= s2, f"overlapping removals {(s1, e1)} and {(s2, e2)}"
    kept, removed, pos = [], [], 0
    for s, e in spans:
        kept.append(source[pos:s])
        removed.append(source[s:e])
        pos = e
    kept.append(source[pos:])
    assert nonspace("".join(article.body)) == nonspace("".join(kept)), "body is not the kept text"
    pieces = []
    for i, k in enumerate(kept):
        pieces.append(k)
        if i < len(removed):
            pieces.append(removed[i])
    assert nonspace("".join(pieces)) == nonspace(source)
    # removals never cross a line break: each sits inside one paragraph
    lines = split_lines(source)
    for r in article.removed:
        if r.start is not None:
            ls, le = lines[r.paragraph]
            assert ls <= r.start <= r.end <= le


def check_replay(source: str, article: Article) -> None:
    assert apply_removals(source, article.removed) == article.body
