"""The two benchmark metrics, re-implemented from the definitions in the datasets' README.

Article-body set (scrapinghub) -- shingle precision / recall, per-document macro average:

* tokens = every maximal run of Unicode word characters (``\\w+``), case and order kept;
* shingles = the multiset of 4-token windows; a text of 1-3 tokens has one shingle made
  of all its tokens, a text without tokens has none;
* per document ``tp = sum min(t, p)``, ``fp = sum max(p - t, 0)``, ``fn = sum max(t - p, 0)``,
  each divided by ``tp + fp + fn`` (when > 0);
* per-document precision = 1 if fp = fn = 0, else 0 if tp = fp = 0, else tp / (tp + fp);
  recall likewise with fn;
* P = mean precision over documents with tp + fp > 0; R = mean recall over documents with
  tp + fn > 0; F1 = 2PR / (P + R); accuracy = share of documents whose token list equals
  the reference token list.

Snippet set (trafilatura-eval) -- micro average:

* whitespace runs become one space, ends stripped, on the output and on every snippet;
* a snippet is found when it is a (case-sensitive) substring of the normalised output;
  an empty output finds nothing;
* found "with" = TP, missing "with" = FN, found "without" = FP, missing "without" = TN,
  summed over documents; P = TP/(TP+FP), R = TP/(TP+FN), accuracy = (TP+TN)/all,
  F1 = 2PR/(P+R).

No bootstrap here: ``run.py --crosscheck score.py`` prints the reference scorer's
standard deviations.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SHINGLE_SIZE = 4
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


# ------------------------------------------------------------------ article body (shingles)


def tokens(text: str | None) -> list[str]:
    return _WORD.findall(text or "")


def shingle_counts(toks: list[str], size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    if not toks:
        return Counter()
    if len(toks) < size:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + size]) for i in range(len(toks) - size + 1))


@dataclass
class DocShingleScore:
    tp: float  # normalised by tp + fp + fn
    fp: float
    fn: float
    exact: bool
    raw_tp: int = 0
    raw_fp: int = 0
    raw_fn: int = 0

    @property
    def precision(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else 0.0

    @property
    def recall(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else 0.0

    @property
    def f1(self) -> float:
        return harmonic(self.precision, self.recall)


def harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def score_article_doc(truth: str | None, pred: str | None) -> DocShingleScore:
    t_tok, p_tok = tokens(truth), tokens(pred)
    t, p = shingle_counts(t_tok), shingle_counts(p_tok)
    tp = sum(min(c, p[s]) for s, c in t.items() if s in p)
    fp = sum(c - t.get(s, 0) for s, c in p.items() if c > t.get(s, 0))
    fn = sum(c - p.get(s, 0) for s, c in t.items() if c > p.get(s, 0))
    total = tp + fp + fn
    if total:
        ntp, nfp, nfn = tp / total, fp / total, fn / total
    else:
        ntp = nfp = nfn = 0.0
    return DocShingleScore(ntp, nfp, nfn, t_tok == p_tok, tp, fp, fn)


@dataclass
class Summary:
    precision: float
    recall: float
    f1: float
    accuracy: float
    n_docs: int
    counts: dict[str, int] = field(default_factory=dict)  # snippet set: tp/fp/fn/tn

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "accuracy": self.accuracy,
            "n_docs": self.n_docs,
        }
        d.update(self.counts)
        return d


def aggregate_article(docs: Iterable[DocShingleScore]) -> Summary:
    docs = list(docs)
    precs = [d.precision for d in docs if d.tp + d.fp > 0]
    recs = [d.recall for d in docs if d.tp + d.fn > 0]
    p = sum(precs) / len(precs) if precs else 0.0
    r = sum(recs) / len(recs) if recs else 0.0
    acc = sum(d.exact for d in docs) / len(docs) if docs else 0.0
    return Summary(p, r, harmonic(p, r), acc, len(docs))


def score_article_set(
    truth: Mapping[str, str], preds: Mapping[str, str | None]
) -> tuple[Summary, dict[str, DocShingleScore]]:
    per_doc = {doc_id: score_article_doc(truth[doc_id], preds.get(doc_id)) for doc_id in truth}
    return aggregate_article(per_doc.values()), per_doc


# ------------------------------------------------------------------ snippets


def normalize_ws(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


@dataclass
class DocSnippetScore:
    tp: list[str] = field(default_factory=list)  # "with" snippets found
    fn: list[str] = field(default_factory=list)  # "with" snippets missing
    fp: list[str] = field(default_factory=list)  # "without" snippets found
    tn: list[str] = field(default_factory=list)  # "without" snippets missing


def score_snippet_doc(item: Mapping[str, list[str]], pred: str | None) -> DocSnippetScore:
    out = normalize_ws(pred)
    res = DocSnippetScore()
    for snip in item.get("with", []):
        (res.tp if out and normalize_ws(snip) in out else res.fn).append(snip)
    for snip in item.get("without", []):
        (res.fp if out and normalize_ws(snip) in out else res.tn).append(snip)
    return res


def aggregate_snippets(docs: Iterable[DocSnippetScore]) -> Summary:
    docs = list(docs)
    tp = sum(len(d.tp) for d in docs)
    fp = sum(len(d.fp) for d in docs)
    fn = sum(len(d.fn) for d in docs)
    tn = sum(len(d.tn) for d in docs)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    total = tp + fp + fn + tn
    acc = (tp + tn) / total if total else 0.0
    return Summary(p, r, harmonic(p, r), acc, len(docs), {"tp": tp, "fp": fp, "fn": fn, "tn": tn})


def score_snippet_set(
    items: Mapping[str, Mapping[str, list[str]]], preds: Mapping[str, str | None]
) -> tuple[Summary, dict[str, DocSnippetScore]]:
    per_doc = {doc_id: score_snippet_doc(items[doc_id], preds.get(doc_id)) for doc_id in items}
    return aggregate_snippets(per_doc.values()), per_doc
