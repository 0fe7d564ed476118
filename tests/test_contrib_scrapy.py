"""The Scrapy item pipeline: settings, policies, and a real crawl of corpus pages over local HTTP.

The pipeline's unit tests build it the way Scrapy does (``from_crawler`` on a crawler from
``scrapy.utils.test.get_crawler``). The crawl test runs a real ``CrawlerProcess`` in a subprocess (a
Twisted reactor cannot be restarted inside the test process) against an ``http.server`` on
127.0.0.1 serving corpus pages, and compares the scraped items with the golden files.

Everything here but the import-isolation test needs the ``scrapy`` extra and skips without it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import cleanarticle
from tests.conftest import CORPUS, ROOT

#: Corpus pages the crawl serves, by path relative to the corpus (so a fresh clone has them).
CRAWL_CASES = (
    "en/html-indian-wire-pti-gpt-slots",
    "en/html-australian-news-aap",
    "de/html-oesterreich-apa-werbung",
    "fr/html-quotidien-national-avec-afp",
)
WIRE_STORY = "advertisement\nThe council met on Monday.\n(With inputs from PTI)"
NOTHING_LEFT = "advertisement"
UNDECODABLE = b"\x81\x8d\x8f\x90\x9d plain words"  # neither UTF-8 nor windows-1252


def test_import_cleanarticle_does_not_import_the_frameworks() -> None:
    """The extras stay optional: the core (and the contrib package itself) import neither."""
    code = (
        "import json, sys, cleanarticle, cleanarticle.contrib, cleanarticle.cli; "
        "heavy = ('scrapy', 'twisted', 'itemadapter', 'pyspark', 'pandas', 'pyarrow', 'py4j'); "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout) == []


# ---------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def contrib() -> ModuleType:
    pytest.importorskip("scrapy")
    import cleanarticle.contrib.scrapy as module

    return module


def make_pipeline(contrib: ModuleType, **settings: Any) -> Any:
    """The pipeline as Scrapy builds it, from a crawler with these settings."""
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict=settings)
    return contrib.CleanArticlePipeline.from_crawler(crawler)


def stats(pipeline: Any) -> dict[str, Any]:
    return {k: v for k, v in pipeline.stats.get_stats().items() if k.startswith("cleanarticle/")}


# ---------------------------------------------------------------------------------- settings


def test_defaults(contrib: ModuleType) -> None:
    pipeline = make_pipeline(contrib, CLEANARTICLE_CLEANER=cleanarticle.default_cleaner())
    assert pipeline.field == "html"
    assert pipeline.url_field == "url"
    assert pipeline.outputs == {"body": "body", "text": "text", "credits": "credits"}
    assert (pipeline.empty, pipeline.on_error, pipeline.error_field) == ("flag", "flag", "cleanarticle_error")


def test_settings_configure_the_cleaner_and_outputs(contrib: ModuleType) -> None:
    pipeline = make_pipeline(
        contrib,
        CLEANARTICLE_FIELD="page",
        CLEANARTICLE_URL_FIELD="",
        CLEANARTICLE_LANGUAGES="en,de",  # comma-separated, as `scrapy crawl -s` gives it
        CLEANARTICLE_DISABLE=["lists", "captions"],
        CLEANARTICLE_TIMEOUT="5",
        CLEANARTICLE_MODE="text",
        CLEANARTICLE_METADATA="full",
        CLEANARTICLE_OUTPUT_FIELDS='{"body": "paragraphs", "removed": "cuts"}',
        CLEANARTICLE_EMPTY="DROP",
    )
    cleaner = pipeline.cleaner
    assert cleaner.languages == ("en", "de")
    assert cleaner.disable == {"lists", "captions"}
    assert (cleaner.timeout, cleaner.mode, cleaner.metadata) == (5.0, "text", "full")
    assert (pipeline.field, pipeline.url_field, pipeline.empty) == ("page", None, "drop")
    assert pipeline.outputs == {"body": "paragraphs", "removed": "cuts"}

    item = pipeline.process_item({"page": WIRE_STORY})
    assert item["paragraphs"] == ["The council met on Monday."]
    assert [(r["kind"], r["rule"]) for r in item["cuts"]] == [
        ("ad", "en.ad.marker"),
        ("credit", "en.credit.inputs"),
    ]
    assert set(item) == {"page", "paragraphs", "cuts"}


def test_a_ready_cleaner_by_import_path(contrib: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    custom = cleanarticle.Cleaner(languages=("en",), disable={"inline"})
    monkeypatch.setattr(sys.modules[__name__], "CUSTOM_CLEANER", custom, raising=False)
    pipeline = make_pipeline(contrib, CLEANARTICLE_CLEANER=f"{__name__}.CUSTOM_CLEANER")
    assert pipeline.cleaner is custom


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"CLEANARTICLE_DISABLE": "no-such-filter"}, "unknown filter"),
        ({"CLEANARTICLE_OUTPUT_FIELDS": ["body", "html_again"]}, "unknown part"),
        ({"CLEANARTICLE_OUTPUT_FIELDS": "{not json"}, "not a valid JSON object"),
        ({"CLEANARTICLE_EMPTY": "maybe"}, "CLEANARTICLE_EMPTY"),
        ({"CLEANARTICLE_ON_ERROR": "keep"}, "CLEANARTICLE_ON_ERROR"),
        ({"CLEANARTICLE_FIELD": ""}, "CLEANARTICLE_FIELD"),
        ({"CLEANARTICLE_CLEANER": object()}, "must be a cleanarticle.Cleaner"),
        ({"CLEANARTICLE_CLEANER": "cleanarticle.default_cleaner", "CLEANARTICLE_TIMEOUT": 3}, "leave"),
    ],
)
def test_a_wrong_setting_fails_at_start_up(
    contrib: ModuleType, settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(cleanarticle.ConfigError, match=message):
        make_pipeline(contrib, **settings)


# ---------------------------------------------------------------------------------- items


def test_a_dict_item_is_cleaned(contrib: ModuleType) -> None:
    pipeline = make_pipeline(
        contrib,
        CLEANARTICLE_CLEANER=cleanarticle.default_cleaner(),
        CLEANARTICLE_OUTPUT_FIELDS=list(contrib.OUTPUT_PARTS),
    )
    item = {"url": "https://example.com/story", "html": WIRE_STORY}
    assert pipeline.process_item(item) is item  # Scrapy 2.14+: no spider argument
    expected = cleanarticle.clean(WIRE_STORY)
    assert item["body"] == list(expected.body)
    assert item["text"] == expected.text
    assert item["credits"] == expected.credits.to_dict()
    assert item["removed"] == [r.to_dict() for r in expected.removed]
    assert item["metadata"]["url"] == "https://example.com/story"
    assert item["warnings"] == []
    assert "cleanarticle_error" not in item
    json.dumps(item)  # what a feed exporter will do with it
    assert stats(pipeline) == {"cleanarticle/cleaned": 1}


def test_the_spider_argument_is_still_accepted(contrib: ModuleType) -> None:
    from scrapy import Spider

    pipeline = make_pipeline(contrib, CLEANARTICLE_CLEANER=cleanarticle.default_cleaner())
    item = pipeline.process_item({"html": WIRE_STORY}, Spider(name="old-style"))  # Scrapy < 2.14
    assert item["body"] == ["The council met on Monday."]


def test_a_scrapy_item_class(contrib: ModuleType) -> None:
    import scrapy

    class Page(scrapy.Item):
        html = scrapy.Field()
        body = scrapy.Field()
        text = scrapy.Field()
        credits = scrapy.Field()

    pipeline = make_pipeline(
        contrib, CLEANARTICLE_CLEANER=cleanarticle.default_cleaner(), CLEANARTICLE_KEEP_INPUT=False
    )
    item = pipeline.process_item(Page(html=WIRE_STORY))
    assert item["credits"]["sources"] == ["PTI"]
    assert "html" not in item  # CLEANARTICLE_KEEP_INPUT=False

    with pytest.raises(
        cleanarticle.ConfigError, match=r"Page has no field 'cleanarticle_error'.*scrapy\.Field"
    ):
        pipeline.process_item(Page(html=NOTHING_LEFT))


def test_an_item_without_the_page_passes_through(
    contrib: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = make_pipeline(contrib, CLEANARTICLE_CLEANER=cleanarticle.default_cleaner())
    for _ in range(2):
        item = {"url": "https://example.com/feed", "title": "not a page"}
        assert pipeline.process_item(item) == {"url": "https://example.com/feed", "title": "not a page"}
    assert stats(pipeline) == {"cleanarticle/no_page": 2}
    assert sum("pass through uncleaned" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.parametrize("policy", ["flag", "drop", "keep"])
def test_nothing_left(contrib: ModuleType, policy: str) -> None:
    from scrapy.exceptions import DropItem

    pipeline = make_pipeline(
        contrib, CLEANARTICLE_CLEANER=cleanarticle.default_cleaner(), CLEANARTICLE_EMPTY=policy
    )
    item = {"html": NOTHING_LEFT}
    if policy == "drop":
        with pytest.raises(DropItem, match="left nothing"):
            pipeline.process_item(item)
        assert stats(pipeline) == {"cleanarticle/empty": 1, "cleanarticle/dropped": 1}
        return
    pipeline.process_item(item)
    assert item["body"] == []
    assert item["text"] == ""
    if policy == "flag":
        assert item["cleanarticle_error"].startswith("EmptyArticle:")
    else:
        assert "cleanarticle_error" not in item
    assert stats(pipeline) == {"cleanarticle/empty": 1}


@pytest.mark.parametrize(
    ("page", "error"),
    [(UNDECODABLE, "DecodeError"), (["<p>a list from .getall()</p>"], "InputTypeError")],
)
@pytest.mark.parametrize("policy", ["flag", "drop"])
def test_a_page_the_cleaner_refuses(contrib: ModuleType, page: object, error: str, policy: str) -> None:
    from scrapy.exceptions import DropItem

    pipeline = make_pipeline(
        contrib, CLEANARTICLE_CLEANER=cleanarticle.default_cleaner(), CLEANARTICLE_ON_ERROR=policy
    )
    item = {"html": page}
    if policy == "drop":
        with pytest.raises(DropItem, match=error):
            pipeline.process_item(item)
    else:
        pipeline.process_item(item)
        assert item["cleanarticle_error"].startswith(f"{error}: ")
        assert "body" not in item
        assert item["html"] == page  # kept, to look at
    expected = {"cleanarticle/failed": 1, f"cleanarticle/failed/{error}": 1}
    if policy == "drop":
        expected["cleanarticle/dropped"] = 1
    assert stats(pipeline) == expected


# ---------------------------------------------------------------------------------- a real crawl


class _Pages(BaseHTTPRequestHandler):
    """Serves ``self.server.pages``: path -> (content type, bytes)."""

    def do_GET(self) -> None:
        found = self.server.pages.get(self.path)  # type: ignore[attr-defined]
        if found is None:
            self.send_error(404)
            return
        content_type, data = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures
        pass


@pytest.fixture
def site() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (ephemeral port) serving the crawl cases; its base URL."""
    pages: dict[str, tuple[str, bytes]] = {
        f"/{case}": ("text/html; charset=utf-8", (CORPUS / case / "input.html").read_bytes())
        for case in CRAWL_CASES
    }
    pages["/empty"] = ("text/html; charset=utf-8", b"<html><body><p>Advertisement</p></body></html>")
    pages["/broken"] = ("application/octet-stream", UNDECODABLE)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.pages = pages  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


CRAWL_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import TextResponse

    urls, feed = json.loads(sys.argv[1]), sys.argv[2]

    class Pages(scrapy.Spider):
        name = "pages"

        async def start(self):  # Scrapy >= 2.13
            for request in self.start_requests():
                yield request

        def start_requests(self):  # older Scrapy
            for url in urls:
                yield scrapy.Request(url)

        def parse(self, response):
            # Scrapy's decoded text for HTML; the raw bytes (the Cleaner decodes them) for the rest
            html = response.headers.get("Content-Type", b"").startswith(b"text/html")
            page = response.text if html and isinstance(response, TextResponse) else response.body
            yield {"url": response.url, "html": page}

    process = CrawlerProcess({
        "ITEM_PIPELINES": {"cleanarticle.contrib.scrapy.CleanArticlePipeline": 300},
        "CLEANARTICLE_OUTPUT_FIELDS": ["body", "credits", "removed"],
        "CLEANARTICLE_EMPTY": "drop",
        "CLEANARTICLE_ON_ERROR": "flag",
        "CLEANARTICLE_KEEP_INPUT": False,
        "FEEDS": {feed: {"format": "jsonlines", "encoding": "utf-8"}},
        "LOG_LEVEL": "WARNING",
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "RETRY_ENABLED": False,
        "DOWNLOAD_TIMEOUT": 30,
        "CLOSESPIDER_TIMEOUT": 240,  # a bound, should anything hang
    })
    crawler = process.create_crawler(Pages)
    process.crawl(crawler)
    process.start()
    print(json.dumps({k: v for k, v in crawler.stats.get_stats().items()
                      if k.startswith(("cleanarticle/", "item_", "finish_reason", "downloader/response_status"))}))
    """
)


def test_a_real_crawl_of_corpus_pages(contrib: ModuleType, site: str, tmp_path: Path) -> None:
    urls = [f"{site}/{case}" for case in CRAWL_CASES] + [f"{site}/empty", f"{site}/broken"]
    feed = tmp_path / "items.jsonl"
    script = tmp_path / "crawl.py"
    script.write_text(CRAWL_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), json.dumps(urls), str(feed)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Deprecat" not in done.stderr, done.stderr[-3000:]
    crawl_stats = json.loads(done.stdout.strip().splitlines()[-1])
    assert crawl_stats["finish_reason"] == "finished", crawl_stats
    items = {
        item["url"][len(site) + 1 :]: item for item in map(json.loads, feed.read_text("utf-8").splitlines())
    }

    assert sorted(items) == sorted([*CRAWL_CASES, "broken"])  # "empty" was dropped
    cleaner = cleanarticle.default_cleaner()
    for case in CRAWL_CASES:
        item = items[case]
        golden = json.loads((CORPUS / case / "expected.json").read_text("utf-8"))
        direct = cleaner.clean((CORPUS / case / "input.html").read_text("utf-8"), url=f"{site}/{case}")
        assert item["body"] == golden["body"], case
        assert item["body"] == list(direct.body), case
        assert item["credits"] == direct.credits.to_dict(), case
        assert [r["rule"] for r in item["removed"]] == [r.rule for r in direct.removed], case
        assert "html" not in item and "cleanarticle_error" not in item
    assert items["broken"].get("cleanarticle_error", "").startswith("DecodeError: "), items["broken"]
    assert "body" not in items["broken"] and "html" not in items["broken"]

    assert crawl_stats["cleanarticle/cleaned"] == len(CRAWL_CASES)
    assert crawl_stats["cleanarticle/empty"] == crawl_stats["cleanarticle/dropped"] == 1
    assert crawl_stats["cleanarticle/failed/DecodeError"] == 1
    assert crawl_stats["item_scraped_count"] == len(CRAWL_CASES) + 1
