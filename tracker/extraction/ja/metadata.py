"""Japanese metadata: the title and the meeting's date.

MOFA pages give a dateline under the title (「平成30年6月6日」, 「令和4年1月6日」, or a Western
year) and name the day in the lead (「6月6日17時00分頃(現地時間)から約25分間」, 「本21日」,
「27日(木曜日)午後6時15分」). The lead's day is the meeting's; the dateline gives its year (and
its month when the lead gives a day alone). With no year anywhere we ask for --date, as in English.
"""

from __future__ import annotations

import datetime as dt
import re

from tracker.extraction.ja.text import shadow
from tracker.extraction.types import NO_DATE, NO_YEAR, Segment

# The first year of each era in the Gregorian calendar (元年 is year 1).
ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926}
_YEAR = r"(?:(?P<era>令和|平成|昭和)\s*(?P<eyear>元|\d{1,2})|(?P<wyear>(?:19|20)\d\d))\s*年"
_FULL_DATE = re.compile(_YEAR + r"\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
# A day in the lead: 「6月6日」, 「本21日」, 「27日(木曜日)」, 「2月16日(現地時間)」, followed by a time,
# a weekday, 「から」, a comma or 「,」; not 「3月末」 or a date inside a clause about something else.
_LEAD_DAY = re.compile(
    r"(?:(?P<this>本|同|昨)\s*)?(?:(?P<month>\d{1,2})\s*月\s*)?(?P<day>\d{1,2})\s*日"
    r"(?=\s*(?:\(|,|、|\s|午前|午後|夜|朝|夕|未明|正午|\d{1,2}\s*(?:時|:)|から|に|より|頃))"
)


def era_year(era: str | None, year: str | None, western: str | None) -> int | None:
    """The Gregorian year of 「平成30年」「令和元年」「2022年」."""
    if western:
        return int(western)
    if era and year:
        return ERAS[era] + (1 if year == "元" else int(year)) - 1
    return None


def title_of(text: str) -> tuple[str | None, int]:
    """The first non-blank line (a page's title or the section it was published under)."""
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            if len(raw.strip()) > 120:
                # A "title" of a whole paragraph is a body pasted without its title.
                return None, pos
            return raw.strip(), pos + len(raw)
        pos += len(raw) + 1
    return None, len(text)


def dateline(text: str, end: int) -> tuple[dt.date | None, int]:
    """The first full date (with its year) in text[:end], and where it ends."""
    m = _FULL_DATE.search(shadow(text), 0, end)
    if not m:
        return None, 0
    year = era_year(m.group("era"), m.group("eyear"), m.group("wyear"))
    try:
        return dt.date(year or 0, int(m.group("month")), int(m.group("day"))), m.end()
    except ValueError:
        return None, m.end()


def meeting_date_of(text: str, body_start: int, segments: list[Segment]) -> tuple[dt.date | None, str]:
    """The meeting's date from the dateline and the lead, and why."""
    s = shadow(text)
    header_end = min(len(text), max(segments[0].end, segments[0].start + 400)) if segments else len(text)
    stated, after = dateline(text, header_end)
    lead = _LEAD_DAY.search(s, max(after, body_start if stated is None else after), header_end)
    if lead is None:
        if stated is not None:
            return stated, "stated"
        return None, NO_DATE
    if stated is None:
        year_m = re.search(_YEAR, s[:header_end])
        year = era_year(year_m.group("era"), year_m.group("eyear"), year_m.group("wyear")) if year_m else None
        if year is None or not lead.group("month"):
            return None, NO_YEAR
        try:
            return dt.date(year, int(lead.group("month")), int(lead.group("day"))), "stated"
        except ValueError:
            return None, NO_DATE
    day = int(lead.group("day"))
    month = int(lead.group("month")) if lead.group("month") else stated.month
    year = stated.year
    if lead.group("month") is None and day > stated.day:
        # 「27日」 under a dateline of the 2nd is the 27th of the month before.
        month -= 1
        if month == 0:
            month, year = 12, year - 1
    elif lead.group("month") is not None and month > stated.month + 1:
        # A December meeting published in January.
        year -= 1
    try:
        return dt.date(year, month, day), "stated"
    except ValueError:
        return stated, "stated"
