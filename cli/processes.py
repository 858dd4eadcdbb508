"""`tracker serve`, `scheduler` and `run`: the long-running processes."""

from __future__ import annotations

import signal
import subprocess
import sys

import click

from cli.app import AppContext, pass_app
from cli.i18n import say
from tracker.config import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Threads per worker process.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="Worker processes; more than one runs gunicorn so that every core serves requests.",
)
@pass_app
def serve(app: AppContext, host: str, port: int, threads: int, workers: int) -> None:
    """Serve the web app with a production WSGI server (waitress; gunicorn for several workers)."""
    if workers > 1:
        _serve_gunicorn(app.settings, host, port, threads, workers)
        return
    import waitress

    from web import create_app

    wsgi = create_app(app.settings)
    click.echo(say("serving on %(url)s", url=f"http://{host}:{port}/"))
    waitress.serve(wsgi, host=host, port=port, threads=threads)


def _serve_gunicorn(settings: Settings, host: str, port: int, threads: int, workers: int) -> None:
    import os
    import secrets

    env = dict(os.environ)
    if not settings.secret_key:
        # Each worker is its own process: without one shared key a session cookie signed by one
        # worker would be refused by the next. Production refuses to start without a key anyway.
        env["TRACKER_SECRET_KEY"] = secrets.token_hex(32)
    click.echo(
        say(
            "serving on %(url)s with %(workers)s gunicorn workers x %(threads)s threads",
            url=f"http://{host}:{port}/",
            workers=workers,
            threads=threads,
        )
    )
    # No access log: feed URLs carry their secret token in the path.
    args = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", str(workers)]
    args += ["--threads", str(threads), "--bind", f"{host}:{port}", "web:create_app()"]
    os.execvpe(sys.executable, args, env)


@click.command()
@pass_app
def scheduler(app: AppContext) -> None:
    """Run the scheduled jobs (exactly one such process per database)."""
    from jobs.scheduler import run_scheduler

    run_scheduler(app.settings, app.factory)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run(host: str, port: int) -> None:
    """Serve the web app and run the scheduler beside it, as two processes."""
    children: list[subprocess.Popen[bytes]] = []
    # Python's default SIGTERM handling ends this process at once without running `finally`, which
    # left both children running and the web server holding the port. Turning SIGTERM into
    # SystemExit lets the `finally` below stop them, as Ctrl-C (KeyboardInterrupt) already did.
    previous = signal.signal(signal.SIGTERM, _raise_system_exit)
    try:
        children.append(subprocess.Popen([sys.executable, "-m", "cli", "scheduler"]))
        web = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--host", host, "--port", str(port)])
        children.append(web)
        web.wait()
    except KeyboardInterrupt:
        pass
    finally:
        _stop_children(children)
        signal.signal(signal.SIGTERM, previous)


def _raise_system_exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _stop_children(children: list[subprocess.Popen[bytes]], grace_seconds: float = 10.0) -> None:
    """SIGTERM every child still running, then SIGKILL those that outlive the grace period."""
    # A second SIGTERM while we wait must not abandon the children half-stopped.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
