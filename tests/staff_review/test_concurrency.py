"""One rating per rater per staff member, whatever the requests racing: the survey engine's "has
answered" key is the rule, in the database. Real concurrent requests on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.staff_review import queries
from marketplace.surveys.models import SurveyAnswer, SurveyRating, SurveyRespondent
from tests.bids.helpers import signed_in
from tests.staff_review.helpers import StaffWorld, rating_form
from tests.surveys.test_concurrency import race


def stored() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (SurveyRespondent, SurveyAnswer, SurveyRating)
    )


@pytest.mark.postgres
@pytest.mark.commits
def test_one_rater_rating_a_staff_member_from_eight_tabs_at_once_leaves_exactly_one_rating(app, clock):
    world = StaffWorld(staff=2)
    review = world.open()
    target = world.reviewee(review, world.staff[1])
    survey = queries.survey_of(target)
    clients = [signed_in(app, world.undergraduate_a) for _ in range(8)]

    outcomes = race(clients, f"/staff-reviews/{review.id}/rate/{target.id}", rating_form(survey))

    codes = sorted(code for code, _ in outcomes)
    assert codes == [302] + [422] * 7, [page[:300] for code, page in outcomes if code not in (302, 422)]
    assert stored() == (1, 1, 4)


@pytest.mark.postgres
@pytest.mark.commits
def test_raters_rating_the_same_staff_member_at_the_same_moment_all_count(app, clock):
    world = StaffWorld(staff=2)
    review = world.open()
    target = world.reviewee(review, world.staff[1])
    survey = queries.survey_of(target)
    raters = [world.undergraduate_a, world.undergraduate_b, world.staff[0], *world.students(3)]

    outcomes = race(
        [signed_in(app, r) for r in raters],
        f"/staff-reviews/{review.id}/rate/{target.id}",
        rating_form(survey),
    )

    assert [code for code, _ in outcomes] == [302] * 6
    assert stored() == (6, 6, 24)
