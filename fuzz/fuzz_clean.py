"""Coverage-guided fuzzing of ``cleanarticle.clean`` (atheris / libFuzzer), on text, HTML and bytes.

A finding is any exception other than a ``CleanArticleError`` (the library's typed refusals), or a
text-mode article that breaks conservation or replay (``tests/invariants.py``), or a result that
differs between two runs. Run it from the repository root:

    .venv/bin/python fuzz/fuzz_clean.py -max_total_time=60 fuzz/corpus fuzz/seeds

``fuzz/README.md`` has the long-run recipe; ``tests/test_properties.py::test_fuzz_short_run`` runs
it for a few seconds in CI. Each finding becomes a seed in ``fuzz/seeds/`` and a regression test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.invariants

with atheris.instrument_imports(include=["cleanarticle"]):
    import cleanarticle
    from cleanarticle import Article, CleanArticleError, Cleaner

from tests.invariants import check_conservation, check_replay  # noqa: E402 - after sys.path

TEXT = Cleaner(mode="text")
HTML = Cleaner(mode="html")
REPLACE = Cleaner(errors="replace")
#: Cleaning one fuzz input must take well under this (libFuzzer's -timeout is the hard stop).
MAX_INPUT = 4096

_SKELETON = (
    "<!DOCTYPE html><html><head>{head}<title>Pipeline</title></head><body><article><h1>Pipeline</h1>"
    "<p>Officials said on Tuesday that the pipeline would reach the villages before the monsoon.</p>"
    "{body}</article></body></html>"
)
_HEADS = ("", "<meta charset='utf-8'>", "<meta charset='shift_jis'>", "<meta charset='utf-16'>",
          "<?xml version='1.0' encoding='latin-1'?>", "<script type='application/ld+json'>{}</script>")


def _check(article: Article, source: str | None) -> None:
    if article.mode == "text" and source is not None:
        check_conservation(source, article)
        check_replay(source, article)
    else:
        check_conservation(article.source_text, article)
        check_replay(article.source_text, article)


def _run(cleaner: Cleaner, page: str | bytes, source: str | None, mode: str | None = None) -> None:
    try:
        article = cleaner.clean(page, mode=mode)  # type: ignore[arg-type]
    except CleanArticleError:
        return
    _check(article, source)
    again = cleaner.clean(page, mode=mode)  # type: ignore[arg-type]
    if again.to_dict() != article.to_dict():
        raise AssertionError("two runs on the same input gave different results")


def TestOneInput(data: bytes) -> None:  # the name atheris looks for
    fdp = atheris.FuzzedDataProvider(data)
    how = fdp.ConsumeIntInRange(0, 5)
    if how == 0:  # text mode, any str (surrogates included)
        text = fdp.ConsumeUnicode(MAX_INPUT)
        _run(TEXT, text, text)
    elif how == 1:  # auto mode: the sniffer decides
        text = fdp.ConsumeUnicodeNoSurrogates(MAX_INPUT)
        _run(cleanarticle.default_cleaner(), text, text)
    elif how == 2:  # HTML: fuzzed markup inside a real page, so trafilatura has something to find
        head = _HEADS[fdp.ConsumeIntInRange(0, len(_HEADS) - 1)]
        body = fdp.ConsumeUnicodeNoSurrogates(MAX_INPUT)
        _run(HTML, _SKELETON.format(head=head, body=body), None, "html")
    elif how == 3:  # HTML, raw markup as the whole page
        _run(HTML, fdp.ConsumeUnicode(MAX_INPUT), None, "html")
    elif how == 4:  # bytes, strict decoding: DecodeError is the only refusal
        _run(cleanarticle.default_cleaner(), fdp.ConsumeBytes(MAX_INPUT), None)
    else:  # bytes with errors="replace": never refused
        raw = fdp.ConsumeBytes(MAX_INPUT)
        article = REPLACE.clean(raw)
        _check(article, None)


def main() -> None:
    # Warm up before fuzzing starts: the rule packs compile once per process and take seconds,
    # which libFuzzer would otherwise charge to the first input.
    TEXT.clean("advertisement\nThe council met.")
    HTML.clean(_SKELETON.format(head="", body="<p>x</p>"))
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
