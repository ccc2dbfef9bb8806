"""The project lifecycle, declared once (发榜 → 竞标 → 评标/公示 → 承办 → 评价).

``TRANSITIONS`` says which action leads from which states to which, and who may take it (a
permissions action; ``None`` means only the clock). ``apply`` is the only way a person changes a
project's state; ``catch_up`` persists the steps the clock has made due (``DUE_RULES``), and pages read
``effective_state`` — the same rules evaluated against ``clock.now()``, in Python for one project and
in SQL (``effective_state_sql``) for lists, so an expired project never shows as open even if no
background job has run. ``move`` performs every step as a conditional UPDATE (``WHERE state =
:source``), so two workers never apply the same step twice, writes the audit log, and sends
``project_moved``: what a step implies in other areas (a review round, recusals, the notice,
notifications) is done by that signal's receivers, in those areas' ``receivers.py``.
"""

from __future__ import annotations

from collections.abc import Callable, MutableSet
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from blinker import Signal
from flask_babel import gettext as _
from sqlalchemy import String, and_, case, literal, or_, select, type_coerce, update

from .. import audit, clock, draw, permissions, settings
from ..bids.validity import has_valid_bid, project_has_valid_bid, valid_bids
from ..database import read_as_run
from ..errors import Conflict, DomainError
from ..extensions import db
from ..models_base import UTCDateTime, enum_type
from ..review.window import window_over, window_over_sql, winner_org_id
from .models import Project
from .models import ProjectState as S


class IllegalTransition(DomainError):
    def __init__(self, state: S, action: str):
        super().__init__(_("项目当前处于「%(state)s」阶段，不能进行这项操作。", state=state.label))
        self.state, self.action = state, action


# The columns a step sets together with the state, from (project, actor, now, reason): the CHECK
# constraints hold them together.
Facts = Callable[[Project, object, datetime, str | None], dict]


@dataclass(frozen=True)
class Transition:
    sources: frozenset[S]
    target: S | None  # None: the state stays (the action is still recorded)
    permission: str | None  # a permissions action; None: only the clock takes this step
    needs_reason: bool = False
    # A fact the project must have besides its state: returns the refusal, or None when it holds.
    guard: Callable[[Project], str | None] | None = None
    facts: Facts | None = None


# What a person's close (结项) waits for, each returning a refusal or None; the clock's close at the end
# of the evaluation window waits for nothing. The evaluation area knows what that is (the outcome
# panel, the survey), so the app factory registers its condition here, as it connects receivers.
close_conditions: list[Callable[[Project], str | None]] = []


def _evaluation_done(project: Project) -> str | None:
    return next((refusal for check in close_conditions if (refusal := check(project))), None)


def _cancel_requested(project: Project) -> str | None:
    # Approving presupposes a request: it carries the reason the cancelled state must keep.
    return None if project.cancel_requested_at is not None else _("这个项目没有待批准的取消申请。")


def tiebreak_seed(project: Project) -> str:
    """The award draw's seed, fixed when bidding closes, over the valid bids (see marketplace.draw)."""
    return draw.seed_for(project.id, (bid.public_id for bid in valid_bids(project)))


def _published(project, actor, now, reason) -> dict:
    return {"published_at": now, "return_reason": None}


def _returned(project, actor, now, reason) -> dict:
    return {"return_reason": reason}


def _bidding_closed(project, actor, now, reason) -> dict:
    return {"bidding_closed_at": now, "tiebreak_seed": tiebreak_seed(project)}


def _failed_at_deadline(project, actor, now, reason) -> dict:
    return {"bidding_closed_at": now}


def _hosted_by_winner(project, actor, now, reason) -> dict:
    return {"host_org_id": winner_org_id(project)}


def _evaluation_opened(project, actor, now, reason) -> dict:
    return {"evaluation_ends_at": now + timedelta(days=settings.get("evaluation_window_days"))}


def _cancelled(project, actor, now, reason) -> dict:
    # Approving a request keeps the reason given with the request.
    return {"cancel_reason": reason or project.cancel_reason}


def _cancel_request(project, actor, now, reason) -> dict:
    return {
        "cancel_requested_at": now,
        "cancel_requested_by_id": getattr(actor, "id", None),
        "cancel_reason": reason,
    }


BEFORE_HOSTING = frozenset({S.DRAFT, S.PENDING_APPROVAL, S.OPEN, S.REVIEWING, S.AWARD_NOTICE})

TRANSITIONS: dict[str, Transition] = {
    "publish": Transition(frozenset({S.DRAFT}), S.OPEN, "project.publish", facts=_published),  # not major
    "submit": Transition(frozenset({S.DRAFT}), S.PENDING_APPROVAL, "project.publish"),  # major
    "approve": Transition(frozenset({S.PENDING_APPROVAL}), S.OPEN, "project.approve", facts=_published),
    "return": Transition(
        frozenset({S.PENDING_APPROVAL}), S.DRAFT, "project.approve", needs_reason=True, facts=_returned
    ),
    "close_bidding": Transition(frozenset({S.OPEN}), S.REVIEWING, None, facts=_bidding_closed),
    # 流标: no valid bid at the deadline.
    "fail": Transition(frozenset({S.OPEN}), S.FAILED, None, facts=_failed_at_deadline),
    "award": Transition(frozenset({S.REVIEWING}), S.AWARD_NOTICE, "project.award"),
    "uphold_objection": Transition(
        frozenset({S.AWARD_NOTICE}), S.REVIEWING, "project.rule_objection", needs_reason=True
    ),
    # The winner declined: the award passes to the next-ranked bid with a new notice, or the project fails.
    "pass_award": Transition(frozenset({S.AWARD_NOTICE}), S.AWARD_NOTICE, "project.award", needs_reason=True),
    "fail_after_decline": Transition(
        frozenset({S.AWARD_NOTICE}), S.FAILED, "project.award", needs_reason=True
    ),
    "start_hosting": Transition(frozenset({S.AWARD_NOTICE}), S.HOSTING, None, facts=_hosted_by_winner),
    "complete": Transition(frozenset({S.HOSTING}), S.EVALUATING, "project.host", facts=_evaluation_opened),
    # Due at the end of the evaluation window; staff may close earlier once the evaluation is done.
    "close": Transition(frozenset({S.EVALUATING}), S.CLOSED, "project.close", guard=_evaluation_done),
    "cancel": Transition(BEFORE_HOSTING, S.CANCELLED, "project.cancel", needs_reason=True, facts=_cancelled),
    "request_cancel": Transition(
        frozenset({S.HOSTING, S.EVALUATING}),
        None,
        "project.request_cancel",
        needs_reason=True,
        facts=_cancel_request,
    ),
    "approve_cancel": Transition(
        frozenset({S.HOSTING, S.EVALUATING}),
        S.CANCELLED,
        "project.approve_cancel",
        guard=_cancel_requested,
        facts=_cancelled,
    ),
}


@dataclass(frozen=True)
class DueRule:
    """A step the clock takes: from ``source``, ``action`` is due when ``check`` (Python, one project)
    and ``sql`` (SQL on Project, for lists) say so. The first matching rule wins."""

    source: S
    action: str
    check: Callable[[Project, datetime], bool]
    sql: Callable[[datetime], object]


def _deadline_passed(project: Project, now: datetime) -> bool:
    return now >= project.bid_deadline


DUE_RULES: list[DueRule] = [
    DueRule(
        S.OPEN,
        "close_bidding",
        lambda p, now: _deadline_passed(p, now) and project_has_valid_bid(p),
        lambda now: and_(Project.bid_deadline <= now, has_valid_bid()),
    ),
    DueRule(
        S.OPEN,
        "fail",
        lambda p, now: _deadline_passed(p, now) and not project_has_valid_bid(p),
        lambda now: and_(Project.bid_deadline <= now, ~has_valid_bid()),
    ),
    # 公示期满且无待处理异议: the winner becomes the host.
    DueRule(S.AWARD_NOTICE, "start_hosting", window_over, window_over_sql),
    # 评价期满: the project closes with whatever the panel and the survey produced.
    DueRule(
        S.EVALUATING,
        "close",
        lambda p, now: p.evaluation_ends_at is not None and now >= p.evaluation_ends_at,
        lambda now: Project.evaluation_ends_at <= now,
    ),
]


# The states a timed step may move a project out of: in any other, the stored state is the effective one.
MOVING_STATES = frozenset(rule.source for rule in DUE_RULES)


def due_action(project: Project, now: datetime | None = None) -> str | None:
    now = now or clock.now()
    for rule in DUE_RULES:
        if project.state == rule.source and rule.check(project, now):
            return rule.action
    return None


def effective_state(project: Project, now: datetime | None = None) -> S:
    action = due_action(project, now)
    return TRANSITIONS[action].target if action else project.state


def effective_state_sql(now: datetime | None = None):
    """The effective state as an SQL string expression, for selecting and filtering lists."""
    return _state_case_now() if now is None else _state_case(now)


def effective_state_in(*states: S, now: datetime | None = None):
    """ "The effective state is one of ``states``", written so the database can use the index on the
    stored state: a project is in such a state either by its stored state (when no rule is due to move
    it out) or by a due rule moving it in. The CASE of :func:`effective_state_sql` would say the same,
    but a planner can neither index nor estimate it, and reads every project to evaluate it."""
    wanted = tuple(dict.fromkeys(states))  # ordered, so the statement's text (and its cached plan) is stable
    return _state_in_now(wanted) if now is None else _state_in(wanted, now)


# "Now" as a statement runs: the clock is read when each statement executes, so the expressions for
# the present are built once per process and shared by every statement. Building one (a valid bid's
# EXISTS, a notice window's) took about 1.7 ms, and a home page built ten.
_NOW = read_as_run(clock.now, UTCDateTime())


@cache
def _state_case_now():
    return _state_case(_NOW)


def _state_case(now):
    whens = [
        (and_(Project.state == rule.source, rule.sql(now)), literal(TRANSITIONS[rule.action].target.value))
        for rule in DUE_RULES
    ]
    return case(*whens, else_=type_coerce(Project.state, String))


@cache
def _state_in_now(wanted: tuple[S, ...]):
    return _state_in(wanted, _NOW)


def _state_in(wanted: tuple[S, ...], now):
    clauses = []
    for state in wanted:
        leaving = [rule.sql(now) for rule in DUE_RULES if rule.source == state]
        stays = Project.state == state
        clauses.append(and_(stays, ~or_(*leaving)) if leaving else stays)
    for rule in DUE_RULES:
        if TRANSITIONS[rule.action].target in wanted:
            clauses.append(and_(Project.state == rule.source, rule.sql(now)))
    return or_(*clauses)


def effective_state_column(expression=None):
    """A list's ``effective`` column (``expression`` or a fresh :func:`effective_state_sql`), read
    back as a ProjectState so pages show its label and badge."""
    return type_coerce(effective_state_sql() if expression is None else expression, enum_type(S)).label(
        "effective"
    )


# -- changing state ----------------------------------------------------------------------------------


class _ConnectionOrder(MutableSet):
    """A receiver set that keeps the order of connection (blinker's plain set leaves it undefined)."""

    def __init__(self, items=()):
        self._items = dict.fromkeys(items)

    def __contains__(self, item) -> bool:
        return item in self._items

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item) -> None:
        self._items[item] = None

    def discard(self, item) -> None:
        self._items.pop(item, None)

    def copy(self) -> _ConnectionOrder:
        return _ConnectionOrder(self._items)


class _OrderedSignal(Signal):
    set_class = _ConnectionOrder


project_moved = _OrderedSignal(
    doc="""Sent by ``move`` after each step, inside its transaction, as
    ``project_moved.send(project, action=, actor=, reason=, source=, target=)``. The app factory
    connects the receivers, in the order they run; a receiver that raises aborts the step."""
)


def lock(project: Project) -> None:
    """SELECT … FOR UPDATE on the project row (a no-op on SQLite), then read it afresh."""
    db.session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    db.session.refresh(project)


def move(
    project: Project, action: str, actor, *, reason: str | None = None, values: dict | None = None
) -> bool:
    """Take one step, if the project is still where we think it is. Returns False when another
    request or worker took a step first (the caller reads the project afresh)."""
    transition = TRANSITIONS[action]
    source = project.state
    target = transition.target or source
    values = dict(values or {})
    if transition.facts is not None:
        values.update(transition.facts(project, actor, clock.now(), reason))
    result = db.session.execute(
        update(Project)
        .where(Project.id == project.id, Project.state == source)
        .values(state=target, version=Project.version + 1, **values)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.refresh(project)
        return False
    db.session.refresh(project)
    audit.record(
        actor,
        f"project.{action}",
        project,
        before={"state": source},
        after={"state": target},
        reason=reason,
        project_id=project.id,
    )
    project_moved.send(project, action=action, actor=actor, reason=reason, source=source, target=target)
    return True


def catch_up(project: Project, now: datetime | None = None) -> int:
    """Persist every step the clock has made due. Returns how many were taken."""
    taken = 0
    while (action := due_action(project, now)) is not None:
        if not move(project, action, None):
            continue  # someone else took it; re-read and look again
        taken += 1
    return taken


def apply(
    project: Project, action: str, actor, *, reason: str | None = None, values: dict | None = None
) -> None:
    """The only way a person changes a project's state: guarded, locked, audited."""
    transition = TRANSITIONS[action]
    if transition.permission is None:
        raise ValueError(f"{action} is taken by the clock, not by a person")
    lock(project)
    catch_up(project)
    if project.state not in transition.sources:
        raise IllegalTransition(project.state, action)
    permissions.require(actor, transition.permission, project)
    if transition.guard is not None and (refusal := transition.guard(project)):
        raise DomainError(refusal)
    reason = (reason or "").strip() or None
    if transition.needs_reason and not reason:
        raise DomainError(_("请填写理由。"), field="reason")
    if not move(project, action, actor, reason=reason, values=values):
        raise Conflict(_("项目状态刚刚发生了变化，请刷新页面后重试。"))


def run_due_transitions(now: datetime | None = None) -> int:
    """The periodic task's step: persist every due transition, one project per transaction."""
    now = now or clock.now()
    ids = db.session.scalars(
        select(Project.id).where(effective_state_sql(now) != type_coerce(Project.state, String))
    ).all()
    taken = 0
    for project_id in ids:
        project = db.session.get(Project, project_id)
        lock(project)
        taken += catch_up(project, now)
        db.session.commit()
    return taken
