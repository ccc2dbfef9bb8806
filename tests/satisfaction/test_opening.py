"""Opening a year's surveys: one action prepares a survey of every union with the standard dimensions,
which may change until the surveys open together; each invites the students its union serves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from marketplace import clock, settings
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.notify.models import Notification, OutboxMessage
from marketplace.orgs.models import OrgKind
from marketplace.satisfaction import operations as satisfaction
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import SubjectKind, Survey, SurveyStatus
from tests import factories
from tests.satisfaction.helpers import YearWorld


@pytest.fixture
def world(app):
    return YearWorld()


def test_one_action_prepares_a_survey_of_each_union_with_the_standard_dimensions(world):
    made = satisfaction.prepare_year(world.reviewer, world.year)
    db.session.commit()

    found = satisfaction.surveys_of_year(world.year)
    assert made == 4
    assert [s.union.name for s in found] == ["校学生会", "研究生会", "外国语学院学生会", "计算机学院学生会"]
    assert all(s.status == SurveyStatus.PREPARED for s in found)
    assert [d.label for d in found[0].dimensions] == [
        str(label) for label in satisfaction.STANDARD_DIMENSIONS
    ]
    assert 4 <= len(satisfaction.STANDARD_DIMENSIONS) <= 6


def test_preparing_again_adds_only_the_unions_still_without_a_survey(world):
    satisfaction.prepare_year(world.reviewer, world.year)
    factories.org(OrgKind.COLLEGE_UNION, name="新成立学院学生会")

    assert satisfaction.prepare_year(world.reviewer, world.year) == 1


def test_the_database_refuses_a_second_survey_of_a_union_for_the_same_year(world):
    satisfaction.prepare_year(world.reviewer, world.year)
    db.session.commit()

    with pytest.raises(IntegrityError):
        surveys.prepare(
            Survey(
                kind=SubjectKind.UNION_YEAR, union_id=world.school_union.id, academic_year_id=world.year.id
            ),
            ["服务同学"],
        )
    db.session.rollback()


def test_a_union_survey_must_name_its_union_and_year(world):
    with pytest.raises(IntegrityError):
        surveys.prepare(Survey(kind=SubjectKind.UNION_YEAR, union_id=world.school_union.id), ["服务同学"])
    db.session.rollback()


def test_only_the_league_reviewer_prepares_and_opens(world):
    student = world.all_undergraduates()[0]
    with pytest.raises(Forbidden):
        satisfaction.prepare_year(student, world.year)
    with pytest.raises(Forbidden):
        satisfaction.open_year(student, world.year, {"closes_on": clock.today_local() + timedelta(days=9)})


def test_the_dimensions_change_before_opening_and_not_after(world):
    satisfaction.prepare_year(world.reviewer, world.year)
    survey = satisfaction.surveys_of_year(world.year)[0]

    surveys.set_dimensions(world.reviewer, survey, {"dimensions": "服务同学\n维护权益\n活动质量\n作风与公开"})
    db.session.commit()
    assert [d.label for d in survey.dimensions] == ["服务同学", "维护权益", "活动质量", "作风与公开"]

    world.open()
    with pytest.raises(DomainError, match="不能再修改"):
        surveys.set_dimensions(world.reviewer, survey, {"dimensions": "服务同学"})


def test_the_audience_of_the_school_union_is_the_active_undergraduates(world):
    survey = world.open()[world.school_union.id]

    assert world.invited(survey) == {s.id for s in world.all_undergraduates()}


def test_the_audience_of_the_graduate_union_is_the_active_masters_and_doctoral_students(world):
    survey = world.open()[world.graduate_union.id]

    assert world.invited(survey) == {s.id for s in world.graduates}


def test_the_audience_of_a_college_union_is_its_colleges_active_students_of_every_degree(world):
    college = world.colleges[0]
    survey = world.open()[world.college_unions[0].id]

    expected = {s.id for s in world.all_undergraduates() + world.graduates if s.college_id == college.id}
    assert world.invited(survey) == expected
    assert world.left.id not in world.invited(survey)  # graduated: not active


def test_k_and_the_window_are_fixed_when_the_surveys_open(world):
    admin = factories.user(kind=factories.AccountKind.FACULTY, roles=("admin",))
    settings.put("survey_min_responses", 7, admin)
    surveys_by_union = world.open(days=10)
    settings.put("survey_min_responses", 9, admin)

    for survey in surveys_by_union.values():
        db.session.refresh(survey)
        assert survey.status == SurveyStatus.OPEN
        assert survey.min_responses == 7
        assert survey.closes_at > clock.now() + timedelta(days=10)


def test_a_window_shorter_than_three_days_is_refused_beside_the_date(world):
    satisfaction.prepare_year(world.reviewer, world.year)

    with pytest.raises(DomainError, match="至少要在 3 天之后") as refusal:
        satisfaction.open_year(
            world.reviewer, world.year, {"closes_on": clock.today_local() + timedelta(days=1)}
        )
    assert refusal.value.field == "closes_on"


def test_each_invited_student_is_told_in_the_app_once_per_survey_and_no_mail_is_queued(world):
    world.open()

    student = world.undergraduates[world.colleges[0].id, 2023][0]
    told = db.session.scalars(select(Notification).where(Notification.user_id == student.id)).all()
    assert sorted(n.title for n in told) == [
        "请评价：校学生会 2025-2026学年满意度评价",
        "请评价：计算机学院学生会 2025-2026学年满意度评价",
    ]
    assert all(n.kind == "survey.yearly_invited" and n.link.startswith("/surveys/") for n in told)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_reminder_tells_those_who_have_not_answered_in_the_app_only(world):
    survey = world.open()[world.graduate_union.id]
    world.answer_all(survey, world.graduates[:2])

    told = surveys.remind(survey)
    db.session.commit()

    reminded = set(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == "survey.reminder"))
    )
    assert told == 4 and reminded == {s.id for s in world.graduates[2:]}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
