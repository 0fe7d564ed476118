"""Dataset loading for the benchmark harness.

Two formats are recognised from the files in DATASET_DIR:

* ``ground-truth.json``  -> "articlebody" (scrapinghub article-extraction-benchmark):
  ``{id: {"articleBody": text, "url": url}}`` with pages at ``html/<id>.html.gz`` (UTF-8).
* ``evaldata.json``      -> "snippets" (trafilatura evaluation corpus):
  ``{doc_id: {"file": name, "with": [...], "without": [...], ...}}`` with pages at
  ``html/<file>`` (gzip, encodings vary).

Pages are read and decompressed here, before any timing starts.  The harness decodes the
bytes itself (see :func:`decode_html`) so that every system gets the same ``str``; with
``--feed bytes`` the systems that accept bytes get the raw page instead.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ARTICLEBODY = "articlebody"
SNIPPETS = "snippets"


@dataclass
class Page:
    doc_id: str
    url: str | None
    raw: bytes
    html: str
    encoding: str  # how the harness decoded ``raw`` ("utf-8", "bom:utf-8", "meta:iso-8859-1", ...)


@dataclass
class Dataset:
    kind: str  # ARTICLEBODY or SNIPPETS
    path: Path
    name: str
    pages: list[Page]
    # ARTICLEBODY: doc_id -> truth text;  SNIPPETS: doc_id -> {"with": [...], "without": [...]}
    truth: dict[str, object]
    annotations_file: Path = field(default_factory=Path)

    @property
    def ids(self) -> list[str]:
        return [p.doc_id for p in self.pages]


# ------------------------------------------------------------------ decoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
# WHATWG encoding labels: a page that says latin-1 is decoded as windows-1252 by browsers.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
}


def declared_charset(raw: bytes) -> str | None:
    """The charset of the first ``<meta charset>`` / ``http-equiv`` tag in the first 16 KB."""
    m = _META_CHARSET.search(raw[:16384])
    if not m:
        return None
    label = m.group(1).decode("ascii", "ignore").strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(raw: bytes) -> tuple[str, str]:
    """Decode page bytes: BOM, else valid UTF-8, else the declared charset, else detection.

    Valid UTF-8 wins over a declared single-byte charset because random single-byte text is
    almost never valid UTF-8 (the same choice trafilatura makes).  Returns (text, how).
    """
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return raw.decode(enc, errors="replace"), f"bom:{enc}"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(raw)
    if declared and declared != "utf-8":
        try:
            return raw.decode(declared), f"meta:{declared}"
        except (UnicodeDecodeError, LookupError):
            pass
    if declared == "utf-8":
        # declared UTF-8 with a few stray bytes: keep UTF-8, replace the bad bytes
        return raw.decode("utf-8", errors="replace"), "meta:utf-8(replace)"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is not None and best.encoding:
            return str(best), f"detected:{best.encoding}"
    except ImportError:  # pragma: no cover - charset_normalizer comes with trafilatura
        pass
    return raw.decode("cp1252", errors="replace"), "fallback:cp1252"


# ------------------------------------------------------------------ loading


def detect_kind(path: Path) -> str:
    if (path / "ground-truth.json").is_file():
        return ARTICLEBODY
    if (path / "evaldata.json").is_file():
        return SNIPPETS
    raise SystemExit(f"{path}: neither ground-truth.json nor evaldata.json found")


def _read_gz(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def load_dataset(path: str | Path, limit: int | None = None) -> Dataset:
    path = Path(path)
    kind = detect_kind(path)
    pages: list[Page] = []
    truth: dict[str, object] = {}
    if kind == ARTICLEBODY:
        ann_file = path / "ground-truth.json"
        gt = json.loads(ann_file.read_text(encoding="utf-8"))
        ids = sorted(gt)[:limit] if limit else sorted(gt)
        for doc_id in ids:
            raw = _read_gz(path / "html" / f"{doc_id}.html.gz")
            html, how = decode_html(raw)
            pages.append(Page(doc_id, gt[doc_id].get("url"), raw, html, how))
            truth[doc_id] = gt[doc_id].get("articleBody") or ""
    else:
        ann_file = path / "evaldata.json"
        ev = json.loads(ann_file.read_text(encoding="utf-8"))
        ids = sorted(ev)[:limit] if limit else sorted(ev)
        for doc_id in ids:
            item = ev[doc_id]
            raw = _read_gz(path / "html" / item["file"])
            html, how = decode_html(raw)
            url = doc_id if doc_id.startswith(("http://", "https://")) else None
            pages.append(Page(doc_id, url, raw, html, how))
            truth[doc_id] = {"with": list(item.get("with", [])), "without": list(item.get("without", []))}
    return Dataset(kind, path, path.resolve().name, pages, truth, ann_file)
