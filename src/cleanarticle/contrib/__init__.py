"""Adapters for crawling and batch frameworks, each behind its own optional extra.

- :mod:`cleanarticle.contrib.scrapy`: an item pipeline (``pip install 'cleanarticle[scrapy]'``);
- :mod:`cleanarticle.contrib.spark`: a DataFrame column cleaner (``pip install 'cleanarticle[spark]'``).

This package imports nothing itself: ``import cleanarticle`` (and ``import cleanarticle.contrib``)
must stay free of Scrapy and PySpark, which are heavy, slow to import and absent from most installs.
Each adapter imports its framework when the adapter module itself is imported, and says which extra
to install when the framework is missing. See docs/integrations.md.
"""

from __future__ import annotations


def missing_extra(framework: str, extra: str, exc: ImportError) -> str:
    """The message for a missing framework: which extra installs it, then the original error.

    A bare ``No module named 'scrapy'`` does not tell a user that cleanarticle has an extra for it.
    """
    return f"cleanarticle.contrib.{extra} needs {framework}: pip install 'cleanarticle[{extra}]' ({exc})"
