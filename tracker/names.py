"""How a name typed by an officer picks one thing from a short registry: an event ("the G7
summit") or a party ("US", "ROK").

One rule for both, so that `tracker brief --party` accepts what `tracker events set` accepts.
Each thing goes by several names (its name and aliases); all are compared by their normalised
key (`tracker.deadlines.event_key`: case, punctuation, "the" and a trailing "Meeting" do not
count). Tried in order, the first tier with any match decides:

1. the key of the name equals the key of one of the thing's names ("the g7 summit meeting"
   = "G7 Summit");
2. the same without spaces ("US" = "U.S.", "G-7" = "G7");
3. every word of the name is among the words of one of its names ("G7 Foreign Ministers" finds
   "G7 Foreign Ministers' Meeting").

One thing found is the answer; several are refused as ambiguous (AmbiguousName lists them);
none is refused with the near matches spelled out (rapidfuzz's ratio of the keys, so that
"Untied States" suggests "United States" and "US" does not suggest "Australia").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from rapidfuzz import fuzz, process

from tracker.deadlines import event_key
from tracker.services.errors import N_, AmbiguousName, InvalidInput, Message, NotFound

T = TypeVar("T")

# How close a key must be (rapidfuzz ratio, 0-100) to be offered as a near match, and how many.
NEAR_MATCH_SCORE = 70
NEAR_MATCH_LIMIT = 5


# What `pick_by_name` says, by the kind of thing named (message ids: the web says them in the
# officer's language): (not a name at all, no such name).
_MESSAGES = {
    "event": (N_("%(name)r is not an event name"), N_("no event called %(name)r")),
    "party": (N_("%(name)r is not a party name"), N_("no party called %(name)r")),
}


def pick_by_name(
    name: str,
    items: Sequence[T],
    names_of: Callable[[T], Iterable[str]],
    describe: Callable[[T], str],
    *,
    what: str,
    hint: str = "",
    suggest_from: Sequence[T] | None = None,
) -> T:
    """The one item of `items` that `name` means (the tiers above); AmbiguousName when several
    do, NotFound (naming the near matches among `suggest_from`, default `items`) when none does.

    `what` names the kind of thing in messages ("event", "party"); `hint`, a message id, is added
    to the not-found message (where to look the names up).
    """
    not_a_name, not_found = _MESSAGES[what]
    key = event_key(name)
    if not key:
        raise InvalidInput(not_a_name, name=name)
    keyed = [(item, {event_key(n) for n in names_of(item)} - {""}) for item in items]
    compact = key.replace(" ", "")
    words = set(key.split())
    tiers: list[Callable[[str], bool]] = [
        lambda k: k == key,
        lambda k: k.replace(" ", "") == compact,
        lambda k: words <= set(k.split()),
    ]
    for matches in tiers:
        found = [item for item, keys in keyed if any(matches(k) for k in keys)]
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousName(name, [describe(item) for item in found])
    near = near_matches(key, items if suggest_from is None else suggest_from, names_of, describe)
    message = Message(not_found, {"name": name})
    if near:
        near_said = "; ".join(near)
        message = Message(N_("%(message)s; near matches: %(near)s"), {"message": message, "near": near_said})
    if hint:
        message = Message(N_("%(message)s %(hint)s"), {"message": message, "hint": Message(hint)})
    raise NotFound(message)


def near_matches(
    key: str, items: Sequence[T], names_of: Callable[[T], Iterable[str]], describe: Callable[[T], str]
) -> list[str]:
    """The descriptions of the items one of whose names' keys is close to `key`, closest first."""
    choices: list[str] = []
    owners: list[T] = []
    for item in items:
        for n in names_of(item):
            k = event_key(n)
            if k:
                choices.append(k)
                owners.append(item)
    scored = process.extract(
        key, choices, scorer=fuzz.ratio, score_cutoff=NEAR_MATCH_SCORE, limit=len(choices) or 1
    )
    seen: list[str] = []
    for _choice, _score, index in scored:
        label = describe(owners[index])
        if label not in seen:
            seen.append(label)
        if len(seen) == NEAR_MATCH_LIMIT:
            break
    return seen
