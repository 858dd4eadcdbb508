"""The one error the extraction pipeline raises on purpose."""

from __future__ import annotations


class ExtractionError(ValueError):
    """A document that cannot be turned into a readout; the message is meant for the officer."""
