"""The answer time: a need is due within the ``need_answer_days`` setting; a day before, its union's
staff are reminded once (by the clock, whichever worker runs the tick); overdue needs show on the staff
dashboard and its answering queue."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace import settings
from marketplace.extensions import db
from marketplace.needs import operations
from marketplace.needs.models import Need
from marketplace.needs.queries import overdue
from marketplace.notify.models import Notification
from marketplace.projects.tasks import tick
from tests.bids.helpers import signed_in
from tests.needs.helpers import NeedWorld


def reminded() -> list[int]:
    return list(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == "need.answer_due"))
    )


def test_the_staff_are_reminded_once_a_day_before_the_answer_is_due(app, clock):
    world = NeedWorld()
    need = world.post()

    clock.set(need.answer_due_at - timedelta(days=1, minutes=1))
    tick()
    assert reminded() == []

    clock.set(need.answer_due_at - timedelta(hours=23))
    assert tick()["need_reminders"] == 1
    assert tick()["need_reminders"] == 0
    db.session.commit()
    assert reminded() == [world.staff.id]  # the school union's staff, not the graduate union's


def test_a_need_transferred_after_its_reminder_reminds_the_new_unions_staff(app, clock):
    world = NeedWorld()
    need = world.post()
    clock.set(need.answer_due_at - timedelta(hours=23))
    tick()
    operations.transfer(world.staff, need)
    db.session.commit()

    assert tick()["need_reminders"] == 1
    db.session.commit()
    assert sorted(reminded()) == sorted([world.staff.id, world.graduate_staff.id])


def test_an_answered_need_is_not_reminded(app, clock):
    world = NeedWorld()
    need = world.post()
    operations.decline(world.staff, need, {"reason": "已有安排"})
    db.session.commit()

    clock.set(need.answer_due_at - timedelta(hours=1))
    assert tick()["need_reminders"] == 0


def test_the_answer_time_follows_the_setting(app, clock):
    world = NeedWorld()
    settings.put("need_answer_days", 3, None)
    db.session.commit()
    need = world.post()
    assert need.answer_due_at - need.created_at == timedelta(days=3)


def test_overdue_needs_show_on_the_staff_dashboard_and_queue(app, clock):
    world = NeedWorld()
    need = world.post()
    client = signed_in(app, world.staff)
    assert "同学需求都在答复时限内。" in client.get("/staff").get_data(as_text=True)

    clock.set(need.answer_due_at + timedelta(minutes=1))

    dashboard = client.get("/staff").get_data(as_text=True)
    queue = client.get("/needs/staff").get_data(as_text=True)
    assert "有 1 条同学需求已超过答复时限。" in dashboard
    assert 'data-testid="overdue"' in queue and need.title in queue
    assert (
        signed_in(app, world.graduate_staff)
        .get("/needs/staff")
        .get_data(as_text=True)
        .count('data-testid="need"')
        == 0
    )


def test_the_answering_queue_is_for_union_staff(app, clock):
    world = NeedWorld()
    assert signed_in(app, world.students[0]).get("/needs/staff").status_code == 403


def test_past_ninety_nine_overdue_needs_the_dashboard_and_the_home_page_read_99_plus(app, clock):
    world = NeedWorld()
    need = world.post()
    # Copies of one need, each due an hour earlier than the last: the count stops at a hundred, as a
    # phone's badge does, and the oldest due time is still the oldest of all.
    columns = {c.key: getattr(need, c.key) for c in Need.__table__.columns if c.key != "id"}
    due = need.answer_due_at
    db.session.add_all(Need(**{**columns, "answer_due_at": due - timedelta(hours=i)}) for i in range(1, 151))
    db.session.commit()
    clock.set(due + timedelta(minutes=1))

    row = db.session.execute(overdue({world.school_union.id}, clock.now())).one()
    assert row.n == 100 and row.at == due - timedelta(hours=150)
    client = signed_in(app, world.staff)
    assert "有 99+ 条同学需求已超过答复时限。" in client.get("/staff").get_data(as_text=True)
    assert "99+ 条同学需求已超过答复时限" in client.get("/").get_data(as_text=True)
