"""The credit record's and the credit appeal's status tables: every action from every status."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from marketplace.credits import records
from marketplace.credits.models import AppealStatus, CreditAppeal, CreditRecord, CreditStatus
from marketplace.credits.records import (
    CREDIT_APPEAL_TRANSITIONS,
    CREDIT_APPEALS,
    CREDIT_TRANSITIONS,
    CREDITS,
    move_credit,
    move_credit_appeal,
)
from marketplace.extensions import db
from tests.statuses import check_action, last_entry


@pytest.fixture
def record(world):
    return db.session.scalars(select(CreditRecord).order_by(CreditRecord.id)).first()


@pytest.mark.parametrize("action", CREDIT_TRANSITIONS)
def test_each_credit_record_action_moves_from_its_sources_and_is_refused_from_every_other(
    action, world, record
):
    def put_in(record, status):
        record.status = status
        record.verified_by_id = world.reviewer.id if status == CreditStatus.VERIFIED else None
        record.rejection_reason = "补登的考勤没有附签到表" if status == CreditStatus.REJECTED else None
        db.session.commit()

    check_action(CREDITS, action, record, put_in, move_credit, world.reviewer, reason="时长与签到记录不符")


@pytest.mark.parametrize("action", CREDIT_APPEAL_TRANSITIONS)
def test_each_credit_appeal_action_moves_from_its_sources_and_is_refused_from_every_other(
    action, world, clock
):
    student, shift = world.volunteers[0], world.shift_
    appeal = CreditAppeal(user_id=student.id, shift_id=shift.id, reason="少算半小时", created_at=clock.now())
    db.session.add(appeal)
    db.session.commit()

    def put_in(appeal, status):
        appeal.status = status
        ruled = status != AppealStatus.PENDING
        appeal.ruling, appeal.ruled_at = ("已核实", clock.now()) if ruled else (None, None)
        db.session.commit()

    check_action(
        CREDIT_APPEALS, action, appeal, put_in, move_credit_appeal, world.staff, reason="签到记录属实"
    )


def test_verifying_records_the_verifier_and_an_audit_entry_per_record(world):
    confirmed = db.session.scalars(select(CreditRecord).order_by(CreditRecord.id)).all()
    assert records.verify(world.reviewer, confirmed) == len(confirmed)
    db.session.commit()
    for record in confirmed:
        db.session.refresh(record)
        assert (record.status, record.verified_by_id) == (CreditStatus.VERIFIED, world.reviewer.id)
    entry = last_entry("credit.verify")
    assert entry.subject_id == confirmed[-1].public_id
    assert entry.after["hours"] == str(confirmed[-1].hours)


def test_a_correction_records_the_hours_before_and_after_and_the_reason(world, record):
    hours = record.hours
    records.correct(world.staff, record, Decimal("1.5"), "按签到时间重新核定")
    db.session.commit()
    entry = last_entry("credit.correct")
    assert (entry.before["hours"], entry.after["hours"]) == (str(hours), "1.5")
    assert entry.reason == "按签到时间重新核定"
