"""Who undertakes what in an English readout: the people of the meeting and their parties.

People ("Secretary Pompeo", "Foreign Minister Kono") are tied to a party from the readout's own
title and first paragraph, the way an officer reads a readout; the parties' canonical names and
the names they go by are the shared catalogue (`tracker.extraction.party_names`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from tracker.extraction.party_names import Mention, canonical_party, find_mentions, publisher_party


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- the people of the meeting -------------------------------------------------------------

TITLE_WORDS = _wordset(
    """mr mr. ms ms. mrs mrs. dr dr. h.e. h.e hon hon. honorable honourable right the his her
    excellency minister ministers secretary president vice prime foreign affairs state for of
    chancellor premier councilor councillor high representative ambassador king queen crown prince
    emperor deputy defense defence commonwealth mp sir dame spokesperson general chief cabinet
    senior parliamentary counselor special envoy leader first lady assistant under undersecretary
    member external shri smt excellency his-excellency vice-president vice-premier dpm fm pm eam
    counterpart counterparts h.r.h. h.r.h h.m. h.h. emir amir sultan taoiseach tánaiste an federal union"""
)

_STOP_NAME_WORDS = _wordset(
    """media on in at for from with and the a an of to about approximately around commencing local time am
    pm p.m. a.m. jst monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec today overview summary outline talk talks meeting telephone phone call
    conversation who which held met spoke had visiting visit readout following during request
    outcome outcomes results result joint statement press release remarks secretary's this that these
    earlier later yesterday tonight tomorrow morning afternoon evening night"""
)

_CHUNK_SPLIT = re.compile(
    # Titles are often title-cased ("Foreign Minister Holds Telephone Conversation with ...").
    r"\s+(?i:held|met|meets|spoke|speaks|talked|talks|had|hold|holds|received|receives)\b"
    r"|\s+with\s+"
    r"|,\s*(?:who|which)\b"
    r"|;\s*"
    # "... President Charles Michel And UK Prime Minister Boris Johnson": title-cased headings.
    r"|\s+(?:and|And)\s+(?=(?:\S+\s+){0,2}?(?:Minister|Secretary|President|Prime|Mr\.|Ms\.|Mrs\.|H\.E\.|Dr\.|Hon|"
    r"Chancellor|Premier|Foreign|State\s+Councilor|High\s+Representative|Ambassador|the\s+Hon))"
)
# Letters of names written in the Latin script, accents included ("López", "Mélanie", "Çavuşoğlu").
UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isupper() and chr(c).isalpha())
LETTER = r"[^\W\d_]"
_CAP_TOKEN = re.compile(rf"[{UPPER}](?:{LETTER}|[’'\-])+")  # "/" splits "Representative/Vice-President"
_TITLE_PHRASES = (
    "Secretary of State",
    "Foreign Secretary",
    "Foreign Minister",
    "Minister for Foreign Affairs",
    "Minister of Foreign Affairs",
    "Prime Minister",
    "President",
    "Vice President",
    "Chancellor",
    "Premier",
    "State Councilor",
    "High Representative",
    "Secretary",
    "Minister",
    "Ambassador",
)
# Titles that, with no country written next to them, belong to one government.
_TITLE_COUNTRY = {
    "Secretary of State": "United States",
    "Foreign Secretary": "United Kingdom",
    "External Affairs Minister": "India",
    "Minister of External Affairs": "India",
    # Ireland's head of government and deputy, whose titles say the country.
    "Taoiseach": "Ireland",
    "Tánaiste": "Ireland",
}
# Capitals in a dateline ("New Delhi, 5 June 2024") name the publisher, whose own officials are
# often written without their country. Brussels and Geneva host too many bodies to say.
_CAPITALS = {
    "Tokyo": "Japan",
    "Washington": "United States",
    "Seoul": "Republic of Korea",
    "Beijing": "China",
    "New Delhi": "India",
    "London": "United Kingdom",
    "Canberra": "Australia",
    "Ottawa": "Canada",
    "Paris": "France",
    "Berlin": "Germany",
    "Rome": "Italy",
    "Moscow": "Russia",
    "Kyiv": "Ukraine",
    "Jakarta": "Indonesia",
    "Hanoi": "Vietnam",
    "Manila": "Philippines",
    "Bangkok": "Thailand",
    "Kuala Lumpur": "Malaysia",
    "Wellington": "New Zealand",
    "Islamabad": "Pakistan",
    "Dhaka": "Bangladesh",
    "Ankara": "Türkiye",
    "Madrid": "Spain",
    "Brasilia": "Brazil",
    "Mexico City": "Mexico",
    "Singapore": "Singapore",
    "Taipei": "Taiwan",
    "Ulaanbaatar": "Mongolia",
    "Canberra ACT": "Australia",
}


# A name that begins an event's or a body's name ("the 73rd session of the UN General Assembly",
# "the G20 Summit") says where a person went, not whom they act for.
_EVENT_AFTER = re.compile(
    r"\s+(?:General\s+Assembly|Security\s+Council|Summit|Conference|Meeting|Ministerial|Session|Forum|"
    r"Assembly|Games|Expo|Dialogue|Week)\b"
)


_PLACE_BEFORE = re.compile(r"\b(?:to|in|at|visiting|toward|towards)\s+(?:the\s+)?$")


def _chunk_party(chunk: str, name_pos: int | None) -> str | None:
    """The party of the person in a chunk: the nearest country, else one their title implies."""
    found = [m for m in find_mentions(chunk) if m.party]
    # "a peaceful resolution of the Russia-Ukraine conflict": a relation of two countries, not
    # whom the person in the chunk acts for.
    paired = {
        id(x)
        for a, b in itertools.pairwise(found)
        if re.fullmatch(r"\s?[-–]\s?", chunk[a.end : b.start])
        for x in (a, b)
    }
    mentions = [
        m
        for m in found
        if id(m) not in paired
        and not _EVENT_AFTER.match(chunk, m.end)
        # "Visit of Minister X to Mexico": where a person goes is not whom they act for.
        and not _PLACE_BEFORE.search(chunk, 0, m.start)
    ]
    if mentions:
        if name_pos is None:
            return mentions[0].party
        return min(mentions, key=lambda m: abs(m.start - name_pos)).party
    for title_phrase, country in _TITLE_COUNTRY.items():
        if title_phrase in chunk and "for Foreign" not in chunk:
            return country
    return None


_MINISTRY_LINE = re.compile(
    r"\s*(?:the\s+)?(?:Ministry|Department|Embassy|High\s+Commission|Permanent\s+Mission|Office)\s+of\b.{0,100}$",
    re.IGNORECASE,
)


def dateline_party(header: str) -> str | None:
    """The publisher's country from a dateline such as "New Delhi, 5 June 2024", or from a closing
    block that names the ministry ("Ministry of Foreign Affairs of Singapore")."""
    for line in header.split("\n"):
        if _MINISTRY_LINE.match(line):
            named = publisher_party(line.strip().rstrip("."))
            if named:
                return named
        m = re.match(r"\s*([A-Z][A-Za-z .]+?),\s*(?:\d|[A-Z][a-z]+\s+\d)", line)
        if m and m.group(1).strip() in _CAPITALS:
            return _CAPITALS[m.group(1).strip()]
    return None


@dataclass
class Person:
    name_tokens: set[str]
    party: str | None
    former: bool
    titles: set[str]
    display: str


@dataclass
class Participants:
    """The meeting's parties, in the order the readout names them, and its people."""

    parties: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    by_token: dict[str, Person] = field(default_factory=dict)
    _variants: dict[str, Person | None] = field(default_factory=dict, repr=False)
    # The author of a first-person readout ("Today I met with ..."), usually the publisher's minister.
    first_person: Person | None = None
    # The publisher's own party: "the Government" or "the Presidency" with no country is its.
    home: str | None = None

    def person_for_token(self, token: str) -> Person | None:
        """The person a capitalised token names, allowing one letter of transliteration
        ("Mohammad" for "Mohammed", "Zelenskyy" for "Zelensky") on long names."""
        key = token.lower().strip("’'")
        person = self.by_token.get(key)
        if person is not None or len(key) < 6:
            return person
        if key not in self._variants:
            found = [p for k, p in self.by_token.items() if len(k) >= 6 and _one_edit(key, k)]
            unique = {id(p): p for p in found}
            self._variants[key] = found[0] if len(unique) == 1 else None
        return self._variants[key]

    def person_for_title(self, title: str) -> Person | None:
        matches = [p for p in self.people if title in p.titles]
        if len(matches) == 1:
            return matches[0]
        # "The Prime Minister spoke to Prime Minister Trudeau": the bare title is the person the
        # readout introduces by title alone (the publisher's own principal), not the named one.
        nameless = [p for p in matches if not p.name_tokens and p is not self.first_person]
        if len(nameless) == 1:
            return nameless[0]
        # "Prime Minister Rishi Sunak spoke to the Dutch Prime Minister, Mark Rutte ... The Prime
        # Minister thanked Prime Minister Rutte": both are named, and the bare title is the
        # publisher's own principal, as a government's release calls its own.
        own = [p for p in matches if self.home is not None and p.party == self.home]
        if len(own) == 1 and len(matches) > 1:
            return own[0]
        return None


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by exactly one letter changed, added or dropped (same first two)."""
    if a == b or abs(len(a) - len(b)) > 1 or a[:2] != b[:2]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1 :]


_TITLE_RE = re.compile(
    r"\b(?:Minister\s+(?:for|of)\s+Foreign\s+Affairs|Minister\s+(?:for|of)\s+External\s+Affairs|"
    r"External\s+Affairs\s+Minister|Secretary\s+of\s+State|Foreign\s+Secretary|Foreign\s+Minister|"
    r"Prime\s+Minister|Vice\s+President|State\s+Councilor|High\s+Representative|President|Chancellor|"
    # "her French counterpart, Jean Dupont": the counterpart is named by the demonym before it.
    r"Premier|Secretary|Minister|Ambassador|[Cc]ounterpart|"
    # Monarchs and heirs who lead their governments ("H.R.H. Prince X, Crown Prince and Prime Minister").
    r"Crown\s+Prince|Emir|Amir|Sultan|Taoiseach|Tánaiste"
    r")(?![\w’'])"
)
_IMPLIED_TITLES = {
    "Minister for Foreign Affairs": ("Foreign Minister", "Minister"),
    "Minister of Foreign Affairs": ("Foreign Minister", "Minister"),
    "Minister for External Affairs": ("External Affairs Minister", "Foreign Minister", "Minister"),
    "Minister of External Affairs": ("External Affairs Minister", "Foreign Minister", "Minister"),
    "External Affairs Minister": ("Foreign Minister", "Minister"),
    "Foreign Minister": ("Minister",),
    "Secretary of State": ("Secretary",),
}


def _titles_in(chunk: str) -> set[str]:
    """Titles held in a chunk, longest first, so "Foreign Secretary" is not also "the Secretary"."""
    found = set()
    for m in _TITLE_RE.finditer(chunk):
        title = re.sub(r"\s+", " ", m.group())
        found.add(title)
        found.update(_IMPLIED_TITLES.get(title, ()))
    return found


def _name_tokens(chunk: str) -> list[re.Match[str]]:
    """The person's name in a chunk: the run of capitalised words right after a title or honorific."""
    mention_spans = [(m.start, m.end) for m in find_mentions(chunk)]
    tokens = []
    for m in _CAP_TOKEN.finditer(chunk):
        word = m.group().lower().strip("’'")
        if all(part in TITLE_WORDS for part in word.split("-")):
            word = word.split("-")[0]
        if any(a <= m.start() < b for a, b in mention_spans):
            continue
        if "-" in m.group() and any(canonical_party(part) for part in m.group().split("-")):
            continue
        if word.endswith(("’s", "'s")):
            continue
        tokens.append(m)
    runs: list[list[re.Match[str]]] = []
    for tok in tokens:
        word = tok.group().lower().strip("’'")
        is_name = (
            word not in _STOP_NAME_WORDS
            and word not in TITLE_WORDS
            and not all(part in TITLE_WORDS for part in word.split("-"))
        )
        if (
            runs
            and is_name
            and runs[-1]
            and re.fullmatch(r"[\s,]*(?:[A-Z]\.\s*)*", chunk[runs[-1][-1].end() : tok.start()])
        ):
            runs[-1].append(tok)
        elif is_name:
            runs.append([tok])
    if not runs:
        return []
    for run in runs:
        before = re.sub(r"(?:\s*[A-Z]\.)+$", "", chunk[: run[0].start()].rstrip()).rstrip()
        last_word = before.split()[-1].lower().strip(",") if before.split() else ""
        if last_word in TITLE_WORDS or re.search(r"(?:Mr|Ms|Mrs|Dr|H\.E|H\.R\.H|H\.M|H\.H|Hon)\.?$", before):
            return run
    return runs[0]


def _chunks(piece: str) -> list[str]:
    """The piece cut into one chunk per person. One person may hold two posts joined by "and":
    "Vietnamese Deputy Prime Minister and Foreign Minister Pham Binh Minh" (a country and a title
    with no name, then a title with the name) and "Winston Peters, Deputy Prime Minister and
    Minister of Foreign Affairs of New Zealand" (the name, then its posts in apposition)."""
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in _CHUNK_SPLIT.finditer(piece):
        parts.append((piece[pos : m.start()], m.group()))
        pos = m.end()
    parts.append((piece[pos:], ""))
    chunks: list[str] = []
    held = ""
    joined_by_and = False
    for chunk, separator in parts:
        chunk = held + chunk
        held = ""
        if (
            joined_by_and
            and chunks
            and _APPOSITION.search(chunks[-1])
            and not any(m.party for m in find_mentions(chunks[-1]))
            and _titles_in(chunk)
            and not _name_tokens(chunk)
            and any(m.party for m in find_mentions(chunk))
        ):
            chunks[-1] += " and " + chunk
            joined_by_and = separator.strip() == "and"
            continue
        joined_by_and = separator.strip() == "and"
        if (
            separator.strip() == "and"
            and _titles_in(chunk)
            and not _name_tokens(chunk)
            and any(m.party for m in find_mentions(chunk))
        ):
            held = chunk + separator
            continue
        chunks.append(chunk)
    if held:
        chunks.append(held)
    return [piece for chunk in chunks for piece in _listed_people(chunk)]


def _listed_people(chunk: str) -> list[str]:
    """ "President Macron, Chancellor Merkel, and Prime Minister May": one chunk per person when
    each piece between the commas has a title and a name of its own ("Winston Peters, Deputy Prime
    Minister" is one person, the post in apposition having no name)."""
    pieces = re.split(r",\s+(?:and\s+)?", chunk)
    if len(pieces) < 2:
        return [chunk]
    out = [pieces[0]]
    for piece in pieces[1:]:
        if _titles_in(piece) and _name_tokens(piece) and _titles_in(out[-1]) and _name_tokens(out[-1]):
            out.append(piece)
        else:
            out[-1] += ", " + piece
    return out


# "Winston Peters, Deputy Prime Minister": a name, then a post after a comma.
_APPOSITION = re.compile(
    r"[A-Z][\w’'\-]+,\s+(?:the\s+)?(?:[A-Z][\w\-]+\s+){0,3}(?:Minister|Secretary|President|Chancellor|Prince)\b"
)
_HYPHEN_COMPOUND = re.compile(r"[A-Z][\w.]*(?:-[A-Z][\w.]*)+")


def _compound_parties(text: str) -> list[list[str]]:
    """Party lists from compounds such as "Japan-U.S." or "China-Japan relations"."""
    result = []
    for m in _HYPHEN_COMPOUND.finditer(text):
        parts = [canonical_party(p) for p in m.group().rstrip(".").split("-")]
        if m.group().endswith("."):
            parts = [canonical_party(p) for p in m.group().split("-")]
        names = [p for p in parts if p]
        if len(names) >= 2:
            result.append(names)
    return result


def _paired_parties(text: str, mentions: list[Mention], known: list[str]) -> list[str]:
    """Parties written in a pair with a known one: "between the ROK and the US", "Japan and Australia"."""
    found: list[str] = []
    for a, b in itertools.pairwise(mentions):
        gap = text[a.end : b.start]
        if not re.fullmatch(r"\s*(?:,\s*|\s+and\s+|\s*and\s+)(?:the\s+)?", gap):
            continue
        for x, y in ((a, b), (b, a)):
            if x.party in known and y.party not in known and y.party not in found:
                found.append(y.party)  # type: ignore[arg-type]
    return found


def _opening_parties(opening: str) -> list[str]:
    """Parties named in the title and opening sentence, in order."""
    found: list[str] = []
    for m in find_mentions(opening):
        if m.party and m.party not in found:
            found.append(m.party)
    return found


def _most_named_parties(mentions: list[Mention]) -> list[str]:
    """Parties by how often the readout names them (ties: first named first)."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.party:
            counts[m.party] = counts.get(m.party, 0) + 1
    return sorted(counts, key=lambda n: -counts[n])


_WAR_COMPOUND = re.compile(
    r"\b[A-Z][\w.]*(?:\s?[-–]\s?[A-Z][\w.]*)+\s+(?:conflict|war|crisis|dispute|hostilities|tensions)\b"
)
_US_READOUT_TITLE = re.compile(r"\s*Readout\s+of\s+(?:the\s+)?(?:President|Vice\s+President|Secretary)\b")


# Groupings that hold meetings but have no people of their own to speak for them ("the other G7
# Leaders"): never the party of a person the readout names.
_GROUPINGS = frozenset({"G7", "G20", "Quad"})


def build_participants(
    title: str,
    first_paragraph: str,
    whole_text: str,
    header: str = "",
    home: str | None = None,
    footer: str = "",
) -> Participants:
    """Tie the people in the title and first paragraph to parties, and list the meeting's parties.

    `home` is the publisher's own party (from the publisher the officer typed at ingest): its
    principal is often written by title alone ("The Prime Minister spoke to ..."), and "the two
    leaders" are then the home party and its counterpart.
    """
    participants = Participants(home=home)
    title_parties = [m.party for m in find_mentions(title) if m.party]
    chunk_people: list[tuple[Person, list[str]]] = []
    pieces = [first_paragraph, title]
    for piece_index, piece in enumerate(pieces):
        for chunk in _chunks(piece):
            if not chunk or not chunk.strip():
                continue
            titles = _titles_in(chunk)
            if not titles and not re.search(r"\b(?:Mr|Ms|Mrs|Dr|H\.E|H\.R\.H|H\.M|H\.H)\.", chunk):
                continue
            tokens = _name_tokens(chunk)
            if not tokens:
                # "The Foreign Secretary met ...": a person known only by a title.
                party = _chunk_party(chunk, None)
                if party is None and piece_index == 0 and home:
                    party = home
                if (
                    piece_index == 0
                    and party
                    and titles
                    and not any(titles & p.titles for p in participants.people)
                ):
                    participants.people.append(Person(set(), party, False, titles, sorted(titles)[0]))
                continue
            mentions = [m for m in find_mentions(chunk) if m.party]
            party = _chunk_party(chunk, tokens[-1].start())
            token_set = {t.group().lower().strip("’'") for t in tokens}
            known = [p for p in participants.people if p.name_tokens & token_set]
            if known:
                person = known[0]
                person.name_tokens |= token_set
                person.titles |= titles
                if person.party is None and party:
                    person.party = party
                continue
            person = Person(
                name_tokens=token_set,
                party=party,
                former=bool(re.search(r"\bformer\b", chunk, re.IGNORECASE)),
                titles=titles,
                display=" ".join(t.group() for t in tokens),
            )
            participants.people.append(person)
            chunk_people.append((person, [m.party for m in mentions if m.party]))

    if re.search(
        r"\bI\s+(?:\w+ly\s+)?(?:met|meet|spoke|speak|held|hosted|welcomed|received|had|talked|visited)\b",
        first_paragraph,
    ):
        participants.first_person = Person(set(), None, False, set(), "I")
        participants.people.insert(0, participants.first_person)
    ordered: list[str] = []
    for name in title_parties + [p.party for p in participants.people if p.party]:
        if name and name not in ordered:
            ordered.append(name)
    # A person written without a country belongs to a party the readout names elsewhere:
    # a compound such as "China-Japan relations" or "U.S.-ROK Alliance" pairs them up.
    missing = [p for p in participants.people if p.party is None]
    if missing:
        # "a peaceful resolution of the Russia-Ukraine conflict" names two sides of a war, not a
        # pairing of the meeting's parties: such words say nothing of who is who.
        title, first_paragraph, whole_text = (
            _WAR_COMPOUND.sub(lambda m: " " * len(m.group()), t) for t in (title, first_paragraph, whole_text)
        )
        candidates = list(ordered)
        for names in _compound_parties(title + "\n" + first_paragraph) + _compound_parties(whole_text):
            if any(n in ordered for n in names) or not ordered:
                for n in names:
                    if n not in candidates:
                        candidates.append(n)
        if home and home not in candidates and home not in {p.party for p in participants.people}:
            # The publisher's own principal is the one whose country the readout leaves unsaid.
            candidates.insert(0, home)
        # The dateline, or the closing block after the last point, says who published it.
        dated_home = dateline_party(header) or dateline_party(footer)
        if dated_home and dated_home not in candidates:
            candidates.append(dated_home)
        # The publisher's own principal is often written by title and name only ("President Joe
        # Biden spoke with Prime Minister ... of Iraq"); their country is then one the readout
        # pairs with a known party ("between the ROK and the US"), names in its opening, or
        # names most often.
        # The people are introduced near the top; the first pages say enough about who is who.
        named = [m for m in find_mentions(whole_text, 0, min(len(whole_text), 20_000)) if m.party]
        for n in _opening_parties(title + "\n" + first_paragraph) + _paired_parties(
            whole_text, named, ordered
        ):
            if n not in candidates:
                candidates.append(n)
        if len([p for p in missing if not p.former]) == 1:
            for n in _most_named_parties(named):
                if n not in candidates and n not in _GROUPINGS:
                    candidates.append(n)
        # Last, the publisher's own style: "Readout of President X's Call with ..." is how the
        # White House and the State Department title their readouts.
        if _US_READOUT_TITLE.match(title) and "United States" not in candidates:
            candidates.append("United States")
        assigned = {p.party for p in participants.people if p.party}
        free = [c for c in candidates if c not in assigned]
        for person in missing:
            if free:
                person.party = free.pop(0)
                if person.party not in ordered:
                    ordered.append(person.party)
    # The parties to the meeting are those of its people when they are known.
    people_parties = []
    for p in participants.people:
        if p.party and p.party not in people_parties:
            people_parties.append(p.party)
    if len(people_parties) >= 2:
        participants.parties = people_parties
    else:
        participants.parties = ordered
    if home and home not in participants.parties:
        # The publisher is a party to its own readout's meeting, even when its official is named
        # only by a title ("The two sides ... agreed" is the home party and the counterpart).
        participants.parties = [home, *participants.parties]
    for person in participants.people:
        for token in person.name_tokens:
            participants.by_token.setdefault(token, person)
    return participants
