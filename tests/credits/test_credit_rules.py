from datetime import timedelta
from decimal import Decimal

import pytest
from werkzeug.exceptions import Forbidden

from marketplace.credits import documents, transcript
from marketplace.credits import records as credit_records
from marketplace.credits.models import CreditRecord, CreditStatus
from marketplace.errors import DomainError
from marketplace.extensions import db
from tests import factories
from tests.credits.helpers import CreditWorld, pdf_text, unembedded_fonts


@pytest.fixture
def world(app):
    return CreditWorld()


def _records(user=None):
    stmt = db.select(CreditRecord)
    if user is not None:
        stmt = stmt.where(CreditRecord.user_id == user.id)
    return db.session.scalars(stmt).all()


def test_confirmed_attendance_creates_one_record_per_volunteer_with_credits_by_rule(world):
    records = _records()
    assert len(records) == 2
    record = records[0]
    # 3.5 h attended (rounded down to half hours) ÷ 8 h per credit of 志愿公益 = 0.44 credits
    assert record.hours == Decimal("3.5") and record.credits == Decimal("0.44")
    assert record.category.name == "志愿公益" and record.term_id == world.term.id
    assert record.status == CreditStatus.CONFIRMED
    assert [h.action for h in record.history] == ["create"]


def test_nothing_but_confirmed_attendance_or_an_accepted_appeal_creates_records(app):
    from tests.volunteers.helpers import HostingWorld

    hosting = HostingWorld()
    shift = hosting.shift(hosting.position())
    hosting.sign_up(hosting.students(1)[0], shift)
    assert _records() == []


def test_the_verifier_verifies_in_bulk_and_others_may_not(world):
    with pytest.raises(Forbidden):
        credit_records.verify(world.staff, _records())
    assert credit_records.verify(world.reviewer, _records()) == 2
    db.session.commit()
    assert {r.status for r in _records()} == {CreditStatus.VERIFIED}


def test_the_verifying_role_is_a_setting(world):
    from marketplace import settings

    settings.put("credit_verifier_role", "staff", None)
    db.session.commit()
    assert credit_records.verify(world.staff, _records()) == 2
    with pytest.raises(Forbidden):
        credit_records.verify(world.reviewer, _records())


def test_a_rejected_record_carries_its_reason_to_the_student(world):
    record = _records(world.volunteers[0])[0]
    with pytest.raises(DomainError):
        credit_records.reject(world.reviewer, record, {"reason": ""})
    credit_records.reject(world.reviewer, record, {"reason": "签到记录与现场照片不符"})
    db.session.commit()
    assert record.rejection_reason == "签到记录与现场照片不符"
    from marketplace.notify.models import Notification

    note = db.session.scalar(
        db.select(Notification).where(
            Notification.user_id == world.volunteers[0].id, Notification.kind == "credit.rejected"
        )
    )
    assert "签到记录与现场照片不符" in note.body


def test_an_accepted_appeal_corrects_a_verified_record_with_history(world):
    student = world.volunteers[0]
    record = _records(student)[0]
    credit_records.verify(world.reviewer, [record])
    db.session.commit()
    appeal = credit_records.file_appeal(
        student, world.shift_, {"reason": "我一直待到结束，签退晚了", "hours_claimed": Decimal("4")}
    )
    credit_records.resolve_appeal(
        world.staff, appeal, {"accept": True, "ruling": "核实现场照片，按 4 学时认定"}
    )
    db.session.commit()
    assert record.hours == Decimal("4") and record.status == CreditStatus.CONFIRMED
    correction = record.history[-1]
    assert correction.action == "correct" and correction.actor_id == world.staff.id
    assert correction.before["hours"] == "3.5" and correction.after["hours"] == "4"


def test_an_accepted_appeal_creates_a_missing_record(world):
    from marketplace.volunteers.models import Signup

    late = factories.user(name="迟到的同学")
    signup = Signup(shift_id=world.shift_.id, user_id=late.id, status="accepted")
    db.session.add(signup)
    db.session.commit()
    appeal = credit_records.file_appeal(
        late, world.shift_, {"reason": "现场签到码扫不出来，负责人手写登记了"}
    )
    credit_records.resolve_appeal(
        world.staff, appeal, {"accept": True, "ruling": "有手写签到表", "hours": Decimal("3")}
    )
    db.session.commit()
    record = _records(late)[0]
    assert record.hours == Decimal("3") and record.history[0].action == "appeal"


def test_appeals_close_after_the_period(world, clock):
    from marketplace import settings

    clock.set(world.shift_.ends_at + timedelta(days=settings.get("credit_appeal_days"), seconds=1))
    with pytest.raises(DomainError, match="申诉期限"):
        credit_records.file_appeal(world.volunteers[0], world.shift_, {"reason": "理由"})


def _issued(world, name="张小三"):
    student = world.volunteers[0]
    student.name = name
    credit_records.verify(world.reviewer, _records())
    db.session.commit()
    issued, records = transcript.issue(student)
    db.session.commit()
    return student, issued, records


def test_the_pdf_holds_the_chinese_name_and_code_and_embeds_every_font(world):
    student, issued, records = _issued(world)
    data = documents.render_transcript(student, issued, records, f"http://x/verify/{issued.code}")
    text = pdf_text(data)
    assert "张小三" in text and issued.code in text
    assert unembedded_fonts(data) == []


def test_verification_accepts_the_issued_code_masks_the_name_and_notices_changes(world):
    student, issued, records = _issued(world)
    result = transcript.verify(issued.code)
    assert result.genuine and result.masked_name == "张*三" and not result.changed_since
    assert "张小三" not in str(result.__dict__)
    assert not transcript.verify(issued.code[:-1] + ("A" if issued.code[-1] != "A" else "B")).genuine
    credit_records.correct(world.staff, records[0], Decimal("1"), "更正")
    db.session.commit()
    assert transcript.verify(issued.code).changed_since


def test_staff_export_of_thousands_of_records_runs_as_a_task_with_the_configured_columns(world, app):
    import csv

    from marketplace import settings, storage
    from marketplace.credits import export

    credit_records.verify(world.reviewer, _records())
    template = _records()[0]
    db.session.add_all(
        CreditRecord(
            user_id=template.user_id,
            project_id=template.project_id,
            category_id=template.category_id,
            term_id=template.term_id,
            hours=Decimal("1"),
            credits=Decimal("0.13"),
            status=CreditStatus.VERIFIED,
            verified_by_id=world.reviewer.id,
            occurred_at=template.occurred_at,
        )
        for _ in range(3000)
    )
    settings.put("credit_export_columns", "学号=student_no\n姓名=name\n学时=hours", None)
    db.session.commit()
    job = export.request_export(world.staff, {"term_id": world.term.id, "file_format": "csv"})
    db.session.commit()
    export.run_export(job.id)
    db.session.expire_all()
    job = db.session.get(type(job), job.id)
    assert job.status == "done" and job.total_rows == 3002
    with open(storage.backend().path(job.key), encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["学号", "姓名", "学时"] and len(rows) == 3003
