"""One test per rule of the Japanese grammar added from corpus/ja-dev-3, on sentences written for
the test (not taken from any readout): each pins the rule and the reading it must not break."""

from __future__ import annotations

import datetime as dt

from tracker.deadlines import find_registered_event
from tracker.extraction import extract
from tracker.extraction.language import event_aliases
from tracker.extraction.types import ExtractedCommitment, ExtractedReadout

_HEAD = (
    "日英外相電話会談\n令和5年3月1日\n"
    "本1日,山田太郎外務大臣は,ジョン・スミス英国外務大臣(The Rt Hon John Smith MP)と"
    "電話会談を行ったところ,概要は以下のとおりです。\n"
)


def _readout(*points: str) -> ExtractedReadout:
    text = _HEAD + "".join(f"{n} {point}\n" for n, point in enumerate(points, 1))
    return extract(text, publisher="Ministry of Foreign Affairs of Japan", language="ja")


def _commitments(*points: str) -> list[ExtractedCommitment]:
    return [c for p in _readout(*points).points for c in p.commitments]


def test_a_topic_inside_a_sources_words_is_not_a_new_speaker() -> None:
    (said,) = _commitments(
        "スミス大臣より,山田大臣は先週ロンドンで講演をされたところであるが,"
        "会議の成功に向けて山田大臣と緊密に協力していきたい旨表明しました。"
    )
    assert said.parties == ["United Kingdom"]
    # A topic after the first speech has ended is the next speaker.
    first, second = _commitments(
        "スミス大臣より,引き続き協力していきたい旨述べ,山田大臣は,交流を深めていきたい旨述べました。"
    )
    assert first.parties == ["United Kingdom"]
    assert second.parties == ["Japan"]


def test_a_time_tied_to_an_event_stays_inside_its_clause() -> None:
    (before,) = _commitments("両大臣は,G7サミットに先立ち,緊密に連携していくことで一致しました。")
    assert before.quote == "G7サミットに先立ち,緊密に連携していく"
    assert (before.deadline.type, before.deadline.event, before.deadline.relation) == (
        "event",
        "G7サミット",
        "before",
    )
    (at,) = _commitments("両大臣は,来月の国連総会に合わせ,会談を行うことで一致しました。")
    assert at.quote == "来月の国連総会に合わせ,会談を行う"
    assert (at.deadline.type, at.deadline.relation) == ("event", "at")


def test_ni_atatte_ties_an_undertaking_to_an_event_or_an_act_to_come() -> None:
    signing, leaving, office = _commitments(
        "両大臣は,協定の署名に当たっては緊密に連携していくことで一致しました。",
        "スミス大臣から,EU離脱にあたり,日系企業に十分配慮したい旨発言がありました。",
        "スミス大臣から,就任にあたり,山田大臣と良い関係を築いていきたい旨述べました。",
    )
    assert (signing.deadline.type, signing.deadline.event) == ("event", "署名")
    assert (leaving.deadline.type, leaving.deadline.event) == ("event", "EU離脱")
    assert signing.deadline.relation == leaving.deadline.relation == "at"
    # Taking office is done by the time it is spoken of: no event.
    assert office.deadline.type == "ongoing"


def test_a_visit_is_found_in_the_registry_with_or_without_no() -> None:
    with_no = {"スミス首相の訪日": dt.date(2023, 5, 1)}
    without = {"スミス首相訪日": dt.date(2023, 5, 1)}
    assert find_registered_event("スミス首相訪日", with_no, event_aliases("スミス首相訪日"))
    assert find_registered_event("スミス首相の訪日", without, event_aliases("スミス首相の訪日"))
    # A name that is not a visit by a titled person gets no such alias.
    assert not find_registered_event("日英首脳会談", with_no, event_aliases("日英首脳会談"))


def test_an_expectation_agreed_on_is_not_an_undertaking() -> None:
    (point,) = _readout("両大臣は,世界経済の混乱が早期に収束することを期待することで一致しました。").points
    assert point.commitments == []
    assert point.kind == "position"
    # 期待 inside the undertaking's own words does not stop it.
    (kept,) = _commitments("両大臣は,国際社会から期待される役割を共に果たしていくことで一致しました。")
    assert kept.deadline.type == "ongoing"


def test_agreeing_to_an_act_is_an_undertaking() -> None:
    (agreed,) = _commitments("両大臣は,事務レベル協議を立ち上げることに同意しました。")
    assert agreed.quote == "事務レベル協議を立ち上げる"
    assert agreed.parties == ["Japan", "United Kingdom"]
    # Agreeing with a view, or that something matters, is not.
    view, importance = _readout(
        "スミス大臣は,山田大臣の見方に完全に同意しました。",
        "両大臣は,対話が重要であることに同意しました。",
    ).points
    assert view.commitments == importance.commitments == []


def test_courtesy_with_a_wish_and_a_closing_are_protocol() -> None:
    wish, closing, hope = _readout(
        "山田大臣から,スミス大臣の就任に祝意を伝達しました。スミス大臣より,要人往来への期待が示されました。",
        "最後に両大臣は,今後もこうした機会があることを期待している旨を表明して電話会談を終えました。",
        # An expectation with a demand stays a position.
        "山田大臣から,北朝鮮が安保理決議を遵守することを期待し,国際社会の対応を求めました。",
    ).points
    assert (wish.kind, closing.kind, hope.kind) == ("protocol", "protocol", "position")


def test_what_the_parties_are_confirmed_is_not_an_undertaking() -> None:
    (point,) = _readout(
        "両大臣は,日本と英国が基本的価値を共有する「特別なパートナー」であることを確認しました。"
    ).points
    assert point.commitments == []
    (kept,) = _commitments("両大臣は,「特別なパートナー」として協力していくことを確認しました。")
    assert kept.quote == "「特別なパートナー」として協力していく"


def test_a_list_of_attributes_is_not_a_list_of_undertakings() -> None:
    (one,) = _commitments(
        "両大臣は,自由で,開かれ,安定し,繁栄したインド太平洋を実現するために,緊密に協力していくことで一致しました。"
    )
    assert one.quote.startswith("自由で,開かれ,安定し,繁栄した")
    # Verbs with objects are still one undertaking each.
    first, second = _commitments("両大臣は,対話を強化し,協力を推進していくことで一致しました。")
    assert (first.quote, second.quote) == ("対話を強化し", "協力を推進していく")


def test_a_year_in_a_relative_clause_naming_a_presidency_is_not_a_deadline() -> None:
    (both,) = _commitments(
        "両首脳は,英国が来年,日本が再来年議長国を務めるG7を始め,緊密に連携していくことで一致しました。"
    )
    # Neither the relative clause's subject nor its year is the undertaking's.
    assert both.parties == ["Japan", "United Kingdom"]
    assert both.deadline.type == "ongoing"
    (dated,) = _commitments("両首脳は,来年,首脳会談を行うことで一致しました。")
    assert (dated.deadline.type, dated.deadline.date) == ("date", dt.date(2024, 12, 31))


def test_information_traded_in_the_meeting_is_not_an_undertaking() -> None:
    (only,) = _commitments(
        "両大臣は,ミサイル発射に関して情報交換を行うとともに,引き続き緊密に連携していくことで一致しました。"
    )
    assert only.quote == "引き続き緊密に連携していく"
    # Traded from now on, it is one.
    going_on = _commitments("両大臣は,今後も緊密に情報交換を行うとともに,連携していくことで一致しました。")
    assert [c.quote for c in going_on] == ["今後も緊密に情報交換を行う", "連携していく"]


def test_a_deputy_premier_is_named_by_the_first_office_alone() -> None:
    text = (
        "日・ベトナム外相会談\n令和5年3月1日\n"
        "本1日,山田太郎外務大臣は,グエン・バン・ミン・ベトナム社会主義共和国副首相兼外務大臣と"
        "会談を行ったところ,概要は以下のとおりです。\n"
        "1 山田大臣から,協力を強化していきたい旨述べました。これに対し,ミン副首相から,"
        "引き続き日本と協力していきたい旨述べました。\n"
    )
    readout = extract(text, publisher="Ministry of Foreign Affairs of Japan", language="ja")
    ours, theirs = readout.points[0].commitments
    assert ours.parties == ["Japan"]
    assert theirs.parties == ["Vietnam"]


def test_thanks_in_the_humble_form_is_courtesy_not_an_undertaking() -> None:
    thanks, apology = _readout(
        "山田大臣から,英国政府の方々に御礼申し上げたいと述べました。",
        "スミス大臣から,訪日が延期となったことにつきお詫び申し上げたい旨述べました。",
    ).points
    assert thanks.commitments == apology.commitments == []
    assert thanks.kind == apology.kind == "protocol"


def test_relations_between_the_two_countries_as_an_object_do_not_make_both_the_subject() -> None:
    relations, cooperation, together = _commitments(
        "スミス大臣から,両国間関係を更に高めるべく,山田大臣と協力して関係を強化したい旨述べました。",
        "スミス大臣から,両国間の協力を拡大していきたい旨述べました。",
        "スミス大臣から,両国が共に協力を拡大していきたい旨述べました。",
    )
    assert relations.parties == cooperation.parties == ["United Kingdom"]
    assert together.parties == ["Japan", "United Kingdom"]


def test_a_year_written_out_this_month_and_the_year_end_are_dates() -> None:
    by_year, end_of_year, this_month, year_end = _commitments(
        "両大臣は,2030年までに共同研究を完了することで一致しました。",
        "両大臣は,2025年末までに協定に署名することで一致しました。",
        "両大臣は,月内に事務レベル協議を行うことで一致しました。",
        "両大臣は,年末に次回会合を開催することで一致しました。",
    )
    assert by_year.deadline.date == dt.date(2030, 12, 31)
    # The year written before 年末 is the year, not the meeting's.
    assert end_of_year.deadline.date == dt.date(2025, 12, 31)
    assert this_month.deadline.date == dt.date(2023, 3, 31)
    assert year_end.deadline.date == dt.date(2023, 12, 31)
    assert {c.deadline.type for c in (by_year, end_of_year, this_month, year_end)} == {"date"}
    # A year toward which a goal is set is not a time of the act.
    (goal,) = _commitments("両大臣は,2030年に向けて協力を深めていくことで一致しました。")
    assert goal.deadline.type == "ongoing"


def test_an_undertaking_joined_by_tomo_ni_ends_at_its_verb_and_a_topic_opens_the_next() -> None:
    quotes = [
        c.quote
        for c in _commitments(
            "両大臣は,首脳会談に向けて引き続き協力するとともに,両国関係においては,青少年交流を推進するとともに,"
            "経済協力を進めていくとともに,具体的成果をあげていくよう努力していくことで一致しました。"
        )
    ]
    assert quotes == [
        "首脳会談に向けて引き続き協力する",
        "両国関係においては,青少年交流を推進する",
        "経済協力を進めていく",
        "具体的成果をあげていくよう努力していく",
    ]


def test_a_resolve_named_after_the_act_is_the_speakers_undertaking() -> None:
    keen, resolved = _commitments(
        "山田大臣から,支援を継続していくことへの強い意欲を示しました。",
        "山田大臣から,交流を拡大していく強い決意を表明しました。",
    )
    assert (keen.quote, resolved.quote) == ("支援を継続していく", "交流を拡大していく")
    assert keen.parties == resolved.parties == ["Japan"]


def test_a_policy_of_acting_shared_is_a_joint_undertaking() -> None:
    shared, stance = _readout(
        "両大臣は,緊密に連携していく方針を共有しました。",
        "両大臣は,対話が重要との認識を共有しました。",
    ).points
    (c,) = shared.commitments
    assert (c.quote, c.parties) == ("緊密に連携していく", ["Japan", "United Kingdom"])
    assert stance.commitments == []


def test_a_visit_to_a_country_is_one_event_written_out_or_in_one_kanji() -> None:
    registry = {"スミス首相の訪日": dt.date(2023, 5, 1)}
    assert find_registered_event("日本訪問", registry, event_aliases("日本訪問"))
    written_out = {"山田総理の英国訪問": dt.date(2023, 6, 1)}
    assert find_registered_event("山田総理の訪英", written_out, event_aliases("山田総理の訪英"))
    assert not find_registered_event("米国訪問", registry, event_aliases("米国訪問"))


def test_an_own_act_agreed_as_a_noun_includes_a_visit_brought_about_and_a_speed_up() -> None:
    visit, faster, concluded = _commitments(
        "両大臣は,首脳の早期訪日の実現で一致しました。",
        "両大臣は,協議の加速で一致しました。",
        "両大臣は,交渉の早期妥結で一致しました。",
    )
    assert visit.quote == "首脳の早期訪日の実現"
    assert (faster.quote, concluded.quote) == ("協議の加速", "交渉の早期妥結")
    assert concluded.deadline.type == "date"
    # A goal brought about is not the parties' act.
    (goal,) = _readout("両大臣は,自由で開かれたインド太平洋の実現で一致しました。").points
    assert goal.commitments == []


def test_an_early_act_brought_about_is_dated_and_an_early_goal_is_not() -> None:
    visit, goal = _commitments(
        "両大臣は,首脳の早期訪日の実現で一致しました。",
        "両大臣は,拉致問題の早期解決の実現を目指していくことで一致しました。",
    )
    assert (visit.deadline.type, visit.deadline.date) == ("date", dt.date(2023, 3, 31))
    assert goal.deadline.type != "date"


def test_a_hope_said_with_toshitsutsu_and_a_plan_said_by_one_side_are_the_speakers() -> None:
    hope, plan = _commitments(
        "スミス大臣から,日本と協力していきたいとしつつ,課題も指摘しました。",
        "スミス大臣から,来月訪日する予定である旨述べました。",
    )
    assert (hope.quote, hope.parties) == ("日本と協力していきたい", ["United Kingdom"])
    assert (plan.quote, plan.parties) == ("来月訪日する", ["United Kingdom"])
    # A plan announced for both stays joint.
    (both,) = _commitments("日英両国は,来月東京で協議を行う予定です。")
    assert both.parties == ["Japan", "United Kingdom"]


def test_the_sentences_after_a_speech_announced_are_the_speakers_words() -> None:
    quotes = [
        (c.quote, c.parties)
        for c in _commitments(
            "冒頭,スミス大臣から以下の旨述べました。日英関係を更に発展させたい。"
            "本日は率直な意見交換を行いたい。心から歓迎したい。"
        )
    ]
    # Talk in the meeting and courtesy said in the volitional stay out, as they do after 旨述べ.
    assert quotes == [("日英関係を更に発展させたい", ["United Kingdom"])]
    # With no speech announced, a bare volitional sentence is not read as anyone's undertaking.
    assert [c.quote for c in _commitments("両大臣は会談を行いました。日英関係を更に発展させたい。")] == []


def test_a_reason_given_first_is_not_part_of_the_undertaking() -> None:
    (c,) = _commitments(
        "山田大臣から,英国は来年のG7議長国であるので,引き続き緊密に連携していきたい旨述べました。"
    )
    assert (c.quote, c.parties) == ("引き続き緊密に連携していきたい", ["Japan"])


def test_support_for_a_position_is_a_stance_however_it_is_said() -> None:
    wish, going_on = _readout(
        "スミス大臣から,日本の立場を引き続き支持したい旨述べました。",
        "スミス大臣から,今後も支持していく旨述べました。",
    ).points
    assert wish.commitments == going_on.commitments == []
    assert wish.kind == going_on.kind == "position"
    # Support given as aid is an act.
    (aid,) = _commitments("スミス大臣から,ウクライナを引き続き支援したい旨述べました。")
    assert aid.parties == ["United Kingdom"]


def test_a_named_event_with_its_date_stated_is_the_event() -> None:
    chaired, dated = _commitments(
        "両大臣は,8月1日の日ASEAN外相会議の共同議長として,会議が有意義なものとなるよう協力していくことで一致しました。",
        "両大臣は,3月10日に首脳会談を行うことで一致しました。",
    )
    assert (chaired.deadline.type, chaired.deadline.event, chaired.deadline.relation) == (
        "event",
        "日ASEAN外相会議",
        "at",
    )
    # A date that times the act itself stays a date.
    assert (dated.deadline.type, dated.deadline.date) == ("date", dt.date(2023, 3, 10))


def test_the_outcome_of_an_occasion_is_not_an_occasion_to_act() -> None:
    outcome, occasion = _commitments(
        "両大臣は,先般の首脳会談の際の成果を確実に具体化していくことで一致しました。",
        "両大臣は,来月の首脳訪日の際に成果を出せるよう協力していくことで一致しました。",
    )
    assert outcome.deadline.type == "ongoing"
    assert (occasion.deadline.type, occasion.deadline.relation) == ("event", "at")


def test_talk_wished_about_the_future_is_the_meetings_own_talk() -> None:
    about, going_on = _readout(
        "山田大臣から,今後の日英関係について議論したい旨述べました。",
        "山田大臣から,今後も緊密に意見交換したい旨述べました。",
    ).points
    assert about.commitments == []
    assert [c.quote for c in going_on.commitments] == ["今後も緊密に意見交換したい"]


def test_a_global_issue_taken_up_alone_is_standing_policy() -> None:
    (alone,) = _readout("山田大臣から,気候変動問題に積極的に取り組みたい旨述べました。").points
    assert alone.commitments == []
    with_partner, together = _commitments(
        "山田大臣から,英国と協力して核軍縮に取り組みたい旨述べました。",
        "両大臣は,気候変動問題に協力して取り組んでいくことで一致しました。",
    )
    assert with_partner.parties == ["Japan"]
    assert together.parties == ["Japan", "United Kingdom"]


def test_a_visitors_title_long_or_short_is_one_event() -> None:
    registry = {"岸田総理大臣の訪米": dt.date(2023, 5, 1)}
    assert find_registered_event("岸田総理の訪米", registry, event_aliases("岸田総理の訪米"))
    # Another visitor's visit is another event.
    assert not find_registered_event("山田総理の訪米", registry, event_aliases("山田総理の訪米"))
