"""The :class:`Cleaner`: a configuration, and the chain of layers it runs on one document.

HTML: decode → parse once → DOM layer prunes containers → trafilatura extracts the main text → text
filters. Text: the text filters alone. The text filters are a fold: each sees the lines and the
whole-line decisions so far and returns findings; the body is then built by replaying the removals
(:func:`~cleanarticle.article.apply_removals`), so the explanation *is* the output, not a report
beside it.

A Cleaner is a frozen dataclass: cheap to build (rule packs are compiled once per process and shared),
safe to share between threads (``clean`` keeps all state on its own stack) and picklable for process
pools and Spark.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from cleanarticle.article import Article, Kind, Metadata, Removal, apply_removals, split_lines
from cleanarticle.credits import merge_names
from cleanarticle.errors import (
    ConfigError,
    DocumentTimeoutError,
    InputTooLargeError,
    InputTypeError,
    UnknownFilterError,
)
from cleanarticle.language import detect_languages
from cleanarticle.layers import dom as dom_layer
from cleanarticle.layers import extract as extract_layer
from cleanarticle.layers.base import Finding, Line, SpanSet, TextContext, TextFilter
from cleanarticle.layers.blocks import (
    AboutSectionFilter,
    BylineFilter,
    CaptionFilter,
    DatelineFilter,
    HeadlineFilter,
    ListFilter,
    RuleBlockFilter,
)
from cleanarticle.layers.inline import RuleInlineFilter
from cleanarticle.layers.matching import first_block_match, inline_cuts, names_of
from cleanarticle.rules import LANGUAGES, Rule, RuleSet, load_packs, rule_from_mapping
from cleanarticle.source import Mode, coerce, decode, looks_like_html

#: how much page metadata HTML mode reads (see Cleaner)
MetadataLevel = Literal["fast", "full"]

if TYPE_CHECKING:  # the profiles module imports the layers, so only the type comes in here
    from cleanarticle.profiles import SiteProfile

#: The built-in filters, in the order they run. ``dom`` acts on HTML only.
BUILTIN_FILTERS: tuple[str, ...] = (
    "dom", "headline", "blocks", "lists", "captions", "bylines", "sections", "datelines", "inline",
)

#: Inputs longer than this many characters (or bytes) are refused with InputTooLargeError.
MAX_INPUT_CHARS_DEFAULT = 50_000_000


@dataclass(frozen=True, slots=True)
class _Placement:
    filter: TextFilter
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class Cleaner:
    """Configuration for cleaning, and :meth:`clean` to apply it.

    Args:
        languages: rule packs to run. ``"auto"`` (the default) runs English plus the packs whose
            stopwords are frequent in the document (see :mod:`cleanarticle.language`); a tuple of
            codes runs exactly those packs on every document.
        disable: names of built-in or added filters to switch off (see :attr:`filter_names`).
        disable_rules: rule ids to switch off (see ``cleanarticle rules`` or :attr:`rules`).
        rules: extra rules, as :class:`~cleanarticle.rules.Rule` objects or plain mappings.
        mode: ``"auto"`` (sniff HTML vs text), ``"html"`` or ``"text"``.
        timeout: per-document time budget in seconds; past it :class:`DocumentTimeoutError` is raised.
            The budget is checked between layers and bounds every regex; trafilatura's extraction
            itself cannot be interrupted, so one extraction may overrun it before the error comes.
        max_input_chars: larger inputs are refused up front with :class:`InputTooLargeError`.
        encoding: encoding of ``bytes`` input, when known (otherwise BOM, declared charset, UTF-8).
        errors: ``"strict"`` raises :class:`DecodeError` on undecodable bytes; ``"replace"`` decodes
            with U+FFFD replacement characters.
        include_tables: let trafilatura keep tables of the main content.
        metadata: how much page metadata HTML mode reads. ``"fast"`` (the default): what the page
            declares (meta tags, JSON-LD, title, canonical URL, site name, date). ``"full"``:
            trafilatura's complete search, which also finds authors in the markup's bylines and
            categories and tags, at about a third of an extraction's cost more per page.
    """

    languages: tuple[str, ...] | str = "auto"
    disable: frozenset[str] = frozenset()
    disable_rules: frozenset[str] = frozenset()
    rules: tuple[Rule, ...] = ()
    mode: Mode = "auto"
    timeout: float | None = None
    max_input_chars: int = MAX_INPUT_CHARS_DEFAULT
    encoding: str | None = None
    errors: str = "strict"
    include_tables: bool = True
    metadata: MetadataLevel = "fast"
    added_filters: tuple[_Placement, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        auto = self.languages == "auto"
        if auto:
            langs = LANGUAGES
        else:
            langs = (self.languages,) if isinstance(self.languages, str) else tuple(self.languages)
            if not langs:
                raise ConfigError("languages must name at least one rule pack, or be 'auto'")
            object.__setattr__(self, "languages", langs)
        object.__setattr__(self, "disable", frozenset(self.disable))
        object.__setattr__(self, "disable_rules", frozenset(self.disable_rules))
        object.__setattr__(
            self,
            "rules",
            tuple(r if isinstance(r, Rule) else rule_from_mapping(r) for r in self.rules),
        )
        if self.mode not in ("auto", "html", "text"):
            raise ConfigError(f"mode must be 'auto', 'html' or 'text', not {self.mode!r}")
        if self.errors not in ("strict", "replace"):
            raise ConfigError(f"errors must be 'strict' or 'replace', not {self.errors!r}")
        if self.metadata not in extract_layer.METADATA_LEVELS:
            raise ConfigError(f"metadata must be 'fast' or 'full', not {self.metadata!r}")
        if self.timeout is not None and self.timeout <= 0:
            raise ConfigError("timeout must be a positive number of seconds or None")
        names = self.filter_names_all
        unknown = self.disable - set(names)
        if unknown:
            raise UnknownFilterError(
                f"unknown filter(s) {sorted(unknown)}; the filters are: {', '.join(names)}"
            )
        ruleset = RuleSet(load_packs(langs), self.rules, self.disable_rules)
        object.__setattr__(self, "_ruleset", ruleset)
        object.__setattr__(self, "_auto", auto)
        object.__setattr__(self, "_subsets", {})  # languages -> RuleSet, filled as documents come
        object.__setattr__(self, "_names", tuple(n for n in names if n not in self.disable))
        chain = self._build_chain()
        object.__setattr__(self, "_chain", chain)
        # text mode skips the headline filter (there is no title to compare with)
        object.__setattr__(self, "_text_chain", tuple(f for f in chain if not isinstance(f, HeadlineFilter)))

    # ------------------------------------------------------------------ configuration

    @property
    def filter_names_all(self) -> tuple[str, ...]:
        """Every filter in chain order, switched off or not."""
        order = list(BUILTIN_FILTERS)
        for placement in self.added_filters:
            name = placement.filter.name
            if not name or name in order:
                raise ConfigError(f"a filter needs a unique, non-empty name; got {name!r}")
            anchor = placement.before or placement.after
            if anchor is not None and anchor not in order:
                raise UnknownFilterError(
                    f"unknown filter {anchor!r} to place {name!r} next to; the filters are: {', '.join(order)}"
                )
            if placement.before:
                order.insert(order.index(placement.before), name)
            elif placement.after:
                order.insert(order.index(placement.after) + 1, name)
            else:
                order.append(name)
        return tuple(order)

    @property
    def filter_names(self) -> tuple[str, ...]:
        """The filters that run, in order."""
        return self._names  # type: ignore[attr-defined, no-any-return]

    @property
    def ruleset(self) -> RuleSet:
        """The rules this Cleaner runs (packs + extra rules − disabled ids)."""
        return self._ruleset  # type: ignore[attr-defined, no-any-return]

    def rules_for(self, text: str) -> RuleSet:
        """The rules this Cleaner runs on ``text`` (with ``languages="auto"``, chosen per document)."""
        if not self._auto:  # type: ignore[attr-defined]
            return self.ruleset
        langs = detect_languages(text, LANGUAGES)
        subsets: dict[tuple[str, ...], RuleSet] = self._subsets  # type: ignore[attr-defined]
        found = subsets.get(langs)
        if found is None:
            found = subsets[langs] = self.ruleset.subset(langs)
        return found

    def _build_chain(self) -> tuple[TextFilter, ...]:
        builtins: dict[str, TextFilter] = {
            "headline": HeadlineFilter(),
            "blocks": RuleBlockFilter(),
            "lists": ListFilter(),
            "captions": CaptionFilter(),
            "bylines": BylineFilter(),
            "sections": AboutSectionFilter(),
            "datelines": DatelineFilter(),
            "inline": RuleInlineFilter(),
        }
        added = {p.filter.name: p.filter for p in self.added_filters}
        chain = []
        for name in self.filter_names:
            if name == "dom":
                continue
            chain.append(builtins[name] if name in builtins else added[name])
        return tuple(chain)

    def without(self, *names: str) -> Cleaner:
        """A copy with these filters switched off."""
        return replace(self, disable=self.disable | set(names))

    def with_filter(self, text_filter: TextFilter, *, before: str | None = None, after: str | None = None) -> Cleaner:
        """A copy with ``text_filter`` added to the chain (at the end unless ``before``/``after``)."""
        if before and after:
            raise ConfigError("give before= or after=, not both")
        if not isinstance(text_filter, TextFilter):
            raise ConfigError("a filter must subclass cleanarticle.TextFilter")
        return replace(self, added_filters=(*self.added_filters, _Placement(text_filter, before, after)))

    def with_profiles(
        self,
        profiles: Mapping[str, SiteProfile] | Iterable[SiteProfile],
        *,
        default_host: str | None = None,
    ) -> Cleaner:
        """A copy that removes learned site templates (see :mod:`cleanarticle.profiles`), after ``blocks``."""
        from cleanarticle.profiles import TemplateFilter  # the profiles module imports the layers

        return self.with_filter(TemplateFilter(profiles, default_host=default_host), after="blocks")

    def with_rules(self, *rules: Rule | Mapping[str, Any]) -> Cleaner:
        """A copy that also runs these rules (Rule objects or mappings in the rule-pack format)."""
        new = tuple(r if isinstance(r, Rule) else rule_from_mapping(r) for r in rules)
        return replace(self, rules=(*self.rules, *new))

    def clear_caches(self) -> None:
        """Forget what was remembered from documents already seen: the trigger hits of paragraphs
        and the DOM layer's verdicts on class names (process-wide). Results never depend on these
        caches, only speed does; benchmarks clear them to time every page as a new one."""
        for ruleset in (self.ruleset, *self._subsets.values()):  # type: ignore[attr-defined]
            ruleset.clear_caches()
        dom_layer.clear_caches()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._config(),))

    def _config(self) -> dict[str, Any]:
        return {
            "languages": self.languages,
            "disable": self.disable,
            "disable_rules": self.disable_rules,
            "rules": self.rules,
            "mode": self.mode,
            "timeout": self.timeout,
            "max_input_chars": self.max_input_chars,
            "encoding": self.encoding,
            "errors": self.errors,
            "include_tables": self.include_tables,
            "metadata": self.metadata,
            "added_filters": self.added_filters,
        }

    # ------------------------------------------------------------------ cleaning

    def clean(self, page: str | bytes, *, url: str | None = None, mode: Mode | None = None) -> Article:
        """Clean one page (HTML) or one extracted text; see the module docstring for the chain."""
        started = time.monotonic()
        deadline = started + self.timeout if self.timeout is not None else None
        data = coerce(page)
        if len(data) > self.max_input_chars:
            raise InputTooLargeError(
                f"input of {len(data):,} characters exceeds max_input_chars={self.max_input_chars:,}"
            )
        mode = mode or self.mode
        if mode not in ("auto", "html", "text"):  # a typo must not quietly clean a page as text
            raise ConfigError(f"mode must be 'auto', 'html' or 'text', not {mode!r}")
        if url is not None and not isinstance(url, str):  # trafilatura failed on it with AttributeError
            raise InputTypeError(f"url must be a str or None, not {type(url).__name__}")
        if isinstance(data, bytes):
            data = decode(
                data,
                encoding=self.encoding,
                html=None if mode == "auto" else mode == "html",
                errors=self.errors,
            )
        if mode == "auto":
            mode = "html" if looks_like_html(data) else "text"
        if mode == "html":
            return self._clean_html(data, url, deadline)
        return self._clean_text(data, Metadata(url=url), "text", deadline, ())

    def _clean_html(self, text: str, url: str | None, deadline: float | None) -> Article:
        parse_warnings: list[str] = []
        tree = extract_layer.parse_html(text, parse_warnings)
        _check(deadline, "the HTML parser")
        dom_removals: list[Removal] = []
        if "dom" in self.filter_names:
            dom_removals = dom_layer.prune(tree, dom_layer.load_dom_rules())
        _check(deadline, "the DOM layer")
        extracted, metadata = extract_layer.extract(
            tree, url=url, include_tables=self.include_tables, metadata=self.metadata
        )
        _check(deadline, "extraction")
        article = self._clean_text(extracted, metadata, "html", deadline, tuple(dom_removals))
        if parse_warnings:  # text lost to a parser limit is reported, never silent
            article = replace(article, warnings=(*parse_warnings, *article.warnings))
        return article

    def _clean_text(
        self,
        text: str,
        metadata: Metadata,
        mode: str,
        deadline: float | None,
        dom_removals: tuple[Removal, ...],
    ) -> Article:
        spans, lines = _lines_of(text)
        ctx = TextContext(
            lines=lines,
            source_text=text,
            metadata=metadata,
            mode=mode,
            deadline=deadline,
            rules=self.rules_for(text),
        )
        decided: dict[int, Finding] = {}
        cuts: dict[int, SpanSet] = {}
        findings: list[Finding] = []
        warnings: list[str] = []
        view = MappingProxyType(decided)
        chain = self._chain if mode == "html" else self._text_chain  # type: ignore[attr-defined]
        for text_filter in chain:
            for finding in text_filter.find(ctx, view, warnings):
                line = _valid(finding, lines, text_filter)
                if line.index in decided:
                    continue
                if finding.remove:
                    if not cuts.setdefault(line.index, SpanSet()).add(finding.start, finding.end):
                        continue
                    if finding.start <= line.start and finding.end >= line.end:
                        decided[line.index] = finding
                findings.append(finding)
            if deadline is not None:
                _check(deadline, f"the {text_filter.name!r} filter")
        if "inline" in self.filter_names:
            findings.extend(_settle(ctx, cuts, decided, warnings))
        findings.sort(key=lambda f: (f.start, f.end))
        removals = tuple(
            Removal(
                text=text[f.start : f.end],
                kind=f.kind,
                filter=f.filter,
                rule=f.rule,
                start=f.start,
                end=f.end,
                paragraph=f.paragraph,
            )
            for f in findings
            if f.remove
        )
        credited = [f for f in findings if f.names]
        credits = merge_names((f.names for f in credited), (text[f.start : f.end].strip() for f in credited))
        return Article(
            body=apply_removals(text, removals, lines=spans),
            credits=credits,
            removed=dom_removals + removals,
            metadata=metadata,
            mode=mode,
            source_text=text,
            warnings=tuple(warnings),
        )


#: rounds of the settling pass (each round can only act on what the previous one cut)
MAX_SETTLE_ROUNDS = 3


def _settle(
    ctx: TextContext, cuts: dict[int, SpanSet], decided: dict[int, Finding], warnings: list[str]
) -> list[Finding]:
    """Settle paragraphs that lost a fragment, so that cleaning the output again removes nothing more.

    A cut can leave what a rule would have taken on its own: "Newsletter (With inputs from PTI)"
    leaves the label "Newsletter"; an appeal just over a rule's ``max_chars`` fits under it once its
    glued credit is gone; "Advertisement Advertisement" glued between two sentences loses one marker
    per pass. So the remainder of each cut paragraph (its pieces joined as the body will show them) is
    checked again with the block and inline rules, mapped back to source offsets, a few rounds at most.
    """
    rules = ctx.rules
    if rules is None:
        return []
    text = ctx.source_text
    out: list[Finding] = []
    for _ in range(MAX_SETTLE_ROUNDS):
        added = False
        for line in ctx.lines:
            spans = cuts.get(line.index)
            if spans is None or line.index in decided or not spans:
                continue
            pieces = _pieces(text, line, spans)
            if not pieces:
                continue
            remainder = " ".join(text[s:e] for s, e in pieces)
            offsets: list[tuple[int, int, int]] = []  # (start in remainder, start in source, length)
            pos = 0
            for s, e in pieces:
                offsets.append((pos, s, e - s))
                pos += e - s + 1
            timeout = ctx.regex_timeout()
            hit = first_block_match(rules, remainder, timeout, warnings, line.index)
            if hit is not None:
                rule, match = hit
                names = names_of(rule, match, rules)
                for i, (s, e) in enumerate(pieces):
                    spans.add(s, e)
                    out.append(Finding(line.index, s, e, rule.kind, rule.id, "inline", names if i == 0 else {}))
                decided[line.index] = out[-1]
                added = True
                continue
            for rule, m, a, b in inline_cuts(rules, remainder, timeout, warnings, line.index):
                source = _to_source(offsets, a, b)
                if source is None or not spans.add(*source):
                    continue
                out.append(
                    Finding(line.index, source[0], source[1], rule.kind, rule.id, "inline", names_of(rule, m, rules))
                )
                added = True
        if not added:
            break
    return out




def _pieces(text: str, line: Line, spans: SpanSet) -> list[tuple[int, int]]:
    """The kept, non-blank pieces of a paragraph, each stripped of edge whitespace."""
    out = []
    pos = line.start
    for s, e in [*spans.items(), (line.end, line.end)]:
        if s > pos:
            piece = text[pos:s]
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                out.append((pos + lead, pos + lead + len(stripped)))
        pos = max(pos, e)
    return out


def _to_source(offsets: list[tuple[int, int, int]], a: int, b: int) -> tuple[int, int] | None:
    """A remainder span mapped back to the source, when it lies inside one piece."""
    for start, source, length in offsets:
        if start <= a and b <= start + length:
            return source + a - start, source + b - start
    return None


def _rebuild(config: dict[str, Any]) -> Cleaner:
    return Cleaner(**config)


def _lines_of(text: str) -> tuple[list[tuple[int, int]], tuple[Line, ...]]:
    """The spans of ``text``'s lines (:func:`split_lines`) and their :class:`Line`: stripped text
    and its offsets. Without a carriage return both come out of one ``str.split`` (each line's text
    is then the piece split made, not a second slice of ``text``)."""
    if "\r" in text:
        spans = split_lines(text)
        return spans, tuple(_line(i, text[s:e], s, e) for i, (s, e) in enumerate(spans))
    spans = []
    lines = []
    start = 0
    for i, raw in enumerate(text.split("\n")):
        end = start + len(raw)
        spans.append((start, end))
        lines.append(_line(i, raw, start, end))
        start = end + 1
    return spans, tuple(lines)


def _line(index: int, raw: str, start: int, end: int) -> Line:
    """The line ``raw`` found at ``start:end`` of the text, stripped."""
    if raw and not raw[0].isspace() and not raw[-1].isspace():
        return Line(index, start, end, raw)  # most lines: nothing to strip
    stripped = raw.strip()
    if not stripped:
        return Line(index, start, start, "")
    lead = len(raw) - len(raw.lstrip())
    return Line(index, start + lead, start + lead + len(stripped), stripped)


def _valid(finding: Finding, lines: Sequence[Line], text_filter: TextFilter) -> Line:
    if not 0 <= finding.paragraph < len(lines):
        raise ConfigError(f"filter {text_filter.name!r} returned a finding for a paragraph that does not exist")
    line = lines[finding.paragraph]
    if not (line.start <= finding.start <= finding.end <= line.end):
        raise ConfigError(f"filter {text_filter.name!r} returned a span outside its paragraph")
    if not isinstance(finding.kind, Kind):
        raise ConfigError(f"filter {text_filter.name!r} returned a finding without a Kind")
    return line


def _check(deadline: float | None, where: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise DocumentTimeoutError(f"the document exceeded its time budget in {where}")


_DEFAULT: Cleaner | None = None


def default_cleaner() -> Cleaner:
    """The shared default Cleaner (built on first use; immutable, so sharing is safe)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Cleaner()
    return _DEFAULT


def clean(page: str | bytes, *, url: str | None = None, mode: Mode | None = None) -> Article:
    """Clean ``page`` (HTML or extracted text, ``str`` or ``bytes``) with the default Cleaner."""
    return default_cleaner().clean(page, url=url, mode=mode)


def clean_many(pages: Iterable[str | bytes], cleaner: Cleaner | None = None) -> Iterable[Article]:
    """Clean pages one after another with one Cleaner (a generator: memory stays flat)."""
    c = cleaner or default_cleaner()
    for page in pages:
        yield c.clean(page)
