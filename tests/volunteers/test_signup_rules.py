import threading
from datetime import timedelta

import pytest

from marketplace import draw, permissions
from marketplace.accounts.models import PoliticalStatus
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.volunteers import positions, queries, signups, tasks
from marketplace.volunteers.models import Admission, Shift, Signup, SignupStatus
from tests import factories
from tests.volunteers.helpers import HostingWorld


@pytest.fixture
def world(app):
    return HostingWorld()


def test_first_come_fills_capacity_then_waits(world):
    shift = world.shift(world.position(), capacity=2)
    a, b, c = world.students(3)
    assert [world.sign_up(s, shift).status for s in (a, b, c)] == [
        SignupStatus.ACCEPTED,
        SignupStatus.ACCEPTED,
        SignupStatus.WAITING,
    ]
    db.session.refresh(shift)
    assert shift.taken == 2


@pytest.mark.postgres
@pytest.mark.commits
def test_dozens_of_concurrent_signups_never_exceed_capacity(app, world):
    shift = world.shift(world.position(), capacity=5)
    ids = [s.id for s in world.students(30)]
    shift_id = shift.id
    barrier = threading.Barrier(len(ids))
    errors = []

    def sign_up(user_id):
        with app.app_context():
            try:
                student = db.session.get(factories.User, user_id)
                target = db.session.get(Shift, shift_id)
                barrier.wait()
                signups.sign_up(student, target)
                db.session.commit()
            except Exception as error:  # pragma: no cover - surfaced below
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=sign_up, args=(uid,)) for uid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    statuses = db.session.scalars(db.select(Signup.status).where(Signup.shift_id == shift_id)).all()
    assert statuses.count(SignupStatus.ACCEPTED) == 5
    assert statuses.count(SignupStatus.WAITING) == 25
    assert db.session.get(Shift, shift_id).taken == 5


def test_a_cancellation_promotes_the_first_waiting_student(world):
    shift = world.shift(world.position(), capacity=1)
    first, second, third = world.students(3)
    taken = world.sign_up(first, shift)
    world.sign_up(second, shift)
    world.sign_up(third, shift)
    signups.cancel(first, taken)
    db.session.commit()
    statuses = {s.user_id: s.status for s in queries.roster(shift)}
    assert statuses[second.id] == SignupStatus.ACCEPTED
    assert statuses[third.id] == SignupStatus.WAITING


def test_promotion_close_to_the_shift_asks_for_confirmation_and_lapses_without_penalty(world, clock):
    shift = world.shift(world.position(), capacity=1, starts_in=timedelta(days=3))
    first, second = world.students(2)
    taken = world.sign_up(first, shift)
    world.sign_up(second, shift)
    clock.set(shift.starts_at - timedelta(hours=30))  # inside the 48 h confirmation window
    signups.cancel(first, taken)
    db.session.commit()
    offered = db.session.scalar(db.select(Signup).where(Signup.user_id == second.id))
    assert offered.status == SignupStatus.OFFERED and offered.offer_expires_at is not None
    clock.set(offered.offer_expires_at)
    tasks.expire_offers()
    db.session.commit()
    db.session.refresh(offered)
    assert offered.status == SignupStatus.CANCELLED
    assert signups.blocked_until(second) is None


def test_cancelling_after_the_cutoff_is_refused(world, clock):
    shift = world.shift(world.position(), starts_in=timedelta(days=3))
    student = world.students(1)[0]
    signup = world.sign_up(student, shift)
    clock.set(shift.starts_at - timedelta(hours=23))
    with pytest.raises(DomainError, match="不能取消"):
        signups.cancel(student, signup)


def test_signing_up_again_after_cancelling_reuses_the_same_signup(world):
    shift = world.shift(world.position())
    student = world.students(1)[0]
    first = world.sign_up(student, shift)
    signups.cancel(student, first)
    db.session.commit()
    again = world.sign_up(student, shift)
    assert again.id == first.id and again.public_id == first.public_id


def test_the_lottery_replays_from_its_published_seed(world, clock):
    closes = clock.now() + timedelta(days=1)
    shift = world.shift(world.position(Admission.LOTTERY, signup_closes_at=closes), capacity=3)
    applicants = world.students(8)
    signups = [world.sign_up(s, shift) for s in applicants]
    assert {s.status for s in signups} == {SignupStatus.APPLIED}
    clock.set(closes)
    assert tasks.draw_due_lotteries() == 1
    assert tasks.draw_due_lotteries() == 0  # nobody can redraw
    db.session.refresh(shift)
    ids = [s.public_id for s in signups]
    assert shift.lottery_seed == draw.seed_for(shift.id, ids)
    order = draw.draw_order(shift.lottery_seed, ids)
    by_public = {s.public_id: s for s in queries.roster(shift)}
    assert [p for p in order if by_public[p].status == SignupStatus.ACCEPTED] == order[:3]
    assert all(by_public[p].status == SignupStatus.WAITING for p in order[3:])


def test_overlapping_shifts_are_refused(world):
    position = world.position()
    shift = world.shift(position, starts_in=timedelta(days=3), hours=3)
    overlapping = world.shift(position, starts_in=timedelta(days=3, hours=1), hours=3)
    student = world.students(1)[0]
    world.sign_up(student, shift)
    with pytest.raises(DomainError, match="时间冲突"):
        signups.sign_up(student, overlapping)


def test_each_unmet_requirement_is_refused_with_its_reason(world):
    from marketplace.volunteers.models import Training

    college = factories.college("外国语学院")
    training = positions.save_training(
        world.host, world.project, Training(), {"title": "急救培训", "held_at": world.project.bid_deadline}
    )
    db.session.commit()
    cases = [
        ({"required_training_id": training.id}, "急救培训"),
        ({"required_college_id": college.id}, "外国语学院"),
        ({"min_grade": 2025}, "2025 级及以后"),
        ({"required_political": [PoliticalStatus.PARTY_MEMBER.value]}, "政治面貌"),
    ]
    student = world.students(1, grade=2024)[0]
    for fields, reason in cases:
        shift = world.shift(world.position(**fields))
        with pytest.raises(DomainError, match=reason):
            signups.sign_up(student, shift)


def test_phone_numbers_are_seen_by_the_host_of_an_accepted_volunteer_only(world):
    shift = world.shift(world.position(), capacity=1)
    accepted, waiting = world.students(2)
    world.sign_up(accepted, shift)
    world.sign_up(waiting, shift)
    assert permissions.can(world.host, "user.view_phone", accepted)
    assert not permissions.can(world.host, "user.view_phone", waiting)
    assert not permissions.can(world.manager_b, "user.view_phone", accepted)
    assert not permissions.can(waiting, "user.view_phone", accepted)
    assert not permissions.can(world.staff, "user.view_phone", accepted)


def test_accepted_volunteers_are_reminded_the_day_before_their_shift_once(world, clock):
    from marketplace.notify.models import Notification

    shift = world.shift(world.position(), capacity=1, starts_in=timedelta(days=3))
    accepted, waiting = world.students(2)
    world.sign_up(accepted, shift)
    world.sign_up(waiting, shift)
    clock.set(shift.starts_at - timedelta(hours=20))
    assert tasks.send_shift_reminders() == 1
    assert tasks.send_shift_reminders() == 0
    kinds = db.session.scalars(
        db.select(Notification.user_id).where(Notification.kind == "volunteer.shift_tomorrow")
    ).all()
    assert kinds == [accepted.id]


def test_every_lottery_applicant_hears_the_result(world, clock):
    from marketplace.notify.models import Notification

    closes = clock.now() + timedelta(days=1)
    shift = world.shift(world.position(Admission.LOTTERY, signup_closes_at=closes), capacity=1)
    applicants = world.students(3)
    for student in applicants:
        world.sign_up(student, shift)
    clock.set(closes)
    tasks.draw_due_lotteries()
    told = db.session.scalars(
        db.select(Notification.user_id).where(Notification.kind == "volunteer.lottery_result")
    ).all()
    assert sorted(told) == sorted(s.id for s in applicants)
