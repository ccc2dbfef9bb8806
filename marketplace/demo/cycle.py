"""Telling a project's history through the operations: posting, Q&A, bidding, review and award.

Each action happens at its own moment in the past (``Demo.travel``), so the audit log, the notifications
and every timestamp read as if the school had used the site for the last few weeks. A project is
found by its title and union; when it is there already its step does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import click
from sqlalchemy import select

from ..accounts.models import User, find_by_identifier
from ..bids import operations as bid_ops
from ..bids.models import Bid
from ..credits.models import CreditCategory
from ..extensions import db
from ..orgs.models import MemberRole, Membership, Organization, OrgKind
from ..projects import lifecycle
from ..projects import operations as project_ops
from ..projects.models import Project, ProjectCategory
from ..review import operations as review
from . import school
from .context import Demo

# The fixed demo logins who act in the history (see people.DEMO_ACCOUNTS).
STAFF = {OrgKind.SCHOOL_UNION: "2023000001", OrgKind.GRADUATE_UNION: "2023000002"}
LEAGUE_REVIEWER = "T0001"
FACULTY_EVALUATOR = "T0002"
STUDENT_EVALUATORS = ("2023000011", "2023000012", "2023000013")
ANY_BIDDER = (OrgKind.COLLEGE_UNION, OrgKind.CLUB)


@dataclass(frozen=True)
class BidSpec:
    org: str
    budget: int
    summary: str
    plan: str
    timeline: str = ""
    volunteers: int = 0
    mark: int = 80  # about what the panel gives it on every criterion
    remark: str = ""  # the faculty evaluator's comment on the first criterion


@dataclass(frozen=True)
class QuestionSpec:
    org: str  # its manager asks
    body: str
    answer: str


@dataclass(frozen=True)
class ProjectSpec:
    """A project of the demo. Days count from today: -28 is four weeks ago."""

    title: str
    category: ProjectCategory
    description: str
    outcomes: str
    budget: int
    posted: int
    deadline: int
    hosting: tuple[int, int]  # its first and last day
    kinds: tuple[OrgKind, ...] = ANY_BIDDER
    union: OrgKind = OrgKind.SCHOOL_UNION
    credited: bool = False  # volunteers earn 志愿公益 credits
    bids: tuple[BidSpec, ...] = ()  # the first one wins, where the story gets that far
    questions: tuple[QuestionSpec, ...] = ()


def account(identifier: str) -> User:
    return db.session.scalar(find_by_identifier(identifier))


def union_of(demo: Demo, spec: ProjectSpec) -> Organization:
    name = (
        school.school_union_name(demo)
        if spec.union == OrgKind.SCHOOL_UNION
        else school.graduate_union_name(demo)
    )
    return demo.orgs[name]


def staff_of(spec: ProjectSpec) -> User:
    return account(STAFF[spec.union])


def manager_of(org: Organization) -> User:
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.org_id == org.id, Membership.role == MemberRole.MANAGER, Membership.ends_on.is_(None)
        )
        .order_by(Membership.starts_on, Membership.id)
        .limit(1)
    )


def find(demo: Demo, spec: ProjectSpec) -> Project | None:
    return db.session.scalar(
        select(Project)
        .where(Project.title == spec.title, Project.union_id == union_of(demo, spec).id)
        .limit(1)
    )


def should_tell(demo: Demo, spec: ProjectSpec) -> bool:
    """Whether this run should tell the project's story: not when it is there already, nor when the
    story would begin before this academic year's posts (in its first weeks)."""
    if find(demo, spec) is not None:
        return False
    if not demo.reaches_back(-spec.posted):
        click.echo(f"skipped「{spec.title}」: its history would begin before this academic year's posts")
        return False
    return True


def _data(demo: Demo, spec: ProjectSpec) -> dict:
    volunteering = db.session.scalar(select(CreditCategory.id).where(CreditCategory.code == "volunteer"))
    return {
        "title": spec.title,
        "category": spec.category,
        "description": spec.description,
        "expected_outcomes": spec.outcomes,
        "budget_cap": Decimal(spec.budget),
        "allow_college_union": OrgKind.COLLEGE_UNION in spec.kinds,
        "allow_club": OrgKind.CLUB in spec.kinds,
        "allow_class": OrgKind.CLASS in spec.kinds,
        "bid_deadline": demo.day(spec.deadline, "17:00"),
        "hosting_starts_on": demo.today + timedelta(days=spec.hosting[0]),
        "hosting_ends_on": demo.today + timedelta(days=spec.hosting[1]),
        "credit_category_id": volunteering if spec.credited else None,
        "flagged_major": False,
        "criteria": project_ops.default_criteria(),
    }


def draft(demo: Demo, spec: ProjectSpec) -> Project:
    demo.travel(demo.day(spec.posted, "10:00"))
    project = project_ops.create_draft(
        staff_of(spec), {**_data(demo, spec), "union_id": union_of(demo, spec).id}
    )
    demo.created["projects"] += 1
    return project


def post(demo: Demo, spec: ProjectSpec) -> Project:
    """发榜: drafted and published (a major project goes to the league reviewer instead)."""
    project = draft(demo, spec)
    demo.travel(demo.day(spec.posted, "10:40"))
    project_ops.publish(staff_of(spec), project)
    return project


def ask_and_answer(demo: Demo, spec: ProjectSpec, project: Project) -> None:
    """答疑: each question the evening after posting (one a day), answered the next morning; asked by
    the organizations this run has (``--clubs`` may leave some out)."""
    for n, question in enumerate(q for q in spec.questions if q.org in demo.orgs):
        demo.travel(demo.day(spec.posted + 1 + n, "20:30"))
        asked = project_ops.ask_question(
            manager_of(demo.orgs[question.org]), project, {"body": question.body}
        )
        demo.travel(demo.day(spec.posted + 2 + n, "09:40"))
        project_ops.answer_question(staff_of(spec), asked, {"answer": question.answer})


def submit_bids(demo: Demo, spec: ProjectSpec, project: Project) -> list[Bid]:
    """The bids, three days after posting, from those of the organizations this run has (``--clubs``
    may leave some out)."""
    bids = []
    for n, spec_bid in enumerate(b for b in spec.bids if b.org in demo.orgs):
        demo.travel(demo.day(spec.posted + 3, "15:00") + timedelta(minutes=47 * n))
        org = demo.orgs[spec_bid.org]
        manager = manager_of(org)
        data = {
            "summary": spec_bid.summary,
            "plan": spec_bid.plan,
            "requested_budget": Decimal(spec_bid.budget),
            "timeline": spec_bid.timeline,
            "team": [manager.id],
            "expected_volunteers": spec_bid.volunteers,
        }
        bids.append(bid_ops.submit_bid(manager, project, org, data))
    demo.created["bids"] += len(bids)
    return bids


def close_bidding(demo: Demo, project: Project) -> None:
    """The deadline passes; the periodic task persists what follows (review, or 流标)."""
    demo.travel(project.bid_deadline + timedelta(minutes=5))
    lifecycle.run_due_transitions()


def panel(demo: Demo, project: Project, size: int, kind: review.Panel = review.BID_PANEL) -> list[User]:
    """The faculty evaluator and ``size - 1`` roster evaluators who are not recused (from the bids, or
    from the outcome). The fixed student evaluators are kept for the panel that waits for them (see
    projects.in_review)."""
    roster = [
        u
        for u in review.eligible_panelists(project, kind)
        if u.student_no is not None and u.student_no not in STUDENT_EVALUATORS
    ]
    purpose = "panel" if kind is review.BID_PANEL else f"{kind.purpose.value} panel"
    rng = demo.rng(f"{purpose}:{project.title}")
    return [account(FACULTY_EVALUATOR), *rng.sample(roster, size - 1)]


def seat(
    demo: Demo,
    spec: ProjectSpec,
    project: Project,
    panelists: list[User],
    day: int,
    kind: review.Panel = review.BID_PANEL,
) -> None:
    demo.travel(demo.day(day, "09:30"))
    for panelist in panelists:
        review.assign_panelist(staff_of(spec), project, {"user": panelist.id}, kind)


def score(
    demo: Demo, spec: ProjectSpec, project: Project, panelist: User, bids: list[Bid], *, submit: bool = True
) -> None:
    """One panelist declares no conflict and scores ``bids`` near their spec's mark (and submits)."""
    review.declare_no_conflict(panelist, project)
    marks = {b.org: b for b in spec.bids}
    rng = demo.rng(f"scores:{project.title}:{panelist.identifier}")
    first = project.bid_criteria[0].id
    for bid in bids:
        wanted = marks[bid.org.name]
        values = {
            c.id: (
                max(0, min(100, wanted.mark + rng.randint(-4, 4))),
                wanted.remark if c.id == first and panelist.staff_no == FACULTY_EVALUATOR else "",
            )
            for c in project.bid_criteria
        }
        review.save_scores(panelist, project, bid, values)
    if submit:
        review.submit_scores(panelist, project)


def review_and_award(demo: Demo, spec: ProjectSpec, project: Project, bids: list[Bid], day: int) -> None:
    """A panel of three seated on ``day``, scoring through the day; the award the next afternoon."""
    panelists = panel(demo, project, 3)
    seat(demo, spec, project, panelists, day)
    for n, panelist in enumerate(panelists):
        demo.travel(demo.day(day, "10:30") + timedelta(hours=3 * n))
        score(demo, spec, project, panelist, bids)
    demo.travel(demo.day(day + 1, "15:00"))
    review.award(staff_of(spec), project, {"bid": bids[0].public_id})


def start_hosting(demo: Demo, project: Project) -> User:
    """The notice window ends with nothing pending: the periodic task makes the winner the host.
    Returns the host's manager, who acts for it."""
    demo.travel(review.active_notice(project).window_ends_at + timedelta(minutes=10))
    lifecycle.run_due_transitions()
    return manager_of(project.host_org)


def to_hosting(demo: Demo, spec: ProjectSpec, review_day: int) -> tuple[Project, User]:
    """发榜 → 竞标 → 评标 → 公示 → 承办: posted, its questions answered, bid for, reviewed on ``review_day``
    and awarded the next afternoon to the first bid, hosted once the notice window has passed.
    Returns the project and its host's manager."""
    project = post(demo, spec)
    ask_and_answer(demo, spec, project)
    bids = submit_bids(demo, spec, project)
    close_bidding(demo, project)
    review_and_award(demo, spec, project, bids, review_day)
    return project, start_hosting(demo, project)
