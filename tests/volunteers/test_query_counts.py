"""The open-shifts list and the roster issue the same number of queries however many rows they show."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.volunteers.models import Admission
from tests import factories
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


def test_the_open_shifts_list_does_not_grow_its_queries_with_rows(app, world, count_queries):
    college = factories.college("数学学院")
    student = world.students(1, college=college)[0]
    client = signed_in(app, student)

    made = []

    def add(n: int):
        for _ in range(n):
            i = len(made)
            position = world.position(
                Admission.APPROVAL if i % 2 else Admission.FIRST_COME, required_college_id=college.id
            )
            made.append(world.shift(position, starts_in=timedelta(days=2, hours=3 * i)))
            world.sign_up(student, made[-1])

    add(2)
    few = count_queries(lambda: client.get("/volunteer"))
    add(12)
    many = count_queries(lambda: client.get("/volunteer"))
    assert client.get("/volunteer").get_data(as_text=True).count('data-testid="shift-') == 14
    assert many == few


def test_the_roster_does_not_grow_its_queries_with_rows(app, world, count_queries, clock):
    shift = world.shift(world.position(), capacity=30)
    host = signed_in(app, world.host)
    url = f"/hosting/shifts/{shift.id}/roster"

    def add(n: int):
        for student in world.students(n, college=factories.college()):
            world.sign_up(student, shift)

    add(2)
    few = count_queries(lambda: host.get(url))
    add(20)
    many = count_queries(lambda: host.get(url))
    assert many == few
