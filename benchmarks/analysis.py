"""Error analysis (``run.py --analyze``).

Article-body set: per document, the *extra lines* (lines of the prediction whose 4-shingles
are mostly absent from the truth) and the *missing lines* (truth lines whose shingles are
mostly absent from the prediction); then a summary that groups the extra lines by a coarse
category inferred with simple heuristics, with each category's share of the extra words and
the F1 the system would get if it dropped exactly the extra lines of that category; then the
most frequent extra lines.

Snippet set: per document, the ``without`` snippets found in the output (and the ``with``
snippets missed), then the found ``without`` snippets grouped by the same categories.

"Mostly absent": a line is split into its own shingles (4-token windows; a line of 1-3
tokens is one n-gram of all its tokens) and each is matched against the other text's
multiset of n-grams of the same length, consuming counts in reading order (so a headline
that the truth has once but the prediction twice makes the second copy extra).  A line is
extra/missing when more than half of its shingles find no match.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from metrics import score_article_set, tokens

# ------------------------------------------------------------------ line matching


class _NgramPool:
    """Multiset of the 1..4-grams of a text, consumed as lines are matched against it."""

    def __init__(self, text: str) -> None:
        toks = tokens(text)
        self.pools: dict[int, Counter[tuple[str, ...]]] = {
            n: Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)) for n in (1, 2, 3, 4)
        }

    def match_line(self, line_tokens: list[str], consume: bool = True) -> float:
        """Share of the line's shingles that are NOT in the pool (consuming the matched ones)."""
        n = min(4, len(line_tokens))
        if n == 0:
            return 0.0
        pool = self.pools[n]
        grams = [tuple(line_tokens[i : i + n]) for i in range(len(line_tokens) - n + 1)]
        missing = 0
        for g in grams:
            if pool[g] > 0:
                if consume:
                    pool[g] -= 1
            else:
                missing += 1
        return missing / len(grams)


@dataclass
class Line:
    index: int  # position among the non-empty lines of its text
    n_lines: int
    text: str
    words: int
    absent: float  # share of its shingles absent from the other text
    category: str = ""
    repeat: bool = False  # the other text has this line, but it was already matched by an earlier copy


def text_lines(text: str | None) -> list[str]:
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()]


def unmatched_lines(text: str | None, other: str | None, threshold: float = 0.5) -> list[Line]:
    pool = _NgramPool(other or "")
    fresh = _NgramPool(other or "")
    lines = text_lines(text)
    out = []
    for i, ln in enumerate(lines):
        toks = tokens(ln)
        if not toks:
            continue
        absent = pool.match_line(toks)
        if absent > threshold:
            repeat = fresh.match_line(toks, consume=False) <= threshold
            out.append(Line(i, len(lines), ln, len(toks), absent, repeat=repeat))
    return out


# ------------------------------------------------------------------ page hints


@dataclass
class PageHints:
    titles: list[list[str]] = field(default_factory=list)  # lowercased token lists
    descriptions: list[list[str]] = field(default_factory=list)  # meta/og description, lowercased tokens
    captions: list[str] = field(default_factory=list)  # normalised lowercase texts
    bylines: list[str] = field(default_factory=list)


def _norm(s: str) -> str:
    return " ".join(t.lower() for t in tokens(s))


def page_hints(html: str) -> PageHints:
    """Title, description, caption and byline texts of a page (for the categories below)."""
    import lxml.html

    hints = PageHints()
    try:
        root = lxml.html.fromstring(
            html.encode("utf-8", "replace"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except Exception:
        return hints

    def texts(xpaths: tuple[str, ...], cap: int) -> list[str]:
        out = []
        for xp in xpaths:
            for v in root.xpath(xp)[:cap]:
                out.append(v.text_content() if hasattr(v, "text_content") else str(v))
        return out

    titles = texts(
        (
            "//title/text()",
            "//meta[@property='og:title']/@content",
            "//meta[@name='twitter:title']/@content",
            "//meta[@name='title']/@content",
            "//h1",
        ),
        3,
    )
    hints.titles = [t for t in ([x.lower() for x in tokens(s)] for s in titles) if t]
    descs = texts(
        (
            "//meta[@name='description']/@content",
            "//meta[@property='og:description']/@content",
            "//meta[@name='twitter:description']/@content",
        ),
        2,
    )
    hints.descriptions = [t for t in ([x.lower() for x in tokens(s)] for s in descs) if len(t) >= 5]
    caps = texts(
        (
            "//figcaption | //caption | //*[contains(@class,'caption') or contains(@class,'Caption')"
            " or contains(@class,'credit') or contains(@class,'Credit')]",
        ),
        200,
    )
    hints.captions = [c for c in map(_norm, caps) if c]
    hints.captions += [c for c in map(_norm, texts(("//img/@alt | //img/@title",), 200)) if len(c) > 15]
    byl = texts(
        (
            "//*[contains(@class,'byline') or contains(@class,'Byline') or contains(@class,'author')"
            " or contains(@class,'Author') or contains(@class,'dateline') or @rel='author'"
            " or @itemprop='author'] | //time",
        ),
        200,
    )
    hints.bylines = [b for b in map(_norm, byl) if b and len(b) < 300]
    return hints


# ------------------------------------------------------------------ categories
#
# Coarse, heuristic, multilingual-ish (en/de/fr/es/it/pt words).  The first rule that fires
# wins, in the order of categorize_lines(); two run rules then relabel lists of teasers.

REPEAT = "repeated body text (duplicate)"
HEADLINE = "headline (title repeated)"
STANDFIRST = "standfirst/dek (summary under headline)"
COMMENTS = "comments"
RELATED = "related/teaser lists, read-more"
SOCIAL = "newsletter/appeal/social/app"
CAPTION = "captions/image credits"
CREDIT = "credit/byline/dateline/source"
BIO = "author contact/bio, about-company"
LEGAL = "copyright/legal/disclosure"
AD = "ad labels"
NAV = "nav/tags/UI/widget text"
META = "metadata leak (URLs, keywords, code)"
OTHER_SHORT = "other, short (<8 words)"
OTHER = "other"
CATEGORIES = [
    REPEAT,
    HEADLINE,
    STANDFIRST,
    COMMENTS,
    RELATED,
    SOCIAL,
    CAPTION,
    CREDIT,
    BIO,
    LEGAL,
    AD,
    NAV,
    META,
    OTHER_SHORT,
    OTHER,
]

_I = re.I

R_LEGAL = re.compile(
    r"©|ⓒ|\(c\)\s*(19|20)\d\d|\bcopyright\b|all rights reserved|alle rechte vorbehalten|tous droits réservés"
    r"|todos los derechos reservados|riproduzione riservata|무단전재"
    r"|\bterms of (use|service)\b|privacy policy"
    r"|datenschutz|impressum|this (material|article"
    r"|copy) (may not|is for)|non-commercial use|personal use only"
    r"|materiał chroniony prawem|sofern nicht anders (ausgewiesen|angegeben)|trust principles"
    r"|bei den verlinkungen handelt es sich|affiliate|\bwerbelinks?\b"
    r"|\breprints?\b|if you (buy|purchase|click)|affiliate (link"
    r"|commission)|may (earn|get|receive) (a )?(small )?"
    r"(share|commission)|we may earn|disclosure:",
    _I,
)
R_AD = re.compile(
    r"^\W*(advertisement|advertising|advertisment|anzeige"
    r"|werbung|sponsored( content| by .*)?|publicidad|publicité"
    r"|paid (post|content)|partner content|story continues below( advertisement)?|article continues below"
    r"|continue reading( (the )?(main )?story)?( below)?|ad|ads|promoted( stories)?)\W*$"
    r"|^\W*(werbung|anzeige|publicidad|patrocinado|advertorial)\b"
    r"|enthält werbung|\(werbung\)|\bsponsored by\b",
    _I,
)
R_SOCIAL = re.compile(
    r"newsletter|subscri|\bsign[ -]?up\b|signing up|follow (us"
    r"|me|@|him|her|them|the)|\bon (twitter|facebook|instagram)\b"
    r"|\b(facebook|twitter|instagram|whatsapp|linkedin|pinterest|telegram|reddit|tiktok|youtube)\b"
    r"|\bshare (this|on|via|the|article|story|it)\b|^\W*share\W*$|e-?mail (us|this|me)"
    r"|\bdonat|support (our|us|independent|quality)|become a (member|patron|supporter|subscriber)"
    r"|(get|download) (our|the) .{0,30}\bapp\b|\bour app\b|\babonn"
    r"|folgen sie|\binscri|\bsuscr|click here|\btip(s|line)?\b"
    r"|send us|\bpodcast|\bregister\b|\blog ?in\b|\bsign ?in\b"
    r"|membership|\bmembers get\b|\bpremium\b|\bunlock\b"
    r"|free trial|\brss\b|get (the|our) (latest|best|day)|delivered (to|straight to|through) your|\binbox\b"
    r"|\bletterbox\b|\bcontact us\b|\bjoin (us|our|the|nr)"
    r"|\bpatreon\b|\bpaypal\b|\bthanks? (you )?for reading\b"
    r"|if you (enjoyed|liked|value|appreciate)|proposition for you|letters? to the editor|we'?d like to hear"
    r"|listen (to|back|live)|\bwatch (live|now)\b|hazte (miembro|socio)|únete|suscr[íi]be|periodismo"
    r"|cancela cuando|unterstützen sie|jetzt unterstützen|soutenez|abonnez|sostienici|assine|apoie"
    r"|subskrypcj|never miss|get the times|wöchentliche|\bbrandfinder\b|\bkennt ihr schon\b",
    _I,
)
R_CAPTION = re.compile(
    r"\b(photo|photos|foto|fotos|image|images|picture|bild|illustration|graphic|screenshot|photograph)\s*"
    r"(:|by\b|credit|courtesy|©)|getty ?images|\bap photo\b|shutterstock|\breuters/|\bafp/|\bafp via\b|/ap\b"
    r"|/reuters\b|/afp\b|\bdpa\b|\bepa\b|\bimago\b|istock"
    r"|\((photo|image|credit|picture|foto|bild)\b|courtesy of"
    r"|file photo|via getty|\bphotograph:|\(pictured\)|pictured (above|below|here|left|right)|\bcredit:"
    r"|\bvideo:|\bplay video\b|\bgallery\b|\bslideshow\b"
    r"|\b\d+ (photos|images|bilder)\b|[a-z.]\.?(Reuters|AP|AFP)$"
    r"|\bphotos? ©|installation views|\bbild anzeigen\b|\bbeitragsbild\b|\btitelbild\b|\babbildung \d"
    r"|\bagencja gazeta\b|\bbildquelle\b|\bfotó\b",
    0,
)
R_CAPTION_I = re.compile(R_CAPTION.pattern, _I)
R_BIO = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|\btwitter\.com/|\bwrite to\b"
    r"|\breach (the )?(reporters?|writers?|authors?|him|her)\b"
    r"|(may|can) be reached\b|\bemail [A-Z]\w+ (\w+ )?at\b|\bis headquartered\b|\bheadquartered in\b"
    r"|\bis an? (leading|global|world|premier|international)\b"
    r"|\bfor more information,? (visit|contact|please)"
    r"|\b(media|press) contact\b|^\W*about (the author|us|the company|[A-Z]\w+)\W*$"
    r"|^[A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3} is (a|an|the"
    r"|[A-Z]\w*'s) (\w+ ){0,4}(reporter|writer|journalist|editor"
    r"|correspondent|author|columnist|contributor|curator|producer|host|analyst|freelancer)",
    0,
)
R_CREDIT = re.compile(
    r"^\W*(?i:by|von|par|por|di|door|texte?|written by"
    r"|reporting by|additional reporting|edited by|author|autor"
    r"|auteur|autora|redaktion|posted by|published by|source|sources|quelle|fuente|fonte|with reporting)\b\W"
    r"|(?i:\b(updated|published|posted|last modified|veröffentlicht|aktualisiert|publié|mis à jour|publicado"
    r"|actualizado|stand)\b\W*(on|am|le|el)?\W*\d)"
    r"|(?i:\b(updated|published|posted|veröffentlicht|aktualisiert|publié|publicado)\s*(:|on\b|at\b|\d))"
    r"|(?i:\b\d+\s*(min|mins|minute|minutes|minuten"
    r"|minutos)\.?\s*(read|lesezeit|de lecture)\b|\breading time\b"
    r"|\blesezeit\b|tempo de leitura|temps de lecture|tiempo de lectura)"
    r"|(?i:\b(staff (writer|reporter)|correspondent"
    r"|contributing (writer|editor)|senior (writer|editor|reporter)"
    r"|contributed (to this report|reporting)|(editing|reporting) by\b))"
    r"|^\W*[A-Z][A-Za-z .'-]{1,40},?\s+\(?(AP|AFP|Reuters|dpa|EFE|ANSA|IANS|PTI|Xinhua|CNN|UPI)\)?\s*[-—–:]"
    r"|기사입력|입력\s*:|記事|发布时间"
    r"|^\W*(?i:letzte änderung|veröffentlichung|release date|quellenangaben?|originalpublikation|stand:)",
    0,
)
_MONTH = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?"
    r"|nov(ember)?|dec(ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril"
    r"|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio"
    r"|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro"
    r"|outubro|novembro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre)"
)
R_DATE = re.compile(
    rf"\b{_MONTH}\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+(de\s+)?{_MONTH}\b"
    rf"|\b\d{{1,2}}[./-]\d{{1,2}}[./-](19|20)?\d\d\b"
    r"|\b(19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}:\d\d\s*(am|pm"
    r"|uhr|h|et|est|edt|gmt|utc|bst|cet)?\b|\b\d+\s+(hours?|"
    r"minutes?|days?|weeks?)\s+ago\b",
    _I,
)
R_RELATED = re.compile(
    r"^\W*(related|read more|read also|read next|see also|see more|more from|more on|more:|also:|recommended"
    r"|you (may|might) (also )?(like|enjoy|be interested)"
    r"|most (popular|read|viewed|shared)|trending|also read"
    r"|also on|further reading|lea (también|más)|lee también|lesen sie (auch|mehr)|mehr zum thema|mehr dazu"
    r"|auch interessant|das könnte sie (auch )?interessieren"
    r"|à lire aussi|lire aussi|voir aussi|sur le même sujet"
    r"|más noticias|leia também|leggi anche|top stories"
    r"|latest (news|stories|articles)|next (article|story|post)"
    r"|previous (article|story|post)|up next|read:|listen:"
    r"|related (articles|stories|posts|coverage|content|links"
    r"|topics)|popular|editor'?s'? picks?|what to read next|keep reading|don'?t miss|more stories|more news"
    r"|in other news|continue reading|read the full|full story|sponsored stories|around the web"
    r"|from (our|the) partners|explore further|follow .{0,40} full coverage"
    r"|lea:|le puede interesar|te puede interesar|puede interesarte|(notas|noticias|art[íi]culos) relacionad"
    r"|contenido relacionado|relacionad[oa]s|ver también|weitere artikel|weiterlesen|zum thema"
    r"|ähnliche artikel"
    r"|articles? similaires|dans la même rubrique|ti potrebbe interessare|potrebbe interessarti|leia mais"
    r"|veja também|czytaj (też|także|więcej)|zobacz (też|także|również)|schon gelesen|auch lesen"
    r"|zum weiterlesen|empfohlene beiträge|mehr themen|top-themen|kommentierte artikel|meist-(diskutiert|gelesen)"
    r"|vorschau auf den nächsten|lust auf mehr|könnte dich (auch )?interessieren|weitere \w+tipps|puedes ver"
    r"|dowiedz się więcej|więcej\]|beiträge aus dem forum)"
    r"|\bfull coverage\b|\[(insight|video|reaction|news|warning|pictures|poll|analysis|photos?)\]\W*$",
    _I,
)
R_COMMENT_HEAD = re.compile(
    r"^\W*(\d+\s+)?(comments?|kommentare?|commentaires?|comentarios?|comentários|responses?|replies|reactions"
    r"|discussion|leserkommentare|reader comments)\W*(\(\d+\))?\W*$|leave a (comment|reply)|post a comment"
    r"|add (a |your )?comment|join the (conversation|discussion)|\bdisqus\b|comments (are|have been) closed"
    r"|show comments|view comments|\d+\s+comments?\b|kommentar schreiben|commenting (policy|guidelines)"
    r"|tell us what you think",
    _I,
)
R_COMMENT_LINE = re.compile(
    r"\breply\b|\bsays:\s*$|\bsaid\.\.\.|\bwrote:\s*$|\b\d+\s+(likes?|points?|upvotes?)\b"
    r"|\breport (this )?comment\b|\bflag\b|coment[áa]rios?\b|kommentar|commentaire",
    _I,
)
R_NAV = re.compile(
    r"^\W*(tags?|topics?|filed under|categor(y|ies)|themen"
    r"|schlagw(ö|o)rter|mots[- ]cl(é|e)s|etiquetas|keywords"
    r"|home|menu|close|back to top|print( article)?|next|previous|prev|skip to|search|more|loading|share this"
    r"|page \d+|\d+ of \d+|accept|cookies?|cookie settings|see more|show more|load more|view all|toggle"
    r"|order reprints|thank you|thanks|sorry|bewerten|teilen|drucken|pdf|temas|themen|mehr|weiter)\b"
    r"|error (has )?occurred|try again|has been sent to|processing your|please (enable|wait)|javascript",
    _I,
)
R_META = re.compile(
    r"^\W*(https?://|www\.)\S+\W*$|^\S+\.(png|jpe?g|gif|webp"
    r"|svg)\W*$|^\d{4}-\d\d-\d\dT\d\d:\d\d|^\s*[\[{<].*[\]}>]"
    r"\s*$|\[(button|caption|embed|video|gallery)\b|\{\{|\}\}|function\s*\(|var \w+ =|^\w+(,\w+)+$",
    _I,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”»’)。！？]\s*$")


def _overlap(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return common / len(a)


def _matches_any(line: str, candidates: list[list[str]], line_share: float, cand_share: float) -> bool:
    lt = [t.lower() for t in tokens(line)]
    return bool(lt) and any(
        _overlap(lt, c) >= line_share and _overlap(c, lt) >= cand_share for c in candidates
    )


def is_headline(line: str, hints: PageHints) -> bool:
    # the line is (most of) the title, or the title is (most of) the line; titles often carry "| Site"
    return _matches_any(line, hints.titles, 0.8, 0.5)


def _in_hints(norm_line: str, texts: list[str], min_words: int = 3) -> bool:
    if norm_line.count(" ") + 1 < min_words:
        return any(norm_line == t for t in texts)
    return any(norm_line in t or (len(t) > 20 and t in norm_line) for t in texts)


def _is_keyword_list(text: str) -> bool:
    parts = [p.strip() for p in re.split(r"[,;|]", text) if p.strip()]
    return (
        len(parts) >= 4
        and not _SENTENCE_END.search(text)
        and sum(len(p.split()) for p in parts) / len(parts) <= 4
    )


def _mostly_upper(text: str, words: int) -> bool:
    letters = [c for c in text if c.isalpha() and (c.isupper() or c.islower())]
    return (
        3 <= words <= 25 and len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) >= 0.85
    )


def _category(ln: Line, hints: PageHints, prev: Line | None, state: dict[str, bool]) -> str:
    text, words = ln.text, ln.words
    norm = _norm(text)
    if ln.repeat:
        return REPEAT
    if ln.index < 3 and is_headline(text, hints):
        return HEADLINE
    if words >= 6 and _matches_any(text, hints.descriptions, 0.7, 0.6):  # = meta/og description
        return STANDFIRST
    if R_COMMENT_HEAD.search(text) and words <= 12:
        state["comments"] = True
        return COMMENTS
    if R_LEGAL.search(text) and words <= 100:
        return LEGAL
    if R_AD.search(text):
        return AD
    if R_RELATED.search(text) and words <= 40:
        return RELATED
    if R_META.search(text) or _is_keyword_list(text):
        return META
    if (
        _in_hints(norm, hints.captions)
        or (R_CAPTION.search(text) and words <= 80)
        or (R_CAPTION_I.search(text) and words <= 30)
    ):
        return CAPTION
    if R_BIO.search(text) and words <= 150:
        return BIO
    if words <= 40 and (
        R_CREDIT.search(text) or _in_hints(norm, hints.bylines, 2) or (words <= 14 and R_DATE.search(text))
    ):
        return CREDIT
    # the line right under a repeated headline
    if (
        6 <= words <= 60
        and prev is not None
        and prev.category == HEADLINE
        and prev.index == ln.index - 1 <= 1
    ):
        return STANDFIRST
    if R_SOCIAL.search(text) and words <= 60:
        return SOCIAL
    if state.get("comments") or (R_COMMENT_LINE.search(text) and words <= 60):
        return COMMENTS
    if is_headline(text, hints):
        return HEADLINE
    if _mostly_upper(text, words):  # all-caps inline links ("SEAN SPICER ELIMINATED FROM ...")
        return RELATED
    if words <= 8 and R_NAV.search(text):
        return NAV
    return OTHER_SHORT if words < 8 else OTHER


def categorize_lines(lines: list[Line], hints: PageHints) -> None:
    """Set ``line.category`` for the extra lines of one document (given in reading order)."""
    state: dict[str, bool] = {}
    prev: Line | None = None
    for ln in lines:
        ln.category = _category(ln, hints, prev, state)
        prev = ln
    # runs of consecutive extra lines that look like link lists -> related/teaser
    _relabel_runs(
        lines,
        lambda x: x.text.startswith(("- ", "• ", "· ")),
        2,
        {OTHER, OTHER_SHORT, CAPTION, SOCIAL},
    )
    _relabel_runs(
        lines, lambda x: 2 <= x.words <= 20 and not _SENTENCE_END.search(x.text), 3, {OTHER, OTHER_SHORT}
    )


def _relabel_runs(lines: list[Line], pred: Callable[[Line], bool], min_run: int, relabel: set[str]) -> None:
    run: list[Line] = []

    def flush() -> None:
        if len(run) >= min_run:
            for r in run:
                if r.category in relabel:
                    r.category = RELATED
        run.clear()

    for ln in lines:
        if pred(ln) and (not run or ln.index == run[-1].index + 1):
            run.append(ln)
        else:
            flush()
            if pred(ln):
                run.append(ln)
    flush()


def categorize_snippet(snippet: str, hints: PageHints) -> str:
    line = Line(5, 10, snippet, len(tokens(snippet)), 1.0)
    categorize_lines([line], hints)
    return line.category


# ------------------------------------------------------------------ article-body analysis


def _trunc(s: str, n: int = 100) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _key(s: str) -> str:
    return re.sub(r"\d+", "0", " ".join(s.lower().split()))


@dataclass
class ArticleAnalysis:
    system: str
    per_doc: dict[str, dict[str, object]]
    summary_lines: list[str]
    detail_lines: list[str]


def analyze_article(
    system: str,
    truth: Mapping[str, str],
    preds: Mapping[str, str | None],
    html: Mapping[str, str],
    top: int = 60,
) -> ArticleAnalysis:
    per_doc: dict[str, dict[str, object]] = {}
    all_extra: list[tuple[str, Line]] = []
    all_missing: list[tuple[str, Line]] = []
    pred_words_total = 0
    detail: list[str] = []
    base, per_doc_scores = score_article_set(truth, preds)
    for doc_id in truth:
        pred = preds.get(doc_id) or ""
        pred_words_total += len(tokens(pred))
        extra = unmatched_lines(pred, truth[doc_id])
        missing = unmatched_lines(truth[doc_id], pred)
        hints = page_hints(html[doc_id])
        categorize_lines(extra, hints)
        all_extra += [(doc_id, ln) for ln in extra]
        all_missing += [(doc_id, ln) for ln in missing]
        s = per_doc_scores[doc_id]
        per_doc[doc_id] = {
            "precision": s.precision,
            "recall": s.recall,
            "extra": [
                {"i": ln.index, "n": ln.n_lines, "words": ln.words, "category": ln.category, "text": ln.text}
                for ln in extra
            ],
            "missing": [
                {"i": ln.index, "n": ln.n_lines, "words": ln.words, "text": ln.text} for ln in missing
            ],
        }
        if extra or missing:
            detail.append(
                f"--- {doc_id[:16]}  P {s.precision:.3f}  R {s.recall:.3f}  "
                f"extra {len(extra)} lines / {sum(x.words for x in extra)} w, "
                f"missing {len(missing)} lines / {sum(x.words for x in missing)} w"
            )
            for ln in extra:
                detail.append(f"  + [{ln.index}/{ln.n_lines}] {{{ln.category}}} {_trunc(ln.text, 110)}")
            for ln in missing:
                detail.append(f"  - [{ln.index}/{ln.n_lines}] {_trunc(ln.text, 110)}")

    # --- summary by category, with the F1 gained by dropping each category's extra lines
    words_by_cat: Counter[str] = Counter()
    lines_by_cat: Counter[str] = Counter()
    docs_by_cat: dict[str, set[str]] = defaultdict(set)
    for doc_id, ln in all_extra:
        words_by_cat[ln.category] += ln.words
        lines_by_cat[ln.category] += 1
        docs_by_cat[ln.category].add(doc_id)
    extra_words = sum(words_by_cat.values())

    per_doc_lines: dict[str, list[Line]] = defaultdict(list)
    for doc_id, ln in all_extra:
        per_doc_lines[doc_id].append(ln)

    def without(cats: set[str]) -> dict[str, str]:
        """The predictions with the extra lines of these categories removed."""
        res = {}
        for doc_id in truth:
            drop = {ln.index for ln in per_doc_lines[doc_id] if ln.category in cats}
            lines = text_lines(preds.get(doc_id))
            res[doc_id] = "\n".join(x for i, x in enumerate(lines) if i not in drop)
        return res

    out: list[str] = []
    out.append(f"== error analysis: {system} on article-body set ({len(truth)} docs)")
    out.append(f"   P {base.precision:.3f}  R {base.recall:.3f}  F1 {base.f1:.3f}  acc {base.accuracy:.3f}")
    out.append(
        f"   extra lines: {len(all_extra)} in {len({d for d, _ in all_extra})} docs, {extra_words} words "
        f"= {extra_words / max(pred_words_total, 1):.1%} of all predicted words"
    )
    miss_words = sum(ln.words for _, ln in all_missing)
    truth_words = sum(len(tokens(t)) for t in truth.values())
    pos = Counter(
        "first" if ln.index == 0 else "last" if ln.index == ln.n_lines - 1 else "middle"
        for _, ln in all_missing
    )
    out.append(
        f"   missing truth lines: {len(all_missing)} in {len({d for d, _ in all_missing})} docs, "
        f"{miss_words} words = {miss_words / max(truth_words, 1):.1%} of truth words "
        f"(position: first {pos['first']}, middle {pos['middle']}, last {pos['last']})"
    )
    out.append("")
    out.append("   extra lines by category (share = of all extra words; sorted by dF1 = F1 gain when that")
    out.append("   category's extra lines alone are dropped from the predictions, then by words):")
    out.append(
        f"   {'category':<40} {'words':>6} {'share':>6} {'lines':>6} {'docs':>5}  {'P if dropped':>12} "
        f"{'F1 if dropped':>13} {'dF1':>7}"
    )
    # sorted by the F1 gained when exactly that category's extra lines are dropped, then by words
    dropped = {cat: score_article_set(truth, without({cat}))[0] for cat in words_by_cat}
    cats_sorted = sorted(words_by_cat, key=lambda c: (-round(dropped[c].f1 - base.f1, 4), -words_by_cat[c]))
    for cat in cats_sorted:
        s2 = dropped[cat]
        out.append(
            f"   {cat:<40} {words_by_cat[cat]:>6} {words_by_cat[cat] / max(extra_words, 1):>6.1%} "
            f"{lines_by_cat[cat]:>6} {len(docs_by_cat[cat]):>5}  {s2.precision:>12.3f} {s2.f1:>13.3f} "
            f"{s2.f1 - base.f1:>+7.3f}"
        )
    named = {c for c in cats_sorted if c not in (OTHER, OTHER_SHORT)}
    s_all, _ = score_article_set(truth, without(named))
    s_every, _ = score_article_set(truth, without(set(cats_sorted)))
    out.append(
        f"   {'all named categories':<40} {'':>6} {'':>6} {'':>6} {'':>5}  {s_all.precision:>12.3f} "
        f"{s_all.f1:>13.3f} {s_all.f1 - base.f1:>+7.3f}"
    )
    out.append(
        f"   {'every extra line (ceiling)':<40} {'':>6} {'':>6} {'':>6} {'':>5}  {s_every.precision:>12.3f} "
        f"{s_every.f1:>13.3f} {s_every.f1 - base.f1:>+7.3f}"
    )

    # --- most frequent extra lines (digits folded, case folded)
    groups: dict[str, list[tuple[str, Line]]] = defaultdict(list)
    for doc_id, ln in all_extra:
        groups[_key(ln.text)].append((doc_id, ln))
    ranked = sorted(
        groups.values(), key=lambda g: (-len({d for d, _ in g}), -len(g), -sum(x.words for _, x in g))
    )
    out.append("")
    out.append(
        f"   top {top} extra lines (docs, lines, category, [first position/lines], text truncated to 100;"
    )
    out.append(
        "   lines seen in one document only: at most 3 per document, so that one page does not fill the list):"
    )
    shown_per_doc: Counter[str] = Counter()
    shown = 0
    for g in ranked:
        if shown >= top:
            break
        docs = {d for d, _ in g}
        doc_id, ln = g[0]
        if len(docs) == 1:
            if shown_per_doc[doc_id] >= 3:
                continue
            shown_per_doc[doc_id] += 1
        shown += 1
        out.append(
            f"   {len(docs):>3} {len(g):>3}  {{{ln.category}}} [{ln.index}/{ln.n_lines}] {_trunc(ln.text)}"
        )
    out.append("")
    out.append("   examples per category (up to 8 each, most words first):")
    for cat in cats_sorted:
        ex = sorted((x for x in all_extra if x[1].category == cat), key=lambda x: -x[1].words)
        seen: set[str] = set()
        shown = 0
        out.append(f"   [{cat}]")
        for _doc_id, ln in ex:
            k = _key(ln.text)
            if k in seen:
                continue
            seen.add(k)
            out.append(f"      [{ln.index}/{ln.n_lines}] {_trunc(ln.text)}")
            shown += 1
            if shown >= 8:
                break
    return ArticleAnalysis(system, per_doc, out, detail)


# ------------------------------------------------------------------ snippet analysis


def analyze_snippets(
    system: str, per_doc_scores: Mapping[str, object], html: Mapping[str, str]
) -> ArticleAnalysis:
    detail: list[str] = []
    per_doc: dict[str, dict[str, object]] = {}
    cats: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    n_fp = n_fn = 0
    for doc_id, s in per_doc_scores.items():
        fp, fn = list(s.fp), list(s.fn)  # type: ignore[attr-defined]
        if not fp and not fn:
            continue
        hints = page_hints(html[doc_id])
        fp_cats = [categorize_snippet(x, hints) for x in fp]
        per_doc[doc_id] = {
            "without_found": [{"text": x, "category": c} for x, c in zip(fp, fp_cats, strict=True)],
            "with_missed": fn,
        }
        n_fp += len(fp)
        n_fn += len(fn)
        detail.append(f"--- {doc_id}  without found {len(fp)}, with missed {len(fn)}")
        for x, c in zip(fp, fp_cats, strict=True):
            cats[c] += 1
            examples[c].append(x)
            detail.append(f"  + {{{c}}} {_trunc(x, 110)}")
        for x in fn:
            detail.append(f"  - {_trunc(x, 110)}")
    out = [
        f"== error analysis: {system} on snippet set ({len(per_doc_scores)} docs)",
        f"   'without' snippets found (FP): {n_fp} in "
        f"{sum(1 for d in per_doc.values() if d['without_found'])} docs; 'with' snippets missed (FN): {n_fn}",
        "",
        f"   {'category of found without-snippets':<36} {'count':>6} {'share':>6}",
    ]
    for c, n in cats.most_common():
        out.append(f"   {c:<36} {n:>6} {n / max(n_fp, 1):>6.1%}")
    out.append("")
    out.append("   examples per category (up to 6 each):")
    for c, _ in cats.most_common():
        out.append(f"   [{c}]")
        for x in examples[c][:6]:
            out.append(f"      {_trunc(x)}")
    return ArticleAnalysis(system, per_doc, out, detail)
