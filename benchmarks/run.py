#!/usr/bin/env python3
"""Benchmark harness: run extraction systems over a benchmark folder and score them.

    python benchmarks/run.py DATASET_DIR [--systems cleanarticle,trafilatura,...] [--limit N]
        [--save-predictions DIR] [--analyze] [--crosscheck SCORE_PY] [--feed str|bytes]

The dataset format is detected from DATASET_DIR (ground-truth.json -> article-body set,
evaldata.json -> snippet set).  All selected systems run over every page in one process:
pages are read, decompressed and decoded first; then, page by page, every system runs on the
page (systems interleaved per page, their order rotated from one page to the next so that
none is always first), with time.perf_counter() around the extraction call only.  Each
system gets one untimed warm-up call on the first page before timing starts.  See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

import metrics
from loaders import ARTICLEBODY, Dataset, load_dataset
from systems import BASELINE, DEFAULT_SYSTEMS, SYSTEMS, Extract, Unavailable

_DIST = {
    "trafilatura": "trafilatura",
    "trafilatura-default": "trafilatura",
    "readability": "readability-lxml",
    "newspaper4k": "newspaper4k",
    "justext": "jusText",
}


def _version(system: str) -> str:
    if system.startswith("cleanarticle"):
        mod = sys.modules.get("cleanarticle")
        where = getattr(mod, "__file__", "?") if mod else "?"
        return f"{getattr(mod, '__version__', '?')} ({where})"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_DIST.get(system, system))
    except PackageNotFoundError:
        return "?"


def build_systems(names: list[str]) -> dict[str, Extract]:
    built: dict[str, Extract] = {}
    for name in names:
        if name not in SYSTEMS:
            raise SystemExit(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")
        try:
            built[name] = SYSTEMS[name].factory()
        except Unavailable as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    return built


def run_systems(
    ds: Dataset, systems: dict[str, Extract], feed: str, progress: bool = True
) -> tuple[dict[str, dict[str, str | None]], dict[str, float], dict[str, list[str]]]:
    """Run every system on every page; return predictions, total seconds, error messages."""
    names = list(systems)
    preds: dict[str, dict[str, str | None]] = {n: {} for n in names}
    secs: dict[str, float] = dict.fromkeys(names, 0.0)
    errors: dict[str, list[str]] = {n: [] for n in names}

    def page_input(name: str, i: int) -> str | bytes:
        page = ds.pages[i]
        return page.raw if feed == "bytes" and SYSTEMS[name].accepts_bytes else page.html

    if ds.pages:  # untimed warm-up (lazy imports, caches, compiled regexes)
        for name in names:
            with contextlib.suppress(Exception):
                systems[name](page_input(name, 0), ds.pages[0].url)
    perf = time.perf_counter
    start = perf()
    for i, page in enumerate(ds.pages):
        k = i % len(names) if names else 0
        for name in names[k:] + names[:k]:
            extract = systems[name]
            inp = page_input(name, i)
            t0 = perf()
            try:
                out = extract(inp, page.url)
            except Exception as exc:  # a crash is an empty output, reported below
                out = None
                errors[name].append(f"{page.doc_id}: {type(exc).__name__}: {exc}"[:300])
            secs[name] += perf() - t0
            preds[name][page.doc_id] = out
        if progress and (i + 1) % 100 == 0:
            print(f"  ... {i + 1}/{len(ds.pages)} pages, {perf() - start:.0f}s", file=sys.stderr)
    return preds, secs, errors


def score(ds: Dataset, preds: dict[str, str | None]) -> tuple[metrics.Summary, dict[str, object]]:
    if ds.kind == ARTICLEBODY:
        return metrics.score_article_set(ds.truth, preds)  # type: ignore[arg-type]
    return metrics.score_snippet_set(ds.truth, preds)  # type: ignore[arg-type]


def format_table(
    ds: Dataset,
    results: dict[str, metrics.Summary],
    secs: dict[str, float],
    preds: dict[str, dict[str, str | None]],
    errors: dict[str, list[str]],
) -> str:
    n = len(ds.pages)
    base = secs.get(BASELINE)
    snip = ds.kind != ARTICLEBODY
    head = (
        f"{'system':<22}{'precision':>10}{'recall':>8}{'F1':>7}{'accuracy':>10}{'docs/s':>9}"
        f"{'seconds':>9}{'x trafilatura':>15}{'empty':>7}{'errors':>7}"
    )
    if snip:
        head += f"{'TP':>6}{'FP':>6}{'FN':>6}{'TN':>6}"
    lines = [head, "-" * len(head)]
    for name, s in results.items():
        t = secs[name]
        ratio = f"{t / base:.2f}" if base else "n/a"
        empty = sum(1 for v in preds[name].values() if not (v or "").strip())
        row = (
            f"{name:<22}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.accuracy:>10.3f}"
            f"{(n / t if t else float('inf')):>9.1f}{t:>9.2f}{ratio:>15}{empty:>7}{len(errors[name]):>7}"
        )
        if snip:
            row += "".join(f"{s.counts[k]:>6}" for k in ("tp", "fp", "fn", "tn"))
        lines.append(row)
    return "\n".join(lines)


# ------------------------------------------------------------------ cross-check with the reference scorer


def crosscheck(
    ds: Dataset, score_py: Path, pred_files: dict[str, Path], results: dict[str, metrics.Summary]
) -> list[str]:
    bench = "scrapinghub" if ds.kind == ARTICLEBODY else "trafeval"
    out = [f"cross-check with {score_py} ({bench}):"]
    with tempfile.TemporaryDirectory(prefix="cleanarticle-xcheck-") as tmp:
        data_dir = ds.path
        full = json.loads(ds.annotations_file.read_text(encoding="utf-8"))
        if len(full) != len(ds.pages):  # --limit: give score.py the same subset of documents (temp file only)
            data_dir = Path(tmp) / "subset"
            data_dir.mkdir()
            subset = {k: full[k] for k in ds.ids}
            (data_dir / ds.annotations_file.name).write_text(
                json.dumps(subset, ensure_ascii=False), encoding="utf-8"
            )
        all_agree = True
        for name, pred_file in pred_files.items():
            js = Path(tmp) / f"{name}.json"
            proc = subprocess.run(
                [sys.executable, str(score_py), bench, str(data_dir), str(pred_file), "--json", str(js)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                out.append(
                    f"  {name:<22} score.py failed (exit {proc.returncode}): {proc.stderr.strip()[-300:]}"
                )
                all_agree = False
                continue
            ref = json.loads(js.read_text(encoding="utf-8"))
            mine = results[name].as_dict()
            keys = ["precision", "recall", "f1", "accuracy"]
            diffs = {k: abs(float(mine[k]) - float(ref[k])) for k in keys}  # type: ignore[arg-type]
            same = all(f"{float(mine[k]):.3f}" == f"{float(ref[k]):.3f}" for k in keys)  # type: ignore[arg-type]
            if ds.kind != ARTICLEBODY:
                same = same and all(mine[k] == ref[k] for k in ("tp", "fp", "fn", "tn"))
            all_agree &= same
            figs = "  ".join(
                f"{k[:4]} {ref[k]:.3f}" + (f"±{ref[k + '_std']:.3f}" if k + "_std" in ref else "")
                for k in keys
            )
            out.append(
                f"  {name:<22} score.py: {figs}  -> agree to 3 decimals: {'YES' if same else 'NO'} "
                f"(max |diff| {max(diffs.values()):.1e})"
            )
        out.append(f"  overall: {'all figures agree' if all_agree else 'DISAGREEMENT'}")
    return out


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("dataset", type=Path, help="benchmark folder (with ground-truth.json or evaldata.json)")
    ap.add_argument(
        "--systems",
        default=",".join(DEFAULT_SYSTEMS),
        help=f"comma-separated systems (default: {','.join(DEFAULT_SYSTEMS)}; known: {','.join(SYSTEMS)})",
    )
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents (sorted by id)")
    ap.add_argument(
        "--save-predictions",
        type=Path,
        metavar="DIR",
        help="write DIR/<dataset>/<system>.json ({doc_id: text}), summary.json and analysis files",
    )
    ap.add_argument("--analyze", action="store_true", help="error analysis per document and by category")
    ap.add_argument(
        "--crosscheck",
        type=Path,
        metavar="SCORE_PY",
        help="also score the saved predictions with this reference scorer and compare",
    )
    ap.add_argument(
        "--feed",
        choices=["str", "bytes"],
        default="str",
        help="give systems the page decoded by the harness (str, default) or the raw bytes "
        "(systems that accept bytes: cleanarticle, trafilatura*, readability, justext)",
    )
    ap.add_argument("--top", type=int, default=60, help="--analyze: how many frequent extra lines to list")
    args = ap.parse_args(argv)

    names = [s.strip() for s in args.systems.split(",") if s.strip()]
    systems = build_systems(names)
    if not systems:
        print("no system available", file=sys.stderr)
        return 2

    t_load = time.perf_counter()
    ds = load_dataset(args.dataset, args.limit)
    t_load = time.perf_counter() - t_load
    kind = (
        "article-body set (shingle P/R/F1, per-doc macro)"
        if ds.kind == ARTICLEBODY
        else "snippet set (with/without snippets, micro P/R/F1)"
    )
    enc = Counter(p.encoding.split("(")[0] for p in ds.pages)
    print(
        f"dataset: {ds.name} — {kind}, {len(ds.pages)} docs (loaded and decoded in {t_load:.1f}s; "
        f"decoding: {', '.join(f'{k} {v}' for k, v in enc.most_common())})"
    )
    print(
        f"feed: {args.feed}; timing: perf_counter around each extraction call, systems interleaved per page "
        f"(order rotated), one untimed warm-up call each"
    )
    for name in systems:
        print(f"  {name:<22} {_version(name):<20} {SYSTEMS[name].description}")
    sys.stdout.flush()

    preds, secs, errors = run_systems(ds, systems, args.feed)
    results: dict[str, metrics.Summary] = {}
    per_doc: dict[str, dict[str, object]] = {}
    for name in systems:
        results[name], per_doc[name] = score(ds, preds[name])
    print()
    print(format_table(ds, results, secs, preds, errors))
    if BASELINE not in secs:
        print(f"(x trafilatura: n/a, {BASELINE} was not run)")
    for name, errs in errors.items():
        if errs:
            print(f"{name}: {len(errs)} page(s) raised; first: {errs[0]}")

    save_dir = None
    pred_files: dict[str, Path] = {}
    tmp_ctx = None
    if args.save_predictions or args.crosscheck:
        if args.save_predictions:
            save_dir = args.save_predictions / ds.name
        else:
            tmp_ctx = tempfile.TemporaryDirectory(prefix="cleanarticle-preds-")
            save_dir = Path(tmp_ctx.name)
        save_dir.mkdir(parents=True, exist_ok=True)
        for name in systems:
            pred_files[name] = save_dir / f"{name}.json"
            pred_files[name].write_text(
                json.dumps(preds[name], ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
            )
        summary = {
            "dataset": str(ds.path),
            "kind": ds.kind,
            "n_docs": len(ds.pages),
            "feed": args.feed,
            "systems": {
                n: {
                    **results[n].as_dict(),
                    "seconds": secs[n],
                    "docs_per_second": len(ds.pages) / secs[n] if secs[n] else None,
                    "time_ratio_to_trafilatura": secs[n] / secs[BASELINE] if secs.get(BASELINE) else None,
                    "errors": errors[n],
                    "version": _version(n),
                }
                for n in systems
            },
        }
        if args.save_predictions:
            (save_dir / "summary.json").write_text(
                json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            print(f"\npredictions and summary written to {save_dir}/")

    if args.crosscheck:
        print()
        print("\n".join(crosscheck(ds, args.crosscheck, pred_files, results)))

    if args.analyze:
        from analysis import analyze_article, analyze_snippets

        html = {p.doc_id: p.html for p in ds.pages}
        for name in systems:
            if ds.kind == ARTICLEBODY:
                an = analyze_article(name, ds.truth, preds[name], html, top=args.top)  # type: ignore[arg-type]
            else:
                an = analyze_snippets(name, per_doc[name], html)
            print()
            print(
                f"== per-document detail: {name}  (+ extra line, - missing truth line; [line index/lines])"
                if ds.kind == ARTICLEBODY
                else f"== per-document detail: {name}  (+ 'without' snippet found, - 'with' snippet missed)"
            )
            print("\n".join(an.detail_lines))
            print()
            print("\n".join(an.summary_lines))
            if args.save_predictions and save_dir:
                (save_dir / f"analysis.{name}.txt").write_text(
                    "\n".join([*an.detail_lines, "", *an.summary_lines]) + "\n", encoding="utf-8"
                )
                (save_dir / f"analysis.{name}.json").write_text(
                    json.dumps(an.per_doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
                )
    if tmp_ctx is not None:
        tmp_ctx.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
