"""Output sinks: JSON Lines, one JSON array, or plain text, written record by record as results come.

Nothing is collected before writing, so memory stays flat however many records pass; even the JSON
array is streamed (its brackets and commas are written around the items as they arrive).

The payloads were already serialised in the workers (:mod:`cleanarticle.io.process`); a sink only
places them. A record with no payload (a failure in text format) writes nothing: plain text has no
room for an error, which is reported on stderr instead.
"""

from __future__ import annotations

from typing import Protocol, TextIO

from cleanarticle.io.process import Outcome, OutputFormat


class Sink(Protocol):
    """Where outcomes go, in order."""

    def write(self, outcome: Outcome) -> None: ...

    def close(self) -> None: ...


class JsonLinesSink:
    """One JSON object per line: ``{id, source, text, ...Article.to_dict()}`` or ``{id, source, error}``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, outcome: Outcome) -> None:
        if outcome.payload is not None:
            self.stream.write(outcome.payload + "\n")

    def close(self) -> None:
        self.stream.flush()


class JsonArraySink:
    """A single JSON array of the same objects, streamed; ``[]`` when there were none."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def write(self, outcome: Outcome) -> None:
        if outcome.payload is None:
            return
        self.stream.write(("[\n" if self.count == 0 else ",\n") + outcome.payload)
        self.count += 1

    def close(self) -> None:
        self.stream.write("\n]\n" if self.count else "[]\n")
        self.stream.flush()


class TextSink:
    """The articles' text, paragraphs one per line, articles parted by one blank line.

    Kept paragraphs are never blank, so the blank line cannot occur inside an article.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def write(self, outcome: Outcome) -> None:
        if outcome.payload is None:
            return
        self.stream.write(("\n" if self.count else "") + outcome.payload + "\n")
        self.count += 1

    def close(self) -> None:
        self.stream.flush()


def make_sink(output_format: OutputFormat, stream: TextIO) -> Sink:
    """The sink for ``--format``."""
    if output_format == "json":
        return JsonArraySink(stream)
    if output_format == "text":
        return TextSink(stream)
    return JsonLinesSink(stream)
