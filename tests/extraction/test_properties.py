"""Property tests: on any text, extraction never raises (except ExtractionError), quotes are exact,
points are ordered, disjoint and inside the text."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.extraction import ExtractionError, extract
from tracker.extraction.types import ExtractedReadout

FRAGMENTS = [
    "1. ",
    "(2) ",
    "3) ",
    "• ",
    "- ",
    "\n",
    "\n\n",
    "  ",
    ". ",
    ", ",
    "; ",
    ":",
    "The two ministers agreed to ",
    "Japan and the United States will ",
    "they will continue ",
    "he would like to ",
    "promptly ",
    "immediately ",
    "following the G7 Summit ",
    "ahead of the ",
    "Summit Meeting",
    "this year",
    "around mid-February",
    "by June 15",
    "within two weeks ",
    "Minister Kono",
    "Secretary Pompeo",
    "Mr. Taro Kono, Minister for Foreign Affairs of Japan, ",
    "the Honorable Mike Pompeo, Secretary of State of the United States",
    "On June 6, ",
    "2018",
    "reaffirmed their commitment to strengthening ",
    "expressed his hope that ",
    "should continue ",
    "(ROK)",
    "U.S.",
    "“",
    "”",
    "’s",
    "é",
    "Back to top",
    "Date",
    "2020-02-15",
    "former Prime Minister ",
]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join),
)


def check_invariants(readout: ExtractedReadout, text: str) -> None:
    previous_end = 0
    for order, point in enumerate(readout.points, start=1):
        assert point.order == order
        assert 0 <= point.start < point.end <= len(text)
        assert point.start >= previous_end
        previous_end = point.end
        assert point.kind in ("commitment", "position", "exchange", "protocol")
        assert (point.kind == "commitment") == bool(point.commitments)
        for commitment in point.commitments:
            assert text[commitment.start : commitment.end] == commitment.quote
            assert point.start <= commitment.start < commitment.end <= point.end
            assert commitment.deadline.type in ("date", "event", "ongoing", "none")
            assert commitment.parties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.one_of(st.none(), st.dates()))
def test_extraction_never_raises_and_keeps_offsets(text: str, meeting_date: dt.date | None) -> None:
    try:
        readout = extract(text, meeting_date=meeting_date)
    except ExtractionError:
        return
    check_invariants(readout, text)


# Japanese fragments in both widths: markers, wrappers, triggers, time words, party compounds.
JA_FRAGMENTS = [
    "1 ",
    "1.",
    "1．",
    "(1)",
    "（2）",
    "- ",
    "・",
    "　",
    "\n",
    "\n\n",
    "。",
    ",",
    "，",
    "、",
    "平成30年6月6日",
    "令和元年",
    "本21日",
    "6月6日17時00分頃(現地時間)から約25分間,",
    "両外相は,",
    "河野太郎外務大臣は,",
    "マイク・ポンペオ米国国務長官と",
    "河野大臣から,",
    "日米,日米韓で",
    "日韓米3か国で",
    "緊密に連携していくことで一致しました",
    "協力することを確認しました",
    "連携したい旨述べました",
    "を楽しみにしている旨述べました",
    "を求めました",
    "の重要性を確認しました",
    "米朝首脳会談後,速やかに",
    "に向けて",
    "の機会に",
    "年内に",
    "早期に",
    "2月中旬頃",
    "このページのトップへ戻る",
    "概要は以下のとおりです。",
]

ja_texts = st.one_of(
    st.lists(st.sampled_from(JA_FRAGMENTS), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(JA_FRAGMENTS), st.text(max_size=6)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ja_texts, st.one_of(st.none(), st.dates()))
def test_japanese_extraction_never_raises_and_keeps_offsets(text: str, meeting_date: dt.date | None) -> None:
    try:
        readout = extract(text, meeting_date=meeting_date, language="ja")
    except ExtractionError:
        return
    check_invariants(readout, text)
