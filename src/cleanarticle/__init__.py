"""cleanarticle: strip boilerplate out of news articles, keep the credits as data, explain every cut.

>>> import cleanarticle
>>> article = cleanarticle.clean("advertisement\\nThe council met on Monday.\\n(With inputs from PTI)")
>>> article.body
('The council met on Monday.',)
>>> article.credits.sources
('PTI',)
>>> [(r.kind.value, r.text) for r in article.removed]
[('ad', 'advertisement'), ('credit', '(With inputs from PTI)')]
"""

from cleanarticle.article import (
    CREDIT_FIELDS,
    Article,
    Credits,
    Kind,
    Metadata,
    Removal,
    apply_removals,
)
from cleanarticle.cleaner import BUILTIN_FILTERS, Cleaner, clean, clean_many, default_cleaner
from cleanarticle.credits import parse_credit_line
from cleanarticle.errors import (
    CleanArticleError,
    ConfigError,
    DecodeError,
    DocumentTimeoutError,
    InputTooLargeError,
    InputTypeError,
    RuleError,
    UnknownFilterError,
)
from cleanarticle.layers.base import Finding, Line, TextContext, TextFilter, whole_line
from cleanarticle.profiles import (
    ProfileLearner,
    SiteProfile,
    TemplateFilter,
    load_profiles,
    merge_profiles,
    save_profiles,
)
from cleanarticle.rules import LANGUAGES, Rule

__version__ = "0.1.0"

__all__ = [
    "BUILTIN_FILTERS",
    "CREDIT_FIELDS",
    "LANGUAGES",
    "Article",
    "CleanArticleError",
    "Cleaner",
    "ConfigError",
    "Credits",
    "DecodeError",
    "DocumentTimeoutError",
    "Finding",
    "InputTooLargeError",
    "InputTypeError",
    "Kind",
    "Line",
    "Metadata",
    "ProfileLearner",
    "Removal",
    "Rule",
    "RuleError",
    "SiteProfile",
    "TemplateFilter",
    "TextContext",
    "TextFilter",
    "UnknownFilterError",
    "__version__",
    "apply_removals",
    "clean",
    "clean_many",
    "default_cleaner",
    "load_profiles",
    "merge_profiles",
    "parse_credit_line",
    "save_profiles",
    "whole_line",
]
