"""成效评估: the outcome panel — the panel, criteria and independent scores of bid review
(``review.operations``), judging a hosted project while it is 评价中.

What is particular to it lives here: its criteria (from a template when the project enters 评价中,
editable by the posting union's staff until the panel starts), its recusal (the project's, plus
whoever joined the host after the bidding deadline), what a panelist reads before scoring (the
completion report, the progress posts, spending against the budget, the volunteers), the reminder
before the evaluation window ends, and the two answers the project's final score asks for:
``panel_score`` and ``panel_submitted``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CompoundSelect, or_, select, update

from .. import audit, clock, permissions, settings
from ..errors import DomainError
from ..extensions import db
from ..hosting.models import CompletionReport, ProgressUpdate
from ..hosting.operations import budget_and_spent, progress_page
from ..projects.models import Criterion, CriterionPurpose, Project, ProjectState
from ..projects.operations import check_criteria, criteria_snapshot, set_criteria
from ..projects.recusal import is_recused_from_outcome, outcome_recused_user_ids
from ..volunteers.queries import VolunteerTotals, volunteer_totals
from . import scoring
from .models import PanelSeat, ReviewRound
from .operations import (
    Panel,
    can_see_others_scores,
    current_round,
    open_round,
    remind_seat,
    sitting_round,
)

OUTCOME = CriterionPurpose.OUTCOME

# The outcome criteria every project starts with (成效评估标准模板); the staff adapt them to the project
# until the panel starts. Doing what was promised and serving students weigh most; money and reach
# are judged too, but a small project that did well should not lose for being small.
OUTCOME_TEMPLATE = [
    (_l("完成度"), _l("方案承诺的活动和目标完成了多少，是否按期完成"), 30),
    (_l("服务同学实效"), _l("同学们是否真正受益，成效是否看得见、可检验"), 30),
    (_l("预算执行"), _l("支出是否在中标预算内、与方案相符，账目是否清楚"), 20),
    (_l("覆盖面"), _l("参与和受益的同学有多少，志愿者是否按计划到岗"), 20),
]

PROGRESS_PER_PAGE = 10


def template_criteria() -> list[dict]:
    """The template's criteria in the site's language: they are made for everyone to read, whoever's
    request made them (the host's, whose completion report opens the panel)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return [{"name": str(n), "description": str(d), "weight": w} for n, d, w in OUTCOME_TEMPLATE]


class OutcomePanel(Panel):
    """成效评估: the project itself, on its outcome criteria, while it is 评价中."""

    purpose = OUTCOME
    state = ProjectState.EVALUATING
    manage = "review.manage_outcome"
    panelist = "review.outcome_panel"

    def criteria(self, project: Project) -> list[Criterion]:
        return project.outcome_criteria

    def items(self, project: Project) -> list[None]:
        return [None]

    def is_recused(self, user, project: Project) -> bool:
        return is_recused_from_outcome(user, project)

    def recused_user_ids(self, project: Project) -> CompoundSelect:
        return outcome_recused_user_ids(project)

    def recused_refusal(self, user=None) -> str:
        if user is None:
            return _("你与本项目的竞标方或承办方有关，须回避成效评估。")
        return _("%(name)s 与本项目的竞标方或承办方有关，须回避成效评估。", name=user.name)

    def declare_first(self) -> str:
        return _("请先声明与承办方无利益冲突。")

    def prepare(self, project: Project) -> None:
        """The outcome criteria start from the template (a project that has its own keeps them)."""
        if not project.outcome_criteria:
            set_criteria(project, template_criteria(), OUTCOME)


OUTCOME_PANEL = OutcomePanel()


def open_panel(project: Project) -> ReviewRound:
    """The project entered 评价中: its outcome panel opens, on the template's criteria."""
    round_ = open_round(project, OUTCOME)
    OUTCOME_PANEL.prepare(project)
    return round_


def editable_criteria(project: Project) -> list[dict]:
    """The outcome criteria as the staff's form starts: the project's, or the template's."""
    return criteria_snapshot(project, OUTCOME) or template_criteria()


def has_started(round_: ReviewRound) -> bool:
    """The panel has started once any of its panelists has declared no conflict: from then on a
    panelist may be scoring, so the criteria stay as they are."""
    return any(seat.declared_at is not None for seat in round_.seats)


def save_criteria(actor, project: Project, data: dict) -> None:
    """The staff adapt the outcome criteria (``data["criteria"]``: name, description, weight) to the
    project, weights summing to 100 — until the panel starts. The project's row is locked, so a
    panelist declaring at the same moment either comes after the change or stops it."""
    round_ = sitting_round(project, OUTCOME_PANEL)
    permissions.require(actor, OUTCOME_PANEL.manage, project)
    if has_started(round_):
        raise DomainError(_("评估小组已有成员声明并开始评分，评估标准不能再修改。"), field="criteria")
    check_criteria(data["criteria"])
    before = criteria_snapshot(project, OUTCOME)
    set_criteria(project, data["criteria"], OUTCOME)
    audit.record(
        actor,
        "review.outcome_criteria",
        project,
        before={"criteria": before},
        after={"criteria": criteria_snapshot(project, OUTCOME)},
        project_id=project.id,
    )


def result_visible(user, round_: ReviewRound, state: ProjectState) -> bool:
    """The staff see the outcome result once every panelist has submitted (at least three, as in bid
    review), or once the evaluation is over: nobody can score any more, so independence is no longer
    at stake — and the final score rests on what was submitted."""
    return can_see_others_scores(user, round_) or state != OUTCOME_PANEL.state


# -- what the final score asks ---------------------------------------------------------------------------


def panel_score(project: Project) -> Fraction | None:
    """成效评估得分: the exact score (0–100) of the project's current outcome round — each submitted
    panelist's Σ score × weight / 100 on the outcome criteria, averaged, dropping the single highest
    and lowest from five panelists on (``review.scoring``). None while nobody has submitted."""
    round_ = current_round(project, OUTCOME)
    if round_ is None:
        return None
    return scoring.aggregate(list(scoring.outcome_totals(round_, project.outcome_criteria).values()))


def panel_submitted(project: Project) -> bool:
    """Whether the outcome panel has done its work: it has at least one panelist, and every panelist
    of its current round has submitted."""
    round_ = current_round(project, OUTCOME)
    return round_ is not None and bool(round_.seats) and all(s.submitted_at for s in round_.seats)


# -- the reminder before the window ends -------------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """``outcome_reminder_days`` before a project's evaluation window ends, remind each outcome
    panelist who has not submitted — once: a conditional UPDATE of the seat's ``reminded_at`` claims
    it, so two workers never both send, and a panelist the staff reminded within those days by hand
    is not reminded again. Commits as it goes, like the other periodic steps."""
    now = now or clock.now()
    ahead = timedelta(days=settings.get("outcome_reminder_days"))
    due = db.session.execute(
        select(PanelSeat.id, Project.id, Project.evaluation_ends_at)
        .join(ReviewRound, ReviewRound.id == PanelSeat.round_id)
        .join(Project, Project.id == ReviewRound.project_id)
        .where(
            ReviewRound.purpose == OUTCOME,
            ReviewRound.superseded_at.is_(None),
            Project.state == ProjectState.EVALUATING,
            Project.evaluation_ends_at > now,
            Project.evaluation_ends_at <= now + ahead,
            PanelSeat.submitted_at.is_(None),
        )
        .order_by(Project.id, PanelSeat.id)
    ).all()
    sent = 0
    for seat_id, project_id, ends_at in due:
        if not _claim_reminder(seat_id, since=ends_at - ahead, now=now):
            continue
        remind_seat(db.session.get(PanelSeat, seat_id), db.session.get(Project, project_id), OUTCOME_PANEL)
        db.session.commit()
        sent += 1
    return sent


def _claim_reminder(seat_id: int, *, since: datetime, now: datetime) -> bool:
    """Mark the seat reminded unless it has submitted or was reminded since ``since``."""
    claimed = db.session.execute(
        update(PanelSeat)
        .where(
            PanelSeat.id == seat_id,
            PanelSeat.submitted_at.is_(None),
            or_(PanelSeat.reminded_at.is_(None), PanelSeat.reminded_at < since),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


# -- what the panelist reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What an outcome panelist judges, on one page (one query each, however much there is)."""

    report: CompletionReport | None  # 结项报告
    budget: Decimal | None  # the awarded budget
    spent: Decimal
    volunteers: VolunteerTotals
    progress: list[ProgressUpdate]  # one page of the progress posts, newest first, with photos
    more_progress: bool  # older posts follow on the next page

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.spent > self.budget


def evidence(project: Project, page: int = 1) -> Evidence:
    """The completion report, spending against the budget, the volunteer numbers and confirmed hours,
    and page ``page`` of the progress posts with their photos."""
    report = db.session.scalar(select(CompletionReport).where(CompletionReport.project_id == project.id))
    budget, spent = budget_and_spent(project)
    progress, more = progress_page(project, page, PROGRESS_PER_PAGE)
    return Evidence(report, budget, spent, volunteer_totals(project), progress, more)
