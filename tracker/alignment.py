"""Aligning the commitments of two readouts of one meeting: which undertakings both report.

Two cases, one procedure:
- **counterpart**: each government's readout of the meeting. The same undertaking is worded
  differently, in any order, and each side leaves some out.
- **translation**: the ministry's English version of its Japanese original. The points follow
  the original one for one, so the point and the order inside it weigh as much as the words.

Each pair of commitments gets a score from 0 to 1: how alike their words are (the quote, and a
little of the point around it, which names the topic when the quote does not: 「日韓,日韓米での
緊密な連携」 is about North Korea only by its point), plus, for a translation, agreement of point
and order. Pairs are then taken best first, each commitment at most once, down to a threshold.

Words: English against English by the topic words they share, weighted by how rare each is in
the two readouts (diplomatic verbs such as "agreed", "continue", "cooperate" and the parties'
names say nothing about *what* was undertaken, so they do not count). Across languages by
multilingual sentence embeddings (`tracker.embeddings`). Measured by `tracker eval-reconcile`
on the pairs in corpus/pairs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

# Score from which two commitments count as the same undertaking (see tracker eval-reconcile).
THRESHOLD = 0.30
# The weight of shared terms at which two texts count as half alike (see word_similarity).
SHARED_HALF = 2.0
# Share of the score that the surrounding point's words carry.
CONTEXT_WEIGHT = 0.3
# For a translation: what agreeing on the point and the order inside it adds.
SAME_POINT_BONUS = 0.35
SAME_RANK_BONUS = 0.15


@dataclass(frozen=True)
class Item:
    """One commitment as alignment reads it."""

    ref: int  # the caller's key (a commitment id, or an index)
    quote: str
    context: str  # the text of the point the commitment is in
    point: int  # the point's order in its readout (1..k)
    rank: int  # the commitment's order inside its point (0..)
    language: str = "en"
    parties: frozenset[str] = field(default_factory=frozenset)
    deadline_type: str = "none"
    due_date: dt.date | None = None


@dataclass(frozen=True)
class Pair:
    a: Item
    b: Item
    score: float


# --- English words ------------------------------------------------------------------------------

# Words of any sentence, and the verbs and nouns with which readouts say that something was
# undertaken: they tell nothing about what the undertaking is.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "toward",
        "towards",
        "as",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "us",
        "you",
        "i",
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "also",
        "further",
        "including",
        "such",
        "other",
        "others",
        "both",
        "each",
        "all",
        "any",
        "well",
        "between",
        "among",
        "within",
        "through",
        "over",
        "under",
        "about",
        "after",
        "before",
        "upon",
        "while",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "there",
        "here",
        "than",
        "then",
        "so",
        "very",
        "more",
        "most",
        "two",
        "side",
        "sides",
        "minister",
        "ministers",
        "foreign",
        "prime",
        "president",
        "secretary",
        "state",
        "leaders",
        "leader",
        "government",
        "governments",
        "country",
        "countries",
        "two-way",
        "bilateral",
        "mr",
        "ms",
        "h.e.",
        "honorable",
        "agree",
        "agreed",
        "confirm",
        "confirmed",
        "reconfirm",
        "reconfirmed",
        "reaffirm",
        "reaffirmed",
        "reiterate",
        "reiterated",
        "affirm",
        "affirmed",
        "share",
        "shared",
        "view",
        "views",
        "concur",
        "concurred",
        "express",
        "expressed",
        "intention",
        "intend",
        "intends",
        "hope",
        "hopes",
        "hoped",
        "wish",
        "wished",
        "like",
        "want",
        "desire",
        "commit",
        "committed",
        "commitment",
        "commitments",
        "pledge",
        "pledged",
        "resolve",
        "resolved",
        "undertake",
        "state",
        "stated",
        "said",
        "say",
        "says",
        "noted",
        "note",
        "continue",
        "continued",
        "continuing",
        "work",
        "working",
        "worked",
        "together",
        "closely",
        "close",
        "closer",
        "cooperate",
        "cooperation",
        "cooperating",
        "cooperated",
        "collaborate",
        "collaboration",
        "coordinate",
        "coordination",
        "coordinating",
        "coordinated",
        "promote",
        "promoting",
        "efforts",
        "effort",
        "make",
        "making",
        "ensure",
        "ensuring",
        "strengthen",
        "strengthening",
        "enhance",
        "enhancing",
        "further",
        "deepen",
        "deepening",
        "future",
        "forward",
        "going",
        "respective",
        "various",
        "region",
        "regional",
        "issue",
        "issues",
        "matter",
        "matters",
        "field",
        "fields",
        "area",
        "areas",
        "relation",
        "relations",
        "relationship",
        "ties",
        "partner",
        "partners",
        "partnership",
        "international",
        "community",
        "world",
        "peace",
        "stability",
        "prosperity",
        "way",
        "ways",
        "opportunity",
        "opportunities",
        "level",
        "levels",
        "situation",
        "importance",
        "important",
        "view",
        "views",
        "exchange",
        "exchanged",
        "exchanging",
        "discuss",
        "discussed",
        "discussion",
        "discussions",
        "outset",
        "response",
        "responded",
        "gratitude",
        "appreciation",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")
# North Korea is a topic even where the Republic of Korea is a party: one word for it.
_NORTH_KOREA = re.compile(r"north\s+korean?|democratic\s+people['’]s\s+republic\s+of\s+korea")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=256)
def _party_words(parties: frozenset[str]) -> frozenset[str]:
    """Words that name the given parties: names, abbreviations and demonyms ("japan", "japanese",
    "rok"). Only the meeting's own parties are dropped: "Russia", "Ukraine" or "North Korea" in an
    undertaking are its topic."""
    from tracker.extraction.party_names import _DEMONYMS, _EXTRA_ALIASES

    surfaces = [
        *(name for name, party in _DEMONYMS.items() if party in parties),
        *(name for name, party in _EXTRA_ALIASES.items() if party in parties),
        *parties,
    ]
    words: set[str] = set()
    for surface in surfaces:
        words.update(_WORD.findall(surface.lower().replace("u.s.", "us").replace("u.k.", "uk")))
    # Nor are the common words some names are made of.
    return frozenset(words - {"new", "people", "great", "democratic", "of"})


@lru_cache(maxsize=8192)
def topic_words(text: str, parties: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The stemmed topic words of an English text, in order (stop words and the names of
    `parties`, the meeting's own, left out)."""
    lowered = _NORTH_KOREA.sub("dprk", text.lower().replace("u.s.", "us").replace("u.k.", "uk"))
    names = _party_words(parties)
    raw = [w for w in _WORD.findall(lowered) if w not in _STOP and w not in names and len(w) > 1]
    return tuple(stem(w) for w in raw)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem (the Snowball stemmer is pure Python: each word is stemmed once)."""
    return str(_stemmer().stemWord(word))


# The parties whose names are dropped when the commitments name none (the usual meeting parties).
_DEFAULT_PARTIES = frozenset(
    {
        "Japan",
        "United States",
        "Republic of Korea",
        "China",
        "United Kingdom",
        "Australia",
        "India",
        "Canada",
        "European Union",
    }
)


def _terms(text: str, parties: frozenset[str]) -> set[str]:
    """Topic words and the pairs of neighbouring topic words ("climat chang"): a shared phrase
    says more than its two words apart."""
    words = topic_words(text, parties)
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


class WordWeights:
    """How much sharing each term says: rare terms in these readouts weigh more (smoothed idf).

    `normalised` divides by the weight of a term no document has, so that a weight says the same
    whether there are fifteen documents (two readouts) or a thousand (every earlier commitment)."""

    def __init__(
        self,
        documents: Sequence[str],
        parties: frozenset[str],
        *,
        normalised: bool = False,
        terms: Callable[[str, frozenset[str]], Iterable[str]] | None = None,
    ) -> None:
        counts: Counter[str] = Counter()
        for doc in documents:
            counts.update((terms or _terms)(doc, parties))
        self.total = max(1, len(documents))
        self.counts = counts
        self.parties = parties
        self.scale = math.log(1.0 + self.total) if normalised else 1.0

    def __call__(self, term: str) -> float:
        return math.log(1.0 + self.total / (1.0 + self.counts.get(term, 0))) / self.scale


def word_similarity(a: str, b: str, weights: WordWeights, *, half: float | None = None) -> float:
    """How much topic two English texts share (0..1): `half` is the shared weight that gives 0.5."""
    wa, wb = _terms(a, weights.parties), _terms(b, weights.parties)
    if not wa or not wb:
        return 0.0
    # fsum: exactly rounded whatever the set's order (which changes with the hash seed).
    shared = math.fsum(weights(w) for w in wa & wb)
    # How much topic is shared, not what share of each text: one side often sums up in a few words
    # what the other spells out ("strengthen the Alliance" against "modernizing the Alliance,
    # aligning strategic goals ..."). Saturating: one rare term gives ~0.4, a shared phrase ~0.7.
    # Measured on corpus/pairs: 2.0 with a 0.30 threshold gave the best precision and recall;
    # 2.5 and 3.0 lost recall, and so did a 0.35 threshold.
    half = SHARED_HALF if half is None else half
    return shared / (shared + half)


# --- similarity matrices ----------------------------------------------------------------------

Matrix = list[list[float]]


def _english_matrix(a: Sequence[Item], b: Sequence[Item]) -> Matrix:
    parties = frozenset(p for i in (*a, *b) for p in i.parties) or _DEFAULT_PARTIES
    weights = WordWeights(
        [*(i.quote for i in a), *(i.quote for i in b), *{i.context for i in (*a, *b)}], parties
    )
    return [
        [
            (1 - CONTEXT_WEIGHT) * word_similarity(x.quote, y.quote, weights)
            + CONTEXT_WEIGHT * word_similarity(x.context, y.context, weights)
            for y in b
        ]
        for x in a
    ]


# Cosines of unrelated sentences of one meeting sit around 0.78-0.82 with e5, those of one
# undertaking in two languages 0.84-0.92: this maps that band onto 0..1.
_COSINE_FLOOR = 0.79
_COSINE_SPAN = 0.10


def _embedding_matrix(a: Sequence[Item], b: Sequence[Item]) -> Matrix:
    from tracker.embeddings import cosine_matrix

    quotes = cosine_matrix([i.quote for i in a], [i.quote for i in b])
    contexts = cosine_matrix([i.context for i in a], [i.context for i in b])

    def scale(value: float) -> float:
        return min(1.0, max(0.0, (value - _COSINE_FLOOR) / _COSINE_SPAN))

    latin_a, latin_b = [_latin(i.quote) for i in a], [_latin(i.quote) for i in b]
    return [
        [
            min(
                1.0,
                (1 - CONTEXT_WEIGHT) * scale(float(quotes[i][j]))
                + CONTEXT_WEIGHT * scale(float(contexts[i][j]))
                + (LATIN_BONUS if latin_a[i] & latin_b[j] else 0.0),
            )
            for j in range(len(b))
        ]
        for i in range(len(a))
    ]


# Names written in Latin letters or digits in both languages ("2+2", "G7", "TPP", "EPA") are the
# surest sign that a Japanese and an English sentence speak of the same thing.
LATIN_BONUS = 0.25
_LATIN = re.compile(r"[a-z0-9][a-z0-9+\-]*[a-z0-9+]|[0-9]")


def _latin(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKC", text).lower().replace(" plus ", "+")
    return {t for t in _LATIN.findall(folded) if not t.isdigit() or len(t) > 1 or "+" in t}


# How English is compared with English: "words" (topic words), "embeddings", or "both" (their
# mean). Across languages it is always embeddings. See `tracker eval-reconcile --similarity`.
ENGLISH_METHODS = ("words", "embeddings", "both")
ENGLISH_METHOD = "words"


def similarity_matrix(a: Sequence[Item], b: Sequence[Item], *, english: str | None = None) -> Matrix:
    """How alike the words of each commitment of `a` and each of `b` are (0..1)."""
    if not a or not b:
        return [[] for _ in a]
    languages = {i.language for i in (*a, *b)}
    method = english or ENGLISH_METHOD
    if languages != {"en"} or method == "embeddings":
        return _embedding_matrix(a, b)
    words = _english_matrix(a, b)
    if method == "words":
        return words
    meaning = _embedding_matrix(a, b)
    return [
        [(x + y) / 2.0 for x, y in zip(rw, rm, strict=True)] for rw, rm in zip(words, meaning, strict=True)
    ]


# --- alignment --------------------------------------------------------------------------------


def align(
    a: Sequence[Item],
    b: Sequence[Item],
    *,
    translation: bool,
    threshold: float = THRESHOLD,
    english: str | None = None,
) -> list[Pair]:
    """The commitments of `a` and `b` that report the same undertaking, best pairs first."""
    words = similarity_matrix(a, b, english=english)
    scored: list[tuple[float, int, int]] = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            score = words[i][j]
            if translation and x.point == y.point:
                score += SAME_POINT_BONUS + (SAME_RANK_BONUS if x.rank == y.rank else 0.0)
            if score >= threshold:
                scored.append((score, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[Pair] = []
    for score, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append(Pair(a[i], b[j], round(min(score, 1.0), 3)))
    return pairs
