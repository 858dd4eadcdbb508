"""Reading a document in a bounded worker process (issue 19, item 1d): every hostile document of
the issue is refused in at most 5 s and 300 MiB of the worker's memory, and what the reading
limits would let through is stopped by the worker's time and memory bounds, never in the
process that asked. The figures are printed (pytest -s) for the issue's closing note."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable

import pytest

from tests.extraction import bombs
from tests.extraction.test_bombs import UNLIMITED
from tracker.deadlines import DeadlineSettings
from tracker.isolation import WORKERS, Bounds, Measured, OutOfMemory, TimedOut, run_bounded
from tracker.services.errors import InvalidInput, ReaderBusy, UnreadableDocument
from tracker.services.readouts import read_and_extract, read_and_extract_bounded

MiB = 2**20
HOSTILE: dict[str, Callable[[], bytes]] = {
    "100k-paragraphs.docx": lambda: bombs.docx_paragraphs(100_000),
    "1m-paragraphs.docx": lambda: bombs.docx_paragraphs(1_000_000),
    "inflates-1.7GB.docx": bombs.docx_inflating,
    "30000-pages.pdf": lambda: bombs.pdf_pages(30_000),
    "75MB-page.pdf": bombs.pdf_big_page,
    "flat-160KB.html": bombs.html_flat_paragraphs,
    "one-line-1MB.txt": bombs.text_one_line,
}


def _read(name: str, data: bytes, bounds: Bounds, **kwargs: object) -> Measured[object]:
    measured: Measured[object] = run_bounded(
        read_and_extract, data, name, "", None, DeadlineSettings(), bounds=bounds, **kwargs
    )
    print(
        f"{name:22} {len(data):>10,} bytes: {measured.seconds:5.2f} s, "
        f"worker peak RSS {measured.peak_rss_bytes / MiB:6.1f} MiB: {measured.error}"
    )
    return measured


@pytest.mark.slow
def test_every_hostile_document_is_refused_within_5_s_and_300_mib() -> None:
    # The pool's first use starts the forkserver and warms it (~2 s, once per server process).
    assert (
        run_bounded(
            read_and_extract,
            None,
            None,
            "Readout, 3 December 2026\n\n1. Japan will help.",
            None,
            DeadlineSettings(),
            bounds=Bounds(),
        ).error
        is None
    )
    server_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name, build in HOSTILE.items():
        measured = _read(name, build(), Bounds(seconds=5))
        assert isinstance(measured.error, InvalidInput), name
        assert measured.seconds <= 5, name
        assert 0 < measured.peak_rss_bytes <= 300 * MiB, name
    # The readouts were read in the workers: this process did not grow by what they cost.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - server_peak < 100 * 1024


@pytest.mark.slow
def test_the_worker_stops_what_the_reading_limits_let_through() -> None:
    started = time.monotonic()
    slow = _read("100k-paragraphs.docx", bombs.docx_paragraphs(100_000), Bounds(seconds=1), limits=UNLIMITED)
    assert isinstance(slow.error, TimedOut)
    assert str(slow.error) == "it took longer than 1 s to read; the limit is 1 s"
    assert time.monotonic() - started < 3

    big = _read(
        "inflates-1.7GB.docx",
        bombs.docx_inflating(),
        Bounds(seconds=10, memory_bytes=256 * MiB),
        limits=UNLIMITED,
    )
    assert isinstance(big.error, OutOfMemory)
    assert str(big.error) == "it needed more than 256 MiB of memory to read; the limit is 256 MiB"

    # The service says so as a refusal of the document, and the next document reads as usual.
    with pytest.raises(UnreadableDocument, match=r"^the readout could not be read: it took longer than 1 s"):
        read_and_extract_bounded(
            bombs.docx_paragraphs(100_000),
            "slow.docx",
            "",
            None,
            DeadlineSettings(),
            limits=UNLIMITED,
            bounds=Bounds(seconds=1),
        )
    readout = read_and_extract_bounded(
        None,
        None,
        "Readout, 3 December 2026\n\n1. Japan will help.",
        None,
        DeadlineSettings(),
        bounds=Bounds(),
    )
    assert len(readout.points) == 1


@pytest.mark.slow
def test_a_caller_that_finds_every_worker_busy_is_told_so() -> None:
    slow = bombs.docx_paragraphs(100_000)
    busy: list[Measured[object]] = []

    def hold_a_worker() -> None:
        busy.append(
            run_bounded(
                read_and_extract,
                slow,
                "slow.docx",
                "",
                None,
                DeadlineSettings(),
                bounds=Bounds(seconds=2),
                limits=UNLIMITED,
            )
        )

    holders = [threading.Thread(target=hold_a_worker) for _ in range(WORKERS)]
    for holder in holders:
        holder.start()
    time.sleep(0.5)
    try:
        with pytest.raises(
            ReaderBusy, match="the server is busy reading other documents; try again in a minute"
        ):
            read_and_extract_bounded(
                None,
                None,
                "Readout\n\n1. Japan will help.",
                None,
                DeadlineSettings(),
                bounds=Bounds(seconds=1, queue_factor=1),
            )
    finally:
        for holder in holders:
            holder.join()
    assert all(isinstance(m.error, TimedOut) for m in busy)
