"""The library's typed errors.

Every failure the library reports on purpose is a :class:`CleanArticleError`, so a pipeline can catch
exactly these and let real bugs surface. Each subclass also derives from the builtin a caller would
naturally expect (``TypeError`` for a wrong type, ``ValueError`` for bad values), so existing
``except`` clauses keep working.
"""

from __future__ import annotations


class CleanArticleError(Exception):
    """Base class of every error cleanarticle raises on purpose."""


class InputTypeError(CleanArticleError, TypeError):
    """The input is neither ``str`` nor ``bytes`` (nor ``bytearray``/``memoryview``)."""


class DecodeError(CleanArticleError, ValueError):
    """Bytes could not be decoded with the declared, sniffed or default encodings."""


class InputTooLargeError(CleanArticleError, ValueError):
    """The document exceeds ``Cleaner.max_input_chars``; refused before any work is done."""


class DocumentTimeoutError(CleanArticleError, TimeoutError):
    """Cleaning one document took longer than the ``Cleaner``'s per-document time budget."""


class ConfigError(CleanArticleError, ValueError):
    """A ``Cleaner`` was configured with an unknown filter, language, kind or a malformed rule."""


class UnknownFilterError(ConfigError, KeyError):
    """A filter name that no layer knows; the message lists the valid names."""

    def __str__(self) -> str:  # KeyError would repr() the message otherwise
        return str(self.args[0]) if self.args else ""


class RuleError(ConfigError):
    """A rule pack or a single rule is malformed, or a rule disagrees with its own examples."""
