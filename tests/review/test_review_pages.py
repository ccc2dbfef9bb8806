"""评标 through its pages: forming the panel, the declaration, scoring one bid at a time with the
panelists kept independent, the ranked result and the award, and who is kept out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace import clock
from marketplace.extensions import db
from marketplace.orgs.models import MemberRole, OrgKind
from marketplace.projects.models import ProjectState
from marketplace.review import operations as review
from marketplace.review.models import PanelSeat, Score
from tests import factories
from tests.bids.helpers import signed_in
from tests.projects.helpers import World
from tests.review.helpers import ReviewWorld, awarded, says_the_draw_decided, score_and_submit, seat, tied


def score_form(world, value, comment=""):
    data = {}
    for c in world.criteria:
        data[f"c{c.id}"] = str(value)
        data[f"c{c.id}_comment"] = comment
    return data


def beside(page: str, field_id: str, message: str) -> bool:
    """The message is shown as the error of the field with this id (not merely somewhere)."""
    error = f'<div class="invalid-feedback d-block">{re.escape(message)}'
    pattern = rf'id="{re.escape(field_id)}"[^>]*>(?:.|\n)*?{error}'
    return re.search(pattern, page) is not None


@pytest.fixture
def world(app):
    return ReviewWorld()


# -- forming the panel ---------------------------------------------------------------------------------


def test_staff_form_the_panel_and_see_the_progress(app, world):
    staff = signed_in(app, world.staff)
    for evaluator in world.evaluators:
        response = staff.post(f"/review/projects/{world.project.id}/panel", data={"user": evaluator.id})
        assert response.status_code == 302
    page = staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert "已完成 0/3" in page
    assert all(e.name in page for e in world.evaluators)


def test_a_recused_evaluator_cannot_join_the_panel(app, world):
    insider = factories.user(name="社员评议人", roles=("evaluator",))
    factories.membership(insider, world.club_a, MemberRole.MEMBER)
    staff = signed_in(app, world.staff)

    page = staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert "社员评议人" not in page  # not offered

    response = staff.post(f"/review/projects/{world.project.id}/panel", data={"user": insider.id})
    assert response.status_code == 422
    assert beside(response.get_data(as_text=True), "user", "社员评议人 所在组织参与了竞标，须回避本项目。")
    assert db.session.scalars(select(PanelSeat).where(PanelSeat.user_id == insider.id)).all() == []


def test_a_seat_that_has_submitted_cannot_be_removed_but_one_still_scoring_can(app, world):
    world.seat_everyone()
    first, second = world.evaluators[:2]
    world.score(first, world.bid_a, 80)
    world.score(first, world.bid_b, 70, submit=True)
    seats = {s.user_id: s.id for s in review.current_round(world.project).seats}
    staff = signed_in(app, world.staff)

    staff.post(f"/review/projects/{world.project.id}/seats/{seats[first.id]}/remove")
    page = staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert "已提交评分的评议人不能移出评审组。" in page
    staff.post(f"/review/projects/{world.project.id}/seats/{seats[second.id]}/remove")

    remaining = {s.user_id for s in review.current_round(world.project).seats}
    assert first.id in remaining and second.id not in remaining


# -- the panelist's pages ------------------------------------------------------------------------------


def test_a_panelist_declares_before_seeing_any_bid(app, world):
    evaluator = world.evaluators[0]
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id})
    db.session.commit()
    client = signed_in(app, evaluator)

    assert client.get(f"/review/projects/{world.project.id}").location.endswith(
        f"/review/projects/{world.project.id}/score"
    )
    response = client.get(f"/review/projects/{world.project.id}/score/{world.bid_a.public_id}")
    assert response.status_code == 302 and response.location.endswith("/declare")
    page = client.get(f"/review/projects/{world.project.id}/declare").get_data(as_text=True)
    assert "学业互助社" in page and "青年志愿者协会" in page  # who bid, not what they wrote
    assert "图书馆答疑" not in page

    response = client.post(f"/review/projects/{world.project.id}/declare", data={"conflict": "no"})
    assert response.status_code == 302
    first = client.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "图书馆答疑" in first  # the plan, rendered


def test_a_declared_conflict_needs_a_reason_and_then_leaves_the_panel(app, world):
    evaluator = world.evaluators[0]
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id})
    db.session.commit()
    client = signed_in(app, evaluator)

    response = client.post(f"/review/projects/{world.project.id}/declare", data={"conflict": "yes"})
    assert response.status_code == 422
    assert beside(response.get_data(as_text=True), "reason", "请简要说明利益冲突的情况。")

    response = client.post(
        f"/review/projects/{world.project.id}/declare",
        data={"conflict": "yes", "reason": "我的室友是互助社社长"},
    )
    assert response.status_code == 302
    assert review.current_round(world.project).seats == []
    assert client.get(f"/review/projects/{world.project.id}/declare").status_code == 403


def test_a_panelists_scoring_page_shows_no_other_panelists_scores_before_submitting(app, world):
    world.seat_everyone()
    first, second = world.evaluators[:2]
    for bid in (world.bid_a, world.bid_b):
        review.save_scores(first, world.project, bid, {c.id: (87, "甲的独立评语") for c in world.criteria})
    db.session.commit()
    review.submit_scores(first, world.project)
    db.session.commit()
    client = signed_in(app, second)
    url = f"/review/projects/{world.project.id}/score/{world.bid_a.public_id}"

    before = client.get(url).get_data(as_text=True)
    assert "甲的独立评语" not in before and "其他评议人的评分" not in before
    assert first.name not in before and 'value="87"' not in before

    for bid in (world.bid_a, world.bid_b):
        client.post(f"/review/projects/{world.project.id}/score/{bid.public_id}", data=score_form(world, 60))
    assert client.post(f"/review/projects/{world.project.id}/submit").status_code == 302

    after = client.get(url).get_data(as_text=True)
    assert "其他评议人的评分" in after and "甲的独立评语" in after and first.name in after


def test_scores_are_saved_one_bid_at_a_time_and_the_next_bid_follows(app, world):
    world.seat_everyone()
    evaluator = world.evaluators[0]
    client = signed_in(app, evaluator)
    bids = sorted([world.bid_a, world.bid_b], key=lambda b: b.public_id)

    response = client.post(
        f"/review/projects/{world.project.id}/score/{bids[0].public_id}",
        data={**score_form(world, 75, "方案扎实"), "go": "next"},
    )
    assert response.status_code == 302 and response.location.endswith(bids[1].public_id)
    saved = db.session.scalars(select(Score).where(Score.bid_id == bids[0].id)).all()
    assert {s.value for s in saved} == {75} and {s.comment for s in saved} == {"方案扎实"}

    page = client.get(f"/review/projects/{world.project.id}/score/{bids[0].public_id}").get_data(as_text=True)
    assert 'value="75"' in page and "加权总分 75.00" in page and "已评 1/2 份" in page


def test_a_mark_out_of_range_is_refused_beside_its_criterion(app, world):
    world.seat_everyone()
    client = signed_in(app, world.evaluators[0])
    criterion = world.criteria[0]
    data = {**score_form(world, 80), f"c{criterion.id}": "101"}
    response = client.post(f"/review/projects/{world.project.id}/score/{world.bid_a.public_id}", data=data)
    assert response.status_code == 422
    assert beside(response.get_data(as_text=True), f"c{criterion.id}", "请输入 0 到 100 之间的数。")
    assert db.session.scalars(select(Score)).all() == []


def test_submitting_with_a_bid_unscored_is_refused(app, world):
    world.seat_everyone()
    evaluator = world.evaluators[0]
    world.score(evaluator, world.bid_a, 80)
    response = signed_in(app, evaluator).post(f"/review/projects/{world.project.id}/submit")
    assert response.status_code == 422
    assert "还有 4 项未评分，请全部评完再提交。" in response.get_data(as_text=True)
    assert review.seat_of(review.current_round(world.project), evaluator).submitted_at is None


def test_submitted_scores_cannot_be_changed_by_posting_again(app, world):
    world.seat_everyone()
    evaluator = world.evaluators[0]
    world.score(evaluator, world.bid_a, 80)
    world.score(evaluator, world.bid_b, 70, submit=True)
    client = signed_in(app, evaluator)

    response = client.post(
        f"/review/projects/{world.project.id}/score/{world.bid_a.public_id}", data=score_form(world, 10)
    )
    assert response.status_code == 422
    assert "评分已提交，不能再修改。" in response.get_data(as_text=True)
    values = db.session.scalars(select(Score.value).where(Score.bid_id == world.bid_a.id)).all()
    assert set(values) == {80}
    page = client.get(f"/review/projects/{world.project.id}/score/{world.bid_a.public_id}").get_data(
        as_text=True
    )
    assert "disabled" in page and "提交全部评分" not in page


def test_my_panels_list_the_evaluators_seats_with_what_to_do_next(app, world):
    world.seat_everyone()
    other = factories.user(name="未受邀的评议人", roles=("evaluator",))
    world.score(world.evaluators[0], world.bid_a, 80)
    world.score(world.evaluators[0], world.bid_b, 80, submit=True)

    page = signed_in(app, world.evaluators[0]).get("/review/mine").get_data(as_text=True)
    assert world.project.title in page and "已提交" in page
    assert "继续评分" in signed_in(app, world.evaluators[1]).get("/review/mine").get_data(as_text=True)
    assert "你还没有受邀参加评审" in signed_in(app, other).get("/review/mine").get_data(as_text=True)


def test_home_offers_evaluators_their_panels_and_league_reviewers_the_objections(app, world):
    assert "/review/mine" in signed_in(app, world.evaluators[0]).get("/").get_data(as_text=True)
    assert "/review/objections" in signed_in(app, world.reviewer).get("/").get_data(as_text=True)
    assert "/review/mine" not in signed_in(app, world.manager_a).get("/").get_data(as_text=True)


# -- the ranked result and the award ---------------------------------------------------------------------


def test_the_ranked_result_shows_after_everyone_submitted_with_each_panelists_total(app, world):
    world.seat_everyone()
    staff = signed_in(app, world.staff)
    world.score(world.evaluators[0], world.bid_a, 90)
    world.score(world.evaluators[0], world.bid_b, 70, submit=True)
    page = staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert "已完成 1/3" in page and 'data-testid="ranking"' not in page and "90.00" not in page

    world.score(world.evaluators[1], world.bid_a, 85)
    world.score(world.evaluators[1], world.bid_b, 75, submit=True)
    world.score(world.evaluators[2], world.bid_a, 88)
    world.score(world.evaluators[2], world.bid_b, 72, submit=True)
    page = staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert "已完成 3/3" in page
    ranking = page[page.index('data-testid="ranking"') :]
    assert ranking.index("学业互助社") < ranking.index("青年志愿者协会")
    assert "87.67" in ranking and "72.33" in ranking  # (90+85+88)/3, (70+75+72)/3
    assert all(e.name in ranking for e in world.evaluators)
    assert "暂无承办记录" in ranking
    assert world.project.tiebreak_seed in page


def test_the_panel_form_is_gone_once_every_panelist_has_submitted_and_nobody_joins_after(app, world):
    latecomer = factories.user(name="迟到评议人", roles=("evaluator",))
    world.seat_everyone()
    staff = signed_in(app, world.staff)
    world.score(world.evaluators[0], world.bid_a, 90)
    world.score(world.evaluators[0], world.bid_b, 70, submit=True)
    assert "添加评议人" in staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)

    for evaluator in world.evaluators[1:]:
        world.score(evaluator, world.bid_a, 80)
        world.score(evaluator, world.bid_b, 75, submit=True)
    page = staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert "已完成 3/3" in page and 'data-testid="ranking"' in page
    assert "添加评议人" not in page and "邀请加入评审组" not in page
    refused = staff.post(f"/review/projects/{world.project.id}/panel", data={"user": latecomer.id})
    assert refused.status_code == 422
    assert "全部成员已提交评分" in refused.get_data(as_text=True)
    assert db.session.scalars(select(PanelSeat).where(PanelSeat.user_id == latecomer.id)).all() == []


def test_the_league_reviewer_reads_the_review_without_the_forms(app, world):
    world.seat_everyone()
    page = signed_in(app, world.reviewer).get(f"/review/projects/{world.project.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "只读" in text and "邀请加入评审组" not in text


def test_award_to_a_non_top_bid_without_justification_is_refused_beside_the_field(app, world):
    world.seat_everyone()
    world.score_all({world.bid_a: [90, 85, 88], world.bid_b: [70, 75, 72]})
    staff = signed_in(app, world.staff)

    response = staff.post(f"/review/projects/{world.project.id}/award", data={"bid": world.bid_b.public_id})
    assert response.status_code == 422
    assert beside(response.get_data(as_text=True), "justification", "未选择排名第一的标书，请写明理由。")
    db.session.refresh(world.project)
    assert world.project.state == ProjectState.REVIEWING

    response = staff.post(
        f"/review/projects/{world.project.id}/award",
        data={"bid": world.bid_b.public_id, "justification": "第一名的预算明细缺项，经评议会复核改授第二名"},
    )
    assert response.status_code == 302 and response.location.endswith(f"/projects/{world.project.id}/notice")
    notice = signed_in(app, None).get(f"/projects/{world.project.id}/notice")
    text = notice.get_data(as_text=True)
    assert notice.status_code == 200
    assert "87.67" in text and "72.33" in text
    assert "第一名的预算明细缺项" in text
    winner = text[text.index('data-testid="winner"') :]
    assert winner.index("青年志愿者协会") < winner.index("</p>")


def test_unknown_projects_are_404_and_outsiders_are_403(app, world):
    outsider = signed_in(app, factories.user())
    assert outsider.get("/review/projects/99999").status_code == 404
    assert outsider.get("/projects/99999/notice").status_code == 404
    assert outsider.get(f"/projects/{world.project.id}/notice").status_code == 404  # nothing published yet
    assert outsider.get(f"/review/projects/{world.project.id}").status_code == 403
    assert outsider.get(f"/review/projects/{world.project.id}/declare").status_code == 403
    assert outsider.get("/review/objections").status_code == 403


# -- recusal -----------------------------------------------------------------------------------------------


def test_a_recused_panelist_candidate_cannot_open_any_bid_of_the_project(app, world):
    insider = factories.user(name="社员评议人", roles=("evaluator",))
    factories.membership(insider, world.club_a, MemberRole.MEMBER)
    client = signed_in(app, insider)
    for bid in (world.bid_a, world.bid_b):
        assert client.get(f"/bids/{bid.public_id}").status_code == 404


def test_recused_staff_cannot_award(app, world):
    world.seat_everyone()
    world.score_all({world.bid_a: [90, 85, 88], world.bid_b: [70, 75, 72]})
    insider = factories.staff_member(world.union, name="兼任社员的干事")
    factories.membership(insider, world.club_b, MemberRole.MEMBER)
    client = signed_in(app, insider)
    assert client.get(f"/review/projects/{world.project.id}").status_code == 403
    response = client.post(f"/review/projects/{world.project.id}/award", data={"bid": world.bid_b.public_id})
    assert response.status_code == 403
    assert review.notices_of(world.project) == []


def test_a_recused_league_reviewer_cannot_rule_on_the_projects_objections(app, world):
    awarded(world)
    objection = review.object_to(factories.user(), world.project, {"reason": "评分有疑问"})
    db.session.commit()
    insider = factories.user(name="兼任社员的老师", kind="faculty", roles=("league_reviewer",))
    factories.membership(insider, world.club_a, MemberRole.MEMBER)
    client = signed_in(app, insider)

    assert "须回避" in client.get("/review/objections").get_data(as_text=True)
    response = client.post(
        f"/review/objections/{objection.id}/rule",
        data={f"o{objection.id}-ruling": "不成立", f"o{objection.id}-dismiss": "1"},
    )
    assert response.status_code == 403
    db.session.refresh(objection)
    assert objection.ruling is None


# -- queries ---------------------------------------------------------------------------------------------


def _scored(world: World, evaluators, clubs: int):
    """A project of ``world`` with bids from ``clubs`` clubs, scored by ``evaluators``."""
    project = world.open_project()
    bids = [
        world.bid(project, world.manager_a, world.club_a),
        world.bid(project, world.manager_b, world.club_b),
    ]
    for _ in range(clubs - 2):
        club = factories.org(OrgKind.CLUB)
        bids.append(world.bid(project, factories.manager_of(club), club))
    return project, bids


def _ranked_page_queries(app, count_queries, world, scored):
    clock.set(max(project.bid_deadline for project, _bids, _evaluators in scored) + timedelta(minutes=1))
    for project, bids, evaluators in scored:
        seat(world.staff, project, evaluators)
        score_and_submit(project, evaluators, bids)
    staff = signed_in(app, world.staff)
    counts = []
    for project, _bids, _evaluators in scored:
        assert 'data-testid="ranking"' in staff.get(f"/review/projects/{project.id}").get_data(as_text=True)
        counts.append(count_queries(lambda project=project: staff.get(f"/review/projects/{project.id}")))
    return counts


def test_ranked_results_cost_the_same_queries_for_2_or_6_bids(app, count_queries):
    world = World()
    evaluators = [factories.user(name=f"评议人{i}", roles=("evaluator",)) for i in range(3)]
    few, few_bids = _scored(world, evaluators, 2)
    many, many_bids = _scored(world, evaluators, 6)
    counts = _ranked_page_queries(
        app, count_queries, world, [(few, few_bids, evaluators), (many, many_bids, evaluators)]
    )
    assert counts[0] == counts[1]


def test_ranked_results_cost_the_same_queries_for_3_or_6_panelists(app, count_queries):
    world = World()
    evaluators = [factories.user(name=f"评议人{i}", roles=("evaluator",)) for i in range(6)]
    three, three_bids = _scored(world, evaluators, 2)
    six, six_bids = _scored(world, evaluators, 2)
    counts = _ranked_page_queries(
        app, count_queries, world, [(three, three_bids, evaluators[:3]), (six, six_bids, evaluators)]
    )
    assert counts[0] == counts[1]


def test_my_panels_cost_the_same_queries_for_1_or_3_panels(app, count_queries):
    world = World()
    evaluator = factories.user(name="评议人", roles=("evaluator",))
    projects = [world.open_project() for _ in range(3)]
    for project in projects:
        world.bid(project, world.manager_a, world.club_a)
    clock.set(projects[0].bid_deadline + timedelta(minutes=1))
    client = signed_in(app, evaluator)

    seat(world.staff, projects[0], [evaluator])
    client.get("/review/mine")
    few = count_queries(lambda: client.get("/review/mine"))
    for project in projects[1:]:
        seat(world.staff, project, [evaluator])
    many = count_queries(lambda: client.get("/review/mine"))
    assert many == few


def test_a_tie_the_draw_broke_is_explained_beside_the_ranking_with_the_values_to_recompute(app, world):
    drawn = tied(world)
    page = signed_in(app, world.staff).get(f"/review/projects/{world.project.id}").get_data(as_text=True)

    assert says_the_draw_decided(page, world)
    ranking = page[page.index('data-testid="ranking"') :]
    by_id = {bid.public_id: bid.org.name for bid in (world.bid_a, world.bid_b)}
    assert ranking.index(by_id[drawn[0]]) < ranking.index(by_id[drawn[1]])


def test_a_ranking_decided_by_score_says_nothing_of_a_draw(app, world):
    world.seat_everyone()
    world.score_all({world.bid_a: [80, 80, 80], world.bid_b: [80, 80, 80]})  # equal, but A asks less
    page = signed_in(app, world.staff).get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert 'data-testid="ranking"' in page
    assert 'data-testid="drawn-ties"' not in page and 'data-testid="drawn"' not in page


def test_the_notice_of_a_tie_says_the_draw_decided_with_the_values_to_recompute(app, world):
    drawn = tied(world)
    review.award(world.staff, world.project, {"bid": drawn[0]})
    db.session.commit()

    page = signed_in(app, None).get(f"/projects/{world.project.id}/notice").get_data(as_text=True)
    assert says_the_draw_decided(page, world)
