"""Progress read from later readouts: which earlier undertakings a new readout reports on, and how.

A later readout often says what became of an earlier undertaking: "welcomed the signing of the
agreement" (done), "welcomed the decision to begin negotiations" (progress), "once again
confirmed that they will continue working together to resolve the abductions issue" (said
again). Each sentence of the new readout is compared with the earlier open commitments that
share its parties, by the topic terms they share (`tracker.alignment`: the agreement, the
meeting, the visit named in both), and a sentence that reports on one is classified by the words
diplomatic prose uses for each outcome:

- **done**: the thing happened: signed, held, concluded, launched, met, visited, entered into
  force, "welcomed the signing / holding / visit / success of", notes exchanged;
- **progress**: it is under way: progress, advanced, accelerated, began negotiations, the
  decision to begin, deployment, preparations, scheduled ("will co-host ... on Friday");
- **reaffirmed**: said again, nothing happened yet ("reaffirmed", "once again", "will continue").

What looks forward ("toward the signing", "an early conclusion", "will be signed") is never done,
and an undertaking of several steps ("early signing and entry into force") is done only by its last.

The object is recognised in other words: one spelling (British or American), one name for an
agreement or body and its letters (those the readouts define too), "give effect to" for "entry
into force", a part for its whole ("vaccines" reports on "COVID-19"); words of how and when
("early", "next", "even more closely"), offices and people's names are not the object; an
undertaking that lists several objects is reported on by a sentence on one of them.
Nothing here writes: `tracker.services.progress` proposes, and an officer accepts.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.alignment import WordWeights, stem, topic_words

# How much of an earlier commitment's weighted terms a later sentence must repeat (0..1) to be taken
# to report on it; measured by `tracker eval-progress corpus/progress`. A restatement repeats most
# of it; a sentence saying the thing happened names only its object ("the RAA was signed", "held a
# summit meeting with Modi"), so with a done or progress cue next to that name far less is needed.
THRESHOLD = 0.4
DONE_THRESHOLD = 0.12
# The normalised weight of shared terms that makes a sentence and a commitment half alike: one
# rare term (~0.8) falls short, a rare phrase ("carrier strike group", ~3) is well past it.
SHARED_HALF = 1.5


class Outcome(enum.StrEnum):
    DONE = "done"
    PROGRESS = "progress"
    REAFFIRMED = "reaffirmed"


@dataclass(frozen=True)
class Earlier:
    """An earlier open commitment, as matching reads it."""

    ref: int
    quote: str
    parties: frozenset[str]
    language: str = "en"
    context: str = ""  # the text of the point it is in: it may name what the quote only refers to


@dataclass(frozen=True)
class Statement:
    """One sentence of the later readout, with its offsets in the later text."""

    point: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ProgressMatch:
    earlier: Earlier
    statement: Statement
    outcome: Outcome
    score: float
    cue: str  # the words that decided the outcome ("" for a plain restatement)


# --- terms ---------------------------------------------------------------------------------
# A later readout names the undertaking's object in its own words: British or American spelling
# ("defence", "defense"), the usual short form ("COVID-19", "the coronavirus"), an equivalent
# phrase ("give effect to" an agreement is its "entry into force"). Each is brought to one form
# before terms are compared, without moving a character (the cues' offsets stay valid): a
# replacement is never longer than what it replaces, and is padded with spaces.
_SAME_THING: tuple[tuple[str, str], ...] = (
    (r"\bdefence\b", "defense"),
    (r"\boffence\b", "offense"),
    (r"\bprogrammes?\b", "program"),
    (r"\bcentres?\b", "center"),
    (r"\blabour\b", "labor"),
    (r"\bneighbour(?=s?\b|ing\b|hood\b)", "neighbor"),
    (r"\b(?:favour|honour|behaviour|endeavour|harbour|vigour|colour)", ""),
    # "organise", "realisation", "denuclearisation": the s becomes z ("" keeps the match's letters
    # but the last). Not in words whose s is their own ("promise", "exercise", "raise", "advise").
    (
        r"\b(?!(?:prom|exerc|compr|surpr|otherw|prec|conc|enterpr|expert|franch|merchand|comprom|disgu|"
        r"dev|rev|superv|telev|prem|pra|cru|bru|ar|r|w|likew|clockw|improv|desp|chast|exc|inc|dem|appr|repr|"
        r"parad|treat|adv)is)[a-z]{3,}is(?=e\b|ed\b|es\b|ing\b|ation|ations\b)",
        "",
    ),
    (r"\b(?:covid[- ]?19|covid|coronavirus|novel\s+coronavirus)\b", "COVID"),
    # Agreements, bodies and visions that readouts name in full or by their letters.
    (
        r"\b(?:(?:CP)?TPP(?:[- ]?11)?|(?:Comprehensive\s+and\s+Progressive\s+Agreement\s+for\s+)?"
        r"Trans[- ]Pacific\s+Partnership(?:\s+Agreement)?)\b",
        "TPP",
    ),
    (r"\b(?:FOIP|free\s+and\s+open\s+Indo[- ]Pacific)\b", "FOIP"),
    (r"\b(?:RAA|Reciprocal\s+Access\s+Agreement)\b", "RAA"),
    (r"\b(?:EPA|Economic\s+Partnership\s+Agreement)\b", "EPA"),
    (r"\b(?:FTA|Free\s+Trade\s+Agreement)\b", "FTA"),
    (r"\b(?:UNSC|(?:United\s+Nations|UN)\s+Security\s+Council)\b", "UNSC"),
    (r"\b(?:WMDs?|weapons\s+of\s+mass\s+destruction)\b", "WMD"),
    (r"\b(?:G7|G-7|Group\s+of\s+Seven)\b", "G7"),
    (r"\b(?:G20|G-20|Group\s+of\s+Twenty)\b", "G20"),
    (r"\b(?:USMCA|CUSMA|new\s+NAFTA|NAFTA|North\s+American\s+Free\s+Trade\s+Agreement)\b", "NAFTA"),
    (r"\b(?:JCPOA|Joint\s+Comprehensive\s+Plan\s+of\s+Action|Iran\s+nuclear\s+deal)\b", "JCPOA"),
    (r"\b(?:RCEP|Regional\s+Comprehensive\s+Economic\s+Partnership(?:\s+Agreement)?)\b", "RCEP"),
    (r"\b(?:BRI|Belt\s+and\s+Road(?:\s+Initiative)?|One\s+Belt,?\s+One\s+Road)\b", "BRI"),
    (r"\b(?:WTO|World\s+Trade\s+Organi[sz]ation)\b", "WTO"),
    (r"\b(?:NATO|North\s+Atlantic\s+Treaty\s+Organi[sz]ation)\b", "NATO"),
    (r"\b(?:APEC|Asia[- ]Pacific\s+Economic\s+Cooperation)\b", "APEC"),
    (r"\b(?:ASEAN|Association\s+of\s+Southeast\s+Asian\s+Nations)\b", "ASEAN"),
    (r"\b(?:IAEA|International\s+Atomic\s+Energy\s+Agency)\b", "IAEA"),
    (r"\b(?:UNGA|(?:United\s+Nations|UN)\s+General\s+Assembly)\b", "UNGA"),
    (r"\b(?:give|giving|gave|given)\s+effect\s+to\b", "eif"),
    (r"\b(?:entry|enter|entered|enters|entering)\s+into\s+force\b", "eif"),
    (r"\b(?:bring|brought|bringing)\s+(?:\w+\s+){0,6}?into\s+force\b", "eif"),
    # A relationship between the parties is an object too ("strengthen the UK-Japan
    # relationship" is reported by "expanding our relationship with Japan").
    (r"\b(?:relationship|relations|ties)\b", "tie"),
    # ... and so is a partnership, or the work and cooperation "between the UK and France".
    (r"\bpartnerships?\b|\b(?:close\s+)?(?:work|cooperation|collaboration)(?=\s+between\b)", "tie"),
)
_SAME = re.compile(
    "|".join(f"(?P<t{i}>{pattern})" for i, (pattern, _) in enumerate(_SAME_THING)), re.IGNORECASE
)


def _respelt(word: str) -> str:
    """The American spelling of a British word the table marks by an empty token: "-our" -> "-or",
    "-is(e)" -> "-iz(e)" (never longer: padded by the caller)."""
    if word.lower().endswith("our"):
        return word[:-2] + word[-1]
    return word[:-1] + ("Z" if word[-1].isupper() else "z")


def _same(match: re.Match[str]) -> str:
    found = match.group()
    token = _SAME_THING[int(str(match.lastgroup)[1:])][1] or _respelt(found)
    return token + " " * (len(found) - len(token)) if len(token) <= len(found) else found


# Words that say how or when an undertaking is to be done, or that it is to be done, not what it
# is about: "looked forward to ... toward the next G7 Summit" is about the G7 Summit,
# "accelerate the remaining tasks necessary for an early signing of the RAA" about signing the RAA.
# So are the verbs of making a relationship grow ("deepen and widen", "reinvigorate"), the days,
# months and parts of the day a readout dates things by ("the summit on Thursday", "the package
# agreed in March"), and the first halves of "Anglo-French", "Sino-Japanese": the parties.
_HOW_WORDS = frozenset(
    """look looking looked next upcoming early earliest swift swiftly prompt promptly soon
    current currently recent recently fully take taking aim aiming achieve achieving realize realizing
    advance advancing accelerate accelerating remaining task tasks necessary elevate elevating
    instruct instructed respectively convey conveyed conveying determination manner utilize
    order possible possibly lend steadily actively even still again ever greatly mutually jointly firmly
    strongly constantly
    widen widening broaden broadening reinvigorate reinvigorating revitalize revitalizing bolster bolstering
    intensify intensifying boost boosting
    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight morning afternoon
    evening week weeks month months later turning
    welcome welcomed welcoming
    anglo franco sino russo""".split()  # noqa: SIM905
)
# A later sentence on a part of an undertaking's object reports on it ("cooperation including the
# response to COVID-19" -> "equitable delivery of vaccines"); the reverse does not (vaccine
# delivery is not reported by "issues such as COVID-19"). So only the later sentence's words gain
# the broader object.
_BROADER: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), broader)
    for pattern, broader in (
        (r"\b(?:vaccin\w*|covax|pandemic)\b", "COVID"),
        (
            r"\b(?:carbon[- ]neutral\w*|decarboni[sz]\w*|net[- ]zero|greenhouse\s+gas\w*|emissions?|"
            r"cop\s?2\d)\b",
            "climate change",
        ),
    )
)
# The names of people (the speakers, the counterpart) are not the object of an undertaking.
# An office is not an object either: "the Ministers for Foreign Affairs and Defence" are not the
# defence cooperation they were instructed to strengthen.
_OFFICE = re.compile(
    r"\b(?:Ministers?|Secretary|Secretaries)\s+(?:for|of)\s+(?:State\s+for\s+)?"
    r"(?:[A-Z][a-z]+|and|,|&)(?:\s*(?:[A-Z][a-z]+|and|,|&))*"
)
_PERSON = re.compile(
    r"\b((?:Prime\s+Minister|Minister|Secretary|President|Vice\s+President|Chairman|Chancellor|Premier|"
    r"Senator|Ambassador|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|H\.E\.?)\s+)((?:[A-Z][A-Za-z'’\-]+\.?\s?){1,3})"
)


@functools.lru_cache(maxsize=16384)
def normalised(text: str) -> str:
    """`text` with each object written one way and office titles blanked, at the same offsets."""
    return _SAME.sub(_same, _OFFICE.sub(lambda m: " " * len(m.group()), text))


@functools.lru_cache(maxsize=16384)
def _people(text: str, parties: frozenset[str]) -> frozenset[str]:
    """The stemmed words of the people's names in `text` (after a title: "Prime Minister Johnson")."""
    return frozenset(w for m in _PERSON.finditer(text) for w in _words(m.group(2), parties))


def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


_HOW_STEMS = _stems(_HOW_WORDS)


def _fold(word: str) -> str:
    """One stem for a noun in -y and its adjective in -ic or -ical ("economy" and "economic",
    "strategy" and "strategic", "technology" and "technological": Snowball keeps their i apart)."""
    return word[:-1] if len(word) > 5 and word.endswith("i") else word


@functools.lru_cache(maxsize=16384)
def _words(text: str, parties: frozenset[str]) -> tuple[str, ...]:
    return tuple(_fold(w) for w in topic_words(text, parties))


# Welcoming or hosting a leader in a place is a visit ("looked forward to welcoming the President to
# the UK next week" is reported by "reflected on the State Visit of the President").
_EN_HOSTING = re.compile(
    r"\b(?:welcom|host|receiv)\w*\s+(?:(?:the|his|her|their)\s+)?(?:President|Prime\s+Minister|Chancellor|King|"
    r"Queen|Emperor|Crown\s+Prince|Premier|Secretary|Minister|him|her|them)\b(?:\s+(?-i:[A-Z])[\w\-]*){0,3}\s+"
    r"(?:to|in)\s+(?:the\s+)?(?-i:[A-Z])",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=16384)
def terms(text: str, parties: frozenset[str]) -> frozenset[str]:
    """The topic words of `text` and the pairs of neighbouring ones, as progress compares them."""
    words = [w for w in _words(normalised(text), parties) if w not in _HOW_STEMS]
    found = frozenset(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}
    return found | {"visit"} if _EN_HOSTING.search(text) else found


@functools.lru_cache(maxsize=16384)
def later_terms(text: str, parties: frozenset[str]) -> frozenset[str]:
    """A later sentence's terms, with the broader objects its words are part of."""
    found = set(terms(text, parties))
    for pattern, broader in _BROADER:
        if pattern.search(text):
            found |= terms(broader, parties)
    return frozenset(found)


# --- sentences -------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?。])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9(])|(?<=。)|\n+")
# A full stop after these is not the end of a sentence ("Mr. Kim", "Antony J. Blinken", "U.S.",
# "at 11:50 a.m. (local time)").
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Ms|Mrs|Dr|H\.E|Hon|Rt|St|Jr|Sr|No|Gen|Amb|e\.g|i\.e|U\.S|U\.K|a\.m|p\.m|[A-Z])\.)$"
)


def sentences(text: str, spans: Sequence[tuple[int, int, int]]) -> list[Statement]:
    """The sentences of each point (point order, start, end), with offsets into `text`."""
    found: list[Statement] = []
    for order, start, end in spans:
        at = start
        for m in _SENTENCE_END.finditer(text, start, end):
            if text[m.start() - 1 : m.start()] == "." and _ABBREVIATION.search(
                text, max(start, m.start() - 6), m.start()
            ):
                continue
            if m.start() > at:
                found.append(_statement(text, order, at, m.start()))
            at = m.end()
        if at < end:
            found.append(_statement(text, order, at, end))
    return [s for s in found if s.text.strip()]


def body_start(text: str) -> int:
    """Where a readout's body begins: after its title line (the lead paragraph often reports what
    happened: "the Agreement ... was signed", "held a summit meeting with ...")."""
    end = text.find("\n")
    return 0 if end < 0 else end + 1


def _statement(text: str, order: int, start: int, end: int) -> Statement:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Statement(order, start, end, text[start:end])


# --- classification --------------------------------------------------------------------------

_DONE_NOUNS = (
    r"signing|signature|holding|conclusion|entry\s+into\s+force|launch|establishment|adoption|ratification|"
    r"visit|success|successful\s+\w+|outcomes?|achievements?|completion|opening|inauguration|"
    # "welcomed the first meeting of the working group": it was held.
    r"(?:first|inaugural)\s+(?:meeting|round|session|dialogue|summit)"
)
_EN_DONE = re.compile(
    rf"\b(?:welcom\w*|appreciat\w*|prais\w*|paid\s+homage\s+to|touched\s+upon|noted|hailed|celebrat\w*|"
    # "reflected on the success of the meeting", "reflected on the State Visit so far": it took place.
    rf"reflect\w*\s+on)"
    rf"\s+(?:[\w'’\-]+\s+){{0,8}}?(?:the\s+|its\s+|their\s+)?(?:{_DONE_NOUNS})\b"
    r"|\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+\s+)?(?:signed|concluded|launched|"
    r"adopted|established|completed|exchanged|issued|opened|achieved|realized|realised|ratified|finali[sz]ed)\b"
    r"|\b(?:signed|concluded|launched|completed|exchanged|issued|ratified|finali[sz]ed)\b(?!\s+(?:to|toward|towards))"
    r"|\bentered\s+into\s+force\b|\benter\s+into\s+force\s+on\b|\bin\s+organizing\b",
    re.IGNORECASE,
)
# "welcomed the outcome of last month's meeting, including the signing of the RAA": a fact named
# further on in what the sentence welcomes is done too.
_EN_WELCOMED = re.compile(
    r"\b(?:welcom\w*|appreciat\w*|prais\w*|touched\s+upon|hailed|celebrat\w*|commend\w*|reflect\w*\s+on)\b",
    re.IGNORECASE,
)
_EN_DONE_OF = re.compile(
    r"\b(?:the\s+|its\s+|their\s+)(?:signing|signature|holding|conclusion|entry\s+into\s+force|launch|"
    r"establishment|adoption|ratification|completion|opening|inauguration)\s+of\b",
    re.IGNORECASE,
)
# That a meeting or visit took place: done only for an undertaking to meet or visit (the lead of
# every readout says its own meeting was held).
_EN_MET = re.compile(
    r"\b(?:held|met|visited|took\s+place)\b"
    # ... or that the later readout refers to it as past: "during the first U.S.-North Korea Summit",
    # "following the recent summit" (an undertaking for its success is then done).
    r"|\b(?:during|following|after|since|at)\s+the\s+(?:first|recent|last|previous|latest|historic)\b"
    r"|\bthe\s+(?:recent|last|previous|latest)\s+(?=(?:[\w.\-]+\s+){0,5}?(?:summit|meeting|visit|talks)\b)",
    re.IGNORECASE,
)
_EN_ABOUT_MEETING = re.compile(
    r"\b(?:meet\w*|visit\w*|summit|talks?|see\s+each\s+other|hold\w*|convene\w*|consultations?|2\s*\+\s*2|"
    r"2\s+plus\s+2|dialogues?|conferences?|forums?|rounds?|sessions?|speak\w*)\b",
    re.IGNORECASE,
)
_EN_KEEP_IN_TOUCH = re.compile(
    r"\b(?:stay|staying|keep|keeping|remain|remaining|maintain|maintaining|continue|continuing)\s+(?:\w+\s+){0,3}?"
    r"(?:touch|contact|communication|communications|dialogue|consultations?|exchanges?)\b",
    re.IGNORECASE,
)
# That information was shared: done for an undertaking to share information.
_EN_BRIEFED = re.compile(
    r"\b(?:briefed|explained|provided\s+(?:a|an)\s+(?:\w+\s+)?(?:explanation|briefing|overview))\b",
    re.IGNORECASE,
)
_EN_ABOUT_INFORMATION = re.compile(
    r"\b(?:share\w*\s+information|information[- ]sharing|brief\w*)\b", re.IGNORECASE
)
# Progress: a verb that says it advanced, or a noun of work under way that the sentence welcomes
# or notes as a fact ("welcomed the deployment of ...", not "discussed the deployment").
_EN_PROGRESS = re.compile(
    r"\b(?:made|making|achieved|steady|good|significant|positive|substantial|encouraging|tangible|"
    r"considerable)\s+progress\b|\b(?:talks|negotiations)\s+(?:are|were|remain)\s+(?:ongoing|continuing)\b|\bprogress(?:ed|ing)\b|\badvanced\b|\bbegan\b|(?<!will\shave\s)\bbegun\b|\bstarted\b|"
    # "Following up on the agreement at the summit, ...": what was agreed is being carried out.
    r"(?<!to\s)(?<!will\s)\bfollow(?:ing|ed)\s+up\s+on\b|"
    r"\bcommenced\b|\bunder\s*way\b|\bwill\s+(?:co-)?host\b|\bscheduled\s+(?:for|on)\b|\bto\s+be\s+held\s+on\b|"
    # "confirmed the progress in negotiations toward ..." (not "confirmed ... efforts": said again).
    r"\b(?:confirm\w*|reviewed|valued|evaluated|recogni[sz]ed|commended|lauded|highlighted)\s+"
    r"(?:[\w'’\-]+\s+){0,5}?(?:the\s+)?(?:progress|advancement|steady\s+implementation)\b|"
    r"\b(?:welcom\w*|not(?:ed|ing)|appreciat\w*|prais\w*|acknowledg\w*)\s+(?:[\w'’\-]+\s+){0,5}?(?:the\s+)?"
    r"(?:deployment|decision\s+to\s+(?:begin|start|launch)|launch\s+of\s+negotiations|start\s+of\s+negotiations|"
    r"progress|preparations?|steady\s+implementation|advancement|efforts?)\b"
    # A date set, measures being imposed or implemented (labelling rule 6).
    r"|\bset\s+the\s+date\b|\bdate\s+(?:was|has\s+been|had\s+been)\s+set\b|\b(?:imposed|imposing)\b"
    r"|\bbeing\s+(?:implemented|imposed|prepared|negotiated|discussed|considered)\b"
    # The issue taken up with the other side: a step short of resolving it.
    r"|(?<!be\s)(?<!to\s)\b(?:raised|urged|pressed|took\s+up|brought\s+up)\b",
    re.IGNORECASE,
)
# Forward-looking: the goal, not the fact ("toward the signing", "an early conclusion").
_EN_AHEAD = re.compile(
    r"\b(?:toward|towards|for|to\s+ensure|aiming\s+at|ahead\s+of)\s+(?:the\s+|an?\s+)?(?:early\s+|swift\s+|"
    r"prompt\s+|successful\s+)?(?:signing|conclusion|holding|entry\s+into\s+force|success)\b"
    r"|\bearly\s+(?:signing|conclusion)\b|\bwill\s+be\s+(?:signed|held|concluded)\b|\blater\s+this\s+year\b",
    re.IGNORECASE,
)
_JA_DONE = re.compile(
    r"署名(?:を歓迎|された|しました|が行われ)|開催(?:された|を歓迎|の成功)|発効(?:した|を歓迎|し)|締結(?:を歓迎|された)|"
    r"訪問(?:を歓迎|した)|実現(?:した|を歓迎)|成功裏に|交換(?:され|した)|"
    # A signing ceremony held, a meeting held or a treaty concluded by the parties themselves ("...した",
    # not "...したい": a wish), a body or framework launched.
    r"署名式(?:が行われ|を行)|(?:署名|開催|締結)し(?:た|ました)(?!い)|(?:立ち上げ|発足)(?:た|られ|を歓迎|させ)"
)
_JA_PROGRESS = re.compile(
    r"進展|前進|加速|交渉(?:の)?開始|開始(?:を歓迎|された)|準備|着実な実施|派遣を歓迎|展開を歓迎|"
    # Negotiations or talks begun or being conducted ("交渉を開始した", "協議が行われている").
    r"(?:交渉|協議)を開始し(?:た|ました)|(?:交渉|協議)が(?:行われている|進められている|続けられている)"
)
_JA_AHEAD = re.compile(r"早期(?:の)?(?:署名|締結|発効|開催)|に向け")


# A sentence that restates an undertaking says so with one of these.
_EN_UNDERTAKING = re.compile(
    r"\b(?:will|would|shall|continue[sd]?|continuing|reaffirm\w*|reconfirm\w*|reiterat\w*|once\s+again|"
    r"confirm\w*|concur\w*|agree[sd]?|affirm\w*|shared\s+the\s+view|promis\w*|pledg\w*|commit\w*|"
    r"resolved|looked\s+forward|look\s+forward|intend\w*|hope[sd]?|wish\w*|"
    r"renew\w*|restat\w*|vow\w*|determin\w*|ready\s+to|willing|remain\w*\s+(?:committed|determined|ready)|"
    # A normative statement about the parties' own conduct ("the two sides should ...").
    r"should|must|needs?\s+to)\b",
    re.IGNORECASE,
)
_JA_UNDERTAKING = re.compile(r"一致|確認|述べ|約束|表明|していく|したい|引き続き")


@dataclass(frozen=True)
class Cue:
    """What a sentence says happened to the thing it talks about, and where it says it."""

    outcome: Outcome
    start: int
    end: int
    words: str


def cues(sentence: str, language: str = "en", undertaking: str = "") -> list[Cue]:
    """Every done and progress cue of a sentence (forward-looking phrases excluded), in order.

    "Held", "met" and "visited" count only for an `undertaking` to meet or visit, and a briefing
    only for one to share information."""
    found: list[Cue] = []
    if language == "ja":
        ahead = [m.span() for m in _JA_AHEAD.finditer(sentence)]
        for pattern, outcome in ((_JA_DONE, Outcome.DONE), (_JA_PROGRESS, Outcome.PROGRESS)):
            for m in pattern.finditer(sentence):
                if not any(a <= m.start() < b for a, b in ahead):
                    found.append(Cue(outcome, m.start(), m.end(), m.group()))
        return sorted(found, key=lambda c: c.start)
    ahead = [m.span() for m in _EN_AHEAD.finditer(sentence)]
    patterns = [(_EN_DONE, Outcome.DONE), (_EN_PROGRESS, Outcome.PROGRESS)]
    # A telephone or video talk is not the meeting an undertaking to meet looked forward to.
    # Keeping in touch is never done by the next meeting: only said again (labelling rule 3).
    if (
        _EN_ABOUT_MEETING.search(undertaking)
        and not _EN_KEEP_IN_TOUCH.search(undertaking)
        and (not _EN_REMOTE.search(sentence) or _EN_REMOTE.search(undertaking))
    ):
        patterns.append((_EN_MET, Outcome.DONE))
    if _EN_ABOUT_INFORMATION.search(undertaking):
        patterns.append((_EN_BRIEFED, Outcome.DONE))
    welcomed = _EN_WELCOMED.search(sentence)
    if welcomed:
        for m in _EN_DONE_OF.finditer(sentence, welcomed.end()):
            if not any(a <= m.start() < b for a, b in ahead):
                found.append(Cue(Outcome.DONE, m.start(), m.end(), m.group()))
    for pattern, outcome in patterns:
        for m in pattern.finditer(sentence):
            # A fact is not one inside a forward-looking phrase ("for an early signing").
            if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in ahead):
                continue
            found.append(Cue(outcome, m.start(), m.end(), m.group()))
    return sorted(found, key=lambda c: c.start)


def is_undertaking(sentence: str, language: str = "en") -> bool:
    """Whether a sentence restates an undertaking (will, continue, reaffirmed, 一致 ...)."""
    pattern = _JA_UNDERTAKING if language == "ja" else _EN_UNDERTAKING
    return pattern.search(sentence) is not None


def classify(sentence: str, language: str = "en") -> tuple[Outcome, str]:
    """What a sentence that reports on an undertaking says of it (done before progress), and the
    words that say so; a restatement when it says neither."""
    found = cues(sentence, language)
    for outcome in (Outcome.DONE, Outcome.PROGRESS):
        for cue in found:
            if cue.outcome == outcome:
                return outcome, cue.words
    return Outcome.REAFFIRMED, ""


# --- matching --------------------------------------------------------------------------------


def _ja_terms(text: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9]{2,}", text)
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}


def _ja_similarity(a: str, b: str) -> float:
    ta, tb = _ja_terms(a), _ja_terms(b)
    if not ta or not tb:
        return 0.0
    return 2.0 * len(ta & tb) / (len(ta) + len(tb))


# How far (characters) a done or progress cue may be from the words the sentence shares with the
# undertaking: "welcomed the deployment of the UK Carrier Strike Group" is about the carrier group,
# "to further bolster the rapid progress made in ... cooperation, ... including holding the 2+2"
# is not progress of the 2+2.
CUE_WINDOW = 60
CONTEXT_WEIGHT = 0.3
_TOKEN = re.compile(r"[A-Za-z0-9]+")


@functools.lru_cache(maxsize=4096)
def _stems_at(sentence: str) -> tuple[tuple[int, str], ...]:
    """Each word of the sentence as (character offset, stem)."""
    return tuple((m.start(), _fold(stem(m.group().lower()))) for m in _TOKEN.finditer(normalised(sentence)))


def _shared_positions(sentence: str, shared: set[str]) -> list[int]:
    """Where in the sentence the shared topic words stand (character offsets)."""
    return [at for at, word in _stems_at(sentence) if word in shared]


# The steps of an agreement, in order. An undertaking that names several steps is done only by its
# last ("early signing and entry into force": signed is progress), labelling rule 5.
_STEPS = (
    re.compile(r"\bnegotiat\w*", re.IGNORECASE),
    re.compile(r"\bconclu\w*|\bagreement\s+in\s+principle\b|\bfinali[sz]\w*", re.IGNORECASE),
    re.compile(r"\bsign\w*", re.IGNORECASE),
    re.compile(r"\bratif\w*", re.IGNORECASE),
    re.compile(r"\bentry\s+into\s+force\b|\benter\w*\s+into\s+force\b|\bgive\s+effect\b", re.IGNORECASE),
)


# A step looked forward to ("toward its entry into force", "will enter into force"); notes exchanged
# "for the entry into force" bring it about.
_STEP_AHEAD = re.compile(
    r"\b(?:toward|towards|aiming\s+at|ahead\s+of|to\s+ensure)\s+(?:the\s+|an?\s+|its\s+)?(?:early\s+|swift\s+|"
    r"prompt\s+)?(?:signing|conclusion|ratification|entry\s+into\s+force)\b"
    r"|\b(?:early|swift|prompt)\s+(?:signing|conclusion|ratification|entry\s+into\s+force)\b"
    r"|\bwill\s+(?:be\s+)?(?:sign|ratif|enter|conclud)\w*(?:\s+into\s+force)?",
    re.IGNORECASE,
)


def _step(text: str) -> int:
    """The last step of an agreement that `text` names (-1: none)."""
    return max((rank for rank, pattern in enumerate(_STEPS) if pattern.search(text)), default=-1)


def _short_of(undertaking: str, sentence: str) -> bool:
    """Whether the last step the sentence reports (what it looks forward to left out) comes before
    the last step the undertaking names."""
    reported = _step(_STEP_AHEAD.sub(" ", sentence))
    return reported >= 0 and _step(undertaking) > reported


def _outcome(
    sentence: str, language: str, shared_at: list[int], undertaking: str = ""
) -> tuple[Outcome, str] | None:
    """What the sentence says of the undertaking whose words stand at `shared_at`, or None when it
    neither reports a fact nor restates it."""
    found = cues(sentence, language, undertaking)
    for outcome in (Outcome.DONE, Outcome.PROGRESS):
        for cue in found:
            if cue.outcome != outcome:
                continue
            near = language == "ja" or any(
                cue.start - CUE_WINDOW <= at <= cue.end + CUE_WINDOW for at in shared_at
            )
            if near:
                if outcome == Outcome.DONE and language == "en" and _short_of(undertaking, sentence):
                    return Outcome.PROGRESS, cue.words
                return outcome, cue.words
    if is_undertaking(sentence, language):
        return Outcome.REAFFIRMED, ""
    return None


_NAMED = re.compile(r"(?<![.!?]\s)(?<!^)\b(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|[A-Z0-9][A-Z0-9+\-]{1,})\b")


# "the framework's high standards", "implement the agreement": the quote names its object only by
# pointing back to its point, whose names are then the quote's own.
_POINTS_BACK = re.compile(
    r"\b(?:the|this|that|its|their)\s+(?:framework|agreement|initiative|process|mechanism|arrangement|"
    r"treaty|dialogue|negotiations?|talks|consultations?)(?:['’]s?)?(?!\s+(?:of|on|between|for|with)\b)"
    r"(?!\s+[A-Z])",
    re.IGNORECASE,
)


def _own_terms(e: Earlier, parties: frozenset[str]) -> set[str]:
    """The terms of the quote itself (its words, phrases and names), without its point's, unless
    the quote points back to what its point names."""
    found = set(terms(e.quote, parties))
    sources = [e.quote, e.context] if _POINTS_BACK.search(e.quote) else [e.quote]
    for source in sources:
        for m in _NAMED.finditer(normalised(source)):
            found.update(w for w in _words(m.group(), parties) if w not in _HOW_STEMS)
    return found


# An undertaking on several objects ("to realize a Free and Open Indo-Pacific as well as for the G7
# and COP26", "beating coronavirus, tackling climate change and ...") is reported on by a sentence
# that says one of them again: each object, when the quote lists several, is scored on its own,
# at a share of a whole match.
PART_SHARE = 0.8
_LIST_SEPARATOR = re.compile(
    r",|;|\b(?:and|as\s+well\s+as|including|such\s+as|in\s+particular|along\s+with)\b", re.IGNORECASE
)
# What one listed object must weigh to stand on its own (a name, or two topic words).
PART_MIN_WEIGHT = 1.0


def _parts(quote: str, parties: frozenset[str], own: dict[str, float]) -> list[set[str]]:
    """The terms of each object the quote lists, when it lists more than one."""
    found = []
    for piece in _LIST_SEPARATOR.split(normalised(quote)):
        part = {t for t in terms(piece, parties) if t in own}
        if math.fsum(own[t] for t in part) >= PART_MIN_WEIGHT:
            found.append(part)
    return found if len(found) > 1 else []


# The parties' relationship is an object of its own ("reinvigorate the Anglo-French relationship,
# working together to tackle ..."), whatever else the undertaking's point names: a later sentence that
# speaks of the relationship again ("reaffirmed the importance of the UK-France relationship")
# restates it, though it shares too little of the whole quote to pass the threshold. Only where a
# clause names the relationship and nothing else ("relations with North Korea" is about North Korea).
_RELATIONSHIP = "tie"


_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?[\w.\-]+\s+and\s+(?:the\s+)?[\w.\-]+", re.IGNORECASE)


def _about_the_relationship(text: str, parties: frozenset[str]) -> bool:
    """Whether a clause of `text` names the parties' relationship and no other object."""
    # "Between Japan and France" names the parties, not two objects: it is no list.
    for piece in _LIST_SEPARATOR.split(_BETWEEN.sub(" ", normalised(text))):
        words = {w for w in _words(piece, parties) if w not in _HOW_STEMS}
        if words == {_RELATIONSHIP}:
            return True
    return False


# An undertaking to meet or visit at a named event ("looked forward to welcoming President X to
# Glasgow in November for COP26") is said again by a later sentence that names the event and looks
# forward to it ("looked forward to next week's COP26 Summit"), labelling rule 4: the event is its
# object, the place and the month are where and when.
_EN_EVENT = re.compile(
    r"\b(?:COP\s?\d+|G\s?-?(?:7|8|20)|[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3}\s+(?:Summit|Conference|Expo|Games))\b"
)


def _event_said_again(
    e: Earlier, statements: Sequence[Statement], parties: frozenset[str]
) -> ProgressMatch | None:
    """The first later sentence naming the event a meeting undertaking names, with what it says."""
    if not _EN_TO_MEET.search(e.quote) or _EN_NOT_LEADERS.search(e.quote):
        return None
    events = [
        set(terms(m.group(), parties)) - {"summit", "confer"} for m in _EN_EVENT.finditer(normalised(e.quote))
    ]
    events = [words for words in events if words]
    if not events:
        return None
    for s in statements:
        said = later_terms(s.text, parties)
        for words in events:
            if words <= said:
                outcome = _outcome(s.text, "en", _shared_positions(s.text, words), e.quote)
                if outcome is not None:
                    return ProgressMatch(e, s, outcome[0], THRESHOLD, outcome[1])
    return None


def _relationship_said_again(
    e: Earlier,
    statements: Sequence[Statement],
    parties: frozenset[str],
    weights: WordWeights,
    said_weight: dict[Statement, float],
) -> ProgressMatch | None:
    """The sentence most about the relationship that says it again (or reports a step), or None."""
    best: ProgressMatch | None = None
    best_focus = 0.0
    for s in statements:
        if not _about_the_relationship(s.text, parties):
            continue
        said = _outcome(s.text, "en", _shared_positions(s.text, {_RELATIONSHIP}), e.quote)
        focus = weights(_RELATIONSHIP) / said_weight[s]
        if said is None or focus <= best_focus:
            continue
        best, best_focus = ProgressMatch(e, s, said[0], THRESHOLD, said[1]), focus
    return best


def _weighted_terms(e: Earlier, parties: frozenset[str], weights: WordWeights) -> dict[str, float]:
    """The terms by which a later sentence is recognised as reporting on `e`: its topic words and
    phrases, named things counting double (the RAA, the Carrier Strike Group, COP26, Modi): they
    are what an undertaking is about. Names in the surrounding point count too, at half weight
    ("he is looking forward to his visit" is Modi's)."""
    people_here = frozenset() if _EN_ABOUT_MEETING.search(e.quote) else _people(e.quote, parties)
    found = {t: weights(t) for t in terms(e.quote, parties) if t not in people_here}
    # What the quote points back to ("the framework") is named by its point, as if by the quote.
    around = 2.0 if _POINTS_BACK.search(e.quote) else 0.5
    for source, factor in ((e.quote, 2.0), (e.context, around)):
        # A person's name is not what the undertaking is about: it keeps its plain weight.
        people = frozenset() if _EN_ABOUT_MEETING.search(e.quote) else _people(source, parties)
        for m in _NAMED.finditer(normalised(source)):
            for word in _words(m.group(), parties):
                if word not in _HOW_STEMS and word not in people:
                    found[word] = max(found.get(word, 0.0), weights(word) * factor)
    return found


# --- meetings that took place ------------------------------------------------------------------
# An undertaking to meet ("looked forward to seeing each other in Cornwall", "to meeting in person
# as soon as possible", "his upcoming visit to Japan", "a fruitful visit", "the success of the G7
# Summit") is reported on by the later readout's own lead: "Prime Minister Abe held a summit
# meeting with Modi", "met Prime Minister Suga at the G7 Summit in Cornwall today". Such a lead
# rarely repeats the undertaking's words, so the word overlap above misses it; it is found by
# what it says (held, met, visited, attended) and by the names the undertaking gives (the place,
# the summit, the visitor), every one of which the lead or the title must name.
_EN_TO_MEET = re.compile(
    r"\b(?:meet(?:ing)?\s+(?:again|in\s+person|face[- ]to[- ]face|soon)|see(?:ing)?\s+each\s+other|"
    # Meeting at a named event or place ("to meet at the G20 Summit in Buenos Aires").
    r"meet(?:ing)?\s+(?:\w+\s+){0,2}?(?:at|in|during|on\s+the\s+(?:sidelines|margins)\s+of)\s+(?:the\s+)?[A-Z0-9]|"
    r"(?:his|her|their|the|an?|upcoming|next|planned|fruitful|successful|official)\s+visit\b|visit(?:ing)?\s+(?:to\s+)?[A-Z]|"
    r"success\s+of\s+(?:the\s+|this\s+|next\s+)?(?:[\w\-]+\s+){0,4}?(?:summit|visit|meeting|conference)|"
    r"(?:fruitful|successful)\s+(?:summit|visit|meeting)|"
    # Coordinating so that a summit contributes or has results (labelling rule 4).
    r"(?:so\s+that|to\s+ensure\s+that|ensure)\s+(?:the\s+)?(?:[\w.\-]+\s+){0,6}?(?:summit|meeting|visit|conference)"
    r"(?:\s+meeting)?\s+(?:contributes|will\s+contribute|has|have|produces|yields|achieves|brings|is\s+a\s+success)\b|"
    # A meeting to be held or convened, the next one, talking again.
    r"(?:hold|holding|convene|convening|organi[sz]e|organi[sz]ing)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?"
    r"(?:next\s+|first\s+|second\s+|third\s+|inaugural\s+|another\s+)?(?:[\w\-+]+\s+){0,4}?"
    r"(?:meeting|summit|dialogue|talks|consultations?|conference|session|round|2\s*\+\s*2)\b|"
    r"(?:speak|talk)(?:ing)?\s+again|next\s+(?:meeting|summit|dialogue|round|session)|"
    r"(?:welcom|host)ing\s+(?:[\w.\-]+\s+){0,4}?(?:to|in|at)\s+(?-i:[A-Z])|see(?:ing)?\s+(?:him|her|them|you)\b|"
    # Views exchanged at a kind of occasion ("utilize the opportunities at future international
    # conferences to ... exchange views"): the next meeting held is one.
    r"exchang\w*\s+(?:of\s+)?views?\b.{0,80}?\b(?:at|on\s+the\s+(?:occasion|margins?)\s+of)\s+(?:\w+\s+){0,3}?"
    r"(?:conferences|meetings|summits|fora|forums|occasions|opportunities)\b|"
    r"\b(?:at|on\s+the\s+(?:occasion|margins?)\s+of)\s+(?:\w+\s+){0,3}?(?:conferences|meetings|summits|fora|forums)"
    r"\b.{0,80}?exchang\w*\s+(?:of\s+)?views?)",
    re.IGNORECASE,
)
# Talking again is done by a telephone talk too; meeting is not.
_EN_TO_TALK = re.compile(r"\b(?:speak|talk)(?:ing)?\s+again\b|\btelephone\b|\bvideo\b", re.IGNORECASE)
# A visit by a ship, a delegation or a mission is not the leaders meeting.
_EN_NOT_LEADERS = re.compile(
    r"\b(?:strike\s+group|carrier|ship|vessel|fleet|delegation|mission|troops|forces)\b", re.IGNORECASE
)
_EN_TOOK_PLACE = re.compile(
    r"\b(?:(?:held|had|convened|co-chaired|chaired)\s+(?:(?:a|an|the|its|their)\s+)?(?:[\w\-+“”\"]+\s+){0,5}?"
    r"(?:meeting|talks?|summit|dialogue|consultations?|conference|session|round|conversation|call|dinner|lunch|"
    r"luncheon|breakfast|2\s*\+\s*2)|"
    r"met\s+(?:with\s+)?|spoke\s+(?:with|to|by)\b|talked\s+(?:with|to|over)\b|"
    r"(?:hosted|welcomed|received)\s+(?:[\w.\-]+\s+){0,5}?(?:to|at|in)\s+(?-i:[A-Z])|"
    r"(?:during|on)\s+(?:his|her|their|an?|the)\s+(?:[\w\-]+\s+){0,2}?visit\s+to\b|"
    r"visited|attend(?:ed|ing)?\s+the\b|(?:meeting|talks?|summit|dialogue|consultations?|round)\s+(?:was|were)\s+held)",
    re.IGNORECASE,
)
_EN_REMOTE = re.compile(
    r"\b(?:telephone|phone|video|teleconference|virtual|online|call|spoke|talked)\b", re.IGNORECASE
)
# Words of a name that do not name a place, an event or a person.
_TITLE_WORDS = re.compile(
    r"^(?:mr|ms|mrs|dr|h|e|he|hon|rt|prime|minister|ministers|president|secretary|foreign|his|her|"
    r"excellency|the|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|they|both|two|leaders?)$",
    re.IGNORECASE,
)
# How many sentences of the later readout's body can be its lead.
LEAD_SENTENCES = 3


def _names(text: str, parties: frozenset[str]) -> set[str]:
    """The stemmed topic words of the names in `text` (places, events, people), titles left out."""
    found: set[str] = set()
    for m in _NAMED.finditer(normalised(text)):
        words = [w for w in re.findall(r"[A-Za-z0-9]+", m.group()) if not _TITLE_WORDS.match(w)]
        found.update(topic_words(" ".join(words), parties))
    return found


def _meeting_held(
    e: Earlier, statements: Sequence[Statement], title: str, parties: frozenset[str]
) -> Statement | None:
    """The later readout's lead sentence saying that the meeting `e` undertook took place, or None."""
    if not _EN_TO_MEET.search(e.quote) or _EN_NOT_LEADERS.search(e.quote):
        return None
    wanted = _names(e.quote, parties)
    for s in statements[:LEAD_SENTENCES]:
        remote = _EN_REMOTE.search(s.text) or _EN_REMOTE.search(title)
        if not _EN_TOOK_PLACE.search(s.text) or (remote and not _EN_TO_TALK.search(e.quote)):
            continue
        named = set(topic_words(normalised(s.text + " " + title), parties))
        if wanted <= named:
            return s
    return None


_DEFINITION = re.compile(
    r"((?:[A-Z][\w\-’']*\s+(?:(?:and|of|for|on|the|in|&)\s+)*){1,9}[A-Z][\w\-’']*)\s*\(\s*(?:the\s+)?[“\"']?"
    r"([A-Z][A-Za-z0-9+\-]{1,9})[”\"']?\s*\)"
)


def abbreviations(texts: Sequence[str]) -> dict[str, str]:
    """The abbreviations defined in `texts` ("Long Name (LN)"): the long form (lower case) to the
    stemmed letters. Only where the letters are the initials of the long form's last words."""
    found: dict[str, str] = {}
    for text in texts:
        if "(" not in text:
            continue
        for m in _DEFINITION.finditer(text):
            letters = [c for c in m.group(2) if c.isupper()]
            # Each capitalised word, and each capitalised part of a hyphenated one ("Land-Sea").
            capitals = re.findall(r"(?<![\w’'])[A-Z][A-Za-z’']*|(?<=-)[A-Z][A-Za-z’']*", m.group(1))
            if len(letters) < 2 or len(capitals) < len(letters):
                continue
            # The last capitalised words whose initials are the letters, in order.
            tail = capitals[-len(letters) :]
            if [w[0] for w in tail] != letters:
                continue
            start = m.group(1).rfind(tail[0])
            long_form = " ".join(m.group(1)[start:].lower().split())
            found[long_form] = stem(m.group(2).lower())
    return found


def _spelt_out(text: str, defined: dict[str, str]) -> frozenset[str]:
    """The letters of each defined abbreviation whose long form `text` writes out."""
    if not defined:
        return frozenset()
    lowered = " ".join(text.lower().split())
    return frozenset(letters for long_form, letters in defined.items() if long_form in lowered)


def match_progress(
    earlier: Sequence[Earlier],
    statements: Sequence[Statement],
    *,
    language: str,
    meeting_parties: frozenset[str],
    title: str = "",
) -> list[ProgressMatch]:
    """The earlier commitments that the later readout's sentences report on, best first.

    Only commitments in the same language are compared (the caller selects those of earlier
    meetings with the same parties); each gets at most one match, its best sentence.
    """
    candidates = [e for e in earlier if e.language == language]
    if not candidates or not statements:
        return []
    found: list[ProgressMatch] = []
    if language == "en":
        weights = WordWeights(
            [*(e.quote for e in candidates), *(s.text for s in statements)],
            meeting_parties,
            normalised=True,
            terms=terms,
        )
        # Abbreviations the readouts define ("the Demonstration Initiative on Strategic Connectivity
        # (CCI)"): the long form stands for its letters wherever it is written out.
        defined = abbreviations([*(s.text for s in statements), *{e.context or e.quote for e in candidates}])
        said_terms = {
            s: later_terms(s.text, meeting_parties) | _spelt_out(s.text, defined) for s in statements
        }
        # Each sentence's own weight, once (not again for every earlier commitment).
        said_weight = {s: math.fsum(weights(t) for t in found) or 1.0 for s, found in said_terms.items()}
    for e in candidates:
        best: ProgressMatch | None = None
        best_key = (0.0, 0.0)
        if language == "en":
            own = _weighted_terms(e, meeting_parties, weights)
            for source, factor in ((e.context, 0.5), (e.quote, 2.0)):
                for letters in _spelt_out(source, defined):
                    own[letters] = max(own.get(letters, 0.0), weights(letters) * factor)
            # The quote's own terms: a sentence that shares only words of the point around it
            # (a name, the meeting) speaks of another undertaking of that point.
            quoted = _own_terms(e, meeting_parties) | _spelt_out(e.quote, defined)
            parts = _parts(e.quote, meeting_parties, own)
            # fsum: the same score whatever the order of the sets (it changes with the hash
            # seed), so that ties between sentences are broken the same way on every run.
            total = math.fsum(own.values())
        for s in statements:
            if language == "en":
                shared = set(own) & said_terms[s]
                if quoted and not shared & quoted:
                    continue
                score = math.fsum(own[t] for t in shared) / total if total else 0.0
                for part in parts:
                    if part & shared:
                        fraction = math.fsum(own[t] for t in part & shared) / math.fsum(own[t] for t in part)
                        score = max(score, PART_SHARE * fraction)
                shared_at = _shared_positions(s.text, {t for t in shared if " " not in t})
            else:
                score = _ja_similarity(e.quote, s.text)
                shared_at = []
            # Between sentences that repeat as much of the undertaking, the one more about it wins
            # ("once again confirmed ... to resolve the abductions issue" over a sentence on
            # "outstanding issues ..., including the nuclear, missile, and abductions issues").
            focus = math.fsum(weights(t) for t in shared) / said_weight[s] if language == "en" else 0.0
            key = (round(score, 6), focus)
            if score < min(THRESHOLD, DONE_THRESHOLD) or (best is not None and key <= best_key):
                continue
            said = _outcome(s.text, language, shared_at, e.quote)
            if said is None:
                continue
            outcome, cue = said
            if score < (THRESHOLD if outcome == Outcome.REAFFIRMED else DONE_THRESHOLD):
                continue
            best, best_key = ProgressMatch(e, s, outcome, round(score, 3), cue), key
        if language == "en" and best is None:
            best = _event_said_again(e, statements, meeting_parties)
        if language == "en" and best is None and _about_the_relationship(e.quote, meeting_parties):
            best = _relationship_said_again(e, statements, meeting_parties, weights, said_weight)
        if language == "en" and (best is None or best.outcome != Outcome.DONE):
            held = _meeting_held(e, statements, title, meeting_parties)
            if held is not None:
                best = ProgressMatch(
                    e, held, Outcome.DONE, max(best.score if best else 0.0, THRESHOLD), "held"
                )
        if best is not None:
            found.append(best)
    found.sort(key=lambda m: (-m.score, m.earlier.ref))
    return found


def meeting_date_before(earlier: dt.date, later: dt.date) -> bool:
    """An undertaking can be reported on only by a later meeting (a day apart may be the same
    meeting in two time zones, which the link proposals handle)."""
    return earlier < later
