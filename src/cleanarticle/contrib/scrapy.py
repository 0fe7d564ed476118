"""A Scrapy item pipeline that cleans the page each item carries: :class:`CleanArticlePipeline`.

Enable it in the project's settings and put the page in the item (``response.text`` is best: Scrapy
has already decoded it with the HTTP charset; raw ``response.body`` bytes work too and are decoded
by the Cleaner)::

    ITEM_PIPELINES = {"cleanarticle.contrib.scrapy.CleanArticlePipeline": 300}
    CLEANARTICLE_OUTPUT_FIELDS = ["body", "text", "credits"]

    def parse(self, response):
        yield {"url": response.url, "html": response.text}

Settings (all optional):

=============================  ==========================================================================
``CLEANARTICLE_FIELD``         item field holding the page, HTML or text, str or bytes (``"html"``)
``CLEANARTICLE_URL_FIELD``     item field holding the page URL, given to trafilatura (``"url"``;
                               empty: none)
``CLEANARTICLE_OUTPUT_FIELDS`` what to write: a list of parts, written under their own names, or a
                               dict part → item field. Parts: ``body`` (list of paragraphs),
                               ``text``, ``credits``, ``removed``, ``metadata`` (dicts and lists, as
                               in ``Article.to_dict()``) and ``warnings``. Default: body, text,
                               credits
``CLEANARTICLE_EMPTY``         nothing left after cleaning: ``"flag"`` (default: keep the item, with
                               the error field set), ``"drop"`` (raise ``DropItem``) or ``"keep"``
``CLEANARTICLE_ON_ERROR``      the Cleaner refused the page (a ``CleanArticleError``: undecodable,
                               too large, over its time budget, not a str or bytes): ``"flag"``
                               (default) or ``"drop"``
``CLEANARTICLE_ERROR_FIELD``   the field a flag is written to (``"cleanarticle_error"``)
``CLEANARTICLE_KEEP_INPUT``    ``False`` removes the page field from every item the pipeline has
                               tried to clean (flagged ones too), so feeds do not carry every page
                               twice, nor raw bytes a JSON feed cannot hold (default ``True``)
``CLEANARTICLE_LANGUAGES``     rule packs, e.g. ``["en", "de"]`` (default ``"auto"``)
``CLEANARTICLE_DISABLE``       filters to switch off, e.g. ``["lists", "captions"]``
``CLEANARTICLE_TIMEOUT``       per-page time budget in seconds
``CLEANARTICLE_MODE``          ``"auto"`` (default), ``"html"`` or ``"text"``
``CLEANARTICLE_METADATA``      ``"fast"`` (default) or ``"full"`` (see ``Cleaner``)
``CLEANARTICLE_CLEANER``       a ready :class:`~cleanarticle.Cleaner`, or the import path of one
                               (``"myproject.cleaning.CLEANER"``), for custom rules and filters;
                               then the four settings above must be left unset
=============================  ==========================================================================

List settings also take comma-separated strings, so ``scrapy crawl -s CLEANARTICLE_DISABLE=lists,captions``
works; ``CLEANARTICLE_OUTPUT_FIELDS`` also takes a JSON object.

Why it behaves as it does:

- **A bad page never stops a crawl, and is never lost silently.** A ``CleanArticleError`` is flagged
  or dropped as configured, and counted in the crawl stats (``cleanarticle/failed/DecodeError``...).
  Any other exception is a bug: it is left to Scrapy, which logs it with its traceback and drops that
  item while the crawl goes on, as for a bug in any pipeline.
- **Items without the page field pass through untouched** (counted as ``cleanarticle/no_page``,
  warned about once): a project's spiders often yield more than one kind of item.
- **A wrong setting fails the crawl at start-up** with a :class:`~cleanarticle.ConfigError`, instead
  of flagging every item of a long crawl.
- **Items are handled through itemadapter**, so dicts, ``scrapy.Item``, dataclass and attrs items all
  work. Item classes with declared fields need the output fields (and the error field) declared.
- **Cleaning runs in the reactor thread**: it is CPU work (tens of milliseconds a page), which a
  thread pool would not speed up under the GIL. For crawls where that is the bottleneck, store the
  pages and clean them in batch (``cleanarticle clean --jobs N``, or Spark).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Self

from cleanarticle.article import Article
from cleanarticle.cleaner import Cleaner
from cleanarticle.contrib import missing_extra
from cleanarticle.errors import CleanArticleError, ConfigError
from cleanarticle.source import Mode

try:
    from itemadapter import ItemAdapter
    from scrapy.exceptions import DropItem
    from scrapy.utils.misc import load_object
except ImportError as exc:  # pragma: no cover - exercised only where the extra is missing
    raise ImportError(missing_extra("Scrapy", "scrapy", exc)) from exc

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

__all__ = ["DEFAULT_OUTPUT_FIELDS", "OUTPUT_PARTS", "CleanArticlePipeline"]

logger = logging.getLogger(__name__)

EmptyPolicy = Literal["drop", "flag", "keep"]
ErrorPolicy = Literal["drop", "flag"]

#: The parts of an Article the pipeline can write to an item.
OUTPUT_PARTS: tuple[str, ...] = ("body", "text", "credits", "removed", "metadata", "warnings")

#: Written when ``CLEANARTICLE_OUTPUT_FIELDS`` is not set.
DEFAULT_OUTPUT_FIELDS: tuple[str, ...] = ("body", "text", "credits")

_CLEANER_SETTINGS = ("LANGUAGES", "DISABLE", "TIMEOUT", "MODE", "METADATA")
_STATS = "cleanarticle"


class CleanArticlePipeline:
    """Clean the page in each item and write the article's parts to the item.

    Built by Scrapy through :meth:`from_crawler` from the ``CLEANARTICLE_*`` settings (see the module
    docstring); the constructor takes the same choices as arguments, for use outside Scrapy's
    machinery (tests, or an item pipeline of your own that wraps this one).
    """

    def __init__(
        self,
        cleaner: Cleaner | None = None,
        *,
        field: str = "html",
        url_field: str | None = "url",
        outputs: Mapping[str, str] | Sequence[str] = DEFAULT_OUTPUT_FIELDS,
        empty: EmptyPolicy = "flag",
        on_error: ErrorPolicy = "flag",
        error_field: str = "cleanarticle_error",
        keep_input: bool = True,
        stats: StatsCollector | None = None,
    ) -> None:
        if not field:
            raise ConfigError("CLEANARTICLE_FIELD must name the item field that holds the page")
        if empty not in ("drop", "flag", "keep"):
            raise ConfigError(f"CLEANARTICLE_EMPTY must be 'drop', 'flag' or 'keep', not {empty!r}")
        if on_error not in ("drop", "flag"):
            raise ConfigError(f"CLEANARTICLE_ON_ERROR must be 'drop' or 'flag', not {on_error!r}")
        self.cleaner = cleaner if cleaner is not None else Cleaner()
        self.field = field
        self.url_field = url_field or None
        self.outputs = _outputs(outputs)
        self.empty: EmptyPolicy = empty
        self.on_error: ErrorPolicy = on_error
        self.error_field = error_field
        self.keep_input = keep_input
        self.stats = stats
        self._warned_no_page = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The pipeline configured from the crawler's ``CLEANARTICLE_*`` settings."""
        settings = crawler.settings
        return cls(
            _cleaner(settings),
            field=str(settings.get("CLEANARTICLE_FIELD", "html")),
            url_field=settings.get("CLEANARTICLE_URL_FIELD", "url"),
            outputs=_dict_or_list(settings, "CLEANARTICLE_OUTPUT_FIELDS", DEFAULT_OUTPUT_FIELDS),
            empty=str(settings.get("CLEANARTICLE_EMPTY", "flag")).lower(),  # type: ignore[arg-type]
            on_error=str(settings.get("CLEANARTICLE_ON_ERROR", "flag")).lower(),  # type: ignore[arg-type]
            error_field=str(settings.get("CLEANARTICLE_ERROR_FIELD", "cleanarticle_error")),
            keep_input=settings.getbool("CLEANARTICLE_KEEP_INPUT", True),
            stats=crawler.stats,
        )

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Clean ``item``'s page; return the item, or raise ``DropItem`` as the settings ask.

        ``spider`` is optional because Scrapy 2.14 stopped passing it to components that do not
        require it (and deprecated requiring it); older Scrapy versions still pass it.
        """
        adapter = ItemAdapter(item)
        page = adapter.get(self.field)
        if page is None:
            self._no_page()
            return item
        url = adapter.get(self.url_field) if self.url_field else None
        if not self.keep_input:
            del adapter[self.field]
        try:
            article = self.cleaner.clean(page, url=url if isinstance(url, str) else None)
        except CleanArticleError as exc:
            reason = f"{type(exc).__name__}: {exc}"
            self._inc("failed")
            self._inc(f"failed/{type(exc).__name__}")
            if self.on_error == "drop":
                self._inc("dropped")
                raise DropItem(f"cleanarticle could not clean {self.field!r}: {reason}") from exc
            self._set(adapter, self.error_field, reason)
            return item
        self._write(adapter, article)
        if article.body:
            self._inc("cleaned")
            return item
        self._inc("empty")
        if self.empty == "drop":
            self._inc("dropped")
            raise DropItem(f"cleanarticle left nothing of {self.field!r}")
        if self.empty == "flag":
            self._set(adapter, self.error_field, "EmptyArticle: nothing was left after cleaning")
        return item

    # ------------------------------------------------------------------ helpers

    def _write(self, adapter: ItemAdapter, article: Article) -> None:
        values: dict[str, Any] = {
            "body": list(article.body),
            "text": article.text,
            "credits": article.credits.to_dict(),
            "removed": [r.to_dict() for r in article.removed],
            "metadata": article.metadata.to_dict(),
            "warnings": list(article.warnings),
        }
        for part, name in self.outputs.items():
            self._set(adapter, name, values[part])

    def _set(self, adapter: ItemAdapter, name: str, value: Any) -> None:
        try:
            adapter[name] = value
        except KeyError as exc:  # an Item class without that field declared
            item_type = type(adapter.item).__name__
            raise ConfigError(
                f"{item_type} has no field {name!r} for cleanarticle to write; declare it"
                f" ({name} = scrapy.Field()) or change CLEANARTICLE_OUTPUT_FIELDS / CLEANARTICLE_ERROR_FIELD"
            ) from exc

    def _no_page(self) -> None:
        self._inc("no_page")
        if not self._warned_no_page:
            self._warned_no_page = True
            logger.warning(
                "cleanarticle: items without a %r field pass through uncleaned (set CLEANARTICLE_FIELD"
                " if the page is elsewhere); this is reported once, and counted as cleanarticle/no_page",
                self.field,
            )

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"{_STATS}/{key}")


def _outputs(spec: Mapping[str, str] | Sequence[str]) -> dict[str, str]:
    """``{part: item field}`` from a list of parts or a mapping; unknown parts are refused."""
    if isinstance(spec, str):
        spec = [spec]
    mapping = {str(k): str(v) for k, v in spec.items()} if isinstance(spec, Mapping) else {p: p for p in spec}
    unknown = sorted(set(mapping) - set(OUTPUT_PARTS))
    if unknown:
        raise ConfigError(
            f"CLEANARTICLE_OUTPUT_FIELDS: unknown part(s) {unknown}; the parts are: {', '.join(OUTPUT_PARTS)}"
        )
    return mapping


def _dict_or_list(settings: BaseSettings, name: str, default: Sequence[str]) -> Mapping[str, str] | list[str]:
    raw = settings.get(name)
    if raw is None:
        return list(default)
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    if isinstance(raw, str) and raw.lstrip().startswith("{"):
        try:
            parsed = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(f"{name} is not a valid JSON object: {exc}") from exc
        if not isinstance(parsed, dict):
            raise ConfigError(f"{name} must be a list of parts or an object of part: field")
        return {str(k): str(v) for k, v in parsed.items()}
    return [str(v) for v in settings.getlist(name)]


def _cleaner(settings: BaseSettings) -> Cleaner:
    """The Cleaner the settings describe: a ready one (``CLEANARTICLE_CLEANER``) or one built here."""
    given = settings.get("CLEANARTICLE_CLEANER")
    if given is not None:
        clashing = [
            f"CLEANARTICLE_{s}" for s in _CLEANER_SETTINGS if settings.get(f"CLEANARTICLE_{s}") is not None
        ]
        if clashing:
            raise ConfigError(f"CLEANARTICLE_CLEANER is set, so leave {', '.join(clashing)} unset")
        cleaner = load_object(given) if isinstance(given, str) else given
        if not isinstance(cleaner, Cleaner):
            raise ConfigError(
                f"CLEANARTICLE_CLEANER must be a cleanarticle.Cleaner, not {type(cleaner).__name__}"
            )
        return cleaner
    kwargs: dict[str, Any] = {}
    languages = settings.get("CLEANARTICLE_LANGUAGES")
    if languages is not None and languages != "auto":
        kwargs["languages"] = tuple(str(v) for v in settings.getlist("CLEANARTICLE_LANGUAGES"))
    if settings.get("CLEANARTICLE_DISABLE") is not None:
        kwargs["disable"] = frozenset(str(v) for v in settings.getlist("CLEANARTICLE_DISABLE"))
    timeout = settings.get("CLEANARTICLE_TIMEOUT")
    if timeout is not None and timeout != "":
        kwargs["timeout"] = settings.getfloat("CLEANARTICLE_TIMEOUT")
    mode: Mode | None = settings.get("CLEANARTICLE_MODE")
    if mode is not None:
        kwargs["mode"] = mode
    metadata = settings.get("CLEANARTICLE_METADATA")
    if metadata is not None:
        kwargs["metadata"] = metadata
    return Cleaner(**kwargs)
