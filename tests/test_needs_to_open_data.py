"""需求征集's promise, end to end: a need students post and support becomes a project, and when that
project closes anyone can follow the need to the project's final score — on the public pages and in the
open data — while its supporters hear of each step."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import jsonschema
from sqlalchemy import select

from marketplace import clock
from marketplace.evaluation.models import FinalScore
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.hosting import participants
from marketplace.needs.models import Need, NeedStatus
from marketplace.notify.models import Notification
from marketplace.projects import lifecycle
from marketplace.projects import operations as project_ops
from marketplace.projects.models import Project, ProjectState
from marketplace.review import operations as review
from marketplace.review.outcome import OUTCOME_PANEL
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import Survey
from marketplace.timeutil import SCHOOL_TZ
from tests import factories
from tests.bids.helpers import signed_in
from tests.needs.helpers import need_form
from tests.needs.test_projects import posting_form
from tests.projects.helpers import World
from tests.review.helpers import REPORT, score_and_submit, seat
from tests.surveys.helpers import answer_data


def _at(day, hour: int = 10) -> datetime:
    """``hour`` o'clock in the school's time zone on ``day``, in UTC as the clock keeps it."""
    return datetime.combine(day, time(hour), SCHOOL_TZ).astimezone(UTC)


def _catch_up(at: datetime) -> None:
    clock.set(at)
    lifecycle.run_due_transitions()
    db.session.commit()


def _notified(user, kind: str) -> list[str]:
    return db.session.scalars(
        select(Notification.body).where(Notification.user_id == user.id, Notification.kind == kind)
    ).all()


def test_a_supported_need_leads_anyone_to_its_projects_final_score_and_its_supporters_hear_each_step(
    app, clock
):
    world = World()
    author, *supporters = (factories.user(name=name) for name in ("刘同学", "陈同学", "吴同学"))
    evaluators = [factories.user(name=f"评议人{i}", roles=("evaluator",)) for i in range(3)]

    # A student posts the need; two others support it — through the pages.
    posted = signed_in(app, author).post("/needs/new", data=need_form(title="期末周图书馆座位太少"))
    assert posted.status_code == 302
    need = db.session.scalars(select(Need)).one()
    for supporter in supporters:
        assert signed_in(app, supporter).post(f"/needs/{need.id}/support").status_code == 302

    # The staff accept it by posting a project from it: the 发榜 form starts from the need.
    staff = signed_in(app, world.staff)
    assert 'value="期末周图书馆座位太少"' in staff.get(f"/needs/{need.id}/project").get_data(as_text=True)
    form = posting_form(title="图书馆延时开放试点", union_id=str(world.union.id))
    assert staff.post(f"/needs/{need.id}/project", data=form).status_code == 302
    project = db.session.scalars(select(Project)).one()
    assert db.session.get(Need, need.id).status == NeedStatus.ACCEPTED
    project_ops.publish(world.staff, project)
    db.session.commit()

    # 竞标 → 评标 → 定标 → 公示 → 承办.
    bid_a = world.bid(project, world.manager_a, world.club_a, requested_budget=Decimal("2800"))
    bid_b = world.bid(project, world.manager_b, world.club_b, requested_budget=Decimal("2900"))
    _catch_up(project.bid_deadline + timedelta(minutes=1))
    seat(world.staff, project, evaluators)
    score_and_submit(project, evaluators, [bid_a, bid_b])
    notice = review.award(world.staff, project, {"bid": bid_a.public_id})
    db.session.commit()
    _catch_up(max(notice.window_ends_at, _at(project.hosting_starts_on)) + timedelta(minutes=1))
    assert project.state == ProjectState.HOSTING and project.host_org_id == world.club_a.id

    # Students take part on an event day, then the host reports completion: 评价中, the survey opens.
    day = participants.open_today(world.manager_a, project)
    db.session.commit()
    attendees = [factories.user() for _ in range(5)]
    for student in attendees:
        participants.check_in(student, day, {"code": participants.checkin_code(day)})
        db.session.commit()
    hosting.submit_completion(world.manager_a, project, REPORT)
    db.session.commit()
    assert project.state == ProjectState.EVALUATING

    # The outcome panel scores and the participants answer the survey.
    for evaluator in evaluators:
        review.assign_panelist(world.staff, project, {"user": evaluator.id}, OUTCOME_PANEL)
        db.session.commit()
        review.declare_no_conflict(evaluator, project, OUTCOME_PANEL)
        marks = {c.id: (85, "") for c in project.outcome_criteria}
        review.save_scores(evaluator, project, None, marks, OUTCOME_PANEL)
        review.submit_scores(evaluator, project, OUTCOME_PANEL)
        db.session.commit()
    survey = db.session.scalars(select(Survey).where(Survey.project_id == project.id)).one()
    for student in attendees:
        surveys.answer(student, survey, answer_data(survey))
        db.session.commit()

    # The evaluation window ends: the project closes with its final score.
    _catch_up(project.evaluation_ends_at + timedelta(minutes=1))
    assert project.state == ProjectState.CLOSED
    final = db.session.scalars(select(FinalScore).where(FinalScore.project_id == project.id)).one()
    assert final.score is not None and final.responses == 5
    score = str(final.score)

    # An anonymous visitor: from the need's page to the project's, which shows the final score.
    visitor = signed_in(app, None)
    need_page = visitor.get(f"/needs/{need.id}").get_data(as_text=True)
    assert f'href="/projects/{project.id}"' in need_page
    project_page = visitor.get(f"/projects/{project.id}").get_data(as_text=True)
    shown = re.search(r'data-testid="final-score">([^<]+)<', project_page)
    assert shown is not None and shown.group(1) == score
    assert author.name not in need_page + project_page

    # …and in the open data, valid against the published schema.
    schema = visitor.get("/open-data/schema.json").get_json()
    document = visitor.get(f"/open-data/projects/{project.id}.json").get_json()
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(document)] == []
    published = document["contracts"][0]["implementation"]["finalScore"]
    assert published["status"] == "scored" and Decimal(str(published["score"])) == final.score

    # Each supporter heard the answer, the project's posting and its close with the score.
    for supporter in supporters:
        assert len(_notified(supporter, "need.answered")) == 1
        assert len(_notified(supporter, "need.project_posted")) == 1
        (closed,) = _notified(supporter, "need.project_closed")
        assert score in closed
