"""Possible undertakings in Japanese that gave no commitment: kept as flags, so nothing is lost silently.

A Japanese undertaking the grammar misses is never followed up. So every clause that ends on a
cue of undertaking, and that no commitment covers, becomes a flag on its point; the ingest
preview shows it as a possible undertaking with one click to make it a commitment. The cues are
the reporting forms of the grammar read loosely: the volitional (〜たい, 〜ていく, 〜つもり), an
agreement or a confirmation (〜で一致, 〜ことを確認, 〜で合意), a promise or an intention
(約束, 決意, 意向, 方針, 用意, 所存, 予定), looking forward (楽しみ, 心待ち). Flags cost an officer's
attention, so cues that state a view are left out: importance and necessity (〜の重要性を確認),
a shared recognition (〜との認識で一致), an expectation (期待), a demand (求め), courtesy said in
the volitional (謝意を申し上げたい), a request of the other side (〜していただきたい), and
agreement cited from an earlier meeting (〜で一致したことを踏まえ).
"""

from __future__ import annotations

import re

from tracker.extraction.ja.commitments import (
    clause_begin,
    sentences_of,
    speaker_parties,
    states_no_undertaking,
)
from tracker.extraction.ja.parties import JaParticipants
from tracker.extraction.ja.text import shadow
from tracker.extraction.types import ExtractedCommitment, Flag, Segment

_CUE = re.compile(
    r"(?:たい|ていく|でいく|ていきたい|つもり)(?=\s*(?:旨|と|との|,|、|。|$))"
    r"|(?:で|について|につき)(?:も)?(?:一致|合意)"
    r"|を(?:再度|改めて|再)?(?:確認|再確認)"
    r"|約束|決意|意向|方針を(?:表明|示|確認|説明)|用意がある|所存|予定(?:で|と)|楽しみ|心待ち"
)
# A view, a demand or courtesy, not an undertaking, just before the cue.
_VIEW_BEFORE = re.compile(
    r"(?:重要性|必要性|重要で(?:ある|あり)こと|必要があること|認識|立場|期待|懸念|求め|要請|"
    r"謝意|祝意|敬意|弔意|感謝|お礼|お見舞い|いただき|頂き|もらい|ほし)[^,、。]{0,6}$"
)
# An agreement cited from before: 「一致したことを踏まえ」「確認してきている」.
_CITED = re.compile(r"\s*(?:し)?(?:てきて|てきた|した(?:こと|と|旨)|したもの|している(?:こと|と))")
_JOINT = re.compile(r"両外相|両首脳|両大臣|両者|双方|三者|両国")


def flags_for(
    text: str, participants: JaParticipants, segment: Segment, commitments: list[ExtractedCommitment]
) -> list[Flag]:
    """The point's sentences that end a clause on a cue of undertaking no commitment covers."""
    s = shadow(text)
    meeting = set(participants.parties)
    flags: list[Flag] = []
    for sent_start, sent_end in sentences_of(s, segment.start, segment.end):
        inside = [c for c in commitments if sent_start <= c.start < sent_end]
        clause_start = sent_start
        for m in _CUE.finditer(s, sent_start, sent_end):
            cue_end = m.end()
            piece = s[clause_start : m.start()]
            covered = any(c.start < m.end() and c.end > clause_start for c in inside) or any(
                m.start() - 2 <= c.end <= m.end() for c in inside
            )
            skip = (
                covered
                or _VIEW_BEFORE.search(s, max(sent_start, m.start() - 30), m.start())
                or _CITED.match(s, cue_end, sent_end)
                or len(piece.strip(" ,、")) < 4
                or states_no_undertaking(s[clause_start:cue_end])
                or states_no_undertaking(piece)
            )
            if not skip:
                start = max(clause_start, clause_begin(s, sent_start, sent_end, m.start()))
                while start < m.start() and s[start] in " ,、\u3000":
                    start += 1
                parties = (
                    list(participants.parties)
                    if _JOINT.search(s, sent_start, m.start())
                    else speaker_parties(s, participants, segment.start, sent_start, start)
                )
                if not meeting or set(parties) & meeting:
                    flags.append(
                        Flag(text[start:cue_end], start, cue_end, text[m.start() : cue_end], parties)
                    )
            # The next clause of the sentence starts after this cue's own clause ends.
            comma = re.compile(r"[,、。]").search(s, cue_end, sent_end)
            clause_start = comma.end() if comma else sent_end
    return flags
