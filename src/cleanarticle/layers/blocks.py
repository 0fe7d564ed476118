"""Whole-paragraph filters: each decides that a line is boilerplate, and says which kind and why.

- :class:`RuleBlockFilter` runs the block rules of the language packs (first match wins, in pack order).
- :class:`ListFilter` takes the teaser headlines and tags that follow a "Related"/"Topics" label.
- :class:`BylineFilter` takes a line that is only a person's name, at the top or bottom.
- :class:`AboutSectionFilter` takes a trailing press-release "About <Company>" section, and a second
  copy of the text printed again under it.
- :class:`HeadlineFilter` (HTML mode) takes the title or standfirst repeated at the top of the text,
  and the title printed again word for word further down (a teaser of the same story).
- :class:`DatelineFilter` reads the agency out of a dateline; the dateline itself stays in the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import regex

from cleanarticle.article import Kind
from cleanarticle.credits import is_agency, is_title, looks_like_outlet, looks_like_person, names_from_match
from cleanarticle.layers.base import Finding, Line, TextContext, TextFilter, whole_line
from cleanarticle.layers.matching import first_block_match, names_of, timeout_warning


def _warn_timeout(warnings: list[str], rule_id: str, line: Line) -> None:
    warnings.append(timeout_warning(rule_id, line.index))


class RuleBlockFilter(TextFilter):
    """Block rules from the packs: a paragraph the pattern is found in is removed whole."""

    name = "blocks"
    layer = "block"

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        rules = ctx.rules
        if rules is None:
            return
        longest = rules.block_max_chars
        for line in ctx.lines:
            n = len(line.text)
            if not n or n > longest or line.index in decided:
                continue
            matchers = rules.matchers("block", line.text)
            if not matchers:
                continue  # most paragraphs: no block rule can match
            timeout = ctx.regex_timeout()  # per line searched: the document's time budget is checked here too
            hit = first_block_match(rules, line.text, timeout, warnings, line.index, matchers)
            if hit is not None:
                rule, m = hit
                yield whole_line(line, rule.kind, rule.id, self.name, **names_of(rule, m, rules))


# A label alone on its line ("Also Read", "RELATED STORIES:", "Explore more on these topics") opens a list.
# (Not one that opens a brace or bracket: `"Comment": {` is a line of code, and the lines under it are too.)
_LABEL_ONLY = regex.compile(r"^[\W_]*[\p{L}\p{M}'’ ]{2,40}[\W_]*(?<![{\[(])$")
# A line that reads like a teaser headline: short and without sentence-final punctuation.
_TEASER = regex.compile(r"^(?!.*[.!?;:।]['\"’”]?$).{8,180}$", regex.DOTALL)
# Furniture inside such a box: a page number, "Previous", "Next", a one-to-four-word tag.
_TAG = regex.compile(r"^(?!.*[.!?;:,।]$)[\p{L}\p{M}\d'’&\- ]{1,30}$")
_PAGER = regex.compile(r"^(?:\d{1,3}|previous|prev|next|more|see all|view all|show more|load more)$", regex.I)
MAX_LIST_ITEMS = 12


class ListFilter(TextFilter):
    """The items under a related-links or topics label, until the first line that reads as prose.

    After a ``related`` label, teaser headlines are ``related``; after a ``navigation`` label ("RELATED
    ARTICLES", "Topics", "Explore more on these topics"), short tags and pagers are ``navigation`` and
    longer teaser headlines ``related``. Lines already decided by a rule inside the box are skipped.
    """

    name = "lists"
    layer = "block"

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        lines = ctx.lines
        i = 0
        while i < len(lines):
            line = lines[i]
            opener = decided.get(line.index)
            i += 1
            if (
                opener is None
                or opener.kind not in (Kind.RELATED, Kind.NAVIGATION)
                or not _LABEL_ONLY.match(line.text)
            ):
                continue
            taken = 0
            while i < len(lines) and taken < MAX_LIST_ITEMS:
                nxt = lines[i]
                if not nxt.text:
                    i += 1
                    continue
                if nxt.index in decided:
                    if decided[nxt.index].kind in (Kind.RELATED, Kind.NAVIGATION, Kind.OTHER):
                        i += 1
                        taken += 1
                        continue
                    break
                if _PAGER.match(nxt.text) or (opener.kind is Kind.NAVIGATION and _TAG.match(nxt.text)):
                    yield whole_line(nxt, Kind.NAVIGATION, "list.tag", self.name)
                elif _TEASER.match(nxt.text):
                    yield whole_line(nxt, Kind.RELATED, "list.teaser", self.name)
                else:
                    break
                taken += 1
                i += 1


_NAME_WORD = r"(?:\p{Lu}[\p{Ll}'’\-]+(?:-\p{Lu}[\p{Ll}'’]+)?|\p{Lu}\.|\p{Lu}{2,}[\p{Lu}'’\-]*)"
# A line that is only a person's name, maybe with an affiliation or timestamp after a separator.
_BARE_BYLINE = regex.compile(
    rf"^(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|\L<name_particles>)){{1,3}})"
    r"(?:\s*(?:,|\||·|•|–|—|-)\s*(?P<rest>[^\n]{1,80})|\s*\((?P<agency>[^()]{2,40})\))?$",
    regex.VERSION0,
    name_particles=["de", "da", "van", "von", "der", "den", "bin", "al", "el", "la", "le", "del", "di", "dos", "du"],
)
_DATEISH = regex.compile(r"\d{1,4}[./:-]\d{1,2}|\b\d{4}\b|\bupdated?\b", regex.I)
_NOT_NAMES = frozenset(
    ["the", "a", "an", "of", "in", "on", "at", "for", "and", "or", "to", "with", "from", "by", "how", "why", "what", "when", "where", "who", "new", "more", "most", "our", "your", "my", "this", "that", "these", "those", "read", "watch", "share", "related", "about", "comments", "news", "latest", "live", "video", "photos", "topics", "tags", "updated", "published", "source", "sources", "editor", "advertisement"]
)


_BYLINE_PREFIXES = frozenset(["by", "von", "par", "por", "di", "da", "door", "autor", "autora", "auteur", "przez", "tekst", "text"])


class BylineFilter(TextFilter):
    """A bare byline: a line that is only a person's name (perhaps ", Outlet" or "| date" after it).

    Only the first three and the last five paragraphs are looked at, where bylines stand; a Title Case
    subheading in the middle of the article is never taken for a name. In HTML mode the name must also
    be (part of) the author trafilatura found in the page's metadata: a two-word heading in a language
    that capitalises nouns ("Künstlerischer Lebenslauf") looks like a name to the pattern alone.
    """

    name = "bylines"
    layer = "block"
    HEAD = 3
    TAIL = 5

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        open_lines = [ln for ln in ctx.lines if ln.text and ln.index not in decided]
        if len(open_lines) < 2:
            return  # a one-line text is the article, not its byline
        # the first and last lines, in order, each once
        edge = open_lines if len(open_lines) <= self.HEAD + self.TAIL else open_lines[: self.HEAD] + open_lines[-self.TAIL :]
        for line in edge:
            if len(line.text) > 120:
                continue
            m = _BARE_BYLINE.match(line.text)
            if m is None:
                continue
            name = m.group("name")
            if name.split()[0].casefold() in _BYLINE_PREFIXES:
                continue  # "Von Anna Berger" is a byline formula for the language packs, not a name
            if any(w.casefold() in _NOT_NAMES for w in name.split()) or not looks_like_person(name):
                continue
            if ctx.mode == "html" and not _is_metadata_author(name, ctx.metadata.author):
                continue
            rest = m.group("rest")
            if rest and not (looks_like_outlet(rest) or is_title(rest) or _DATEISH.search(rest)):
                continue
            agency = m.group("agency")
            if agency and not is_agency(agency):
                continue
            names = {"authors": [name], **({"sources": [agency]} if agency else {})}
            yield whole_line(line, Kind.CREDIT, "byline.bare-name", self.name, **names)


def _is_metadata_author(name: str, author: str | None) -> bool:
    return bool(author) and name.casefold() in (author or "").casefold()


# "About Brightwell Analytics": the company boilerplate that closes a press release.
_ABOUT = regex.compile(r"^About (?:the |us\b)?\p{Lu}[\p{L}\d&.,'’ \-]{1,60}$|^About us$")
MAX_ABOUT_PARAGRAPHS = 3


class AboutSectionFilter(TextFilter):
    """Sections that are not the article.

    - A trailing "About <Company>" section: the label and up to three paragraphs after it, provided
      nothing but other boilerplate follows them (so an "About the author" heading mid-article stays).
    - The same company self-description without the label (see :func:`_company_boilerplate`).
    - A second copy of the text: a run of paragraphs repeating, in order, paragraphs already kept above
      (templates that print the article again in a hidden card, an AMP copy or structured data). Only a
      run of several long paragraphs counts: a recipe, a meal plan or an interview legitimately
      repeats short lines ("Pre-Workout Meal", the same question to every guest).
    """

    name = "sections"
    layer = "block"

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        repeated = list(_repeated_runs(ctx, decided))
        yield from repeated
        decided = {**decided, **{f.paragraph: f for f in repeated}}
        found = False
        for finding in self._about(ctx, decided):
            found = True
            yield finding
        if not found:
            yield from _company_boilerplate(ctx, decided)

    def _about(self, ctx: TextContext, decided: Mapping[int, Finding]) -> Iterable[Finding]:
        lines = [ln for ln in ctx.lines if ln.text]
        for pos, line in enumerate(lines):
            if not line.text.startswith("About") or line.index in decided or not _ABOUT.match(line.text):
                continue
            section = [line]
            for nxt in lines[pos + 1 :]:
                if nxt.index in decided:
                    break
                section.append(nxt)
            rest = lines[pos + len(section) :]
            if len(section) - 1 > MAX_ABOUT_PARAGRAPHS or any(ln.index not in decided for ln in rest):
                continue
            for ln in section:
                yield whole_line(ln, Kind.OTHER, "section.about", self.name)
            return


# "Brightwell is a leading provider of ...": the company self-description that closes a press release.
_COMPANY_INTRO = regex.compile(
    r"^(?P<name>\p{Lu}[\p{L}\d&.'’\-]*(?: \p{Lu}[\p{L}\d&.'’\-]*){0,3})(?:,[^,]{2,80},)? is (?:a|an|the)"
    r" (?:[\p{L}\-]+ ){0,5}(?:provider|company|manufacturer|developer|supplier|maker|firm|group|specialist"
    r"|leader|operator|platform|organi[sz]ation|network|producer|distributor|publisher|pioneer)s?\b"
)
MAX_COMPANY_PARAGRAPHS = 3


def _company_boilerplate(ctx: TextContext, decided: Mapping[int, Finding]) -> Iterable[Finding]:
    """A trailing company self-description without an "About" label: among the last few kept paragraphs,
    one that opens "<Name> is a ... provider/company ..." and only paragraphs about the same name
    ("<Name> is headquartered in ...", "For more information ...") after it, to the end of the text."""
    open_lines = [ln for ln in ctx.lines if ln.text and ln.index not in decided]
    if len(open_lines) < 4:
        return  # a short text that describes a company is about that company
    tail = open_lines[-MAX_COMPANY_PARAGRAPHS:]
    for pos, line in enumerate(tail):
        m = _COMPANY_INTRO.match(line.text)
        if m is None:
            continue
        name = m.group("name").split()[0]
        rest = tail[pos + 1 :]
        if all(ln.text.startswith(name) or ln.text.casefold().startswith("for more information") for ln in rest):
            for ln in tail[pos:]:
                yield whole_line(ln, Kind.OTHER, "section.company-boilerplate", "sections")
        return


#: a repeated run must hold this many paragraphs of at least REPEAT_LONG_CHARS characters...
REPEAT_MIN_LONG = 4
REPEAT_LONG_CHARS = 60
#: ...and this many characters in all
REPEAT_MIN_CHARS = 800


def _repeated_runs(ctx: TextContext, decided: Mapping[int, Finding]) -> Iterable[Finding]:
    """Runs of paragraphs that repeat earlier kept paragraphs in the same order (see AboutSectionFilter)."""
    lines = [ln for ln in ctx.lines if ln.text and ln.index not in decided]
    first: dict[str, int] = {}
    for pos, ln in enumerate(lines):
        first.setdefault(ln.text, pos)
    if len(first) == len(lines):
        return  # no paragraph is printed twice
    pos = 0
    while pos < len(lines):
        end = pos
        while (
            end < len(lines)
            and first[lines[end].text] < pos
            and (end == pos or first[lines[end].text] > first[lines[end - 1].text])
        ):
            end += 1
        if end == pos:  # the paragraph is not a repeat: no run starts here
            pos += 1
            continue
        run = lines[pos:end]
        if (
            sum(1 for ln in run if len(ln.text) >= REPEAT_LONG_CHARS) >= REPEAT_MIN_LONG
            and sum(len(ln.text) for ln in run) >= REPEAT_MIN_CHARS
        ):
            for ln in run:
                yield whole_line(ln, Kind.OTHER, "section.repeated-copy", "sections")
        pos = max(end, pos + 1)


_WORD = regex.compile(r"\w+")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


MAX_STANDFIRST_WORDS = 30


_TITLE_SEPARATORS = regex.compile(r"\s+[|–—:-]\s+|\s+[·•»]\s+")


def _title_forms(title: str) -> set[str]:
    """The title and its parts around a site-name separator ("Story title - Site Name")."""
    forms = {_norm(title)}
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) > 1:
        forms.add(_norm(max(parts, key=len)))
        forms.add(_norm(" ".join(parts[:-1])))
    return {f for f in forms if len(f) >= 10}


class HeadlineFilter(TextFilter):
    """In HTML mode, the page title repeated as the first line of the text, and the standfirst under it.

    The title may carry a site suffix ("... - BBC News") that the repeated line lacks. The description
    counts as a standfirst only right under a repeated title and only when standfirst-sized: many
    sites copy the lead paragraph into ``og:description``, and without a title above it that line is
    the lead paragraph, which is body.
    """

    name = "headline"
    layer = "block"

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        meta = ctx.metadata
        titles = _title_forms(meta.title or "")
        if not titles:
            return
        description = _norm(meta.description or "")
        if len(description.split()) > MAX_STANDFIRST_WORDS:
            description = ""
        all_open = [ln for ln in ctx.lines if ln.text and ln.index not in decided]
        open_lines = all_open[:2]
        if open_lines and _is_title(_norm(open_lines[0].text), titles):
            yield whole_line(open_lines[0], Kind.HEADLINE, "headline.repeated-title", self.name)
            if len(open_lines) > 1 and description and _norm(open_lines[1].text) == description:
                yield whole_line(open_lines[1], Kind.HEADLINE, "headline.standfirst", self.name)
        yield from _title_echoes(all_open[max(ECHO_SKIP, len(all_open) // 3) :], titles, self.name)


#: the top of the text (its first three lines, and its first third) is left to the title check above:
#: a title under a kicker, a caption or a date line there is the article's own heading
ECHO_SKIP = 3
#: a title echo must have this many words: a one- or two-word title ("Contact", "Apple Pie") is also
#: an ordinary heading inside the text
MIN_ECHO_WORDS = 4


def _title_echoes(lines: list[Line], titles: set[str], filter_name: str) -> Iterable[Finding]:
    """The page title printed again below the top, word for word: the teaser of this same story in a
    "latest"/"more from this series" box, or a hidden share card. A heading inside the article does
    not repeat the page title exactly (and a short title is left alone)."""
    first_words = {t.split(" ", 1)[0] for t in titles}
    for line in lines:
        folded = line.text.casefold()
        first = _WORD.search(folded)  # a line can only be a title if it starts with a title's first word:
        if first is None or first.group() not in first_words:  # no word list built for the paragraphs
            continue
        norm = " ".join(_WORD.findall(folded))
        if len(norm.split()) >= MIN_ECHO_WORDS and norm in titles:
            yield whole_line(line, Kind.HEADLINE, "headline.title-echo", filter_name)


def _is_title(line: str, titles: set[str]) -> bool:
    return line in titles or any(len(line) >= 20 and t.startswith(line) for t in titles)


#: caption rules whose line is only a credit: the caption text stands on the line before it
CREDIT_ONLY_SUFFIX = ".credit-only"
MAX_CAPTION_CHARS = 250


class CaptionFilter(TextFilter):
    """The caption line above a credit-only caption line ("Credit...Jane Doe for The Times").

    Sites that print the caption and its credit as two blocks leave both in the text; the credit line
    is proof enough that the short line before it is the caption.
    """

    name = "captions"
    layer = "block"

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        previous: Line | None = None
        for line in ctx.lines:
            if not line.text:
                continue
            f = decided.get(line.index)
            if (
                f is not None
                and f.kind is Kind.CAPTION
                and f.rule.endswith(CREDIT_ONLY_SUFFIX)
                and previous is not None
                and previous.index not in decided
                and len(previous.text) <= MAX_CAPTION_CHARS
            ):
                yield whole_line(previous, Kind.CAPTION, "caption.above-credit", self.name)
            previous = line


class DatelineFilter(TextFilter):
    """Agencies named in a dateline go to ``sources``; the dateline stays in the body."""

    name = "datelines"
    layer = "block"
    #: only the first few body paragraphs can open with a dateline
    MAX_PARAGRAPHS = 3

    def find(
        self, ctx: TextContext, decided: Mapping[int, Finding], warnings: list[str]
    ) -> Iterable[Finding]:
        if ctx.rules is None:
            return
        timeout = ctx.regex_timeout()
        seen = 0
        for line in ctx.lines:
            if not line.text or line.index in decided:
                continue
            seen += 1
            if seen > self.MAX_PARAGRAPHS:
                return
            head = line.text[:300]
            folded = head.casefold()
            for rule in ctx.rules.dateline:
                if not rule.may_match(folded):
                    continue
                try:
                    m = rule.search(head, timeout)
                except TimeoutError:
                    _warn_timeout(warnings, rule.id, line)
                    continue
                if m is None:
                    continue
                names = names_from_match(m, rule, ctx.rules.pack_for(rule))
                yield Finding(
                    paragraph=line.index,
                    start=line.start + m.start(),
                    end=line.start + m.end(),
                    kind=Kind.CREDIT,
                    rule=rule.id,
                    filter=self.name,
                    names={k: tuple(v) for k, v in names.items()},
                    remove=False,
                )
                return
