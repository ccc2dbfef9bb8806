"""What the credit pages list, each in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from .. import clock, settings
from ..accounts.models import User
from ..extensions import db
from ..orgs.models import College
from ..pagination import SeekPage, seek
from ..projects.models import Project
from ..school.models import Term
from ..volunteers.models import Position, Shift, Signup
from .models import (
    AppealStatus,
    CertificateExport,
    CreditAppeal,
    CreditCategory,
    CreditExport,
    CreditHistory,
    CreditRecord,
    CreditStatus,
    DocumentIssue,
    ShortfallExport,
)
from .records import APPEALABLE, appeal_scope, verifier_scope

QUEUE_PER_PAGE = 20


def _in_unions(stmt: Select, unions: set[int] | None) -> Select:
    """Only rows of projects posted by ``unions`` (None: every union); ``stmt`` has joined Project."""
    return stmt if unions is None else stmt.where(Project.union_id.in_(unions))


def terms() -> list[Term]:
    return db.session.scalars(
        select(Term).options(joinedload(Term.year)).order_by(Term.starts_on.desc())
    ).all()


# -- the verification queue ---------------------------------------------------------------------------


def _waiting(user) -> Select:
    return _in_unions(
        select(CreditRecord)
        .join(Project, Project.id == CreditRecord.project_id)
        .where(CreditRecord.status == CreditStatus.CONFIRMED),
        verifier_scope(user),
    )


def verification_queue(user, *, project: str = "", term_id: int | None = None) -> Select:
    """Records confirmed by hosts and waiting for ``user`` to verify them, oldest first; ``project``
    narrows them to projects whose title contains it."""
    # The small lookup tables in statements of their own: joined as well, the eight-table statement took
    # PostgreSQL 14 ms to plan for 1 ms of work.
    stmt = _waiting(user).options(
        joinedload(CreditRecord.user).joinedload(User.college),
        joinedload(CreditRecord.project),
        selectinload(CreditRecord.category),
        selectinload(CreditRecord.term).joinedload(Term.year),
    )
    if project := project.strip():
        stmt = stmt.where(Project.title.icontains(project, autoescape=True))
    if term_id:
        stmt = stmt.where(CreditRecord.term_id == term_id)
    return stmt.order_by(CreditRecord.occurred_at, CreditRecord.id)


def queue_page(stmt: Select) -> SeekPage:
    """The page of the queue the request names, oldest first, read by (time, id) with the capped
    count: a backlog can run to a hundred thousand records, and verifying empties it from the front."""
    keys = (CreditRecord.occurred_at, CreditRecord.id)
    return seek(stmt, keys, descending=False, per_page=QUEUE_PER_PAGE, counted=True)


def waiting_records(user, public_ids: list[str]) -> list[CreditRecord]:
    """The ticked records of the queue that are still waiting, with what their notifications name."""
    return db.session.scalars(
        _waiting(user)
        .where(CreditRecord.public_id.in_(public_ids))
        .options(
            joinedload(CreditRecord.user),
            # the posting union names the verifying office when its staff verify
            joinedload(CreditRecord.project).joinedload(Project.union),
            joinedload(CreditRecord.category),
        )
    ).all()


# -- appeals ------------------------------------------------------------------------------------------

_APPEAL_PROJECT = joinedload(CreditAppeal.shift).joinedload(Shift.position).joinedload(Position.project)


def appeals(user, status: str = AppealStatus.PENDING.value) -> Select:
    """The appeals ``user`` answers, of one status (``"all"``: any): those waiting first, oldest first,
    then the decided ones, latest ruling first."""
    stmt = (
        select(CreditAppeal)
        .join(Shift, Shift.id == CreditAppeal.shift_id)
        .join(Position, Position.id == Shift.position_id)
        .join(Project, Project.id == Position.project_id)
        .options(
            joinedload(CreditAppeal.user).joinedload(User.college),
            _APPEAL_PROJECT,
            joinedload(CreditAppeal.record),
            joinedload(CreditAppeal.ruled_by),
        )
        .order_by(CreditAppeal.ruled_at.desc().nulls_first(), CreditAppeal.created_at, CreditAppeal.id)
    )
    if status != "all":
        stmt = stmt.where(CreditAppeal.status == status)
    return _in_unions(stmt, appeal_scope(user))


def appeals_of(user) -> list[CreditAppeal]:
    """The student's own appeals, newest first."""
    return db.session.scalars(
        select(CreditAppeal)
        .where(CreditAppeal.user_id == user.id)
        .options(_APPEAL_PROJECT)
        .order_by(CreditAppeal.created_at.desc(), CreditAppeal.id.desc())
    ).all()


def appealable_signups(user, shift_id: int | None = None) -> list[Signup]:
    """The student's sign-ups whose shift may still be appealed: begun, and within the period."""
    now = clock.now()
    stmt = (
        select(Signup)
        .join(Shift, Shift.id == Signup.shift_id)
        .where(
            Signup.user_id == user.id,
            Signup.status.in_(APPEALABLE),
            Shift.starts_at <= now,
            Shift.ends_at >= now - timedelta(days=settings.get("credit_appeal_days")),
        )
        .options(joinedload(Signup.shift).joinedload(Shift.position).joinedload(Position.project))
        .order_by(Shift.starts_at.desc())
    )
    if shift_id is not None:
        stmt = stmt.where(Signup.shift_id == shift_id)
    return db.session.scalars(stmt).all()


def record_of(signup: Signup) -> CreditRecord | None:
    return db.session.scalar(select(CreditRecord).where(CreditRecord.signup_id == signup.id))


# -- the transcript -----------------------------------------------------------------------------------


def history_of(record: CreditRecord) -> list[CreditHistory]:
    return db.session.scalars(
        select(CreditHistory)
        .where(CreditHistory.record_id == record.id)
        .options(joinedload(CreditHistory.actor))
        .order_by(CreditHistory.id)
    ).all()


def names_for_history() -> tuple[dict[int, str], dict[int, str]]:
    """Category and term names by id, to show what a history entry's ids meant."""
    categories = dict(db.session.execute(select(CreditCategory.id, CreditCategory.name)).all())
    return categories, {term.id: term.full_name for term in terms()}


def last_issue(user) -> DocumentIssue | None:
    return db.session.scalar(
        select(DocumentIssue)
        .where(DocumentIssue.user_id == user.id)
        .order_by(DocumentIssue.issued_at.desc(), DocumentIssue.id.desc())
        .limit(1)
    )


# -- staff exports ------------------------------------------------------------------------------------


def exports() -> Select:
    return (
        select(CreditExport)
        .options(joinedload(CreditExport.term).joinedload(Term.year), joinedload(CreditExport.requested_by))
        .order_by(CreditExport.created_at.desc(), CreditExport.id.desc())
    )


def colleges() -> list[College]:
    return db.session.scalars(select(College).order_by(College.name)).all()


def shortfall_exports() -> Select:
    return (
        select(ShortfallExport)
        .options(joinedload(ShortfallExport.college), joinedload(ShortfallExport.requested_by))
        .order_by(ShortfallExport.created_at.desc(), ShortfallExport.id.desc())
    )


def certificate_exports(project) -> Select:
    """The ZIPs of a project's certificates, newest first."""
    return (
        select(CertificateExport)
        .where(CertificateExport.project_id == project.id)
        .options(joinedload(CertificateExport.requested_by))
        .order_by(CertificateExport.created_at.desc(), CertificateExport.id.desc())
    )
