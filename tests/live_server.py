"""The web app served by waitress on loopback in a thread, and stopped without racing its loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from waitress.server import create_server


class LiveServer:
    """Real HTTP: waitress with its own worker threads, its loop driven by a thread of ours so
    that it can be stopped cleanly at the end of the test."""

    def __init__(self, app: Flask, threads: int = 32) -> None:
        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads, channel_timeout=120)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="waitress-loop", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.server.asyncore.loop(timeout=0.05, map=self.server._map, use_poll=True, count=1)
        for channel in list(self.server._map.values()):
            channel.close()
        self.server.task_dispatcher.shutdown()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


@contextmanager
def serve(app: Flask, threads: int = 32) -> Iterator[str]:
    """The app on a free loopback port for the duration of the block; yields its base URL."""
    live = LiveServer(app, threads)
    live.start()
    try:
        yield live.url
    finally:
        live.stop()
