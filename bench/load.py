"""The load run: the app and the floor served by gunicorn with the same settings, and wrk driving each
page in turn, every page run followed by a floor run of the same length (page, floor, page, floor…)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from .pages import USER_AGENT, Page, PageFailed

HERE = Path(__file__).parent
APP_PORT, FLOOR_PORT = 8701, 8702
# The app as deployed, but without rate limits: all the load comes from one address, and the
# verification page allows 30 requests a minute from each.
APP = 'marketplace:create_app({"RATELIMIT_ENABLED": False})'
FLOOR = "bench.floor:create_app()"
# Seconds of load before each page's timed run, untimed: every worker has compiled its templates.
WARM_UP = 1


@dataclass(frozen=True)
class Run:
    requests_per_second: float
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Measured:
    page: Page
    run: Run
    floor: Run  # the floor run right after it

    @property
    def ratio(self) -> float:
        return self.run.requests_per_second / self.floor.requests_per_second


def gunicorn(target: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    """``target`` under gunicorn: one sync worker per CPU, as the README's deployment runs it."""
    workers, bind = str(os.cpu_count()), f"127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "--workers", workers, "--bind", bind]
    command += ["--log-level", "warning", target]
    return subprocess.Popen(command, env={**os.environ, **env}, cwd=HERE.parent)


@contextmanager
def served(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """The app and the floor, served; yields their base URLs and stops both afterwards."""
    with serving(APP, APP_PORT, "/healthz", env) as app, serving(FLOOR, FLOOR_PORT, "/", env) as floor:
        yield app, floor


@contextmanager
def serving(target: str, port: int, probe: str, env: dict[str, str]) -> Iterator[str]:
    """``target`` under gunicorn on ``port``; yields its base URL once ``probe`` answers 200."""
    base = f"http://127.0.0.1:{port}"
    server = gunicorn(target, port, env)
    try:
        _wait_for(base + probe, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while fetch(url, None) != 200:
        if server.poll() is not None or time.monotonic() > deadline:
            raise PageFailed(f"gunicorn did not come up at {url}")
        time.sleep(0.5)


def fetch(url: str, cookie: str | None) -> int:
    """The status of one GET, redirects not followed (a lost session would redirect to the login)."""
    request = urllib.request.Request(url, headers=_headers(cookie))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:  # not answering (yet)
        return 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _headers(cookie: str | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    return headers


def wrk(url: str, cookie: str | None, seconds: int, connections: int) -> Run:
    command = ["wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{seconds}s"]
    command += ["--timeout", "30s", "--script", str(HERE / "wrk.lua")]
    for name, value in _headers(cookie).items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    if result["http_errors"] or result["socket_errors"] or not result["requests"]:
        raise PageFailed(f"wrk on {url}: {result}")
    return Run(
        requests_per_second=result["requests"] / (result["duration_us"] / 1e6),
        p50_ms=result["p50_us"] / 1000,
        p95_ms=result["p95_us"] / 1000,
    )


def drive(
    pages: list[Page], cookies: dict[str, str], bases: tuple[str, str], seconds: int, connections: int
) -> list[Measured]:
    """Each page for ``seconds``, then the floor for as long. Each page is first fetched once through
    gunicorn, which must answer 200 with its login's cookie, then warmed up."""
    app, floor = bases
    wrk(floor + "/", None, WARM_UP, connections)
    measured = []
    for n, page in enumerate(pages, start=1):
        cookie = cookies.get(page.role)
        status = fetch(app + page.path, cookie)
        if status != 200:
            raise PageFailed(f"{page.name} {page.path} answered {status} through gunicorn, not 200")
        wrk(app + page.path, cookie, WARM_UP, connections)
        run = wrk(app + page.path, cookie, seconds, connections)
        floor_run = wrk(floor + "/", None, seconds, connections)
        measured.append(Measured(page, run, floor_run))
        click.echo(
            f"[{n:2}/{len(pages)}] {page.name:<24} {run.requests_per_second:8.1f} req/s   "
            f"floor {floor_run.requests_per_second:8.1f} req/s",
            err=True,
        )
    return measured
