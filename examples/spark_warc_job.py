"""Clean the HTML responses of WARC files with Spark and write the articles as Parquet.

Built the way Common Crawl's PySpark examples (cc-pyspark) are: the input is a text file listing
WARC files, one per line; Spark spreads the lines over tasks; each task opens its WARC files itself
and parses them on the executor (so the WARC bytes never pass through the driver or the JVM), and
cleans every HTML response record as it reads it. The output has one row per HTML response:

    url, warc_record_id, warc_path, body, text, credits, removed, metadata, error

with the same types as :data:`cleanarticle.contrib.spark.ARTICLE_TYPE`. A record the Cleaner
refuses, a WARC file that cannot be opened and a WARC file damaged half-way each give a row whose
``error`` says why (the records read before the damage are kept): one bad file among thousands must
not fail the job. Records that are not articles (requests, metadata, redirects, error pages,
images) are skipped and counted.

WARC parsing is cleanarticle's own (:func:`cleanarticle.io.warc.iter_html_responses`, the CLI's
reader): FastWARC when installed, warcio otherwise; the HTTP charset is used to decode a page when it
works, exactly as ``cleanarticle clean`` does, so both give the same articles for the same WARC.

Run it locally (the script starts Spark itself, its executors use this Python)::

    ls /data/warcs/*.warc.gz > paths.txt
    python examples/spark_warc_job.py --input paths.txt --output out.parquet

or with spark-submit, on a cluster whose executors have cleanarticle installed (docs/integrations.md)::

    spark-submit --master yarn examples/spark_warc_job.py \\
        --input s3://bucket/warc.paths --input-base-url s3://commoncrawl/ --output s3://bucket/cleaned/

Input lines may be local paths, ``file://``, ``http(s)://`` or ``s3://`` URLs (``s3://`` needs
boto3 on the executors), or paths relative to ``--input-base-url`` (Common Crawl's ``warc.paths``
files list paths relative to ``https://data.commoncrawl.org/``).
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO
from urllib.parse import urlparse

from cleanarticle import Cleaner
from cleanarticle.contrib.spark import ARTICLE_TYPE, ShippedCleaner, clean_row
from cleanarticle.io.warc import iter_html_responses

# pyspark is imported in the functions that need it, so `--help` answers without starting a JVM.

#: Columns of the output, in order: where the record came from, then the article.
SOURCE_COLUMNS = ("url", "warc_record_id", "warc_path")
ARTICLE_COLUMNS = ("body", "text", "credits", "removed", "metadata", "error")
COUNTERS = ("warc_files", "html_records", "skipped_records", "cleaned", "failed")


def output_schema() -> Any:
    """The Parquet schema: three string columns, then the article's fields as ARTICLE_TYPE has them."""
    from pyspark.sql.types import StringType, StructField, StructType

    article = {f.name: f for f in ARTICLE_TYPE.fields}
    return StructType(
        [StructField(name, StringType()) for name in SOURCE_COLUMNS]
        + [article[name] for name in ARTICLE_COLUMNS]
    )


def open_warc(path: str, base_url: str | None = None) -> BinaryIO:
    """A stream of one WARC file: a local path, ``file://``, ``http(s)://`` or ``s3://``."""
    if base_url and not urlparse(path).scheme:
        path = base_url.rstrip("/") + "/" + path.lstrip("/")
    parsed = urlparse(path)
    if parsed.scheme in ("", "file"):
        return open(parsed.path if parsed.scheme else path, "rb")
    if parsed.scheme in ("http", "https"):
        request = urllib.request.Request(path, headers={"User-Agent": "cleanarticle-spark-warc-job"})
        response: BinaryIO = urllib.request.urlopen(request, timeout=120)
        return response
    if parsed.scheme in ("s3", "s3a"):
        import boto3  # type: ignore[import-not-found, import-untyped, unused-ignore]

        body: BinaryIO = boto3.client("s3").get_object(Bucket=parsed.netloc, Key=parsed.path.lstrip("/"))[
            "Body"
        ]
        return body
    raise ValueError(f"unsupported scheme {parsed.scheme!r} in {path!r}")


def process_warcs(
    paths: Iterable[str],
    shipped: ShippedCleaner,
    base_url: str | None = None,
    counters: dict[str, Any] | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Rows for every HTML response of every WARC in ``paths``: runs inside one Spark task.

    ``counters`` maps COUNTERS names to Spark accumulators (or to anything with ``add``); they are
    approximate (a retried task counts twice), as Spark's accumulators in transformations are.
    """
    cleaner = shipped.get()  # built once per Python worker, reused by every task it runs
    count = _Counts(counters)
    for line in paths:
        path = line.strip()
        if not path or path.startswith("#"):
            continue
        count("warc_files")
        try:
            stream = open_warc(path, base_url)
        except Exception as exc:  # a missing file or a refused download: a row says so, the job goes on
            count("failed")
            yield _error_row(path, f"cannot open WARC: {type(exc).__name__}: {exc}")
            continue
        read = 0
        try:
            with stream:
                responses = iter_html_responses(
                    stream, limit=cleaner.max_input_chars, on_skip=lambda: count("skipped_records")
                )
                for response in responses:
                    read += 1
                    count("html_records")
                    row = clean_row(
                        cleaner, response.payload, url=response.target_uri, charset=response.charset
                    )
                    count("failed" if row["error"] else "cleaned")
                    yield (
                        response.target_uri,
                        response.record_id,
                        path,
                        *(row[name] for name in ARTICLE_COLUMNS),
                    )
        except Exception as exc:  # any parse error means the same: the rest of this file is damaged
            count("failed")
            yield _error_row(path, f"damaged WARC after {read} HTML records: {type(exc).__name__}: {exc}")


def _error_row(path: str, message: str) -> tuple[Any, ...]:
    return (None, None, path, *(message if name == "error" else None for name in ARTICLE_COLUMNS))


class _Counts:
    def __init__(self, counters: dict[str, Any] | None) -> None:
        self.counters = counters or {}

    def __call__(self, name: str) -> None:
        counter = self.counters.get(name)
        if counter is not None:
            counter.add(1)


def run(
    spark: Any,
    input_path: str,
    output_path: str,
    *,
    cleaner: Cleaner | None = None,
    num_input_partitions: int | None = None,
    num_output_partitions: int | None = None,
    base_url: str | None = None,
    mode: str = "overwrite",
) -> dict[str, int]:
    """Run the job with ``spark``: clean the WARCs listed in ``input_path``, write ``output_path``.

    Returns the counters (see COUNTERS). ``cleaner=None`` uses the default Cleaner, built on each
    Python worker rather than on the driver.
    """
    sc = spark.sparkContext
    shipped = ShippedCleaner(cleaner)
    counters = {name: sc.accumulator(0) for name in COUNTERS}
    partitions = num_input_partitions or sc.defaultParallelism
    # One WARC per partition when there are enough partitions: WARC files are the unit of work.
    paths = sc.textFile(input_path, minPartitions=partitions)
    rows = paths.mapPartitions(lambda lines: process_warcs(lines, shipped, base_url, counters))
    df = spark.createDataFrame(rows, schema=output_schema())
    if num_output_partitions:
        df = df.coalesce(num_output_partitions)
    df.write.mode(mode).parquet(output_path)
    return {name: int(acc.value) for name, acc in counters.items()}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="See docs/integrations.md for running it on a cluster.",
    )
    parser.add_argument("--input", required=True, help="text file listing WARC files, one per line")
    parser.add_argument(
        "--output", required=True, help="Parquet output folder (local path, hdfs://, s3a://...)"
    )
    parser.add_argument(
        "--input-base-url", help="prefix for relative WARC paths (https://data.commoncrawl.org/)"
    )
    parser.add_argument(
        "--num-input-partitions", type=int, help="tasks to spread the WARCs over (default: cores)"
    )
    parser.add_argument(
        "--num-output-partitions", type=int, help="Parquet files to write (default: one per task)"
    )
    parser.add_argument("--language", action="append", help="rule pack to run; repeatable (default: auto)")
    parser.add_argument("--disable", action="append", default=[], help="filter to switch off; repeatable")
    parser.add_argument("--timeout", type=float, help="time budget per document, seconds")
    parser.add_argument("--app-name", default="cleanarticle-warc")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    cleaner = None
    if args.language or args.disable or args.timeout:
        cleaner = Cleaner(
            languages=tuple(args.language) if args.language else "auto",
            disable=frozenset(args.disable),
            timeout=args.timeout,
        )
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Started with plain `python`: Spark runs here, in local mode, and its Python workers must be
        # this interpreter (the one with cleanarticle installed), not whatever `python3` is first on
        # PATH. Under spark-submit the cluster's PYSPARK_PYTHON is left alone.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(args.app_name)
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        builder = builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
    spark = builder.getOrCreate()
    try:
        counts = run(
            spark,
            args.input,
            args.output,
            cleaner=cleaner,
            num_input_partitions=args.num_input_partitions,
            num_output_partitions=args.num_output_partitions,
            base_url=args.input_base_url,
        )
    finally:
        spark.stop()
    print(" ".join(f"{name}={value}" for name, value in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
