"""Records: one document to clean, with the id that names it in the output, read lazily from inputs.

Every reader is a generator, so a batch never holds more than the record in hand: a 50,000-line
JSON Lines file costs one line of memory here, whatever its length. A reader never raises for a bad
record; it yields a :class:`Record` whose ``error`` says what was wrong, so one broken line cannot end
a run and still shows up, with its id, in the output.

Sizes are capped at ``limit`` bytes (the Cleaner's ``max_input_chars``): a huge file, a gzip bomb or
a runaway JSON line is cut at ``limit + 1`` bytes, which the Cleaner then refuses with
:class:`~cleanarticle.errors.InputTooLargeError`, instead of being read whole into memory.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

InputFormat = Literal["auto", "document", "jsonl", "warc"]

#: Fields tried, in order, for the document in a JSON Lines record when ``--field`` is not given.
DEFAULT_FIELDS: tuple[str, ...] = ("html", "text", "content", "body")

#: The name stdin goes by in record ids.
STDIN = "-"

_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True, slots=True)
class Record:
    """One document and where it came from.

    ``id`` is the short name used in messages and the output's ``id`` field (a path, ``path:line``
    or a WARC-Record-ID); ``source`` holds the same facts as separate fields (``path``, ``line``,
    ``warc_record_id``, ``target_uri``). ``error`` is set, and ``data`` is None, when the record
    could not even be read. ``encoding`` is a hint from the transport (an HTTP charset), not a rule.
    """

    id: str
    source: Mapping[str, str | int] = field(default_factory=dict)
    data: str | bytes | None = None
    url: str | None = None
    encoding: str | None = None
    error: str | None = None


@dataclass(slots=True)
class ReadStats:
    """Counters the readers keep while the run goes: records skipped on purpose (not errors)."""

    skipped: int = 0


def input_format_of(name: str) -> InputFormat:
    """The format a file's name implies: WARC, JSON Lines, or a single document."""
    lower = name.lower()
    if lower.endswith(_WARC_SUFFIXES):
        return "warc"
    if lower.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    return "document"


def expand_paths(inputs: Iterable[str]) -> Iterator[str]:
    """Each input as given; a directory becomes its files, recursively, in sorted (stable) order.

    Hidden files and folders (a leading dot: ``.git``, ``.DS_Store``) are left out.
    """
    for name in inputs:
        if name != STDIN and os.path.isdir(name):
            yield from _walk(name)
        else:
            yield name


def _walk(root: str) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(folder, name)


def read_inputs(
    inputs: Iterable[str],
    *,
    stdin: BinaryIO,
    input_format: InputFormat = "auto",
    stdin_format: InputFormat = "document",
    fields: tuple[str, ...] = DEFAULT_FIELDS,
    url_field: str | None = "url",
    limit: int,
    stats: ReadStats | None = None,
) -> Iterator[Record]:
    """All records of all inputs, in input order, read lazily.

    ``input_format="auto"`` decides per file by its name (:func:`input_format_of`), and stdin, which
    has no name, by ``stdin_format`` (the CLI makes it ``jsonl`` when ``--field`` is given). Any other
    ``input_format`` holds for every input.
    """
    stats = stats if stats is not None else ReadStats()
    for name in expand_paths(inputs):
        fmt: InputFormat
        if input_format != "auto":
            fmt = input_format
        else:
            fmt = stdin_format if name == STDIN else input_format_of(name)
        yield from _read_one(name, fmt, stdin, fields, url_field, limit, stats)


def _read_one(
    name: str,
    fmt: InputFormat,
    stdin: BinaryIO,
    fields: tuple[str, ...],
    url_field: str | None,
    limit: int,
    stats: ReadStats,
) -> Iterator[Record]:
    if fmt == "document":
        yield read_document(name, stdin=stdin, limit=limit)
        return
    try:
        stream = stdin if name == STDIN else open_binary(name)
    except OSError as exc:
        yield Record(id=name, source={"path": name}, error=f"cannot open: {exc.strerror or exc}")
        return
    try:
        if fmt == "jsonl":
            yield from read_jsonl(stream, name, fields=fields, url_field=url_field, limit=limit)
        else:
            from cleanarticle.io.warc import read_warc

            yield from read_warc(stream, name, limit=limit, stats=stats)
    finally:
        if stream is not stdin:
            stream.close()


def open_binary(path: str) -> BinaryIO:
    """The file for reading bytes; ``.gz`` files (but WARCs, whose readers inflate them) inflated."""
    lower = path.lower()
    if lower.endswith(".gz") and not lower.endswith(_WARC_SUFFIXES):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")  # the caller closes it


def read_document(name: str, *, stdin: BinaryIO, limit: int) -> Record:
    """A whole file (or stdin) as one record, raw bytes: the Cleaner sniffs and decodes them."""
    source: dict[str, str | int] = {"path": name}
    try:
        if name == STDIN:
            data = stdin.read(limit + 1)
        else:
            with open_binary(name) as stream:
                data = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Record(id=name, source=source, error=f"cannot read: {reason}")
    return Record(id=name, source=source, data=data)


def read_jsonl(
    stream: BinaryIO,
    name: str,
    *,
    fields: tuple[str, ...] = DEFAULT_FIELDS,
    url_field: str | None = "url",
    limit: int,
) -> Iterator[Record]:
    """One record per non-blank line; the document is the first of ``fields`` the object has."""
    try:
        for number, line in _lines(stream, limit):
            if line is None:
                yield _line_record(name, number, error=f"line longer than {limit:,} bytes")
            elif line.strip():
                yield _parse_line(name, number, line, fields, url_field)
    except (OSError, EOFError, zlib.error) as exc:
        yield Record(id=name, source={"path": name}, error=f"cannot read: {exc}")


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines (from 1); None for a line over ``limit`` bytes, which is skipped, not stored."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            _skip_rest_of_line(stream, limit)
            yield number, None
        else:
            yield number, line


def _skip_rest_of_line(stream: BinaryIO, limit: int) -> None:
    while True:
        part = stream.readline(limit)
        if not part or part.endswith(b"\n"):
            return


def _line_record(
    name: str, number: int, *, data: str | None = None, url: str | None = None, error: str | None = None
) -> Record:
    source: dict[str, str | int] = {"path": name, "line": number}
    return Record(id=f"{name}:{number}", source=source, data=data, url=url, error=error)


def _parse_line(
    name: str, number: int, line: bytes, fields: tuple[str, ...], url_field: str | None
) -> Record:
    try:
        obj = json.loads(line)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
        return _line_record(name, number, error=f"not valid JSON: {exc}")
    if not isinstance(obj, dict):
        return _line_record(name, number, error=f"a JSON object was expected, not {type(obj).__name__}")
    present = [f for f in fields if f in obj]
    if not present:
        return _line_record(name, number, error=f"no field {' or '.join(map(repr, fields))} in the object")
    value = obj[present[0]]
    if not isinstance(value, str):
        kind = type(value).__name__
        return _line_record(name, number, error=f"field {present[0]!r} holds {kind}, not text")
    url = obj.get(url_field) if url_field else None
    return _line_record(name, number, data=value, url=url if isinstance(url, str) else None)
