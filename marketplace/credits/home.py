"""What the home page asks of credits (待办): a student's term so far, the appeals they made that were
answered; the verification queue's size and age for whoever verifies; the appeals to answer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, case, cast, func, literal, select

from .. import actions
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
    with actions.viewing(user):
        rows = db.session.execute(_term_credits_of_viewer()).all()
    return [TermCredits(name, Decimal(str(v)), Decimal(str(w))) for name, v, w in rows]


@cache
def _term_credits_of_viewer() -> Select:
    # Built once per process and run for each student (see ``actions.viewing``).
    verified = CreditRecord.status == CreditStatus.VERIFIED
    waiting = CreditRecord.status == CreditStatus.CONFIRMED
    return (
        select(
            CreditCategory.name,
            func.coalesce(func.sum(case((verified, CreditRecord.credits))), 0),
            func.coalesce(func.sum(case((waiting, CreditRecord.credits))), 0),
        )
        .join(CreditCategory, CreditCategory.id == CreditRecord.category_id)
        .join(Term, Term.id == CreditRecord.term_id)
        .where(
            CreditRecord.user_id == actions.VIEWER.id,
            CreditRecord.status.in_((CreditStatus.VERIFIED, CreditStatus.CONFIRMED)),
            Term.starts_on <= actions.TODAY,
            Term.ends_on >= actions.TODAY,
        )
        .group_by(CreditCategory.id, CreditCategory.name, CreditCategory.position)
        .order_by(CreditCategory.position, CreditCategory.id)
    )


@actions.kind(
    "credit_appeal.ruled",
    _l("学分申诉已有结果：%(title)s"),
    lambda ref: url_for("credits.transcript_page", _anchor="appeals"),
)
def appeals_ruled(viewer) -> Select:
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
            CreditAppeal.user_id == viewer.id,
            CreditAppeal.status != AppealStatus.PENDING,
            CreditAppeal.ruled_at > actions.ago(days=14),
        )
    )


def _verification_queue(unions) -> Select:
    """The queue's size and its oldest record's time: one statement that reads at most
    ``actions.MOST + 1`` records and the oldest through its index, however long the queue (at the
    end of a term a school's queue holds a hundred thousand records)."""
    # The status is written into the statement, not bound: a plan made once for any status (see
    # marketplace/database.py) could not use the index of the confirmed records.
    confirmed = literal(CreditStatus.CONFIRMED, CreditRecord.status.type, literal_execute=True)
    waiting = select(CreditRecord.confirmed_at).where(CreditRecord.status == confirmed)
    if unions is not None:
        waiting = waiting.join(Project, Project.id == CreditRecord.project_id)
        waiting = waiting.where(Project.union_id.in_(unions))
    oldest = waiting.order_by(CreditRecord.confirmed_at).limit(1).scalar_subquery()
    counted = waiting.limit(actions.MOST + 1).subquery()
    return (
        select(*actions.columns(literal("queue"), literal(""), oldest, func.count()))
        .select_from(counted)
        .having(func.count() > 0)
    )


def _appeals_to_rule(unions) -> Select:
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
    return stmt if unions is None else stmt.where(Project.union_id.in_(unions))


def _by_scope(name: str, text, link, when, *, scope, build) -> list[actions.Kind]:
    """A row in two kinds of the same name: for a user whose ``scope`` is every union (None), asked
    without a condition on the union, which would keep the queue's statement from its index; for one
    whose scope is some unions, asked of those."""
    unions = actions.ids_of_viewer(scope)
    return [
        actions.kind(name, text, link, when, applies=lambda user: scope(user) is None)(lambda v: build(None)),
        actions.kind(name, text, link, when, applies=lambda user: bool(scope(user)))(lambda v: build(unions)),
    ]


STUDENT_KINDS = [appeals_ruled]
VERIFIER_KINDS = [
    *_by_scope(
        "credit.queue",
        _l("%(n)s 条学分记录待认定"),
        lambda ref: url_for("credits.queue"),
        _l("最早一条确认于 %(at)s"),
        scope=verifier_scope,
        build=_verification_queue,
    ),
    *_by_scope(
        "credit_appeal.pending",
        _l("%(n)s 件学分申诉待处理"),
        lambda ref: url_for("credits.appeals"),
        _l("最早一件提交于 %(at)s"),
        scope=appeal_scope,
        build=_appeals_to_rule,
    ),
]
