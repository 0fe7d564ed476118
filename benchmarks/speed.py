"""Speed of cleanarticle against trafilatura alone, as ratios measured in one run.

    python benchmarks/speed.py DATASET_DIR [--limit N] [--repeat R] [--stages] [--cache] [--rules N]

For every page of a benchmark folder (the formats of ``run.py``) it times, interleaved page by page
with the order rotated (so that a noisy, shared machine slows every system alike), except that text
mode always runs right after trafilatura on the same page:

* ``trafilatura``: ``trafilatura.extract(page)``, comments off (the baseline: one extraction);
* ``cleanarticle html``: ``Cleaner().clean(page, mode="html")`` (parse once, DOM layer, extraction,
  metadata, text layers);
* ``cleanarticle text``: ``Cleaner().clean(text, mode="text")`` on the text trafilatura extracted from
  that page (what a pipeline that already extracts hands over), right after that extraction (the
  string that extraction returned), and with the trigger hits HTML mode remembered for the page's
  paragraphs forgotten first (the two modes share rule sets; before 2026-11-29 text mode followed
  HTML mode on two pages of three and found most of its scan done).

Text mode is then timed a second way, in whole passes over the texts alternating with whole passes
of trafilatura over the pages: a job cleaning texts stored earlier (a column of a table, a dump)
runs like that, with our code and rule tables staying in the processor's caches, where interleaved
every text comes right after an extraction that pushed them out (on the article-body pages, about
a quarter of the time of a text interleaved).

It prints milliseconds per page, and the two ratios the issue sets targets for: HTML mode against
trafilatura alone, and text mode as a share of one extraction. ``--stages`` adds where the time of
HTML mode goes (parse, DOM layer, fast metadata, extraction, text layers), timed the same way.
Every system gets one untimed warm-up pass over all pages first (lazy imports, rule compilation),
as a long batch job would; the caches that remember paragraphs, class names and date strings already
seen (ours, trafilatura's, htmldate's) are cleared before each timed pass, so that every page counts
as a page of a new site.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loaders import load_dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the pages (median reported)")
    parser.add_argument("--stages", action="store_true", help="also time the stages of HTML mode")
    parser.add_argument("--cache", action="store_true",
                        help="then time text mode right after a memory copy that evicts the processor's caches")
    parser.add_argument("--rules", type=int, default=0, metavar="N",
                        help="then list the N rules that cost most in text mode (searches, hits, ms)")
    args = parser.parse_args(argv)

    import trafilatura
    from trafilatura.meta import reset_caches

    from cleanarticle import Cleaner
    from cleanarticle.article import Metadata
    from cleanarticle.layers import dom, extract

    pages = [(p.html, p.url) for p in load_dataset(args.dataset, args.limit).pages]
    cleaner = Cleaner()

    def traf(page: str, url: str | None) -> str | None:
        return trafilatura.extract(page, include_comments=False, deduplicate=False, output_format="txt")

    texts = {i: traf(p, u) or "" for i, (p, u) in enumerate(pages)}
    #: the text the last timed extraction of each page gave: text mode right after an extraction
    #: cleans that very string, as a pipeline that extracts and then cleans does (a copy stored
    #: earlier would have to be read back into the processor's caches first)
    fresh: dict[int, str] = {}

    def extract_page(i: int) -> str | None:
        out = traf(*pages[i])
        fresh[i] = out or ""  # the same text as texts[i] (extraction is deterministic); no check in the timing
        return out

    systems: dict[str, Callable[[int], object]] = {
        "trafilatura": extract_page,
        "cleanarticle html": lambda i: cleaner.clean(pages[i][0], url=pages[i][1], mode="html"),
        "cleanarticle text": lambda i: cleaner.clean(fresh.pop(i, texts[i]), mode="text"),
    }
    if args.stages:
        rules = dom.load_dom_rules()

        def parse(i: int) -> object:
            return extract.parse_html(pages[i][0])

        def parsed_and_pruned(i: int) -> object:
            tree = parse(i)
            dom.prune(tree, rules)
            return tree

        extracted = {i: extract.extract(parsed_and_pruned(i), url=pages[i][1]) for i in range(len(pages))}
        systems |= {
            "stage: parse": parse,
            "stage: parse+DOM layer": parsed_and_pruned,
            "stage: parse+fast metadata": lambda i: extract._fast_metadata(parse(i), pages[i][1]),
            "stage: parse+DOM+extraction+metadata": lambda i: extract.extract(parsed_and_pruned(i), url=pages[i][1]),
            "stage: text layers": lambda i: cleaner._clean_text(
                extracted[i][0], extracted[i][1] or Metadata(), "html", None, ()
            ),
        }

    def forget() -> None:
        """Every timed pass sees the pages as new ones: our caches (see Cleaner.clear_caches) and
        those of trafilatura, htmldate and courlan, which remember strings of pages already seen
        (htmldate's date parsing above all: without this, a second pass over the same pages hides
        most of the cost of a date search)."""
        cleaner.clear_caches()
        reset_caches()
        fresh.clear()  # a whole pass of text mode cleans the stored texts

    def forget_paragraphs() -> None:
        """HTML mode has just run our text layers over (nearly) the same paragraphs as the text
        of its page: the trigger hits they left behind would spare text mode most of its scan."""
        for ruleset in (cleaner.ruleset, *cleaner._subsets.values()):  # type: ignore[attr-defined]
            ruleset.clear_caches()

    names = list(systems)
    for i in range(len(pages)):  # warm-up
        for name in names:
            systems[name](i)
    totals: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(args.repeat):
        forget()
        spent = dict.fromkeys(names, 0.0)
        for i in range(len(pages)):
            # the order rotates, except that text mode always comes right after trafilatura on the
            # same page (what a pipeline that extracts and then cleans does), with the paragraphs
            # HTML mode remembered from this page forgotten first
            order = [n for n in names if n != "cleanarticle text"]
            shift = (i + rep) % len(order)
            order = order[shift:] + order[:shift]
            order.insert(order.index("trafilatura") + 1, "cleanarticle text")
            for name in order:
                if name == "cleanarticle text":
                    forget_paragraphs()
                t0 = time.perf_counter()
                systems[name](i)
                spent[name] += time.perf_counter() - t0
        for name in names:
            totals[name].append(spent[name])

    # Text mode as a job over stored texts runs: whole passes over the texts, timed against whole
    # trafilatura passes, alternating. Interleaved page by page (above), every text is cleaned right
    # after an extraction has pushed our code and tables out of the processor's caches.
    batch: dict[str, list[float]] = {"trafilatura": [], "cleanarticle text": []}
    for rep in range(args.repeat):
        for name in list(batch)[:: 1 if rep % 2 == 0 else -1]:
            forget()
            t0 = time.perf_counter()
            for i in range(len(pages)):
                systems[name](i)
            batch[name].append(time.perf_counter() - t0)

    n = len(pages)
    ms = {name: statistics.median(v) / n * 1000 for name, v in totals.items()}
    batch_ms = {name: statistics.median(v) / n * 1000 for name, v in batch.items()}
    print(f"{args.dataset.name}: {n} pages, {args.repeat} timed passes (median), after one warm-up pass")
    for name in names:
        print(f"  {name:40s} {ms[name]:8.2f} ms/page   x{ms[name] / ms['trafilatura']:.3f} of trafilatura")
    print(f"HTML mode / trafilatura alone:            {ms['cleanarticle html'] / ms['trafilatura']:.3f}  (target <= 1.10)")
    print(f"text mode / one extraction (trafilatura):  {ms['cleanarticle text'] / ms['trafilatura']:.1%}  (target <= 3%)"
          "  right after extracting the same page")
    print(f"  in whole passes: trafilatura {batch_ms['trafilatura']:.2f} ms/page, text {batch_ms['cleanarticle text']:.2f} ms/page:"
          f" {batch_ms['cleanarticle text'] / batch_ms['trafilatura']:.1%}  (target <= 3%)  stored texts cleaned one after another")
    if args.cache:
        _cache_effect(systems["cleanarticle text"], len(pages), forget, args.repeat)
    if args.rules:
        _costliest_rules(cleaner, list(texts.values()), args.rules, forget)
    return 0


#: bytes copied between two texts by --cache: twice the 2 MB a core of the development machine has
#: as its private (L2) cache, so that nothing of the last text's code or data is left in it
EVICTING_COPY = 4 << 20


def _cache_effect(clean_text: Callable[[int], object], n: int, forget: Callable[[], None], repeat: int) -> None:
    """Text mode, each text cleaned right after the one before (our code and tables in the caches),
    and right after a copy of EVICTING_COPY bytes (pushing them out to the shared L3, as an
    extraction does): how much of its cost right after an extraction is the caches, not the work."""
    source = bytes(EVICTING_COPY)
    target = bytearray(EVICTING_COPY)
    spent: dict[str, list[float]] = {"another text": [], "a 4 MB copy": []}
    for rep in range(repeat):
        for name in list(spent)[:: 1 if rep % 2 == 0 else -1]:
            forget()
            total = 0.0
            for i in range(n):
                if name == "a 4 MB copy":
                    target[:] = source
                t0 = time.perf_counter()
                clean_text(i)
                total += time.perf_counter() - t0
            spent[name].append(total)
    ms = {name: statistics.median(v) / n * 1000 for name, v in spent.items()}
    print("text mode, each text right after " + ", ".join(f"{name}: {v:.2f} ms/page" for name, v in ms.items())
          + f" (x{ms['a 4 MB copy'] / ms['another text']:.2f})")


def _costliest_rules(cleaner: object, texts: list[str], top: int, forget: Callable[[], None]) -> None:
    """Time every rule search of one text-mode pass: where a slow pattern shows up first.

    The matching filters search the patterns :meth:`RuleSet.matchers` hands them (each rule cut down
    to the alternatives a paragraph calls for), so those are wrapped in timing proxies.
    """
    from collections import Counter

    from cleanarticle.rules import RuleSet

    spent: Counter[str] = Counter()  # seconds (a Counter of floats)
    calls: Counter[str] = Counter()
    hits: Counter[str] = Counter()

    class Timed:
        def __init__(self, rule_id: str, pattern: Any) -> None:
            self.rule_id, self.pattern = rule_id, pattern

        def _timed(self, method: str, *args: Any) -> Any:
            t0 = time.perf_counter()
            found = getattr(self.pattern, method)(*args)
            if method == "finditer":
                found = list(found)
            spent[self.rule_id] += time.perf_counter() - t0  # type: ignore[assignment]
            calls[self.rule_id] += 1
            hits[self.rule_id] += bool(found)
            return found

        def search(self, *args: Any) -> Any:
            return self._timed("search", *args)

        def finditer(self, *args: Any) -> Any:
            return self._timed("finditer", *args)

    matchers = RuleSet.matchers

    def timed(ruleset: RuleSet, scope: str, text: str) -> list[tuple[Any, Any, int]]:
        return [(rule, Timed(rule.id, pattern), start) for rule, pattern, start in matchers(ruleset, scope, text)]

    forget()
    RuleSet.matchers = timed  # type: ignore[assignment]
    try:
        for text in texts:
            cleaner.clean(text, mode="text")  # type: ignore[attr-defined]
    finally:
        RuleSet.matchers = matchers  # type: ignore[method-assign]
    n = len(texts)
    print(f"rule searches in text mode: {sum(calls.values()) / n:.1f} per page, {sum(spent.values()) / n * 1000:.2f} ms per page")
    for rule_id, seconds in spent.most_common(top):
        print(f"  {rule_id:40s} {calls[rule_id]:6d} searches {hits[rule_id]:5d} hits {seconds / n * 1000:7.3f} ms/page")


if __name__ == "__main__":
    raise SystemExit(main())
