"""The Spark integration: clean_column on one small DataFrame, and the WARC example job, in local mode.

One SparkSession (local[2], no UI, 2 shuffle partitions) serves the module: starting the JVM is
the slow part, so the JVM is told to start fast (C1 compiler only, serial GC: nothing here runs long
enough to need more). Skips cleanly without the ``spark`` extra or without a Java runtime.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import pickle
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("PySpark needs a Java runtime (java on PATH or JAVA_HOME)", allow_module_level=True)

import cleanarticle
from cleanarticle.contrib.spark import (
    ARTICLE_FIELDS,
    ARTICLE_TYPE,
    ShippedCleaner,
    clean_column,
    clean_row,
)
from tests.conftest import CORPUS, ROOT

CASES = ("en/html-indian-wire-pti-gpt-slots", "de/html-oesterreich-apa-werbung")
WIRE_STORY = "advertisement\nThe council met on Monday.\n(With inputs from PTI)"
UNDECODABLE = b"\x81\x8d\x8f\x90\x9d plain words"  # neither UTF-8 nor windows-1252


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    saved = {name: os.environ.get(name) for name in ("PYSPARK_PYTHON", "SPARK_LOCAL_IP")}
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers must see cleanarticle: this venv
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # every socket Spark opens stays on loopback
    session = (
        SparkSession.builder.master("local[2]")
        .appName("cleanarticle-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def page(case: str) -> str:
    return (CORPUS / case / "input.html").read_text("utf-8")


def golden(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / case / "expected.json").read_text("utf-8"))
    return data


# ---------------------------------------------------------------------------------- no Spark job


def test_shipped_cleaner_is_built_once_per_process() -> None:
    custom = cleanarticle.Cleaner(languages=("en",), disable={"lists"})
    shipped = ShippedCleaner(custom)
    first = pickle.loads(pickle.dumps(shipped)).get()  # what a task unpickles
    second = pickle.loads(pickle.dumps(shipped)).get()  # the next task in the same worker
    assert first is second
    assert first == custom and first is not custom
    assert ShippedCleaner().get() is cleanarticle.default_cleaner()
    with pytest.raises(cleanarticle.ConfigError):
        ShippedCleaner("not a cleaner")  # type: ignore[arg-type]


def test_clean_row_never_raises() -> None:
    cleaner = cleanarticle.default_cleaner()
    row = clean_row(cleaner, WIRE_STORY)
    assert row["body"] == ["The council met on Monday."] and row["error"] is None
    refused = clean_row(cleaner, UNDECODABLE)
    assert refused["error"].startswith("DecodeError: ")
    assert all(refused[name] is None for name in ARTICLE_FIELDS if name != "error")
    # the transport's charset decodes what the Cleaner alone could not; a wrong label is ignored
    assert clean_row(cleaner, "Zürich".encode("cp1252"), charset="windows-1252", mode="text")["body"] == [
        "Zürich"
    ]
    assert clean_row(cleaner, "Zürich".encode(), charset="no-such-codec", mode="text")["body"] == ["Zürich"]


def test_the_column_is_checked_on_the_driver(spark: Any) -> None:
    df = spark.createDataFrame([("x", 1)], "html string, n int")
    assert df.select(clean_column(df, "html").alias("a")).schema["a"].dataType == ARTICLE_TYPE
    with pytest.raises(cleanarticle.ConfigError, match="no column 'page'"):
        clean_column(df, "page")
    with pytest.raises(cleanarticle.ConfigError, match="must be string or binary, not int"):
        clean_column(df, "n")
    with pytest.raises(cleanarticle.ConfigError, match="must be string, not int"):
        clean_column(df, "html", url_column="n")
    with pytest.raises(cleanarticle.ConfigError, match="mode"):
        clean_column(df, "html", mode="xml")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- Spark jobs


def test_clean_column(spark: Any) -> None:
    rows = [(case, f"https://news.example/{case}", page(case), page(case).encode()) for case in CASES]
    rows += [
        ("wire", None, WIRE_STORY, WIRE_STORY.encode()),
        ("null", None, None, None),
        ("undecodable", None, "advertisement", UNDECODABLE),
    ]
    df = spark.createDataFrame(rows, "id string, url string, page string, raw binary").repartition(2)
    only_blocks_off = cleanarticle.Cleaner(disable={"blocks"})
    got = {
        r.id: r
        for r in df.select(
            "id",
            clean_column(df, "page", url_column="url").alias("a"),
            clean_column(df, "raw").alias("b"),
            clean_column(df, "page", cleaner=only_blocks_off, mode="text").alias("c"),
        ).collect()
    }
    cleaner = cleanarticle.default_cleaner()
    for case in CASES:
        a, b = got[case].a, got[case].b
        direct = cleaner.clean(page(case), url=f"https://news.example/{case}")
        assert a.body == golden(case)["body"] == list(direct.body), case
        assert a.text == direct.text
        assert a.credits.asDict() == direct.credits.to_dict()
        assert [r.asDict() for r in a.removed] == [r.to_dict() for r in direct.removed]
        assert a.metadata.asDict() == direct.metadata.to_dict()  # the url went through: the same metadata
        assert (a.mode, a.error) == ("html", None)
        assert b.body == a.body  # the same page as bytes, decoded by the Cleaner
    wire = got["wire"]
    assert wire.a.body == ["The council met on Monday."]
    assert wire.a.credits.sources == ["PTI"]
    assert [(r.kind, r.rule) for r in wire.a.removed] == [
        ("ad", "en.ad.marker"),
        ("credit", "en.credit.inputs"),
    ]
    assert wire.c.body[0] == "advertisement"  # the custom Cleaner (blocks off) travelled to the workers
    assert got["null"].a is None and got["null"].b is None
    assert got["undecodable"].a.body == [] and got["undecodable"].a.error is None
    assert got["undecodable"].b.error.startswith("DecodeError: ")
    assert got["undecodable"].b.body is None


def test_each_python_worker_builds_the_cleaner_once(spark: Any) -> None:
    shipped = ShippedCleaner(cleanarticle.Cleaner(languages=("en",)))

    def probe(_: int) -> tuple[int, int]:
        return os.getpid(), id(shipped.get())

    seen = spark.sparkContext.parallelize(range(12), 12).map(probe).collect()
    per_worker: dict[int, set[int]] = {}
    for pid, cleaner_id in seen:
        per_worker.setdefault(pid, set()).add(cleaner_id)
    assert len(per_worker) < len(seen)  # workers were reused across the 12 tasks...
    assert all(len(ids) == 1 for ids in per_worker.values())  # ...and kept their Cleaner


# ---------------------------------------------------------------------------------- the WARC job


@pytest.fixture(scope="module")
def warc_job() -> ModuleType:
    """examples/spark_warc_job.py as a module; pickled by value, since workers cannot import it."""
    from pyspark import cloudpickle

    spec = importlib.util.spec_from_file_location("spark_warc_job", ROOT / "examples" / "spark_warc_job.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    cloudpickle.register_pickle_by_value(module)
    return module


def write_warc(path: Path) -> None:
    """Two corpus pages (one in windows-1252, said so by HTTP only), plus records that are not articles."""
    pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(uri: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            )

        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "cleanarticle tests"}))
        response(
            f"https://news.example/{CASES[0]}", "200 OK", "text/html; charset=utf-8", page(CASES[0]).encode()
        )
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/", "request", payload=io.BytesIO(b""), http_headers=request
            )
        )
        response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
        response(
            f"https://news.example/{CASES[1]}",
            "200 OK",
            "text/html; charset=windows-1252",
            page(CASES[1]).encode("cp1252"),
        )
        response("https://news.example/gone", "404 Not Found", "text/html", b"<p>Not found</p>")


def test_the_warc_example_job(spark: Any, warc_job: ModuleType, tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc)
    paths = tmp_path / "paths.txt"
    paths.write_text(f"{warc}\n{tmp_path / 'missing.warc.gz'}\n", encoding="utf-8")
    out = tmp_path / "out.parquet"

    counts = warc_job.run(spark, str(paths), str(out), num_input_partitions=2)

    assert counts == {"warc_files": 2, "html_records": 2, "skipped_records": 4, "cleaned": 2, "failed": 1}
    table = spark.read.parquet(str(out))
    assert table.columns == [
        "url",
        "warc_record_id",
        "warc_path",
        "body",
        "text",
        "credits",
        "removed",
        "metadata",
        "error",
    ]
    rows = {r.url: r for r in table.collect()}
    for case in CASES:
        row = rows[f"https://news.example/{case}"]
        assert row.body == golden(case)["body"], case
        assert row.warc_record_id.startswith("<urn:uuid:") and row.warc_path == str(warc)
        assert row.credits.sources == golden(case)["credits"]["sources"]
        assert row.error is None
    assert rows[None].error.startswith("cannot open WARC: FileNotFoundError")

    # the CLI reads the same WARC into the same articles
    from cleanarticle.cli import main as cli

    jsonl = tmp_path / "cli.jsonl"
    assert cli(["clean", str(warc), "-o", str(jsonl), "--quiet"]) == 0
    by_cli = {
        r["source"]["target_uri"]: r["body"] for r in map(json.loads, jsonl.read_text("utf-8").splitlines())
    }
    assert by_cli == {url: row.body for url, row in rows.items() if url}
