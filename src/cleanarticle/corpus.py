"""Golden corpora: cases on disk, and a scorecard of a Cleaner against them.

A corpus is a folder of cases, each a folder holding ``input.txt`` or ``input.html``, ``expected.json``
(the golden output: body, credits, removed) and optionally ``case.json`` (what the case is about).
This project's own corpus is ``corpus/cases``; users can keep theirs in the same layout.

``python -m cleanarticle.corpus corpus/cases`` prints the scorecard: per removal kind, precision and
recall of the removals; body paragraph precision and recall; credit-field precision and recall.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanarticle.article import CREDIT_FIELDS, Article
from cleanarticle.cleaner import Cleaner, default_cleaner


@dataclass(frozen=True)
class Case:
    """One corpus case on disk."""

    path: Path
    input_path: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def mode(self) -> str:
        return "html" if self.input_path.suffix == ".html" else "text"

    @property
    def expected_path(self) -> Path:
        return self.path / "expected.json"

    def read_input(self) -> str:
        return self.input_path.read_text(encoding="utf-8")

    def expected(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.expected_path.read_text(encoding="utf-8"))
        return data

    def run(self, cleaner: Cleaner | None = None) -> Article:
        return (cleaner or default_cleaner()).clean(self.read_input(), mode=self.mode)  # type: ignore[arg-type]


def load_cases(root: str | Path) -> list[Case]:
    """Every case under ``root`` (any depth), sorted by path."""
    cases = []
    for expected in sorted(Path(root).rglob("expected.json")):
        folder = expected.parent
        inputs = [p for p in (folder / "input.html", folder / "input.txt") if p.exists()]
        if not inputs:
            continue
        meta_path = folder / "case.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        cases.append(Case(folder, inputs[0], meta))
    return cases


@dataclass
class Tally:
    """True positives, false positives and false negatives of one measure."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: Iterable[Any], actual: Iterable[Any]) -> None:
        e, a = Counter(expected), Counter(actual)
        self.tp += sum((e & a).values())
        self.fp += sum((a - e).values())
        self.fn += sum((e - a).values())

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Scorecard:
    """Figures of one Cleaner over one corpus."""

    cases: int = 0
    exact: int = 0
    body: Tally = field(default_factory=Tally)
    kinds: dict[str, Tally] = field(default_factory=dict)
    credits: dict[str, Tally] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def format(self) -> str:
        lines = [f"cases {self.cases}, exactly right {self.exact} ({self.exact / max(self.cases, 1):.1%})", ""]
        lines.append(f"{'measure':<22}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>5}{'fn':>5}")

        def row(name: str, t: Tally) -> None:
            lines.append(f"{name:<22}{t.precision:>10.3f}{t.recall:>8.3f}{t.tp:>6}{t.fp:>5}{t.fn:>5}")

        row("body paragraphs", self.body)
        for kind in sorted(self.kinds):
            row(f"removed: {kind}", self.kinds[kind])
        for name in CREDIT_FIELDS:
            if name in self.credits:
                row(f"credits: {name}", self.credits[name])
        return "\n".join(lines)


def score(cases: Sequence[Case], cleaner: Cleaner | None = None) -> Scorecard:
    """Compare ``cleaner``'s output with every case's golden file."""
    card = Scorecard()
    for case in cases:
        expected = case.expected()
        actual = case.run(cleaner).to_golden()
        card.cases += 1
        if expected == actual:
            card.exact += 1
        else:
            card.failures.append(case.id)
        card.body.add(expected.get("body", []), actual["body"])
        kinds = {r["kind"] for r in expected.get("removed", [])} | {r["kind"] for r in actual["removed"]}
        for kind in kinds:
            card.kinds.setdefault(kind, Tally()).add(
                (r["text"] for r in expected.get("removed", []) if r["kind"] == kind),
                (r["text"] for r in actual["removed"] if r["kind"] == kind),
            )
        for name in CREDIT_FIELDS:
            e = expected.get("credits", {}).get(name, [])
            a = actual["credits"].get(name, [])
            if e or a:
                card.credits.setdefault(name, Tally()).add(e, a)
    return card


def iter_texts(cases: Iterable[Case]) -> Iterator[tuple[Case, str]]:
    for case in cases:
        yield case, case.read_input()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleanarticle.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", default="corpus/cases", help="corpus folder (default corpus/cases)")
    parser.add_argument("--failures", action="store_true", help="also list the cases that are not exact")
    args = parser.parse_args(argv)
    cases = load_cases(args.root)
    if not cases:
        print(f"no cases under {args.root}", file=sys.stderr)
        return 2
    card = score(cases)
    print(card.format())
    if args.failures and card.failures:
        print("\nnot exact:", *card.failures, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
