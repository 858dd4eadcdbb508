"""Japanese time words: the deadline of one undertaking, as the same DeadlineSpec English gives.

The relations and day counts are the corpus rules, shared with English through DeadlineSettings:
- an event anchor decides the type: 「〜に向け(て)」「〜の成功に向け」「〜に先立ち」「〜が…となるよう」
  are `before`; 「〜において」「〜の機会に」「〜の際」「〜の前後」「G7で」「〜を機に」 are `at`;
  「〜後」 is `after` (+30), 「〜後,速やかに」 +7, 「〜後,直ちに」 +1;
- then a date: 直ちに +1, 速やかに +7, 早期に／早急に／できるだけ早く／本年の早い時期に +30,
  「2月中旬頃」 the 15th, 上旬 the 10th, 下旬／末 the month's end, 「2月10日」 that day (this year,
  or the next if it has passed), 本年／年内 31 Dec, 来年 31 Dec next year, 年度内 31 March;
- 早期 that modifies a goal (「早期解決に向け」「早期の署名・発効に向け」) is no deadline; 早期 on the
  parties' own act (「早期開催に向けて調整」「早期署名・発効を目指したい」) is +30;
- continuing activity (連携, 協力, 意思疎通, 引き続き, 今後とも ...) is `ongoing`, other one-off
  steps `none`; cooperation toward a one-off act (締結, 署名, 発効) with no word of continuing
  ends with it, so it is `none`.
Resolution against the event registry is `tracker.deadlines`, the same module for both languages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from tracker.deadlines import DeadlineSettings
from tracker.extraction.ja.parties import find_parties
from tracker.extraction.ja.text import KANJI, KATAKANA, Token, tokens
from tracker.extraction.types import DeadlineSpec, Relation

# Nouns that make a name an event one can be before, at or after.
_MEETING_NOUNS = (
    r"首脳会談|外相会談|電話会談|会談|首脳会合|外相会合|閣僚会合|会合|閣僚会議|会議|サミット|総会|"
    r"訪[日米中韓朝欧印豪英加比独仏伊露越星泰]|訪問|来日|来訪|大会|五輪|オリンピック|パラリンピック|"
    r"万博|博覧会|フォーラム|対話|協議|式典|周年|就任式|首脳会議|理事会|選挙"
)
# Public for the clause grammar: 「…特別首脳会議では,」 opens an undertaking at that meeting.
MEETING_NOUNS = _MEETING_NOUNS
_ACTS_AFTER = r"署名|発効|締結|批准|採択|発表|就任|離脱"
# Acts still to come that an undertaking is tied to (「署名に当たっては」).
_ACTS_AT = r"署名|発効|締結|批准|離脱"
_ACRONYM = r"G7|G8|G20|APEC|ASEAN|EAS|ASEM|TICAD(?:\s*\d+|\s*[IVX]+)?|COP\s*\d+|「?2\+2」?"
# An event's name: a run of name characters (no hiragana, so particles end it) ending in an
# event noun; 「第2回米朝首脳会談」「G7シャルルボワ・サミット」「モディ首相訪日」.
_NAME_CHARS = rf"[{KANJI}{KATAKANA}A-Za-z0-9・\-+「」]"
_EVENT = rf"(?P<name>{_NAME_CHARS}*?(?:{_MEETING_NOUNS}|{_ACRONYM}))"
_EVENT_ACT = rf"(?P<name>{_NAME_CHARS}*?(?:{_MEETING_NOUNS}|{_ACTS_AFTER}|{_ACRONYM}))"
_SPEED = r"(?P<speed>速やかに|直ちに|ただちに|早急に|早期に|すぐに)"

# A name may carry its acronym: 「第8回太平洋・島サミット(PALM8)を含め」.
_ACRONYM_NOTE = r"(?:\([^()]{1,20}\))?"
_ANCHORS: list[tuple[Relation, re.Pattern[str]]] = [
    (
        "after",
        re.compile(rf"{_EVENT_ACT}{_ACRONYM_NOTE}(?:の)?(?:終了)?後(?:も|に|は)?(?:[,、]?\s*{_SPEED})?"),
    ),
    (
        "after",
        # 「新型コロナウイルス感染症が落ち着き次第」: as soon as a state of affairs ends, an event
        # whose date nobody knows yet (any noun phrase, not only a meeting).
        re.compile(
            rf"(?P<name>[{KANJI}{KATAKANA}A-Za-z0-9・\-]{{2,30}}?)が(?:落ち着き|収束し|終わり|終了し|整い|確定し|明け)(?P<speed>次第)"
        ),
    ),
    ("before", re.compile(rf"{_EVENT}{_ACRONYM_NOTE}(?:の(?:成功|開催|実施))?に向け(?:て|た)?")),
    # 「日・トルコ外交関係樹立100周年にあたる2024年に向け」: the year is the anniversary's.
    (
        "before",
        re.compile(
            rf"{_EVENT}(?:にあたる|に当たる|となる|を迎える)(?:(?:19|20)\d\d年|本年|来年|明年)に向け(?:て|た)?"
        ),
    ),
    # 「G7外相会合の成功のために…協力したい」: for the event's success is before it.
    ("before", re.compile(rf"{_EVENT}{_ACRONYM_NOTE}の(?:成功|開催|実施)のため(?:に)?")),
    ("before", re.compile(rf"{_EVENT}{_ACRONYM_NOTE}(?:に先立ち|に先立って|の前に|前に|までに|の直前に)")),
    # 「来年の日印国交樹立70周年も見据え」「…70周年も念頭に」: looking ahead to an event.
    ("before", re.compile(rf"{_EVENT}{_ACRONYM_NOTE}(?:も|を)(?:見据え|念頭に(?:置き|置いて)?)")),
    ("before", re.compile(rf"{_EVENT}(?:が|を)[^。]{{0,80}}?(?:となる|になる|にする|とする)よう")),
    ("at", re.compile(rf"{_EVENT}{_ACRONYM_NOTE}の前後")),
    # 「協定の署名に当たっては」「EU離脱にあたり」「首脳会談に当たって」: on the occasion of an event or
    # of an act still to come (「就任にあたり」 is not one: the taking of office is done).
    (
        "at",
        re.compile(
            rf"(?P<name>{_NAME_CHARS}*?(?:{_MEETING_NOUNS}|{_ACRONYM}|{_ACTS_AT})){_ACRONYM_NOTE}"
            r"に(?:当た|あた)(?:って(?:は|も)?|り(?:ましては)?)"
        ),
    ),
    # An event named as the occasion for the act: 「来月のG7サミットは…議論する良い機会であり,
    # 首脳間で率直に意見交換を行う」 is at the summit.
    (
        "at",
        re.compile(
            rf"{_EVENT}{_ACRONYM_NOTE}(?:は|が)[^。]{{0,60}}?(?:良い|よい|絶好の|重要な|貴重な)?機会(?:であり|となり|となる|であるとして)"
        ),
    ),
    (
        "at",
        re.compile(
            rf"{_EVENT}{_ACRONYM_NOTE}(?:出席|参加)?(?:等|など)?(?:において|における|の機会に(?:も)?|の機会や|の機会を(?:捉え|とらえ|利用し|活用し)(?:て)?|"
            rf"に際し(?:て)?|に合わせ(?:て)?|の期間中(?:に)?|"
            rf"の際に?(?!と同様|の(?:成果|合意|議論|約束|共同声明|やり取り))|時に(?:は)?|時は|の場で|の場を(?:活用|利用)し(?:て)?|を機に|の折に|を含め(?:て)?|で(?:も|は)?(?!の))"
        ),
    ),
]
_EARLIER_EVENT = re.compile(
    rf"{_EVENT}{_ACRONYM_NOTE}(?:及び|並びに|[,、]|や)(?:(?:本年|来年|来月|\d{{1,2}}月)の?)?(?:{_NAME_CHARS}+[,、])*{_NAME_CHARS}*$"
)
_IN_FORUM = re.compile(r"(?:で|でも|では|における|において)$")
_PARENT_EVENT = re.compile(
    rf"(?P<parent>{_NAME_CHARS}*?(?:{_MEETING_NOUNS}|{_ACRONYM}|首相|大統領|総理|総理大臣|大臣|外相|長官|国王|議長|委員長))の$"
)
# Groups that meet under their own name; named alone they may be the forum, not one meeting.
_FORUM = re.compile(
    r"G7|G8|G20|APEC|ASEAN|EU|NATO|国連|安保理|TICAD|QUAD|クアッド|[6六]者(?:協議|会合)"  # a standing table
)
# A past verb right after an event, ending a relative clause: 「…協議で立ち上げた」「…の際に合意された」
# (「〜を始めとした」「〜を中心とした」 are fixed forms, "including", "centred on", not a past act).
_PAST_RELATIVE = re.compile(
    rf"[^,、。]{{0,20}}?(?<!向け)(?<!関し)(?<!対し)(?<!基づい)(?<!沿っ)(?<!とし)(?:た|だ)(?=[{KANJI}{KATAKANA}A-Za-z「『])"
)
# Words before a name that put the event in the past (「昨年の」「先般の」「前回の」).
_PAST_MARK = re.compile(r"(?:昨年|先般|先日|先月|先週|前回|去る|昨)(?:の)?[^,、。をがはに]{0,12}$")
# Words before a name that date it and are not part of it (「本年のモディ首相訪日」, 「来たるべき」).
_NAME_PREFIX = re.compile(r"^(?:本年|今年|来年|来月|今月|\d{1,2}月|\d{1,2}日)+")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    name: str
    relation: Relation
    speed: str | None


def _as_written_today(s: str) -> str:
    """Older pages write 明年 for 来年 (「明年早期の…訪日」): read as 来年, with the same offsets."""
    return s.replace("明年", "来年") if "明年" in s else s


def find_anchor(s: str, start: int, end: int) -> Anchor | None:
    """The first event text s[start:end] ties an undertaking to, with its relation."""
    s = _as_written_today(s)
    best: Anchor | None = None
    for relation, pattern in _ANCHORS:
        for m in pattern.finditer(s, start, end):
            if _PAST_MARK.search(s, max(start, m.start() - 15), m.start()):
                # 「昨年のキャメロン首相訪日の際に…合意された」: a past event, cited.
                continue
            name = _NAME_PREFIX.sub("", m.group("name")).strip("・「」")
            parent = _PARENT_EVENT.search(s, max(start, m.start("name") - 40), m.start("name"))
            if not name or (name in ("会談", "会議", "会合", "協議", "対話", "訪問") and not parent):
                # A bare 「会談」 is the meeting itself (「会談となるよう」 is not); 「安倍総理の訪問
                # の際に」 names its visitor.
                continue
            if _PAST_RELATIVE.match(s, m.end(), end):
                # 「本年の日・EU定期首脳協議で立ち上げた…対話」: the event of something done.
                continue
            if (
                relation == "at"
                and _FORUM.fullmatch(name)
                and _IN_FORUM.search(m.group())
                and (
                    m.group().endswith("における")
                    or s.startswith("の", m.end())
                    or _STRICT_CONTINUING.search(s, start, end)
                )
            ):
                # A group named alone with 「で」「において」 is a forum, not a meeting with a date:
                # 「G7での協力」, 「日・EU間及びG7で引き続き緊密に連携」. 「G7で議論を行いたい」 is at its
                # summit, and 「APECの機会に」「G20の際に」 name the meeting whatever goes on there.
                continue
            if parent and relation in ("before", "at"):
                # 「G7広島サミットのアウトリーチ会合において」: a session of a larger event is at
                # that event (the registry knows the summit, not its sessions); 「トルドー首相の
                # 訪日の際に」: a visit is the visitor's.
                head = _NAME_PREFIX.sub("", parent.group("parent"))
                if head.count("「") != head.count("」"):
                    head = head.strip("「」")
                name = f"{head.strip('・')}の{name}"
            speed = m.groupdict().get("speed")
            first = _EARLIER_EVENT.search(s, start, m.start("name"))
            if first and relation in ("before", "at"):
                # 「G20大阪サミット及び9月の国連総会に向けた」: one undertaking, two events; the
                # deadline is the first (the labelling rule: the earlier event).
                name = _NAME_PREFIX.sub("", first.group("name")).strip("・「」")
            anchor = Anchor(m.start(), m.end(), name, relation, speed)
            if best is None or anchor.start < best.start:
                best = anchor
            break
    return best


_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("immediate", re.compile(r"直ちに|ただちに|即座に|即時に")),
    (
        "asap",
        re.compile(
            r"(?:(?P<rel>本年|今年|来年|年内)(?:中)?の?\s*)?(?:(?:最も|できる(?:限り|だけ)|可能な限り|なるべく)\s*)?"
            r"(?:早い(?:適切な|適当な|都合の良い|都合のよい)?時期に|早期(?:かつ|の)?(?:適切な|適当な)時期に|早(?:く|期に|急に))"
            r"|早急に|早期に|近日中に|近いうちに|近く(?=[\u4e00-\u9fff]|お会い|お目にかか|お迎え|ご)"
            # "at the earliest possible opportunity": 「できるだけ早い機会に」.
            r"|(?:(?:最も|できる(?:限り|だけ)|可能な限り|なるべく)\s*)?早い(?:適切な)?機会に"
            # "in the near future", "shortly": like "soon", +30 days.
            r"|近い将来(?:に)?|近々(?:に)?"
        ),
    ),
    # 「明年早期の…訪日」「本年早期に」: early in a year named.
    ("asap", re.compile(r"(?P<rel>本年|今年|来年)(?:の)?(?:できるだけ|可能な限り)?早期")),
    (
        "early_act",
        re.compile(
            # (「首脳の早期訪日の実現で一致」: the early act brought about.)
            rf"早期(?:の)?(?P<act>[{KANJI}{KATAKANA}・]+?)(?P<after>に向け|を目指|の実現に向け|の実現(?=で|を|$)|へ向け|へ|を|に|,|、|$)"
        ),
    ),
    ("promptly", re.compile(r"速やかに|迅速に|すぐに")),
    ("month_day", re.compile(r"(?:(?P<year>(?:19|20)\d\d)年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})日")),
    (
        "month_part",
        re.compile(
            r"(?:(?P<year>(?:19|20)\d\d)年|(?P<rel>本年|今年|来年))?(?P<month>\d{1,2})月(?P<part>上旬|初旬|初め|中旬|下旬|末|中)?頃?"
        ),
    ),
    ("half", re.compile(r"(?P<rel>本年|今年|来年)(?:の)?(?P<half>前半|後半|上半期|下半期)")),
    (
        "season",
        # 「今秋に」「本年夏に」 name the season by its year; a bare 「秋に」 needs 頃/中/まで to be one.
        re.compile(
            r"(?P<rel>本年|今年|来年|今|この|来)?(?:の)?(?P<season>春|夏|秋|冬)(?P<suffix>頃|中|まで|にも|に)?(?![季節分期])"
        ),
    ),
    # 「来週,電話会談を行う」: the end of the week named, as "next week" in English.
    ("week", re.compile(r"(?P<rel>再来週|来週|今週)(?:中|内|末)?")),
    ("fiscal", re.compile(r"(?:本|今|来)?年度(?:内|中|末)")),
    # (「月内に」 alone is this month: 「月内に協議を行う」.)
    (
        "this_month",
        re.compile(
            r"(?P<rel>今月|来月|(?<![\d年今来先前])月(?=内))(?P<part>上旬|初旬|初め|中旬|下旬|末|中|内)?"
        ),
    ),
    # A year written out as the time of the act: 「2030年までに」「2025年中に」「2027年末までに」 (not
    # 「2025年の万博」, which names an event, nor 「2013年以降」).
    (
        "calendar_year",
        re.compile(r"(?P<year>(?:19|20)\d\d)年(?:中|末|内)?(?=まで|に(?!向け|かけ|は)|中|末|内)"),
    ),
    # 「年明け早々に」: early next year, as 「来年の早い時期に」.
    # 「来年初めに」「明年初頭」: early next year likewise.
    ("new_year", re.compile(r"年明け(?:早々|早く|後)?|来年(?:の)?(?:初め|初頭|早々)")),
    (
        "within",
        re.compile(r"(?P<n>\d+|一|二|三|四|五|六|七|八|九|十)(?P<unit>日|週間|か月|ヶ月|カ月|箇月|年)以内"),
    ),
    (
        "year",
        re.compile(
            r"(?P<rel>年内|本年中|今年中|年末まで|本年末|今年末|本年|今年|来年中|来年末|来年"
            r"|(?<![昨\d])年末(?=に|頃|を目途))"
        ),
    ),
]
_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# 早期 on these is the parties' own act (+30); on anything else before 「に向け」 it is a goal.
_OWN_ACTS = re.compile(r"^(?:開催|実施|実現?訪問|訪問|訪日|来日|会談|再開|派遣|開始|立ち上げ)")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _next_year_if_passed(meeting: dt.date, month: int, day: int, year: int | None) -> dt.date:
    if year is not None:
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    candidate = dt.date(meeting.year, month, min(day, calendar.monthrange(meeting.year, month)[1]))
    if candidate < meeting:
        candidate = dt.date(
            meeting.year + 1, month, min(day, calendar.monthrange(meeting.year + 1, month)[1])
        )
    return candidate


def _speed_days(kind: str, settings: DeadlineSettings) -> int | None:
    """The days a speed word stands for (DeadlineSpec.counted_days); None for other kinds."""
    if kind == "immediate":
        return settings.immediately_days
    if kind in ("asap", "early_act"):
        return settings.early_date_days
    if kind == "promptly":
        return settings.promptly_days
    return None


def _early_next_year(kind: str, m: re.Match[str]) -> bool:
    """「来年の早い時期に」: a speed word tied to next year, not a count of days from the meeting."""
    return kind == "asap" and m.group("rel") == "来年"


def _resolve(kind: str, m: re.Match[str], meeting: dt.date, settings: DeadlineSettings) -> dt.date | None:
    days = dt.timedelta
    if _early_next_year(kind, m):
        # 「来年の最も早い適切な時期に」: early, but next year (a month into it at the soonest).
        return max(
            meeting + days(days=settings.early_date_days),
            dt.date(meeting.year + 1, 1, 1) + days(days=settings.early_date_days),
        )
    speed = _speed_days(kind, settings)
    if speed is not None:
        return meeting + days(days=speed)
    if kind == "month_day":
        year = int(m.group("year")) if m.group("year") else None
        return _next_year_if_passed(meeting, int(m.group("month")), int(m.group("day")), year)
    if kind == "month_part":
        month = int(m.group("month"))
        year = int(m.group("year")) if m.group("year") else None
        if year is None and m.group("rel") == "来年":
            year = meeting.year + 1
        part = m.group("part") or ""
        if part in ("上旬", "初旬", "初め"):
            return _next_year_if_passed(meeting, month, 10, year)
        if part == "中旬":
            return _next_year_if_passed(meeting, month, 15, year)
        end = _next_year_if_passed(meeting, month, 31, year)
        return _month_end(end.year, end.month)
    if kind == "half":
        year = meeting.year + (1 if m.group("rel") == "来年" else 0)
        return dt.date(year, 6, 30) if m.group("half") in ("前半", "上半期") else dt.date(year, 12, 31)
    if kind == "season":
        # (「来春」 is next year's spring, as 「来年春」 is.)
        year = meeting.year + (1 if m.group("rel") in ("来年", "来") else 0)
        season = m.group("season")
        if season == "冬":
            return _month_end(year + (1 if meeting.month >= 3 else 0), 2)
        month, day = {"春": (5, 31), "夏": (8, 31), "秋": (11, 30)}[season]
        return dt.date(year, month, day)
    if kind == "week":
        later = {"今週": 0, "来週": 1, "再来週": 2}[m.group("rel")]
        return meeting + days(days=7 * later + (6 - meeting.weekday()))
    if kind == "fiscal":
        # The Japanese fiscal year ends on 31 March.
        year = meeting.year + (1 if meeting.month > 3 else 0) + (1 if m.group().startswith("来") else 0)
        return dt.date(year, 3, 31)
    if kind == "this_month":
        base = meeting.replace(day=1)
        if m.group("rel") == "来月":
            base = (base + days(days=32)).replace(day=1)
        part = m.group("part") or ""
        if part in ("上旬", "初旬", "初め"):
            return base.replace(day=10)
        if part == "中旬":
            return base.replace(day=15)
        return _month_end(base.year, base.month)
    if kind == "new_year":
        return max(
            meeting + days(days=settings.early_date_days),
            dt.date(meeting.year + 1, 1, 1) + days(days=settings.early_date_days),
        )
    if kind == "within":
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else _KANJI_DIGITS[raw]
        unit = m.group("unit")
        if unit == "日":
            return meeting + days(days=n)
        if unit == "週間":
            return meeting + days(weeks=n)
        months = n * (12 if unit == "年" else 1)
        total = meeting.month - 1 + months
        year, month = meeting.year + total // 12, total % 12 + 1
        return dt.date(year, month, min(meeting.day, calendar.monthrange(year, month)[1]))
    if kind == "calendar_year":
        return dt.date(int(m.group("year")), 12, 31)
    if kind == "year":
        return dt.date(meeting.year + (1 if m.group("rel").startswith("来年") else 0), 12, 31)
    return None


def find_date(
    s: str, start: int, end: int, meeting: dt.date | None, settings: DeadlineSettings
) -> tuple[int, int, dt.date | None, int | None] | None:
    """The first phrase in s[start:end] that gives a time, with its date (None without a meeting
    date) and a speed word's days (DeadlineSpec.counted_days)."""
    s = _as_written_today(s)
    best: tuple[int, int, str, re.Match[str]] | None = None
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(s, start, end):
            if not m.group():
                continue
            if (
                kind == "early_act"
                and m.group("after").startswith(("に向け", "へ", "の実現"))
                and not _OWN_ACTS.match(m.group("act"))
            ):
                # 「早期解決に向け」「早期の署名・発効に向け」: a goal, not a time.
                continue
            if kind == "month_part" and re.match(r"\d{1,2}日", s[m.end() : m.end() + 3]):
                continue
            if m.group().startswith("本年") and s[m.start() - 1 : m.start()] == "日":
                continue  # 「…トルコにおける日本年」: 日本 + 年, not 本年
            if kind in ("asap", "promptly", "immediate") and _PURPOSE_AFTER.match(s, m.end(), end):
                # 「同人が早期に帰国できるよう引き続き支援したい」: the speed is the goal's (an early
                # return), not the act's, as 「早期解決に向け」 is.
                continue
            if kind == "season" and not m.group("rel") and m.group("suffix") in (None, "に"):
                continue  # 「春に」 alone may be any spring; 「今秋に」「秋頃」 is this one
            if _qualifies_a_noun(kind, m, s, end, meeting):
                continue
            if best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1]):
                best = (m.start(), m.end(), kind, m)
            break
    if best is None:
        return None
    s0, e0, kind, m = best
    if kind == "early_act":
        e0 = m.start("act")
    when = None
    if meeting is not None:
        try:
            when = _resolve(kind, m, meeting, settings)
        except (ValueError, OverflowError, KeyError):
            when = None
    counted = _speed_days(kind, settings) if when is not None and not _early_next_year(kind, m) else None
    return s0, e0, when, counted


# (Also a background clause after a comma: 「来年,マレーシアがASEAN議長国を務めることも念頭に」.)
_PURPOSE_AFTER = re.compile(r"[^,、。]{0,20}?(?:る|れる|られる)よう(?:に)?(?![^,、。]*?(?:調整|準備|努め))")
_OWN_SUBJECT_RELATIVE = re.compile(
    rf"(?:の|[,、])?[^,、。]{{0,20}}?が[^,、。]{{0,20}}?(?:る|た)"
    rf"(?=[{KANJI}{KATAKANA}A-Za-z0-9「]|こと(?:も|を)(?:念頭に|踏まえ|見据え|受け))"
)
# A year word that names a role or an occasion, not the time of the act: 「本年のG7議長国として」,
# 「来年の議長国であるイタリア」, and two years coordinated for one role: 「本年と来年のサミット議長国
# として」 (no act is timed by two years at once).
_ROLE_AFTER = re.compile(
    rf"(?:(?:と|及び|・)(?:来年|明年|翌年|昨年|本年|今年))?(?:の[{KANJI}{KATAKANA}A-Za-z0-9・]{{1,20}}){{1,2}}(?:として|である|であり)"
)


# A year or month inside a relative clause that names a role (「来年議長国を務めるG7」, 「英国が来年,
# 日本が再来年議長国を務めるG7を始め」): it dates the presidency, not the undertaking.
_ROLE_RELATIVE = re.compile(
    rf"(?:[,、][^,、。]{{1,12}}?が)?[^,、。]{{0,20}}?(?:議長国|議長|ホスト国|主催国)(?:を務め(?:る|た)|とな(?:る|った)|であ(?:る|った))"
    rf"(?=[{KANJI}{KATAKANA}A-Za-z0-9「])"
)


def _qualifies_a_noun(kind: str, m: re.Match[str], s: str, end: int, meeting: dt.date | None) -> bool:
    """Whether a date phrase modifies a noun rather than timing the undertaking.

    「7月の日・NZ首脳会談の成果をフォローアップし」 names a past meeting by its month (a month
    before the meeting's, with no year, followed by の); 「本年のG7議長国として」 names a role.
    「本年の日中間の外交日程を…組み立てていく」 keeps its date: the object is this year's.
    """
    after = s[m.end() : end]
    if kind in ("year", "month_part") and _ROLE_AFTER.match(after):
        # (「6月の議長国として」: a month names a role as a year does.)
        return True
    if kind == "year" and _ROLE_RELATIVE.match(after):
        return True
    if re.match(r"(?:開催|実施)予定の", after):
        # 「来年開催予定の「…日本年」に向けても」: the year dates the event, not the act.
        return True
    if _PAST_RELATIVE.match(s, m.end(), end) or _OWN_SUBJECT_RELATIVE.match(s, m.end(), end):
        # 「本年の日・EU定期首脳協議で立ち上げた対話」, 「本年カナダが議長国を務めるCPTPP」: the
        # date belongs to a relative clause about something else.
        return True
    if kind in ("month_part", "month_day") and after.startswith("の") and meeting is not None:
        if m.group("year") or (kind == "month_part" and m.group("rel")):
            return False
        month = int(m.group("month"))
        day = int(m.group("day")) if kind == "month_day" else 31
        return (month, day) < (meeting.month, meeting.day)
    return False


# Talk (議論, 協議, 意見交換) and implementation (実施) take their sense from the aspect:
# 「…について議論する」 is one occasion, 「意見交換していく」「合意を誠実に実施していく」 go on.
# Whether an undertaking with no time words goes on (`ongoing`) or is one step (`none`) is the
# meaning of its predicate: 「連携していく」「前進させていく」「役割を果たしていきたい」 go on,
# 「日程を調整していきたい」「ビジョンを示したい」「訪問を実現する」 are done once. The predicate is
# read from the analyser's morphemes (the verb before たい／ていく／ます, or the verbal noun
# before する), so an object such as 「経済協力」 in 「…具体的成果を出すべく調整していきたい」
# does not count. A light verb (図る, 進める, 行う) takes its sense from its object:
# 「日印関係強化を図りたい」 goes on, 「首脳会談を行う」 is one step.
_GOES_ON = frozenset(
    {
        "連携",
        "協力",
        "協働",
        "意思疎通",
        "連絡",
        "情報共有",
        "すり合わせ",
        "擦り合わせ",
        "摺り合わせ",
        "擦り合わせる",
        "促進",
        "推進",
        "強化",
        "深化",
        "後押し",
        "取り組む",
        "取組む",
        "努力",
        "支援",
        "交流",
        "発展",
        "対話",
        "維持",
        "推し進める",
        "進展",
        "盛り上げる",
        "高める",
        "拡大",
        "深める",
        "前進",
        "引き上げる",
        "押し上げる",
        "主導",
        "果たす",
        "尽力",
        "貢献",
        "注視",
        "働き掛ける",
        "引き継ぐ",
        "続ける",
        "継続",
        "フォローアップ",
        "緊密化",
        "向上",
        "改善",
        "構築",
        "築く",
        "育む",
        "対応",
        "検討",
        "共有",
        "監視",
        "関与",
        "投資",
        "活用",
        "発信",
        "緊密",
        "密",
        "拡充",
        "充実",
        "広げる",
        "強める",
        "守る",
        "支える",
        "連帯",
        "結束",
        "行動",
        # Stepping up exchanges: 「首脳,外相を含めた両国間交流を活発化させる」, 「交渉を加速させる」.
        "活発化",
        "加速",
        # 「取組を進める」「対話を重ねる」「コミュニケーションを取る」 go on.
        "取組",
        "取り組み",
        "重ねる",
        "コミュニケーション",
        # 「…発展に努めたい」「連絡を取り合いたい」「よく相談していきたい」 go on.
        "努める",
        "取り合う",
        "相談",
        "活性化",
    }
)
_ONE_STEP = frozenset(
    {
        "調整",
        "準備",
        "開催",
        "実現",
        "訪問",
        "訪日",
        "来日",
        "署名",
        "締結",
        "批准",
        "発効",
        "立ち上げる",
        "発出",
        "示す",
        "発表",
        "伝える",
        "再開",
        "派遣",
        "設置",
        "設立",
        "策定",
        "完了",
        "決定",
        "招待",
        "招請",
        "提出",
        "出す",
        "目指す",
        "組み立てる",
        "開始",
        "創設",
        "送る",
        "届ける",
        "採択",
        "妥結",
        "合意",
        "公表",
        "会談",
        "会う",
        "面会",
        "訪れる",
        "表敬",
        "出席",
        "参加",
        "締める",
        "結ぶ",
        "交換",
        "返答",
        "回答",
        "報告",
    }
)
_LIGHT_VERBS = frozenset(
    {"図る", "進める", "行う", "為る", "致す", "持つ", "深める", "高める", "強める", "続ける"}
)
_AUXILIARY_VERBS = frozenset({"行く", "居る", "為る", "置く", "参る", "頂く", "貰う", "下さる", "来る"})


def _noun_run(toks: tuple[Token, ...], i: int) -> tuple[str, int]:
    """The compound ending at toks[i] (「フォローアップ」「緊密化」「情報共有」) and where it starts."""
    j = i
    while j >= 0 and toks[j].pos in ("名詞", "接尾辞", "形状詞"):
        j -= 1
    return "".join(t.surface for t in toks[j + 1 : i + 1]), j


def _predicate(clause: str) -> tuple[str, str]:
    """(the predicate's sense word, its object noun) of a clause ending in たい／ていく／する."""
    toks = tokens(clause)
    verb, obj = "", ""
    i = len(toks) - 1
    while i >= 0:
        t = toks[i]
        if (
            t.pos == "動詞"
            and t.lemma == "為る"
            and i > 0
            and toks[i - 1].pos in ("名詞", "接尾辞", "形状詞")
        ):
            # 「協力していく」「調整する」「緊密化していく」: the verbal noun is the verb.
            verb, i = _noun_run(toks, i - 1)
            break
        if t.pos in ("助動詞", "助詞", "補助記号", "接尾辞") or (
            t.pos == "動詞" and t.lemma in _AUXILIARY_VERBS
        ):
            i -= 1
            continue
        if t.pos in ("名詞", "形状詞"):
            # A verbal noun closing the clause by itself (「方針を綿密にすり合わせ,」).
            verb, i = _noun_run(toks, i)
            break
        if t.pos in ("動詞", "形容詞"):
            verb = t.lemma
            i -= 1
            break
        i -= 1
    # Adverbs between the object and its verb (「協力を更に進めたい」「連携を緊密に図る」).
    while i >= 0 and (
        toks[i].pos == "副詞"
        or (toks[i].pos == "助動詞" and toks[i].surface == "に")
        or toks[i].pos == "形状詞"
    ):
        i -= 1
    if i >= 0 and toks[i].surface == "を":
        obj, _ = _noun_run(toks, i - 1)
    return verb, obj


def _sense(word: str) -> bool | None:
    """True for a word of continuing activity, False for a one-off step, None for neither."""
    if not word:
        return None
    for words, goes_on in ((_ONE_STEP, False), (_GOES_ON, True)):
        if word in words or any(word.endswith(w) for w in words if len(w) > 1):
            return goes_on
    return None


# Acts one can undertake, beyond the senses above (a stance such as 同意, 歓迎, 支持, 重視, 期待,
# 理解, 感謝, 祈念 is not among them).
_ACTS = frozenset(
    {
        "努める",
        "尽くす",
        "支える",
        "受け入れる",
        "拠出",
        "招待",
        "尽力",
        "貢献",
        "協力",
        "支援",
        "供与",
        "派遣",
        "提供",
        "参加",
        "検討",
    }
)


def is_act(clause: str) -> bool:
    """Whether a clause in the plain form (「…全面的に協力する」) undertakes an act, not a stance."""
    verb, obj = _predicate(_LIST_TAIL.sub("", clause))
    word = obj if verb in _LIGHT_VERBS and obj else verb
    if word in _HELD and "情報" not in obj:
        # 「…利益及び責任を共有している」 holds a view; 「情報を共有する」 is an act.
        return False
    return _sense(word) is not None or word in _ACTS or any(word.endswith(a) for a in _ACTS if len(a) > 1)


_HELD = frozenset({"共有", "有する", "持つ", "重視", "同意", "共通"})


def _goes_on(s: str, start: int, end: int) -> bool:
    """Whether the undertaking s[start:end], with no time words, is a continuing activity."""
    clause = _LIST_TAIL.sub("", s[start:end])
    verb, obj = _predicate(clause)
    sense = _sense(obj) if verb in _LIGHT_VERBS else _sense(verb)
    if sense is None and verb in _LIGHT_VERBS:
        sense = _sense(verb)
    if sense is not None:
        return sense
    # Neither: the aspect decides; 「〜していく」 is going on doing it.
    return bool(re.search(r"(?:て|で)(?:いく|行く|いき|行き)(?:たい)?$", clause))


_LIST_TAIL = re.compile(r"こと(?:等|など)?(?:に加え(?:て)?|のほか|と併せ(?:て)?|とあわせ(?:て)?)?$")


_ONE_OFF_GOAL = re.compile(r"(?:締結|署名|発効|妥結|批准|採択|成立)(?:・[^に]{1,6})?に向け")
# Words of continuing anywhere in the clause.
_STRICT_CONTINUING = re.compile(
    r"引き続き|今後とも|今後も|継続|続け|緊密|常に|不断|できる限り|最大限|全力|一層|着実に|活発に|頻繁に|定期的に"
)


_EVENT_OBJECT = re.compile(rf"(?:{_MEETING_NOUNS}|{_ACRONYM})$")
_OBJECT_NAME = re.compile(rf"(?:{_NAME_CHARS}+の)?{_NAME_CHARS}+$")


# A date that names the event after it: 「8月1日の日ASEAN外相会議」「来月10日のG7サミット」.
_DATED_EVENT = re.compile(
    rf"(?:(?:19|20)\d\d年|本年|今年|来年)?\d{{1,2}}月\d{{1,2}}日(?:\([月火水木金土日]\))?の"
    rf"(?P<name>{_NAME_CHARS}*?(?:{_MEETING_NOUNS}|{_ACRONYM}))(?![{KANJI}{KATAKANA}])"
)


def deadline_for(
    text: str,
    s: str,
    start: int,
    end: int,
    meeting_date: dt.date | None,
    settings: DeadlineSettings,
    *,
    looked_forward: bool = False,
) -> DeadlineSpec:
    """The deadline of the undertaking s[start:end] (s the shadow of text).

    `looked_forward` marks the object of 「〜を楽しみにしている」: a visit or a meeting looked
    forward to is itself the event (`at`), as "looked forward to the upcoming visit" is in English.
    """
    anchor = find_anchor(s, start, end)
    if anchor is None and looked_forward:
        anchor = _visit_looked_forward(s, start, end)
    if anchor is None and looked_forward and _EVENT_OBJECT.search(s, start, end):
        # The event is the name that ends the object: 「上川大臣の訪比」, and of 「最初の訪問国で
        # ある日本訪問」 the 「日本訪問」.
        tail = _OBJECT_NAME.search(s, start, end)
        name_start = tail.start() if tail else start
        # (「来月の日本訪問」: the date and its の go.)
        name = re.sub(r"^の", "", _NAME_PREFIX.sub("", s[name_start:end].strip())).strip("・「」")
        anchor = Anchor(name_start, end, name, "at", None)
    if anchor is not None:
        offset = 0
        if anchor.relation == "after":
            if anchor.speed in ("直ちに", "ただちに", "すぐに"):
                offset = settings.immediately_days
            elif anchor.speed:
                # 「〜後,速やかに」 and 「〜次第」 (as soon as) are both promptly after.
                offset = settings.promptly_after_event_days
            else:
                offset = settings.after_event_days
        return DeadlineSpec(
            type="event",
            text=text[anchor.start : anchor.end],
            event=anchor.name,
            relation=anchor.relation,
            offset_days=offset,
        )
    found = find_date(s, start, end, meeting_date, settings)
    if found is not None:
        s0, e0, when, counted = found
        dated = _DATED_EVENT.match(s, s0, end)
        if dated and when is not None and meeting_date is not None and when >= meeting_date:
            # 「8月1日の日ASEAN外相会議の共同議長として…協力していく」: a named event with its date
            # stated is the event (at), due on that day through the registry.
            name = dated.group("name").strip("・「」")
            return DeadlineSpec(type="event", text=text[s0 : dated.end()], event=name, relation="at")
        return DeadlineSpec(type="date", text=text[s0:e0], date=when, counted_days=counted)
    if _ONE_OFF_GOAL.search(s, start, end) and not re.search(
        r"引き続き|今後とも|今後も|継続|続け", s[start:end]
    ):
        return DeadlineSpec(type="none")
    if _STRICT_CONTINUING.search(s, start, end) or _goes_on(s, start, end):
        return DeadlineSpec(type="ongoing")
    return DeadlineSpec(type="none")


# Looked forward to, a welcome or a meeting in a named country is a visit there, the event (`at`),
# as "looked forward to welcoming the Prime Minister to Washington" is in English:
# 「近く安倍総理を米国にお迎えできることを楽しみにしている」 is 安倍総理の訪米, and 「カンボジアで
# お会いできることを楽しみにしている」 is the meeting held in Cambodia (the registry entry that
# names the country).
_WELCOME = re.compile(
    rf"(?P<who>[{KANJI}{KATAKANA}・]{{1,12}}?(?:総理大臣|総理|首相|大統領|副大統領|大臣|外相|長官|国王|議長))(?:を|に)"
    rf"(?P<where>[{KANJI}{KATAKANA}・]{{1,12}}?)(?:に|へ)(?:お迎え|迎え|お招き|招き)"
)
_MEET_IN = re.compile(
    rf"(?P<where>[{KANJI}{KATAKANA}A-Za-z0-9・]{{2,12}}?)(?:で|において)(?:の)?(?:お会い|再会|お目にかか|会える|会う|会談)"
)
# Attending or welcoming someone at a named event, looked forward to, is at that event:
# 「本年のG20大阪サミットにトルドー首相をお迎えすることを楽しみにしている」.
_AT_EVENT_LOOKED_FORWARD = re.compile(
    rf"{_EVENT}{_ACRONYM_NOTE}(?:に|へ)(?:[^,、。]{{0,20}}?を)?(?:お迎え|迎え|出席|参加|お招き|招き)"
)
_NOT_A_PLACE = re.compile(r"電話|オンライン|テレビ|ビデオ|書面|会談|会議|会合")
_VISIT_CHAR = {
    "United States": "米",
    "Japan": "日",
    "China": "中",
    "Republic of Korea": "韓",
    "India": "印",
    "Australia": "豪",
    "United Kingdom": "英",
    "Canada": "加",
    "Philippines": "比",
    "Germany": "独",
    "France": "仏",
    "Italy": "伊",
    "Russia": "露",
}


def _country(word: str) -> str | None:
    """The country a whole word names (「米国」「カンボジア」), else None."""
    found = [m for m in find_parties(word) if m.start == 0 and m.end == len(word) and len(m.parties) == 1]
    return found[0].parties[0] if found else None


def _visit_looked_forward(s: str, start: int, end: int) -> Anchor | None:
    m = _AT_EVENT_LOOKED_FORWARD.search(s, start, end)
    if m:
        name = _NAME_PREFIX.sub("", m.group("name")).strip("・「」")
        return Anchor(m.start("name"), m.end("name"), name, "at", None)
    m = _WELCOME.search(s, start, end)
    if m:
        country = _country(m.group("where"))
        if country:
            char = _VISIT_CHAR.get(country)
            who = _NAME_PREFIX.sub("", m.group("who"))
            name = f"{who}の訪{char}" if char else f"{who}の{m.group('where')}訪問"
            return Anchor(m.start(), m.end(), name, "at", None)
    m = _MEET_IN.search(s, start, end)
    if m and not _NOT_A_PLACE.search(m.group("where")):
        # A country (「カンボジアで」) or a city (「大阪での再会」): the event held there, which the
        # registry finds by the place in its name (「G20大阪サミット」).
        return Anchor(m.start("where"), m.end("where") + 1, m.group("where"), "at", None)
    return None


_ANNOUNCED = re.compile(rf"{_EVENT}{_ACRONYM_NOTE}(?:が|は)[^。]{{0,30}}?(?:開催され|行われ|予定され)")
_MEETING_OBJECT = re.compile(r"(?:お会い|再会|会談|お目にかか|会える|会う|話が?でき)")


def announced_event(
    text: str, s: str, sent_start: int, start: int, end: int, spec: DeadlineSpec
) -> DeadlineSpec:
    """Meeting someone, looked forward to, happens at the event the sentence announces.

    「本年9月にシドニーでAPECが開催されるが,安倍総理にお会いすることを楽しみにしている」: the
    meeting looked forward to is at the APEC; with no such event, the deadline is left as it is.
    """
    if spec.type not in ("none", "ongoing") or not _MEETING_OBJECT.search(s, start, end):
        return spec
    m = _ANNOUNCED.search(s, sent_start, start)
    if m is None:
        return spec
    name = _NAME_PREFIX.sub("", m.group("name")).strip("・「」")
    return DeadlineSpec(type="event", text=text[m.start("name") : m.end("name")], event=name, relation="at")


def request_anchor(s: str, start: int, end: int) -> Anchor | None:
    """The event of a request (「…における協力を要請しました」) that a reply answers."""
    return find_anchor(s, start, end)
