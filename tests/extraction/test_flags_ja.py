"""Japanese flags: a clause that ends on a cue of undertaking but gave no commitment is kept as a
possible undertaking, with its speaker's party; views, courtesy and covered undertakings are not."""

from __future__ import annotations

import datetime as dt

from tracker.extraction import extract

TEXT = (
    "日加外相電話会談\n\n令和2年3月3日\n\n"
    " 本3日，茂木敏充外務大臣は，フランソワ＝フィリップ・シャンパーニュ・カナダ外務大臣と"
    "電話会談を行ったところ，概要は以下のとおりです。\n\n"
    "1 両外相は，日加で緊密に連携していくことで一致しました。\n"
    "2 シャンパーニュ外務大臣から，カナダは北極評議会で日本の参加を後押ししていく。\n"
    "3 両外相は，法の支配の重要性を確認しました。茂木大臣から，謝意を申し上げたい旨述べました。\n"
)


def test_an_undertaking_with_no_reporting_verb_is_flagged_with_its_speaker() -> None:
    readout = extract(
        TEXT, meeting_date=dt.date(2020, 3, 3), publisher="Ministry of Foreign Affairs of Japan"
    )
    first, second, third = readout.points
    assert [c.quote for c in first.commitments] == ["日加で緊密に連携していく"]
    assert first.flags == [], "a clause a commitment covers is not flagged again"
    assert second.commitments == []
    assert [(f.quote, f.cue, f.parties) for f in second.flags] == [
        ("カナダは北極評議会で日本の参加を後押ししていく", "ていく", ["Canada"])
    ]
    assert TEXT[second.flags[0].start : second.flags[0].end] == second.flags[0].quote
    assert third.flags == [], (
        "an importance confirmed and courtesy said in the volitional are no undertakings"
    )
