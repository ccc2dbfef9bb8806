"""成效评估 by its operations: the outcome panel is the review panel with a second purpose — criteria
from a template that the staff adapt until the panel starts, the project's recusal plus whoever
joined the host after the bidding deadline, independent and locked scores, and the exact score the
final score will read."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orgs.models import MemberRole
from marketplace.projects.models import CriterionPurpose, ProjectState
from marketplace.projects.recusal import deadline_day
from marketplace.review import operations as review
from marketplace.review import outcome
from marketplace.review.models import Score
from marketplace.review.outcome import OUTCOME_PANEL
from tests import factories
from tests.review.helpers import OutcomeWorld


@pytest.fixture
def world(app):
    return OutcomeWorld()


def criteria_data(*weights: int) -> dict:
    names = ["完成度", "服务同学实效", "预算执行", "覆盖面", "创新"][: len(weights)]
    return {
        "criteria": [{"name": n, "description": "", "weight": w} for n, w in zip(names, weights, strict=True)]
    }


def assign(world, evaluator):
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id}, OUTCOME_PANEL)
    db.session.commit()


# -- the criteria ---------------------------------------------------------------------------------------


def test_entering_evaluation_opens_the_outcome_panel_on_the_template_criteria(world):
    round_ = review.current_round(world.project, CriterionPurpose.OUTCOME)
    assert round_ is not None and round_.number == 1 and round_.seats == []
    assert [(c.name, c.weight) for c in world.criteria] == [
        ("完成度", 30),
        ("服务同学实效", 30),
        ("预算执行", 20),
        ("覆盖面", 20),
    ]
    assert [c.name for c in world.project.bid_criteria][0] == "方案可行性"  # the bid criteria stay


def test_outcome_criteria_whose_weights_do_not_sum_to_100_are_refused(world):
    with pytest.raises(DomainError, match="权重合计应为 100，现在是 90"):
        outcome.save_criteria(world.staff, world.project, criteria_data(50, 30, 10))
    db.session.rollback()

    outcome.save_criteria(world.staff, world.project, criteria_data(40, 30, 20, 5, 5))
    db.session.commit()
    assert [(c.name, c.weight) for c in world.criteria][-1] == ("创新", 5)
    assert len(world.project.bid_criteria) == 4  # editing the outcome criteria leaves the bid criteria


def test_outcome_criteria_may_change_while_panelists_are_only_invited(world):
    assign(world, world.evaluators[0])
    outcome.save_criteria(world.staff, world.project, criteria_data(25, 25, 25, 25))
    db.session.commit()
    assert {c.weight for c in world.criteria} == {25}


def test_outcome_criteria_are_locked_once_a_panelist_has_declared(world):
    world.seat(world.evaluators[:1])
    with pytest.raises(DomainError, match="评估标准不能再修改"):
        outcome.save_criteria(world.staff, world.project, criteria_data(25, 25, 25, 25))
    db.session.rollback()
    assert [c.weight for c in world.criteria] == [30, 30, 20, 20]


def test_only_the_posting_unions_staff_edit_the_outcome_criteria(world):
    with pytest.raises(Forbidden):
        outcome.save_criteria(factories.staff_member(), world.project, criteria_data(25, 25, 25, 25))


# -- recusal -------------------------------------------------------------------------------------------


def test_a_member_of_a_bidding_org_at_the_deadline_is_recused_from_the_outcome_panel(world):
    insider = factories.user(name="互助社社员", roles=("evaluator",))
    factories.membership(insider, world.club_b, MemberRole.MEMBER)  # a losing bidder
    with pytest.raises(DomainError, match="互助社社员 与本项目的竞标方或承办方有关，须回避成效评估。"):
        assign(world, insider)
    assert insider not in review.eligible_panelists(world.project, OUTCOME_PANEL)


def test_a_student_who_joined_the_host_after_the_bidding_deadline_is_recused_from_the_outcome_panel(world):
    late = factories.user(name="新入社的评议人", roles=("evaluator",))
    factories.membership(late, world.club_a, starts_on=deadline_day(world.project) + timedelta(days=1))
    with pytest.raises(DomainError, match="须回避成效评估"):
        assign(world, late)
    assert late not in review.eligible_panelists(world.project, OUTCOME_PANEL)
    # Joining after the deadline does not recuse anyone from the bids: the rule is the outcome panel's.
    assert late in review.eligible_panelists(world.project)


def test_a_former_member_of_the_host_who_left_before_the_deadline_may_sit(world):
    former = factories.user(name="老社员", roles=("evaluator",))
    day = deadline_day(world.project)
    factories.membership(
        former, world.club_a, starts_on=day - timedelta(days=400), ends_on=day - timedelta(days=1)
    )
    assert former in review.eligible_panelists(world.project, OUTCOME_PANEL)
    assign(world, former)
    assert review.is_seated(former, world.project, CriterionPurpose.OUTCOME)


def test_a_panelist_who_joins_the_host_after_declaring_can_no_longer_score(world):
    evaluator = world.evaluators[0]
    world.seat([evaluator])
    factories.membership(evaluator, world.club_a, starts_on=deadline_day(world.project) + timedelta(days=20))
    with pytest.raises(DomainError, match="须回避成效评估"):
        world.score(evaluator, 80)


def test_staff_who_joined_the_host_late_cannot_form_the_outcome_panel(world):
    factories.membership(world.staff, world.club_a, starts_on=deadline_day(world.project) + timedelta(days=3))
    with pytest.raises(Forbidden):
        assign(world, world.evaluators[0])


# -- independence and locking (as in tests/review/test_review_rules.py) -----------------------------------


def test_an_outcome_panelist_sees_no_other_scores_before_submitting_and_cannot_change_after(world):
    world.seat()
    first, second = world.evaluators[:2]
    world.score(first, 80, submit=True)
    round_ = review.current_round(world.project, CriterionPurpose.OUTCOME)
    assert review.can_see_others_scores(first, round_)
    assert not review.can_see_others_scores(second, round_)
    assert not review.can_see_others_scores(world.staff, round_)  # not until everyone has submitted
    with pytest.raises(DomainError, match="已提交"):
        world.score(first, 10)


def test_outcome_scoring_needs_a_declaration_first(world):
    evaluator = world.evaluators[0]
    assign(world, evaluator)
    with pytest.raises(DomainError, match="请先声明与承办方无利益冲突"):
        world.score(evaluator, 80)


def test_submitting_outcome_scores_needs_every_criterion(world):
    evaluator = world.evaluators[0]
    world.seat([evaluator])
    first = world.criteria[0]
    review.save_scores(evaluator, world.project, None, {first.id: (80, "")}, OUTCOME_PANEL)
    db.session.commit()
    with pytest.raises(DomainError, match="还有 3 项未评分"):
        review.submit_scores(evaluator, world.project, OUTCOME_PANEL)


def test_outcome_scores_are_refused_after_the_evaluation_window(world, clock):
    evaluator = world.evaluators[0]
    world.seat([evaluator])
    clock.set(world.project.evaluation_ends_at)
    with pytest.raises(DomainError, match="已结项"):
        world.score(evaluator, 80)
    db.session.rollback()
    db.session.refresh(world.project)
    assert world.project.state == ProjectState.EVALUATING  # the refusal rolled back its catching up


def test_saving_again_before_submitting_replaces_the_outcome_scores(world):
    evaluator = world.evaluators[0]
    world.seat([evaluator])
    world.score(evaluator, 70)
    world.score(evaluator, [90, 80, 70, 60])
    values = db.session.scalars(select(Score.value).where(Score.bid_id.is_(None)).order_by(Score.id)).all()
    assert values == [90, 80, 70, 60]


@pytest.mark.postgres
def test_a_second_outcome_score_for_the_same_seat_and_criterion_is_refused_by_the_database(world):
    evaluator = world.evaluators[0]
    world.seat([evaluator])
    seat = review.seat_of(review.current_round(world.project, CriterionPurpose.OUTCOME), evaluator)
    criterion = world.criteria[0]
    db.session.add(Score(seat_id=seat.id, bid_id=None, criterion_id=criterion.id, value=80))
    db.session.flush()
    db.session.add(Score(seat_id=seat.id, bid_id=None, criterion_id=criterion.id, value=60))
    with pytest.raises(IntegrityError, match="uq_score_outcome"):
        db.session.flush()


# -- what the final score reads -----------------------------------------------------------------------------


def test_panel_score_is_none_until_someone_submits(world):
    assert outcome.panel_score(world.project) is None
    world.seat()
    world.score(world.evaluators[0], 90)  # saved, not submitted
    assert outcome.panel_score(world.project) is None


def test_panel_score_is_the_exact_mean_of_the_submitted_weighted_totals(world):
    world.seat()
    # weights 30/30/20/20; totals by hand: 80, 70.5 (21+22.5+13+14), 91.1 (28.5+27+18+17.6)
    world.score(world.evaluators[0], [80, 80, 80, 80], submit=True)
    world.score(world.evaluators[1], [70, 75, 65, 70], submit=True)
    world.score(world.evaluators[2], [95, 90, 90, 88], submit=True)
    assert outcome.panel_score(world.project) == (Fraction(80) + Fraction(141, 2) + Fraction(911, 10)) / 3
    assert outcome.panel_score(world.project) == Fraction(4832, 60)  # 80.5333…, not a float


def test_panel_score_counts_only_submitted_panelists(world):
    world.seat()
    world.score(world.evaluators[0], 90, submit=True)
    world.score(world.evaluators[1], 60)  # still scoring
    assert outcome.panel_score(world.project) == Fraction(90)


def test_panel_score_of_five_panelists_drops_the_highest_and_the_lowest(app):
    world = OutcomeWorld(panelists=5)
    world.seat()
    for evaluator, value in zip(world.evaluators, (60, 70, 75, 80, 99), strict=True):
        world.score(evaluator, value, submit=True)
    assert outcome.panel_score(world.project) == Fraction(70 + 75 + 80, 3)


def test_panel_score_of_four_panelists_drops_nothing(app):
    world = OutcomeWorld(panelists=4)
    world.seat()
    for evaluator, value in zip(world.evaluators, (60, 70, 75, 99), strict=True):
        world.score(evaluator, value, submit=True)
    assert outcome.panel_score(world.project) == Fraction(60 + 70 + 75 + 99, 4)


def test_panel_submitted_needs_a_panelist_and_every_panelist_submitted(world):
    assert not outcome.panel_submitted(world.project)  # no panelist yet
    world.seat(world.evaluators[:2])
    world.score(world.evaluators[0], 80, submit=True)
    assert not outcome.panel_submitted(world.project)
    world.score(world.evaluators[1], 70, submit=True)
    assert outcome.panel_submitted(world.project)


def test_a_project_without_an_outcome_panel_has_no_panel_score(app):
    world = OutcomeWorld()
    other = world.open_project(title="另一个项目")
    assert outcome.panel_score(other) is None and not outcome.panel_submitted(other)
