"""Links in notifications: built with url_for in and out of requests, stored relative, mailed absolute.

pytest-flask runs each test inside a request; a periodic job or a command has none, so those steps run
here in a thread of their own, as the worker would run them."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import has_request_context
from sqlalchemy import select

from marketplace import create_app
from marketplace.extensions import db
from marketplace.notify import operations as notify
from marketplace.notify.models import Notification
from marketplace.projects.operations import send_deadline_reminders
from marketplace.urls import path_for
from tests.projects.helpers import World


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
