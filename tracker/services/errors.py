"""Errors that services raise for the adapters (CLI, web, API) to turn into messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A request the tracker refuses, with a message meant for the person who made it."""


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
        super().__init__(f"this readout is already stored as readout {readout_id} ({title!r})")
        self.readout_id = readout_id


class VersionConflict(ServiceError):
    """Someone else changed the commitment after the caller read it."""

    def __init__(self, commitment_id: int, expected: int, actual: int, changes: list[str]) -> None:
        detail = "; ".join(changes) if changes else "no recorded field changes"
        super().__init__(
            f"commitment {commitment_id} was changed by someone else "
            f"(you had version {expected}, it is now version {actual}): {detail}"
        )
        self.commitment_id = commitment_id
        self.expected = expected
        self.actual = actual
        self.changes = changes


class AmbiguousName(ServiceError):
    """A name that matches more than one thing; the message lists the candidates."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        listed = "; ".join(candidates)
        super().__init__(f"{name!r} matches more than one: {listed} (give the full name)")
        self.name = name
        self.candidates = candidates
