"""How sure the extraction is of each field: a reason an officer can check, and a weak mark.

Every commitment gets one note for its parties and one for its deadline ("parties from the
subject 'the two ministers'", "deadline from 'by the end of the year'"); every point one for its
kind. A note is weak where the officer should look first: parties that no subject gave (the
meeting's parties by default), a party named only inside the quote and not in its subject (the
issue's "Minister X said that he hopes to work closely with Minister Y" read as Y's), a party that
is not one of the meeting's, a speed word with no event to hang on, a kind no word decided. Whether
an event is in the registry is known only where the registry is, so `tracker.services` adds that
note.
"""

from __future__ import annotations

import datetime as dt
import re

from tracker.deadlines import speed_word
from tracker.extraction.en.commitments import Found, PointReader
from tracker.extraction.party_names import find_mentions
from tracker.extraction.types import DeadlineSpec, FieldNote, Message
from tracker.services.errors import N_

_PRONOUN = re.compile(r"^(?:he|she|He|She)$")
_CONTINUING = re.compile(
    r"\b(?:continu\w*|ongoing|further\w*|closely|together|remain\w*|stay\w*|maintain\w*|keep\w*|"
    r"strengthen\w*|deepen\w*|enhanc\w*|promot\w*|cooperat\w*|coordinat\w*|collaborat\w*|work\w*|"
    r"support\w*|communicat\w*|consult\w*|engag\w*|expand\w*|advanc\w*|develop\w*|uphold\w*|accountable)\b",
    re.IGNORECASE,
)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()).strip(" ,;:")
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def parties_note(reader: PointReader, found: Found, parties: list[str], start: int, end: int) -> FieldNote:
    """Why the commitment text[start:end] has these parties, weak where they are a guess."""
    text = reader.text
    subject_words = ""
    if found.basis == "subject" and found.subject is not None:
        s, e = found.subject
        subject_words = _short(text[s:e])
        if _PRONOUN.match(subject_words):
            speaker = reader.speaker_at(s)
            reason = (
                Message(
                    N_("parties from the subject '%(subject)s' (%(speaker)s)"),
                    {"subject": subject_words, "speaker": reader.display_at(speaker)},
                )
                if speaker is not None
                else Message(N_("parties from the subject '%(subject)s'"), {"subject": subject_words})
            )
        else:
            reason = Message(N_("parties from the subject '%(subject)s'"), {"subject": subject_words})
    elif found.basis == "sentence":
        reason = Message(N_("parties from the subject of the sentence"))
    elif found.basis == "shared":
        reason = Message(N_("parties of the verb before it, which shares its subject"))
    elif found.basis == "norm":
        reason = Message(N_("'there should be ...' about the parties' own conduct: the meeting's parties"))
    elif found.basis == "decision":
        reason = Message(N_("a meeting the parties decided on: the meeting's parties"))
    elif found.basis == "accepted":
        reason = Message(N_("a proposal made in the meeting: the side that accepted it"))
    else:
        return FieldNote.of("parties", N_("no subject found: the meeting's parties, by default"), weak=True)
    named_in_subject = _named(reader, found.subject) if found.subject else set()
    meeting = set(reader.participants.parties)
    outsiders = [p for p in parties if meeting and p not in meeting and p not in named_in_subject]
    if outsiders:
        return FieldNote.of(
            "parties",
            N_("%(reason)s; %(parties)s is not a party to the meeting"),
            weak=True,
            reason=reason,
            parties=", ".join(outsiders),
        )
    if found.basis in ("norm", "decision", "accepted") or (
        subject_words and not _PRONOUN.match(subject_words)
    ):
        return FieldNote.of("parties", reason.msgid, **reason.values)
    # The party of a person named after the verb ("he hopes to work closely with Minister Y" read
    # as Y's): the pronoun or the sentence's subject may have been read as the wrong person.
    objects = {pm.person.party for pm in reader.mentions_in(found.action_start, end) if pm.person.party}
    inside_only = [p for p in parties if p in objects and p not in named_in_subject]
    if inside_only:
        return FieldNote.of(
            "parties",
            N_("%(reason)s; %(parties)s is also the party of someone named only inside the quote"),
            weak=True,
            reason=reason,
            parties=", ".join(inside_only),
        )
    return FieldNote.of("parties", reason.msgid, **reason.values)


def _named(reader: PointReader, span: tuple[int, int]) -> set[str]:
    s, e = span
    names = {m.party for m in find_mentions(reader.text, s, e) if m.party}
    names |= {pm.person.party for pm in reader.mentions_in(s, e) if pm.person.party}
    return names


def deadline_note(
    text: str, spec: DeadlineSpec, start: int, end: int, meeting_date: dt.date | None
) -> FieldNote:
    """Why the commitment text[start:end] has this deadline; weak for a speed word with no event."""
    if spec.type == "event":
        relation = spec.relation or "at"
        when = (
            Message(_RELATION_OFFSET[relation], {"event": spec.event or "", "days": str(spec.offset_days)})
            if spec.offset_days
            else Message(_RELATION[relation], {"event": spec.event or ""})
        )
        inherited = spec.text is not None and spec.text not in text[start:end]
        return FieldNote.of(
            "deadline",
            N_("deadline from the request it answers '%(words)s': %(when)s")
            if inherited
            else N_("deadline from the words '%(words)s': %(when)s"),
            words=_short(spec.text or ""),
            when=when,
        )
    if spec.type == "date":
        words = spec.text or ""
        if speed_word(words):
            days = (spec.date - meeting_date).days if spec.date and meeting_date else None
            if days is not None:
                return FieldNote.of(
                    "deadline",
                    N_("speed word '%(words)s' with no event to hang on: meeting date + %(days)s days"),
                    weak=True,
                    words=_short(words),
                    days=str(days),
                )
            return FieldNote.of(
                "deadline",
                N_("speed word '%(words)s' with no event to hang on"),
                weak=True,
                words=_short(words),
            )
        return FieldNote.of("deadline", N_("deadline from '%(words)s'"), words=_short(words))
    if spec.type == "ongoing":
        m = _CONTINUING.search(text, start, end)
        if m:
            return FieldNote.of(
                "deadline", N_("no time words; continuing action ('%(word)s'): ongoing"), word=m.group()
            )
        return FieldNote.of("deadline", N_("no time words; continuing action: ongoing"))
    return FieldNote.of("deadline", N_("no time words and no continuing action: no deadline"))


# An event deadline in words: its relation to the event, with the days after it when there are some.
_RELATION = {
    "before": N_("before '%(event)s'"),
    "at": N_("at '%(event)s'"),
    "after": N_("after '%(event)s'"),
}
_RELATION_OFFSET = {
    "before": N_("before '%(event)s', +%(days)s days"),
    "at": N_("at '%(event)s', +%(days)s days"),
    "after": N_("after '%(event)s', +%(days)s days"),
}
