"""整改: a final score below the line requires an improvement plan of the host's managers, due within
the set days of the close (overdue after, read from the clock), reminded once before; the plan is
sanitised Markdown, and shows where the host's record is read — the project page, the organization's
page, the posting form of the next project of its category, and beside the host's next bids."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace import settings
from marketplace.audit import AuditEntry
from marketplace.evaluation import operations as evaluation
from marketplace.evaluation.models import ImprovementPlan, ImprovementStatus
from marketplace.evaluation.operations import IMPROVEMENT_TRANSITIONS, IMPROVEMENTS, move_improvement
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.projects.tasks import tick
from tests.bids.helpers import signed_in
from tests.evaluation.helpers import scored
from tests.projects.helpers import World
from tests.review.helpers import ReviewWorld
from tests.statuses import check_action


@pytest.fixture
def world(app):
    return World()


def plan_of(final) -> ImprovementPlan | None:
    return db.session.scalar(select(ImprovementPlan).where(ImprovementPlan.project_id == final.project_id))


def told(user, kind: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.kind == kind)
    )


def group(page: str, category: str) -> str:
    """The posting form's notes on one category."""
    start = page.index(f'data-value="{category}"')
    return page[start : page.index("data-revealed-by", start)]


def improvement_url(final) -> str:
    return f"/projects/{final.project_id}/improvement"


# -- when a plan is required --------------------------------------------------------------------------


def test_a_final_score_below_the_threshold_requires_a_plan_of_the_hosts_managers_within_the_set_days(world):
    final = scored(world, world.club_a, "59.99")

    plan = plan_of(final)
    assert (plan.status, plan.org_id, plan.threshold) == (ImprovementStatus.REQUIRED, world.club_a.id, 60)
    assert plan.due_at == final.closed_at + timedelta(days=14)
    assert told(world.manager_a, "evaluation.improvement_required") == 1
    assert told(world.manager_b, "evaluation.improvement_required") == 0
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "improvement.require")).one()
    assert entry.after["status"] == "required" and entry.actor_id is None


@pytest.mark.parametrize("panel", ["60", "60.00", "75"])
def test_a_final_score_at_or_above_the_threshold_requires_no_plan(world, panel):
    assert plan_of(scored(world, world.club_a, panel)) is None


def test_an_incomplete_evaluation_requires_no_plan(world):
    assert plan_of(scored(world, world.club_a, None)) is None


def test_the_threshold_and_the_days_in_force_at_the_close_apply(world, admin):
    settings.put("improvement_threshold", 70, admin)
    settings.put("improvement_days", 7, admin)
    final = scored(world, world.club_a, "65")
    plan = plan_of(final)
    assert plan.threshold == 70 and plan.due_at == final.closed_at + timedelta(days=7)


# -- submitting it ------------------------------------------------------------------------------------------


def test_only_the_hosts_managers_submit_the_plan(app, world):
    final = scored(world, world.club_a, "50")
    for outsider in (world.manager_b, world.staff, world.reviewer):
        client = signed_in(app, outsider)
        assert client.get(improvement_url(final)).status_code == 403
        assert client.post(improvement_url(final), data={"body": "不是我们的项目"}).status_code == 403
    assert plan_of(final).status == ImprovementStatus.REQUIRED

    host = signed_in(app, world.manager_a)
    assert host.get(improvement_url(final)).status_code == 200
    response = host.post(improvement_url(final), data={"body": "宣传不到位：下次提前两周在各学院群发布。"})

    assert response.status_code == 302
    plan = plan_of(final)
    assert plan.status == ImprovementStatus.SUBMITTED and plan.submitted_by_id == world.manager_a.id
    assert plan.body == "宣传不到位：下次提前两周在各学院群发布。"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "improvement.submit")).one()
    assert entry.actor_id == world.manager_a.id


def test_a_project_without_a_required_plan_has_no_plan_page(app, world):
    final = scored(world, world.club_a, "80")
    assert signed_in(app, world.manager_a).get(improvement_url(final)).status_code == 404


def test_a_blank_plan_is_refused_beside_the_field(app, world):
    final = scored(world, world.club_a, "50")
    host = signed_in(app, world.manager_a)
    response = host.post(improvement_url(final), data={"body": "   "})
    assert response.status_code == 422
    assert "请填写整改说明。" in response.get_data(as_text=True)
    assert plan_of(final).status == ImprovementStatus.REQUIRED


def test_a_submitted_plan_is_not_submitted_again(app, world):
    final = scored(world, world.club_a, "50")
    host = signed_in(app, world.manager_a)
    host.post(improvement_url(final), data={"body": "第一版整改说明"})
    response = host.post(improvement_url(final), data={"body": "改过的整改说明"})
    assert response.status_code == 422
    assert "已提交整改说明" in response.get_data(as_text=True)
    assert plan_of(final).body == "第一版整改说明"


def test_the_plan_shows_on_the_project_page_as_sanitised_markdown(app, world):
    final = scored(world, world.club_a, "50")
    body = "**宣传不到位**\n\n<script>alert(1)</script>"
    signed_in(app, world.manager_a).post(improvement_url(final), data={"body": body})

    page = signed_in(app, None).get(f"/projects/{final.project_id}").get_data(as_text=True)
    shown = page[page.index('data-testid="improvement-body"') :]
    assert "<strong>宣传不到位</strong>" in shown
    assert "<script>alert" not in page


def test_a_missing_plan_shows_as_overdue_once_its_time_has_passed(app, world, clock):
    final = scored(world, world.club_a, "50")
    plan = plan_of(final)
    page = signed_in(app, None).get(f"/projects/{final.project_id}").get_data(as_text=True)
    assert "整改未提交" in page and "已逾期" not in page
    button = f'href="/projects/{final.project_id}/improvement"'
    assert button not in page  # the host's
    assert button in signed_in(app, world.manager_a).get(f"/projects/{final.project_id}").get_data(
        as_text=True
    )

    clock.set(plan.due_at)
    page = signed_in(app, None).get(f"/projects/{final.project_id}").get_data(as_text=True)
    assert "整改未提交（已逾期）" in page


def test_the_host_is_reminded_once_before_the_plan_is_due(world, clock):
    plan = plan_of(scored(world, world.club_a, "50"))
    answered = plan_of(scored(world, world.club_a, "40"))
    move_improvement(answered, "submit", world.manager_a, body="已整改", submitted_at=clock.now())
    db.session.commit()

    clock.set(plan.due_at - timedelta(days=4))
    assert evaluation.send_improvement_reminders() == 0
    clock.set(plan.due_at - timedelta(days=2))
    tick()
    tick()
    assert told(world.manager_a, "evaluation.improvement_due") == 1  # the missing plan only, once
    clock.set(plan.due_at + timedelta(days=1))
    assert evaluation.send_improvement_reminders() == 0


@pytest.mark.parametrize("action", IMPROVEMENT_TRANSITIONS)
def test_each_improvement_action_moves_from_its_sources_and_is_refused_from_every_other(action, world, clock):
    plan = plan_of(scored(world, world.club_a, "50"))

    def put_in(plan, status):
        plan.status = status
        submitted = status == ImprovementStatus.SUBMITTED
        plan.body, plan.submitted_at = ("已整改", clock.now()) if submitted else (None, None)
        db.session.commit()

    def move(plan, action, actor, reason=None):
        move_improvement(plan, action, actor, body="已整改", submitted_at=clock.now())

    check_action(IMPROVEMENTS, action, plan, put_in, move, world.manager_a)


# -- where the plans show ----------------------------------------------------------------------------------


def test_the_organizations_page_lists_its_projects_plans_and_says_which_is_missing(app, world):
    scored(world, world.club_a, "50", title="迎新晚会")
    answered = scored(world, world.club_a, "55", title="考研讲座")
    scored(world, world.club_a, "90", title="读书会")
    signed_in(app, world.manager_a).post(improvement_url(answered), data={"body": "邀请更多讲者"})

    page = signed_in(app, None).get(f"/orgs/{world.club_a.id}").get_data(as_text=True)
    results = page[page.index('data-testid="results"') :]
    row = results[results.index("迎新晚会") :]
    assert "整改未提交" in row[: row.index("</tr>")]
    row = results[results.index("考研讲座") :]
    assert "已提交整改说明" in row[: row.index("</tr>")] and "邀请更多讲者" in row[: row.index("</tr>")]
    row = results[results.index("读书会") :]
    assert 'data-testid="improvement-status"' not in row[: row.index("</tr>")]  # 90: none required


def test_the_posting_form_shows_the_latest_below_threshold_projects_of_the_chosen_category(app, world):
    scored(world, world.club_a, "50", title="期中答疑周", category="academic")
    answered = scored(world, world.club_b, "45", title="简历门诊", category="career")
    signed_in(app, world.manager_b).post(improvement_url(answered), data={"body": "请更多校友参与"})
    staff = signed_in(app, world.staff)

    page = staff.get("/projects/new").get_data(as_text=True)  # the form starts on 学业发展
    assert 'data-value="academic">' in page  # shown
    assert "期中答疑周" in group(page, "academic") and "学业互助社" in group(page, "academic")
    assert "整改未提交" in group(page, "academic")
    assert 'data-value="career" hidden' in page  # shown when staff choose it (static/js/app.js)

    draft = world.draft(category="career")
    page = staff.get(f"/projects/{draft.id}/edit").get_data(as_text=True)
    assert 'data-value="career">' in page and 'data-value="academic" hidden' in page
    assert "简历门诊" in group(page, "career") and "请更多校友参与" in group(page, "career")


def test_the_posting_form_says_nothing_of_improvements_while_there_are_none(app, world):
    page = signed_in(app, world.staff).get("/projects/new").get_data(as_text=True)
    assert 'data-testid="category-improvements"' not in page


def test_bid_reviewers_see_beside_a_bid_that_its_organizations_plan_is_missing(app):
    world = ReviewWorld()
    scored(world, world.club_a, "50", title="迎新晚会")  # club A hosted an earlier project
    world.seat_everyone()

    panelist = signed_in(app, world.evaluators[0])
    page = panelist.get(f"/review/projects/{world.project.id}/score/{world.bid_a.public_id}").get_data(
        as_text=True
    )
    assert "迎新晚会" in page and "整改未提交" in page
    page = panelist.get(f"/review/projects/{world.project.id}/score/{world.bid_b.public_id}").get_data(
        as_text=True
    )
    assert "整改未提交" not in page and "暂无承办记录" in page
