"""What the home page asks of credits (待办): a student's term so far, the appeals they made that were
answered; the verification queue's size and age for whoever verifies; the appeals to answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, case, cast, func, literal, select

from .. import actions, clock
from ..extensions import db
from ..projects.models import Project
from ..school.models import Term
from ..volunteers.models import Position, Shift
from .models import AppealStatus, CreditAppeal, CreditCategory, CreditRecord, CreditStatus
from .records import appeal_scope, verifier_scope


@dataclass(frozen=True)
class TermCredits:
    """One category's credits this term: verified (on the transcript) and still waiting."""

    category: str
    verified: Decimal
    waiting: Decimal


def term_credits(user) -> list[TermCredits]:
    """This term's credits per category, verified apart from those waiting for verification: one
    aggregate statement (the term is the one containing today)."""
    today = clock.today_local()
    verified = CreditRecord.status == CreditStatus.VERIFIED
    waiting = CreditRecord.status == CreditStatus.CONFIRMED
    rows = db.session.execute(
        select(
            CreditCategory.name,
            func.coalesce(func.sum(case((verified, CreditRecord.credits))), 0),
            func.coalesce(func.sum(case((waiting, CreditRecord.credits))), 0),
        )
        .join(CreditCategory, CreditCategory.id == CreditRecord.category_id)
        .join(Term, Term.id == CreditRecord.term_id)
        .where(
            CreditRecord.user_id == user.id,
            CreditRecord.status.in_((CreditStatus.VERIFIED, CreditStatus.CONFIRMED)),
            Term.starts_on <= today,
            Term.ends_on >= today,
        )
        .group_by(CreditCategory.id, CreditCategory.name, CreditCategory.position)
        .order_by(CreditCategory.position, CreditCategory.id)
    ).all()
    return [TermCredits(name, Decimal(str(v)), Decimal(str(w))) for name, v, w in rows]


@actions.kind(
    "credit_appeal.ruled",
    _l("学分申诉已有结果：%(title)s"),
    lambda ref: url_for("credits.transcript_page", _anchor="appeals"),
)
def appeals_ruled(user) -> Select:
    """The student's credit appeals ruled in the last fortnight."""
    return (
        select(
            cast(CreditAppeal.id, String).label("ref"),
            Project.title.label("title"),
            CreditAppeal.ruled_at.label("at"),
            literal(1).label("n"),
        )
        .join(Shift, Shift.id == CreditAppeal.shift_id)
        .join(Position, Position.id == Shift.position_id)
        .join(Project, Project.id == Position.project_id)
        .where(
            CreditAppeal.user_id == user.id,
            CreditAppeal.status != AppealStatus.PENDING,
            CreditAppeal.ruled_at > clock.now() - timedelta(days=14),
        )
    )


@actions.kind(
    "credit.queue",
    _l("%(n)s 条学分记录待认定"),
    lambda ref: url_for("credits.queue"),
    when=_l("最早一条确认于 %(at)s"),
)
def verification_queue(user) -> Select:
    """The queue's size and its oldest record's time: one statement that reads at most
    ``actions.MOST + 1`` records and the oldest through its index, however long the queue (at the
    end of a term a school's queue holds a hundred thousand records)."""
    # The status is written into the statement, not bound: a plan made once for any status (see
    # marketplace/database.py) could not use the index of the confirmed records.
    confirmed = literal(CreditStatus.CONFIRMED, CreditRecord.status.type, literal_execute=True)
    waiting = select(CreditRecord.confirmed_at).where(CreditRecord.status == confirmed)
    scope = verifier_scope(user)
    if scope is not None:
        waiting = waiting.join(Project, Project.id == CreditRecord.project_id)
        waiting = waiting.where(Project.union_id.in_(scope))
    oldest = waiting.order_by(CreditRecord.confirmed_at).limit(1).scalar_subquery()
    counted = waiting.limit(actions.MOST + 1).subquery()
    return (
        select(*actions.columns(literal("queue"), literal(""), oldest, func.count()))
        .select_from(counted)
        .having(func.count() > 0)
    )


@actions.kind(
    "credit_appeal.pending",
    _l("%(n)s 件学分申诉待处理"),
    lambda ref: url_for("credits.appeals"),
    when=_l("最早一件提交于 %(at)s"),
)
def appeals_to_rule(user) -> Select:
    stmt = (
        select(
            literal("appeals").label("ref"),
            literal("").label("title"),
            func.min(CreditAppeal.created_at).label("at"),
            func.count(CreditAppeal.id).label("n"),
        )
        .join(Shift, Shift.id == CreditAppeal.shift_id)
        .join(Position, Position.id == Shift.position_id)
        .join(Project, Project.id == Position.project_id)
        .where(CreditAppeal.status == AppealStatus.PENDING)
        .having(func.count(CreditAppeal.id) > 0)
    )
    unions = appeal_scope(user)
    return stmt if unions is None else stmt.where(Project.union_id.in_(unions))


STUDENT_KINDS = [appeals_ruled]
VERIFIER_KINDS = [verification_queue, appeals_to_rule]
