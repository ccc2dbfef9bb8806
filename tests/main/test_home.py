"""The signed-in home page (待办): one section per role the user holds, each listing what that role can
or must act on now — and nothing of another role's."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from marketplace import clock
from marketplace.accounts.models import AccountStatus
from marketplace.bids import operations as bid_ops
from marketplace.bids.models import Recusal
from marketplace.credits.models import CreditRecord, CreditStatus
from marketplace.disclosure import suggestions as suggestion_ops
from marketplace.extensions import db
from marketplace.needs import operations as need_ops
from marketplace.projects import operations as project_ops
from marketplace.volunteers import home as volunteers_home
from marketplace.volunteers import signups
from marketplace.volunteers.models import Admission, Shift, Signup, SignupStatus, Training, TrainingAttendance
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import CreditWorld, add_records
from tests.disclosure.helpers import DisclosureWorld
from tests.needs.helpers import NeedWorld
from tests.projects.helpers import World
from tests.review.helpers import ReviewWorld, awarded, seat
from tests.volunteers.helpers import HostingWorld

ROW = re.compile(r'<a class="[^"]*" data-testid="home-action"(?: data-kind="([a-z_.]+)")? href="([^"]+)">')


def sections(html: str) -> set[str]:
    return set(re.findall(r'data-section="([a-z_]+)"', html))


def kinds(html: str) -> list[str]:
    return [kind for kind, _href in ROW.findall(html) if kind]


def home(app, user) -> str:
    response = signed_in(app, user).get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def open_shift_links(html: str) -> list[str]:
    block = html.split('data-testid="open-shifts"')[1].split("</ul>")[0] if "open-shifts" in html else ""
    return re.findall(r'href="(/volunteer/shifts/\d+)"', block)


# -- the student ---------------------------------------------------------------------------------------


def test_a_student_is_offered_open_shifts_with_the_button_of_the_admission_mode(app):
    world = HostingWorld()
    student = world.students(1)[0]
    world.shift(world.position(), starts_in=timedelta(days=1))
    world.shift(world.position(Admission.APPROVAL, title="审核岗"), starts_in=timedelta(days=2))
    lottery = world.position(
        Admission.LOTTERY, title="抽签岗", signup_closes_at=clock.now() + timedelta(days=1)
    )
    world.shift(lottery, starts_in=timedelta(days=3))
    html = home(app, student)
    assert sections(html) == {"student"}
    assert re.findall(r'data-testid="sign-up">([^<]+)<', html) == ["报名", "申请", "参加抽签"]


def test_a_shift_needing_a_training_is_hidden_from_a_student_without_it(app):
    world = HostingWorld()
    trained, untrained = world.students(2)
    training = Training(
        project_id=world.project.id, title="急救培训", held_at=clock.now() - timedelta(days=1)
    )
    training.attendees = [TrainingAttendance(user_id=trained.id)]
    db.session.add(training)
    db.session.commit()
    shift = world.shift(world.position(required_training_id=training.id))
    assert open_shift_links(home(app, trained)) == [shift.url]
    assert open_shift_links(home(app, untrained)) == []


def test_shifts_of_another_college_or_grade_are_hidden(app):
    world = HostingWorld()
    college = factories.college()
    student = world.students(1, college=college, grade=2024)[0]
    world.shift(world.position(required_college_id=factories.college().id))
    world.shift(world.position(min_grade=2025), starts_in=timedelta(days=4))
    world.shift(world.position(required_political=["party_member"]), starts_in=timedelta(days=5))
    mine = world.shift(world.position(required_college_id=college.id), starts_in=timedelta(days=6))
    assert open_shift_links(home(app, student)) == [mine.url]


def test_a_shift_overlapping_an_accepted_one_is_hidden_and_so_is_one_already_signed_up(app):
    world = HostingWorld()
    student = world.students(1)[0]
    taken = world.shift(world.position(), starts_in=timedelta(days=1))
    world.sign_up(student, taken)
    world.shift(world.position(title="同时段"), starts_in=timedelta(days=1, hours=1))
    later = world.shift(world.position(title="第二天"), starts_in=timedelta(days=2))
    assert open_shift_links(home(app, student)) == [later.url]


def test_a_full_first_come_shift_is_hidden_but_a_lottery_is_never_full_before_its_draw(app):
    world = HostingWorld()
    student, other = world.students(2)
    full = world.shift(world.position(), capacity=1)
    world.sign_up(other, full)
    lottery = world.position(Admission.LOTTERY, signup_closes_at=clock.now() + timedelta(days=1))
    drawn_later = world.shift(lottery, capacity=1, starts_in=timedelta(days=4))
    world.sign_up(other, drawn_later)
    assert open_shift_links(home(app, student)) == [drawn_later.url]


def test_home_and_sign_up_agree_on_every_requirement(app):
    """The list is filtered by the same conditions sign_up checks: what it offers, sign_up accepts."""
    world = HostingWorld()
    college = factories.college()
    positions = [
        world.position(required_college_id=college.id),
        world.position(min_grade=2025),
        world.position(max_grade=2023),
        world.position(required_political=["league_member"]),
        world.position(),
    ]
    students = [
        world.students(1, college=college, grade=2024)[0],
        world.students(1, grade=2026, political_status="league_member")[0],
        world.students(1, grade=2022)[0],
    ]
    for i, position in enumerate(positions):
        world.shift(position, capacity=5, starts_in=timedelta(days=1 + i))
    for student in students:
        offered = {
            position.id for position in positions if signups.unmet_requirement(student, position) is None
        }
        html = home(app, student)
        listed = {int(m) for m in re.findall(r"/volunteer/shifts/(\d+)/signup", html)}
        shown = {s.position_id for s in db.session.scalars(db.select(Shift).where(Shift.id.in_(listed)))}
        assert shown == offered


def test_a_blocked_student_is_told_until_when_and_offered_no_shift(app):
    world = HostingWorld()
    student = world.students(1)[0]
    world.shift(world.position(), starts_in=timedelta(days=5))
    for i in range(3):
        past = world.shift(world.position(title=f"旧岗{i}"), starts_in=timedelta(hours=2 + 3 * i))
        world.sign_up(student, past)
    clock.set(clock.now() + timedelta(hours=12))
    for signup in db.session.scalars(db.select(Signup).where(Signup.user_id == student.id)):
        signups.move_signup(signup, "no_show", None)
    db.session.commit()
    html = home(app, student)
    assert 'data-testid="blocked"' in html
    assert open_shift_links(html) == []


def test_the_next_shift_shows_the_check_in_button_on_its_day_only(app):
    world = HostingWorld()
    student = world.students(1)[0]
    shift = world.shift(world.position(), starts_in=timedelta(days=2))
    world.sign_up(student, shift)
    html = home(app, student)
    assert 'data-testid="next-shift"' in html and 'data-testid="checkin"' not in html
    clock.set(shift.starts_at - timedelta(hours=1))
    assert f'href="/checkin/{shift.id}"' in home(app, student)


def test_the_next_shift_is_the_soonest_accepted_one_that_has_not_ended(app):
    world = HostingWorld()
    student, first = world.students(2)
    soon = world.shift(world.position(), starts_in=timedelta(days=1))
    full = world.shift(world.position(title="签到岗"), capacity=1, starts_in=timedelta(days=2))
    later = world.shift(world.position(title="引导岗"), starts_in=timedelta(days=3))
    world.sign_up(first, full)
    for shift in (later, full, soon):
        world.sign_up(student, shift)
    assert volunteers_home.next_shift(student).shift_id == soon.id
    clock.set(soon.ends_at + timedelta(minutes=1))
    # The full shift's sign-up waits: the next one the student holds is the later shift.
    assert volunteers_home.next_shift(student).shift_id == later.id
    clock.set(later.ends_at)
    assert volunteers_home.next_shift(student) is None


def test_an_offer_to_confirm_waits_for_the_student(app):
    world = HostingWorld()
    student, first = world.students(2)
    shift = world.shift(world.position(), capacity=1, starts_in=timedelta(hours=20))
    world.sign_up(first, shift)
    world.sign_up(student, shift)
    signup = db.session.scalar(db.select(Signup).where(Signup.user_id == first.id))
    signups.request_leave(first, signup, {"reason": "临时有课"})
    db.session.commit()
    assert (
        db.session.scalar(db.select(Signup.status).where(Signup.user_id == student.id))
        == SignupStatus.OFFERED
    )
    html = home(app, student)
    assert "signup.offered" in kinds(html)


def test_the_terms_credits_show_verified_and_waiting_apart(app):
    world = CreditWorld(volunteers=1)
    student = world.volunteers[0]
    add_records(world, 1, user=student, status=CreditStatus.VERIFIED, hours="4")
    html = home(app, student)
    credits = html.split('data-testid="term-credits"')[1].split("</div>")[0]
    assert "已认定" in credits and "待认定" in credits


def test_a_graduate_sees_their_documents_only(app):
    world = HostingWorld()
    graduate = world.students(1, status=AccountStatus.GRADUATED)[0]
    world.shift(world.position())
    html = home(app, graduate)
    assert sections(html) == {"graduate"}
    assert 'data-testid="sign-up"' not in html
    assert kinds(html) == ["transcript"]
    assert 'href="/transcript"' in html


def test_a_student_with_nothing_to_do_sees_one_line_and_the_shortcuts(app):
    student = factories.user()
    html = home(app, student)
    assert sections(html) == set()
    assert 'data-testid="nothing-to-do"' in html and 'data-testid="shortcuts"' in html


# -- the organization's manager ------------------------------------------------------------------------


def test_a_manager_sees_projects_open_to_their_bid_and_nothing_of_other_bids(app):
    world = World()
    project = world.open_project()
    world.bid(project, world.manager_b, world.club_b)
    html = home(app, world.manager_a)
    assert sections(html) == {"org_manager"}
    assert kinds(html) == ["project.open_to_bid"]
    assert world.club_b.name not in html and "份标书" not in html
    assert kinds(home(app, world.manager_b)) == ["bid.submitted"]


def test_a_bid_to_confirm_again_after_a_change_comes_first(app):
    world = World()
    project = world.open_project()
    world.bid(project, world.manager_a, world.club_a)
    bid_ops.ask_bidders_to_reconfirm(project)
    db.session.commit()
    assert kinds(home(app, world.manager_a))[0] == "bid.reconfirm"


def test_the_host_sees_todays_shift_with_its_code_and_sign_ups_to_decide(app):
    world = HostingWorld()
    today = world.shift(world.position(), starts_in=timedelta(hours=3))
    approval = world.shift(world.position(Admission.APPROVAL), starts_in=timedelta(days=2))
    for student in world.students(2):
        world.sign_up(student, approval)
    html = home(app, world.host)
    assert {"shift.today", "signup.to_decide"} <= set(kinds(html))
    assert f'href="/hosting/shifts/{today.id}/code"' in html
    assert "2 人报名待审核" in html


def test_the_host_is_asked_to_confirm_attendance_after_a_shift(app):
    world = HostingWorld()
    shift = world.shift(world.position(), starts_in=timedelta(hours=3))
    world.sign_up(world.students(1)[0], shift)
    clock.set(shift.ends_at + timedelta(hours=1))
    assert "shift.attendance" in kinds(home(app, world.host))


# -- the union's staff ---------------------------------------------------------------------------------


def test_the_staff_see_drafts_and_questions_on_the_home_page_and_the_dashboard(app):
    world = World()
    world.draft(title="还没写完的项目")
    project = world.open_project()
    project_ops.ask_question(world.manager_a, project, {"body": "预算可以用于购买奖品吗？"})
    db.session.commit()
    html = home(app, world.staff)
    assert sections(html) == {"staff"}
    assert set(kinds(html)) == {"project.draft", "question.unanswered"}
    dashboard = signed_in(app, world.staff).get("/staff").get_data(as_text=True)
    assert set(kinds(dashboard)) == {"project.draft", "question.unanswered"}


def test_a_kind_with_more_rows_than_shown_shows_its_most_urgent_ones(app):
    """Seven projects with questions, the later deadline posted first: the five nearest deadlines show,
    nearest first, whatever order the rows were written in."""
    world = World()
    for days in range(17, 10, -1):
        project = world.open_project(title=f"截止前 {days} 天的项目", days=days)
        project_ops.ask_question(world.manager_a, project, {"body": "可以跨学院组队吗？"})
    db.session.commit()
    html = home(app, world.staff)
    assert kinds(html) == ["question.unanswered"] * 5
    titles = re.findall(r"截止前 (\d+) 天的项目", html)
    assert titles == ["11", "12", "13", "14", "15"]


def test_a_project_past_its_deadline_with_no_panel_is_ready_for_review_and_no_bid_is_counted(app):
    world = World()
    project = world.open_project()
    world.bid(project, world.manager_a, world.club_a)
    html = home(app, world.staff)
    assert "project.review_ready" not in kinds(html)
    clock.set(project.bid_deadline + timedelta(minutes=1))
    html = home(app, world.staff)
    assert "project.review_ready" in kinds(html)
    assert "份标书" not in html


# -- verifier, league reviewer, evaluator, admin ---------------------------------------------------------


def test_the_verifier_sees_the_queue_size_and_its_oldest_record(app):
    world = CreditWorld(volunteers=2)
    html = home(app, world.reviewer)
    assert sections(html) == {"verifier"}  # nothing for the league to approve or rule on
    assert "2 条学分记录待认定" in html


def test_a_queue_longer_than_a_badge_counts_reads_99_plus(app):
    """The queue's row stops counting at 99, as a phone's badge does: a term's backlog of a hundred
    thousand records costs the home page no more than a short queue."""
    world = CreditWorld(volunteers=2)
    record = db.session.scalars(select(CreditRecord)).first()
    for _ in range(98):
        db.session.add(
            CreditRecord(
                user_id=record.user_id,
                project_id=record.project_id,
                category_id=record.category_id,
                term_id=record.term_id,
                hours=record.hours,
                credits=record.credits,
                occurred_at=record.occurred_at,
            )
        )
    db.session.commit()
    assert "99+ 条学分记录待认定" in home(app, world.reviewer)


def test_the_league_reviewer_sees_major_projects_to_approve(app):
    world = World()
    world.open_project(flagged_major=True)
    html = home(app, world.reviewer)
    assert "project.to_approve" in kinds(html)
    assert "league" in sections(html)


def test_an_evaluator_sees_a_panel_to_score_and_nothing_of_a_project_they_are_recused_from(app):
    world = ReviewWorld(panelists=2)
    seat(world.staff, world.project, world.evaluators)
    db.session.commit()
    assert kinds(home(app, world.evaluators[0])) == ["seat.score"]
    # A recusal recorded for the second (a member of a bidder on the deadline's date): nothing of the
    # project shows on their home page, though their seat is still there.
    db.session.add(
        Recusal(project_id=world.project.id, user_id=world.evaluators[1].id, org_id=world.club_a.id)
    )
    db.session.commit()
    html = home(app, world.evaluators[1])
    assert world.project.title not in html
    assert "evaluator" not in sections(html)


def test_an_admin_is_told_what_is_not_set_up(app):
    admin = factories.user(kind="faculty", roles=("admin",))
    html = home(app, admin)
    assert sections(html) == {"admin"}
    assert "settings.term" in kinds(html)


def test_the_winner_is_told_of_the_award_and_the_loser_is_not(app):
    world = awarded(ReviewWorld())
    assert "award.won" in kinds(home(app, world.manager_a))
    assert "award.won" not in kinds(home(app, world.manager_b))


def test_the_host_is_asked_for_the_completion_report_once_the_hosting_period_ended(app):
    world = HostingWorld()
    assert "project.completion_due" not in kinds(home(app, world.host))
    world.project.hosting_starts_on = clock.today_local() - timedelta(days=10)
    world.project.hosting_ends_on = clock.today_local() - timedelta(days=1)
    db.session.commit()
    assert "project.completion_due" in kinds(home(app, world.host))


def test_the_staff_are_offered_to_repost_a_project_that_failed(app):
    world = World()
    project = world.open_project()
    clock.set(project.bid_deadline + timedelta(hours=1))
    assert "project.failed" in kinds(home(app, world.staff))
    project_ops.repost(world.staff, project)
    db.session.commit()
    assert "project.failed" not in kinds(home(app, world.staff))


# -- the needs pool and the union's public record ------------------------------------------------------


def test_supporters_and_the_author_see_an_answered_need_and_no_row_names_the_author(app):
    world = NeedWorld()
    need = world.support(world.post(title="期末周图书馆座位太少"), world.students[0])
    need_ops.decline(world.staff, need, {"reason": "图书馆已在扩建，暂不另设项目"})
    db.session.commit()

    supporter = home(app, world.students[0])
    assert "need.answered" in kinds(supporter)
    assert "期末周图书馆座位太少（未采纳）" in supporter
    assert world.author.name not in supporter
    assert "need.answered" in kinds(home(app, world.author))
    assert "need.answered" not in kinds(home(app, world.students[1]))  # neither posted nor supports
    assert "need.answered" not in kinds(home(app, world.staff))
    clock.set(clock.now() + timedelta(days=15))
    assert "need.answered" not in kinds(home(app, world.students[0]))


def test_a_hidden_need_is_news_to_its_author_only(app):
    world = NeedWorld()
    need = world.support(world.post(), world.students[0])
    need_ops.hide(world.staff, need, {"reason": "含有他人个人信息"})
    db.session.commit()
    assert "need.answered" in kinds(home(app, world.author))
    assert "need.answered" not in kinds(home(app, world.students[0]))


def test_needs_past_their_answer_time_show_to_their_unions_staff_as_the_dashboard_counts_them(app):
    world = NeedWorld()
    need = world.post()
    world.post(author=world.master)  # the 研究生会's, not yet due either
    assert "need.overdue" not in kinds(home(app, world.staff))
    clock.set(need.answer_due_at + timedelta(minutes=1))

    html = home(app, world.staff)
    dashboard = signed_in(app, world.staff).get("/staff").get_data(as_text=True)
    assert "need.overdue" in kinds(html) and "1 条同学需求已超过答复时限" in html
    assert "need.overdue" in kinds(dashboard) and "有 1 条同学需求已超过答复时限。" in dashboard
    assert "need.overdue" in kinds(home(app, world.graduate_staff))  # its own need is overdue too
    assert "有 1 条同学需求已超过答复时限。" in signed_in(app, world.graduate_staff).get("/staff").get_data(
        as_text=True
    )
    assert "need.overdue" not in kinds(home(app, world.author))
    assert "need.overdue" not in kinds(home(app, world.reviewer))


def test_a_union_staff_member_sees_the_suggestions_waiting_for_an_answer_until_answered(app):
    world = DisclosureWorld()
    waiting = world.suggestion()
    world.suggestion(author=world.other_student)

    html = home(app, world.staff)
    assert "suggestion.waiting" in kinds(html) and "2 条意见建议待回复" in html
    assert "suggestion.waiting" not in kinds(home(app, world.student))
    assert "suggestion.waiting" not in kinds(home(app, world.reviewer))
    suggestion_ops.answer(world.staff, waiting, {"answer": "已转交图书馆。"})
    db.session.commit()
    assert "1 条意见建议待回复" in home(app, world.staff)


def test_the_league_reviewer_sees_charters_and_announcements_awaiting_approval(app):
    world = DisclosureWorld()
    world.charter(to="pending")
    world.announcement("期末答疑周安排", to="pending")
    world.announcement("还是草稿的公告")

    html = home(app, world.reviewer)
    assert {"charter.pending", "announcement.pending"} <= set(kinds(html))
    assert "期末答疑周安排" in html and "还是草稿的公告" not in html
    assert not {"charter.pending", "announcement.pending"} & set(kinds(home(app, world.staff)))
    assert not {"charter.pending", "announcement.pending"} & set(kinds(home(app, world.student)))


def test_the_league_reviewer_sees_appeals_against_hiding_to_rule_on(app):
    world = NeedWorld()
    need = world.post(title="食堂夜宵窗口")
    need_ops.hide(world.staff, need, {"reason": "与已有需求重复"})
    record = need_ops.appeal(world.author, need, {"body": "这是不同的需求"})
    db.session.commit()

    assert "need.appeal_pending" in kinds(home(app, world.reviewer))
    assert "need.appeal_pending" not in kinds(home(app, world.staff))
    assert "need.appeal_pending" not in kinds(home(app, world.author))
    need_ops.rule_appeal(world.reviewer, record, {"decision": "dismiss", "reason": "确属重复"})
    db.session.commit()
    assert "need.appeal_pending" not in kinds(home(app, world.reviewer))
