"""What an outcome panelist reads of the volunteering (志愿者与时长): shifts, sign-ups accepted, check-ins,
the students who took part and the hours confirmed — one aggregate query, however many there are."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from marketplace import clock
from marketplace.extensions import db
from marketplace.volunteers import attendance
from marketplace.volunteers.queries import VolunteerTotals, volunteer_totals
from tests.credits.helpers import CreditWorld


def test_volunteer_totals_count_people_once_and_only_confirmed_hours(app, count_queries):
    world = CreditWorld(volunteers=2)  # one shift, both checked in and out, 3.5 h each confirmed
    first = world.volunteers[0]
    later = world.shift(world.position(title="物资志愿者"), capacity=3, hours=2)
    absent = world.students(1)[0]
    for student in (first, absent):
        world.sign_up(student, later)
    clock.set(later.starts_at)
    attendance.check_in_or_out(first, later, {"code": attendance.checkin_code(later)})
    db.session.commit()
    clock.set(later.ends_at + timedelta(hours=1))  # over, its attendance not confirmed yet

    assert volunteer_totals(world.project) == VolunteerTotals(
        shifts=2,
        accepted=4,  # 2 on the first shift, 2 on the later one (the absent one included)
        attended=3,
        people=2,  # the first volunteer came twice
        confirmed_hours=Decimal("7.0"),  # the later shift's check-in counts no hours until confirmed
        unconfirmed_shifts=1,
    )
    assert count_queries(lambda: volunteer_totals(world.project)) == 1


def test_a_project_without_volunteering_has_zero_everywhere(app):
    world = CreditWorld(volunteers=1)
    other = world.open_project(title="没有志愿岗位的项目")
    assert volunteer_totals(other) == VolunteerTotals(0, 0, 0, 0, Decimal("0"), 0)
