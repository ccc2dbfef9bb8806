"""Every page's budget: at most 12 statements and 100 loaded objects per request, the same however many
rows the database holds. Each page is measured with N and 3N rows of what grows under it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from marketplace import clock
from marketplace.extensions import db
from marketplace.volunteers.models import Training, TrainingAttendance
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import CreditWorld, add_records

STATEMENTS = 12
OBJECTS = 100
N = 3


@dataclass
class Page:
    client: object
    url: str
    grow: Callable[[int], None]


def _trainings(world, student, n: int, others: int) -> None:
    """``n`` trainings the student attended, each with ``others`` other attendees."""
    people = [factories.user() for _ in range(others)]
    for i in range(n):
        training = Training(
            project_id=world.project.id, title=f"第{i + 1}次培训", held_at=clock.now() - timedelta(days=i + 1)
        )
        training.attendees = [TrainingAttendance(user_id=u.id) for u in [student, *people]]
        db.session.add(training)
    db.session.commit()


def transcript(app) -> Page:
    world = CreditWorld(volunteers=2)
    student = world.volunteers[0]
    add_records(world, 2, user=student)
    _trainings(world, student, 2, 0)

    def grow(n):
        # Other people's records and more attendees at the trainings the student shares with them.
        add_records(world, n)
        for training in db.session.scalars(db.select(Training)).all():
            for _ in range(n):
                db.session.add(TrainingAttendance(training_id=training.id, user_id=factories.user().id))
        db.session.commit()

    return Page(signed_in(app, student), "/transcript", grow)


PAGES = {"transcript": transcript}


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_stays_within_its_budget_however_many_rows(app, name, count_queries, count_loaded):
    page = PAGES[name](app)

    def measure():
        statements = count_queries(lambda: _ok(page.client.get(page.url)))
        objects = count_loaded(lambda: _ok(page.client.get(page.url)))
        return statements, objects

    page.grow(N)
    few = measure()
    page.grow(2 * N)
    many = measure()
    assert many == few
    assert few[0] <= STATEMENTS and few[1] <= OBJECTS


def _ok(response):
    assert response.status_code == 200, response.status_code
