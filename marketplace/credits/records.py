"""Credit records (第二课堂成绩单记录): created from confirmed attendance or an accepted appeal,
verified in bulk by the verifying role, corrected only with a history entry; and student appeals.
Nothing commits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, clock, permissions, settings
from ..bids import files
from ..errors import DomainError
from ..extensions import db
from ..notify import operations as notify
from ..orgs.queries import union_staff
from ..school.models import term_containing
from ..volunteers.models import Signup, SignupStatus
from .models import AppealStatus, CreditAppeal, CreditCategory, CreditHistory, CreditRecord, CreditStatus
from .operations import credits_for

RECORD_FIELDS = ["hours", "credits", "category_id", "term_id", "status", "rejection_reason"]
# A student may appeal a shift they were admitted to: attended, marked absent, or absence excused.
APPEALABLE = (SignupStatus.ACCEPTED, SignupStatus.NO_SHOW, SignupStatus.EXCUSED)


def _log(record: CreditRecord, actor, action: str, before: dict | None, reason: str | None = None) -> None:
    record.history.append(
        CreditHistory(
            at=clock.now(),
            actor_id=getattr(actor, "id", None),
            action=action,
            before=before,
            after=audit.snapshot(record, RECORD_FIELDS),
            reason=reason,
        )
    )


def category_for(shift) -> CreditCategory:
    """The position's category, else the project's, else 志愿公益 (the default for volunteering)."""
    position = shift.position
    category = position.credit_category or position.project.credit_category
    if category is None:
        category = db.session.scalar(select(CreditCategory).where(CreditCategory.code == "volunteer"))
    if category is None:
        category = db.session.scalar(select(CreditCategory).order_by(CreditCategory.position).limit(1))
    return category


def _new_record(actor, signup_or_none, user, shift, hours: Decimal, source: str, reason: str | None = None):
    category = category_for(shift)
    term = term_containing(shift.starts_at)
    record = CreditRecord(
        user_id=user.id,
        project_id=shift.position.project_id,
        position_id=shift.position_id,
        shift_id=shift.id,
        signup_id=getattr(signup_or_none, "id", None),
        category_id=category.id,
        term_id=term.id if term else None,
        hours=hours,
        credits=credits_for(hours, category),
        status=CreditStatus.CONFIRMED,
        confirmed_by_id=getattr(actor, "id", None),
        confirmed_at=clock.now(),
        occurred_at=shift.starts_at,
    )
    db.session.add(record)
    _log(record, actor, source, None, reason)
    return record


def create_from_attendance(actor, shift, signups) -> int:
    """Called when the host confirms a shift's attendance: one record per volunteer with hours."""
    made = 0
    for signup in signups:
        hours = signup.attendance.credited_hours if signup.attendance else None
        if hours and hours > 0:
            _new_record(actor, signup, signup.user, shift, hours, "create")
            made += 1
    return made


def verifier_scope(user) -> set[int] | None:
    """The unions whose credits ``user`` verifies (setting credit_verifier_role): every union (None) for
    a league reviewer by default; the unions they work for when staff are the verifying role."""
    if settings.get("credit_verifier_role") == "staff":
        return permissions.staff_union_ids(user)
    return None if permissions.has_role(user, permissions.Role.LEAGUE_REVIEWER) else set()


def verifies(user, project=None) -> bool:
    """Whether ``user`` verifies the credits of ``project`` (of some project, when None)."""
    scope = verifier_scope(user)
    if scope is None:
        return True
    return project.union_id in scope if project is not None else bool(scope)


def appeal_scope(user) -> set[int] | None:
    """The unions whose appeals ``user`` answers (None: every union): the posting union's staff, and the
    verifying role for the unions it verifies."""
    verified = verifier_scope(user)
    return None if verified is None else verified | permissions.staff_union_ids(user)


def _require_verifier(actor, record: CreditRecord) -> None:
    permissions.require(actor, "credit.verify", record.project)


def verify(actor, records: list[CreditRecord]) -> int:
    """Bulk verification (批量认定) of records confirmed by hosts."""
    done = 0
    for record in records:
        _require_verifier(actor, record)
        if record.status != CreditStatus.CONFIRMED:
            continue
        before = audit.snapshot(record, RECORD_FIELDS)
        record.status, record.verified_by_id, record.verified_at = (
            CreditStatus.VERIFIED,
            actor.id,
            clock.now(),
        )
        record.rejection_reason = None
        _log(record, actor, "verify", before)
        notify.send(record.user, "credit.verified", link="/transcript", record=record)
        done += 1
    if done:
        audit.record(actor, "credit.verify", ("credit_record", "bulk"), after={"count": done})
    return done


def reject(actor, record: CreditRecord, reason: str) -> None:
    _require_verifier(actor, record)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写不予认定的理由。"), field="reason")
    if record.status == CreditStatus.REJECTED:
        return
    before = audit.snapshot(record, RECORD_FIELDS)
    record.status, record.rejection_reason = CreditStatus.REJECTED, reason
    _log(record, actor, "reject", before, reason)
    audit.record(actor, "credit.reject", record, reason=reason, project_id=record.project_id)
    notify.send(record.user, "credit.rejected", link="/transcript", record=record, reason=reason)


def correct(actor, record: CreditRecord, hours: Decimal, reason: str) -> None:
    """A correction is a new history entry; a verified record goes back to be verified again."""
    before = audit.snapshot(record, RECORD_FIELDS)
    category = db.session.get(CreditCategory, record.category_id)
    record.hours, record.credits = hours, credits_for(hours, category)
    record.status, record.verified_by_id, record.verified_at = CreditStatus.CONFIRMED, None, None
    record.rejection_reason = None
    _log(record, actor, "correct", before, reason)
    audit.record(
        actor,
        "credit.correct",
        record,
        before=before,
        after=audit.snapshot(record, RECORD_FIELDS),
        reason=reason,
        project_id=record.project_id,
    )


# -- appeals -----------------------------------------------------------------------------------------


def appeal_deadline(shift):
    return shift.ends_at + timedelta(days=settings.get("credit_appeal_days"))


def file_appeal(
    student, shift, reason: str, *, hours_claimed: Decimal | None = None, evidence=None
) -> CreditAppeal:
    """学分申诉 for a shift the student was on: a missing record, or a wrong one. The posting union's
    staff are told."""
    if not permissions.can(student, "account.write"):
        abort(403)
    signup = db.session.scalar(
        select(Signup).where(Signup.shift_id == shift.id, Signup.user_id == student.id)
    )
    if signup is None or signup.status not in APPEALABLE:
        raise DomainError(_("只能对自己参加过的班次申诉。"))
    if clock.now() < shift.starts_at:
        raise DomainError(_("班次开始后才能申诉。"))
    if clock.now() > appeal_deadline(shift):
        raise DomainError(_("已超过申诉期限（班次结束后 %(d)s 天）。", d=settings.get("credit_appeal_days")))
    pending = select(CreditAppeal.id).where(
        CreditAppeal.user_id == student.id,
        CreditAppeal.shift_id == shift.id,
        CreditAppeal.status == AppealStatus.PENDING,
    )
    if db.session.scalar(pending) is not None:
        raise DomainError(_("这个班次的申诉正在处理中，请等待结果。"))
    if not (reason or "").strip():
        raise DomainError(_("请写明申诉理由。"), field="reason")
    if hours_claimed is not None and not 0 < hours_claimed <= shift.credit_hours:
        raise DomainError(
            _("申请认定的时长应大于 0 且不超过班次的 %(h)s 小时。", h=shift.credit_hours),
            field="hours_claimed",
        )
    record = db.session.scalar(select(CreditRecord).where(CreditRecord.signup_id == signup.id))
    appeal = CreditAppeal(
        user_id=student.id,
        shift_id=shift.id,
        record_id=getattr(record, "id", None),
        reason=reason.strip(),
        hours_claimed=hours_claimed,
        created_at=clock.now(),
    )
    if evidence is not None and getattr(evidence, "filename", ""):
        try:
            stored = files.check_and_store(evidence)
        except DomainError as error:  # beside the evidence field, not the bid form's "file"
            raise DomainError(error.message, field="evidence") from None
        appeal.evidence_name, appeal.evidence_stored = stored["filename"], stored["stored_name"]
    db.session.add(appeal)
    db.session.flush()
    project = shift.position.project
    audit.record(student, "credit.appeal", appeal, project_id=project.id)
    notify.send_to_many(
        union_staff(project.union_id), "credit.appeal_received", link="/credits/appeals", appeal=appeal
    )
    return appeal


def resolve_appeal(
    actor, appeal: CreditAppeal, *, accept: bool, ruling: str, hours: Decimal | None = None
) -> None:
    """Staff (or the verifying role) accept — the record is created or corrected, with history — or
    reject with a reason; the student is told either way."""
    permissions.require(actor, "credit.rule_appeal", appeal)
    project = appeal.shift.position.project
    if appeal.status != AppealStatus.PENDING:
        raise DomainError(_("这条申诉已经处理过了。"))
    ruling = (ruling or "").strip()
    if not ruling:
        raise DomainError(_("请填写处理意见。"), field="ruling")
    if accept:
        hours = hours if hours is not None else appeal.hours_claimed
        if hours is None or hours <= 0 or hours > appeal.shift.credit_hours:
            raise DomainError(
                _("认定时长应大于 0 且不超过班次的 %(h)s 小时。", h=appeal.shift.credit_hours), field="hours"
            )
        signup = db.session.scalar(
            select(Signup).where(Signup.shift_id == appeal.shift_id, Signup.user_id == appeal.user_id)
        )
        # The host may have confirmed the attendance after a missing record was appealed.
        record = appeal.record or db.session.scalar(
            select(CreditRecord).where(CreditRecord.signup_id == signup.id)
        )
        if record is not None:
            correct(actor, record, hours, ruling)
            appeal.record = record
        else:
            appeal.record = _new_record(actor, signup, appeal.user, appeal.shift, hours, "appeal", ruling)
    appeal.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
    appeal.ruling, appeal.ruled_by_id, appeal.ruled_at = ruling, actor.id, clock.now()
    audit.record(
        actor,
        "credit.appeal_ruled",
        appeal,
        after={"status": appeal.status},
        reason=ruling,
        project_id=project.id,
    )
    notify.send(appeal.user, "credit.appeal_answered", link="/transcript", appeal=appeal)
