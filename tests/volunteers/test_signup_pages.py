"""Signing up through the pages: sign up, cancel, leave, confirm an offer; refusals show their reason
(422); the host creates positions and shifts, decides on applicants and draws the lottery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace import draw
from marketplace.extensions import db
from marketplace.volunteers.models import Admission, Position, Shift, Signup, SignupStatus, Training
from tests import factories
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import error_of, shift_form, signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


def status_of(student, shift) -> Signup:
    db.session.expire_all()
    return db.session.scalar(select(Signup).where(Signup.user_id == student.id, Signup.shift_id == shift.id))


def test_a_student_signs_up_cancels_and_signing_up_again_keeps_the_same_signup(app, world):
    shift = world.shift(world.position(), capacity=2)
    student = world.students(1)[0]
    client = signed_in(app, student)

    response = client.post(f"/volunteer/shifts/{shift.id}/signup")
    assert response.status_code == 302
    page = client.get(f"/volunteer/shifts/{shift.id}").get_data(as_text=True)
    assert "报名成功，你已被录用" in page and "已录用" in page
    first = status_of(student, shift)

    assert client.post(f"/volunteer/shifts/{shift.id}/cancel").status_code == 302
    assert status_of(student, shift).status == SignupStatus.CANCELLED
    assert client.post(f"/volunteer/shifts/{shift.id}/signup").status_code == 302
    again = status_of(student, shift)
    assert again.status == SignupStatus.ACCEPTED and again.public_id == first.public_id


def test_a_full_shift_shows_the_student_their_place_on_the_waiting_list(app, world):
    shift = world.shift(world.position(), capacity=1)
    first, second, third = world.students(3)
    world.sign_up(first, shift)
    world.sign_up(second, shift)
    client = signed_in(app, third)
    client.post(f"/volunteer/shifts/{shift.id}/signup")
    page = client.get(f"/volunteer/shifts/{shift.id}").get_data(as_text=True)
    assert "候补中" in page and "候补第 2 位" in page


def test_leave_needs_a_reason_beside_the_field_and_then_frees_the_seat_for_the_waiting_list(app, world):
    shift = world.shift(world.position(), capacity=1)
    volunteer, waiting = world.students(2)
    world.sign_up(volunteer, shift)
    world.sign_up(waiting, shift)
    client = signed_in(app, volunteer)

    refused = client.post(f"/volunteer/shifts/{shift.id}/leave", data={"reason": ""})
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "reason") == "此项必填。"

    assert (
        client.post(f"/volunteer/shifts/{shift.id}/leave", data={"reason": "临时有考试"}).status_code == 302
    )
    assert status_of(volunteer, shift).status == SignupStatus.LEAVE
    assert status_of(waiting, shift).status == SignupStatus.ACCEPTED


def test_a_student_promoted_close_to_the_shift_confirms_the_offer_on_the_shift_page(app, world, clock):
    shift = world.shift(world.position(), capacity=1, starts_in=timedelta(days=3))
    leaving, promoted = world.students(2)
    world.sign_up(leaving, shift)
    world.sign_up(promoted, shift)
    clock.set(shift.starts_at - timedelta(hours=30))
    signed_in(app, leaving).post(f"/volunteer/shifts/{shift.id}/leave", data={"reason": "生病"})
    assert status_of(promoted, shift).status == SignupStatus.OFFERED

    client = signed_in(app, promoted)
    page = client.get(f"/volunteer/shifts/{shift.id}").get_data(as_text=True)
    assert "确认递补" in page
    assert client.post(f"/volunteer/shifts/{shift.id}/confirm").status_code == 302
    assert status_of(promoted, shift).status == SignupStatus.ACCEPTED


def test_an_unmet_requirement_is_refused_with_its_reason(app, world):
    college = factories.college("外国语学院")
    shift = world.shift(world.position(required_college_id=college.id))
    student = world.students(1)[0]
    response = signed_in(app, student).post(f"/volunteer/shifts/{shift.id}/signup")
    assert response.status_code == 422
    assert "仅限外国语学院的同学报名" in response.get_data(as_text=True)
    assert status_of(student, shift) is None


def test_an_overlapping_shift_is_refused_with_its_reason(app, world):
    position = world.position()
    taken = world.shift(position, starts_in=timedelta(days=3), hours=3)
    overlapping = world.shift(position, starts_in=timedelta(days=3, hours=2), hours=3)
    student = world.students(1)[0]
    world.sign_up(student, taken)
    response = signed_in(app, student).post(f"/volunteer/shifts/{overlapping.id}/signup")
    assert response.status_code == 422
    assert "与你已报名的班次时间冲突" in response.get_data(as_text=True)


def test_cancelling_after_the_cutoff_is_refused_and_leave_is_offered_instead(app, world, clock):
    shift = world.shift(world.position(), starts_in=timedelta(days=3))
    student = world.students(1)[0]
    world.sign_up(student, shift)
    clock.set(shift.starts_at - timedelta(hours=2))
    client = signed_in(app, student)
    assert "取消报名" not in client.get(f"/volunteer/shifts/{shift.id}").get_data(as_text=True)
    response = client.post(f"/volunteer/shifts/{shift.id}/cancel")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "小时内不能取消" in page and "请假" in page
    assert status_of(student, shift).status == SignupStatus.ACCEPTED


def test_signed_out_visitors_see_the_recruitment_and_are_sent_to_log_in_to_sign_up(app, world):
    shift = world.shift(world.position(title="迎新引导员"), capacity=4)
    client = signed_in(app, None)
    page = client.get(f"/projects/{world.project.id}/volunteer").get_data(as_text=True)
    assert "迎新引导员" in page and "剩余 4/4 个名额" in page and "登录报名" in page
    response = client.post(f"/volunteer/shifts/{shift.id}/signup")
    assert response.status_code == 302 and "/login" in response.location


def test_unknown_shifts_are_404_and_the_host_pages_are_forbidden_to_others(app, world):
    shift = world.shift(world.position())
    student = signed_in(app, world.students(1)[0])
    assert student.get("/volunteer/shifts/99999").status_code == 404
    assert student.get("/hosting/shifts/99999/roster").status_code == 404
    for path in (
        f"/hosting/projects/{world.project.id}",
        f"/hosting/shifts/{shift.id}/roster",
        f"/hosting/shifts/{shift.id}/code",
        f"/hosting/positions/{shift.position_id}/edit",
    ):
        assert student.get(path).status_code == 403
        assert signed_in(app, world.manager_b).get(path).status_code == 403


def test_the_host_creates_a_position_and_a_shift_typed_in_beijing_time(app, world):
    host = signed_in(app, world.host)
    response = host.post(
        f"/hosting/projects/{world.project.id}/positions/new",
        data={
            "title": "讲座场务",
            "description": "布置会场",
            "admission": "first_come",
            "credit_category_id": "",
        },
    )
    assert response.status_code == 302
    position = db.session.scalar(select(Position).where(Position.title == "讲座场务"))
    starts = datetime(2026, 3, 20, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    response = host.post(
        f"/hosting/positions/{position.id}/shifts/new", data=shift_form(starts, starts + timedelta(hours=2))
    )
    assert response.status_code == 302
    shift = db.session.scalar(select(Shift).where(Shift.position_id == position.id))
    assert shift.starts_at == starts and shift.capacity == 3
    console = host.get(f"/hosting/projects/{world.project.id}").get_data(as_text=True)
    assert "讲座场务" in console and "03-20" in console and "09:00" in console


def test_a_lottery_position_without_a_closing_time_is_refused_beside_the_field(app, world):
    response = signed_in(app, world.host).post(
        f"/hosting/projects/{world.project.id}/positions/new",
        data={"title": "抽签岗", "admission": "lottery", "credit_category_id": ""},
    )
    assert response.status_code == 422
    assert "须设置报名截止时间" in error_of(response.get_data(as_text=True), "signup_closes_at")


def test_a_shift_ending_before_it_starts_is_refused_and_keeps_what_was_typed(app, world):
    position = world.position()
    starts = datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    response = signed_in(app, world.host).post(
        f"/hosting/positions/{position.id}/shifts/new",
        data=shift_form(starts, starts - timedelta(hours=1), place="体育馆南门"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_of(page, "ends_at") == "结束时间必须晚于开始时间。"
    assert 'value="体育馆南门"' in page


def test_the_host_approves_and_rejects_applicants_from_the_roster(app, world):
    shift = world.shift(world.position(Admission.APPROVAL), capacity=1)
    chosen, declined = world.students(2)
    for student in (chosen, declined):
        world.sign_up(student, shift)
    host = signed_in(app, world.host)
    roster = host.get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)
    assert "待录取（2 人）" in roster
    for student, decision in ((chosen, "accept"), (declined, "reject")):
        signup = status_of(student, shift)
        response = host.post(f"/hosting/signups/{signup.public_id}/decide", data={"decision": decision})
        assert response.status_code == 302
    assert status_of(chosen, shift).status == SignupStatus.ACCEPTED
    assert status_of(declined, shift).status == SignupStatus.REJECTED


def test_the_host_draws_the_lottery_after_closing_and_the_seed_is_shown(app, world, clock):
    closes = clock.now() + timedelta(days=1)
    shift = world.shift(world.position(Admission.LOTTERY, signup_closes_at=closes), capacity=2)
    signups = [world.sign_up(s, shift) for s in world.students(5)]
    host = signed_in(app, world.host)
    assert "开始抽签" not in host.get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)
    refused = host.post(f"/hosting/shifts/{shift.id}/draw", follow_redirects=True)
    assert "报名截止后才能抽签" in refused.get_data(as_text=True)

    clock.set(closes + timedelta(minutes=1))
    assert "开始抽签" in host.get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)
    assert host.post(f"/hosting/shifts/{shift.id}/draw").status_code == 302
    seed = draw.seed_for(shift.id, [s.public_id for s in signups])
    roster = host.get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)
    assert seed in roster and "开始抽签" not in roster
    order = draw.draw_order(seed, [s.public_id for s in signups])
    assert [roster.index(public_id) for public_id in order] == sorted(roster.index(p) for p in order)
    again = host.post(f"/hosting/shifts/{shift.id}/draw", follow_redirects=True)
    assert "已经抽过签了" in again.get_data(as_text=True)


def test_training_attendance_is_recorded_by_student_number_and_then_meets_the_requirement(app, world):
    host = signed_in(app, world.host)
    response = host.post(
        f"/hosting/projects/{world.project.id}/trainings",
        data={"title": "急救培训", "held_at": "2026-03-17T19:00", "place": "校医院"},
    )
    assert response.status_code == 302
    training = db.session.scalar(select(Training))
    student = world.students(1)[0]
    refused = host.post(
        f"/hosting/trainings/{training.id}", data={"student_nos": f"{student.student_no}\n20990000"}
    )
    assert refused.status_code == 422
    assert "以下学号没有对应的学生：20990000" in error_of(refused.get_data(as_text=True), "student_nos")
    assert (
        host.post(f"/hosting/trainings/{training.id}", data={"student_nos": student.student_no}).status_code
        == 302
    )

    shift = world.shift(world.position(required_training_id=training.id))
    assert signed_in(app, student).post(f"/volunteer/shifts/{shift.id}/signup").status_code == 302
    assert "急救培训" in signed_in(app, student).get("/volunteer/mine").get_data(as_text=True)
