"""WARC input: the HTML response records of a ``.warc`` / ``.warc.gz`` file, through one iterator.

Two maintained readers exist and either may be what a user has: FastWARC (fast, compiled; the ``cli``
extra installs it) and warcio (pure Python). :func:`iter_html_responses` hides which one runs:
FastWARC when it can be imported, warcio otherwise, and both yield the same :class:`WarcResponse`,
so the rest of the CLI never knows the difference (the tests read the same file with both).

Only response records of a 2xx HTTP status with an HTML content type are articles; requests,
``warcinfo``, metadata, revisits, redirects, error pages, images and PDFs are skipped (and counted),
not reported as failures: a crawl is full of them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal

from cleanarticle.io.records import ReadStats, Record

Backend = Literal["fastwarc", "warcio"]

#: Content types whose payload is an HTML page.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class WarcUnavailableError(RuntimeError):
    """Neither FastWARC nor warcio is installed."""


@dataclass(frozen=True, slots=True)
class WarcResponse:
    """What the CLI needs of one HTML response record, whichever library read it."""

    record_id: str | None
    target_uri: str | None
    payload: bytes
    charset: str | None


def available_backends() -> tuple[Backend, ...]:
    """The WARC libraries that can be imported here, preferred first."""
    found: list[Backend] = []
    if importlib.util.find_spec("fastwarc") is not None:
        found.append("fastwarc")
    if importlib.util.find_spec("warcio") is not None:
        found.append("warcio")
    return tuple(found)


def default_backend() -> Backend:
    """FastWARC when importable, else warcio; :class:`WarcUnavailableError` when neither is."""
    backends = available_backends()
    if not backends:
        raise WarcUnavailableError(
            "reading WARC files needs FastWARC or warcio: pip install 'cleanarticle[cli]'"
        )
    return backends[0]


def iter_html_responses(
    stream: BinaryIO,
    *,
    limit: int,
    backend: Backend | None = None,
    on_skip: Callable[[], None] = lambda: None,
) -> Iterator[WarcResponse]:
    """The HTML 2xx responses of a WARC stream (plain or gzipped), payloads cut at ``limit + 1`` bytes.

    HTTP transfer and content encodings (chunked, gzip, brotli...) are undone by the library.
    ``on_skip`` is called once for every record that is not an article.
    """
    chosen = backend or default_backend()
    if chosen == "fastwarc":
        return _fastwarc(stream, limit, on_skip)
    return _warcio(stream, limit, on_skip)


def _is_article(record_type: str, status: int | None, content_type: str | None) -> bool:
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    return record_type == "response" and status is not None and 200 <= status < 300 and mime in HTML_TYPES


def _fastwarc(stream: BinaryIO, limit: int, on_skip: Callable[[], None]) -> Iterator[WarcResponse]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    for rec in ArchiveIterator(stream, parse_http=True, auto_decode="all"):
        is_response = rec.record_type == WarcRecordType.response and rec.is_http
        status = rec.http_headers.status_code if is_response else None
        ctype = rec.http_content_type if is_response else None
        if not _is_article("response" if is_response else "other", status, ctype):
            on_skip()
            continue
        yield WarcResponse(
            record_id=rec.record_id,
            target_uri=rec.headers.get("WARC-Target-URI"),
            payload=rec.reader.read(limit + 1),
            charset=rec.http_charset,
        )


def _warcio(stream: BinaryIO, limit: int, on_skip: Callable[[], None]) -> Iterator[WarcResponse]:
    from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

    rec: Any
    for rec in ArchiveIterator(stream):
        http = rec.http_headers
        status = _int(http.get_statuscode()) if http is not None else None
        ctype = http.get_header("Content-Type") if http is not None else None
        if not _is_article(rec.rec_type, status, ctype):
            on_skip()
            continue
        yield WarcResponse(
            record_id=rec.rec_headers.get_header("WARC-Record-ID"),
            target_uri=rec.rec_headers.get_header("WARC-Target-URI"),
            payload=rec.content_stream().read(limit + 1),
            charset=_charset(ctype),
        )


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def read_warc(stream: BinaryIO, name: str, *, limit: int, stats: ReadStats) -> Iterator[Record]:
    """Records for the HTML responses of one WARC; a broken file ends with one error record.

    The error record comes after every record read before the damage, so a truncated download
    still yields what it holds.
    """
    count = 0

    def skip() -> None:
        stats.skipped += 1

    try:
        for count, response in enumerate(iter_html_responses(stream, limit=limit, on_skip=skip), 1):
            yield _record(name, count, response)
    except WarcUnavailableError as exc:
        yield Record(id=name, source={"path": name}, error=str(exc))
    except Exception as exc:  # any library's parse error means the same: a damaged file
        yield Record(
            id=name,
            source={"path": name},
            error=f"damaged WARC after {count} HTML records: {type(exc).__name__}: {exc}",
        )


def _record(name: str, index: int, response: WarcResponse) -> Record:
    record_id = response.record_id or f"{name}#{index}"
    source: dict[str, str | int] = {"path": name, "warc_record_id": record_id}
    if response.target_uri:
        source["target_uri"] = response.target_uri
    return Record(
        id=record_id,
        source=source,
        data=response.payload,
        url=response.target_uri,
        encoding=response.charset,
    )
