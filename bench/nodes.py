"""The two-node step: two gunicorn instances of the app on their own ports, sharing nothing but the
PostgreSQL database, a Redis and an S3 endpoint (moto's server, as the storage tests use it), as
the README's "several web nodes" deployment runs them. Each check prints PASS or FAIL:

- a session signed in on node A is valid on node B;
- a progress photo posted through the host's form on A downloads through B, the bytes stored;
- failed logins sent alternately to A and B trip the per-account limit at its configured total;
- two worker processes running the periodic tick and the outbox delivery at the same moment send every
  due message exactly once (to a loopback SMTP server) and take every due step once.

The nodes' Redis is a database of its own (:data:`REDIS_URL`), emptied first: its rate-limit counters
and task queue are this step's alone.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import click
from sqlalchemy import func, select, update

from marketplace.urls import path_for

from .load import HERE, _wait_for, gunicorn
from .pages import CSRF, LOGINS, USER_AGENT, PageFailed

PORTS = (8711, 8712)
REDIS_URL = "redis://127.0.0.1:6379/11"
APP = "marketplace:create_app()"  # rate limits on, unlike the load run
OUTBOX_MESSAGES = 300
DUE_PROJECTS = 5  # open projects whose deadline has passed, and as many due a reminder
ROUNDS = 3  # ticks and deliveries each worker runs


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


class Node:
    """One gunicorn instance, spoken to as a browser does (cookies kept by the caller)."""

    def __init__(self, name: str, port: int):
        self.name, self.base = name, f"http://127.0.0.1:{port}"

    def request(self, path: str, cookie: str | None, data: bytes | None = None, content_type: str = ""):
        """(status, headers, body) of one request, redirects not followed."""
        headers = {"User-Agent": USER_AGENT}
        if cookie:
            headers["Cookie"] = f"session={cookie}"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def form(self, path: str, cookie: str | None) -> tuple[str, str]:
        """The CSRF token of the form at ``path`` and the session cookie it belongs to."""
        status, headers, body = self.request(path, cookie)
        token = CSRF.search(body.decode())
        if status != 200 or token is None:
            raise PageFailed(f"{path} on node {self.name} answered {status} without a form")
        return token.group(1), _session(headers) or cookie

    def post(self, path: str, cookie: str | None, fields: dict, files: dict | None = None):
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request(path, cookie, body, content_type)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _session(headers) -> str | None:
    for value in headers.get_all("Set-Cookie") or ():
        if found := re.match(r"session=([^;]+)", value):
            return found.group(1)
    return None


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, mimetype) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {mimetype}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# -- what the nodes share --------------------------------------------------------------------------


@contextmanager
def object_store() -> Iterator[dict[str, str]]:
    """moto's S3 server on a free port with a fresh bucket; yields the nodes' storage variables."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
    }
    bucket = f"jiebang-nodes-{secrets.token_hex(4)}"
    os.environ.update(env)  # for the client below, which reads the stored objects back
    boto3.client("s3").create_bucket(Bucket=bucket)
    try:
        yield {**env, "STORAGE_URL": f"s3://{bucket}/files"}
    finally:
        server.stop()


class Mailbox:
    """A loopback SMTP server that keeps the Message-ID of every message it accepts."""

    def __init__(self):
        self.accepted: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.content, re.MULTILINE | re.IGNORECASE)
        with self.lock:
            self.accepted.append(found.group(1).decode() if found else "")
        return "250 2.0.0 OK"


@contextmanager
def mail_server() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def _empty_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# -- the step --------------------------------------------------------------------------------------


def run(env: dict[str, str], app) -> list[Check]:
    """Serve two nodes with ``env`` plus the shared Redis and object store, and run every check
    (``app``: the bench process's own app, for looking up and counting in the database)."""
    _empty_redis()
    with object_store() as storage_env:
        nodes_env = {**env, **storage_env, "REDIS_URL": REDIS_URL}
        servers = [gunicorn(APP, port, nodes_env) for port in PORTS]
        a, b = Node("A", PORTS[0]), Node("B", PORTS[1])
        try:
            for node, server in zip((a, b), servers, strict=True):
                _wait_for(node.base + "/healthz", server)
            checks = []
            for check in (_session_check, _upload_check, _limit_check):
                checks.append(check(a, b, app, storage_env))
                _echo(checks[-1])
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)
        with mail_server() as (mailbox, port):
            worker_env = {
                **nodes_env,
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(port),
                "MAIL_SUPPRESS_SEND": "0",
            }
            for check in _worker_checks(app, worker_env, mailbox):
                checks.append(check)
                _echo(check)
    return checks


def _echo(check: Check) -> None:
    click.echo(f"  {'PASS' if check.passed else 'FAIL'}  {check.name}: {check.detail}", err=True)


def _signed_in(node: Node, login: str) -> str:
    from marketplace.demo.context import PASSWORD

    token, cookie = node.form("/login", None)
    status, headers, _ = node.post(
        "/login", cookie, {"identifier": login, "password": PASSWORD, "csrf_token": token}
    )
    if status != 302 or not _session(headers):
        raise PageFailed(f"signing in as {login} on node {node.name} answered {status}")
    return _session(headers)


def _session_check(a: Node, b: Node, app, storage_env) -> Check:
    cookie = _signed_in(a, LOGINS["student"])
    with app.app_context():
        centre = path_for("notify.centre")
    status, headers, _ = b.request(centre, cookie)
    where = headers.get("Location", "")
    return Check(
        "a session made on A is valid on B",
        status == 200,
        f"signed in on A, the notifications page on B answered {status}" + (f" → {where}" if where else ""),
    )


def _upload_check(a: Node, b: Node, app, storage_env) -> Check:
    """The demo host posts progress with a photo on A; the photo is fetched through B."""
    import boto3
    from PIL import Image

    from bench.pages import hosted_project
    from marketplace.extensions import db
    from marketplace.hosting import operations as hosting
    from marketplace.hosting.models import Photo, ProgressUpdate

    with app.app_context():
        project_id = hosted_project()
        console = path_for("hosting.console", project_id=project_id)
        posting = path_for("hosting.post_progress", project_id=project_id)
    cookie = _signed_in(a, LOGINS["host"])
    token, cookie = a.form(console, cookie)
    picture = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 30, 40)).save(picture, format="PNG")
    fields = {"csrf_token": token, "milestone": "双节点检查", "percent": "50", "body": ""}
    files = {"photos": ("现场.png", picture.getvalue(), "image/png")}
    status, _, _ = a.post(posting, cookie, fields, files)
    with app.app_context():
        photo = db.session.scalars(
            select(Photo)
            .join(ProgressUpdate)
            .where(ProgressUpdate.project_id == project_id)
            .order_by(Photo.id.desc())
        ).first()
        stored = hosting.photo_key(photo.stored_name) if photo else None
    if status != 302 or photo is None:
        return Check("an upload through A downloads through B", False, f"posting on A answered {status}")
    bucket, prefix = storage_env["STORAGE_URL"].removeprefix("s3://").split("/", 1)
    kept = boto3.client("s3").get_object(Bucket=bucket, Key=f"{prefix}/{stored}")["Body"].read()
    got, _, body = b.request(f"/photos/{photo.public_id}", None)
    same = got == 200 and body == kept and Image.open(io.BytesIO(body)).size == (320, 240)
    return Check(
        "an upload through A downloads through B",
        same,
        f"photo posted on A (302), B answered {got} with {len(body):,} bytes, "
        f"{'the same as' if body == kept else 'NOT the same as'} the {len(kept):,} stored in the bucket",
    )


def _limit_check(a: Node, b: Node, app, storage_env) -> Check:
    """Failed logins for one account, alternately on A and B, until refused."""
    with app.app_context():
        limit = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    identifier = f"nobody-{secrets.token_hex(4)}"
    token, cookie = a.form("/login", None)
    statuses = []
    for attempt in range(2 * limit + 2):
        node = (a, b)[attempt % 2]
        fields = {"identifier": identifier, "password": "wrong-password", "csrf_token": token}
        statuses.append(node.post("/login", cookie, fields)[0])
    expected = [401] * limit + [429] * (limit + 2)
    return Check(
        "failed logins count across both nodes",
        statuses == expected,
        f"limit {limit}; answers in turn from A and B: {' '.join(map(str, statuses))}",
    )


# -- two workers at once ---------------------------------------------------------------------------


def _worker_checks(app, env: dict[str, str], mailbox: Mailbox) -> list[Check]:
    from marketplace import clock
    from marketplace.audit import AuditEntry
    from marketplace.extensions import db
    from marketplace.notify.models import DeliveryAttempt, Notification, OutboxMessage
    from marketplace.notify.operations import queue_email
    from marketplace.projects.models import Project, ProjectState

    with app.app_context():
        started = clock.now()
        open_ones = db.session.scalars(
            select(Project.id)
            .where(Project.state == ProjectState.OPEN, Project.deadline_reminder_sent_at.is_(None))
            .order_by(Project.id)
            .limit(2 * DUE_PROJECTS)
        ).all()
        closing, reminded = open_ones[:DUE_PROJECTS], open_ones[DUE_PROJECTS:]
        db.session.execute(
            update(Project).where(Project.id.in_(closing)).values(bid_deadline=started - timedelta(minutes=1))
        )
        db.session.execute(
            update(Project).where(Project.id.in_(reminded)).values(bid_deadline=started + timedelta(hours=12))
        )
        queued = [
            queue_email(f"nodes-{n}@example.invalid", "双节点检查", "—", kind="bench.nodes").message_id
            for n in range(OUTBOX_MESSAGES)
        ]
        db.session.commit()
    at = time.time() + 8  # both have imported the app by then
    command = [sys.executable, "-m", "bench.nodes", "--at", str(at)]
    workers = [
        subprocess.Popen(
            command, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True, cwd=HERE.parent
        )
        for _ in "AB"
    ]
    reports = [json.loads(w.communicate(timeout=600)[0].strip().splitlines()[-1]) for w in workers]
    with app.app_context():
        steps = Counter(
            db.session.scalars(
                select(AuditEntry.project_id).where(
                    AuditEntry.project_id.in_(closing),
                    AuditEntry.action.startswith("project."),
                    AuditEntry.at >= started,
                )
            )
        )
        # A manager of several eligible organizations is reminded once for each: the body names it.
        reminders = Counter(
            db.session.execute(
                select(Notification.user_id, Notification.link, Notification.body).where(
                    Notification.kind == "project.deadline_soon", Notification.created_at >= started
                )
            ).all()
        )
        ours = select(OutboxMessage.id).where(OutboxMessage.message_id.in_(queued))
        attempts = db.session.scalar(
            select(func.count()).where(DeliveryAttempt.outbox_id.in_(ours), DeliveryAttempt.ok)
        )
    received = Counter(mailbox.accepted)
    twice = sum(1 for n in received.values() if n > 1)
    mine = [received[m] for m in queued]
    by_worker = ", ".join(
        f"{'AB'[n]} sent {r['sent']}, took {r['steps']} steps" for n, r in enumerate(reports)
    )
    return [
        Check(
            "every due outbox message sent exactly once by two workers",
            mine == [1] * len(queued) and twice == 0 and attempts == len(queued),
            f"{len(queued)} queued; {sum(1 for m in mine if m == 1)} received once, {twice} received more "
            f"than once, {len(received):,} messages in all; {attempts} successful "
            f"attempts recorded ({by_worker})",
        ),
        Check(
            "the periodic tick's steps happen once with two workers",
            sorted(steps.values()) == [1] * len(closing) and max(reminders.values(), default=0) <= 1,
            f"{len(closing)} projects past their deadline: steps per project {sorted(steps.values())}; "
            f"{sum(reminders.values())} deadline reminders, at most {max(reminders.values(), default=0)} per "
            f"person, project and organization",
        ),
    ]


@click.command()
@click.option("--at", type=float, required=True, help="Start at this time (seconds since the epoch).")
def worker(at: float) -> None:
    """One worker: the periodic tasks' functions, run :data:`ROUNDS` times from ``at``."""
    from marketplace import create_app
    from marketplace.notify.delivery import deliver_pending
    from marketplace.projects.tasks import tick

    app = create_app()
    logging.getLogger("marketplace").setLevel(logging.WARNING)  # not a line for each message sent
    sent = steps = 0
    time.sleep(max(0.0, at - time.time()))
    for _ in range(ROUNDS):
        with app.app_context():
            steps += tick()["transitions"]
        while True:
            with app.app_context():
                report = deliver_pending()
            sent += report.sent
            if not report.sent + report.failed + report.gave_up:
                break
    click.echo(json.dumps({"sent": sent, "steps": steps}))


if __name__ == "__main__":
    worker()
