r"""Batch input and output for the command line: record readers, the parallel map, writers, views.

The pieces are usable on their own, for a pipeline of your own that wants the CLI's behaviour:

>>> import io
>>> from cleanarticle.io import read_jsonl
>>> lines = io.BytesIO(b'{"text": "advertisement\\nThe council met."}\n')
>>> [(r.id, r.data) for r in read_jsonl(lines, "feed.jsonl", limit=1000)]
[('feed.jsonl:1', 'advertisement\nThe council met.')]

- :mod:`~cleanarticle.io.records`: files, directories, stdin and JSON Lines as :class:`Record` streams;
- :mod:`~cleanarticle.io.warc`: WARC response records, via FastWARC or warcio;
- :mod:`~cleanarticle.io.process`: one record cleaned into an :class:`Outcome` (never an exception);
- :mod:`~cleanarticle.io.parallel`: the ordered, bounded process-pool map;
- :mod:`~cleanarticle.io.writers`: JSON Lines, JSON and text sinks;
- :mod:`~cleanarticle.io.explain`: the readable "what was removed and why" view.
"""

from __future__ import annotations

from cleanarticle.io.explain import render_explanation
from cleanarticle.io.parallel import ordered_map
from cleanarticle.io.process import CleanTask, Failure, Outcome
from cleanarticle.io.records import ReadStats, Record, expand_paths, read_document, read_inputs, read_jsonl
from cleanarticle.io.warc import available_backends, iter_html_responses, read_warc
from cleanarticle.io.writers import make_sink

__all__ = [
    "CleanTask",
    "Failure",
    "Outcome",
    "ReadStats",
    "Record",
    "available_backends",
    "expand_paths",
    "iter_html_responses",
    "make_sink",
    "ordered_map",
    "read_document",
    "read_inputs",
    "read_jsonl",
    "read_warc",
    "render_explanation",
]
