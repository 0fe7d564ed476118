"""Throughput of Spark in local mode (``clean_column``) against the CLI (``cleanarticle clean --jobs N``).

Both clean the same pages (the benchmark's ``*.html.gz``, decompressed once into a temporary folder)
from the same files on disk, with the default Cleaner, on the same number of cores. Each run is a
fresh process, the runs of the two are interleaved (CLI, Spark, CLI, Spark...), and the best of
``--repeat`` is kept: the machine is shared, and the minimum is the figure least disturbed by
other work.

Figures, in pages per second:

``end to end``
    the whole process, start to exit: Python, imports, for Spark the JVM and the SparkSession. What
    a one-off run of 127 pages costs.
``first job``  (Spark)
    the first Spark job alone, session already up: the Python workers start and warm up (import
    trafilatura, compile the rules) inside it. Compare with the CLI's own figure, after start-up.
``warm job``  (Spark)
    the best of the following jobs in the same session, with the Python workers reused: the steady
    state of a long Spark job, where start-up costs are paid once per executor.
``after start-up``  (CLI)
    the CLI's summary line, which times the run itself (worker processes included).

Spark reads the files with the ``binaryFile`` source and cleans the ``content`` column (bytes, as
the CLI reads them), spread over ``--partitions`` partitions, and writes to the ``noop`` sink so
every field is computed and nothing is collected. Spark's end-to-end figure is for a process that
runs one job (the process's wall time less its extra, warm jobs). Before measuring, the bodies of
both are compared page by page (``--no-check`` skips it).

    python benchmarks/spark_throughput.py /work/shared/benchmarks/scrapinghub/html --cores 2 --repeat 3
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PYTHON = sys.executable


def decompress_pages(source: Path, dest: Path) -> int:
    """The ``*.html.gz`` pages of ``source`` as plain ``.html`` files in ``dest``; how many."""
    pages = sorted(source.glob("*.html.gz"))
    for page in pages:
        (dest / page.name[: -len(".gz")]).write_bytes(gzip.decompress(page.read_bytes()))
    return len(pages)


# ---------------------------------------------------------------------------------- the CLI


def run_cli(folder: str, cores: int, output: str = os.devnull) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-m", "cleanarticle", "clean", folder, "--jobs", str(cores), "-o", output],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"cleanarticle clean exited {done.returncode}:\n{done.stderr}")
    summary = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    match = re.search(r" in ([0-9.]+) s ", summary)
    if not match:
        raise SystemExit(f"no summary line from the CLI: {summary!r}")
    return {"wall_s": wall, "run_s": float(match.group(1))}


# ---------------------------------------------------------------------------------- Spark


def run_spark(folder: str, cores: int, partitions: int, jobs: int) -> dict[str, Any]:
    """This script with ``--child`` in a fresh process: its timings, plus the process's wall time."""
    cmd = [PYTHON, __file__, folder, "--child", "--cores", str(cores), "--partitions", str(partitions)]
    cmd += ["--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the Spark run failed:\n{done.stderr[-5000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall - sum(result["jobs_s"][1:])  # a process that runs one job
    return result


def spark_session(cores: int, partitions: int) -> Any:
    os.environ["PYSPARK_PYTHON"] = PYTHON  # the workers must be this venv's Python
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # local mode: keep Spark's sockets on loopback
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("cleanarticle-throughput")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_main(args: argparse.Namespace) -> None:
    """In the child process: start Spark, clean the folder ``--jobs`` times, print timings as JSON."""
    started = time.perf_counter()
    spark = spark_session(args.cores, args.partitions)
    from cleanarticle.contrib.spark import clean_column

    session_s = time.perf_counter() - started
    pages = (
        spark.read.format("binaryFile")
        .option("pathGlobFilter", "*.html")
        .load(args.folder)
        .select("path", "content")
        .repartition(args.partitions)
    )
    cleaned = pages.select("path", clean_column(pages, "content").alias("article"))
    jobs = []
    for _ in range(args.jobs):
        t = time.perf_counter()
        cleaned.write.format("noop").mode("overwrite").save()
        jobs.append(time.perf_counter() - t)
    spark.stop()
    print(json.dumps({"session_s": session_s, "jobs_s": jobs}))


def spark_bodies(folder: str, cores: int) -> dict[str, list[str]]:
    spark = spark_session(cores, 2 * cores)
    from cleanarticle.contrib.spark import clean_column

    pages = spark.read.format("binaryFile").option("pathGlobFilter", "*.html").load(folder)
    rows = pages.select("path", clean_column(pages, "content").alias("a")).collect()
    spark.stop()
    return {Path(r.path.removeprefix("file:")).name: list(r.a.body or []) for r in rows}


def check(folder: str, cores: int) -> None:
    """Spark and the CLI must give the same bodies, or the figures compare different work."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli.jsonl")
        run_cli(folder, cores, out)
        with open(out, encoding="utf-8") as fh:
            by_cli = {Path(r["id"]).name: r.get("body", []) for r in map(json.loads, fh)}
    by_spark = spark_bodies(folder, cores)
    differ = sorted(name for name in by_cli if by_cli[name] != by_spark.get(name))
    if differ or set(by_cli) != set(by_spark):
        raise SystemExit(f"Spark and the CLI disagree on {len(differ)} pages, e.g. {differ[:5]}")
    print(f"check: Spark and the CLI give the same body for all {len(by_cli)} pages")


# ---------------------------------------------------------------------------------- report


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:6.2f} pages/s ({seconds:6.2f} s)"


def measure(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        count = decompress_pages(Path(args.pages), Path(tmp))
        print(
            f"{count} pages from {args.pages}; {args.cores} cores (local[{args.cores}] vs --jobs {args.cores});"
            f" {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}"
        )
        if args.check:
            check(tmp, args.cores)
        cli_runs: list[dict[str, float]] = []
        spark_runs: list[dict[str, Any]] = []
        for _ in range(args.repeat):
            cli_runs.append(run_cli(tmp, args.cores))
            spark_runs.append(run_spark(tmp, args.cores, args.partitions, args.jobs))
        print(f"load average after: {os.getloadavg()[0]:.2f}; best of {args.repeat} runs each")
        print(f"CLI --jobs {args.cores}:")
        print(f"  end to end      {rate(count, min(r['wall_s'] for r in cli_runs))}")
        print(f"  after start-up  {rate(count, min(r['run_s'] for r in cli_runs))}")
        print(f"Spark local[{args.cores}], {args.partitions} partitions:")
        print(f"  end to end      {rate(count, min(r['wall_s'] for r in spark_runs))}")
        print(f"  session start   {min(r['session_s'] for r in spark_runs):6.2f} s")
        print(f"  first job       {rate(count, min(r['jobs_s'][0] for r in spark_runs))}")
        if args.jobs > 1:
            print(f"  warm job        {rate(count, min(min(r['jobs_s'][1:]) for r in spark_runs))}")
        if args.json:
            Path(args.json).write_text(
                json.dumps({"pages": count, "cli": cli_runs, "spark": spark_runs}, indent=1), encoding="utf-8"
            )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pages", nargs="?", default="/work/shared/benchmarks/scrapinghub/html")
    parser.add_argument("--cores", type=int, default=2, help="local[N] and --jobs N (default 2)")
    parser.add_argument("--partitions", type=int, default=8, help="Spark partitions (default 8: 4 per core)")
    parser.add_argument(
        "--jobs", type=int, default=3, help="Spark jobs per session: 1 cold, then warm (default 3)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes of each (default 3)")
    parser.add_argument("--no-check", dest="check", action="store_false", help="skip comparing the bodies")
    parser.add_argument("--json", help="also write every run's timings to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # one Spark run, in run_spark
    args = parser.parse_args(argv)
    if args.child:
        args.folder = args.pages
        spark_main(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
