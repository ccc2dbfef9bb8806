"""The sign-up's and the no-show appeal's status tables: every action from every status, and the audit
entries they write — the system's own moves included, and never the text of a leave reason."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from marketplace.audit import AuditEntry
from marketplace.errors import Conflict
from marketplace.extensions import db
from marketplace.volunteers import signups, tasks
from marketplace.volunteers.models import NoShowAppeal, Signup, SignupStatus
from marketplace.volunteers.reliability import (
    NO_SHOW_APPEAL_TRANSITIONS,
    NO_SHOW_APPEALS,
    move_no_show_appeal,
)
from marketplace.volunteers.signups import SIGNUP_TRANSITIONS, SIGNUPS, move_signup
from tests.statuses import check_action, entries, last_entry
from tests.volunteers.helpers import HostingWorld


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def signup(world):
    return world.sign_up(world.students(1)[0], world.shift(world.position()))


def _put_in(obj, status) -> None:
    obj.status = status
    db.session.commit()


@pytest.mark.parametrize("action", SIGNUP_TRANSITIONS)
def test_each_signup_action_moves_from_its_sources_and_is_refused_from_every_other(action, world, signup):
    check_action(SIGNUPS, action, signup, _put_in, move_signup, world.host)


@pytest.mark.parametrize("action", NO_SHOW_APPEAL_TRANSITIONS)
def test_each_no_show_appeal_action_moves_from_its_sources_and_is_refused_from_every_other(
    action, world, signup, clock
):
    _put_in(signup, SignupStatus.NO_SHOW)
    appeal = NoShowAppeal(signup_id=signup.id, reason="当天发烧去了校医院", created_at=clock.now())
    db.session.add(appeal)
    db.session.commit()
    check_action(
        NO_SHOW_APPEALS, action, appeal, _put_in, move_no_show_appeal, world.host, reason="有就诊记录，属实"
    )


def _actions_on(signup: Signup) -> list[tuple[str, int | None, str | None, str]]:
    """(action, actor id, status before, status after) of each entry about ``signup``, in order."""
    return [
        (e.action, e.actor_id, e.before["status"], e.after["status"])
        for e in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject_type == "signup", AuditEntry.subject_id == signup.public_id)
            .order_by(AuditEntry.id)
        )
    ]


def test_a_first_come_sign_up_is_created_through_the_table_then_accepted(world, signup):
    student_id = signup.user_id
    assert _actions_on(signup) == [
        ("signup.sign_up", student_id, None, "applied"),
        ("signup.accept", student_id, "applied", "accepted"),
    ]


def test_a_sign_up_not_yet_stored_can_only_be_signed_up(world, signup):
    fresh = Signup(shift=signup.shift, user_id=world.students(1)[0].id)
    with pytest.raises(ValueError):
        move_signup(fresh, "cancel", world.host)


def test_a_leave_entry_records_that_a_reason_was_given_never_the_reason(world, signup):
    reason = "家里老人住院，需要回家照顾"
    signups.request_leave(signup.user, signup, {"reason": reason})
    db.session.commit()
    assert signup.leave_reason == reason  # the host still reads it on the roster
    entry = last_entry("signup.leave")
    assert entry.reason is None
    assert entry.after == {"status": "leave", "reason_given": True}
    assert reason not in json.dumps([entry.before, entry.after, entry.reason], ensure_ascii=False)


def test_promotions_lapsed_offers_and_no_shows_are_audited_as_the_systems_moves(world, clock):
    shift = world.shift(world.position(), capacity=2, starts_in=timedelta(days=3))
    first, second, third, fourth = world.students(4)
    leaving, staying = world.sign_up(first, shift), world.sign_up(second, shift)
    promoted, offered = world.sign_up(third, shift), world.sign_up(fourth, shift)

    signups.cancel(first, leaving)  # well before the shift: the first waiting student is promoted
    db.session.commit()
    assert _actions_on(promoted)[-1] == ("signup.promote", None, "waiting", "accepted")

    clock.set(shift.starts_at - timedelta(hours=30))  # close to the shift: a seat freed is offered
    signups.request_leave(second, staying, {"reason": "临时有考试"})
    db.session.commit()
    assert _actions_on(offered)[-1] == ("signup.offer", None, "waiting", "offered")

    clock.set(offered.offer_expires_at)
    tasks.expire_offers()
    db.session.commit()
    assert _actions_on(offered)[-1] == ("signup.expire", None, "offered", "cancelled")

    clock.set(shift.ends_at + timedelta(minutes=1))
    tasks.mark_no_shows()
    assert _actions_on(promoted)[-1] == ("signup.no_show", None, "accepted", "no_show")


def test_an_offer_left_when_the_shift_ends_lapses_through_the_table(world, clock):
    shift = world.shift(world.position(), capacity=1, starts_in=timedelta(days=1))
    first, second = world.students(2)
    taken, waiting = world.sign_up(first, shift), world.sign_up(second, shift)
    signups.request_leave(first, taken, {"reason": "临时有考试"})
    db.session.commit()
    db.session.refresh(waiting)
    assert waiting.status == SignupStatus.OFFERED
    # The shift is over before the periodic step expired the offer: marking no-shows lets it lapse.
    clock.set(shift.ends_at)
    tasks.mark_no_shows()
    db.session.refresh(waiting)
    assert waiting.status == SignupStatus.CANCELLED
    assert _actions_on(waiting)[-1] == ("signup.lapse", None, "offered", "cancelled")


@pytest.mark.postgres
@pytest.mark.commits  # the other request runs on a connection of its own
def test_a_sign_up_another_request_moved_meanwhile_is_refused_and_left_as_it_is(world, signup):
    assert signup.status == SignupStatus.ACCEPTED  # as this request read it
    with db.engine.begin() as other_request:
        other_request.execute(
            update(Signup).where(Signup.id == signup.id).values(status=SignupStatus.CANCELLED)
        )
    logged = entries()
    with pytest.raises(Conflict):
        move_signup(signup, "leave", signup.user, reason="临时有考试")
    db.session.rollback()
    assert db.session.get(Signup, signup.id).status == SignupStatus.CANCELLED
    assert entries() == logged
