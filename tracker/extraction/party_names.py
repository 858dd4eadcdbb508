"""The parties: their canonical names, and the names readouts call them by, in every language.

Country names come from pycountry (the maintained ISO 3166 list); a small table adds the
abbreviations, organisations and demonyms that readouts use ("ROK", "U.S.", "EU", "Japanese").
A canonical name ("Republic of Korea") is what is stored, whatever the readout's language, so
this catalogue is shared: a grammar (`en/parties.py`, `ja/parties.py`) maps its own words onto
it, and the services find the parties named in a title or a publisher with it. The publisher's
party ("The White House" → United States) is here too, since an officer types the publisher in
English at ingest whatever the readout's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

# Canonical names where ISO's "Korea, Republic of" style is not what officers write.
_CANONICAL_BY_ALPHA2 = {
    "KR": "Republic of Korea",
    "KP": "North Korea",
    "US": "United States",
    "GB": "United Kingdom",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "LA": "Laos",
    "VN": "Vietnam",
    "TW": "Taiwan",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "PS": "Palestine",
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FM": "Micronesia",
    "VA": "Holy See",
    "CZ": "Czech Republic",
    "MM": "Myanmar",
}

# Abbreviations, organisations and other names that are not ISO country names.
_EXTRA_ALIASES = {
    "U.S.": "United States",
    "US": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "United States of America": "United States",
    "America": "United States",
    "ROK": "Republic of Korea",
    "R.O.K.": "Republic of Korea",
    "South Korea": "Republic of Korea",
    "Korea": "Republic of Korea",
    "DPRK": "North Korea",
    "D.P.R.K.": "North Korea",
    "North Korea": "North Korea",
    "Democratic People's Republic of Korea": "North Korea",
    "UK": "United Kingdom",
    "NZ": "New Zealand",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "PRC": "China",
    "People's Republic of China": "China",
    "Russia": "Russia",
    "Vietnam": "Vietnam",
    "Turkey": "Türkiye",
    "Burma": "Myanmar",
    "EU": "European Union",
    "E.U.": "European Union",
    "European Union": "European Union",
    "European Commission": "European Union",
    "ASEAN": "ASEAN",
    "Association of Southeast Asian Nations": "ASEAN",
    "G7": "G7",
    "G-7": "G7",
    "G20": "G20",
    "G-20": "G20",
    "NATO": "NATO",
    "United Nations": "United Nations",
    "UN": "United Nations",
    "U.N.": "United Nations",
    "Quad": "Quad",
    "African Union": "African Union",
    "Taiwan": "Taiwan",
    "Hong Kong": "Hong Kong",
}

# Adjectives that name a party ("the Japanese side", "Japanese Minister ... Hayashi").
_DEMONYMS = {
    "Japanese": "Japan",
    "American": "United States",
    "South Korean": "Republic of Korea",
    "Korean": "Republic of Korea",
    "North Korean": "North Korea",
    "Chinese": "China",
    "British": "United Kingdom",
    "Australian": "Australia",
    "Indian": "India",
    "Canadian": "Canada",
    "French": "France",
    "German": "Germany",
    "Italian": "Italy",
    "Russian": "Russia",
    "Ukrainian": "Ukraine",
    "Indonesian": "Indonesia",
    "Vietnamese": "Vietnam",
    "Philippine": "Philippines",
    "Filipino": "Philippines",
    "Thai": "Thailand",
    "Singaporean": "Singapore",
    "Malaysian": "Malaysia",
    "Mexican": "Mexico",
    "Brazilian": "Brazil",
    "Turkish": "Türkiye",
    "Israeli": "Israel",
    "Iranian": "Iran",
    "Saudi": "Saudi Arabia",
    "Egyptian": "Egypt",
    "Pakistani": "Pakistan",
    "Spanish": "Spain",
    "Dutch": "Netherlands",
    "Polish": "Poland",
    "Swedish": "Sweden",
    "Norwegian": "Norway",
    "Finnish": "Finland",
    "Danish": "Denmark",
    "Belgian": "Belgium",
    "Swiss": "Switzerland",
    "Austrian": "Austria",
    "Greek": "Greece",
    "Irish": "Ireland",
    "Portuguese": "Portugal",
    "Argentine": "Argentina",
    "Chilean": "Chile",
    "Peruvian": "Peru",
    "Colombian": "Colombia",
    "South African": "South Africa",
    "Nigerian": "Nigeria",
    "Kenyan": "Kenya",
    "Mongolian": "Mongolia",
    "Bangladeshi": "Bangladesh",
    "Sri Lankan": "Sri Lanka",
    "Nepalese": "Nepal",
    "Cambodian": "Cambodia",
    "New Zealand": "New Zealand",
    "Lithuanian": "Lithuania",
    "Estonian": "Estonia",
    "Latvian": "Latvia",
    "Czech": "Czech Republic",
    "Hungarian": "Hungary",
    "Romanian": "Romania",
    "Emirati": "United Arab Emirates",
    "Qatari": "Qatar",
    "Jordanian": "Jordan",
    "Kazakh": "Kazakhstan",
    "Uzbek": "Uzbekistan",
    "Ecuadorian": "Ecuador",
    "Uruguayan": "Uruguay",
    "Paraguayan": "Paraguay",
    "Bolivian": "Bolivia",
    "Venezuelan": "Venezuela",
    "Cuban": "Cuba",
    "Jamaican": "Jamaica",
    "Moroccan": "Morocco",
    "Algerian": "Algeria",
    "Tunisian": "Tunisia",
    "Libyan": "Libya",
    "Ethiopian": "Ethiopia",
    "Ghanaian": "Ghana",
    "Senegalese": "Senegal",
    "Tanzanian": "Tanzania",
    "Ugandan": "Uganda",
    "Rwandan": "Rwanda",
    "Angolan": "Angola",
    "Mozambican": "Mozambique",
    "Zambian": "Zambia",
    "Zimbabwean": "Zimbabwe",
    "Namibian": "Namibia",
    "Iraqi": "Iraq",
    "Syrian": "Syria",
    "Lebanese": "Lebanon",
    "Kuwaiti": "Kuwait",
    "Omani": "Oman",
    "Bahraini": "Bahrain",
    "Yemeni": "Yemen",
    "Afghan": "Afghanistan",
    "Maldivian": "Maldives",
    "Bhutanese": "Bhutan",
    "Laotian": "Laos",
    "Bruneian": "Brunei",
    "Timorese": "Timor-Leste",
    "Fijian": "Fiji",
    "Samoan": "Samoa",
    "Tongan": "Tonga",
    "Icelandic": "Iceland",
    "Slovak": "Slovakia",
    "Slovenian": "Slovenia",
    "Croatian": "Croatia",
    "Serbian": "Serbia",
    "Montenegrin": "Montenegro",
    "Albanian": "Albania",
    "Bulgarian": "Bulgaria",
    "Moldovan": "Moldova",
    "Belarusian": "Belarus",
    "Georgian": "Georgia",
    "Armenian": "Armenia",
    "Azerbaijani": "Azerbaijan",
    "Kyrgyz": "Kyrgyzstan",
    "Tajik": "Tajikistan",
    "Maltese": "Malta",
    "Cypriot": "Cyprus",
    "Argentinian": "Argentina",
    "Costa Rican": "Costa Rica",
    "Panamanian": "Panama",
    "Guatemalan": "Guatemala",
    "Salvadoran": "El Salvador",
    "Haitian": "Haiti",
    "Taiwanese": "Taiwan",
    "Papua New Guinean": "Papua New Guinea",
    "Nepali": "Nepal",
    "Ivorian": "Côte d'Ivoire",
    "Cameroonian": "Cameroon",
    "Sudanese": "Sudan",
    "Palestinian": "Palestine",
    "Kazakhstani": "Kazakhstan",
}

# Names that contain a party's name but are not a party ("the Korean Peninsula").
_NOT_PARTIES = (
    "Korean Peninsula",
    "Korea Summit",
    "Republic of China",
    "South China Sea",
    "South China Seas",
    "East China Sea",
    "East and South China Seas",
    "Latin America",
    "North America",
    "South America",
    "Central America",
)


def _display_name(country: object) -> str:
    alpha2 = getattr(country, "alpha_2", "")
    if alpha2 in _CANONICAL_BY_ALPHA2:
        return _CANONICAL_BY_ALPHA2[alpha2]
    common = getattr(country, "common_name", None)
    return common or country.name  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _alias_table() -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for country in pycountry.countries:
        canonical = _display_name(country)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table[value] = canonical
        table[canonical] = canonical
    table.update(_EXTRA_ALIASES)
    for alias in _NOT_PARTIES:
        table[alias] = None
    return table


def _build_trie_pattern(words: list[str]) -> str:
    """A regex alternation shaped like a trie, so a few hundred names cost one fast pass."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        # Longer continuations first: alternation is ordered, and "Korean Peninsula" must beat
        # "Korean".
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return render(trie)


@lru_cache(maxsize=1)
def _mention_regex() -> tuple[re.Pattern[str], dict[str, str | None]]:
    table = dict(_alias_table())
    for demonym, country in _DEMONYMS.items():
        table.setdefault(demonym, country)
    pattern = _build_trie_pattern(sorted(table))
    regex = re.compile(r"(?<![A-Za-z0-9])(?:the\s+)?(" + pattern + r")(?![A-Za-z0-9])")
    return regex, table


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    party: str | None


def find_mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every party name, abbreviation or demonym in text[start:end], in order."""
    regex, table = _mention_regex()
    end = len(text) if end is None else end
    found = []
    for m in regex.finditer(text, start, end):
        surface = m.group(1)
        found.append(Mention(m.start(1), m.end(1), surface, table.get(surface)))
    return found


@lru_cache(maxsize=1)
def _lowercase_table() -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for demonym, canonical in _DEMONYMS.items():
        table[demonym.lower()] = canonical
    for alias, canonical_name in _alias_table().items():
        if len(alias) > 3:
            table[alias.lower()] = canonical_name
    return table


@lru_cache(maxsize=1)
def _aliases_by_canonical() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for alias, canonical in _alias_table().items():
        if canonical is not None and alias != canonical:
            found.setdefault(canonical, []).append(alias)
    return {canonical: tuple(aliases) for canonical, aliases in found.items()}


def party_aliases(canonical: str) -> tuple[str, ...]:
    """The other names and abbreviations readouts use for the party called `canonical`
    ("United States": "U.S.", "US", "USA", "America", ...); none for a name not in the table."""
    return _aliases_by_canonical().get(canonical, ())


@lru_cache(maxsize=8192)
def canonical_party(name: str) -> str | None:
    """The canonical party name for a country, abbreviation, demonym or organisation, else None."""
    cleaned = re.sub(r"\s+", " ", name).strip().strip(",;:()")
    cleaned = re.sub(r"^(?:the|The)\s+", "", cleaned)
    cleaned = re.sub(r"\s+(?:side|government|Government)$", "", cleaned)
    if not cleaned:
        return None
    table = _alias_table()
    if cleaned in table:
        return table[cleaned]
    if cleaned in _DEMONYMS:
        return _DEMONYMS[cleaned]
    return _lowercase_table().get(cleaned.lower())


def split_parties(value: str) -> list[str]:
    """Party names typed as a list (semicolons, commas or lines), canonical where known ("ROK"
    is "Republic of Korea"), each once: the preview's and the commitment page's parties field."""
    names = []
    for raw in re.split(r"[;,\n]", value):
        raw = raw.strip()
        if raw:
            names.append((canonical_party(raw) or raw)[:200])
    return list(dict.fromkeys(names))


# Seats of government and ministries whose names do not say their country. Matched, lowercased, as
# whole words inside the publisher an officer types at ingest; a country written in the name wins.
_SEATS_OF_GOVERNMENT = (
    ("white house", "United States"),
    ("department of state", "United States"),
    ("state department", "United States"),
    ("10 downing street", "United Kingdom"),
    ("downing street", "United Kingdom"),
    ("prime minister's office", "United Kingdom"),
    ("foreign, commonwealth", "United Kingdom"),
    ("foreign and commonwealth office", "United Kingdom"),
    ("fcdo", "United Kingdom"),
    ("fco", "United Kingdom"),
    ("elysee", "France"),
    ("élysée", "France"),
    ("quai d'orsay", "France"),
    ("federal foreign office", "Germany"),
    ("auswärtiges amt", "Germany"),
    ("bundesregierung", "Germany"),
    ("bundeskanzler", "Germany"),
    ("federal chancellery", "Germany"),
    ("kantei", "Japan"),
    ("gaimusho", "Japan"),
    ("ministry of external affairs", "India"),
    ("mea", "India"),
    ("department of foreign affairs and trade", "Australia"),
    ("dfat", "Australia"),
    ("global affairs", "Canada"),
    ("eeas", "European Union"),
    ("european external action service", "European Union"),
    ("european commission", "European Union"),
    ("european council", "European Union"),
    ("council of the european union", "European Union"),
    ("blue house", "Republic of Korea"),
    ("cheong wa dae", "Republic of Korea"),
    ("kremlin", "Russia"),
    ("zhongnanhai", "China"),
)
# "Embassy of Japan in Canberra": the place after "in" hosts the publisher, it is not its country.
_PUBLISHER_HOST = re.compile(r"\s+(?:in|to|at)\s+(?:the\s+)?[A-Z][^,;]*$")


@lru_cache(maxsize=256)
def publisher_party(publisher: str | None) -> str | None:
    """The country (or union) that publishes a readout, from the publisher's name.

    "Ministry of Foreign Affairs of Japan", "Prime Minister of Canada" and "Embassy of the
    People's Republic of China in Barbados" say it themselves; seats of government such as
    "The White House" or "Prime Minister's Office, 10 Downing Street" come from a small table.
    """
    if not publisher or not publisher.strip():
        return None
    name = re.sub(r"\s+", " ", publisher).strip().replace("’", "'")
    own = _PUBLISHER_HOST.sub("", name)
    for mention in find_mentions(own):
        if mention.party:
            return mention.party
    lowered = name.lower()
    for seat, country in _SEATS_OF_GOVERNMENT:
        if re.search(rf"(?<![\w]){re.escape(seat)}(?![\w])", lowered):
            return country
    return canonical_party(name)
