"""What the 信息公开 pages read. Each statement says what it loads with its rows (architecture.md:
nothing eager by default); the lists page."""

from __future__ import annotations

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload

from .. import clock
from ..extensions import db
from ..orgs.models import MemberRole, Membership, Organization
from ..satisfaction.operations import UNION_KINDS
from .models import (
    Announcement,
    AnnouncementKind,
    CharterVersion,
    PublicationStatus,
    Reviewed,
    Suggestion,
    SuggestionStatus,
)

P = PublicationStatus
PER_PAGE = 20
DOCS: dict[str, type[Reviewed]] = {"charters": CharterVersion, "announcements": Announcement}
UNPUBLISHED = (P.DRAFT, P.PENDING, P.RETURNED)


def unions() -> list[Organization]:
    """The active unions, the school-level ones first, then the colleges' by name."""
    order = case({kind.value: i for i, kind in enumerate(UNION_KINDS)}, value=Organization.kind)
    return db.session.scalars(
        select(Organization)
        .where(Organization.kind.in_(UNION_KINDS), Organization.is_active)
        .order_by(order, Organization.name)
    ).all()


def charter_history(union_id: int) -> list[CharterVersion]:
    """Every published version of the union's charter, the newest first (the current one included)."""
    return db.session.scalars(
        select(CharterVersion)
        .where(
            CharterVersion.union_id == union_id,
            CharterVersion.status.in_([P.PUBLISHED, P.SUPERSEDED]),
        )
        .order_by(CharterVersion.number.desc())
    ).all()


def published_announcements(union_id: int | None = None, kind: str = "") -> Select:
    stmt = (
        select(Announcement)
        .where(Announcement.status == P.PUBLISHED)
        .options(joinedload(Announcement.union))
        .order_by(Announcement.published_at.desc(), Announcement.id.desc())
    )
    if union_id is not None:
        stmt = stmt.where(Announcement.union_id == union_id)
    if kind in AnnouncementKind._value2member_map_:
        stmt = stmt.where(Announcement.kind == AnnouncementKind(kind))
    return stmt


def unpublished(model: type[Reviewed], *, union_id: int | None = None, statuses=UNPUBLISHED) -> list:
    """Drafts, submissions and returned ones (a union's, or every union's), with union and author."""
    stmt = (
        select(model)
        .where(model.status.in_(statuses))
        .options(joinedload(model.union), joinedload(model.author))
        .order_by(model.updated_at.desc(), model.id.desc())
    )
    if union_id is not None:
        stmt = stmt.where(model.union_id == union_id)
    return db.session.scalars(stmt).all()


def review_queue() -> dict[str, list]:
    """待审核: what the unions submitted for publication, oldest first (for the league reviewer)."""
    return {kind: list(reversed(unpublished(model, statuses=(P.PENDING,)))) for kind, model in DOCS.items()}


def pending_count() -> int:
    return sum(
        db.session.scalar(select(func.count()).select_from(model).where(model.status == P.PENDING))
        for model in DOCS.values()
    )


def staff_list(union: Organization) -> Select:
    """工作人员名单: the union's posts held today, the 负责人 first, then by when they began. Names,
    posts and terms of office only: the page never reads a phone or a student number."""
    return (
        select(Membership)
        .where(Membership.org_id == union.id, Membership.active_on(clock.today_local()))
        .options(joinedload(Membership.user))
        .order_by(Membership.role != MemberRole.MANAGER, Membership.starts_on, Membership.id)
    )


def public_suggestions(union_id: int | None = None) -> Select:
    """Published suggestions: answered, and their authors asked for it. The union only is loaded —
    a public page has no use for the author."""
    stmt = (
        select(Suggestion)
        .where(Suggestion.wants_public.is_(True), Suggestion.status == SuggestionStatus.ANSWERED)
        .options(joinedload(Suggestion.union))
        .order_by(Suggestion.answered_at.desc(), Suggestion.id.desc())
    )
    if union_id is not None:
        stmt = stmt.where(Suggestion.union_id == union_id)
    return stmt


def union_suggestions(union: Organization, status: str = "") -> Select:
    """Every suggestion to the union with its author (for its staff), those awaiting an answer first."""
    stmt = (
        select(Suggestion)
        .where(Suggestion.union_id == union.id)
        .options(joinedload(Suggestion.author))
        .order_by(Suggestion.status != SuggestionStatus.SUBMITTED, Suggestion.created_at.desc())
    )
    if status in SuggestionStatus._value2member_map_:
        stmt = stmt.where(Suggestion.status == SuggestionStatus(status))
    return stmt


def own_suggestions(user) -> Select:
    return (
        select(Suggestion)
        .where(Suggestion.author_id == user.id)
        .options(joinedload(Suggestion.union))
        .order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
    )
