"""The policy (marketplace.permissions), role by role, for every registered action.

``MATRIX`` has a row for each action — several where the rule looks at its object (a sealed bid and
a bid after the deadline, a project in notice and one in hosting): the roles that may; every other
role may not. The rows name objects of one world (``scene``), built through the real operations: a
project in each stage of the lifecycle, bids from two clubs, a seated panel, an award notice, an
outcome panel, an accepted volunteer and a credit appeal. An action registered without a row fails
``test_every_registered_action_has_a_row_in_the_matrix``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_login import AnonymousUserMixin

from marketplace import clock, permissions
from marketplace.accounts.models import AccountKind, AccountStatus
from marketplace.credits.models import CreditAppeal
from marketplace.disclosure import operations as disclosure
from marketplace.disclosure import suggestions
from marketplace.extensions import db
from marketplace.needs import operations as needs
from marketplace.orgs.models import MemberRole
from marketplace.projects import lifecycle
from marketplace.projects.models import ProjectState
from marketplace.review import operations as review
from marketplace.review.outcome import OUTCOME_PANEL
from marketplace.school.models import AcademicYear, Term
from marketplace.staff_review import operations as staff_review
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import SubjectKind, Survey
from marketplace.volunteers import positions, signups
from marketplace.volunteers.models import Admission, Position, Shift
from tests import factories
from tests.projects.helpers import World
from tests.review.helpers import score_and_submit, seat

S = ProjectState

ANONYMOUS = "anonymous"
STUDENT = "student"
GRADUATE = "graduated student"  # read-only
OWN_MANAGER = "org manager, own org"  # manages club A: it bids, wins and hosts
OTHER_MANAGER = "org manager, other org"  # manages club B, a rival bidder
STAFF = "staff, posting union"
RECUSED_STAFF = "staff, posting union, recused"  # also a member of club A
OTHER_STAFF = "staff, other union"
SEATED = "evaluator, seated"  # on the panel of the projects under review and the evaluated one, declared
UNSEATED = "evaluator, not seated"
REVIEWER = "league reviewer"
RECUSED_REVIEWER = "league reviewer, recused"  # a member of club A
ADMIN = "admin"

ROLES = [
    ANONYMOUS,
    STUDENT,
    GRADUATE,
    OWN_MANAGER,
    OTHER_MANAGER,
    STAFF,
    RECUSED_STAFF,
    OTHER_STAFF,
    SEATED,
    UNSEATED,
    REVIEWER,
    RECUSED_REVIEWER,
    ADMIN,
]
SIGNED_IN = set(ROLES) - {ANONYMOUS}
WRITERS = SIGNED_IN - {GRADUATE}
STUDENTS_WHO_MAY_WRITE = WRITERS - {REVIEWER, RECUSED_REVIEWER, ADMIN}  # those two and the admin are faculty
POSTING_STAFF = {STAFF, RECUSED_STAFF}
ALL_STAFF = POSTING_STAFF | {OTHER_STAFF}
REVIEWERS = {REVIEWER, RECUSED_REVIEWER}
OVERSEERS = {STAFF, REVIEWER, SEATED}  # see all bids after the deadline: not the recused, not the admin
NOBODY: set[str] = set()

THEMSELVES = "their own account"

# (action, the object it is asked about, the roles that may)
MATRIX: list[tuple[str, str | None, set[str]]] = [
    # accounts, organizations and the site
    ("account.write", None, WRITERS),
    ("user.view_private", THEMSELVES, SIGNED_IN),
    ("user.view_private", "someone else", {ADMIN}),
    ("user.view_phone", THEMSELVES, SIGNED_IN),
    ("user.view_phone", "someone else", {ADMIN}),
    ("user.view_phone", "accepted volunteer", {ADMIN, OWN_MANAGER}),  # the host of their shift
    ("admin.access", None, {ADMIN}),
    ("user.manage", None, {ADMIN}),
    ("org.manage", None, {ADMIN}),
    ("org.act_for", "club A", {OWN_MANAGER, ADMIN}),
    ("roster.import", None, {ADMIN}),
    ("settings.edit", None, {ADMIN}),
    ("calendar.edit", None, {ADMIN}),
    ("credit_categories.edit", None, {ADMIN}),
    ("credit_requirements.edit", None, {ADMIN}),
    ("audit.read", None, ALL_STAFF | REVIEWERS | {ADMIN}),
    ("audit.read_all", None, REVIEWERS | {ADMIN}),  # the staff: their own union's projects only
    ("audit.read_raw", None, {ADMIN}),
    # projects
    ("project.post", None, ALL_STAFF),
    ("project.edit", S.DRAFT, POSTING_STAFF),
    ("project.edit", S.FAILED, POSTING_STAFF),  # to post it again
    ("project.publish", S.DRAFT, POSTING_STAFF),
    ("project.view_unpublished", S.PENDING_APPROVAL, POSTING_STAFF | REVIEWERS),
    ("project.review_queue", None, REVIEWERS),
    ("project.approve", S.PENDING_APPROVAL, REVIEWERS),  # nobody is recused before anyone bids
    ("project.answer", S.OPEN, POSTING_STAFF),
    ("project.ask", S.OPEN, {OWN_MANAGER, OTHER_MANAGER}),  # managers of organizations it admits
    ("project.cancel", S.OPEN, POSTING_STAFF),
    ("project.view_bids", S.OPEN, NOBODY),  # sealed
    ("project.view_bids", S.CANCELLED, NOBODY),  # cancelled before the deadline: sealed for good
    ("project.view_bids", S.REVIEWING, OVERSEERS),
    ("project.view_bids", S.CLOSED, {STAFF, REVIEWER}),  # no panel of its own in this world
    ("project.award", S.REVIEWING, {STAFF}),
    ("project.rule_objection", S.AWARD_NOTICE, {REVIEWER}),
    ("project.host", S.AWARD_NOTICE, NOBODY),  # the window is still open
    ("project.host", S.HOSTING, {OWN_MANAGER}),
    ("project.request_cancel", S.HOSTING, POSTING_STAFF | {OWN_MANAGER}),  # staff, or the host's managers
    ("project.approve_cancel", S.HOSTING, {REVIEWER}),
    ("project.close", S.EVALUATING, POSTING_STAFF),
    # bids
    ("bid.view", "sealed bid", {OWN_MANAGER}),
    ("bid.view", "bid after the deadline", {OWN_MANAGER} | OVERSEERS),
    ("bid.view", "bid on a project cancelled while open", {OWN_MANAGER}),
    ("bid.edit", "sealed bid", {OWN_MANAGER}),
    # review and the notice
    ("review.panel", S.REVIEWING, {SEATED}),
    ("review.panel", S.EVALUATING, NOBODY),  # its outcome panel is another panel
    ("review.outcome_panel", S.EVALUATING, {SEATED}),
    ("review.manage_outcome", S.EVALUATING, {STAFF}),  # the posting union's staff, not recused
    ("review.object", S.AWARD_NOTICE, STUDENTS_WHO_MAY_WRITE),
    ("review.decline", "notice", {OWN_MANAGER}),
    # credits (the league reviewers verify, by default)
    ("credit.verify", S.HOSTING, REVIEWERS),
    ("credit.handle", None, ALL_STAFF | REVIEWERS),
    ("credit.rule_appeal", "appeal", POSTING_STAFF | REVIEWERS),
    ("credit.export_shortfall", None, REVIEWERS | {ADMIN}),  # school-wide lists: not union staff
    ("credit.certificate", THEMSELVES, SIGNED_IN),  # a graduate still takes their certificate
    ("credit.certificate", "someone else", NOBODY),
    ("credit.export_certificates", S.HOSTING, POSTING_STAFF | REVIEWERS),
    # evaluation: the improvement plan (整改说明) is the host's managers' to write
    ("evaluation.improve", S.CLOSED, {OWN_MANAGER}),
    # satisfaction surveys (answering is by invitation, not a rule)
    ("survey.setup", "project survey", POSTING_STAFF),
    ("survey.hide_comment", "project survey", POSTING_STAFF),
    # and the host's managers, and the outcome panel's members
    ("survey.read_comments", "project survey", POSTING_STAFF | {OWN_MANAGER, SEATED}),
    # 述职评议 (rating is by scope, asked when the rating is given, not a rule)
    ("staff_review.open", None, REVIEWERS),
    ("staff_review.manage", "staff review", REVIEWERS),
    ("staff_review.write_report", "staff member's term", {STAFF}),  # the author only
    # the report: the author, the league, and — while the window is open, as here — everyone who may
    # rate (the union's undergraduates and its staff; the graduated may not, the admin is faculty)
    ("staff_review.read_report", "staff member's term", STUDENTS_WHO_MAY_WRITE | REVIEWERS),
    # a union's yearly survey is the league's to set up; the union reads what is said of it
    ("survey.setup", "union survey", REVIEWERS),
    ("survey.hide_comment", "union survey", REVIEWERS),
    ("survey.read_comments", "union survey", REVIEWERS | POSTING_STAFF),
    ("satisfaction.run", None, REVIEWERS),
    ("satisfaction.read_breakdown", "the union", REVIEWERS | POSTING_STAFF),
    # 信息公开: the union's staff draft, the league reviewer approves; the staff list is for everyone
    # signed in; what is published needs no rule
    ("disclosure.draft", "the union", POSTING_STAFF),
    ("disclosure.draft", "charter draft", POSTING_STAFF),
    ("disclosure.read_drafts", "charter draft", POSTING_STAFF | REVIEWERS),
    ("disclosure.approve", "charter draft", REVIEWERS),
    ("disclosure.staff_list", "the union", SIGNED_IN),
    ("suggestion.write", None, STUDENTS_WHO_MAY_WRITE),
    ("suggestion.moderate", "the union", POSTING_STAFF),
    ("suggestion.view", "private suggestion", {STUDENT} | POSTING_STAFF),  # the author and the staff
    # 需求征集: the student posted the need (supporting one's own is refused by the operation, with a reason)
    ("need.post", None, STUDENTS_WHO_MAY_WRITE),
    ("need.support", "need", STUDENTS_WHO_MAY_WRITE),
    ("need.comment", "need", STUDENTS_WHO_MAY_WRITE),
    ("need.answer", "need", POSTING_STAFF),  # the staff of the union it belongs to
    ("need.transfer", "need", POSTING_STAFF),
    ("need.hide", "need", POSTING_STAFF),
    ("need.view_private", "need", POSTING_STAFF | REVIEWERS),  # who wrote it: the author sees their own
    ("need.appeal", "hidden need", {STUDENT}),  # its author
    ("need.rule_appeal", None, REVIEWERS),
]


class Scene(World):
    """World (a union with staff, clubs A and B with a manager each, a league reviewer), four
    evaluators and a project in each state of the lifecycle. Both clubs bid on each project from the
    open one on, but for the failed one (nobody bid) and the cancelled one (club A only)."""

    def __init__(self):
        super().__init__()
        self.evaluators = [factories.user(name=f"评议人{i}", roles=("evaluator",)) for i in range(4)]
        projects = {state: self.open_project() for state in (S.REVIEWING, S.AWARD_NOTICE, S.CANCELLED)}
        projects.update({state: self.open_project() for state in (S.HOSTING, S.EVALUATING, S.CLOSED)})
        projects[S.FAILED] = self.open_project()  # nobody bids
        bids = {state: self.bid(p) for state, p in projects.items() if state != S.FAILED}
        rival = {
            state: self.bid(p, self.manager_b, self.club_b, requested_budget=4500)
            for state, p in projects.items()
            if state not in (S.FAILED, S.CANCELLED)
        }
        lifecycle.apply(projects[S.CANCELLED], "cancel", self.staff, reason="场地无法落实")
        clock.set(projects[S.REVIEWING].bid_deadline + timedelta(minutes=1))
        for state in (S.HOSTING, S.EVALUATING, S.CLOSED):
            # Straight there, as tests/volunteers/helpers.HostingWorld does: review is tested in tests/review.
            projects[state].state, projects[state].tiebreak_seed = state, "0" * 64
            projects[state].host_org_id = self.club_a.id
        lifecycle.catch_up(projects[S.FAILED])
        db.session.commit()

        panel = self.evaluators[:3]
        seat(self.staff, projects[S.REVIEWING], panel)
        seat(self.staff, projects[S.AWARD_NOTICE], panel)
        score_and_submit(projects[S.AWARD_NOTICE], panel, [bids[S.AWARD_NOTICE], rival[S.AWARD_NOTICE]])
        self.notice = review.award(
            self.staff, projects[S.AWARD_NOTICE], {"bid": bids[S.AWARD_NOTICE].public_id}
        )
        db.session.commit()
        review.assign_panelist(self.staff, projects[S.EVALUATING], {"user": panel[0].id}, OUTCOME_PANEL)
        review.declare_no_conflict(panel[0], projects[S.EVALUATING], OUTCOME_PANEL)
        db.session.commit()

        projects[S.DRAFT] = self.draft()
        projects[S.PENDING_APPROVAL] = self.pending_project()
        projects[S.OPEN] = self.open_project()
        self.sealed_bid = self.bid(projects[S.OPEN])
        self.bid(projects[S.OPEN], self.manager_b, self.club_b)
        self.projects = projects
        self.bids = bids
        self.volunteer, self.appeal = self._volunteer_with_an_appeal(projects[S.HOSTING])
        self.survey = surveys.prepare_for_project(projects[S.EVALUATING])
        self.year = year = AcademicYear(
            name="2025-2026学年", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
        )
        db.session.add(year)
        db.session.flush()
        union_survey = Survey(kind=SubjectKind.UNION_YEAR, union_id=self.union.id, academic_year_id=year.id)
        self.union_survey = surveys.prepare(union_survey, ["服务同学"])
        db.session.commit()

    def _volunteer_with_an_appeal(self, project):
        """A student accepted on a shift of the hosted project, who appeals their credits."""
        data = {"title": "答疑志愿者", "description": "", "admission": Admission.FIRST_COME}
        position = positions.save_position(self.manager_a, project, Position(), data)
        starts = clock.now() + timedelta(days=3)
        shift = positions.save_shift(
            self.manager_a,
            position,
            Shift(),
            {
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "place": "图书馆 301",
                "capacity": 2,
                "credit_hours": Decimal("2"),
            },
        )
        volunteer = factories.user()
        signups.sign_up(volunteer, shift)
        appeal = CreditAppeal(user_id=volunteer.id, shift_id=shift.id, reason="签到记录缺失")
        db.session.add(appeal)
        db.session.commit()
        return volunteer, appeal

    def users(self) -> dict:
        self.student = factories.user()
        recused_staff = factories.staff_member(self.union, name="钱干事")
        recused_reviewer = factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",))
        for member in (recused_staff, recused_reviewer):
            factories.membership(member, self.club_a, MemberRole.MEMBER)
        self.student = factories.user()
        return {
            ANONYMOUS: AnonymousUserMixin(),
            STUDENT: self.student,
            GRADUATE: factories.user(status=AccountStatus.GRADUATED),
            OWN_MANAGER: self.manager_a,
            OTHER_MANAGER: self.manager_b,
            STAFF: self.staff,
            RECUSED_STAFF: recused_staff,
            OTHER_STAFF: factories.staff_member(),
            SEATED: self.evaluators[0],
            UNSEATED: self.evaluators[3],
            REVIEWER: self.reviewer,
            RECUSED_REVIEWER: recused_reviewer,
            ADMIN: factories.user(kind=AccountKind.FACULTY, roles=("admin",)),
        }

    def objects(self) -> dict:
        self.staff_review = self._staff_review()
        return {
            None: None,
            **self.projects,
            "someone else": factories.user(),
            "accepted volunteer": self.volunteer,
            "club A": self.club_a,
            "sealed bid": self.sealed_bid,
            "bid after the deadline": self.bids[S.REVIEWING],
            "bid on a project cancelled while open": self.bids[S.CANCELLED],
            "notice": self.notice,
            "appeal": self.appeal,
            "project survey": self.survey,
            "staff review": self.staff_review,
            "staff member's term": next(r for r in self.staff_review.reviewees if r.user_id == self.staff.id),
            "union survey": self.union_survey,
            "the union": self.union,
            "charter draft": disclosure.draft_charter(self.staff, self.union, {"body": "# 章程\n第一条"}),
            "private suggestion": suggestions.write(
                self.student, {"union": self.union.id, "title": "自习室", "body": "希望延长开放时间"}
            ),
            **self._needs(),
        }

    def _needs(self) -> dict:
        """Two needs the student posted to the union; the second hidden by its staff."""
        posted = [
            needs.post_need(self.student, {"title": title, "description": "说明", "category": "学业"})
            for title in ("自习室不够", "违规内容")
        ]
        needs.hide(self.staff, posted[1], {"reason": "违规"})
        db.session.commit()
        return {"need": posted[0], "hidden need": posted[1]}

    def _staff_review(self):
        """A term's review of the union, opened with the staff in post (the recused one too)."""
        term = Term(year=self.year, name="第一学期", starts_on=date(2025, 9, 1), ends_on=date(2026, 1, 18))
        db.session.add(term)
        db.session.flush()
        data = {"union": self.union.id, "term": term.id, "closes_at": clock.now() + timedelta(days=7)}
        review = staff_review.open_review(self.reviewer, data)
        db.session.commit()
        return review


@pytest.fixture
def scene(app):
    world = Scene()
    return world.users(), world.objects()


def test_every_registered_action_has_a_row_in_the_matrix():
    assert {action for action, _, _ in MATRIX} == set(permissions.RULES)


def test_role_action_matrix(scene):
    users, objects = scene
    assert {lifecycle.effective_state(objects[state]) for state in S} == set(S)  # the world the rows name
    wrong = []
    for role in ROLES:
        user = users[role]
        for action, on, may in MATRIX:
            allowed = permissions.can(user, action, user if on == THEMSELVES else objects[on])
            if allowed != (role in may):
                wrong.append(f"{role} {'may' if allowed else 'may not'} {action} ({on})")
    assert not wrong, "\n".join(wrong)


def test_an_action_takes_one_rule_and_a_second_is_refused():
    with pytest.raises(ValueError, match="already has a rule"):
        permissions.rule("bid.view")(lambda user, obj=None: True)
    assert permissions.RULES["bid.view"].__module__ == "marketplace.bids.rules"


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(KeyError, match="unknown action"):
        permissions.can(factories.user(), "bid.veiw")
