"""Who may rate a staff member's term (the students the union serves and its other staff, asked by
rule when the rating is given), never themselves, once each, anonymously — through the operation and
through the pages a rater uses."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import AccountStatus, User
from marketplace.audit import AuditEntry
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orgs.queries import served
from marketplace.satisfaction.operations import audience
from marketplace.staff_review import eligibility, queries
from marketplace.surveys.models import RaterGroup, SurveyAnswer, SurveyRespondent
from tests.bids.helpers import signed_in
from tests.staff_review.helpers import StaffWorld, rating_form


@pytest.fixture
def world(app, clock):
    return StaffWorld(staff=3)


def test_the_school_union_is_rated_by_its_undergraduates_and_staff(world):
    review = world.open(world.school_union)
    assert eligibility.rater_group(world.undergraduate_a, review) == RaterGroup.STUDENT
    assert eligibility.rater_group(world.undergraduate_b, review) == RaterGroup.STUDENT
    assert eligibility.rater_group(world.staff[1], review) == RaterGroup.STAFF
    for outsider in (world.master_a, world.doctoral_b, world.teacher, world.graduated, world.deactivated):
        assert eligibility.rater_group(outsider, review) is None


def test_the_graduate_union_is_rated_by_masters_and_doctoral_students(world):
    world.add_staff(world.graduate_union, 1)
    review = world.open(world.graduate_union)
    assert eligibility.rater_group(world.master_a, review) == RaterGroup.STUDENT
    assert eligibility.rater_group(world.doctoral_b, review) == RaterGroup.STUDENT
    assert eligibility.rater_group(world.undergraduate_a, review) is None


def test_a_college_union_is_rated_by_its_colleges_students_of_any_degree(world):
    world.add_staff(world.college_union, 1)
    review = world.open(world.college_union)
    assert eligibility.rater_group(world.undergraduate_a, review) == RaterGroup.STUDENT
    assert eligibility.rater_group(world.master_a, review) == RaterGroup.STUDENT
    assert eligibility.rater_group(world.undergraduate_b, review) is None
    assert eligibility.rater_group(world.doctoral_b, review) is None
    assert eligibility.rater_group(world.graduated, review) is None
    # Its audience: the three active students of college A (the manager of the school union among them)
    # and the college union's one staff member.
    assert review.audience_size == 4


def test_a_student_from_outside_the_scope_is_refused(world):
    review = world.open()
    with pytest.raises(DomainError, match="不在这次述职评议的评价范围内"):
        world.rate(review, world.master_a, world.staff[0])


def test_nobody_rates_themselves(world):
    review = world.open()
    with pytest.raises(DomainError, match="不能评价自己"):
        world.rate(review, world.staff[0], world.staff[0])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 0


def test_nobody_rates_themselves_through_the_page_either(app, world):
    review = world.open()
    own = world.reviewee(review, world.staff[0])
    client = signed_in(app, world.staff[0])
    listing = client.get(f"/staff-reviews/{review.id}/rate").get_data(as_text=True)
    assert f"/rate/{own.id}" not in listing
    survey = queries.survey_of(own)
    response = client.post(f"/staff-reviews/{review.id}/rate/{own.id}", data=rating_form(survey))
    assert response.status_code == 422
    assert "不能评价自己" in response.get_data(as_text=True)


def test_a_rater_rates_each_staff_member_once(world):
    review = world.open()
    world.rate(review, world.undergraduate_a, world.staff[0])
    world.rate(review, world.undergraduate_a, world.staff[1])
    with pytest.raises(DomainError, match="每人只能提交一次"):
        world.rate(review, world.undergraduate_a, world.staff[0])


def test_a_rating_keeps_the_raters_group_and_nothing_that_names_them(world):
    review = world.open()
    world.rate(review, world.undergraduate_a, world.staff[0])
    world.rate(review, world.staff[1], world.staff[0])
    answers = db.session.scalars(select(SurveyAnswer)).all()
    assert sorted(a.rater_group for a in answers) == [RaterGroup.STAFF, RaterGroup.STUDENT]
    assert {c.name for c in SurveyAnswer.__table__.columns} == {
        "id",
        "survey_id",
        "answered_on",
        "rater_group",
    }
    assert {c.name for c in SurveyRespondent.__table__.columns} == {"survey_id", "user_id"}
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.actor_id == world.undergraduate_a.id)
        )
        == 0
    )


def test_no_rating_after_the_window(world):
    review = world.open()
    world.close(review)
    with pytest.raises(DomainError, match="截止"):
        world.rate(review, world.undergraduate_a, world.staff[0])


def test_the_raters_page_lists_the_staff_still_to_rate_with_their_reports(app, world):
    review = world.open()
    world.reviewee(
        review, world.staff[1]
    ).report = "## 本学期工作\n组织了**迎新**活动。<script>alert(1)</script>"
    db.session.commit()
    world.rate(review, world.undergraduate_a, world.staff[0])
    client = signed_in(app, world.undergraduate_a)
    page = client.get(f"/staff-reviews/{review.id}/rate").get_data(as_text=True)
    assert world.staff[0].name not in page
    assert world.staff[1].name in page and world.staff[2].name in page
    assert "<strong>迎新</strong>" in page and "<script>alert(1)" not in page
    assert "你已评价 1 人" in page


def test_a_student_rates_through_the_form(app, world):
    review = world.open()
    target = world.reviewee(review, world.staff[2])
    client = signed_in(app, world.undergraduate_b)
    assert client.get(f"/staff-reviews/{review.id}/rate/{target.id}").status_code == 200
    survey = queries.survey_of(target)
    response = client.post(f"/staff-reviews/{review.id}/rate/{target.id}", data=rating_form(survey, 5))
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 1


def test_a_missing_star_is_named_beside_its_dimension_and_the_form_kept(app, world):
    review = world.open()
    target = world.reviewee(review, world.staff[2])
    survey = queries.survey_of(target)
    data = rating_form(survey)
    data[f"d{survey.dimensions[1].id}"] = "0"
    data["comment"] = "工作认真"
    response = signed_in(app, world.undergraduate_b).post(
        f"/staff-reviews/{review.id}/rate/{target.id}", data=data
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请为“服务同学”选择 1 到 5 颗星" in page and "工作认真" in page


def test_someone_outside_the_scope_cannot_open_the_rating_form(app, world):
    review = world.open()
    target = world.reviewee(review, world.staff[2])
    assert (
        signed_in(app, world.master_a).get(f"/staff-reviews/{review.id}/rate/{target.id}").status_code == 404
    )


@pytest.mark.parametrize("union", ["school_union", "graduate_union", "college_union"])
def test_a_unions_raters_and_its_yearly_surveys_audience_are_the_students_it_serves(world, union):
    """Whom a union serves is one rule (``orgs.queries.served``): the 述职评议's students are those of
    them with an active account, the yearly survey's those with a college and grade on record."""
    union_org = getattr(world, union)
    world.students(1, college=None)  # served by the school union, but the yearly tally needs a college
    everyone_served = set(db.session.scalars(select(User.id).where(served(union_org))))
    active = set(db.session.scalars(select(User.id).where(User.status == AccountStatus.ACTIVE)))
    on_record = set(db.session.scalars(select(User.id).where(User.college_id.is_not(None))))

    rating = set(db.session.scalars(select(User.id).where(eligibility.served(union_org))))
    assert rating == everyone_served & active
    assert set(db.session.scalars(audience(union_org))) == everyone_served & on_record
    assert world.undergraduate_a.id in everyone_served or union == "graduate_union"
    assert world.teacher.id not in everyone_served
