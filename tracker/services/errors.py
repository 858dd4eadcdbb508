"""Errors that services raise for the adapters (CLI, web, API) to turn into messages.

A message is English as written (`str(exc)`: the CLI and the API say it so); it also keeps its
message id and values (issue 18), so that the web app says it in the page's language with its own
gettext, and the domain imports no Flask. Mark a message id with `N_` for `make messages`:

    raise InvalidInput(N_("the marking is %(n)s characters long"), n=len(value))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(text: str) -> str:
    """Mark a message id for the catalog (`make messages`); it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class Message:
    """A message id and the values it is filled with; a value may be a Message itself (a label
    such as "Commitment 3" inside "%(label)s: choose the owner from the list")."""

    msgid: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.said(lambda text: text)

    def said(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of `gettext` (which only looks a message id up)."""
        text = gettext(self.msgid)
        if not self.values:
            return text
        return text % {k: v.said(gettext) if isinstance(v, Message) else v for k, v in self.values.items()}


class ServiceError(Exception):
    """A request the tracker refuses, with a message meant for the person who made it (one, or
    several things wrong at once)."""

    def __init__(self, message: str | Message | list[Message] = "", /, **values: Any) -> None:
        if isinstance(message, list):
            self.messages = list(message)
        elif isinstance(message, Message):
            self.messages = [message]
        else:
            self.messages = [Message(message, values)]
        super().__init__("; ".join(str(m) for m in self.messages))

    def said(self, gettext: Callable[[str], str]) -> list[str]:
        """Each message in the language of `gettext`."""
        return [m.said(gettext) for m in self.messages]


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class UnreadableDocument(InvalidInput):
    """An uploaded file that cannot be read as a readout (damaged, binary, over a reading limit)."""


class ReaderBusy(ServiceError):
    """Every worker that reads documents stayed busy for as long as a caller may wait (a 503)."""


class PermissionDenied(ServiceError):
    pass


class DuplicateReadout(ServiceError):
    def __init__(self, readout_id: int, title: str) -> None:
        super().__init__(
            N_("this readout is already stored as readout %(id)s (%(title)r)"), id=readout_id, title=title
        )
        self.readout_id = readout_id


class VersionConflict(ServiceError):
    """Someone else changed the commitment after the caller read it."""

    def __init__(self, commitment_id: int, expected: int, actual: int, changes: list[str]) -> None:
        # (The changes are the history's English sentences; the message around them is translated.)
        detail: str | Message = "; ".join(changes) if changes else Message(N_("no recorded field changes"))
        super().__init__(
            N_(
                "commitment %(id)s was changed by someone else "
                "(you had version %(expected)s, it is now version %(actual)s): %(detail)s"
            ),
            id=commitment_id,
            expected=expected,
            actual=actual,
            detail=detail,
        )
        self.commitment_id = commitment_id
        self.expected = expected
        self.actual = actual
        self.changes = changes


class AmbiguousName(ServiceError):
    """A name that matches more than one thing; the message lists the candidates."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        listed = "; ".join(candidates)
        super().__init__(
            N_("%(name)r matches more than one: %(listed)s (give the full name)"), name=name, listed=listed
        )
        self.name = name
        self.candidates = candidates
