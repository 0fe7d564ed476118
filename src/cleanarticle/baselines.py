"""Baselines to measure the cleaner against: a C4-style line filter on extracted text.

Data pipelines commonly clean extracted text the way the C4 corpus did: keep a line only if it ends in
terminal punctuation, has at least three words and names no policy phrase. It is cheap and blind: it
drops short body lines and keeps long boilerplate sentences. ``python -m cleanarticle.baselines``
prints both systems' body precision and recall over a corpus, and the look-alike lines the C4 filter
drops that cleanarticle keeps.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from cleanarticle.corpus import Tally, load_cases

TERMINAL = (".", "!", "?", '"', "”", "'", "’", "…", "»", "।")
POLICY_PHRASES = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
    "javascript",
    "lorem ipsum",
    "{",
)
MIN_WORDS = 3


def c4_keeps(line: str) -> bool:
    """The C4 line rule: terminal punctuation, at least three words, no policy phrase."""
    line = line.strip()
    low = line.lower()
    return (
        line.endswith(TERMINAL)
        and len(line.split()) >= MIN_WORDS
        and not any(p in low for p in POLICY_PHRASES)
    )


def c4_line_filter(text: str) -> list[str]:
    """The lines of ``text`` a C4-style filter keeps, stripped, in order."""
    return [ln.strip() for ln in text.splitlines() if ln.strip() and c4_keeps(ln)]


@dataclass
class Comparison:
    cases: int = 0
    cleaner: Tally = field(default_factory=Tally)
    c4: Tally = field(default_factory=Tally)
    c4_dropped_kept: list[str] = field(default_factory=list)
    c4_dropped_lost: list[str] = field(default_factory=list)

    def format(self) -> str:
        lines = [
            f"text cases: {self.cases}",
            f"{'system':<16}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>5}{'fn':>5}",
        ]
        for name, t in (("cleanarticle", self.cleaner), ("C4 line filter", self.c4)):
            lines.append(f"{name:<16}{t.precision:>10.3f}{t.recall:>8.3f}{t.tp:>6}{t.fp:>5}{t.fn:>5}")
        lines.append(
            f"body lines the C4 filter drops: {len(self.c4_dropped_kept) + len(self.c4_dropped_lost)}; "
            f"cleanarticle keeps {len(self.c4_dropped_kept)}, loses {len(self.c4_dropped_lost)}"
        )
        return "\n".join(lines)


def compare(root: str = "corpus/cases", tags: Sequence[str] = ()) -> Comparison:
    """Body-paragraph precision/recall of cleanarticle and the C4 filter over the text cases."""
    out = Comparison()
    for case in load_cases(root):
        if case.mode != "text" or (tags and not set(tags) & set(case.meta.get("tags", []))):
            continue
        out.cases += 1
        text = case.read_input()
        truth = case.expected()["body"]
        ours = list(case.run().body)
        theirs = c4_line_filter(text)
        out.cleaner.add(truth, ours)
        out.c4.add(truth, theirs)
        kept_by_c4 = set(theirs)
        for paragraph in truth:
            if paragraph.strip() in text and paragraph not in kept_by_c4 and paragraph in text.splitlines():
                (out.c4_dropped_kept if paragraph in ours else out.c4_dropped_lost).append(paragraph)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleanarticle.baselines", description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", default="corpus/cases")
    parser.add_argument("--tag", action="append", default=[], help="only cases with this tag (repeatable)")
    args = parser.parse_args(argv)
    result = compare(args.root, args.tag)
    print(result.format())
    for p in result.c4_dropped_lost:
        print("  lost:", p[:100])
    return 0


if __name__ == "__main__":
    sys.exit(main())
