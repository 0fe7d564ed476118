"""Site profiles: learn a site's own boilerplate from a crawl of its pages, then remove it.

The rule packs know the boilerplate many sites share ("Advertisement", "Also read"). Every site also
has lines of its own that no rule can know: a house promo in its own words, a sign-off, a disclaimer in
its own phrasing. What gives them away is repetition: they stand, word for word, on a large share of
the site's pages, while an article's own paragraphs stand on one. So:

1. :class:`ProfileLearner` reads many pages per host in one streaming pass and counts, per host, on
   how many distinct pages each normalised line occurs (:func:`template_key`; once per page).
2. A :class:`SiteProfile` is the result for one host: those counts, the pages seen and the thresholds.
   A line is a *template* when it was seen on at least ``min_pages`` pages *and* on at least
   ``min_share`` of the host's pages. Profiles are plain data (``to_dict``/``to_json``), small enough
   to read and edit, and :func:`merge` adds up profiles learned on separate shards of a crawl.
3. :class:`TemplateFilter` (or ``Cleaner.with_profiles``) removes template lines from pages of that
   host, with kind ``template`` and rule ``template:<host>``.

Why the defaults (``min_pages=3``, ``min_share=0.25``): a quote or a fact box that two articles of a
site repeat is body, not furniture; two pages of twenty (10%) or two of six (below ``min_pages``) never
make a template. A template has to be on at least three pages, and on a quarter of them.

Bounded memory: the candidate table of a host never holds more than ``max_candidates`` lines. When a
new line would overflow it, the table is reduced the Misra–Gries way: the ``(max_candidates // 2 +
1)``-th largest count ``c`` is subtracted from every count and lines left at zero or below are dropped,
which leaves at most ``max_candidates // 2`` lines. Counts can therefore only be *too low*, never too
high, and each profile records by how much at most (``undercount``): for every line,
``counts[line] <= true count <= counts[line] + undercount``. Each reduction removes at least
``(max_candidates // 2 + 1) * c`` from the table's total, so ``undercount <= lines_counted /
(max_candidates // 2 + 1)``, where ``lines_counted`` is the number of (page, line) pairs counted. Since
counts never overshoot, a line reported as a template really is on that many pages: reduction can only
make the profile miss a template, never invent one. With ``undercount == 0`` (the table never
overflowed) the counts are exact, and merging shards gives exactly the profile of their union.

Only lines whose normalised form is between :data:`MIN_LINE_CHARS` and ``max_line_chars`` characters
are counted: templates are short-to-medium lines, and long paragraphs would cost memory for nothing.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import regex

from cleanarticle.article import Article, Kind, Metadata, split_lines
from cleanarticle.errors import ConfigError
from cleanarticle.layers.base import Finding, TextContext, TextFilter, whole_line

#: A template must have been seen on at least this many distinct pages of its host.
DEFAULT_MIN_PAGES = 3
#: ... and on at least this share of the host's pages.
DEFAULT_MIN_SHARE = 0.25
#: Most candidate lines kept per host while learning (the memory bound).
DEFAULT_MAX_CANDIDATES = 4096
#: Longest normalised line counted; longer paragraphs are article text, not templates.
DEFAULT_MAX_LINE_CHARS = 400
#: Shortest normalised line counted: shorter ones ("1", "ok") say nothing about a site.
MIN_LINE_CHARS = 4
#: Fingerprints of recent pages kept per host to skip exact duplicates (the same article under two URLs).
DEFAULT_RECENT_PAGES = 1024

#: ``format`` and ``version`` of the JSON file :func:`save_profiles` writes.
FILE_FORMAT = "cleanarticle-site-profiles"
FILE_VERSION = 1

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


class ProfileError(ConfigError):
    """A profile or profile file is malformed, or two profiles cannot be merged."""


# ---------------------------------------------------------------------------------- normalising


def template_key(text: str, max_chars: int = DEFAULT_MAX_LINE_CHARS) -> str | None:
    """The form a line is counted and matched under, or None when it is too short or too long to count.

    NFKC, case-folded, words only (punctuation and spacing dropped): a sign-off that differs by a
    curly quote, a dash or a trailing full stop is still the same line. Digits are kept as they are:
    "Sensex closed at 72,410" and "Sensex closed at 71,980" are two pages' own news, not a template.
    A line more than four times ``max_chars`` long is refused before any work is spent on it.
    """
    if len(text) > 4 * max_chars:
        return None
    folded = unicodedata.normalize("NFKC", text).casefold()
    key = " ".join(_WORD.findall(folded))
    if not MIN_LINE_CHARS <= len(key) <= max_chars:
        return None
    return key


def host_of(url_or_host: str | None) -> str | None:
    """The host a URL or host name stands for, lower-cased, without port, trailing dot or ``www.``.

    ``www.`` goes because sites serve the same pages with and without it; other subdomains stay, since
    ``sport.example.com`` may well have furniture of its own.
    """
    if not url_or_host or not url_or_host.strip():
        return None
    value = url_or_host.strip()
    if "://" not in value:
        value = "//" + value.lstrip("/")
    try:
        host: str | None = urlsplit(value).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    return host or None


def host_for(metadata: Metadata, default: str | None = None) -> str | None:
    """The host of a page: from its URL, else trafilatura's hostname, else ``default``."""
    return host_of(metadata.url) or host_of(metadata.hostname) or host_of(default)


# ---------------------------------------------------------------------------------- profiles


def _check_parameters(min_pages: int, min_share: float, max_candidates: int, max_line_chars: int) -> None:
    if isinstance(min_pages, bool) or not isinstance(min_pages, int) or min_pages < 2:
        raise ProfileError(f"min_pages must be a whole number of at least 2, not {min_pages!r}"
                           " (a line seen on one page is that page's own)")
    if isinstance(min_share, bool) or not isinstance(min_share, int | float) or not 0 < min_share <= 1:
        raise ProfileError(f"min_share must be a share of pages in (0, 1], not {min_share!r}")
    if isinstance(max_candidates, bool) or not isinstance(max_candidates, int) or max_candidates < 2:
        raise ProfileError(f"max_candidates must be a whole number of at least 2, not {max_candidates!r}")
    if isinstance(max_line_chars, bool) or not isinstance(max_line_chars, int) or max_line_chars < MIN_LINE_CHARS:
        raise ProfileError(f"max_line_chars must be a whole number of at least {MIN_LINE_CHARS}, not {max_line_chars!r}")


def _ordered(counts: Mapping[str, int]) -> dict[str, int]:
    """Most frequent first, then alphabetical: stable JSON, and the lines worth reading come first."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True, eq=True)
class SiteProfile:
    """What was learned about one host: on how many of its pages each (normalised) line stood.

    ``counts`` maps :func:`template_key` lines to page counts (lower bounds: see ``undercount`` and the
    module docstring); :attr:`templates` are the lines over the thresholds. ``lines_counted`` is the
    number of (page, line) pairs counted, which bounds ``undercount`` for a profile that was not
    compacted. Immutable; :meth:`with_thresholds` and :meth:`compact` return changed copies.
    """

    host: str
    pages: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    min_pages: int = DEFAULT_MIN_PAGES
    min_share: float = DEFAULT_MIN_SHARE
    max_candidates: int = DEFAULT_MAX_CANDIDATES
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS
    undercount: int = 0
    lines_counted: int = 0

    def __post_init__(self) -> None:
        host = host_of(self.host)
        if host is None:
            raise ProfileError(f"a profile needs a host, not {self.host!r}")
        object.__setattr__(self, "host", host)
        _check_parameters(self.min_pages, self.min_share, self.max_candidates, self.max_line_chars)
        for name in ("pages", "undercount", "lines_counted"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ProfileError(f"{name} must be a whole number >= 0, not {value!r}")
        counts = dict(self.counts)
        for line, count in counts.items():
            if not isinstance(line, str) or not line:
                raise ProfileError(f"profile {host}: lines must be non-empty strings, not {line!r}")
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= self.pages:
                raise ProfileError(
                    f"profile {host}: {line!r} has count {count!r}; counts run from 1 to pages ({self.pages})"
                )
        if len(counts) > self.max_candidates:
            raise ProfileError(f"profile {host}: {len(counts)} lines exceed max_candidates={self.max_candidates}")
        object.__setattr__(self, "counts", _ordered(counts))

    def __hash__(self) -> int:  # counts is a dict; the identity of a profile is its host and totals
        return hash((self.host, self.pages, self.lines_counted, self.undercount, len(self.counts)))

    # ------------------------------------------------------------------ reading

    @property
    def threshold(self) -> int:
        """Pages a line must have been seen on to be a template: ``max(min_pages, min_share * pages)``."""
        share = math.ceil(round(self.min_share * self.pages, 9))
        return max(self.min_pages, share)

    @property
    def templates(self) -> dict[str, int]:
        """The template lines and their page counts, most frequent first."""
        t = self.threshold
        return {line: count for line, count in self.counts.items() if count >= t}

    @property
    def exact(self) -> bool:
        """True when every count is the true page count (the table never overflowed)."""
        return self.undercount == 0

    def is_template(self, line: str) -> bool:
        """Whether ``line`` (raw or normalised) is one of this profile's templates."""
        key = template_key(line, self.max_line_chars)
        return key is not None and self.counts.get(key, 0) >= self.threshold

    # ------------------------------------------------------------------ changing

    def with_thresholds(self, *, min_pages: int | None = None, min_share: float | None = None) -> SiteProfile:
        """A copy judged by other thresholds (the counts do not depend on them)."""
        return replace(
            self,
            min_pages=self.min_pages if min_pages is None else min_pages,
            min_share=self.min_share if min_share is None else min_share,
        )

    def compact(self) -> SiteProfile:
        """A copy with only the template lines: what the filter needs, small enough to ship anywhere.

        The dropped lines were each below the threshold, so ``undercount`` grows by the largest dropped
        count and the copy can still be merged honestly (its counts stay lower bounds).
        """
        kept = self.templates
        dropped = max((c for line, c in self.counts.items() if line not in kept), default=0)
        return replace(self, counts=kept, undercount=self.undercount + dropped)

    # ------------------------------------------------------------------ serialising

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: the templates apart from the other candidates, so the file reads well."""
        templates = self.templates
        return {
            "host": self.host,
            "pages": self.pages,
            "threshold": self.threshold,
            "parameters": {
                "min_pages": self.min_pages,
                "min_share": self.min_share,
                "max_candidates": self.max_candidates,
                "max_line_chars": self.max_line_chars,
            },
            "lines_counted": self.lines_counted,
            "undercount": self.undercount,
            "templates": templates,
            "candidates": {line: c for line, c in self.counts.items() if line not in templates},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteProfile:
        """Read :meth:`to_dict` output back (``threshold`` is recomputed, not read)."""
        if not isinstance(data, Mapping):
            raise ProfileError(f"a profile is a JSON object, not {type(data).__name__}")
        try:
            params = data.get("parameters", {})
            templates = data.get("templates", {})
            candidates = data.get("candidates", {})
            if not all(isinstance(x, Mapping) for x in (params, templates, candidates)):
                raise ProfileError("parameters, templates and candidates must be JSON objects")
            both = set(templates) & set(candidates)
            if both:
                raise ProfileError(f"lines listed both as templates and candidates: {sorted(both)[:3]}")
            return cls(
                host=data["host"],
                pages=data.get("pages", 0),
                counts={**templates, **candidates},
                min_pages=params.get("min_pages", DEFAULT_MIN_PAGES),
                min_share=params.get("min_share", DEFAULT_MIN_SHARE),
                max_candidates=params.get("max_candidates", DEFAULT_MAX_CANDIDATES),
                max_line_chars=params.get("max_line_chars", DEFAULT_MAX_LINE_CHARS),
                undercount=data.get("undercount", 0),
                lines_counted=data.get("lines_counted", 0),
            )
        except KeyError as exc:
            raise ProfileError(f"a profile needs the field {exc.args[0]!r}") from None

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> SiteProfile:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ProfileError(f"not a JSON profile: {exc}") from None
        return cls.from_dict(data)


def _reduce(counts: dict[str, int], keep: int) -> int:
    """Misra–Gries reduction, in place: at most ``keep`` lines are left. Returns what was subtracted.

    The ``(keep + 1)``-th largest count is taken off every count and the lines left at zero or below
    are dropped; at most ``keep`` counts were larger than it. Every line loses at most that much.
    """
    if len(counts) <= keep:
        return 0
    cut = heapq.nlargest(keep + 1, counts.values())[-1]
    for line, count in list(counts.items()):
        if count <= cut:
            del counts[line]
        else:
            counts[line] = count - cut
    return cut


def merge(first: SiteProfile, *others: SiteProfile) -> SiteProfile:
    """One profile from profiles of the same host learned on separate pages (shards of a crawl).

    Counts, pages and undercounts add up. When no table overflowed and the sum fits in
    ``max_candidates``, the result equals the profile learned on all the pages at once. Otherwise the
    sum is reduced (Misra–Gries) to ``max_candidates`` lines, which keeps the module's bound:
    ``undercount <= lines_counted / (max_candidates // 2 + 1)``.
    """
    params = ("max_candidates", "max_line_chars", "min_pages", "min_share")
    counts = dict(first.counts)
    pages, undercount, lines_counted = first.pages, first.undercount, first.lines_counted
    for other in others:
        if other.host != first.host:
            raise ProfileError(f"cannot merge profiles of different hosts: {first.host!r} and {other.host!r}")
        differ = [p for p in params if getattr(other, p) != getattr(first, p)]
        if differ:
            raise ProfileError(
                f"cannot merge profiles of {first.host!r} learned with different {', '.join(differ)};"
                " use with_thresholds() to align min_pages/min_share"
            )
        for line, count in other.counts.items():
            counts[line] = counts.get(line, 0) + count
        pages += other.pages
        undercount += other.undercount
        lines_counted += other.lines_counted
    undercount += _reduce(counts, first.max_candidates)
    return replace(first, pages=pages, counts=counts, undercount=undercount, lines_counted=lines_counted)


def merge_profiles(*collections: Mapping[str, SiteProfile] | Iterable[SiteProfile]) -> dict[str, SiteProfile]:
    """Host → profile, merging the profiles of each host across the collections (e.g. per-worker files)."""
    by_host: dict[str, list[SiteProfile]] = {}
    for collection in collections:
        for profile in _profiles_in(collection):
            by_host.setdefault(profile.host, []).append(profile)
    return {host: merge(*found) for host, found in sorted(by_host.items())}


def _profiles_in(collection: Mapping[str, SiteProfile] | Iterable[SiteProfile]) -> Iterator[SiteProfile]:
    values = collection.values() if isinstance(collection, Mapping) else collection
    for profile in values:
        if not isinstance(profile, SiteProfile):
            raise ProfileError(f"expected SiteProfile objects, not {type(profile).__name__}")
        yield profile


# ---------------------------------------------------------------------------------- learning


@dataclass(slots=True)
class _SiteTable:
    """The learner's running state for one host; ``recent`` maps page fingerprints, oldest first."""

    counts: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    lines_counted: int = 0
    undercount: int = 0
    duplicates: int = 0
    recent: dict[bytes, None] = field(default_factory=dict)


class ProfileLearner:
    """Count, host by host, on how many pages each line stands; one pass, bounded memory per host.

    ``add`` each page (any order, any mix of hosts), then take :meth:`profiles`. A host's candidate
    table never exceeds ``max_candidates`` lines (see the module docstring for the reduction and its
    error bound). An exact duplicate of one of a host's last ``recent_pages`` pages is skipped: the
    same article under two URLs would otherwise count its own paragraphs twice. A crawl that comes
    sorted by host can call :meth:`pop` when a host is done, to free its table.
    """

    def __init__(
        self,
        *,
        min_pages: int = DEFAULT_MIN_PAGES,
        min_share: float = DEFAULT_MIN_SHARE,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
        max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
        recent_pages: int = DEFAULT_RECENT_PAGES,
    ) -> None:
        _check_parameters(min_pages, min_share, max_candidates, max_line_chars)
        if recent_pages < 0:
            raise ProfileError(f"recent_pages must be >= 0, not {recent_pages!r}")
        self.min_pages = min_pages
        self.min_share = min_share
        self.max_candidates = max_candidates
        self.max_line_chars = max_line_chars
        self.recent_pages = recent_pages
        self._tables: dict[str, _SiteTable] = {}

    def add(self, url_or_host: str | None, page: str | Article | Iterable[str]) -> bool:
        """Count one page of a host; True if it counted, False if skipped (empty, or a duplicate).

        ``page`` is the page's text (one paragraph per line), an :class:`Article` (its body is
        counted: learn from cleaned articles, so that what the rules remove anyway does not count),
        or its paragraphs. The host comes from ``url_or_host``, or else from the article's metadata.
        """
        host = host_of(url_or_host)
        if host is None and isinstance(page, Article):
            host = host_for(page.metadata)
        if host is None:
            raise ProfileError(f"no host in {url_or_host!r}: pass the page's URL or its host name")
        lines = _page_lines(page)
        if not lines:
            return False
        table = self._tables.get(host)
        if table is None:
            table = self._tables[host] = _SiteTable()
        if self.recent_pages:
            digest = hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogatepass"), digest_size=16).digest()
            if digest in table.recent:
                table.duplicates += 1
                return False
            table.recent[digest] = None
            if len(table.recent) > self.recent_pages:
                del table.recent[next(iter(table.recent))]
        table.pages += 1
        keys = dict.fromkeys(k for k in (template_key(t, self.max_line_chars) for t in lines) if k)
        counts = table.counts
        for key in keys:  # page order, so that reductions (and so results) do not depend on hashing
            if key in counts:
                counts[key] += 1
            else:
                if len(counts) >= self.max_candidates:
                    table.undercount += _reduce(counts, self.max_candidates // 2)
                counts[key] = 1
            table.lines_counted += 1
        return True

    @property
    def hosts(self) -> tuple[str, ...]:
        """The hosts seen so far, sorted."""
        return tuple(sorted(self._tables))

    def candidates(self, host: str) -> int:
        """How many lines the candidate table of ``host`` holds now (never more than max_candidates)."""
        table = self._tables.get(host_of(host) or "")
        return len(table.counts) if table else 0

    def duplicates(self, host: str) -> int:
        """How many pages of ``host`` were skipped as exact duplicates of a recent page."""
        table = self._tables.get(host_of(host) or "")
        return table.duplicates if table else 0

    def profile(self, host: str) -> SiteProfile:
        """The profile of one host as learned so far (a snapshot: learning can go on)."""
        key = host_of(host)
        table = self._tables.get(key or "")
        if key is None or table is None:
            raise KeyError(host)
        return SiteProfile(
            host=key,
            pages=table.pages,
            counts=table.counts,
            min_pages=self.min_pages,
            min_share=self.min_share,
            max_candidates=self.max_candidates,
            max_line_chars=self.max_line_chars,
            undercount=table.undercount,
            lines_counted=table.lines_counted,
        )

    def profiles(self) -> dict[str, SiteProfile]:
        """Host → profile for every host seen, sorted by host."""
        return {host: self.profile(host) for host in self.hosts}

    def pop(self, host: str) -> SiteProfile:
        """The profile of ``host``, and forget the host (its memory is freed)."""
        profile = self.profile(host)
        del self._tables[profile.host]
        return profile


def _page_lines(page: str | Article | Iterable[str]) -> list[str]:
    if isinstance(page, Article):
        raw: Iterable[str] = page.body
    elif isinstance(page, str):
        raw = (page[s:e] for s, e in split_lines(page))
    else:
        raw = page
    return [s for s in (line.strip() for line in raw) if s]


# ---------------------------------------------------------------------------------- files


def save_profiles(
    profiles: Mapping[str, SiteProfile] | Iterable[SiteProfile], path: str | os.PathLike[str], *, compact: bool = False
) -> None:
    """Write profiles of many hosts to one JSON file (sorted by host; atomically replaced).

    ``compact=True`` keeps only the template lines of each profile (see :meth:`SiteProfile.compact`).
    """
    found = sorted(_profiles_in(profiles), key=lambda p: p.host)
    hosts = [p.host for p in found]
    if len(set(hosts)) != len(hosts):
        raise ProfileError("two profiles for one host; merge() them first")
    data = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "profiles": [(p.compact() if compact else p).to_dict() for p in found],
    }
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_profiles(path: str | os.PathLike[str]) -> dict[str, SiteProfile]:
    """Host → profile from a file :func:`save_profiles` wrote (a single profile object is accepted too)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"cannot read profiles from {os.fspath(path)}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ProfileError(f"{os.fspath(path)} is not a JSON profile file: {exc}") from None
    if isinstance(data, Mapping) and "host" in data:
        profiles = [SiteProfile.from_dict(data)]
    elif isinstance(data, Mapping) and data.get("format") == FILE_FORMAT:
        if data.get("version") != FILE_VERSION:
            raise ProfileError(f"{os.fspath(path)}: profile file version {data.get('version')!r} is not supported")
        items = data.get("profiles")
        if not isinstance(items, list):
            raise ProfileError(f"{os.fspath(path)}: 'profiles' must be a list")
        profiles = [SiteProfile.from_dict(item) for item in items]
    else:
        raise ProfileError(f"{os.fspath(path)} is not a cleanarticle profile file")
    return merge_profiles(profiles)


# ---------------------------------------------------------------------------------- the filter


class TemplateFilter(TextFilter):
    """Removes the lines a site's profile marks as templates, on pages of that site only.

    The host comes from the page's URL (``clean(..., url=...)``; in HTML mode trafilatura's
    ``metadata.url``), else ``metadata.hostname``, else ``default_host``; a page of a host without a
    profile is left alone. Each removal has kind ``template`` and rule ``template:<host>``. The filter
    keeps compacted profiles (templates only), so a Cleaner holding it stays small to pickle.
    """

    name = "templates"
    layer = "block"

    def __init__(
        self,
        profiles: Mapping[str, SiteProfile] | Iterable[SiteProfile],
        *,
        default_host: str | None = None,
    ) -> None:
        merged = merge_profiles(profiles)
        self.profiles: dict[str, SiteProfile] = {host: p.compact() for host, p in merged.items()}
        self.default_host = host_of(default_host)
        if default_host is not None and self.default_host is None:
            raise ProfileError(f"default_host {default_host!r} is not a host name")
        self._keys: dict[str, frozenset[str]] = {h: frozenset(p.counts) for h, p in self.profiles.items()}

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        host = host_for(ctx.metadata, self.default_host)
        keys = self._keys.get(host or "")
        if not keys or host is None:
            return
        max_chars = self.profiles[host].max_line_chars
        rule = f"template:{host}"
        for line in ctx.lines:
            if not line.text or line.index in decided:
                continue
            if template_key(line.text, max_chars) in keys:
                yield whole_line(line, Kind.TEMPLATE, rule, self.name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TemplateFilter):
            return NotImplemented
        return self.profiles == other.profiles and self.default_host == other.default_host

    def __hash__(self) -> int:
        return hash((tuple(self.profiles), self.default_host))

    def __repr__(self) -> str:
        return f"<TemplateFilter {self.name!r} hosts={sorted(self.profiles)}>"
