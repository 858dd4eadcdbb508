"""Possible undertakings that gave no commitment: kept as flags so that nothing is lost silently.

A commitment the rules miss is never followed up, and nobody notices. So every sentence that reads
like an undertaking (a future or modal verb, "continue to", "intend", "hope", "wish", "look
forward", "agree", "concur", "commit" ...) whose subject is a party to the meeting, and that no
commitment already covers, becomes a flag on its point; the ingest preview shows it as a possible
undertaking with one click to make it a commitment. Flags cost an officer's attention, so the
cue must read as an undertaking, not as a word: "continued support" (a noun's modifier), "agreed
with what X said", "in order to resolve", "is committed to" a third country, passives whose
subject is not a party, and subjects that are no party ("the international community should")
give none.
"""

from __future__ import annotations

import bisect
import re

from tracker.extraction.en.commitments import PointReader, starts_action
from tracker.extraction.en.sentences import Span
from tracker.extraction.party_names import find_mentions
from tracker.extraction.types import ExtractedCommitment, Flag

_CUE = re.compile(
    r"\b(?:(?P<modal>will|would|shall|should)\s+(?:(?:also|further|continue\s+to|jointly|closely|not|"
    # A passive needs a participle: "will be held" is one, "will be in the interest of all" is not.
    r"strongly|actively|firmly)\s+)*(?P<passive>be\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|eld|ade|one|ept|ent|ilt|ought|own|et|ut)\b)?"
    r"|[Cc]ontinu(?:e|es|ed|ing)\s+(?:to\s+[a-z]|[a-z]+ing\b)"
    r"|(?P<noun>intention|intent|desire|hope|wish|willingness|readiness|determination|eagerness|resolve|"
    r"keenness|interest|aspiration)"
    r"\s+to\s+(?!the\b|a\b|an\b|its\b|their\b|his\b|her\b)[a-z]"
    r"|(?:intend(?:s|ed)?|plan(?:s|ned)?|aim(?:s|ed)?|hop(?:e|es|ed|ing)|wish(?:es|ed)?|desire[sd]?|"
    r"willing|ready|prepared|keen|determined|resolved?|pledg(?:e|es|ed)|vow(?:s|ed)?|"
    r"promis(?:e|es|ed)|undert(?:ake|akes|ook)|seek(?:s)?|commit(?:s|ted)?(?:\s+(?:themselves|itself))?|"
    r"commitments|eager|offer(?:s|ed)?|endeavou?r(?:s|ed)?|striv(?:e|es|ed))"
    r"\s+to\s+(?!the\b|a\b|an\b|its\b|their\b|his\b|her\b)[a-z]"
    r"|[Ll]ook(?:s|ed|ing)?\s+forward\s+to"
    r"|(?:stay|stays|stayed|remain|remains|remained|keep|keeps|kept)\s+in\s+(?:close\s+|regular\s+)?"
    r"(?:touch|contact|communication)"
    r"|accept(?:s|ed)?\s+(?:the\s+|an\s+|his\s+|her\s+|their\s+)?(?:kind\s+)?invitation"
    r"|(?:agree[sd]?|concur(?:s|red)?)\s+(?:\w+ly\s+)?(?:to|that|on|upon)\b"
    r"(?!\s+the\s+(?:importance|need|necessity|significance)\b)"
    r"|commit(?:s|ted|ment|ments)?\s+to\s+(?:the\s+)?\w+ing\b"
    # "their joint commitment to a free and open Indo-Pacific and enhancing bilateral trade": a goal
    # and, coordinated with it, an action.
    r"|commitments?\s+to\s+[^.;]{1,80}?\band\s+(?:to\s+)?(?!the\b)[a-z]+ing\b"
    # "expressing commitment to visit Australia": a bare verb after the noun (checked below).
    r"|(?P<bare>commitments?)\s+to\s+(?=[a-z])"
    # Offers of help, readiness to help, a proposal accepted in the meeting.
    r"|(?:offer|pledg|promis|extend)(?:ed|es|s|e)?\s+(?:\S+\s+){0,3}?(?:support|assistance|help)\b"
    r"|(?:stands?|stood)\s+by\s+to\b"
    r"|(?:agreed|accepted|consented)(?=\s*[,.;])"
    r"|assurances?\s+that\b|(?:re)?assured\s+(?:\S+\s+){0,5}?that\b"
    # "proposing that the ROK and the US coordinate closely": one side's proposal that both act.
    r"|(?:propos|suggest)(?:ed|es|ing|e|s)?\s+that\b"
    # "committed South Africa's continued engagement in ...": a party's own engagement pledged.
    r"|commit(?:s|ted)\s+(?:[A-Z][\w.\-]*\s+){0,2}?[A-Z][\w.\-]*(?:[’']s|s[’'])\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:engagement|participation|support|cooperation|assistance|contribution)\b)"
    # Case-sensitive: these words are lowercase inside a sentence, and the matching is 3-4 times
    # faster without IGNORECASE.
)
# "expressed her wish to ...": the subject is that of the verb before the possessive.
_NOUN_VERB = re.compile(
    r"\b[a-z]+\s+(?:his|her|their|its|our|the|[A-Z][\w.\-]*(?:[’']s|s[’']))\s+(?:[\w\-]+\s+){0,2}$"
)
# Words that stand for the parties together, or for one of their people.
_JOINT = re.compile(
    r"\b(?:both|two\s+(?:sides|leaders|ministers|countries|governments|foreign\s+ministers)|the\s+sides|"
    r"they|we|leaders|ministers|both\s+sides|the\s+three\s+\w+|sides)\b",
    re.IGNORECASE,
)
# A title or a pronoun alone: one of the meeting's people, whoever it is.
_PERSON_WORD = re.compile(
    r"\b(?:[Tt]he\s+(?:(?:Prime|Foreign|Vice|Deputy)\s+)?(?:Minister|President|Secretary|Chancellor|Premier|"
    r"Leader|Ambassador|Envoy)|he|she|He|She|I|We)\b"
)
_MEETING_NOUN = re.compile(
    r"\b(?:meeting|meetings|talks|dialogue|consultations?|summit|visit|visits|round|session|conference|"
    r"negotiations|exchanges|cooperation|coordination|collaboration|communication|contacts?)\b",
    re.IGNORECASE,
)
_NOT_A_PARTY = re.compile(
    r"\b(?:international\s+community|it|there|this|which|the\s+world|all\s+countries|the\s+region)\b",
    re.IGNORECASE,
)
# A subject that is plainly nobody's of the meeting ("the international community should ...").
_NO_PARTY_SUBJECT = re.compile(
    r"(?:the\s+)?(?:international\s+community|it|there|this|which|world|all\s+(?:countries|nations|states|"
    r"parties|stakeholders|sides\s+concerned)|every\s+(?:country|nation|state)|region|parties\s+concerned)\b",
    re.IGNORECASE,
)
# "the United States' ironclad commitment to the defense of Japan": a standing guarantee.
_GUARANTEE = re.compile(r"\bcommitments?\s+to\s+(?:the\s+)?(?:security|defen[cs]e)\b", re.IGNORECASE)
# "agreed that the international community should ...": the world at large, not the parties.
_WORLD_AT_LARGE = re.compile(
    r"\s+(?:the\s+)?(?:international\s+community|world|all\s+(?:countries|nations|states|parties)|"
    r"every\s+(?:country|nation|state))\b",
    re.IGNORECASE,
)
# Words right before a cue that make it no undertaking of the parties: a relative clause about a
# thing ("a compromise that will be in the interest of all"), a refusal ("are refusing to agree"),
# the object of thanks ("thanked Norway for the offers to provide"), a discussion of it ("discussed
# our shared commitment to ...").
_NOT_UNDERTAKING_BEFORE = re.compile(
    r"(?:\b(?:that|which)\s+|\b(?:refus\w*|declin\w*|fail\w*|unwilling|reluctant)\s+to\s+|"
    r"\bfor\s+(?:the|their|its|his|her|our|[A-Z][\w.\-]*(?:[’']s|s[’']))\s+(?:[\w\-]+\s+)?|"
    r"\b(?:discussed|discussing|talked\s+about|exchanged\s+views\s+on)\s+(?:[\w\-]+\s+){0,3}|"
    # "reaffirmed the importance of continuing to enhance cooperation": an importance statement.
    r"\b(?:importance|necessity|significance|need|value)\s+(?:of|for|to)\s+)$"
)
# "agreed that the partnership could contribute ...", "agreed that the solidarity sent a strong
# message": a shared assessment; only a clause with a modal (or a bare verb) may be an undertaking.
_AGREED_THAT = re.compile(r"(?:agree[sd]?|concur(?:s|red)?)\s+(?:\w+ly\s+)?that\b")
_ASSESSMENT_VERB = re.compile(
    r"\b(?P<verb>will|would|shall|should|must|could|can|may|might|is|are|was|were|has|have|had|\w+ed|sent|made|"
    r"gave|took|showed|became|remains|continues)\b"
)
# "commitment to advancing peace and prosperity in the region": a commitment to a goal.
_GOAL = re.compile(
    r"\s*(?:\w+ing\s+)?(?:peace|prosperity|stability|democracy|human\s+rights|the\s+rule\s+of\s+law|"
    r"denucleari[sz]ation|a\s+free\s+and\s+open|the\s+rules-based|(?:global|regional|international)\s+"
    r"(?:peace|security|stability))\b"
)
# "discussed how ASEAN and China can continue to share information": an indirect question, discussed.
_DISCUSSED_HOW = re.compile(
    r"\b(?:discussed|discussing|explored|exploring|considered|examined|talked\s+about|exchanged\s+views\s+on)\s+"
    r"(?:how|whether|ways?\s+(?:to|of|in\s+which))\b"
)
_PREPOSITION_BEFORE = re.compile(r"\b(?:to|in|at|from|for|of|with|toward|towards|into|on)\s+(?:the\s+)?$")
_UNDERTAKING_MODALS = frozenset({"will", "would", "shall", "should", "must"})
# How close after a cue a commitment must start for the cue to be its reporting verb.
_GOVERNS = 80


def flags_for(
    reader: PointReader, sentences: list[Span], commitments: list[ExtractedCommitment]
) -> list[Flag]:
    """The point's possible undertakings that no commitment covers, one flag per clause."""
    text = reader.text
    flags: list[Flag] = []
    meeting = set(reader.participants.parties)
    # Each sentence looks only at its own commitments (a 1 MB paragraph has thousands); quotes
    # lie inside one sentence, so the few that start before it are found by stepping back.
    ordered = sorted(commitments, key=lambda c: c.start)
    starts = [c.start for c in ordered]
    for sent in sentences:
        first = bisect.bisect_left(starts, sent.start)
        while first > 0 and ordered[first - 1].end > sent.start:
            first -= 1
        inside = []
        for c in ordered[first:]:
            if c.start >= sent.end:
                break
            inside.append(c)
        flagged_until = sent.start
        for m in _CUE.finditer(text, sent.start, sent.end):
            pos = m.start()
            if pos < flagged_until or any(c.start <= pos < c.end for c in inside):
                continue
            if any(pos < c.start <= pos + _GOVERNS for c in inside):
                continue  # the reporting verb of a commitment found ("agreed that they will ...")
            if _GUARANTEE.match(text, pos) or _WORLD_AT_LARGE.match(text, m.end()):
                continue
            if _NOT_UNDERTAKING_BEFORE.search(text, max(sent.start, pos - 40), pos):
                continue
            if _AGREED_THAT.match(text, pos):
                verb_in_clause = _ASSESSMENT_VERB.search(text, m.end(), sent.end)
                if verb_in_clause is not None and verb_in_clause.group("verb") not in _UNDERTAKING_MODALS:
                    continue
            to = re.search(r"\bto\s+", m.group()) if "commit" in m.group() else None
            if to is not None and _GOAL.match(text, pos + to.end()):
                continue
            if m.group("bare") and not starts_action(text, m.end()):
                continue  # "commitment to peace": a goal
            verb = pos
            if m.group("noun"):
                before = _NOUN_VERB.search(text, max(sent.start, pos - 60), pos)
                verb = before.start() if before else pos
            clause_start, parties, status = reader.clause_subject(sent, verb)
            if _DISCUSSED_HOW.search(text, max(sent.start, clause_start - 40), pos):
                continue
            if status == "ok":
                if meeting and not set(parties) & meeting:
                    continue
            elif m.group("passive"):
                # "a resolution should be adopted": no party acts; "the next round of talks will be
                # held": the parties' own meeting.
                if not _MEETING_NOUN.search(text, clause_start, pos):
                    continue
                parties = sorted(meeting, key=reader.participants.parties.index)
            else:
                # A subject the grammar could not read, or read as no party, may still name one.
                parties = _loose_subject(reader, clause_start, verb, meeting)
                if not parties and status != "reject" and not _NO_PARTY_SUBJECT.match(text, clause_start):
                    # A subject the grammar cannot read at all ("The Federal Chancellor and the
                    # Prime Minister", a name it does not know) is no reason to lose the sentence:
                    # flag it for the meeting's parties and let the officer judge.
                    parties = sorted(meeting, key=reader.participants.parties.index)
            if not parties:
                continue
            start = max(clause_start, max((c.end for c in inside if c.end <= pos), default=sent.start))
            start, end = _trim(text, start, sent.end)
            # A reason given, a world-wide or third-country policy gave no commitment by the labelling
            # rules, but the line between them and an undertaking is thin: they are flagged.
            if end <= start:
                continue
            flags.append(Flag(text[start:end], start, end, _cue_words(m), list(parties)))
            flagged_until = sent.end
    return flags


def _loose_subject(reader: PointReader, start: int, pos: int, meeting: set[str]) -> list[str]:
    """The meeting parties a subject the grammar could not parse still names ("Japan and Australia,
    with other like-minded countries, will ..."), else none."""
    text = reader.text
    window = max(start, pos - 120)
    if _NOT_A_PARTY.match(text, window) and window == start:
        return []
    found: list[str] = []
    for mention in find_mentions(text, window, pos):
        if (
            mention.party in meeting
            and text[mention.end : mention.end + 2] not in ("’s", "'s")
            # "the visit to China is bound to be a success, and will ...": a place, not the subject.
            and not _PREPOSITION_BEFORE.search(text, max(window, mention.start - 12), mention.start)
        ):
            found.append(mention.party)  # type: ignore[arg-type]
    for pm in reader.mentions_in(window, pos):
        if pm.person.party in meeting and not (pm.is_object or pm.possessive or pm.person.former):
            found.append(pm.person.party)  # type: ignore[arg-type]
    words = text[window:pos]
    pronoun = re.search(r"\b(?:he|she)\b", words)
    if pronoun:
        speaker = reader.speaker_at(window + pronoun.start())
        if speaker is not None:
            if speaker.person.former or speaker.person.party not in meeting:
                return found  # a former leader or an outsider speaks for no party of the meeting
            found.append(speaker.person.party)  # type: ignore[arg-type]
    if not found and (_JOINT.search(words) or _PERSON_WORD.search(words)):
        found = sorted(meeting, key=reader.participants.parties.index)
    return list(dict.fromkeys(found))


def _cue_words(m: re.Match[str]) -> str:
    """The cue as an officer reads it: "would", "continue to work", "commitment to ... and enhancing"."""
    if m.group("modal"):
        return m.group("modal")
    words = m.group().split()
    if len(words) > 4:
        return " ".join(words[:2]) + " … " + words[-1]
    # The cue's pattern looks one letter into the next word; show the whole word.
    tail = re.match(r"[a-z]*", m.string[m.end() : m.end() + 30])
    return " ".join(words) + (tail.group() if tail else "")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    m = re.match(r"[\s,;:]*(?:(?:and|but|while|that)\s+)?", text[start:end])
    if m:
        start += m.end()
    while end > start and text[end - 1] in " \t\n.,;:":
        end -= 1
    return start, end
