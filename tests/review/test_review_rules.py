from datetime import timedelta
from fractions import Fraction

import pytest
from werkzeug.exceptions import Forbidden

from marketplace import draw
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orgs.models import MemberRole
from marketplace.projects import lifecycle
from marketplace.projects.models import ProjectState
from marketplace.review import operations as review
from marketplace.review import scoring
from marketplace.review.models import NoticeStatus
from tests import factories
from tests.review.helpers import ReviewWorld, awarded, tied


def test_aggregate_of_three_is_the_plain_mean_of_weighted_totals():
    # weights 30/30/20/20; panelist totals by hand: 80, 70.5, 91.25
    weights = {1: 30, 2: 30, 3: 20, 4: 20}
    totals = [
        scoring.weighted_total({1: 80, 2: 80, 3: 80, 4: 80}, weights),
        scoring.weighted_total({1: 70, 2: 75, 3: 65, 4: 70}, weights),  # 21+22.5+13+14 = 70.5
        scoring.weighted_total({1: 95, 2: 90, 3: 90, 4: 88}, weights),  # 28.5+27+18+17.6 = 91.1
    ]
    assert totals == [Fraction(80), Fraction(141, 2), Fraction(911, 10)]
    assert scoring.aggregate(totals) == (Fraction(80) + Fraction(141, 2) + Fraction(911, 10)) / 3
    assert scoring.shown(scoring.aggregate(totals)) == "80.53"


def test_aggregate_of_five_or_more_drops_one_highest_and_one_lowest():
    totals = [Fraction(v) for v in (60, 70, 75, 80, 99)]
    assert scoring.aggregate(totals) == Fraction(70 + 75 + 80, 3)
    six = [Fraction(v) for v in (10, 70, 70, 80, 90, 100)]
    assert scoring.aggregate(six) == Fraction(70 + 70 + 80 + 90, 4)


def test_bidding_close_opens_the_first_round(app):
    world = ReviewWorld()
    lifecycle.run_due_transitions()
    round_ = review.current_round(world.project)
    assert round_ is not None and round_.number == 1


def test_a_panelist_sees_no_other_scores_before_submitting_and_cannot_change_after(app):
    world = ReviewWorld()
    world.seat_everyone()
    first, second = world.evaluators[:2]
    world.score(first, world.bid_a, 80)
    world.score(first, world.bid_b, 70, submit=True)
    round_ = review.current_round(world.project)
    assert review.can_see_others_scores(first, round_)
    assert not review.can_see_others_scores(second, round_)
    assert not review.can_see_others_scores(world.staff, round_)  # not until everyone has submitted
    with pytest.raises(DomainError, match="已提交"):
        world.score(first, world.bid_a, 10)


def test_scoring_needs_a_declaration_first(app):
    world = ReviewWorld()
    evaluator = world.evaluators[0]
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id})
    db.session.commit()
    with pytest.raises(DomainError, match="利益冲突"):
        world.score(evaluator, world.bid_a, 80)


def test_a_member_of_a_bidding_org_cannot_join_the_panel(app):
    world = ReviewWorld()
    insider = factories.user(name="社员评议人", roles=("evaluator",))
    factories.membership(insider, world.club_a, MemberRole.MEMBER)
    with pytest.raises(DomainError, match="回避"):
        review.assign_panelist(world.staff, world.project, {"user": insider.id})
    assert insider not in review.eligible_panelists(world.project)


def test_recused_staff_cannot_award_or_form_the_panel(app):
    world = ReviewWorld()
    factories.membership(world.staff, world.club_b, MemberRole.MEMBER)
    with pytest.raises(Forbidden):
        review.assign_panelist(world.staff, world.project, {"user": world.evaluators[0].id})


def test_award_waits_for_a_complete_panel_of_three(app):
    world = ReviewWorld()
    world.seat_everyone()
    world.score(world.evaluators[0], world.bid_a, 80)
    world.score(world.evaluators[0], world.bid_b, 70, submit=True)
    with pytest.raises(DomainError, match="评审尚未完成"):
        review.award(world.staff, world.project, {"bid": world.bid_a.public_id})


def test_award_to_a_bid_that_is_not_top_needs_a_justification(app):
    world = ReviewWorld()
    world.seat_everyone()
    world.score_all({world.bid_a: [90, 85, 88], world.bid_b: [70, 75, 72]})
    with pytest.raises(DomainError, match="理由"):
        review.award(world.staff, world.project, {"bid": world.bid_b.public_id})
    notice = review.award(
        world.staff,
        world.project,
        {"bid": world.bid_b.public_id, "justification": "第一名预算明细缺失，经评议会复核改授第二名"},
    )
    db.session.commit()
    assert world.project.state == ProjectState.AWARD_NOTICE
    assert [e["public_id"] for e in notice.ranking] == [world.bid_a.public_id, world.bid_b.public_id]


def test_equal_scores_and_budgets_are_broken_by_the_published_seed(app):
    world = ReviewWorld()
    world.bid_b.requested_budget = world.bid_a.requested_budget
    db.session.commit()
    world.seat_everyone()
    # scored in opposite orders by different panelists: the order of scoring must not matter
    world.score_all({world.bid_b: [80, 80, 80], world.bid_a: [80, 80, 80]})
    lifecycle.run_due_transitions()
    db.session.refresh(world.project)
    seed = world.project.tiebreak_seed
    assert seed == draw.seed_for(world.project.id, [world.bid_a.public_id, world.bid_b.public_id])
    ranked = scoring.rank(review.current_round(world.project), world.project)
    assert ranked[0].score == ranked[1].score
    replay = draw.draw_order(seed, [world.bid_a.public_id, world.bid_b.public_id])
    assert [r.bid.public_id for r in ranked] == replay


def test_lower_budget_wins_a_tie_before_the_draw(app):
    world = ReviewWorld()
    world.seat_everyone()
    world.score_all({world.bid_a: [80, 80, 80], world.bid_b: [80, 80, 80]})
    ranked = scoring.rank(review.current_round(world.project), world.project)
    assert ranked[0].bid.id == world.bid_a.id  # 4000 < 4500


def _awarded():
    return awarded(ReviewWorld())


def test_an_upheld_objection_opens_round_two_and_keeps_round_one(app, clock):
    world = _awarded()
    student = factories.user(name="提异议的同学")
    objection = review.object_to(student, world.project, {"reason": "评分标准执行不一致"})
    db.session.commit()
    review.rule_on(
        world.reviewer, objection, {"uphold": True, "ruling": "评分记录显示一位评议人漏评，重新评审"}
    )
    db.session.commit()
    assert world.project.state == ProjectState.REVIEWING
    rounds = review.rounds_of(world.project)
    assert [r.number for r in rounds] == [1, 2]
    assert rounds[0].superseded_at is not None and len(rounds[0].seats) == 3
    assert rounds[1].seats == []
    assert review.notices_of(world.project)[0].status == NoticeStatus.SUPERSEDED


def test_one_objection_per_student_per_notice(app):
    world = _awarded()
    student = factories.user()
    review.object_to(student, world.project, {"reason": "理由一"})
    db.session.commit()
    with pytest.raises(DomainError, match="已对本次公示提出过异议"):
        review.object_to(student, world.project, {"reason": "理由二"})


def test_a_dismissed_objection_lets_the_window_close_into_hosting_by_tick(app, clock):
    world = _awarded()
    objection = review.object_to(factories.user(), world.project, {"reason": "有疑问"})
    db.session.commit()
    notice = review.active_notice(world.project)
    clock.set(notice.window_ends_at + timedelta(seconds=1))
    assert lifecycle.effective_state(world.project) == ProjectState.AWARD_NOTICE  # an objection is pending
    review.rule_on(world.reviewer, objection, {"uphold": False, "ruling": "评分程序合规，异议不成立"})
    db.session.commit()
    assert lifecycle.effective_state(world.project) == ProjectState.HOSTING
    assert lifecycle.run_due_transitions() == 1
    db.session.refresh(world.project)
    assert world.project.state == ProjectState.HOSTING and world.project.host_org_id == world.club_a.id
    assert review.notices_of(world.project)[0].status == NoticeStatus.FINAL


def test_a_request_after_the_window_persists_hosting_without_tick(app, clock):
    world = _awarded()
    clock.set(review.active_notice(world.project).window_ends_at)
    lifecycle.lock(world.project)
    assert lifecycle.catch_up(world.project) == 1
    assert world.project.state == ProjectState.HOSTING


def test_a_declining_winner_passes_the_award_to_the_next_then_the_project_fails(app):
    world = _awarded()
    review.decline(world.manager_a, world.project, {"reason": "主要成员临时有实习安排"})
    db.session.commit()
    notice = review.pass_award(world.staff, world.project, {"reason": "按排名顺延"})
    db.session.commit()
    assert notice.bid_id == world.bid_b.id and notice.number == 2
    review.decline(world.manager_b, world.project, {"reason": "无法承办"})
    db.session.commit()
    assert review.pass_award(world.staff, world.project, {"reason": "无人可顺延"}) is None
    db.session.commit()
    assert world.project.state == ProjectState.FAILED


def test_panelists_see_bids_only_after_declaring(app):
    from marketplace import permissions

    world = ReviewWorld()
    lifecycle.run_due_transitions()
    evaluator = world.evaluators[0]
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id})
    db.session.commit()
    assert not permissions.can(evaluator, "bid.view", world.bid_a)
    review.declare_no_conflict(evaluator, world.project)
    db.session.commit()
    assert permissions.can(evaluator, "bid.view", world.bid_a)


def test_cancelling_during_the_notice_withdraws_it(app):
    world = _awarded()
    lifecycle.apply(world.project, "cancel", world.staff, reason="学校临时调整活动安排")
    db.session.commit()
    assert world.project.state == ProjectState.CANCELLED
    assert review.active_notice(world.project) is None
    assert review.notices_of(world.project)[0].status == NoticeStatus.SUPERSEDED


def test_the_winner_hosts_as_soon_as_the_window_ends_without_waiting_for_tick(app, clock):
    from marketplace import permissions
    from marketplace.volunteers import positions
    from marketplace.volunteers.models import Position

    world = _awarded()
    clock.set(review.active_notice(world.project).window_ends_at + timedelta(seconds=1))
    assert permissions.can(world.manager_a, "project.host", world.project)
    assert not permissions.can(world.manager_b, "project.host", world.project)
    positions.save_position(
        world.manager_a, world.project, Position(), {"title": "签到引导", "admission": "first_come"}
    )
    db.session.commit()
    assert world.project.state == ProjectState.HOSTING and world.project.host_org_id == world.club_a.id


def test_awarding_the_tied_bid_that_lost_the_draw_needs_a_written_justification(app):
    world = ReviewWorld()
    winner, loser = tied(world)
    ranked = scoring.rank(review.current_round(world.project), world.project)
    assert [r.draw_group for r in ranked] == [1, 1]  # the same score and budget: the draw decided
    with pytest.raises(DomainError, match="未选择排名第一的标书，请写明理由"):
        review.award(world.staff, world.project, {"bid": loser})
    with pytest.raises(DomainError, match="未选择排名第一的标书，请写明理由"):
        review.award(world.staff, world.project, {"bid": loser, "justification": "   "})

    reason = "第一名的场地当周不可用"
    notice = review.award(world.staff, world.project, {"bid": loser, "justification": reason})
    db.session.commit()
    assert notice.bid.public_id == loser and notice.justification == reason
    assert [(e["public_id"], e["draw_group"]) for e in notice.ranking] == [(winner, 1), (loser, 1)]
