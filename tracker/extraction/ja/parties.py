"""Who undertakes what, in Japanese: country names, party compounds, and the people of the meeting.

Country names come from pycountry's Japanese translations of ISO 3166 (the maintained list),
plus the short forms readouts use (米国, 豪州, 韓国, EU). Joint subjects are compounds of one-kanji
abbreviations (日米, 日韓米3か国, 日豪間): 「日米,日米韓で連携していく」 names the ROK as an actor,
while 「日韓,日韓米での緊密な連携」 is a noun phrase, so only the meeting's two parties hold it.
People are read from the lead (「河野太郎外務大臣は,マイク・ポンペオ米国国務長官と」): a name, a
country next to it, a title; later 「河野大臣から」「ポンペオ長官は」「総理」 point back to them.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from tracker.extraction.ja.text import KANJI, KATAKANA, KATAKANA_LETTERS, shadow
from tracker.extraction.parties import canonical_party, publisher_party

# One-kanji abbreviations that make up party compounds (日米, 日韓米, 日豪, 米朝).
ABBREVIATIONS = {
    "日": "Japan",
    "米": "United States",
    "韓": "Republic of Korea",
    "朝": "North Korea",
    "中": "China",
    "英": "United Kingdom",
    "豪": "Australia",
    "印": "India",
    "加": "Canada",
    "仏": "France",
    "独": "Germany",
    "伊": "Italy",
    "露": "Russia",
    "比": "Philippines",
    "越": "Vietnam",
    "尼": "Indonesia",
    "泰": "Thailand",
    "星": "Singapore",
    "馬": "Malaysia",
    "蒙": "Mongolia",
    "西": "Spain",
    "葡": "Portugal",
    "蘭": "Netherlands",
    "墨": "Mexico",
    "伯": "Brazil",
    "亜": "Argentina",
    "智": "Chile",
    "土": "Türkiye",
    "印尼": "Indonesia",
}
# Names MOFA writes that the ISO translations do not have (or write otherwise).
_EXTRA_NAMES = {
    "日本": "Japan",
    "我が国": "Japan",
    "アメリカ": "United States",
    "アメリカ合衆国": "United States",
    "米国": "United States",
    "韓国": "Republic of Korea",
    "大韓民国": "Republic of Korea",
    "北朝鮮": "North Korea",
    "中国": "China",
    "英国": "United Kingdom",
    "イギリス": "United Kingdom",
    "豪州": "Australia",
    "オーストラリア": "Australia",
    "ロシア": "Russia",
    "台湾": "Taiwan",
    "モンゴル": "Mongolia",
    "ベトナム": "Vietnam",
    "NZ": "New Zealand",
    "EU": "European Union",
    "欧州連合": "European Union",
    "ASEAN": "ASEAN",
    "東南アジア諸国連合": "ASEAN",
    "NATO": "NATO",
    "北大西洋条約機構": "NATO",
    "国連": "United Nations",
    "国際連合": "United Nations",
    "G7": "G7",
    "G20": "G20",
    "イラン": "Iran",
    "トルコ": "Türkiye",
    "サウジ": "Saudi Arabia",
    "UAE": "United Arab Emirates",
}
# Groupings are places and forums (「G7で議論を行いたい」), never a person's party or a subject.
GROUPINGS = frozenset({"G7", "G20", "United Nations"})
# The people of a meeting by their titles, longest first so 外務大臣 is not read as 大臣.
TITLES = (
    "内閣総理大臣",
    "総理大臣",
    "副総理",
    "総理",
    "首相",
    "外務大臣",
    "外務・英連邦・開発大臣",
    "外務・英連邦大臣",
    "外務・安全保障政策上級代表",
    "上級代表",
    "外交部長官",
    "外交部長",
    "国務長官",
    "国務委員",
    "外相",
    "副大統領",
    "大統領",
    "国家主席",
    "主席",
    "首席補佐官",
    "補佐官",
    "長官",
    "副大臣",
    "大臣",
    "国王",
    "皇太子",
    "委員長",
    "事務総長",
    "議長",
    "大使",
    "次官",
)
# Titles that are one office written several ways: a bare 「総理」 is the 内閣総理大臣 of the lead.
_OFFICE = {
    "内閣総理大臣": "pm",
    "総理大臣": "pm",
    "総理": "pm",
    "首相": "pm",
    "外務大臣": "fm",
    "外相": "fm",
    "大臣": "fm",
    "外交部長官": "fm",
    "外交部長": "fm",
    "国務長官": "fm",
    "長官": "fm",
    "上級代表": "fm",
    "外務・安全保障政策上級代表": "fm",
    "外務・英連邦・開発大臣": "fm",
    "外務・英連邦大臣": "fm",
    "大統領": "head",
    "国家主席": "head",
    "主席": "head",
}
# Words that stand for all the meeting's parties.
JOINT_WORDS = (
    "両外相",
    "両首脳",
    "両大臣",
    "両首相",
    "両長官",
    "両者",
    "双方",
    "三者",
    "両国",
    "両政府",
    "各国首脳",
)
_TITLE_RE = "|".join(re.escape(t) for t in TITLES)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Japanese country and organisation names → canonical party names."""
    names: dict[str, str] = {}
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"], fallback=True)
    for country in pycountry.countries:
        canonical = canonical_party(country.name)
        if not canonical:
            continue
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            ja = translation.gettext(value)
            if ja == value or ("・" in ja and "領" in ja):
                continue
            for variant in {ja, re.sub(r"\s*\(.*\)$", "", ja), re.sub(r"連邦$|王国$|共和国$|国$", "", ja)}:
                if len(variant) >= 2:
                    names.setdefault(variant, canonical)
    names.update(_EXTRA_NAMES)
    return names


@lru_cache(maxsize=1)
def _country_regex() -> re.Pattern[str]:
    alternatives = sorted(country_names(), key=len, reverse=True)

    def either(names: list[str]) -> str:
        return "|".join(re.escape(a) for a in names) or "(?!)"

    # A name inside a longer word of its own script is not a country (「インドネシア」 is not
    # インド, "EUR" is not the EU); across scripts it is (「モゲリーニEU」, 「マイク・ポンペオ米国」).
    katakana = [a for a in alternatives if re.match(rf"[{KATAKANA_LETTERS}]", a)]
    latin = [a for a in alternatives if re.match(r"[A-Za-z]", a)]
    other = [a for a in alternatives if a not in katakana and a not in latin]
    return re.compile(
        rf"(?<![{KATAKANA_LETTERS}])(?:{either(katakana)})(?![{KATAKANA_LETTERS}])"
        rf"|(?<![A-Za-z])(?:{either(latin)})(?![A-Za-z])|(?:{either(other)})"
    )


_ABBR = "".join(k for k in ABBREVIATIONS if len(k) == 1)
_ORG = r"EU|ASEAN|NATO"
# 「日米」「日米韓」「日・インド」「日EU」: two or more parties written as one compound.
COMPOUND = re.compile(
    rf"(?<![{KANJI}0-9])(?:[{_ABBR}]|{_ORG})(?:・?(?:[{_ABBR}]|{_ORG}|インド|オーストラリア|カナダ|フランス|ドイツ|イタリア)){{1,3}}"
    rf"(?![国人本])"
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    parties: tuple[str, ...]


def find_parties(s: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Country names and party compounds in s[start:end] (s is the shadow text), in order."""
    end = len(s) if end is None else end
    found = [
        Mention(m.start(), m.end(), (country_names()[m.group()],))
        for m in _country_regex().finditer(s, start, end)
    ]
    for m in COMPOUND.finditer(s, start, end):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        parts = _compound_parts(m.group())
        if len(parts) >= 2:
            found.append(Mention(m.start(), m.end(), tuple(parts)))
    found.sort(key=lambda f: f.start)
    return found


def _compound_parts(compound: str) -> list[str]:
    parts: list[str] = []
    for piece in re.findall(
        rf"EU|ASEAN|NATO|インド|オーストラリア|カナダ|フランス|ドイツ|イタリア|[{_ABBR}]", compound
    ):
        party = country_names().get(piece) or ABBREVIATIONS.get(piece)
        if party and party not in parts:
            parts.append(party)
    return parts


@dataclass
class Person:
    name: str
    party: str | None
    titles: set[str]


@dataclass
class JaParticipants:
    """The meeting's parties (home first) and the people the lead introduces."""

    parties: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    home: str | None = None

    def person(self, name: str, title: str | None) -> Person | None:
        """The person 「<name><title>」 points back to (a surname, a given name or a title alone)."""
        if name:
            for p in self.people:
                if name == p.name or p.name.startswith(name) or p.name.endswith(name):
                    return p
                if name in p.name.split("・"):
                    return p
            return None
        if title is None:
            return None
        office = _OFFICE.get(title)
        matches = [
            p
            for p in self.people
            if title in p.titles or (office and office in {_OFFICE.get(t) for t in p.titles})
        ]
        return matches[0] if len(matches) == 1 else None


# A person in the lead: an optional 「<country>の」, the name (with a reading in parentheses),
# an optional country, then the title.
_PERSON = re.compile(
    rf"(?:(?P<country>[^\s,、。のはとがをにで]{{1,12}})の)?"
    rf"(?P<name>[{KANJI}{KATAKANA}A-Za-z・ー\-]{{1,30}}?(?:\([^()]{{0,30}}\))?[{KANJI}{KATAKANA}A-Za-z・ー\-]{{0,12}}?)"
    rf"\s*(?P<title>{_TITLE_RE})"
)
# A reference to a person or to the parties in the body: 「河野大臣から」「ポンペオ長官は」「両外相は」.
REFERENCE = re.compile(
    rf"(?P<ref>(?P<joint>{'|'.join(JOINT_WORDS)})|(?P<name>[{KANJI}{KATAKANA}・ー]{{0,12}}?)(?P<title>{_TITLE_RE})|"
    rf"(?P<party>[{KANJI}{KATAKANA}A-Za-z]{{1,12}}?)(?:側|政府)?)"
    rf"(?P<case>から(?:は|も)?|より(?:は)?|は|が|も)"
)


def _person_in(lead: str, m: re.Match[str]) -> Person | None:
    raw = m.group("name")
    name = re.sub(r"\([^()]*\)|\(|\)", "", raw).strip("・")
    party = None
    if m.group("country"):
        party = _party_of(m.group("country"))
    for mention in find_parties(name):
        # 「マイク・ポンペオ米国」「モゲリーニEU外務・安全保障政策」: the country follows the name.
        if mention.start > 0 and len(mention.parties) == 1:
            party = party or mention.parties[0]
            name = name[: mention.start].strip("・")
            break
    if not name or country_names().get(name):
        return None
    return Person(name, party if party not in GROUPINGS else None, {m.group("title")})


def _party_of(words: str) -> str | None:
    found = find_parties(words)
    return found[-1].parties[0] if found and len(found[-1].parties) == 1 else None


def title_parties(title: str) -> list[str]:
    """Parties a title names: 「日米外相電話会談」, or a section such as 「カナダ」 (with Japan)."""
    found: list[str] = []
    for mention in find_parties(shadow(title)):
        for party in mention.parties:
            if party not in found and party not in GROUPINGS:
                found.append(party)
    return found


def build_participants(
    text: str, title: str | None, lead_start: int, lead_end: int, publisher: str | None
) -> JaParticipants:
    """The meeting's parties and people from the title and the lead paragraph."""
    s = shadow(text)
    lead = s[lead_start:lead_end]
    participants = JaParticipants(home=publisher_party(publisher))
    for m in _PERSON.finditer(lead):
        person = _person_in(lead, m)
        if person is None:
            continue
        known = next((p for p in participants.people if p.name == person.name), None)
        if known:
            known.titles |= person.titles
            continue
        participants.people.append(person)
    named = title_parties(title or "")
    # A section title names only the counterpart (「カナダ」): the publisher is the other party.
    home = participants.home or "Japan"
    parties = [home, named[0]] if len(named) == 1 and named[0] != home else list(named)
    for person in participants.people:
        if person.party is None:
            # The publisher's own minister is written without a country (「河野太郎外務大臣」).
            person.party = home if home not in {p.party for p in participants.people} else None
        if person.party and person.party not in parties:
            parties.append(person.party)
    if not parties:
        parties = [home]
    if home in parties:
        parties.remove(home)
        parties.insert(0, home)
    participants.parties = parties
    participants.home = home
    return participants
