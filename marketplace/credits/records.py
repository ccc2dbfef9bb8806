"""Credit records (第二课堂成绩单记录): created from confirmed attendance or an accepted appeal,
verified in bulk by the verifying role, corrected only with a history entry; and student appeals.

A record's and an appeal's status change only through their tables (``CREDIT_TRANSITIONS``,
``CREDIT_APPEAL_TRANSITIONS``) and ``move_credit``/``move_credit_appeal``, which write the audit entry.
Nothing commits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, clock, permissions, settings
from ..bids import files
from ..errors import DomainError
from ..extensions import db
from ..notify import operations as notify
from ..orgs.queries import union_staff
from ..school.models import term_containing
from ..statuses import StatusTable, ruled
from ..urls import path_for
from ..volunteers.models import Signup, SignupStatus
from .models import AppealStatus, CreditAppeal, CreditCategory, CreditHistory, CreditRecord, CreditStatus
from .operations import credits_for

RECORD_FIELDS = ["hours", "credits", "category_id", "term_id", "status", "rejection_reason"]
# A student may appeal a shift they were admitted to: attended, marked absent, or absence excused.
APPEALABLE = (SignupStatus.ACCEPTED, SignupStatus.NO_SHOW, SignupStatus.EXCUSED)

# action -> (statuses it may start from, status it leads to)
CREDIT_TRANSITIONS = {
    "verify": (frozenset({CreditStatus.CONFIRMED}), CreditStatus.VERIFIED),  # 认定: on the transcript
    "reject": (frozenset({CreditStatus.CONFIRMED, CreditStatus.VERIFIED}), CreditStatus.REJECTED),
    # A correction goes back to be verified again.
    "correct": (frozenset(CreditStatus), CreditStatus.CONFIRMED),
}


def _credit_facts(action: str, actor, reason: str | None) -> dict:
    """What the CHECK constraints tie to the status: a verifier, a rejection's reason."""
    if action == "verify":
        return {"verified_by_id": actor.id, "verified_at": clock.now(), "rejection_reason": None}
    if action == "reject":
        return {"rejection_reason": reason, "verifying_office": None}
    return {"verified_by_id": None, "verified_at": None, "rejection_reason": None, "verifying_office": None}


CREDITS = StatusTable(
    "credit", _l("这条成绩单记录"), CREDIT_TRANSITIONS, facts=_credit_facts, fields=("hours", "credits")
)


def move_credit(record: CreditRecord, action: str, actor, *, reason: str | None = None, **facts) -> None:
    """The only way a credit record's status changes."""
    CREDITS.move(record, action, actor, reason=reason, project_id=record.project_id, **facts)


CREDIT_APPEAL_TRANSITIONS = {
    "accept": (frozenset({AppealStatus.PENDING}), AppealStatus.ACCEPTED),
    "reject": (frozenset({AppealStatus.PENDING}), AppealStatus.REJECTED),
}
CREDIT_APPEALS = StatusTable("credit_appeal", _l("这条学分申诉"), CREDIT_APPEAL_TRANSITIONS, facts=ruled)


def move_credit_appeal(appeal: CreditAppeal, action: str, actor, *, reason: str | None = None) -> None:
    """The only way a credit appeal's status changes; ``reason`` is the ruling."""
    CREDIT_APPEALS.move(appeal, action, actor, reason=reason, project_id=appeal.shift.position.project_id)


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
        is_backfill=shift.is_backfill,
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


def verifying_office(record: CreditRecord) -> str:
    """认定单位 written on a record as it is verified: the issuing office of the settings, or the
    posting union when its staff are the verifying role — an office, never a person."""
    if settings.get("credit_verifier_role") == "staff":
        return record.project.union.name
    return settings.get("issuing_office")


def verify(actor, records: list[CreditRecord]) -> int:
    """Bulk verification (批量认定) of records confirmed by hosts."""
    done = 0
    for record in records:
        _require_verifier(actor, record)
        if record.status != CreditStatus.CONFIRMED:
            continue
        before = audit.snapshot(record, RECORD_FIELDS)
        move_credit(record, "verify", actor, verifying_office=verifying_office(record))
        _log(record, actor, "verify", before)
        notify.send(record.user, "credit.verified", link=path_for("credits.transcript_page"), record=record)
        done += 1
    return done


def verify_ticked(actor, data: dict) -> int:
    """批量认定 of the records ticked on the queue (``data["records"]``, their public ids)."""
    from .queries import waiting_records  # the queries read this module's scopes

    ticked = waiting_records(actor, data["records"])
    if not ticked:  # verified or rejected meanwhile, perhaps by a colleague in another tab
        raise DomainError(_("勾选的记录都已处理过了。"), field="records")
    return verify(actor, ticked)


def reject(actor, record: CreditRecord, data: dict) -> None:
    """不予认定, for ``data["reason"]``, which the student is told."""
    _require_verifier(actor, record)
    reason = (data["reason"] or "").strip()
    if not reason:
        raise DomainError(_("请填写不予认定的理由。"), field="reason")
    if record.status == CreditStatus.REJECTED:
        return
    before = audit.snapshot(record, RECORD_FIELDS)
    move_credit(record, "reject", actor, reason=reason)
    _log(record, actor, "reject", before, reason)
    notify.send(
        record.user, "credit.rejected", link=path_for("credits.transcript_page"), record=record, reason=reason
    )


def correct(actor, record: CreditRecord, hours: Decimal, reason: str) -> None:
    """A correction is a new history entry; a verified record goes back to be verified again."""
    before = audit.snapshot(record, RECORD_FIELDS)
    category = db.session.get(CreditCategory, record.category_id)
    move_credit(record, "correct", actor, reason=reason, hours=hours, credits=credits_for(hours, category))
    _log(record, actor, "correct", before, reason)


# -- appeals -----------------------------------------------------------------------------------------


def appeal_deadline(shift):
    return shift.ends_at + timedelta(days=settings.get("credit_appeal_days"))


def file_appeal(student, shift, data: dict) -> CreditAppeal:
    """学分申诉 for a shift the student was on: a missing record, or a wrong one (``reason``, with the
    ``hours_claimed`` and ``evidence``, a file, if any). The posting union's staff are told."""
    reason, hours_claimed, evidence = data["reason"], data.get("hours_claimed"), data.get("evidence")
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
        union_staff(project.union_id),
        "credit.appeal_received",
        link=path_for("credits.appeals"),
        appeal=appeal,
    )
    return appeal


def resolve_appeal(actor, appeal: CreditAppeal, data: dict) -> None:
    """Staff (or the verifying role) accept (``data["accept"]``) — the record is created or corrected
    for ``hours`` — or reject, with a ``ruling`` either way that the student is told. Where a record
    exists, its history keeps the ruling either way (a rejected appeal changes nothing else)."""
    accept, ruling, hours = data["accept"], data["ruling"], data.get("hours")
    permissions.require(actor, "credit.rule_appeal", appeal)
    if appeal.status != AppealStatus.PENDING:
        raise DomainError(_("这条申诉已经处理过了。"))
    ruling = (ruling or "").strip()
    if not ruling:
        raise DomainError(_("请填写处理意见。"), field="ruling")
    signup = db.session.scalar(
        select(Signup).where(Signup.shift_id == appeal.shift_id, Signup.user_id == appeal.user_id)
    )
    # The host may have confirmed the attendance after a missing record was appealed.
    record = appeal.record or db.session.scalar(
        select(CreditRecord).where(CreditRecord.signup_id == signup.id)
    )
    if accept:
        hours = hours if hours is not None else appeal.hours_claimed
        if hours is None or hours <= 0 or hours > appeal.shift.credit_hours:
            raise DomainError(
                _("认定时长应大于 0 且不超过班次的 %(h)s 小时。", h=appeal.shift.credit_hours), field="hours"
            )
        if record is not None:
            correct(actor, record, hours, ruling)
        else:
            record = _new_record(actor, signup, appeal.user, appeal.shift, hours, "appeal", ruling)
    elif record is not None:
        _log(record, actor, "appeal_rejected", audit.snapshot(record, RECORD_FIELDS), ruling)
    appeal.record = record
    move_credit_appeal(appeal, "accept" if accept else "reject", actor, reason=ruling)
    notify.send(
        appeal.user, "credit.appeal_answered", link=path_for("credits.transcript_page"), appeal=appeal
    )
