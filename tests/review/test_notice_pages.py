"""公示 through its pages: the public notice, objections and the league reviewer's queue, a winner
declining and the award passing on, and the window closing into hosting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace import clock
from marketplace.extensions import db
from marketplace.projects import lifecycle
from marketplace.projects.models import ProjectState
from marketplace.review import operations as review
from marketplace.review.models import NoticeStatus, Objection, ObjectionStatus
from tests import factories
from tests.bids.helpers import signed_in
from tests.isolation import in_this_session, shared_world
from tests.review.helpers import ReviewWorld, awarded


@shared_world(scope="module")
def awarded_world(app):
    """Built once for the module: every test here starts from it, and is rolled back."""
    return awarded(ReviewWorld())


@pytest.fixture
def world(awarded_world):
    return in_this_session(awarded_world)


def notice_page(app, world, user=None) -> str:
    return signed_in(app, user).get(f"/projects/{world.project.id}/notice").get_data(as_text=True)


def ruling(objection, text, decision="dismiss") -> dict:
    return {f"o{objection.id}-ruling": text, f"o{objection.id}-{decision}": "1"}


def test_the_notice_is_public_with_the_ranking_the_winners_summary_and_the_seed(app, world):
    page = notice_page(app, world)
    assert "第 1 号公示" in page and "公示中" in page
    assert "学业互助社" in page and "青年志愿者协会" in page
    assert "87.67" in page and "72.33" in page
    assert "由学业互助社承办，20 名志愿者辅导。" in page  # the winner's summary
    assert "图书馆答疑" not in page  # the plan stays with those who may see bids
    assert world.project.tiebreak_seed in page
    notice = review.active_notice(world.project)
    assert f"公示期至 {(notice.window_ends_at + timedelta(hours=8)):%Y-%m-%d %H:%M}" in page  # Beijing time
    assert "登录后可以提出异议" in page


def test_a_student_objects_once_and_the_reviewer_dismisses_then_the_window_closes_into_hosting(app, world):
    student = factories.user(name="提异议的同学")
    client = signed_in(app, student)
    url = f"/projects/{world.project.id}/notice/objections"

    assert client.post(url, data={"reason": "第二名的方案更贴近需求"}).status_code == 302
    again = client.post(url, data={"reason": "再提一次"})
    assert again.status_code == 422
    assert "你已对本次公示提出过异议，请等待团委答复。" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(Objection)).all()) == 1

    assert "提异议的同学" not in notice_page(app, world)  # the objector's name is the reviewer's only
    reviewer = signed_in(app, world.reviewer)
    queue = reviewer.get("/review/objections").get_data(as_text=True)
    assert "提异议的同学" in queue and "第二名的方案更贴近需求" in queue

    objection = db.session.scalars(select(Objection)).one()
    refused = reviewer.post(f"/review/objections/{objection.id}/rule", data=ruling(objection, ""))
    assert refused.status_code == 422 and "此项必填。" in refused.get_data(as_text=True)
    done = reviewer.post(f"/review/objections/{objection.id}/rule", data=ruling(objection, "评分程序合规"))
    assert done.status_code == 302
    db.session.refresh(objection)
    assert objection.status == ObjectionStatus.DISMISSED
    assert "评分程序合规" in reviewer.get("/review/objections?tab=history").get_data(as_text=True)
    assert "评分程序合规" in notice_page(app, world)

    clock.set(review.active_notice(world.project).window_ends_at + timedelta(seconds=1))
    assert "承办中" in notice_page(app, world)
    assert "承办中" in signed_in(app, world.manager_a).get(f"/projects/{world.project.id}").get_data(
        as_text=True
    )
    db.session.refresh(world.project)
    assert world.project.state == ProjectState.AWARD_NOTICE  # pages read; they do not write

    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    db.session.refresh(world.project)
    assert world.project.state == ProjectState.HOSTING and world.project.host_org_id == world.club_a.id
    assert review.notices_of(world.project)[0].status == NoticeStatus.FINAL


def test_a_pending_objection_holds_the_window_open(app, world):
    signed_in(app, factories.user()).post(
        f"/projects/{world.project.id}/notice/objections", data={"reason": "有疑问"}
    )
    clock.set(review.active_notice(world.project).window_ends_at + timedelta(days=1))
    page = notice_page(app, world)
    assert "尚有异议在处理" in page and "目前有 1 条异议待处理" in page
    assert lifecycle.effective_state(world.project) == ProjectState.AWARD_NOTICE


def test_no_objection_after_the_window_and_none_from_faculty(app, world):
    teacher = factories.user(kind="faculty")
    assert "objection-form" not in notice_page(app, world, teacher)
    response = signed_in(app, teacher).post(
        f"/projects/{world.project.id}/notice/objections", data={"reason": "老师的异议"}
    )
    assert response.status_code == 403

    clock.set(review.active_notice(world.project).window_ends_at)
    student = factories.user()
    assert "objection-form" not in notice_page(app, world, student)
    late = signed_in(app, student).post(
        f"/projects/{world.project.id}/notice/objections", data={"reason": "晚了"}
    )
    assert late.status_code == 422 and "当前不在公示期" in late.get_data(as_text=True)


def test_an_upheld_objection_reopens_the_review_and_staff_still_see_round_one(app, world):
    student = factories.user()
    signed_in(app, student).post(f"/projects/{world.project.id}/notice/objections", data={"reason": "漏评"})
    objection = db.session.scalars(select(Objection)).one()
    response = signed_in(app, world.reviewer).post(
        f"/review/objections/{objection.id}/rule",
        data=ruling(objection, "一位评议人漏评，重新评审", "uphold"),
    )
    assert response.status_code == 302
    db.session.refresh(world.project)
    assert world.project.state == ProjectState.REVIEWING

    page = signed_in(app, world.staff).get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert "第 2 轮" in page and "已完成 0/0" in page
    history = page[page.index('id="history"') :]
    assert 'data-testid="round-1"' in history and "87.67" in history
    notice = notice_page(app, world)
    assert "已撤销" in notice and "一位评议人漏评，重新评审" in notice


def test_upholding_one_objection_answers_every_other_pending_on_that_notice(app, world):
    first, second = factories.user(), factories.user()
    review.object_to(first, world.project, {"reason": "理由一"})
    review.object_to(second, world.project, {"reason": "理由二"})
    db.session.commit()
    objection = db.session.scalars(select(Objection).where(Objection.student_id == first.id)).one()
    signed_in(app, world.reviewer).post(
        f"/review/objections/{objection.id}/rule", data=ruling(objection, "评分有误，重新评审", "uphold")
    )
    statuses = {o.student_id: o.status for o in db.session.scalars(select(Objection))}
    assert statuses == {first.id: ObjectionStatus.UPHELD, second.id: ObjectionStatus.UPHELD}


def test_the_winner_declines_and_staff_pass_the_award_to_the_next_bid(app, world):
    assert "放弃承办" not in notice_page(app, world, world.manager_b)
    manager = signed_in(app, world.manager_a)
    assert "放弃承办" in notice_page(app, world, world.manager_a)
    refused = manager.post(f"/projects/{world.project.id}/notice/decline", data={"decline-reason": ""})
    assert refused.status_code == 422
    assert (
        manager.post(
            f"/projects/{world.project.id}/notice/decline", data={"decline-reason": "主要成员临时有实习安排"}
        ).status_code
        == 302
    )
    assert "中标方已放弃承办" in notice_page(app, world)

    staff = signed_in(app, world.staff)
    page = staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    assert "主要成员临时有实习安排" in page and "下一名是「青年志愿者协会」" in page
    response = staff.post(f"/review/projects/{world.project.id}/pass", data={"pass-reason": "按排名顺延"})
    assert response.status_code == 302 and response.location.endswith("/notice")

    page = notice_page(app, world)
    assert "第 2 号公示" in page and "按排名顺延" in page
    earlier = page[page.index('data-testid="earlier-notices"') :]
    assert "第 1 号公示" in earlier and "中标方放弃" in earlier
    winner = page[page.index('data-testid="winner"') :]
    assert winner.index("青年志愿者协会") < winner.index("</p>")


def test_a_manager_of_another_bidder_cannot_decline_for_the_winner(app, world):
    response = signed_in(app, world.manager_b).post(
        f"/projects/{world.project.id}/notice/decline", data={"decline-reason": "冒名放弃"}
    )
    assert response.status_code == 403
    assert review.active_notice(world.project) is not None


def test_the_objection_queue_and_its_record_cost_the_same_queries_for_1_or_3_objections(
    app, world, count_queries
):
    reviewer = signed_in(app, world.reviewer)

    def object_and_rule(n):
        for i in range(n):
            review.object_to(factories.user(), world.project, {"reason": f"待处理的异议{i}"})
            ruled = review.object_to(factories.user(), world.project, {"reason": f"已处理的异议{i}"})
            db.session.commit()
            review.rule_on(world.reviewer, ruled, {"uphold": False, "ruling": "不成立"})
            db.session.commit()

    def both_tabs():
        reviewer.get("/review/objections")
        reviewer.get("/review/objections?tab=history")

    object_and_rule(1)
    both_tabs()
    few = count_queries(both_tabs)
    object_and_rule(2)
    many = count_queries(both_tabs)
    assert "待处理的异议1" in reviewer.get("/review/objections").get_data(as_text=True)
    assert many == few


def test_a_notice_of_a_cancelled_project_takes_no_more_objections(app, world):
    lifecycle.apply(world.project, "cancel", world.staff, reason="学校临时调整了活动安排")
    db.session.commit()
    page = notice_page(app, world, factories.user())
    assert "项目已取消，本次公示不再有效。" in page
    assert "objection-form" not in page and "公示中" not in page


def test_a_notice_decided_by_score_says_nothing_of_a_draw(app, world):
    page = notice_page(app, world)
    assert 'data-testid="drawn-ties"' not in page and 'data-testid="drawn"' not in page
