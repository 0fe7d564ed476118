"""Clean a Spark DataFrame column of HTML pages or texts, in Arrow batches: :func:`clean_column`.

>>> from cleanarticle.contrib.spark import clean_column        # doctest: +SKIP
>>> cleaned = df.withColumn("article", clean_column(df, "html", url_column="url"))  # doctest: +SKIP
>>> cleaned.select("url", "article.text", "article.credits.sources", "article.error")  # doctest: +SKIP

Why the choices here:

- **A pandas UDF**, not a row-at-a-time Python UDF: Spark hands each Python worker whole Arrow
  batches, so the per-row cost is the cleaning, not the JVM-to-Python serialisation. pandas UDFs
  returning this nested struct work on Spark 3.5 and 4.x alike; ``arrow_udf`` would need 4.1.
- **The Cleaner travels once, is built once per Python worker.** The UDF's closure holds a
  :class:`ShippedCleaner`: the Cleaner's pickled configuration (a few hundred bytes). Spark sends the
  closure with every task, but :meth:`ShippedCleaner.get` keeps the rebuilt Cleaner in a per-process
  cache, and Spark reuses its Python workers between tasks (``spark.python.worker.reuse``, on by
  default), so the rule packs are compiled once per worker process, not per task or per row.
  ``cleaner=None`` ships nothing at all: each worker builds the default Cleaner itself, and the
  driver never pays for compiling rules it does not use.
- **A failure is data, not a crash.** One undecodable page among millions must not fail its task
  four times and then the job: the result's ``error`` field carries the same one-line message the
  CLI prints (``DecodeError: ...``; ``BUG (please report): ...`` for an exception that is not a
  :class:`~cleanarticle.errors.CleanArticleError`), and every other field is null.
- **null in, null out**: a null page gives a null struct, as Spark's own functions do.

The result is one struct column, :data:`ARTICLE_TYPE`::

    body      array<string>        the kept paragraphs, verbatim
    text      string               body joined with newlines
    credits   struct<sources, authors, reporters, writers, editors, contributors, photographers,
                     lines: array<string>>
    removed   array<struct<text, kind, filter, rule: string, start, end, paragraph: int>>
    metadata  struct<title, author, date, sitename, url, hostname, language, description: string,
                     categories, tags: array<string>>      (HTML only; trafilatura's findings)
    mode      string               "html" or "text": how the page was read
    warnings  array<string>
    error     string               null unless the page could not be cleaned

HTML pages are large: Spark's default Arrow batch is 10,000 rows, which for 100 KB pages is a 1 GB
batch in one Python worker. Lower ``spark.sql.execution.arrow.maxRecordsPerBatch`` (256 is plenty;
the cleaning, not the batch overhead, dominates) for HTML columns.
"""

from __future__ import annotations

import contextlib
import pickle
import traceback
from collections.abc import Callable
from dataclasses import fields
from typing import Any, cast

from cleanarticle.article import CREDIT_FIELDS, Article, Metadata
from cleanarticle.cleaner import Cleaner, default_cleaner
from cleanarticle.contrib import missing_extra
from cleanarticle.errors import CleanArticleError, ConfigError
from cleanarticle.source import Mode

try:
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]
    from pyspark.sql import Column, DataFrame
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
    from pyspark.sql.pandas.functions import pandas_udf
except ImportError as exc:  # pragma: no cover - exercised only where the extra is missing
    raise ImportError(missing_extra("PySpark with pandas and pyarrow", "spark", exc)) from exc

__all__ = [
    "ARTICLE_FIELDS",
    "ARTICLE_TYPE",
    "CREDITS_TYPE",
    "METADATA_TYPE",
    "REMOVAL_TYPE",
    "ShippedCleaner",
    "article_row",
    "clean_column",
    "clean_row",
    "error_row",
]


def _strings() -> T.ArrayType:
    return T.ArrayType(T.StringType())


#: ``credits``: one array of names per role, plus the raw credit ``lines``.
CREDITS_TYPE = T.StructType([T.StructField(name, _strings()) for name in (*CREDIT_FIELDS, "lines")])

#: One element of ``removed``. ``start``/``end``/``paragraph`` are null for DOM removals.
REMOVAL_TYPE = T.StructType(
    [
        T.StructField("text", T.StringType()),
        T.StructField("kind", T.StringType()),
        T.StructField("filter", T.StringType()),
        T.StructField("rule", T.StringType()),
        T.StructField("start", T.IntegerType()),
        T.StructField("end", T.IntegerType()),
        T.StructField("paragraph", T.IntegerType()),
    ]
)

# Derived from the dataclass, so a metadata field added to the core shows up here too: tuple fields
# (default ``()``) are arrays of strings, the others strings.
_METADATA_ARRAYS = frozenset(f.name for f in fields(Metadata) if f.default == ())

#: ``metadata``: what trafilatura found about an HTML page (all null for text input).
METADATA_TYPE = T.StructType(
    [
        T.StructField(f.name, _strings() if f.name in _METADATA_ARRAYS else T.StringType())
        for f in fields(Metadata)
    ]
)

#: The struct :func:`clean_column` returns (see the module docstring).
ARTICLE_TYPE = T.StructType(
    [
        T.StructField("body", _strings()),
        T.StructField("text", T.StringType()),
        T.StructField("credits", CREDITS_TYPE),
        T.StructField("removed", T.ArrayType(REMOVAL_TYPE)),
        T.StructField("metadata", METADATA_TYPE),
        T.StructField("mode", T.StringType()),
        T.StructField("warnings", _strings()),
        T.StructField("error", T.StringType()),
    ]
)

#: The field names of :data:`ARTICLE_TYPE`, in order.
ARTICLE_FIELDS: tuple[str, ...] = tuple(ARTICLE_TYPE.fieldNames())


# ---------------------------------------------------------------------------------- rows


def article_row(article: Article) -> dict[str, Any]:
    """An Article as a dict in the shape of :data:`ARTICLE_TYPE` (plain lists and dicts)."""
    return {
        "body": list(article.body),
        "text": article.text,
        "credits": article.credits.to_dict(),
        "removed": [
            {
                "text": r.text,
                "kind": r.kind.value,
                "filter": r.filter,
                "rule": r.rule,
                "start": r.start,
                "end": r.end,
                "paragraph": r.paragraph,
            }
            for r in article.removed
        ],
        "metadata": article.metadata.to_dict(),
        "mode": article.mode,
        "warnings": list(article.warnings),
        "error": None,
    }


def error_row(exc: BaseException) -> dict[str, Any]:
    """The row of a page that could not be cleaned: every field null but ``error``.

    The message is the one the CLI prints for the same failure, so logs and tables read alike: a
    :class:`~cleanarticle.errors.CleanArticleError` is ``Type: message``; anything else is a defect
    and says so, with the place it was raised.
    """
    row: dict[str, Any] = dict.fromkeys(ARTICLE_FIELDS)
    text = f"{type(exc).__name__}: {exc}"
    if not isinstance(exc, CleanArticleError):
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" [at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}]" if frames else ""
        text = f"BUG (please report): {text}{where}"
    row["error"] = text
    return row


def clean_row(
    cleaner: Cleaner,
    page: str | bytes,
    *,
    url: str | None = None,
    mode: Mode | None = None,
    charset: str | None = None,
) -> dict[str, Any]:
    """Clean one page into a row of :data:`ARTICLE_TYPE`; never raises for a bad page.

    ``charset`` is a transport's hint (an HTTP ``Content-Type`` charset, as a WARC record carries):
    bytes are decoded with it when it works and the Cleaner has no ``encoding`` of its own, and left
    to the Cleaner's own sniffing otherwise (a wrong or unknown label is common on the web). This is
    what the CLI does with WARC records, so both give the same text for the same record.
    """
    try:
        if isinstance(page, bytes) and charset and not cleaner.encoding:
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                page = page.decode(charset).lstrip("\ufeff")
        return article_row(cleaner.clean(page, url=url, mode=mode))
    except Exception as exc:  # a batch goes on past any one page; error_row says whose fault it was
        return error_row(exc)


# ---------------------------------------------------------------------------------- the Cleaner


_WORKER_CLEANERS: dict[bytes, Cleaner] = {}


class ShippedCleaner:
    """A Cleaner on its way to the executors: pickled once on the driver, rebuilt once per process.

    Spark pickles a UDF's closure into every task. A Cleaner pickles as its configuration and is
    rebuilt on unpickling, so shipping one directly would rebuild it for every task; this wrapper
    ships the configuration as bytes and keeps the rebuilt Cleaner in a per-process cache keyed by
    those bytes, so a reused Python worker builds it once. ``None`` stands for the default Cleaner,
    built on the worker (the driver then never compiles the rule packs).
    """

    __slots__ = ("_blob",)

    def __init__(self, cleaner: Cleaner | None = None) -> None:
        if cleaner is not None and not isinstance(cleaner, Cleaner):
            raise ConfigError(f"cleaner must be a cleanarticle.Cleaner or None, not {type(cleaner).__name__}")
        self._blob = b"" if cleaner is None else pickle.dumps(cleaner, protocol=pickle.HIGHEST_PROTOCOL)

    def __getstate__(self) -> bytes:
        return self._blob

    def __setstate__(self, state: bytes) -> None:
        self._blob = state

    def get(self) -> Cleaner:
        """The Cleaner, built on first use in this process and cached for the next tasks."""
        found = _WORKER_CLEANERS.get(self._blob)
        if found is None:
            found = default_cleaner() if not self._blob else pickle.loads(self._blob)
            _WORKER_CLEANERS[self._blob] = found
        return found


# ---------------------------------------------------------------------------------- the column


def clean_column(
    df: DataFrame,
    column: str,
    *,
    cleaner: Cleaner | None = None,
    mode: Mode | None = None,
    url_column: str | None = None,
) -> Column:
    """A struct column (:data:`ARTICLE_TYPE`) with ``column`` of ``df`` cleaned, row by row.

    Args:
        df: the DataFrame ``column`` belongs to; its schema is checked here, on the driver, so a
            wrong column name or type fails at once rather than in the executors mid-job.
        column: a ``string`` column (HTML or extracted text) or a ``binary`` one (raw page bytes,
            decoded by the Cleaner: BOM, the page's declared charset, UTF-8, windows-1252).
        cleaner: the configuration to clean with (default: :func:`cleanarticle.default_cleaner`).
        mode: ``"html"``, ``"text"`` or ``"auto"`` for every row (default: the Cleaner's ``mode``).
        url_column: a ``string`` column with each page's URL, passed to trafilatura.

    Returns:
        A Column to ``select`` or ``withColumn``; null where ``column`` is null.
    """
    _check_type(df, column, (T.StringType, T.BinaryType))
    if url_column is not None:
        _check_type(df, url_column, (T.StringType,))
    if mode is not None and mode not in ("auto", "html", "text"):
        raise ConfigError(f"mode must be 'auto', 'html' or 'text', not {mode!r}")
    shipped = ShippedCleaner(cleaner)
    if url_column is None:
        cleaned = _pages_udf(shipped, mode)(df[column])
    else:
        cleaned = _pages_urls_udf(shipped, mode)(df[column], df[url_column])
    return F.when(df[column].isNull(), F.lit(None).cast(ARTICLE_TYPE)).otherwise(cleaned)


def _check_type(df: DataFrame, column: str, allowed: tuple[type[T.DataType], ...]) -> None:
    try:
        data_type = df.select(df[column]).schema.fields[0].dataType
    except Exception as exc:  # AnalysisException and friends; their text names the columns there are
        raise ConfigError(f"no column {column!r} in the DataFrame: {exc}") from exc
    if not isinstance(data_type, allowed):
        names = " or ".join(t.typeName() for t in allowed)
        raise ConfigError(f"column {column!r} must be {names}, not {data_type.simpleString()}")


def _pages_udf(shipped: ShippedCleaner, mode: Mode | None) -> Callable[..., Column]:
    def clean_pages(pages: pd.Series) -> pd.DataFrame:
        return _clean_batch(shipped.get(), pages.tolist(), None, mode)

    return _make_pandas_udf(clean_pages)


def _pages_urls_udf(shipped: ShippedCleaner, mode: Mode | None) -> Callable[..., Column]:
    def clean_pages_urls(pages: pd.Series, urls: pd.Series) -> pd.DataFrame:
        return _clean_batch(shipped.get(), pages.tolist(), urls.tolist(), mode)

    return _make_pandas_udf(clean_pages_urls)


def _make_pandas_udf(function: Callable[..., pd.DataFrame]) -> Callable[..., Column]:
    """A scalar pandas UDF returning :data:`ARTICLE_TYPE`, its kind inferred from the type hints.

    PySpark's stubs overload ``pandas_udf`` on pandas' types, which mypy cannot see without pandas
    stubs; going through ``Any`` here keeps that blind spot to one line.
    """
    make: Any = pandas_udf
    return cast("Callable[..., Column]", make(function, ARTICLE_TYPE))


def _clean_batch(
    cleaner: Cleaner, pages: list[Any], urls: list[Any] | None, mode: Mode | None
) -> pd.DataFrame:
    """One Arrow batch: a pandas DataFrame with one column per :data:`ARTICLE_TYPE` field.

    Nulls reach pandas as None or NaN (pandas 3's string dtype); both mean "no page" here, and the
    ``when`` around the UDF turns such a row into a null struct.
    """
    columns: dict[str, list[Any]] = {name: [] for name in ARTICLE_FIELDS}
    empty: dict[str, Any] = dict.fromkeys(ARTICLE_FIELDS)
    for i, page in enumerate(pages):
        url = urls[i] if urls is not None else None
        if isinstance(page, bytearray | memoryview):
            page = bytes(page)
        if isinstance(page, str | bytes):
            row = clean_row(cleaner, page, url=url if isinstance(url, str) else None, mode=mode)
        else:
            row = empty
        for name in ARTICLE_FIELDS:
            columns[name].append(row[name])
    return pd.DataFrame(columns)
