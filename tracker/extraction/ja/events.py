"""English names for events written in Japanese, so that one event has one registry entry.

MOFA names a meeting by its parties' one-kanji compound and a meeting noun (「米朝首脳会談」,
「日米外相会談」, 「第2回米朝首脳会談」); its English pages write the same names word for word
("U.S.-North Korea Summit Meeting", "Japan-U.S. Foreign Ministers' Meeting", "the second ...").
The registry (`tracker.services.events`) stores a Japanese-named event with these English names as
aliases and looks a Japanese name up under them, so a readout in either language finds the event
the other created; `tracker.deadlines.find_registered_event` does the same for `tracker eval`.
"""

from __future__ import annotations

import re
import unicodedata

from tracker.extraction.ja.parties import ABBREVIATIONS

# How MOFA's English pages write the parties inside a meeting's name.
_SHORT = {
    "United States": "U.S.",
    "Republic of Korea": "ROK",
    "United Kingdom": "UK",
    "European Union": "EU",
}
# Meeting nouns, longest first.
_NOUNS = (
    ("首脳電話会談", "Summit Telephone Talk"),
    ("外相電話会談", "Foreign Ministers' Telephone Talk"),
    ("首脳会談", "Summit Meeting"),
    ("首脳会議", "Summit"),
    ("首脳会合", "Summit Meeting"),
    ("外相会談", "Foreign Ministers' Meeting"),
    ("外相会合", "Foreign Ministers' Meeting"),
    ("外相戦略対話", "Foreign Ministers' Strategic Dialogue"),
    ("外務・防衛閣僚協議", "Foreign and Defense Ministerial Consultations"),
    ("電話会談", "Telephone Talk"),
    ("サミット", "Summit"),
    ("会談", "Meeting"),
)
# Events known by a name of their own.
_NAMED = {
    "ミュンヘン安全保障会議": "Munich Security Conference",
    "国連総会": "UN General Assembly",
    "シャングリラ・ダイアローグ": "Shangri-La Dialogue",
    "ダボス会議": "World Economic Forum Annual Meeting",
}
_ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", 6: "Sixth", 7: "Seventh"}


def english_names(name: str) -> list[str]:
    """The English names an event written in Japanese is known by (none when unknown)."""
    folded = unicodedata.normalize("NFKC", name).strip("「」 ")
    if folded in _NAMED:
        return [_NAMED[folded]]
    ordinal = ""
    m = re.match(r"第(\d+)回", folded)
    if m:
        ordinal = _ORDINALS.get(int(m.group(1)), f"{m.group(1)}th") + " "
        folded = folded[m.end() :]
    for noun, english in _NOUNS:
        if not folded.endswith(noun):
            continue
        head = folded[: -len(noun)]
        if re.fullmatch(r"G\d+", head):
            return [f"{ordinal}{head} {english}".strip()]
        parties = [ABBREVIATIONS.get(ch) for ch in head]
        if head and all(parties):
            names = [_SHORT.get(p, p) for p in parties if p]
            return [f"{ordinal}{'-'.join(names)} {english}"]
    return []


# A visit named by its visitor, with or without の: 「トランプ大統領訪日」「トランプ大統領の訪日」.
_VISIT = re.compile(
    r"(?P<visitor>.+?(?:副大統領|大統領|総理大臣|総理|首相|国王|皇太子|外務大臣|外相|大臣|長官|主席|議長|委員長))"
    r"(?P<of>の)?(?P<visit>訪[日米中韓英仏独豪印加欧露]|訪問|来日|来訪)"
)


# A visit to a country written out or in the one-kanji form: 「日本訪問」「訪日」, 「米国訪問」「訪米」.
_VISIT_TO = {
    "日本": "訪日",
    "米国": "訪米",
    "中国": "訪中",
    "韓国": "訪韓",
    "英国": "訪英",
    "フランス": "訪仏",
    "ドイツ": "訪独",
    "豪州": "訪豪",
    "オーストラリア": "訪豪",
    "インド": "訪印",
    "カナダ": "訪加",
    "ロシア": "訪露",
}


def _visit_forms(name: str) -> list[str]:
    """「日本訪問」 <-> 「訪日」, keeping what comes before (「トランプ大統領の日本訪問」)."""
    for country, short in _VISIT_TO.items():
        if name.endswith(country + "訪問"):
            return [name[: -len(country + "訪問")] + short]
        if name.endswith(short):
            return [name[: -len(short)] + country + "訪問"]
    return []


def _more_forms(name: str) -> list[str]:
    """A visitor's title long or short (「岸田総理の訪米」「岸田総理大臣の訪米」): one person, one event.
    (Aliases are also registry keys: a bare 「2+2」 alias would join every country's 2+2.)"""
    forms = []
    if "総理大臣" in name:
        forms.append(name.replace("総理大臣", "総理"))
    elif "総理" in name:
        forms.append(name.replace("総理", "総理大臣"))
    return forms


def japanese_synonyms(name: str) -> list[str]:
    """Other Japanese names MOFA gives the same meeting of a group: 「G20首脳会合」「G20首脳会議」
    and 「G20サミット」 (whose registry entry may carry its host city, 「G20大阪サミット」); and a
    visit written with and without の (「トランプ大統領訪日」, 「トランプ大統領の訪日」)."""
    folded = unicodedata.normalize("NFKC", name).strip("「」 ")
    extra = _more_forms(folded)
    visit = _VISIT.fullmatch(folded)
    if visit:
        joiner = "" if visit.group("of") else "の"
        return [visit.group("visitor") + joiner + visit.group("visit"), *_visit_forms(folded), *extra]
    if _visit_forms(folded):
        return [*_visit_forms(folded), *extra]
    if extra:
        return extra
    m = re.fullmatch(r"(?P<group>G\d+|APEC|ASEAN|NATO|EU)(?P<noun>首脳会合|首脳会議|サミット)", folded)
    if not m:
        return []
    return [
        m.group("group") + noun for noun in ("首脳会合", "首脳会議", "サミット") if noun != m.group("noun")
    ]
