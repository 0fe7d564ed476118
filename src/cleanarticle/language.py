"""Which rule packs a document needs: a cheap stopword count, not a language identifier.

Running every pack on every document costs time and risks false positives from languages the page
is not in. The default Cleaner (``languages="auto"``) runs English (boilerplate in English turns up on
pages in every language: "(With inputs from IANS)" on Hindi sites) plus every pack whose stopwords make
up a fair share of a sample of the document: its first prose paragraphs, about a hundred and seventy words
(enough: the stopwords are a quarter of the words of prose), or its first few thousand characters
when it has little prose. A Cleaner given explicit languages runs exactly those: language-specific
behaviour never silently falls back.
"""

from __future__ import annotations

from collections import Counter

#: Frequent function words, chosen to be rare in the other languages of the list (so not "des",
#: "es", "um" or "das" outside German, where they are frequent too).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to is was that for with are have has from this which were said been".split()),
    "de": frozenset("der die das und ist nicht mit sich auch auf für dem den eine einen sagte wurde".split()),
    "fr": frozenset("le les est une dans pour qui sur avec pas plus été cette aux ont selon".split()),
    "es": frozenset("el los las del una por con para según fue han más como sus este esta".split()),
    "it": frozenset("il della che per sono nel alla dei gli anche questo stato delle degli".split()),
    "pt": frozenset("os uma com não foi são pelo pela pelos pelas também mais seu sua ao às em está foram".split()),
    "nl": frozenset("het een van niet zijn voor ook dat aan naar werd door wordt bij heeft".split()),
    "pl": frozenset("się nie jest że jak przez oraz został tym jego od po które także".split()),
    "hi": frozenset("के में की है और से को का ने पर यह कि भी था गया".split()),
}
SAMPLE_CHARS = 1000
#: Paragraphs at least this long are prose; the sample is drawn from them first.
PROSE_CHARS = 80
#: A text up to this long is read whole (its few paragraphs may all be short)...
WHOLE_CHARS = 1500
#: ...and a longer one with less prose than half a sample is read from its start, this far.
FALLBACK_CHARS = 3000
#: A language whose stopwords are at least this share of all stopword hits is run.
MIN_SHARE = 0.15
MIN_HITS = 3
#: Below this many words a text gives no evidence, and every pack runs.
MIN_WORDS = 40

#: each stopword mapped to the packs it counts for. Small on purpose: the lookups of a sample's
#: words are the detection's cost, and after an extraction the table is out of the CPU caches (a
#: table of every word with a punctuation mark stuck to it, 29 times larger, cost more cold than
#: it found: the same packs for all 774 benchmark texts without it). Each stopword is there in three
#: forms, as written, capitalised and in capitals ("the", "The", "THE"): the sample's
#: words are looked up as they stand, without lower()ing the sample first (lower() maps every
#: character of a text with a curly quote in it through the full Unicode tables: a quarter of the
#: detection's instructions). A word in other mixed case ("tHe") is not counted.
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in STOPWORDS.items():
    for _w in _words:
        for _form in {_w, _w.capitalize(), _w.upper()}:
            _LANGS_OF[_form] = (*_LANGS_OF.get(_form, ()), _lang)


def _sample(text: str) -> str:
    """A short text whole; of a longer one, the first ``SAMPLE_CHARS`` characters of its prose
    paragraphs, or its first ``FALLBACK_CHARS`` when it has too little prose (a menu, a table or a
    list of tags at the top holds few stopwords: a page opening with one would look like no language)."""
    if len(text) <= WHOLE_CHARS:
        return text
    head = text[: SAMPLE_CHARS * 8]
    picked: list[str] = []
    size = 0
    for line in head.split("\n"):
        if len(line) >= PROSE_CHARS:
            picked.append(line)
            size += len(line) + 1
            if size >= SAMPLE_CHARS:
                return "\n".join(picked)[:SAMPLE_CHARS]
    if size >= SAMPLE_CHARS // 2:
        return "\n".join(picked)
    return text[:FALLBACK_CHARS]


def detect_languages(text: str, available: tuple[str, ...]) -> tuple[str, ...]:
    """English plus the packs of ``available`` whose stopwords are frequent in ``text``, in pack order.

    A short text (fewer than ``MIN_WORDS`` words) runs every pack; a long one with no stopword of any
    pack (a language without a pack) runs English only.
    """
    words = _sample(text).split()
    counts: Counter[str] = Counter()
    # a set test per word, the stopwords counted in C; each distinct one is looked at once
    for word, n in Counter([w for w in words if w in _LANGS_OF]).items():
        for lang in _LANGS_OF[word]:
            counts[lang] += n
    total = sum(counts.values())
    if total < MIN_HITS and len(words) < MIN_WORDS and len(text) < 20 * MIN_WORDS:
        return available  # too little evidence: a short text may be in any language
    chosen = {"en"}
    for lang, n in counts.items():
        if n >= MIN_HITS and n >= MIN_SHARE * total:
            chosen.add(lang)
    return tuple(lang for lang in available if lang in chosen)
