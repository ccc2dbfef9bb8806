"""The pages ``make bench`` measures, found in the seeded data, and what each costs in one request.

:func:`find` picks the ids (a project in each needed state, a shift with sign-ups, the hosted project
the demo host manages, a transcript's verification code, the closed project most students rated, the
organization with the longest record, the survey the demo student may answer, the outcome panel the
demo evaluator sits on, the most supported need) and returns the pages with the demo login each is
seen as. :func:`check`
signs each login in once through the app's own login form, renders every page (failing loudly on
anything but 200), then renders it again while counting the SQL statements it issues (BEGIN, COMMIT
and savepoints aside) and the ORM objects it loads (``InstanceEvents.load`` on every mapped class).
The session cookies it ends with are the ones the load run sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import func, select

from marketplace import clock
from marketplace.accounts.models import User
from marketplace.bids.models import Bid, BidStatus
from marketplace.credits.models import DocumentIssue
from marketplace.demo.context import PASSWORD
from marketplace.evaluation.models import FinalOutcome, FinalScore
from marketplace.extensions import db
from marketplace.needs.models import Need, NeedStatus
from marketplace.orgs.models import Membership, Organization, OrgKind
from marketplace.projects.models import CriterionPurpose, Project, ProjectState, Question
from marketplace.review.models import AwardNotice, Objection, PanelSeat, ReviewRound
from marketplace.staff_review.models import ReviewStatus, StaffReview, StaffReviewee
from marketplace.surveys.models import SubjectKind, Survey, SurveyInvitation, SurveyRespondent, SurveyStatus
from marketplace.urls import path_for
from marketplace.volunteers.models import Position, Shift, Signup

from .explain import Plan, explain
from .seed import BURST_POSITION, EVALUATOR, HOST_CLUB

# The demo logins the pages are seen as (see the README's demo accounts).
LOGINS = {
    "student": "2024000100",
    "staff": "2023000001",
    "host": "2023000021",
    "league reviewer": "T0001",
    "admin": "A0001",
    "evaluator": EVALUATOR,
}
# Sent with every request, by the test client and by wrk alike: Flask-Login ties a session to the
# browser that signed in, and a session seen from another one would be rewritten on every response.
USER_AGENT = "jiebang-bench"
NOT_COUNTED = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class PageFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    role: str | None = None  # a key of LOGINS; None: signed out


@dataclass(frozen=True)
class Cost:
    statements: int
    objects: int
    plans: tuple[Plan, ...] = ()


def find() -> list[Page]:
    """The benchmarked pages, with ids from the seeded data (in an app context)."""
    host_club = db.session.scalar(select(Organization.id).where(Organization.name == HOST_CLUB))
    hosted = hosted_project()
    closed, results = _scored_project()
    school_union, last_year, yearly_open = _school_union_surveys()
    evaluated = _outcome_panel_project()
    running, published = _staff_reviews()
    rated = _first(
        select(StaffReviewee.id)
        .where(StaffReviewee.review_id == running)
        .order_by(StaffReviewee.position.desc()),
        "staff member under review this term",
    )
    return [
        Page("home", path_for("main.index")),
        Page("project list, filtered", path_for("projects.index", status="closed", category="career")),
        Page("project page", path_for("projects.show", project_id=_open_project())),
        Page("award notice", path_for("review.notice", project_id=_project_in_notice())),
        Page("organization page", path_for("orgs.show", org_id=host_club)),
        Page("closed project page", path_for("projects.show", project_id=closed)),
        Page("survey results", path_for("surveys.results", survey_id=results)),
        Page("organization record", path_for("orgs.show", org_id=_longest_record())),
        # The lightest signed-in page (a form of three fields): what every signed-in page pays before it
        # shows anything of its own — the session, the user with their roles, the layout and its menu.
        Page("signed-in base: password form", path_for("accounts.change_password"), "student"),
        Page("student home", path_for("main.index"), "student"),
        Page("host home", path_for("main.index"), "host"),
        Page("staff home", path_for("main.index"), "staff"),
        Page("league reviewer home", path_for("main.index"), "league reviewer"),
        Page("evaluator home", path_for("main.index"), "evaluator"),
        Page("admin home", path_for("main.index"), "admin"),
        Page("open shifts", path_for("volunteers.open_shifts"), "student"),
        Page("my sign-ups", path_for("volunteers.mine"), "student"),
        Page("notifications", path_for("notify.centre"), "student"),
        Page("transcript", path_for("credits.transcript_page"), "student"),
        Page("transcript PDF", path_for("credits.transcript_pdf"), "student"),
        Page("survey to answer", path_for("surveys.answer", survey_id=_survey_to_answer()), "student"),
        Page("verification page", path_for("credits.verify_code", code=_verification_code())),
        Page("staff dashboard", path_for("projects.staff"), "staff"),
        Page("review page", path_for("review.overview", project_id=_project_in_review()), "staff"),
        Page("outcome panel", path_for("review.overview", project_id=evaluated, purpose="outcome"), "staff"),
        Page("outcome scoring", path_for("review.outcome_score", project_id=evaluated), "evaluator"),
        Page("host console", path_for("hosting.console", project_id=hosted), "host"),
        Page("roster", path_for("hosting.roster", shift_id=_busiest_shift(hosted)), "host"),
        Page("verification queue", path_for("credits.queue"), "league reviewer"),
        Page("staff review", path_for("staff_review.show", review_id=published)),
        Page("staff to rate", path_for("staff_review.rate", review_id=running), "student"),
        Page(
            "staff rating form",
            path_for("staff_review.rate_one", review_id=running, reviewee_id=rated),
            "student",
        ),
        Page("own staff review", path_for("staff_review.mine", review_id=published), "staff"),
        Page(
            "staff review results", path_for("staff_review.results", review_id=published), "league reviewer"
        ),
        Page("union dashboard", path_for("satisfaction.dashboard", org_id=school_union, year=last_year)),
        Page(
            "union dashboard, breakdown",
            path_for("satisfaction.dashboard", org_id=school_union, year=last_year),
            "league reviewer",
        ),
        Page("yearly survey console", path_for("satisfaction.console"), "league reviewer"),
        Page("my yearly surveys", path_for("satisfaction.mine"), "student"),
        Page("yearly survey to answer", path_for("surveys.answer", survey_id=yearly_open), "student"),
        Page("needs pool", path_for("needs.index")),
        Page(
            "needs pool by trend, filtered",
            path_for("needs.index", sort="trend", status="open", category="学业"),
        ),
        Page("need page", path_for("needs.show", need_id=_most_supported_need())),
        Page("need page, staff answering", path_for("needs.show", need_id=_open_need_of_staff()), "staff"),
        Page("admin users", path_for("admin.users"), "admin"),
        Page("audit log", path_for("admin.audit_log"), "admin"),
    ]


def _most_supported_need() -> int:
    """The need with the most supports: the page a link shared in a WeChat group opens."""
    return _first(select(Need.id).order_by(Need.support_count.desc(), Need.id), "need")


def _open_need_of_staff() -> int:
    """The most supported open need of the demo staff's union, as its answer form shows it."""
    staff = select(User.id).where(User.student_no == LOGINS["staff"]).scalar_subquery()
    union = select(Membership.org_id).where(Membership.user_id == staff)
    return _first(
        select(Need.id)
        .where(Need.status == NeedStatus.OPEN, Need.union_id.in_(union))
        .order_by(Need.support_count.desc(), Need.id),
        "open need of the demo staff's union",
    )


def hosted_project() -> int:
    """A project in hosting by the demo host's club."""
    host_club = select(Organization.id).where(Organization.name == HOST_CLUB).scalar_subquery()
    return _first(
        select(Project.id).where(Project.state == ProjectState.HOSTING, Project.host_org_id == host_club),
        "a project in hosting by the demo host's club",
    )


def _first(stmt, what: str) -> int:
    found = db.session.scalar(stmt.limit(1))
    if found is None:
        raise PageFailed(f"the seeded data has no {what}")
    return found


def _open_project() -> int:
    """The open project with the most questions: the page most people read."""
    questions = select(func.count()).where(Question.project_id == Project.id).scalar_subquery()
    return _first(
        select(Project.id).where(Project.state == ProjectState.OPEN).order_by(questions.desc(), Project.id),
        "open project",
    )


def _project_in_notice() -> int:
    """A project in its award notice, one with an objection pending if there is one."""
    objected = select(Objection.id).join(AwardNotice).where(AwardNotice.project_id == Project.id).exists()
    return _first(
        select(Project.id)
        .where(Project.state == ProjectState.AWARD_NOTICE)
        .order_by(objected.desc(), Project.id),
        "project in its award notice",
    )


def _project_in_review() -> int:
    """A project of the demo staff's union in review, from which the staff login is not recused (no
    organization of theirs bid on it)."""
    staff = select(User.id).where(User.student_no == LOGINS["staff"]).scalar_subquery()
    union = (
        select(Membership.org_id)
        .join(Organization)
        .where(Membership.user_id == staff, Organization.kind == OrgKind.SCHOOL_UNION)
    )
    recused = (
        select(Bid.id)
        .join(Membership, Membership.org_id == Bid.org_id)
        .where(Bid.project_id == Project.id, Bid.status == BidStatus.SUBMITTED, Membership.user_id == staff)
        .exists()
    )
    return _first(
        select(Project.id)
        .where(Project.state == ProjectState.REVIEWING, Project.union_id.in_(union), ~recused)
        .order_by(Project.id),
        "project in review that the demo staff may review",
    )


def _scored_project() -> tuple[int, int]:
    """The closed project scored on both its panel and its survey whose survey most students answered,
    and that survey: (project id, survey id)."""
    found = db.session.execute(
        select(Project.id, Survey.id)
        .join(FinalScore, FinalScore.project_id == Project.id)
        .join(Survey, Survey.project_id == Project.id)
        .where(FinalScore.panel_score.is_not(None), FinalScore.satisfaction_score.is_not(None))
        .order_by(FinalScore.responses.desc(), Project.id)
        .limit(1)
    ).first()
    if found is None:
        raise PageFailed("the seeded data has no closed project scored on its panel and its survey")
    project_id, survey_id = found
    return project_id, survey_id


def _school_union_surveys() -> tuple[int, int, int]:
    """The school union, the academic year of its survey that closed last, and its open one."""
    union = _first(select(Organization.id).where(Organization.kind == OrgKind.SCHOOL_UNION), "school union")
    ofs = select(Survey).where(Survey.kind == SubjectKind.UNION_YEAR, Survey.union_id == union)
    now = clock.now()
    last = _first(
        ofs.with_only_columns(Survey.academic_year_id)
        .where(Survey.closes_at < now)
        .order_by(Survey.closes_at.desc()),
        "closed survey of the school union",
    )
    opened = _first(
        ofs.with_only_columns(Survey.id).where(Survey.status == SurveyStatus.OPEN, Survey.closes_at > now),
        "open survey of the school union",
    )
    return union, last, opened


def _longest_record() -> int:
    """The organization with the most scored projects: its page charts the latest of them."""
    scored = func.count(FinalScore.id)
    return _first(
        select(Project.host_org_id)
        .join(FinalScore, FinalScore.project_id == Project.id)
        .where(FinalScore.outcome == FinalOutcome.SCORED)
        .group_by(Project.host_org_id)
        .order_by(scored.desc(), Project.host_org_id),
        "organization with a scored project",
    )


def _survey_to_answer() -> int:
    """An open survey the demo student is invited to and has not answered."""
    student = select(User.id).where(User.student_no == LOGINS["student"]).scalar_subquery()
    answered = (
        select(SurveyRespondent.user_id)
        .where(SurveyRespondent.survey_id == Survey.id, SurveyRespondent.user_id == student)
        .exists()
    )
    return _first(
        select(Survey.id)
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(SurveyInvitation.user_id == student, Survey.status == SurveyStatus.OPEN, ~answered)
        .order_by(Survey.id),
        "open survey the demo student is invited to",
    )


def _staff_reviews() -> tuple[int, int]:
    """This term's open 述职评议 and the latest published one (of the 校学生会): (open, published)."""
    running = _first(
        select(StaffReview.id).where(StaffReview.status == ReviewStatus.OPEN).order_by(StaffReview.id.desc()),
        "open staff review",
    )
    published = _first(
        select(StaffReview.id)
        .where(StaffReview.status == ReviewStatus.PUBLISHED)
        .order_by(StaffReview.closes_at.desc()),
        "published staff review",
    )
    return running, published


def _outcome_panel_project() -> int:
    """The project in 评价中 on whose outcome panel the demo evaluator sits, declared and still scoring
    (the demo staff, whose union posted it, manage that panel)."""
    evaluator = select(User.id).where(User.staff_no == LOGINS["evaluator"]).scalar_subquery()
    return _first(
        select(Project.id)
        .join(ReviewRound, ReviewRound.project_id == Project.id)
        .join(PanelSeat, PanelSeat.round_id == ReviewRound.id)
        .where(
            Project.state == ProjectState.EVALUATING,
            ReviewRound.purpose == CriterionPurpose.OUTCOME,
            PanelSeat.user_id == evaluator,
            PanelSeat.declared_at.is_not(None),
            PanelSeat.submitted_at.is_(None),
        )
        .order_by(Project.id),
        "project in 评价中 with the demo evaluator on its outcome panel",
    )


def _busiest_shift(project_id: int) -> int:
    signups = select(func.count()).where(Signup.shift_id == Shift.id).scalar_subquery()
    seeded = ~Position.title.startswith(BURST_POSITION)
    return _first(
        select(Shift.id)
        .join(Position)
        .where(Position.project_id == project_id, seeded)
        .order_by(signups.desc(), Shift.id),
        "shift of the hosted project",
    )


def _verification_code() -> str:
    student = select(User.id).where(User.student_no == LOGINS["student"]).scalar_subquery()
    return _first(
        select(DocumentIssue.code).where(DocumentIssue.user_id == student).order_by(DocumentIssue.id.desc()),
        "issued transcript of the demo student",
    )


def check(app: Flask) -> tuple[dict[Page, Cost], dict[str, str]]:
    """Render every page twice, the second time counted. Returns each page's cost and each login's
    session cookie. Requests run in contexts of their own, as in a server: call it outside any
    context of ``app``."""
    with app.app_context():
        pages = find()
        engine = db.engine
        login_page = path_for("accounts.login")
    clients = {role: _signed_in(app, login_page, login) for role, login in LOGINS.items()}
    clients[None] = app.test_client()
    costs = {}
    for page in pages:
        client = clients[page.role]
        _get(client, page)
        with counting(engine) as seen:
            _get(client, page)
        with engine.connect() as connection:
            plans = explain(connection, seen.captured)
        costs[page] = Cost(seen.statements, seen.objects, tuple(plans))
    host = (app.config["SERVER_NAME"] or "localhost").split(":")[0]  # where the test client sends requests
    cookies = {
        role: client.get_cookie("session", domain=host).value for role, client in clients.items() if role
    }
    return costs, cookies


def _get(client, page: Page):
    response = client.get(page.path, headers={"User-Agent": USER_AGENT})
    if response.status_code != 200:
        who = f"as {page.role} ({LOGINS[page.role]})" if page.role else "signed out"
        raise PageFailed(f"{page.name} {page.path} {who} answered {response.status_code}, not 200")
    return response


def _signed_in(app: Flask, login_page: str, login: str):
    """A test client signed in as ``login`` through the login form (its CSRF token included)."""
    client = app.test_client()
    form = client.get(login_page, headers={"User-Agent": USER_AGENT})
    token = CSRF.search(form.get_data(as_text=True))
    data = {"identifier": login, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    # The test client speaks the app's PREFERRED_URL_SCHEME (https in production), where the CSRF
    # check wants the page the form came from, as a browser sends it.
    headers = {"User-Agent": USER_AGENT, "Referer": form.request.url}
    response = client.post(login_page, data=data, headers=headers)
    if response.status_code != 302:
        raise PageFailed(f"signing in as {login} answered {response.status_code}, not a redirect")
    return client


@dataclass
class Seen:
    statements: int = 0
    objects: int = 0
    captured: list[tuple[str, object]] = field(default_factory=list)  # (statement, DBAPI parameters)


@contextmanager
def counting(engine: sa.Engine) -> Iterator[Seen]:
    """Count the statements sent on ``engine`` and the ORM objects loaded inside the block, and keep
    each statement with its parameters for the plan check."""
    seen = Seen()

    def statement(conn, cursor, text, parameters, context, executemany):
        if not NOT_COUNTED.match(text):
            seen.statements += 1
            seen.captured.append((text, parameters))

    def loaded(target, context):
        seen.objects += 1

    classes = [mapper.class_ for mapper in db.Model.registry.mappers]
    sa.event.listen(engine, "before_cursor_execute", statement)
    for cls in classes:
        sa.event.listen(cls, "load", loaded)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
        for cls in classes:
            sa.event.remove(cls, "load", loaded)
