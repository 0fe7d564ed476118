"""The batch building blocks: readers, WARC backends, the worker-side cleaning, the pool, the sinks."""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleanarticle import Cleaner, Kind, TextFilter
from cleanarticle.io.explain import render_explanation
from cleanarticle.io.parallel import CRASH_REASON, chunked, ordered_map
from cleanarticle.io.process import CleanTask, Outcome
from cleanarticle.io.progress import Progress
from cleanarticle.io.records import (
    ReadStats,
    Record,
    expand_paths,
    input_format_of,
    read_document,
    read_inputs,
    read_jsonl,
)
from cleanarticle.io.warc import available_backends, iter_html_responses, read_warc
from cleanarticle.io.writers import make_sink

STORY = "advertisement\nThe council met on Monday to approve the budget.\n(With inputs from PTI)"
LIMIT = 1_000_000


# ---------------------------------------------------------------------------------- readers


def test_jsonl_reader_yields_records_and_error_records_without_stopping() -> None:
    lines = [
        json.dumps({"text": STORY, "url": "https://example.com/a"}),
        "",
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"title": "no document field"}),
        json.dumps({"text": 42}),
        json.dumps({"html": "<p>Last one</p>", "text": "ignored: html comes first"}),
    ]
    stream = io.BytesIO("\n".join(lines).encode() + b"\n")
    records = list(read_jsonl(stream, "feed.jsonl", limit=LIMIT))
    assert [r.id for r in records] == [f"feed.jsonl:{n}" for n in (1, 3, 4, 5, 6, 7)]
    first = records[0]
    assert (first.data, first.url, first.error) == (STORY, "https://example.com/a", None)
    assert first.source == {"path": "feed.jsonl", "line": 1}
    assert "not valid JSON" in (records[1].error or "")
    assert "JSON object was expected, not list" in (records[2].error or "")
    assert "no field 'html' or 'text'" in (records[3].error or "")
    assert "holds int, not text" in (records[4].error or "")
    assert records[5].data == "<p>Last one</p>"


def test_jsonl_field_is_chosen_and_invalid_utf8_is_an_error_record() -> None:
    stream = io.BytesIO(b'{"body": "x", "story": "the story"}\n{"story": "\xff\xfe"}\n')
    records = list(read_jsonl(stream, "-", fields=("story",), limit=LIMIT))
    assert records[0].data == "the story"
    assert records[1].data is None and "not valid JSON" in (records[1].error or "")


def test_jsonl_line_over_the_limit_is_refused_and_the_next_line_still_read() -> None:
    stream = io.BytesIO(json.dumps({"text": "x" * 500}).encode() + b"\n" + b'{"text": "short"}\n')
    records = list(read_jsonl(stream, "big.jsonl", limit=100))
    assert "longer than 100 bytes" in (records[0].error or "")
    assert (records[1].id, records[1].data) == ("big.jsonl:2", "short")


def test_documents_are_read_raw_gzip_inflated_and_capped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"plain")
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(b"<p>zipped</p>"))
    (tmp_path / "big.txt").write_bytes(b"y" * 50)
    assert read_document(str(tmp_path / "a.txt"), stdin=io.BytesIO(), limit=LIMIT).data == b"plain"
    assert read_document(str(tmp_path / "b.html.gz"), stdin=io.BytesIO(), limit=LIMIT).data == b"<p>zipped</p>"
    assert read_document(str(tmp_path / "big.txt"), stdin=io.BytesIO(), limit=10).data == b"y" * 11
    assert read_document("-", stdin=io.BytesIO(b"from stdin"), limit=LIMIT).data == b"from stdin"
    missing = read_document(str(tmp_path / "nope.txt"), stdin=io.BytesIO(), limit=LIMIT)
    assert missing.data is None and "cannot read" in (missing.error or "")
    (tmp_path / "corrupt.txt.gz").write_bytes(gzip.compress(b"x" * 100)[:12] + b"garbage garbage")
    corrupt = read_document(str(tmp_path / "corrupt.txt.gz"), stdin=io.BytesIO(), limit=LIMIT)
    assert corrupt.data is None and "cannot read" in (corrupt.error or "")


def test_directories_expand_recursively_sorted_without_hidden_files(tmp_path: Path) -> None:
    for rel in ("b.txt", "a/z.html", "a/c.txt", ".hidden.txt", ".git/config", "a/.DS_Store"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    got = [os.path.relpath(p, tmp_path) for p in expand_paths([str(tmp_path)])]
    assert got == ["b.txt", os.path.join("a", "c.txt"), os.path.join("a", "z.html")]
    assert list(expand_paths(["-"])) == ["-"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("x.warc", "warc"), ("x.WARC.GZ", "warc"), ("x.jsonl", "jsonl"), ("x.ndjson.gz", "jsonl"),
     ("x.html", "document"), ("x.html.gz", "document"), ("x.json", "document")],
)
def test_input_format_by_name(name: str, fmt: str) -> None:
    assert input_format_of(name) == fmt


def test_read_inputs_mixes_formats_in_input_order(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(STORY)
    (tmp_path / "two.jsonl").write_text('{"text": "a"}\n{"text": "b"}\n')
    records = list(
        read_inputs(
            [str(tmp_path / "one.txt"), str(tmp_path / "two.jsonl"), "-"],
            stdin=io.BytesIO(b'{"text": "c"}\n'),
            stdin_format="jsonl",
            limit=LIMIT,
        )
    )
    assert [r.data for r in records] == [STORY.encode(), "a", "b", "c"]
    assert records[-1].id == "-:1"


# ---------------------------------------------------------------------------------- WARC


def write_warc(path: Path) -> None:
    """A gzipped WARC: warcinfo, 2 HTML responses, a request, an image, a 404 page, a redirect."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(writer: WARCWriter, uri: str, status: str, ctype: str, body: bytes) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        )

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "tests"}))
        response(writer, "https://news.example/a", "200 OK", "text/html; charset=utf-8", HTML_A.encode())
        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record("https://news.example/a", "request", payload=io.BytesIO(b""),
                                      http_headers=request)
        )
        response(writer, "https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
        response(writer, "https://news.example/b", "200 OK", "text/html; charset=windows-1252",
                 HTML_B.encode("cp1252"))
        response(writer, "https://news.example/gone", "404 Not Found", "text/html", b"<p>Not found</p>")
        response(writer, "https://news.example/old", "301 Moved", "text/html", b"<p>Moved</p>")


HTML_A = (
    "<html><head><title>Budget approved</title></head><body><article>"
    "<p>The council met on Monday and approved the budget for the new school buildings in the town.</p>"
    "<p>Advertisement</p>"
    "<p>Work on the buildings will start in spring, the council said in a statement on Monday.</p>"
    "</article></body></html>"
)
HTML_B = (
    "<html><head><title>Café reopens</title></head><body><article>"
    "<p>The café on the market square reopened on Friday after a year of repairs to its old roof.</p>"
    "<p>Its owner said the work had cost more than expected but that regulars had stayed loyal.</p>"
    "</article></body></html>"
)


@pytest.fixture(params=available_backends() or ["none"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "none":
        pytest.skip("neither fastwarc nor warcio is installed")
    return str(request.param)


def test_warc_backends_yield_only_html_2xx_responses(tmp_path: Path, backend: str) -> None:
    pytest.importorskip("warcio")
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    skipped: list[int] = []
    with path.open("rb") as fh:
        got = list(iter_html_responses(fh, limit=LIMIT, backend=backend,  # type: ignore[arg-type]
                                       on_skip=lambda: skipped.append(1)))
    assert [r.target_uri for r in got] == ["https://news.example/a", "https://news.example/b"]
    assert got[0].payload == HTML_A.encode() and got[1].payload == HTML_B.encode("cp1252")
    assert [r.charset for r in got] == ["utf-8", "windows-1252"]
    assert all(r.record_id and r.record_id.startswith("<urn:uuid:") for r in got)
    assert len(skipped) == 5  # warcinfo, request, image, 404, 301


def test_read_warc_records_carry_record_id_and_target_uri(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    stats = ReadStats()
    with path.open("rb") as fh:
        records = list(read_warc(fh, str(path), limit=LIMIT, stats=stats))
    assert len(records) == 2 and stats.skipped == 5
    assert records[0].id == records[0].source["warc_record_id"]
    assert records[0].source["target_uri"] == records[0].url == "https://news.example/a"
    assert records[1].encoding == "windows-1252"


def test_a_file_that_is_not_a_warc_does_not_raise() -> None:
    records = list(read_warc(io.BytesIO(b"this is not a WARC file\n" * 3), "bad.warc", limit=LIMIT,
                             stats=ReadStats()))
    assert all(r.data is None for r in records)
    if available_backends()[:1] == ("fastwarc",):
        assert "damaged WARC after 0 HTML records" in (records[0].error or "")


# ---------------------------------------------------------------------------------- worker side


class Exploding(TextFilter):
    """A filter with a bug in it, to show that a non-library exception is reported as a bug."""

    name = "exploding"

    def find(self, ctx, decided, warnings):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")


def outcome_row(outcome: Outcome) -> dict[str, object]:
    assert outcome.payload is not None
    row: dict[str, object] = json.loads(outcome.payload)
    return row


def test_clean_task_renders_article_rows_with_id_and_source() -> None:
    task = CleanTask(Cleaner())
    outcome = task(Record(id="f.txt", source={"path": "f.txt"}, data=STORY.encode()))
    row = outcome_row(outcome)
    assert outcome.ok and row["id"] == "f.txt" and row["source"] == {"path": "f.txt"}
    assert row["text"] == "The council met on Monday to approve the budget."
    assert row["credits"]["sources"] == ["PTI"]  # type: ignore[index]
    assert [r["kind"] for r in row["removed"]] == ["ad", "credit"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("record", "category", "error_type"),
    [
        (Record(id="r", error="not valid JSON"), "input", "InputError"),
        (Record(id="r", data=b"  \n "), "input", "EmptyInput"),
        (Record(id="r", data=b"caf\xe9 \xff council"), "library", "DecodeError"),
    ],
)
def test_clean_task_failures_are_outcomes_not_exceptions(record: Record, category: str, error_type: str) -> None:
    outcome = CleanTask(Cleaner())(record)
    assert outcome.failure is not None
    assert (outcome.failure.category, outcome.failure.type) == (category, error_type)
    assert outcome_row(outcome)["error"]["category"] == category  # type: ignore[index]


def test_a_non_library_exception_is_reported_as_a_bug_with_its_place() -> None:
    outcome = CleanTask(Cleaner().with_filter(Exploding()))(Record(id="r", data="Some text."))
    assert outcome.failure is not None and outcome.failure.category == "bug"
    assert outcome.failure.where and "test_io.py" in outcome.failure.where
    assert outcome.failure.describe().startswith("BUG (please report): RuntimeError: boom")


def test_transport_charset_is_a_hint_used_when_it_decodes() -> None:
    text = "Caf\u00e9 owners met on Monday to discuss the new market rules for the square."
    cp1252 = CleanTask(Cleaner(), "text")(Record(id="r", data=text.encode("cp1252"), encoding="cp1252"))
    assert cp1252.payload == text
    wrong = CleanTask(Cleaner(), "text")(Record(id="r", data=text.encode(), encoding="no-such-codec"))
    assert wrong.payload == text


# ---------------------------------------------------------------------------------- the pool


class Square:
    """A picklable worker: squares numbers; dies (hard, like a native crash) on 13."""

    def __call__(self, item: int) -> int:
        if item == 13:
            os._exit(3)
        return item * item

    def crashed(self, item: int, reason: str) -> int:
        assert reason == CRASH_REASON
        return -item


def test_chunks_close_on_count_or_weight() -> None:
    assert list(chunked(range(7), max_items=3, max_weight=100, weight=lambda _: 1)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([5, 50, 1, 1], max_items=10, max_weight=50, weight=lambda n: n)) == [[5, 50], [1, 1]]


def test_ordered_map_keeps_input_order_in_a_pool() -> None:
    items = list(range(40))
    assert list(ordered_map(Square(), (i for i in items if i != 13), jobs=2, max_items=3)) == [
        i * i for i in items if i != 13
    ]


def test_ordered_map_pulls_input_lazily() -> None:
    """The window bounds what is read ahead: never the whole input."""
    pulled: list[int] = []

    def source() -> Iterator[int]:
        for i in range(10_000):
            pulled.append(i)
            yield i + 20  # stay clear of 13

    results = ordered_map(Square(), source(), jobs=2, max_items=4, window_per_job=2)
    assert next(results) == 400
    assert len(pulled) <= 2 * 2 * 4 + 4
    results.close()


def test_a_dead_worker_fails_only_its_record_and_the_run_goes_on() -> None:
    got = list(ordered_map(Square(), range(30), jobs=2, max_items=4))
    assert got == [-13 if i == 13 else i * i for i in range(30)]


# ---------------------------------------------------------------------------------- sinks, progress


def test_sinks_stream_jsonl_json_array_and_text() -> None:
    outcomes = [Outcome("a", '{"id": "a"}'), Outcome("b", None), Outcome("c", '{"id": "c"}')]
    for fmt, check in (
        ("jsonl", lambda s: [json.loads(x)["id"] for x in s.splitlines()] == ["a", "c"]),
        ("json", lambda s: [x["id"] for x in json.loads(s)] == ["a", "c"]),
    ):
        buf = io.StringIO()
        sink = make_sink(fmt, buf)  # type: ignore[arg-type]
        for o in outcomes:
            sink.write(o)
        sink.close()
        assert check(buf.getvalue()), fmt
    empty = io.StringIO()
    make_sink("json", empty).close()
    assert json.loads(empty.getvalue()) == []
    text = io.StringIO()
    sink = make_sink("text", text)
    for o in (Outcome("a", "One.\nTwo."), Outcome("b", None), Outcome("c", "Three.")):
        sink.write(o)
    assert text.getvalue() == "One.\nTwo.\n\nThree.\n"


def test_progress_reports_failures_and_a_summary_and_draws_only_when_live() -> None:
    from cleanarticle.io.process import Failure

    ticks = iter(range(0, 100))
    quiet = io.StringIO()
    p = Progress(quiet, live=False, clock=lambda: float(next(ticks)))
    p.record(Outcome("ok-1", "{}"))
    p.record(Outcome("bad-2", None, Failure("library", "DecodeError", "undecodable")))
    p.record(Outcome("bug-3", None, Failure("bug", "KeyError", "'x'", "x.py:1 in f")))
    p.finish(skipped=4)
    lines = quiet.getvalue().splitlines()
    assert "\r" not in quiet.getvalue()
    assert lines[0] == "cleanarticle: failed: bad-2: DecodeError: undecodable"
    assert lines[1] == "cleanarticle: failed: bug-3: BUG (please report): KeyError: 'x' [at x.py:1 in f]"
    assert lines[2].startswith("cleanarticle: 3 records: 1 ok, 2 failed (1 bug), 4 skipped in ")
    assert lines[2].endswith("records/s)")
    live = io.StringIO()
    ticks = iter(range(0, 100))
    p = Progress(live, live=True, clock=lambda: float(next(ticks)))
    p.record(Outcome("ok-1", "{}"))
    p.finish()
    assert "\r\x1b[K1 records" in live.getvalue()


# ---------------------------------------------------------------------------------- explain view


def test_explanation_marks_removed_lines_inline_cuts_and_credits() -> None:
    text = "Officials met on Monday, the minister said. (With inputs from PTI)\nadvertisement\nMore text."
    article = Cleaner().clean(text)
    view = render_explanation(article, name="story.txt")
    lines = view.splitlines()
    assert lines[0].startswith("story.txt: text mode, 2 paragraphs kept")
    assert "~ Officials met on Monday, the minister said. [-(With inputs from PTI)-]  [credit · " in view
    assert "- advertisement  [ad · en.ad.marker]" in lines
    assert "  More text." in lines
    assert lines[lines.index("Credits:") + 1] == "  sources: PTI"
    assert "\x1b[" not in view
    coloured = render_explanation(article, name="story.txt", color=True)
    assert "\x1b[2;9madvertisement\x1b[0m" in coloured and "\x1b[31;9m[-(With inputs from PTI)-]" in coloured


def test_explanation_lists_dom_removals_first_in_html_mode() -> None:
    page = (
        "<html><body><article><p>The council met on Monday and approved the budget for the town.</p>"
        '<div class="newsletter-signup">Sign up for our daily newsletter</div>'
        "<p>Work will start in spring, the council said in a statement on Monday.</p></article></body></html>"
    )
    view = render_explanation(Cleaner().clean(page), name="page.html")
    dom_at = view.index("Removed from the page before extraction (DOM):")
    assert dom_at < view.index("Article:") < view.index("Credits:")
    assert "- Sign up for our daily newsletter  [newsletter · dom.newsletter.box]" in view
    assert Kind.NEWSLETTER.value in view
