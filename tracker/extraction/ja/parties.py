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
from tracker.extraction.party_names import canonical_party, publisher_party

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
    "国防長官",
    "国防相",
    "防衛大臣",
    "防衛相",
    "財務大臣",
    "財務相",
    "通商代表",
    "首長",
    "大公",
    "総督",
    "特使",
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
    "国防長官": "dm",
    "国防相": "dm",
    "防衛大臣": "dm",
    "防衛相": "dm",
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
# A foreign minister's title is often written out (「外務・国際協力大臣」「外務・国際協力相」「外務
# 貿易大臣」), and a second office before 兼 (「副首相兼外相」「副首相兼外務大臣」).
_LISTED_TITLES = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
_TITLE_RE = (
    rf"(?:(?:第一)?副(?:首相|総理|大統領|主席)兼)?"
    rf"(?:外務[・{KANJI}]{{1,10}}?(?:大臣|相)(?![{KANJI}])|{_LISTED_TITLES})"
    # The first office alone, as the body shortens 「副首相兼外務大臣」: 「ミン副首相から」 (not
    # 「ミン副」 with 首相, who is nobody).
    rf"|(?:第一)?副(?:首相|総理|大統領|主席)"
)


def office_of(title: str) -> str | None:
    """The office a title names ("pm", "fm", "head"), whatever the way it is written."""
    title = title.split("兼")[-1]
    if title in _OFFICE:
        return _OFFICE[title]
    if title.startswith("外務") and title.endswith(("大臣", "相")):
        return "fm"
    return None


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


# 「日・」 or 「日」 right before a country's name, not the 日 of a date or a word (「28日インド」).
_JAPAN_AND = re.compile(rf"(?<![{KANJI}0-9０-９])日・?")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    parties: tuple[str, ...]


def find_parties(s: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Country names and party compounds in s[start:end] (s is the shadow text), in order."""
    end = len(s) if end is None else end
    found = []
    for m in _country_regex().finditer(s, start, end):
        party = country_names()[m.group()]
        lead = _JAPAN_AND.search(s, max(start, m.start() - 2), m.start())
        if lead and party != "Japan" and lead.end() == m.start():
            # 「日・ニュージーランド」「日NZ」「日・ASEAN」: Japan and one named in full, and any
            # more in one kanji after it (「日シンガポール米」).
            more = re.match(rf"(?:・?[{_ABBR}])+(?![国人本{KANJI}])", s[m.end() : end])
            extra = tuple(ABBREVIATIONS[c] for c in (more.group() if more else "") if c in ABBREVIATIONS)
            found.append(
                Mention(
                    m.start() - len(lead.group()),
                    m.end() + (more.end() if more else 0),
                    ("Japan", party, *extra),
                )
            )
        else:
            found.append(Mention(m.start(), m.end(), (party,)))
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
        if name == "同":
            # 「同首相」「同大臣」: the one just named with this title.
            name = ""
        if name:
            for p in self.people:
                if name == p.name or p.name.startswith(name) or p.name.endswith(name):
                    return p
                if name in p.name.split("・"):
                    return p
            return None
        if title is None:
            return None
        # MOFA writes 「総理」「大臣」 for its own and 「首相」「外相」 for the other side: the one
        # person holding exactly this title first, then anyone holding the office.
        exact = [p for p in self.people if title in p.titles]
        if len(exact) == 1:
            return exact[0]
        office = office_of(title)
        matches = [
            p
            for p in self.people
            if title in p.titles or (office and office in {office_of(t) for t in p.titles})
        ]
        return matches[0] if len(matches) == 1 else None


# A person in the lead: an optional 「<country>の」, the name (with a reading in parentheses),
# an optional country, then the title.
_PERSON = re.compile(
    rf"(?:(?P<country>[^\s,、。のはとがをにで]{{1,12}})の)?"
    rf"(?P<name>[{KANJI}{KATAKANA}A-Za-z・ー\-=]{{1,30}}?(?:\([^()]{{0,30}}\))?[{KANJI}{KATAKANA}A-Za-z・ー\-=]{{0,12}}?)"
    rf"\s*(?P<title>{_TITLE_RE})"
    # 「日米外相会談」「ASEAN関連外相会議」「関係国外相会合」 name meetings, not people.
    rf"(?!\s*(?:電話)?(?:会談|会合|会議|協議|戦略対話|懇談))"
)
# A reference to a person or to the parties in the body: 「河野大臣から」「ポンペオ長官は」「両外相は」.
REFERENCE = re.compile(
    rf"(?P<ref>(?P<joint>{'|'.join(JOINT_WORDS)})|(?P<name>[{KANJI}{KATAKANA}・ー]{{0,12}}?)(?P<title>{_TITLE_RE})|"
    rf"(?P<party>[{KANJI}{KATAKANA}A-Za-z]{{1,12}}?)(?:側|政府)?)"
    rf"(?P<case>から(?:は|も)?|より(?:は)?|は|が|も)"
)


def _person_in(lead: str, m: re.Match[str]) -> Person | None:
    raw = m.group("name")
    name = re.sub(r"\([^()]*\)|\(|\)", "", raw).strip("・=")
    party = None
    if m.group("country"):
        # Only a country named as such (「中国の王毅外交部長」); 「ベトナム訪問中のアニファ・アマン・
        # マレーシア外相」 names where the person is, not whose.
        country = re.sub(r"(?:側|政府)$", "", m.group("country"))
        whole = [f for f in find_parties(country) if f.start == 0 and f.end == len(country)]
        party = _party_of(country) if whole else None
    abbreviated = re.search(rf"(?<=[{KATAKANA}A-Za-z])([{_ABBR}])$", name)
    if abbreviated:
        # 「ジョン・ケリー米国務長官」「…ミラネージ伊外務・国際協力大臣」: one kanji for the country.
        party = party or ABBREVIATIONS[abbreviated.group(1)]
        name = name[: abbreviated.start()]
    for mention in find_parties(name):
        # 「マイク・ポンペオ米国」「モゲリーニEU外務・安全保障政策」: the country follows the name.
        if mention.start > 0 and len(mention.parties) == 1:
            party = party or mention.parties[0]
            name = name[: mention.start].strip("・")
            break
    tail = re.search(r"\)([^()]+)$", raw)
    if tail and name.endswith(tail.group(1)):
        # 「アフメット・ダーヴトオール(Dr. Ahmet Davutoglu)トルコ外相」: the country written after
        # the name's English reading, glued to the name once the reading is left out.
        whole = [
            mention
            for mention in find_parties(tail.group(1))
            if mention.start == 0 and mention.end == len(tail.group(1)) and len(mention.parties) == 1
        ]
        if whole:
            party = party or whole[0].parties[0]
            name = name[: -len(tail.group(1))].strip("・")
    organ = re.search(r"(?<=[ァ-ヶー])[一-龯]{2,}$", name)
    if organ:
        # 「ドナルド・トゥスク欧州理事会議長」: the body (欧州理事会) goes with the title, not the
        # name, so that 「トゥスク議長」 in the body finds the person.
        name = name[: organ.start()]
    if not name or country_names().get(name) or _is_compound(name):
        return None
    return Person(name, party if party not in GROUPINGS else None, {m.group("title")})


def _is_compound(name: str) -> bool:
    """「日米」「日・インド」: a party compound, never a person's name."""
    return any(m.start == 0 and m.end == len(name) for m in find_parties(name)) or name == "日"


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
    # The meeting's people are in the lead's first sentence that names two; people of later
    # sentences (「なお,トランプ大統領は,…文在寅韓国大統領と電話会談を行い」) are known by
    # name, for who said what, but are not parties to this meeting.
    at_meeting: list[Person] = []
    sentence_end = 0
    for m in _PERSON.finditer(lead):
        person = _person_in(lead, m)
        if person is None:
            continue
        if len(at_meeting) >= 2 and "。" in lead[sentence_end : m.start()]:
            sentence_end = len(lead)
        elif sentence_end < len(lead):
            sentence_end = m.end()
        # 「安倍晋三内閣総理大臣」 then 「安倍総理」: one person, named in full and by surname.
        known = participants.person(person.name, None) or next(
            (p for p in participants.people if person.name.startswith(p.name)), None
        )
        if known:
            known.titles |= person.titles
            continue
        participants.people.append(person)
        if sentence_end < len(lead):
            at_meeting.append(person)
    named = title_parties(title or "")
    # A section title names only the counterpart (「カナダ」): the publisher is the other party.
    home = participants.home or "Japan"
    parties = [home, named[0]] if len(named) == 1 and named[0] != home else list(named)
    for person in participants.people:
        if person.party is None:
            # The publisher's own minister is written without a country (「河野太郎外務大臣」).
            person.party = home if home not in {p.party for p in participants.people} else None
        if person.party and person.party not in parties and person in at_meeting:
            parties.append(person.party)
    others = [p for p in parties if p != home]
    for person in participants.people:
        if person.party is None and len(others) == 1:
            # In a bilateral meeting, a person with no country of their own is the counterpart.
            person.party = others[0]
    if not parties:
        parties = [home]
    if home in parties:
        parties.remove(home)
        parties.insert(0, home)
    participants.parties = parties
    participants.home = home
    return participants
