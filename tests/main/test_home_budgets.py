"""The home page's budget: at most 12 statements for a user of one role, at most 4 + 3 per section
shown for any mix of roles, and at most 100 loaded objects — the same with N and 3N rows of
everything its sections read."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from marketplace import clock
from marketplace.disclosure import operations as disclosure_ops
from marketplace.disclosure import suggestions
from marketplace.disclosure.models import AnnouncementKind
from marketplace.extensions import db
from marketplace.needs import operations as need_ops
from marketplace.orgs.models import MemberRole
from marketplace.projects import operations as project_ops
from marketplace.roster.models import ImportJob, ImportStatus
from marketplace.volunteers.models import Admission
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import add_records, spring_term
from tests.needs.helpers import need_form
from tests.review.helpers import seat
from tests.volunteers.helpers import HostingWorld

STATEMENTS = 12
OBJECTS = 100
N = 2


class Everything(HostingWorld):
    """A hosting project, and a user who holds every role: a student who manages the host club, works
    for the union, evaluates, reviews for the league and administers."""

    def __init__(self):
        super().__init__()
        self.term = spring_term()
        self.everyone = factories.user(roles=("evaluator", "league_reviewer", "admin"))
        factories.membership(self.everyone, self.club_a, MemberRole.MANAGER)
        factories.membership(self.everyone, self.union)
        self.made = 0
        self.student = factories.user()
        self.shift_ = self.shift(self.position(), starts_in=timedelta(days=3))  # where records occurred
        # A panel to score (past a deadline of its own), and a roster import that failed.
        reviewed = self.open_project(title="待评标项目", days=1)
        self.bid(reviewed, self.manager_b, self.club_b)
        clock.set(reviewed.bid_deadline + timedelta(minutes=1))
        self.evaluator = factories.user(kind="faculty", roles=("evaluator",))
        self.admin = factories.user(kind="faculty", roles=("admin",))
        seat(self.staff, reviewed, [self.everyone, self.evaluator])
        db.session.add(ImportJob(filename="名册.xlsx", stored_path="imports/x", status=ImportStatus.FAILED))
        db.session.commit()

    def grow(self, n: int) -> None:
        """``n`` more of every row kind the sections read, for this user and for others."""
        for _ in range(n):
            self.made += 1
            starts = timedelta(days=2, hours=3 * self.made)
            approval = self.shift(self.position(Admission.APPROVAL), capacity=3, starts_in=starts)
            for student in self.students(2):
                self.sign_up(student, approval)
            self.sign_up(
                self.student,
                self.shift(self.position(Admission.APPROVAL), starts_in=starts + timedelta(hours=1)),
            )
            self.shift(self.position(), capacity=2, starts_in=starts + timedelta(minutes=30))
            self.draft(title=f"草稿{self.made}")
            self.open_project(title=f"重大项目{self.made}", flagged_major=True)
            project = self.open_project(title=f"第{self.made}期")
            project_ops.ask_question(self.manager_b, project, {"body": "可以跨学院组队吗？"})
            db.session.commit()
            self._grow_needs_and_disclosure()
        add_records(self, 2 * n)
        add_records(self, n, user=self.everyone)
        add_records(self, n, user=self.student)

    def _grow_needs_and_disclosure(self) -> None:
        """A need the user supports answered, one overdue, one hidden and appealed; a suggestion to
        answer; a charter version and an announcement to approve."""
        author = factories.user()
        answered = need_ops.post_need(author, need_form(title=f"需求{self.made}"))
        for person in (self.everyone, self.student):
            need_ops.support(person, answered)
        need_ops.decline(self.staff, answered, {"reason": "暂不采纳"})
        need_ops.post_need(author, need_form()).answer_due_at = clock.now() - timedelta(hours=1)
        hidden = need_ops.post_need(author, need_form())
        need_ops.hide(self.staff, hidden, {"reason": "重复"})
        need_ops.appeal(author, hidden, {"body": "不重复"})
        suggestions.write(self.student, {"union": self.union.id, "title": "建议", "body": "开夜宵窗口"})
        disclosure_ops.submit(
            self.staff, disclosure_ops.draft_charter(self.staff, self.union, {"body": "章程"})
        )
        announcement = {"kind": AnnouncementKind.REFORM, "title": f"公告{self.made}", "body": "改革"}
        disclosure_ops.submit(
            self.staff, disclosure_ops.draft_announcement(self.staff, self.union, announcement)
        )
        db.session.commit()


def _count(app, user, count_queries, count_loaded):
    client = signed_in(app, user)

    def get():
        response = client.get("/")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    html = []
    statements = count_queries(lambda: html.append(get()))
    objects = count_loaded(get)
    return statements, objects, len(set(re.findall(r'data-section="([a-z_]+)"', html[0])))


WHO = {
    "every role": lambda world: world.everyone,
    "student": lambda world: world.student,
    "host": lambda world: world.host,
    "staff": lambda world: world.staff,
    "league reviewer": lambda world: world.reviewer,
    "evaluator": lambda world: world.evaluator,
    "admin": lambda world: world.admin,
}


@pytest.mark.parametrize("who", list(WHO))
def test_the_home_page_stays_within_its_budget_however_many_rows(app, who, count_queries, count_loaded):
    world = Everything()
    user = WHO[who](world)
    world.grow(N)
    few = _count(app, user, count_queries, count_loaded)
    world.grow(2 * N)
    many = _count(app, user, count_queries, count_loaded)
    statements, objects, shown = many
    assert many == few
    assert shown >= 1
    assert statements <= (STATEMENTS if shown == 1 else 4 + 3 * shown)
    assert objects <= OBJECTS
    if who == "every role":
        assert shown == 7
