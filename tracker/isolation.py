"""Running work that a hostile input can make huge (reading an uploaded document) in a worker
process under a wall-clock and a memory limit, so that no input can take the server down
(issue 19: a .docx bomb grew the web process to 7.6 GiB until it died; a 1M-paragraph .docx
held a request for over 300 s).

It lives in the domain rather than in web/ because it knows nothing of requests: it runs domain
code under limits, and the CLI or a job could bound their work the same way; the web app and
the API only choose the limits (settings). Pebble's pool (a maintained library made for this)
kills a worker whose task overruns its time, and starts a fresh one.

Workers are forked from a forkserver that imported the reading code once: spawning a fresh
interpreter per document costs ~1 s of imports, and forking the web process itself would copy
its threads and open database connections. Each worker runs one task and exits, so its peak
memory is that task's own and nothing a document leaves behind meets the next. The memory
limit is on the address space (RLIMIT_AS): an allocation past it fails in the worker
(MemoryError, or the worker dies), never in the server.
"""

from __future__ import annotations

import atexit
import multiprocessing
import resource
import threading
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pebble import ProcessExpired, ProcessPool

T = TypeVar("T")

# The modules the forkserver imports once, so that every worker starts with them loaded (and
# warm: see the module).
PRELOAD = ["tracker.services.warm_reader"]
# Two workers: the machine's cores. More documents at once wait their turn (see `queue_factor`).
WORKERS = 2


@dataclass(frozen=True)
class Bounds:
    """How long a task may run and how much memory (address space) its worker may map."""

    seconds: float = 20.0
    memory_bytes: int = 512 * 1024 * 1024
    # How long a caller waits in all, queue included, as a multiple of `seconds`.
    queue_factor: float = 3.0


class Overrun(Exception):
    """The task went past its bounds (the message is meant for the person who sent the input)."""


class TimedOut(Overrun):
    pass


class OutOfMemory(Overrun):
    pass


class Busy(Overrun):
    """Every worker stayed busy with other tasks for as long as a caller may wait."""


@dataclass(frozen=True)
class Measured(Generic[T]):
    """What a task gave (`value`, or the `error` it raised) and what it cost its worker."""

    value: T | None
    error: BaseException | None
    seconds: float
    # The worker's peak resident memory; 0 when the worker was killed before it could say.
    peak_rss_bytes: int

    def result(self) -> T:
        """The task's value, or its error raised."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


def run_bounded(function: Callable[..., T], *args: Any, bounds: Bounds, **kwargs: Any) -> Measured[T]:
    """Run `function(*args, **kwargs)` in a worker process under `bounds`: its result or error,
    measured. When the bounds stopped it, the error is an Overrun (TimedOut, OutOfMemory, Busy)."""
    pool = _pool(bounds.memory_bytes)
    started = time.monotonic()
    future = pool.schedule(_measured, args=(function, *args), kwargs=kwargs, timeout=bounds.seconds)
    memory = f"{bounds.memory_bytes // 2**20:,} MiB"
    out_of_memory = OutOfMemory(f"it needed more than {memory} of memory to read; the limit is {memory}")
    try:
        ok, payload, peak = future.result(timeout=bounds.seconds * bounds.queue_factor)
    except FutureTimeout:
        seconds = time.monotonic() - started
        if not future.done():
            future.cancel()
            return Measured(
                None, Busy("the server is busy reading other documents; try again in a minute"), seconds, 0
            )
        limit = f"{bounds.seconds:g} s"
        return Measured(
            None, TimedOut(f"it took longer than {limit} to read; the limit is {limit}"), seconds, 0
        )
    except (MemoryError, ProcessExpired):
        # ProcessExpired: the worker died, which a C library may do when an allocation fails.
        return Measured(None, out_of_memory, time.monotonic() - started, 0)
    seconds = time.monotonic() - started
    if ok:
        return Measured(payload, None, seconds, peak)
    if isinstance(payload, MemoryError):
        return Measured(None, out_of_memory, seconds, peak)
    return Measured(None, payload, seconds, peak)


def _measured(function: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[bool, Any, int]:
    """In the worker: (ok, value or error, peak RSS in bytes); an error is returned, not raised,
    so that its cost is measured too."""
    try:
        value: Any = function(*args, **kwargs)
        ok = True
    except Exception as exc:  # handed to the caller, who raises it
        value, ok = exc, False
    # ru_maxrss is in KiB on Linux.
    return ok, value, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _limit_memory(memory_bytes: int) -> None:
    """In each new worker: cap its address space."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


_pools: dict[int, ProcessPool] = {}
_pools_lock = threading.Lock()


def _pool(memory_bytes: int) -> ProcessPool:
    """The pool of workers under `memory_bytes`, started on first use."""
    with _pools_lock:
        pool = _pools.get(memory_bytes)
        if pool is None or not pool.active:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            pool = ProcessPool(
                max_workers=WORKERS,
                max_tasks=1,
                initializer=_limit_memory,
                initargs=(memory_bytes,),
                context=context,
            )
            _pools[memory_bytes] = pool
        return pool


@atexit.register
def _stop_pools() -> None:
    with _pools_lock:
        for pool in _pools.values():
            pool.stop()
            pool.join(timeout=5)
        _pools.clear()
