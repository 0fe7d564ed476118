"""Throughput and memory of ``cleanarticle clean``, measured on the real command in a subprocess.

Two measurements, each reproducible with one command from the repository root:

``throughput``
    records/s of ``cleanarticle clean DIR --jobs N`` over the benchmark's article pages (decompressed
    once into a temporary folder), for each N in ``--jobs-list``. Each run is repeated ``--repeat``
    times, the values of N interleaved, and the best wall time is kept: the machine is shared, and the
    minimum is the figure least disturbed by other work. Two rates: end to end (the whole command, with its start-up: Python,
    imports, compiling the rule packs, which no number of workers shortens) and after start-up (from
    the CLI's own summary line, which times the run itself). The speedup of each N over the first is
    printed for both, beside the machine's own ceiling at the time (N copies of a pure CPU loop at
    once against one), which tells how far a busy shared machine lets any program scale.

``memory``
    peak memory of the whole process tree (parent and workers) while cleaning synthetic JSON Lines
    inputs of different lengths (default 5,000 and 50,000 short text articles), to show that memory
    does not grow with the input. The tree is sampled every 20 ms from /proc: the peak of the summed
    RSS and of the summed PSS (PSS shares the pages workers inherit from the parent, so it does not
    count them twice). ``ru_maxrss`` of the largest single process is printed as a cross-check.

    python benchmarks/cli_throughput.py throughput /work/shared/benchmarks/scrapinghub/html
    python benchmarks/cli_throughput.py memory --records 5000 50000 --jobs 2
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PYTHON = sys.executable
SAMPLE_SECONDS = 0.02


# ---------------------------------------------------------------------------------- process tree


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def _kib(pid: int, path: str, key: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(cmd: Sequence[str]) -> dict[str, Any]:
    """Run ``cmd``; wall seconds, peak summed RSS/PSS of its process tree (MiB), max single ru_maxrss."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        peak_rss = max(peak_rss, sum(_kib(p, "status", "VmRSS:") for p in pids))
        peak_pss = max(peak_pss, sum(_kib(p, "smaps_rollup", "Pss:") for p in pids))
        time.sleep(SAMPLE_SECONDS)
    wall = time.perf_counter() - started
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall_s": wall,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_tree_rss_mib": peak_rss / 1024,
        "peak_tree_pss_mib": peak_pss / 1024,
        "max_single_rss_mib": after.ru_maxrss / 1024,
        "summary": stderr.strip().splitlines()[-1] if stderr.strip() else "",
    }


def _run_seconds(summary: str) -> float:
    """The seconds in the CLI's summary line ("... in 9.05 s (...)"): the run without start-up."""
    match = re.search(r" in ([0-9.]+) s ", summary)
    if not match:
        raise SystemExit(f"no summary line in: {summary!r}")
    return float(match.group(1))


def clean_cmd(inputs: Sequence[str], jobs: int, extra: Sequence[str] = ()) -> list[str]:
    return [PYTHON, "-m", "cleanarticle", "clean", *inputs, "--jobs", str(jobs), "-o", os.devnull, *extra]


# ---------------------------------------------------------------------------------- throughput


def decompress_pages(source: Path, dest: Path, copies: int = 1) -> int:
    """The ``*.html.gz`` pages of ``source`` as plain ``.html`` files in ``dest`` (``copies`` times
    over, to spread the fixed start-up over more work); how many files."""
    pages = sorted(source.glob("*.html.gz"))
    for page in pages:
        html = gzip.decompress(page.read_bytes())
        for copy in range(copies):
            (dest / f"{copy}-{page.name[: -len('.gz')]}").write_bytes(html)
    return len(pages) * copies


_SPIN = "n = 0\nfor i in range(20_000_000): n += i"


def _spin(copies: int) -> float:
    started = time.perf_counter()
    procs = [subprocess.Popen([PYTHON, "-c", _SPIN]) for _ in range(copies)]
    for p in procs:
        p.wait()
    return time.perf_counter() - started


def machine_ceiling(jobs: int) -> float:
    """How much more work ``jobs`` copies of a pure CPU loop get done at once than one copy, right now:
    the best speedup any program can get here at this moment (the machine is shared, and its CPUs
    may be hyperthreads of one core)."""
    return jobs * _spin(1) / _spin(jobs) if jobs > 1 else 1.0


def throughput(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        count = decompress_pages(Path(args.pages), Path(tmp), args.copies)
        print(
            f"{count} pages from {args.pages}; load average {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs"
        )
        runs: dict[int, list[dict[str, Any]]] = {jobs: [] for jobs in args.jobs_list}
        for _ in range(args.repeat):  # interleaved, so a busy spell of the machine hits every N alike
            for jobs in args.jobs_list:
                runs[jobs].append(run_measured(clean_cmd([tmp], jobs)))
        ceilings = {jobs: statistics.median(machine_ceiling(jobs) for _ in range(3)) for jobs in args.jobs_list}
        base = None
        for jobs in args.jobs_list:
            best = min(runs[jobs], key=lambda r: r["wall_s"])
            rate = count / best["wall_s"]
            run_rate = count / _run_seconds(best["summary"])
            base = base or (rate, run_rate)
            walls = ", ".join(f"{r['wall_s']:.2f}" for r in runs[jobs])
            print(
                f"--jobs {jobs}: {rate:6.2f} records/s end to end (best of {args.repeat}: {best['wall_s']:.2f} s;"
                f" runs {walls}), speedup {rate / base[0]:.2f}x; {run_rate:6.2f} records/s after start-up"
                f" (the CLI's summary), speedup {run_rate / base[1]:.2f}x; CPU {best['cpu_s']:.1f} s;"
                f" machine ceiling now (median of 3) {ceilings[jobs]:.2f}x"
            )


# ---------------------------------------------------------------------------------- memory

_WORDS = [
    "council", "minister", "village", "water", "pipeline", "monsoon", "district", "officials", "said",
    "tuesday", "report", "budget", "school", "residents", "market", "prices", "government", "election",
    "court", "police", "river", "bridge", "hospital", "farmers", "season", "rain", "road", "project",
    "committee", "statement", "week", "year", "city", "state", "national", "local", "plan",
]
_BOILERPLATE = (
    "advertisement",
    "Also Read: {w} council approves budget for new {w} buildings",
    "(With inputs from PTI and IANS)",
    "(Support independent journalism. Become a member today.)",
    "Story continues below advertisement",
)


def synthetic_article(rng: random.Random) -> str:
    """A short text article: 4 to 8 prose paragraphs with 1 to 3 boilerplate lines among them."""
    paragraphs = [
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(15, 40))).capitalize() + "."
        for _ in range(rng.randint(4, 8))
    ]
    for _ in range(rng.randint(1, 3)):
        line = rng.choice(_BOILERPLATE).format(w=rng.choice(_WORDS).capitalize())
        paragraphs.insert(rng.randint(0, len(paragraphs)), line)
    return "\n".join(paragraphs)


def write_jsonl(path: Path, count: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            fh.write(json.dumps({"id": i, "text": synthetic_article(rng)}) + "\n")


def memory(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for count in args.records:
            path = Path(tmp) / f"synthetic-{count}.jsonl"
            write_jsonl(path, count)
            r = run_measured(clean_cmd([str(path)], args.jobs, ["--field", "text"]))
            results.append(r)
            print(
                f"{count:>7,} records, --jobs {args.jobs}: {count / r['wall_s']:7.1f} records/s;"
                f" peak tree RSS {r['peak_tree_rss_mib']:.1f} MiB, PSS {r['peak_tree_pss_mib']:.1f} MiB;"
                f" max single-process ru_maxrss {r['max_single_rss_mib']:.1f} MiB"
            )
        first, last = results[0], results[-1]
        print(
            f"ratio {args.records[-1]:,} / {args.records[0]:,} records: RSS"
            f" {last['peak_tree_rss_mib'] / first['peak_tree_rss_mib']:.3f}x,"
            f" PSS {last['peak_tree_pss_mib'] / first['peak_tree_pss_mib']:.3f}x"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    t = sub.add_parser("throughput", help="records/s per --jobs on a folder of *.html.gz pages")
    t.add_argument("pages", nargs="?", default="/work/shared/benchmarks/scrapinghub/html")
    t.add_argument("--jobs-list", type=int, nargs="+", default=[1, 2])
    t.add_argument("--repeat", type=int, default=3)
    t.add_argument("--copies", type=int, default=1, help="clean each page this many times (default 1)")
    t.set_defaults(run=throughput)
    m = sub.add_parser("memory", help="peak memory of the process tree for inputs of different lengths")
    m.add_argument("--records", type=int, nargs="+", default=[5000, 50000])
    m.add_argument("--jobs", type=int, default=2)
    m.set_defaults(run=memory)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
