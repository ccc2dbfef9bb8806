"""What the needs pages read: the pool's list (by support, by time, by the last seven days' supports;
filtered by category, college and status), a need's page, a student's own needs and supports, the
staff's answering queue, and the league's appeals."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import Select, func, literal, select, union
from sqlalchemy.orm import joinedload, selectinload

from .. import actions, clock, permissions
from ..extensions import db
from ..models_base import second_alias
from .models import Need, NeedAppeal, NeedAppealStatus, NeedComment, NeedStatus, NeedSupport

PER_PAGE = 20
TREND_DAYS = 7


def listing(
    *, sort: str = "support", status: str = "", category: str = "", college: int | None = None
) -> Select:
    """The pool's rows: (need, supports of the last seven days) with each need's college."""
    since = clock.now() - timedelta(days=TREND_DAYS)
    if sort == "trend":
        recent = (
            select(NeedSupport.need_id, func.count().label("n"))
            .where(NeedSupport.created_at >= since)
            .group_by(NeedSupport.need_id)
            .subquery()
        )
        trend = func.coalesce(recent.c.n, 0)
        stmt = select(Need, trend.label("trend")).outerjoin(recent, recent.c.need_id == Need.id)
    else:
        # Counted for the rows shown only. Joined as an aggregate, the week's supports of every need were
        # counted and every need sorted before the first twenty were taken (27 ms at 20,000 needs).
        trend = (
            select(func.count())
            .where(NeedSupport.need_id == Need.id, NeedSupport.created_at >= since)
            .scalar_subquery()
        )
        stmt = select(Need, trend.label("trend"))
    stmt = stmt.options(joinedload(Need.college))
    if status:
        stmt = stmt.where(Need.status == NeedStatus(status))
    if category:
        stmt = stmt.where(Need.category == category)
    if college:
        stmt = stmt.where(Need.college_id == college)
    order = {
        "recent": (Need.created_at.desc(), Need.id.desc()),
        "trend": (trend.desc(), Need.support_count.desc(), Need.id.desc()),
    }.get(sort, (Need.support_count.desc(), Need.id.desc()))
    return stmt.order_by(*order)


def next_overdue(now: datetime) -> datetime | None:
    """When an open need next passes its answer time (its page then reads 已超时). For the page cache."""
    return db.session.scalar(
        select(func.min(Need.answer_due_at)).where(Need.status == NeedStatus.OPEN, Need.answer_due_at > now)
    )


def next_trend_change(now: datetime) -> datetime | None:
    """When the oldest support of the last seven days leaves them (a need's "近 7 天" count then drops).
    For the page cache."""
    oldest = db.session.scalar(
        select(func.min(NeedSupport.created_at)).where(
            NeedSupport.created_at >= now - timedelta(days=TREND_DAYS)
        )
    )
    return None if oldest is None else oldest + timedelta(days=TREND_DAYS)


def need_page(need_id: int) -> Need:
    """A need with what its page shows: union, college, project, photos, the need it was merged into."""
    return db.get_or_404(
        Need,
        need_id,
        options=[
            joinedload(Need.union),
            joinedload(Need.college),
            joinedload(Need.project),
            joinedload(Need.merged_into),
            selectinload(Need.photos),
            joinedload(Need.appeal),
        ],
    )


def comments_of(need: Need, *, with_authors: bool) -> list[NeedComment]:
    stmt = select(NeedComment).where(NeedComment.need_id == need.id).order_by(NeedComment.id)
    if with_authors:
        stmt = stmt.options(joinedload(NeedComment.author))
    return db.session.scalars(stmt.limit(200)).all()


def supports(user, need: Need) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(
            select(NeedSupport.id)
            .where(NeedSupport.need_id == need.id, NeedSupport.user_id == user.id)
            .exists()
        )
    )


def merged_here(need: Need) -> list[Need]:
    """The needs merged into this one (their titles are shown; never their authors)."""
    return db.session.scalars(
        select(Need).where(Need.merged_into_id == need.id).order_by(Need.id).limit(50)
    ).all()


def mine(user) -> Select:
    """The needs the student posted or supported, newest first."""
    return (
        select(Need)
        .where(Need.id.in_(followed_by(user)))
        .options(joinedload(Need.college))
        .order_by(Need.created_at.desc(), Need.id.desc())
    )


def followed_by(user):
    """The ids of the needs ``user`` posted or supports, as one list: asked as "posted OR supported",
    PostgreSQL read every need."""
    authored = second_alias(Need)
    return union(
        select(authored.id).where(authored.author_id == user.id),
        select(NeedSupport.need_id).where(NeedSupport.user_id == user.id),
    )


def authored_ids(user, needs) -> set[int]:
    return {n.id for n in needs if n.author_id == getattr(user, "id", None)}


def union_queue(union_ids: set[int]) -> Select:
    """The open needs of the staff's unions, the one due first at the top."""
    return (
        select(Need)
        .where(Need.union_id.in_(union_ids), Need.status == NeedStatus.OPEN)
        .options(joinedload(Need.union), joinedload(Need.college))
        .order_by(Need.answer_due_at, Need.id)
    )


def overdue(union_ids, now) -> Select:
    """The open needs of ``union_ids`` past their answer time ``now``, as one row (``ref``, ``title``, ``at``:
    the oldest due time, ``n``: how many, counted up to ``actions.MOST + 1``) — none when there are
    none. The home page's row and the staff dashboard's note both read this, so they cannot disagree."""
    # Counted up to the badge's limit, as the verification queue is: a union that lets its needs run
    # late for a term would otherwise have thousands of them read on each of its staff's pages.
    late = select(Need.answer_due_at).where(
        Need.union_id.in_(union_ids),
        Need.status == NeedStatus.OPEN,
        Need.answer_due_at <= now,
    )
    oldest = late.order_by(Need.answer_due_at).limit(1).scalar_subquery()
    counted = late.limit(actions.MOST + 1).subquery()
    return (
        select(*actions.columns(literal("overdue"), literal(""), oldest, func.count()))
        .select_from(counted)
        .having(func.count() > 0)
    )


def pending_appeals() -> list[NeedAppeal]:
    return db.session.scalars(
        select(NeedAppeal)
        .where(NeedAppeal.status == NeedAppealStatus.PENDING)
        .options(joinedload(NeedAppeal.need).joinedload(Need.union))
        .order_by(NeedAppeal.created_at, NeedAppeal.id)
        .limit(100)
    ).all()


def overdue_for(user) -> int | str:
    """How many of the staff member's unions' needs are past their answer time, as the dashboard's note
    shows it (a number, or "99+" as on the home page's row)."""
    union_ids = permissions.staff_union_ids(user) if getattr(user, "is_authenticated", False) else set()
    if not union_ids:
        return 0
    row = db.session.execute(overdue(union_ids, clock.now())).first()
    return actions.shown(row.n) if row else 0


def appeal_or_404(appeal_id: int) -> NeedAppeal:
    record = db.session.get(NeedAppeal, appeal_id)
    if record is None:
        abort(404)
    return record
