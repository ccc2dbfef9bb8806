"""A project cancelled while it has volunteers: the shifts still to come are off, their sign-ups end
with the project (never as a no-show), their seats are released, and everyone affected is told; shifts
already begun or over, and their credits, stay as they are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.audit import AuditEntry
from marketplace.credits.models import CreditRecord
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.projects import lifecycle
from marketplace.projects.models import ProjectState
from marketplace.volunteers import attendance, signups, tasks
from marketplace.volunteers.models import Admission, Signup, SignupStatus
from tests.bids.helpers import signed_in
from tests.volunteers.helpers import HostingWorld

S = SignupStatus


@pytest.fixture
def world(app):
    """Club A hosts (club B bid too): a first-come shift in three days with one seat, taken by ``a``
    with ``b`` waiting; an approval shift in four days that ``a`` and ``c`` applied for."""
    world = HostingWorld(bids=True)
    world.first = world.shift(world.position(title="会场引导"), capacity=1, starts_in=timedelta(days=3))
    world.chosen = world.shift(
        world.position(Admission.APPROVAL, title="英语翻译"), capacity=2, starts_in=timedelta(days=4)
    )
    world.a, world.b, world.c = world.students(3)
    world.sign_up(world.a, world.first)
    world.sign_up(world.b, world.first)
    world.sign_up(world.a, world.chosen)
    world.sign_up(world.c, world.chosen)
    return world


def cancel_through_the_league(world) -> None:
    lifecycle.apply(world.project, "request_cancel", world.staff, reason="场地被学校收回")
    db.session.commit()
    lifecycle.apply(world.project, "approve_cancel", world.reviewer)
    db.session.commit()


def statuses(shift) -> dict[int, SignupStatus]:
    return dict(
        db.session.execute(select(Signup.user_id, Signup.status).where(Signup.shift_id == shift.id)).all()
    )


def notified(kind: str) -> list[int]:
    return sorted(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def test_approving_the_cancellation_ends_every_live_sign_up_of_the_shifts_to_come_and_frees_the_seats(
    app, world
):
    signed_in(app, world.staff).post(
        f"/projects/{world.project.id}/request-cancel", data={"reason": "场地被学校收回"}
    )
    signed_in(app, world.reviewer).post(f"/projects/{world.project.id}/approve-cancel")

    db.session.refresh(world.project)
    assert world.project.state == ProjectState.CANCELLED
    assert statuses(world.first) == {world.a.id: S.PROJECT_CANCELLED, world.b.id: S.PROJECT_CANCELLED}
    assert statuses(world.chosen) == {world.a.id: S.PROJECT_CANCELLED, world.c.id: S.PROJECT_CANCELLED}
    db.session.refresh(world.first)
    assert world.first.taken == 0
    ended = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "signup.end_with_project")).all()
    assert len(ended) == 4 and {e.actor_id for e in ended} == {world.reviewer.id}
    assert {e.before["status"] for e in ended} == {"accepted", "waiting", "applied"}


def test_the_volunteers_the_host_the_staff_and_the_other_bidders_are_told_once_each(world):
    cancel_through_the_league(world)

    assert notified("volunteer.project_cancelled") == sorted([world.a.id, world.b.id, world.c.id])
    told_a = db.session.scalar(
        select(Notification).where(
            Notification.user_id == world.a.id, Notification.kind == "volunteer.project_cancelled"
        )
    )
    assert "会场引导" in told_a.body and "英语翻译" in told_a.body and "场地被学校收回" in told_a.body
    assert told_a.link == world.project.url
    assert notified("project.cancel_approved") == sorted([world.staff.id, world.host.id])
    assert notified("project.cancelled") == [world.manager_b.id]  # the host heard as the host


def test_no_no_show_is_ever_recorded_for_a_shift_of_a_cancelled_project(world, clock):
    begun = world.shift(world.position(title="物资清点"), capacity=1, starts_in=timedelta(days=2))
    absent = world.students(1)[0]
    world.sign_up(absent, begun)
    clock.set(begun.starts_at + timedelta(minutes=30))  # under way when the league approves
    cancel_through_the_league(world)
    assert statuses(begun) == {absent.id: S.ACCEPTED}  # a shift already begun is left as it was

    clock.set(world.chosen.ends_at + timedelta(hours=1))
    tasks.mark_no_shows()

    assert db.session.scalars(select(Signup).where(Signup.status == S.NO_SHOW)).all() == []
    assert notified("volunteer.no_show") == []
    assert signups.blocked_until(absent) is None


def test_a_past_shift_keeps_its_sign_ups_and_credits(world, clock):
    past = world.shift(world.position(title="签到台"), capacity=1, starts_in=timedelta(days=1))
    volunteer = world.students(1)[0]
    world.sign_up(volunteer, past)
    clock.set(past.starts_at)
    attendance.check_in_or_out(volunteer, past, {"code": attendance.checkin_code(past)})
    clock.set(past.ends_at - timedelta(seconds=30))
    attendance.check_in_or_out(volunteer, past, {"code": attendance.checkin_code(past)})
    clock.set(past.ends_at + timedelta(minutes=5))
    attendance.confirm_attendance(world.host, past)
    db.session.commit()

    cancel_through_the_league(world)

    assert statuses(past) == {volunteer.id: S.ACCEPTED}
    record = db.session.scalar(select(CreditRecord).where(CreditRecord.user_id == volunteer.id))
    assert record is not None and record.hours > 0
    assert statuses(world.first)[world.a.id] == S.PROJECT_CANCELLED


def test_a_shift_of_a_cancelled_project_refuses_new_sign_ups(app, world):
    cancel_through_the_league(world)
    newcomer = world.students(1)[0]

    with pytest.raises(DomainError, match="项目不在承办阶段"):
        signups.sign_up(newcomer, world.first)
    db.session.rollback()
    response = signed_in(app, newcomer).post(f"/volunteer/shifts/{world.first.id}/signup")
    assert response.status_code == 422
    assert db.session.scalar(select(Signup).where(Signup.user_id == newcomer.id)) is None


def test_the_volunteers_shift_page_no_longer_offers_check_in_leave_or_cancelling(app, world):
    client = signed_in(app, world.a)
    before = client.get(world.first.url).get_data(as_text=True)
    assert "扫描现场二维码签到" in before and "取消报名" in before

    cancel_through_the_league(world)

    page = client.get(world.first.url).get_data(as_text=True)
    assert "项目已取消" in page and "不计缺勤" in page
    for offered in ("扫描现场二维码签到", "手动输入签到码", "取消报名", "请假", "重新报名"):
        assert offered not in page, offered
    assert "志愿项目已取消" in client.get("/notifications/").get_data(as_text=True)


def test_a_cancellation_before_hosting_ends_the_sign_ups_the_same_way(world):
    # Shifts exist only once hosting starts; set the state directly to show the plain cancel does it too.
    world.project.state = ProjectState.OPEN
    db.session.commit()

    lifecycle.apply(world.project, "cancel", world.staff, reason="经费冻结")
    db.session.commit()

    assert set(statuses(world.first).values()) == {S.PROJECT_CANCELLED}
    assert notified("volunteer.project_cancelled") == sorted([world.a.id, world.b.id, world.c.id])
