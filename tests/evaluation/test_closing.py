"""The close (结项) with everything wired: the outcome panel's score and the survey's results become
the final score; the staff may close before the window ends only once nothing is left to come in;
the panel reads the students' comments and everyone sees the results chart."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.errors import DomainError
from marketplace.evaluation.models import FinalOutcome, FinalScore
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.projects import lifecycle
from marketplace.projects.models import ProjectState
from marketplace.review import operations as review
from marketplace.review.outcome import OUTCOME_PANEL
from marketplace.surveys import operations as surveys
from marketplace.surveys.rules import may_read_comments
from tests import factories
from tests.bids.helpers import signed_in
from tests.surveys.helpers import REPORT, SurveyWorld
from tests.volunteers.helpers import HostingWorld


class Evaluated(SurveyWorld):
    """SurveyWorld in 评价中: three volunteers and three more participants invited (six in all), and
    three evaluators on the outcome panel, declared."""

    def __init__(self):
        super().__init__(volunteers=3, participants=3)
        self.evaluate()
        self.evaluators = [factories.user(roles=("evaluator",)) for _ in range(3)]
        for evaluator in self.evaluators:
            review.assign_panelist(self.staff, self.project, {"user": evaluator.id}, OUTCOME_PANEL)
            review.declare_no_conflict(evaluator, self.project, OUTCOME_PANEL)
        db.session.commit()

    def panel_scores(self, *totals: int) -> None:
        """Each evaluator gives every criterion the same mark, and submits."""
        for evaluator, mark in zip(self.evaluators, totals, strict=True):
            marks = {c.id: (mark, "") for c in self.project.outcome_criteria}
            review.save_scores(evaluator, self.project, None, marks, OUTCOME_PANEL)
            review.submit_scores(evaluator, self.project, OUTCOME_PANEL)
        db.session.commit()

    def invitees(self):
        return [db.session.get(User, user_id) for user_id in sorted(self.invited())]

    def final(self) -> FinalScore | None:
        return db.session.scalar(select(FinalScore).where(FinalScore.project_id == self.project.id))


@pytest.fixture
def world(app):
    return Evaluated()


def test_the_final_score_combines_the_panel_and_the_survey_at_the_windows_end(world, clock):
    world.panel_scores(70, 80, 90)  # the panel: 80
    world.answer_all(world.invitees()[:5], stars=(4, 5, 3, 5))  # 4.25 stars on average: 81.25

    clock.set(world.project.evaluation_ends_at)
    lifecycle.catch_up(world.project)
    db.session.commit()

    final = world.final()
    assert world.project.state == ProjectState.CLOSED
    # 80 × 0.5 + 81.25 × 0.5 = 80.625, half up
    assert (final.outcome, final.score) == (FinalOutcome.SCORED, Decimal("80.63"))
    assert (final.panel_score, final.satisfaction_score, final.responses) == (
        Decimal("80.0000"),
        Decimal("81.2500"),
        5,
    )


def test_with_fewer_answers_than_k_the_panel_alone_scores_and_the_answers_are_still_counted(world, clock):
    world.panel_scores(60, 70, 80)
    world.answer_all(world.invitees()[:4], stars=(1, 1, 1, 1))

    clock.set(world.project.evaluation_ends_at)
    lifecycle.catch_up(world.project)
    db.session.commit()

    final = world.final()
    assert (final.score, final.satisfaction_score, final.responses) == (Decimal("70.00"), None, 4)


def test_staff_cannot_close_early_before_the_panel_has_submitted(world):
    world.answer_all(world.invitees())
    with pytest.raises(DomainError, match="成效评估小组还没有全部提交评分"):
        lifecycle.apply(world.project, "close", world.staff)


def test_staff_cannot_close_early_while_an_invited_student_has_not_answered(world):
    world.panel_scores(70, 80, 90)
    world.answer_all(world.invitees()[:5])
    with pytest.raises(DomainError, match="还有受邀同学没有填写满意度问卷"):
        lifecycle.apply(world.project, "close", world.staff)


def test_staff_close_early_from_the_outcome_page_once_nothing_is_left_to_come_in(app, world):
    world.panel_scores(70, 80, 90)
    staff = signed_in(app, world.staff)
    page = f"/review/projects/{world.project.id}/outcome"
    assert "还有受邀同学没有填写满意度问卷" in staff.get(page).get_data(as_text=True)
    refused = staff.post(f"/projects/{world.project.id}/close", follow_redirects=True)
    assert "还有受邀同学没有填写满意度问卷" in refused.get_data(as_text=True)

    world.answer_all(world.invitees())
    assert 'data-testid="close-early"' in staff.get(page).get_data(as_text=True)
    response = staff.post(f"/projects/{world.project.id}/close")

    assert response.status_code == 302
    db.session.refresh(world.project)
    assert world.project.state == ProjectState.CLOSED and world.final().score is not None


def test_only_the_posting_unions_staff_close_a_project(app, world):
    world.panel_scores(70, 80, 90)
    world.answer_all(world.invitees())
    for user in (world.host, world.evaluators[0], world.volunteers[0]):
        assert signed_in(app, user).post(f"/projects/{world.project.id}/close").status_code == 403
    db.session.refresh(world.project)
    assert world.project.state == ProjectState.EVALUATING


def test_the_outcome_panel_reads_the_students_comments(app, world, clock):
    world.answer_all(world.invitees()[:5], comment="签到排队太久了")
    outsider = factories.user(roles=("evaluator",))
    assert may_read_comments(world.evaluators[0], world.project)
    assert not may_read_comments(outsider, world.project)

    clock.set(world.project.evaluation_ends_at + timedelta(seconds=1))
    results = f"/surveys/{world.survey.id}/results"
    assert "签到排队太久了" in signed_in(app, world.evaluators[0]).get(results).get_data(as_text=True)
    assert "签到排队太久了" not in signed_in(app, outsider).get(results).get_data(as_text=True)


def test_after_the_window_anyone_sees_the_results_chart_with_its_table(client, world, clock):
    world.answer_all(world.invitees()[:5])
    results = f"/surveys/{world.survey.id}/results"
    assert 'data-chart="satisfaction-chart-spec"' not in client.get(results).get_data(as_text=True)

    clock.set(world.project.evaluation_ends_at + timedelta(seconds=1))
    page = client.get(results).get_data(as_text=True)

    assert 'data-chart="satisfaction-chart-spec"' in page and "echarts.min.js" in page
    assert 'data-testid="survey-results"' in page


def test_the_panelist_sees_how_the_survey_stands_beside_the_evidence(app, world):
    world.answer_all(world.invitees()[:2])
    page = signed_in(app, world.evaluators[0]).get(f"/review/projects/{world.project.id}/outcome/score")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="satisfaction"' in html
    assert "已有 2 人作答（邀请 6 人）" in html


def test_a_project_nobody_took_part_in_is_evaluated_by_the_panel_alone_and_the_page_says_so(client, app):
    world = HostingWorld()  # no shift, no participants' day
    surveys.prepare_for_project(world.project)
    hosting.submit_completion(world.host, world.project, REPORT)
    db.session.commit()

    page = client.get(f"/projects/{world.project.id}").get_data(as_text=True)

    assert "这次评价只看成效评估小组的评分" in page
