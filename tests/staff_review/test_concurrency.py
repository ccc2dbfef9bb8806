"""One rating per rater per staff member, whatever the requests racing: the survey engine's "has
answered" key is the rule, in the database. One review per union and term, and one 提醒谈话 per staff
member, likewise: the racing request is refused with a message, never a 500. Real concurrent requests
on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.staff_review import queries
from marketplace.staff_review.models import ReminderTalk, StaffGrade, StaffReview, StaffReviewee
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


@pytest.mark.postgres
@pytest.mark.commits
def test_two_reviewers_opening_the_same_review_at_once_open_it_once_and_the_other_is_told(app, clock):
    world = StaffWorld(staff=3)
    form = {"union": world.school_union.id, "term": world.term.id, "closes_at": "2026-03-16T18:00"}

    outcomes = race([signed_in(app, world.reviewer) for _ in range(4)], "/staff-reviews/new", form)

    codes = sorted(code for code, _ in outcomes)
    assert codes == [302] + [422] * 3, [page[:300] for code, page in outcomes if code not in (302, 422)]
    assert all("已经发起过了" in page for code, page in outcomes if code == 422)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(StaffReview)) == 1
    assert db.session.scalar(select(func.count()).select_from(StaffReviewee)) == 3


@pytest.mark.postgres
@pytest.mark.commits
def test_grading_a_staff_member_incompetent_twice_at_once_plans_one_talk(app, clock):
    world = StaffWorld(staff=2)
    review = world.open()
    target = world.reviewee(review, world.staff[1])
    world.close(review)
    form = {"grade": "incompetent", "notes": "多次缺席例会", "talk_due_on": "2026-03-20"}

    outcomes = race(
        [signed_in(app, world.reviewer) for _ in range(6)],
        f"/staff-reviews/{review.id}/results/{target.id}",
        form,
    )

    codes = [code for code, _ in outcomes]
    assert set(codes) <= {302, 422} and 302 in codes, [p[:300] for c, p in outcomes if c not in (302, 422)]
    db.session.expire_all()
    talks = db.session.scalars(select(ReminderTalk)).all()
    assert [(t.reviewee_id, t.due_on.isoformat()) for t in talks] == [(target.id, "2026-03-20")]
    assert db.session.get(StaffReviewee, target.id).grade == StaffGrade.INCOMPETENT
