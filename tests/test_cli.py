"""The real ``cleanarticle`` command, on real files: in-process through ``main(argv)`` and as a subprocess.

In-process runs are fast and show the exit status, stdout and stderr exactly as a shell would get them
(``main`` returns the status instead of exiting); a few subprocess runs prove the installed entry
point (``python -m cleanarticle``), stdin, and a non-terminal stderr.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cleanarticle import LANGUAGES, Cleaner
from cleanarticle.cli import main
from cleanarticle.layers.dom import load_dom_rules
from cleanarticle.rules import load_pack
from tests.test_io import write_warc

STORY = (
    "advertisement\n"
    "Officials in the hill town of Naralgarh said on Tuesday that the pipeline would reach three villages.\n"
    "Also Read: Naralgarh council approves budget for new school buildings\n"
    "Residents of Upper Tanda have relied on a single hand pump since the old line burst in 2021.\n"
    "(With inputs from PTI and IANS)"
)
STORY_BODY = [
    "Officials in the hill town of Naralgarh said on Tuesday that the pipeline would reach three villages.",
    "Residents of Upper Tanda have relied on a single hand pump since the old line burst in 2021.",
]
PAGE = """<!doctype html>
<html><head><title>Pipeline reaches hill villages</title></head><body>
<article>
<p>Officials in the hill town of Naralgarh said on Tuesday that the new water pipeline would reach the villages.</p>
<div class="ad-slot">Buy the best pipes today</div>
<p>Advertisement</p>
<p>The district collector told reporters that work had been delayed by a shortage of steel pipes this year.</p>
<div class="newsletter-signup">Sign up for our newsletter to get the morning briefing</div>
<p>(With inputs from PTI)</p>
</article></body></html>
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def rows(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cleanarticle", *args], input=stdin, capture_output=True, timeout=60, check=False
    )


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------- clean: inputs


def test_text_file_gives_one_jsonl_record_with_its_path(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["clean", str(story)], capsys)
    assert status == 0
    (row,) = rows(out)
    assert row["id"] == str(story) and row["source"] == {"path": str(story)}
    assert row["body"] == STORY_BODY and row["text"] == "\n".join(STORY_BODY)
    assert row["credits"]["sources"] == ["PTI", "IANS"]
    assert {r["kind"] for r in row["removed"]} == {"ad", "related", "credit"}
    assert err.startswith("cleanarticle: 1 record: 1 ok, 0 failed in ")


def test_html_file_is_cleaned_in_html_mode(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["clean", str(page)], capsys)
    (row,) = rows(out)
    assert status == 0 and row["mode"] == "html"
    assert "Advertisement" not in row["body"] and "Buy the best pipes today" not in row["text"]
    assert {"dom.ad.container", "dom.newsletter.box"} <= {r["rule"] for r in row["removed"]}
    assert row["credits"]["sources"] == ["PTI"]


def test_directory_is_walked_recursively_in_sorted_order(
    tmp_path: Path, page: Path, story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text(STORY)
    (folder / "sub" / "a.html").write_text(PAGE)
    (folder / ".hidden.txt").write_text("ignored")
    status, out, _ = run(["clean", str(folder), "--format", "text"], capsys)
    assert status == 0
    first, second = out.split("\n\n")
    assert first.splitlines() == STORY_BODY
    assert second.startswith("Officials in the hill town of Naralgarh said on Tuesday that the new water")


def test_stdin_document_through_the_real_entry_point() -> None:
    done = cli("clean", "-", "--format", "text", stdin=STORY.encode())
    assert done.returncode == 0
    assert done.stdout.decode().splitlines() == STORY_BODY
    err = done.stderr.decode()
    assert "\r" not in err  # no progress line when stderr is not a terminal
    assert err.startswith("cleanarticle: 1 record: 1 ok, 0 failed in ") and "records/s" in err


def test_stdin_jsonl_with_field(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.dumps({"article": STORY, "url": f"https://news.example/{i}"}) for i in range(3)]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    status, out, _ = run(["clean", "-", "--field", "article"], capsys)
    assert status == 0
    got = rows(out)
    assert [r["id"] for r in got] == ["-:1", "-:2", "-:3"]
    assert [r["source"] for r in got] == [{"path": "-", "line": n} for n in (1, 2, 3)]
    assert got[0]["metadata"]["url"] == "https://news.example/0"
    assert all(r["body"] == STORY_BODY for r in got)


def test_jsonl_file_with_a_bad_line_reports_it_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"doc": STORY}) + "\n{oops, not json\n" + json.dumps({"doc": STORY}) + "\n")
    status, out, err = run(["clean", str(feed), "--field", "doc"], capsys)
    assert status == 1
    got = rows(out)
    assert [r["id"] for r in got] == [f"{feed}:1", f"{feed}:2", f"{feed}:3"]
    assert got[1]["error"]["category"] == "input" and "not valid JSON" in got[1]["error"]["message"]
    assert got[0]["body"] == got[2]["body"] == STORY_BODY
    assert f"cleanarticle: failed: {feed}:2: InputError: not valid JSON" in err
    assert "3 records: 2 ok, 1 failed in" in err


def test_undecodable_and_empty_files_fail_with_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-bad.txt").write_bytes(b"The council met on Monday \xff\xfe\xfa and nobody came.")
    (tmp_path / "b-empty.txt").write_bytes(b"\n  \n")
    (tmp_path / "c-good.txt").write_text(STORY)
    status, out, err = run(["clean", str(tmp_path)], capsys)
    assert status == 1
    bad, empty, good = rows(out)
    assert bad["error"]["type"] == "DecodeError" and bad["error"]["category"] == "library"
    assert empty["error"]["type"] == "EmptyInput"
    assert good["body"] == STORY_BODY
    assert "a-bad.txt: DecodeError:" in err and "b-empty.txt: EmptyInput:" in err
    # --errors replace maps to the Cleaner: the same bytes now clean
    status, out, _ = run(["clean", str(tmp_path / "a-bad.txt"), "--errors", "replace"], capsys)
    assert status == 0 and "\ufffd" in rows(out)[0]["text"]


def test_warc_html_responses_are_cleaned_and_the_rest_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("warcio")
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc)
    status, out, err = run(["clean", str(warc)], capsys)
    assert status == 0
    a, b = rows(out)
    assert [a["source"]["target_uri"], b["source"]["target_uri"]] == ["https://news.example/a", "https://news.example/b"]
    assert a["id"] == a["source"]["warc_record_id"] and a["id"].startswith("<urn:uuid:")
    assert a["source"]["path"] == str(warc)
    assert a["body"] == [
        "The council met on Monday and approved the budget for the new school buildings in the town.",
        "Work on the buildings will start in spring, the council said in a statement on Monday.",
    ]
    assert b["text"].startswith("The café on the market square")  # windows-1252 payload, decoded by charset
    assert "2 records: 2 ok, 0 failed, 5 skipped in" in err


# ---------------------------------------------------------------------------------- clean: outputs, jobs


def test_json_format_and_output_file(story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    status, out, _ = run(["clean", str(story), str(story), "--format", "json", "-o", str(target)], capsys)
    assert status == 0 and out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [d["body"] for d in data] == [STORY_BODY, STORY_BODY]


def test_jobs_2_writes_exactly_what_jobs_1_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "many.jsonl"
    with feed.open("w") as fh:
        for i in range(120):
            fh.write(json.dumps({"text": f"Paragraph number {i} of the story, about the council.\n{STORY}"}) + "\n")
            if i % 40 == 7:
                fh.write("not json at all\n")
    one = run(["clean", str(feed), "--jobs", "1"], capsys)
    two = run(["clean", str(feed), "--jobs", "2"], capsys)
    assert one[0] == two[0] == 1
    assert one[1] == two[1]
    ids = [r["id"] for r in rows(two[1])]
    assert ids == [f"{feed}:{n}" for n in range(1, 124)]
    assert rows(two[1])[8]["error"]["category"] == "input"


def test_cleaner_options_reach_the_cleaner(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["clean", str(story), "--disable", "blocks", "--format", "text"], capsys)
    assert status == 0 and "advertisement" in out.splitlines()
    status, out, _ = run(["clean", str(story), "--mode", "html", "--format", "jsonl"], capsys)
    assert rows(out)[0]["mode"] == "html"
    status, out, err = run(["clean", str(story), "--timeout", "0.000000001"], capsys)
    assert status == 1 and rows(out)[0]["error"]["type"] == "DocumentTimeoutError"
    assert f"failed: {story}: DocumentTimeoutError:" in err
    status, out, _ = run(["clean", str(story), "--language", "de", "--language", "fr"], capsys)
    assert status == 0 and "en.ad.marker" not in {r["rule"] for r in rows(out)[0]["removed"]}


def test_metadata_option_reaches_the_cleaner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Night ferry</title></head><body><article><h1>Night ferry</h1>"
        '<div class="byline">By <span class="author-name">Tomas Berg</span></div>'
        + "<p>The night ferry to the islands will run again from May, the operator said on Friday.</p>" * 3
        + "</article></body></html>",
        encoding="utf-8",
    )
    authors = {}
    for level in ("fast", "full"):
        status, out, _ = run(["clean", str(page), "--metadata", level], capsys)
        assert status == 0
        authors[level] = rows(out)[0]["metadata"]["author"]
    assert authors == {"fast": None, "full": "Tomas Berg"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["clean", "/no/such/file.txt"], "no such file or directory: /no/such/file.txt"),
        (["clean", "-", "--disable", "no-such-filter"], "unknown filter"),
        (["clean", "-", "--timeout", "-1"], "timeout must be a positive number"),
        (["clean", "-", "--jobs", "many"], "not a whole number"),
        (["clean", "-", "--format", "xml"], "invalid choice"),
        (["clean"], "required"),
        (["explain", "/no/such/file.html"], "no such file or directory"),
        (["rules", "--kind", "nonsense"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2 and out == ""
    assert message in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["clean", "--help"], capsys)
    assert status == 0 and "--jobs" in out and "--field" in out


# ---------------------------------------------------------------------------------- explain


def test_explain_text_shows_removals_with_kind_and_rule(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["explain", str(story)], capsys)
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{story}: text mode, 2 paragraphs kept, 3 removals")
    assert "- advertisement  [ad · en.ad.marker]" in lines
    assert f"  {STORY_BODY[0]}" in lines
    assert any(line.startswith("- (With inputs from PTI and IANS)  [credit · ") for line in lines)
    assert lines[lines.index("Credits:") + 1] == "  sources: PTI, IANS"
    assert "\x1b[" not in out  # stdout is not a terminal: no colour


def test_explain_html_lists_dom_removals_first_and_colours_on_request(
    page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["explain", str(page), "--color", "always"], capsys)
    assert status == 0
    plain = out.replace("\x1b[0m", "")
    assert out.index("DOM") < out.index("Article:") < out.index("Credits:")
    assert "\x1b[2;9mAdvertisement" in out and "[ad · dom.ad.container]" in plain
    status, never, _ = run(["explain", str(page), "--color", "never"], capsys)
    assert "\x1b[" not in never and "- Buy the best pipes today  [ad · dom.ad.container]" in never


def test_explain_failure_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 \xff")
    status, out, err = run(["explain", str(bad)], capsys)
    assert (status, out) == (1, "")
    assert err.startswith(f"cleanarticle: failed: {bad}: DecodeError:")


# ---------------------------------------------------------------------------------- rules


def test_rules_json_lists_filters_and_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["rules", "--format", "json"], capsys)
    assert status == 0
    data = json.loads(out)
    assert [f["name"] for f in data["filters"]] == list(Cleaner().filter_names_all)
    assert all(f["description"] for f in data["filters"])
    expected = [r.id for lang in LANGUAGES for r in load_pack(lang).rules] + [r.id for r in load_dom_rules()]
    assert [r["id"] for r in data["rules"]] == expected
    assert {"en", "*"} <= {r["language"] for r in data["rules"]} <= {*LANGUAGES, "*"}
    ad = next(r for r in data["rules"] if r["id"] == "en.ad.marker")
    assert ad == {"id": "en.ad.marker", "kind": "ad", "language": "en", "scope": "block", "filter": "blocks",
                  "example": ad["example"]} and ad["example"]


def test_rules_filter_by_language_and_kind(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["rules", "--format", "json", "--language", "de", "--kind", "ad"], capsys)
    data = json.loads(out)
    assert data["rules"] and {(r["language"], r["kind"]) for r in data["rules"]} == {("de", "ad")}
    status, out, _ = run(["rules", "--language", "*", "--kind", "newsletter"], capsys)
    assert status == 0
    assert "dom.newsletter.box" in out and "FILTERS" in out and "ID" in out and "EXAMPLE" in out
    assert "en." not in out.split("RULES", 1)[1]
