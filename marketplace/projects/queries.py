"""What the project pages read: the public list, one project's page, the staff dashboard and the league
reviewer's queue.

Lists select each project together with its effective state (``lifecycle.effective_state_sql``, a
labelled column), so a page asks the clock rule once in SQL instead of once per row, and an expired
project never shows as open. Nothing here reads a bid except the counts staff may see.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, String, case, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.orm import joinedload

from .. import settings
from ..audit import AuditEntry
from ..bids.queries import submitted_counts
from ..bids.visibility import is_sealed
from ..extensions import BoundedPagination, db
from ..orgs.models import OrgKind
from . import lifecycle
from .models import Project, ProjectChange, ProjectState, Question

PER_PAGE = 20

# The states a project can be in once it has been published: what the public list offers to filter by.
PUBLIC_STATES = [
    ProjectState.OPEN,
    ProjectState.REVIEWING,
    ProjectState.AWARD_NOTICE,
    ProjectState.HOSTING,
    ProjectState.EVALUATING,
    ProjectState.CLOSED,
    ProjectState.FAILED,
    ProjectState.CANCELLED,
]
KIND_COLUMNS = {
    OrgKind.COLLEGE_UNION.value: Project.allow_college_union,
    OrgKind.CLUB.value: Project.allow_club,
    OrgKind.CLASS.value: Project.allow_class,
}
# The steps of a project's public timeline: its own transitions (never bid.* entries, which stay sealed).
TIMELINE_ACTIONS = [f"project.{action}" for action in (*lifecycle.TRANSITIONS, "repost")]
# And the student needs (需求征集) accepted with the project: each one's entry is filed with the project
# and names the need, so the page lists the needs it serves from the timeline's statement — the first
# ``SERVED_SHOWN`` of them, however many there are (an accepted need stays accepted: its entry stays
# true). One more is read to tell that there are more.
SERVED_ACTION = "need.accept"
SERVED_SHOWN = 10


class RowPagination(BoundedPagination):
    """``db.paginate`` keeps only a row's first column; the lists need the effective-state label too."""

    def _query_items(self) -> list:
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(stmt).unique().all())


def paginate_rows(stmt: Select, per_page: int = PER_PAGE) -> RowPagination:
    return RowPagination(select=stmt, session=db.session(), per_page=per_page, error_out=False)


def is_public(project: Project) -> bool:
    """Published once (drafts and projects awaiting approval never were; nothing returns to draft)."""
    return project.published_at is not None


def public_projects(*, status: str = "", category: str = "", kind: str = "") -> Select:
    """Rows of (Project, effective state): published projects, open ones first, newest first."""
    effective = lifecycle.effective_state_sql()
    stmt = (
        select(Project, lifecycle.effective_state_column(effective))
        .where(Project.published_at.is_not(None))
        .options(joinedload(Project.union))
    )
    if status:
        stmt = stmt.where(lifecycle.effective_state_in(ProjectState(status)))
    if category:
        stmt = stmt.where(Project.category == category)
    if kind:
        stmt = stmt.where(KIND_COLUMNS[kind].is_(True))
    open_first = case((lifecycle.effective_state_in(ProjectState.OPEN), 0), else_=1)
    return stmt.order_by(open_first, Project.published_at.desc(), Project.id.desc())


def next_open_deadline(now: datetime) -> datetime | None:
    """When an open project next changes by itself for the public: its questions close (the cut-off
    before the deadline), or bidding does. For the public page cache."""
    open_after = select(func.min(Project.bid_deadline)).where(Project.state == ProjectState.OPEN)
    cutoff = timedelta(hours=settings.get("question_cutoff_hours"))
    deadline = db.session.scalar(open_after.where(Project.bid_deadline > now))
    questions_close = db.session.scalar(open_after.where(Project.bid_deadline > now + cutoff))
    moments = [m for m in (deadline, questions_close and questions_close - cutoff) if m is not None]
    return min(moments, default=None)


def next_evaluation_end(now: datetime) -> datetime | None:
    """When a project in 评价中 next closes by itself. For the public page cache."""
    return db.session.scalar(
        select(func.min(Project.evaluation_ends_at)).where(
            Project.state == ProjectState.EVALUATING, Project.evaluation_ends_at > now
        )
    )


class StatePagination(Pagination):
    """A page of the staff dashboard: the unions' projects grouped by effective state in lifecycle
    order, newest first within a state. The page reads only the states it spans, each in its own order
    from the index, and knows where they begin from the counts the dashboard shows anyway: a page costs
    the same however long the unions' history. (Ordered by the effective state's CASE, every project of
    the union was read, evaluated and sorted for any page: 12 ms for 4,300 at a school's size.)"""

    _prepare_page_args = staticmethod(BoundedPagination._prepare_page_args)

    def _query_items(self) -> list:
        union_ids, states, counts = self._query_args["union_ids"], self._query_args["states"], self._counts
        skip, wanted, parts = (self.page - 1) * self.per_page, self.per_page, []
        for rank, state in enumerate(states):
            n = counts.get(state.value, 0)
            if wanted == 0 or skip >= n:
                skip -= min(skip, n)
                continue
            taken = min(n - skip, wanted)
            part = (
                select(Project.id, literal(rank).label("rank"), Project.created_at)
                .where(Project.union_id.in_(union_ids), lifecycle.effective_state_in(state))
                .order_by(Project.created_at.desc(), Project.id.desc())
                .limit(taken)
                .offset(skip)
                .subquery()
            )
            parts.append(select(part.c.id, part.c.rank, part.c.created_at))
            skip, wanted = 0, wanted - taken
        if not parts:
            return []
        page = union_all(*parts).subquery()
        rows = db.session.execute(
            select(Project, page.c.rank)
            .join(page, page.c.id == Project.id)
            .options(joinedload(Project.union))
            .order_by(page.c.rank, Project.created_at.desc(), Project.id.desc())
        ).all()
        return [(project, states[rank]) for project, rank in rows]

    def _query_count(self) -> int:
        return sum(self._counts.get(state.value, 0) for state in self._query_args["states"])

    @property
    def _counts(self) -> dict[str, int]:
        return self._query_args["counts"]


def union_projects(
    union_ids: set[int], counts: dict[str, int], *, status: str = "", per_page: int, page: int | None = None
) -> StatePagination:
    """Page ``page`` (by default the one the request names) of the unions' projects, grouped by effective
    state in lifecycle order: rows of (Project, effective state). ``counts`` are the unions'
    :func:`union_state_counts`."""
    states = [ProjectState(status)] if status else list(ProjectState)
    return StatePagination(
        union_ids=union_ids, states=states, counts=counts, page=page, per_page=per_page, error_out=False
    )


def union_state_counts(union_ids: set[int]) -> dict[str, int]:
    """How many projects of the given unions are in each effective state, in one statement: a project
    no timed step can move is in its stored state, counted from the index; only those a step may move
    (open, 公示中, 评价中 — a union's current work, not its history) are evaluated."""
    moving = lifecycle.MOVING_STATES
    effective = lifecycle.effective_state_sql()
    settled = (
        select(type_coerce(Project.state, String).label("state"), func.count().label("n"))
        .where(Project.union_id.in_(union_ids), Project.state.not_in(moving))
        .group_by(Project.state)
    )
    moved = (
        select(effective.label("state"), func.count().label("n"))
        .where(Project.union_id.in_(union_ids), Project.state.in_(moving))
        .group_by(effective)
    )
    counts: dict[str, int] = {}
    for state, n in db.session.execute(union_all(settled, moved)):
        counts[state] = counts.get(state, 0) + n
    return counts


def unanswered_counts(project_ids) -> dict[int, int]:
    rows = db.session.execute(
        select(Question.project_id, func.count())
        .where(Question.project_id.in_(list(project_ids)), Question.answer.is_(None))
        .group_by(Question.project_id)
    )
    return dict(rows.all())


def unanswered_on_open(rows) -> dict[int, int]:
    """For the open projects among ``rows``: unanswered questions, by project id. One grouped query,
    always issued, so a page's query count does not depend on its rows. (How many bids an open project
    has is sealed: see bid_count.)"""
    open_ids = [project.id for project, effective in rows if effective == ProjectState.OPEN.value]
    return unanswered_counts(open_ids)


def major_clause():
    """SQL twin of ``Project.is_major``."""
    threshold = Decimal(str(settings.get("major_budget_threshold")))
    return or_(Project.flagged_major.is_(True), Project.budget_cap > threshold)


def awaiting_approval() -> Select:
    return (
        select(Project)
        .where(Project.state == ProjectState.PENDING_APPROVAL)
        .options(joinedload(Project.union))
        .order_by(Project.created_at)
    )


def awaiting_cancel_approval() -> list[Project]:
    return db.session.scalars(
        select(Project)
        .where(
            Project.state.in_([ProjectState.HOSTING, ProjectState.EVALUATING]),
            Project.cancel_requested_at.is_not(None),
        )
        .order_by(Project.cancel_requested_at)
    ).all()


def recent_major_changes(limit: int = 20) -> list[tuple[ProjectChange, str]]:
    """The latest changes to major projects, with the project's title (docs/lifecycle.md)."""
    return db.session.execute(
        select(ProjectChange, Project.title)
        .join(Project, Project.id == ProjectChange.project_id)
        .where(major_clause())
        .order_by(ProjectChange.at.desc(), ProjectChange.id.desc())
        .limit(limit)
    ).all()


# -- one project's page ------------------------------------------------------------------------------


def questions_of(project: Project, *, with_unanswered: bool) -> list[Question]:
    stmt = select(Question).where(Question.project_id == project.id)
    if not with_unanswered:
        stmt = stmt.where(Question.answer.is_not(None))
    return db.session.scalars(stmt.order_by(Question.asked_at, Question.id)).all()


def changes_of(project: Project) -> list[ProjectChange]:
    return db.session.scalars(
        select(ProjectChange).where(ProjectChange.project_id == project.id).order_by(ProjectChange.at)
    ).all()


def reposts_of(project: Project) -> list[Project]:
    """The projects reposted from this failed one (重新发榜), oldest first."""
    return db.session.scalars(
        select(Project).where(Project.reposted_from_id == project.id).order_by(Project.id)
    ).all()


def timeline_of(project: Project) -> list[AuditEntry]:
    """The project's steps, and the first ``SERVED_SHOWN`` + 1 needs accepted with it."""
    served = (
        select(AuditEntry.id)
        .where(AuditEntry.project_id == project.id, AuditEntry.action == SERVED_ACTION)
        .order_by(AuditEntry.at, AuditEntry.id)
        .limit(SERVED_SHOWN + 1)
    )
    return db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.project_id == project.id,
            or_(AuditEntry.action.in_(TIMELINE_ACTIONS), AuditEntry.id.in_(served)),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()


def bid_count(project: Project) -> int | None:
    """How many bids were submitted, for everyone to see once bidding has closed; None while the bids
    are sealed, for everyone: "only one bid so far" would tell a friend to hurry."""
    if is_sealed(project):
        return None
    return submitted_counts([project.id]).get(project.id, 0)
