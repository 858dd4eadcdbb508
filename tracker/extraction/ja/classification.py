"""The kind of a Japanese point: commitment > position > exchange > protocol (the labelling precedence).

A position states a view or asks something of others (〜の重要性を確認, 〜する必要がある, 〜を求めた,
〜べき, 〜を強調, 〜を歓迎, 〜との認識を共有, 共通の目標を確認); an exchange reports talk (意見交換,
説明, 議論, すり合わせ, 紹介, 従来の立場に基づく発言); protocol is courtesy (祝意, 謝意, 敬意, 挨拶).
"""

from __future__ import annotations

import re

from tracker.extraction.ja.text import shadow
from tracker.extraction.types import PointKind, Segment

_POSITION = re.compile(
    r"重要性|重要であ|重要だ|重要な課題|必要があ|必要性|不可欠|求め(?:た|まし|る|て)|要請|要求|強調|べき|てはならない|"
    r"懸念|非難|抗議|遺憾|反対|支持(?:する|し|を)|歓迎(?:する|し|を)(?!.{0,10}(?:訪問|来日|訪日))|高く評価|評価する|"
    r"認識を共有|認識で一致|認識を示|目標を確認|立場を(?:改めて)?(?:説明|強調|表明)|容認でき|断固"
)
_EXCHANGE = re.compile(
    r"意見交換|意見を交換|説明(?:が|を|し)|議論|すり合わせ|擦り合わせ|紹介|言及|協議|発言|やり取り|話し合|提起|報告|"
    r"意見を交わ|会談を行|電話会談を行|会合を開催"
)
_PROTOCOL = re.compile(
    r"祝意|謝意|感謝|挨拶|あいさつ|敬意|弔意|哀悼|お見舞い|見舞い|歓迎|祝福|お礼|喜び|嬉しい|うれしい|光栄|表敬"
)


def classify(text: str, segment: Segment, has_commitments: bool) -> PointKind:
    """The kind of one point from its commitments and its wording."""
    if has_commitments:
        return "commitment"
    point = shadow(text)[segment.start : segment.end]
    if _POSITION.search(point):
        return "position"
    if _EXCHANGE.search(point):
        return "exchange"
    if _PROTOCOL.search(point):
        return "protocol"
    return "exchange"
