"""成效评估 through its pages: the staff adapt the criteria and form the panel; a panelist declares,
then reads on one page what they judge — the completion report, spending against the budget, the
volunteers and the progress posts — beside their scores, kept independent and locked once submitted;
and everyone else is kept out."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace import clock
from marketplace.bids.models import Bid
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.hosting.models import Photo
from marketplace.orgs.models import MemberRole
from marketplace.projects import lifecycle
from marketplace.projects.models import CriterionPurpose
from marketplace.projects.recusal import deadline_day
from marketplace.review import operations as review
from marketplace.review.models import PanelSeat, Score
from marketplace.review.outcome import OUTCOME_PANEL
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import CreditWorld
from tests.review.helpers import REPORT, OutcomeWorld, ReviewWorld, awarded
from tests.review.test_review_pages import beside


@pytest.fixture
def world(app):
    return OutcomeWorld()


def url(world, rest: str = "") -> str:
    return f"/review/projects/{world.project.id}/outcome{rest}"


def score_form(world, value, comment=""):
    data = {}
    for c in world.criteria:
        data[f"c{c.id}"] = str(value)
        data[f"c{c.id}_comment"] = comment
    return data


def criteria_form(*rows) -> dict:
    data = {}
    for n, (name, weight) in enumerate(rows):
        data[f"criteria-{n}-name"] = name
        data[f"criteria-{n}-description"] = ""
        data[f"criteria-{n}-weight"] = str(weight)
    return data


# -- the staff's page -------------------------------------------------------------------------------------


def test_staff_see_the_template_criteria_and_the_windows_end(app, world):
    page = signed_in(app, world.staff).get(url(world)).get_data(as_text=True)
    assert "成效评估" in page and 'data-testid="criteria-form"' in page
    for name, weight in (("完成度", 30), ("服务同学实效", 30), ("预算执行", 20), ("覆盖面", 20)):
        assert f'value="{name}"' in page and f'value="{weight}"' in page
    assert "评价期至" in page


def test_criteria_whose_weights_do_not_sum_to_100_are_refused_and_what_was_typed_stays(app, world):
    staff = signed_in(app, world.staff)
    response = staff.post(url(world, "/criteria"), data=criteria_form(("完成度", 50), ("参与人数", 30)))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "评审标准的权重合计应为 100，现在是 80。" in text and 'value="参与人数"' in text
    assert [c.weight for c in world.criteria] == [30, 30, 20, 20]

    response = staff.post(url(world, "/criteria"), data=criteria_form(("完成度", 60), ("参与人数", 40)))
    assert response.status_code == 302
    db.session.refresh(world.project)
    assert [(c.name, c.weight) for c in world.project.outcome_criteria] == [("完成度", 60), ("参与人数", 40)]


def test_once_a_panelist_has_declared_the_criteria_show_without_a_form_and_a_change_is_refused(app, world):
    world.seat(world.evaluators[:1])
    staff = signed_in(app, world.staff)
    page = staff.get(url(world)).get_data(as_text=True)
    assert 'data-testid="criteria-form"' not in page and "评估已开始，标准不能再修改。" in page
    response = staff.post(url(world, "/criteria"), data=criteria_form(("完成度", 100)))
    assert response.status_code == 422
    assert "评估小组已有成员声明并开始评分，评估标准不能再修改。" in response.get_data(as_text=True)
    assert len(world.criteria) == 4


def test_staff_form_the_outcome_panel_and_a_late_joiner_of_the_host_is_neither_offered_nor_seated(app, world):
    late = factories.user(name="新入社的评议人", roles=("evaluator",))
    factories.membership(late, world.club_a, starts_on=deadline_day(world.project) + timedelta(days=2))
    staff = signed_in(app, world.staff)
    page = staff.get(url(world)).get_data(as_text=True)
    assert "新入社的评议人" not in page and all(e.name in page for e in world.evaluators)

    for evaluator in world.evaluators:
        assert staff.post(url(world, "/panel"), data={"user": evaluator.id}).status_code == 302
    refused = staff.post(url(world, "/panel"), data={"user": late.id})
    assert refused.status_code == 422
    assert beside(
        refused.get_data(as_text=True),
        "user",
        "新入社的评议人 与本项目的竞标方或承办方有关，须回避成效评估。",
    )
    assert "已完成 0/3" in staff.get(url(world)).get_data(as_text=True)
    assert db.session.scalars(select(PanelSeat).where(PanelSeat.user_id == late.id)).all() == []


def test_a_seat_still_scoring_can_be_removed_from_the_outcome_panel(app, world):
    world.seat(world.evaluators[:2])
    seat = review.seat_of(review.current_round(world.project, CriterionPurpose.OUTCOME), world.evaluators[1])
    staff = signed_in(app, world.staff)
    assert staff.post(url(world, f"/seats/{seat.id}/remove")).status_code == 302
    remaining = review.current_round(world.project, CriterionPurpose.OUTCOME).seats
    assert [s.user_id for s in remaining] == [world.evaluators[0].id]


def test_the_result_shows_once_everyone_submitted_or_the_window_ended(app, world):
    world.seat()
    staff = signed_in(app, world.staff)
    world.score(world.evaluators[0], 90, submit=True)
    world.score(world.evaluators[1], 80, submit=True)
    page = staff.get(url(world)).get_data(as_text=True)
    assert "已完成 2/3" in page and 'data-testid="panel-score"' not in page

    clock.set(world.project.evaluation_ends_at)  # the third never submitted
    page = staff.get(url(world)).get_data(as_text=True)
    assert 'data-testid="panel-score">85.00<' in page
    assert "评议人0：加权总分 90.00" in page and "评议人2" not in page[page.index("panel-totals") :]


# -- the panelist's pages ---------------------------------------------------------------------------------


def test_an_outcome_panelist_declares_about_the_host_before_seeing_anything(app, world):
    evaluator = world.evaluators[0]
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id}, OUTCOME_PANEL)
    db.session.commit()
    client = signed_in(app, evaluator)

    assert client.get(url(world)).location.endswith(url(world, "/score"))
    response = client.get(url(world, "/score"))
    assert response.status_code == 302 and response.location.endswith(url(world, "/declare"))
    page = client.get(url(world, "/declare")).get_data(as_text=True)
    assert "学业互助社" in page and "我与承办方无利益冲突" in page
    assert REPORT["outcomes"] not in page

    response = client.post(url(world, "/declare"), data={"conflict": "no"})
    assert response.status_code == 302 and response.location.endswith(url(world, "/score"))
    assert REPORT["outcomes"] in client.get(response.location).get_data(as_text=True)


def test_a_declared_conflict_with_the_host_leaves_the_outcome_panel(app, world):
    evaluator = world.evaluators[0]
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id}, OUTCOME_PANEL)
    db.session.commit()
    client = signed_in(app, evaluator)
    response = client.post(
        url(world, "/declare"), data={"conflict": "yes", "reason": "我是承办社团负责人的室友"}
    )
    assert response.status_code == 302
    assert review.current_round(world.project, CriterionPurpose.OUTCOME).seats == []
    assert client.get(url(world, "/score")).status_code == 403


def test_the_outcome_page_shows_the_report_spending_volunteers_and_progress_with_photos(app):
    world = CreditWorld(volunteers=2)  # one shift, both attended, 3.5 h each confirmed
    update = hosting.post_progress(
        world.host, world.project, {"milestone": "第一次答疑", "percent": 40, "body": "来了 30 人"}
    )
    update.photos.append(Photo(stored_name="a" * 32, width=800, height=600))
    db.session.commit()
    hosting.submit_completion(world.host, world.project, REPORT)
    db.session.commit()
    evaluator = factories.user(name="评议人", roles=("evaluator",))
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id}, OUTCOME_PANEL)
    review.declare_no_conflict(evaluator, world.project, OUTCOME_PANEL)
    db.session.commit()

    page = html.unescape(
        signed_in(app, evaluator)
        .get(f"/review/projects/{world.project.id}/outcome/score")
        .get_data(as_text=True)
    )
    assert REPORT["outcomes"] in page and "参与 260 人" in page and REPORT["spending_summary"] in page
    assert "已支出 0 元" in page or "已支出 0.00 元" in page
    totals = page[page.index('data-testid="volunteer-totals"') :]
    assert '<dd class="col-5">1</dd>' in totals  # one shift
    assert "7.0 小时" in totals  # 2 × 3.5 h confirmed
    assert "第一次答疑" in page and "来了 30 人" in page and f"/photos/{update.photos[0].public_id}" in page
    assert page.count('data-testid="progress"') == 2  # and the final update the report rode on


def test_the_outcome_page_shows_spending_against_the_awarded_budget(app):
    world = awarded(ReviewWorld())
    clock.shift(timedelta(days=4))
    lifecycle.run_due_transitions()
    db.session.commit()
    hosting.record_expenditure(
        world.manager_a,
        world.project,
        {
            "spent_on": clock.today_local(),
            "item": "资料印刷",
            "amount": 4200,
            "note": "",
            "over_budget_reason": "人数超出预期",
        },
    )
    hosting.submit_completion(world.manager_a, world.project, REPORT)
    db.session.commit()
    evaluator = factories.user(name="成效评议人", roles=("evaluator",))
    review.assign_panelist(world.staff, world.project, {"user": evaluator.id}, OUTCOME_PANEL)
    review.declare_no_conflict(evaluator, world.project, OUTCOME_PANEL)
    db.session.commit()
    page = (
        signed_in(app, evaluator)
        .get(f"/review/projects/{world.project.id}/outcome/score")
        .get_data(as_text=True)
    )
    spending = page[page.index('data-testid="spending"') :]
    assert "中标预算 4000.00 元，已支出 4200.00 元" in spending and "超出预算" in spending


def test_an_outcome_panelist_sees_no_other_panelists_scores_before_submitting(app, world):
    world.seat()
    first, second = world.evaluators[:2]
    review.save_scores(
        first, world.project, None, {c.id: (87, "甲的独立评语") for c in world.criteria}, OUTCOME_PANEL
    )
    db.session.commit()
    review.submit_scores(first, world.project, OUTCOME_PANEL)
    db.session.commit()
    client = signed_in(app, second)

    before = client.get(url(world, "/score")).get_data(as_text=True)
    assert "甲的独立评语" not in before and "其他评议人的评分" not in before and 'value="87"' not in before

    assert client.post(url(world, "/score"), data=score_form(world, 60)).status_code == 302
    assert client.post(url(world, "/submit")).status_code == 302

    after = client.get(url(world, "/score")).get_data(as_text=True)
    assert "其他评议人的评分" in after and "甲的独立评语" in after and first.name in after


def test_submitted_outcome_scores_cannot_be_changed_by_posting_again(app, world):
    world.seat()
    evaluator = world.evaluators[0]
    world.score(evaluator, 80, submit=True)
    client = signed_in(app, evaluator)
    response = client.post(url(world, "/score"), data=score_form(world, 10))
    assert response.status_code == 422
    assert "评分已提交，不能再修改。" in response.get_data(as_text=True)
    assert set(db.session.scalars(select(Score.value)).all()) == {80}
    page = client.get(url(world, "/score")).get_data(as_text=True)
    assert "disabled" in page and "提交全部评分" not in page and "加权总分 80.00" in page


def test_submitting_with_a_criterion_unscored_is_refused(app, world):
    world.seat([world.evaluators[0]])
    response = signed_in(app, world.evaluators[0]).post(url(world, "/submit"))
    assert response.status_code == 422
    assert "还有 4 项未评分，请全部评完再提交。" in response.get_data(as_text=True)


def test_a_mark_out_of_range_is_refused_beside_its_criterion(app, world):
    world.seat([world.evaluators[0]])
    criterion = world.criteria[0]
    data = {**score_form(world, 80), f"c{criterion.id}": "101"}
    response = signed_in(app, world.evaluators[0]).post(url(world, "/score"), data=data)
    assert response.status_code == 422
    assert beside(response.get_data(as_text=True), f"c{criterion.id}", "请输入 0 到 100 之间的数。")


def test_my_panels_label_the_outcome_panel_with_the_windows_end(app, world):
    world.seat([world.evaluators[0]])
    page = signed_in(app, world.evaluators[0]).get("/review/mine").get_data(as_text=True)
    row = page[page.index('data-purpose="outcome"') :]
    assert "成效评估" in row and world.project.title in row and "评分截止" in row
    assert url(world, "/score") in row


def test_the_staff_dashboard_links_an_evaluated_project_to_its_outcome_panel(app, world):
    page = signed_in(app, world.staff).get("/staff").get_data(as_text=True)
    assert url(world) in page and "评价期至" in page


# -- who is kept out --------------------------------------------------------------------------------------


def test_outcome_pages_are_404_for_unknown_projects_and_403_for_others(app, world):
    world.seat([world.evaluators[0]])
    outsider = signed_in(app, factories.user())
    assert outsider.get("/review/projects/99999/outcome").status_code == 404
    assert outsider.get("/review/projects/99999/outcome/score").status_code == 404
    for who in (
        factories.user(),
        world.evaluators[1],  # an evaluator not on this panel
        world.host,  # the host judges nothing of its own
        factories.staff_member(),  # another union's staff
    ):
        client = signed_in(app, who)
        for path in ("", "/score", "/declare"):
            assert client.get(url(world, path)).status_code == 403, (who.name, path)
        assert client.post(url(world, "/criteria"), data=criteria_form(("完成度", 100))).status_code == 403
        assert client.post(url(world, "/panel"), data={"user": world.evaluators[2].id}).status_code == 403
    # An outcome panelist is not on the bid panel.
    assert signed_in(app, world.evaluators[0]).get(f"/review/projects/{world.project.id}").status_code == 403


def test_staff_who_joined_the_host_after_the_deadline_are_kept_off_the_outcome_page(app, world):
    factories.membership(
        world.staff,
        world.club_a,
        MemberRole.MEMBER,
        starts_on=deadline_day(world.project) + timedelta(days=5),
    )
    assert signed_in(app, world.staff).get(url(world)).status_code == 403


def test_a_seat_of_the_bid_panel_is_not_found_on_the_outcome_panel(app):
    world = ReviewWorld()
    world.seat_everyone()
    seat = review.current_round(world.project).seats[0]
    staff = signed_in(app, world.staff)
    assert (
        staff.post(f"/review/projects/{world.project.id}/outcome/seats/{seat.id}/remove").status_code == 404
    )
    assert len(review.current_round(world.project).seats) == 3


def test_an_outcome_panelist_does_not_oversee_the_bids(app, world):
    world.seat([world.evaluators[0]])
    bids = db.session.scalars(select(Bid).where(Bid.project_id == world.project.id)).all()
    client = signed_in(app, world.evaluators[0])
    assert len(bids) == 2 and all(client.get(f"/bids/{bid.public_id}").status_code == 404 for bid in bids)
    assert signed_in(app, world.staff).get(f"/bids/{bids[0].public_id}").status_code == 200
