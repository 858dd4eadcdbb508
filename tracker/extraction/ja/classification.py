"""The kind of a Japanese point: commitment > position > exchange > protocol (the labelling precedence).

The same lines are drawn as in English (`tracker.extraction.en.classification`):
- a position states a view or asks something of others: importance and necessity
  (〜の重要性を確認, 〜する必要がある), demands (〜を求めた, 〜べき), concern and regret (懸念,
  遺憾, 残念), support (〜を支持, 支持が表明され), expectation (〜を期待, "expressed hope that"),
  a shared recognition (〜との認識を共有／で一致), a fact or a principle confirmed or agreed
  (〜ことを確認, 〜の完全な履行で一致, "confirmed that ..."), and welcoming a development
  (〜ことを歓迎, 合意・署名・進展を歓迎, "welcomed the agreement");
- an exchange reports talk: 意見交換, 説明, 議論, すり合わせ, 紹介, 言及, 協議, 従来の立場に
  基づく発言 (a bare 「発言がありました」 says nothing of what kind: courtesy is said too);
- protocol is courtesy: 祝意, 謝意, 感謝, 敬意, 弔意, 挨拶, welcoming a visit or a person
  (訪日を歓迎, "welcomed"), praise (高く評価, "praised", "appreciated"), and the meeting's manner
  and press events (和やかな雰囲気, 共同記者発表).
"""

from __future__ import annotations

import re

from tracker.extraction.ja.text import shadow
from tracker.extraction.types import PointKind, Segment

# What is welcomed decides: a development is a view held (position), a visit or a person is courtesy.
_WELCOMED_DEVELOPMENT = re.compile(
    r"(?:こと|合意|署名|進展|決定|発効|開始|成功|採択|発表|締結|妥結|発出|実現|再開|設立|策定|成果|前進|改善|"
    r"取組|取り組み|努力|動き|一歩|表明|支持|承認|参加)(?:等|など)?(?:を|も)(?:改めて|大いに|心から)?歓迎"
)
_POSITION = re.compile(
    r"重要性|重要であ|重要だ|重要な課題|重要と|必要があ|必要性|必要であ|不可欠|求め(?:た|まし|る|て)|要請|要求|強調|べき|"
    r"てはならない|懸念|非難|抗議|遺憾|残念|反対|堅持|支持(?:する|し|を|が|の意)|認識を共有|認識で一致|認識が一致|"
    r"認識を示|認識を(?:改めて)?確認|目標を確認|立場を(?:改めて)?(?:説明|強調|表明)|容認でき|断固|期待|"
    # Asking the other side (「…訪日していただきたい」「ブラジルの協力を得たい」), as "asked for".
    r"(?:て|で)(?:いただき|頂き|もらい|ほし|欲し)(?:たい|い)|(?:協力|理解|支持|支援)を(?:得|お願いし)たい|お願い|願いたい|"
    # An invitation extended (「訪日を招請しました」) asks something of the other side; understanding
    # or interest shown (「日本の立場に理解を示しました」) is a view held.
    r"招請|招待|理解を示|理解が示|関心を示|関心が示|"
    # A fact or a principle confirmed or agreed (what is left when no undertaking was found).
    r"(?:こと|点|旨)を(?:改めて|再度|互いに)?(?:確認|再確認)(?!してき)|(?:こと|点)?で(?:一致|意見の一致)(?!した(?:こと|と))"
)
_EXCHANGE = re.compile(
    r"意見交換|意見を交換|説明(?:が|を|し)|議論|すり合わせ|擦り合わせ|紹介|言及|協議|立場に基づ|やり取り|話し合|提起|報告|"
    r"意見を交わ|会談を行|電話会談を行|会合を開催"
)
_PROTOCOL = re.compile(
    r"祝意|謝意|感謝|挨拶|あいさつ|敬意|弔意|哀悼|お見舞い|見舞い|歓迎|祝福|お礼|喜び|嬉しい|うれしい|喜ばし|光栄|表敬|誇り|"
    # Condolence in the humble form and the meals of a visit: 「お悔やみを申し上げる」「夕食会を行いました」.
    r"悔やみ|追悼|夕食会|昼食会|晩餐会|午餐会|嬉しく|うれしく|称賛|賞賛|祈念|"
    # An apology (「お詫び申し上げたい」「申し訳ない旨述べました」) and thanks written 御礼.
    r"お詫び|おわび|陳謝|申し訳|御礼|"
    r"評価|"
    # The meeting's manner and its press events: 「和やかな雰囲気の中で」「共同記者発表を行いました」.
    r"雰囲気|記者(?:会見|発表)|記者団"
)


# The meeting closed with the point's words: 「…旨を表明して電話会談を了した」「…と述べて会談を終えました」.
_CLOSING = re.compile(r"(?:て|で)(?:電話)?(?:会談|会合|懇談)を(?:了し|終え|終了し|締めくくり|締めくく)")
# Courtesy that opens the point (祝意, 謝意, 弔意 ...), before any other cue.
_COURTESY_FIRST = re.compile(r"^[^。]{0,80}?(?:祝意|謝意|弔意|哀悼|お見舞い|お祝い|感謝)")


def _only_expectation(point: str) -> bool:
    """Whether 期待 is the point's only sign of a position (no demand, concern or support)."""
    without = re.sub(r"(?:への|の|を|に)?期待", "", point)
    return "期待" in point and not _POSITION.search(without) and not _WELCOMED_DEVELOPMENT.search(without)


_TALK_WISHED = re.compile(r"(?:議論|意見交換|話し合|協議)(?:を行い|し|い)?たい")


def classify(text: str, segment: Segment, has_commitments: bool) -> PointKind:
    """The kind of one point from its commitments and its wording."""
    if has_commitments:
        return "commitment"
    # Talk wished for in the meeting (「率直に議論したい」) reports no talk.
    point = _TALK_WISHED.sub("", shadow(text)[segment.start : segment.end])
    if _CLOSING.search(point) or (_COURTESY_FIRST.search(point) and _only_expectation(point)):
        # 「…機会があることを期待している旨を表明して電話会談を了した」 closes the meeting, and
        # 「祝意を伝達しました。…就任への祝意と要人往来への期待が示されました」 is courtesy with a
        # wish: an expectation said with the courtesies is part of them.
        return "protocol"
    if _POSITION.search(point) or _WELCOMED_DEVELOPMENT.search(point):
        return "position"
    if _EXCHANGE.search(point):
        return "exchange"
    if _PROTOCOL.search(point):
        return "protocol"
    return "exchange"
