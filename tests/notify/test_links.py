"""Links in notifications: built with url_for in and out of requests, stored relative, mailed absolute.

pytest-flask runs each test inside a request; a periodic job or a command has none, so those steps run
here in a thread of their own, as the worker would run them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from flask import has_request_context
from sqlalchemy import select

from marketplace import create_app
from marketplace.accounts.models import SiteRole
from marketplace.extensions import db
from marketplace.notify import operations as notify
from marketplace.notify.models import Notification
from marketplace.projects.operations import send_deadline_reminders
from marketplace.urls import path_for
from tests import factories
from tests.notify import outbox
from tests.projects.helpers import World

REPO = Path(__file__).resolve().parents[2]


def outside_a_request(app, step):
    """What ``step()`` returns, run under ``app`` with no request at all."""
    result = {}

    def run():
        with app.app_context():
            assert not has_request_context()
            result["value"] = step()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return result["value"]


@pytest.mark.commits  # the job runs in a thread of its own, as the worker does
def test_a_periodic_job_stores_the_relative_link_url_for_builds_and_mail_makes_it_absolute(app, clock):
    world = World()
    project = world.open_project()
    clock.set(project.bid_deadline - timedelta(hours=23))
    assert outside_a_request(app, send_deadline_reminders) == 2  # the managers of both clubs
    links = db.session.scalars(select(Notification.link).where(Notification.kind == "project.deadline_soon"))
    assert set(links) == {project.url} == {f"/projects/{project.id}"}
    link = project.url
    assert notify.absolute(link) == f"http://localhost/projects/{project.id}"


def test_a_base_url_with_a_path_prefixes_links_built_outside_a_request_once():
    prefixed = create_app({"BASE_URL": "https://tuanwei.example.edu/jiebang"})

    def link_and_mail():
        link = path_for("projects.show", project_id=7)
        return link, notify.absolute(link)

    assert outside_a_request(prefixed, link_and_mail) == (
        "/jiebang/projects/7",
        "https://tuanwei.example.edu/jiebang/projects/7",
    )


def test_the_centre_opens_the_link_with_a_button_and_only_mail_spells_out_the_address(client):
    world = World()
    project = world.open_project()
    notify.send(world.staff, "project.approved", link=project.url, project=project)
    db.session.commit()
    factories.login(client, world.staff)

    stored = db.session.scalars(select(Notification).where(Notification.kind == "project.approved")).one()
    assert "http" not in stored.body and project.url not in stored.body and stored.link == project.url
    listing = client.get("/notifications/").get_data(as_text=True).split('data-testid="notifications"')[1]
    assert "http" not in listing and 'data-testid="open-link"' in listing and "查看详情" in listing
    (mail,) = outbox.messages("project.approved", to=world.staff.email)
    assert mail.body.splitlines()[-1] == f"http://localhost/projects/{project.id}"


def test_a_notification_without_a_link_shows_no_button(client):
    me = factories.user()
    notify.send(me, "role.granted", role=SiteRole.EVALUATOR)
    db.session.commit()
    factories.login(client, me)

    assert 'data-testid="open-link"' not in client.get("/notifications/").get_data(as_text=True)


def _base_url_with(**env) -> str:
    """BASE_URL as a freshly started process reads it from ``env`` (and nothing else of ours)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "PORT", "APP_ENV")} | env
    shown = subprocess.run(
        [sys.executable, "-c", "import config; print(config.config_for().BASE_URL)"],
        cwd=REPO, env=environ, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return shown.stdout.strip()


def test_in_development_base_url_follows_the_port_unless_it_is_set():
    assert _base_url_with() == "http://127.0.0.1:5000"
    assert _base_url_with(PORT="8000") == "http://127.0.0.1:8000"
    assert (
        _base_url_with(PORT="8000", BASE_URL="https://jiebang.example.edu.cn")
        == "https://jiebang.example.edu.cn"
    )


@pytest.mark.parametrize("port, given", [("8000", ["PORT=8000"]), ("5000", [])], ids=["PORT=8000", "default"])
def test_make_run_hands_its_port_to_the_app_and_the_worker(tmp_path, port, given):
    """``make run`` with stand-ins for the virtualenv's commands, which note what they see."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "seen"
    # `make run` ends the worker as soon as the server stops: the stand-in server waits for its line.
    wait_for_worker = (
        f'if [ "$3" = run ]; then\n'
        f'  for i in $(seq 200); do grep -q " worker" {seen} && break; sleep .05; done\n'
        "fi\n"
    )
    for command, then in (("flask", wait_for_worker), ("pybabel", "")):
        script = bin_dir / command
        script.write_text(f'#!/bin/sh\necho "{command} PORT=$PORT $*" >> {seen}\n{then}')
        script.chmod(0o755)
    (tmp_path / ".installed").touch()  # newer than pyproject.toml: nothing to install
    subprocess.run(
        ["make", "-s", "-C", str(REPO), "run", *given, f"VENV={tmp_path}"],
        env={k: v for k, v in os.environ.items() if k != "PORT"},
        capture_output=True, timeout=60, start_new_session=True,  # its `kill 0` ends its own group only
    )  # fmt: skip

    noted = [line.split(" ", 2) for line in seen.read_text().splitlines()]
    flask = {args.removeprefix("--app marketplace "): env for cmd, env, args in noted if cmd == "flask"}
    assert flask == {
        "db upgrade": f"PORT={port}",
        "seed-demo --if-empty": f"PORT={port}",
        "worker": f"PORT={port}",
        f"run --host 127.0.0.1 --port {port}": f"PORT={port}",
    }


def test_a_redirect_stays_on_the_host_and_port_the_request_came_to(app):
    response = app.test_client().get("/notifications", base_url="http://jiebang.lan:8123")
    assert response.status_code == 308
    assert response.headers["Location"] in ("/notifications/", "http://jiebang.lan:8123/notifications/")
