"""Making projects and bids in one line, through the real operations."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from marketplace import clock, models  # noqa: F401 — every table mapped before forms build queries
from marketplace.bids import operations as bid_ops
from marketplace.extensions import db
from marketplace.orgs.models import OrgKind
from marketplace.projects import operations as project_ops
from marketplace.projects.forms import ProjectForm
from marketplace.projects.models import Project
from marketplace.timeutil import SCHOOL_TZ
from tests import factories


def project_data(*, days: int = 10, **overrides) -> dict:
    """A project's fields as the operations take them; bidding closes in ``days`` days."""
    deadline = clock.now() + timedelta(days=days)
    data = {
        "title": "新生适应期学业互助计划",
        "category": "academic",
        "description": "很多新生反映高数和程序设计跟不上，需要同伴辅导。",
        "expected_outcomes": "每周两次答疑，覆盖 200 名新生。",
        "budget_cap": Decimal("5000.00"),
        "allow_college_union": True,
        "allow_club": True,
        "allow_class": False,
        "bid_deadline": deadline,
        "hosting_starts_on": deadline.date() + timedelta(days=7),
        "hosting_ends_on": deadline.date() + timedelta(days=60),
        "credit_category_id": None,
        "flagged_major": False,
        "criteria": project_ops.default_criteria(),
    }
    data.update(overrides)
    return data


def bid_data(**overrides) -> dict:
    data = {
        "summary": "由学业互助社承办，20 名志愿者辅导。",
        "plan": "## 方案\n每周二、四晚上在图书馆答疑。",
        "requested_budget": Decimal("4000"),
        "timeline": "第 1 周招募，第 2-10 周辅导",
        "team": [],
        "expected_volunteers": 20,
    }
    data.update(overrides)
    return data


class World:
    """A school union with a staff member, and two clubs with a manager each."""

    def __init__(self):
        self.union = factories.org(OrgKind.SCHOOL_UNION, name="校学生会")
        self.staff = factories.staff_member(self.union, name="王干事")
        self.club_a = factories.org(OrgKind.CLUB, name="学业互助社")
        self.club_b = factories.org(OrgKind.CLUB, name="青年志愿者协会")
        self.manager_a = factories.manager_of(self.club_a, name="张社长")
        self.manager_b = factories.manager_of(self.club_b, name="李社长")
        self.reviewer = factories.user(name="赵老师", kind="faculty", roles=("league_reviewer",))

    def draft(self, **overrides):
        project = project_ops.create_draft(
            self.staff, {**project_data(**overrides), "union_id": self.union.id}
        )
        db.session.commit()
        return project

    def open_project(self, **overrides):
        project = project_ops.create_draft(
            self.staff, {**project_data(**overrides), "union_id": self.union.id}
        )
        project_ops.publish(self.staff, project)
        db.session.commit()
        return project

    def pending_project(self, **overrides):
        """A major project waiting for the league reviewer."""
        return self.open_project(budget_cap=Decimal("50000"), **overrides)

    def union_projects(self):
        return db.session.scalars(db.select(Project).where(Project.union_id == self.union.id)).all()

    def bid(self, project, manager=None, org=None, **overrides):
        bid = bid_ops.submit_bid(
            manager or self.manager_a, project, org or self.club_a, bid_data(**overrides)
        )
        db.session.commit()
        return bid


def today():
    return date.today()


def _criteria_fields(criteria: list[dict]) -> dict:
    fields = {}
    for n, c in enumerate(criteria):
        fields[f"criteria-{n}-name"] = c["name"]
        fields[f"criteria-{n}-description"] = c.get("description", "")
        fields[f"criteria-{n}-weight"] = str(c["weight"])
    return fields


def project_form(union, *, days: int = 10, criteria: list[dict] | None = None, **overrides) -> dict:
    """What the posting form sends: the deadline typed in Beijing time."""
    deadline = (clock.now() + timedelta(days=days)).astimezone(SCHOOL_TZ)
    data = {
        "union_id": str(union.id),
        "title": "宿舍楼心理健康讲座",
        "category": "wellbeing",
        "description": "期末周前，同学们希望有减压和情绪调节的讲座。",
        "expected_outcomes": "举办 3 场讲座，覆盖 300 人次。",
        "budget_cap": "3000",
        "eligible_kinds": ["college_union", "club"],
        "bid_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "hosting_starts_on": (deadline.date() + timedelta(days=7)).isoformat(),
        "hosting_ends_on": (deadline.date() + timedelta(days=30)).isoformat(),
        "credit_category_id": "",
        **_criteria_fields(criteria or project_ops.default_criteria()),
    }
    data.update(overrides)
    return data


def edit_form(project, **overrides) -> dict:
    """What the edit form sends when the user changes nothing but ``overrides``."""
    values = ProjectForm.of(project)
    data = {
        "title": values["title"],
        "category": values["category"],
        "description": values["description"],
        "expected_outcomes": values["expected_outcomes"],
        "budget_cap": str(values["budget_cap"]),
        "eligible_kinds": values["eligible_kinds"],
        "bid_deadline": values["bid_deadline"].strftime("%Y-%m-%dT%H:%M"),
        "hosting_starts_on": values["hosting_starts_on"].isoformat(),
        "hosting_ends_on": values["hosting_ends_on"].isoformat(),
        "credit_category_id": str(values["credit_category_id"] or ""),
        "version": str(values["version"]),
        **_criteria_fields(values["criteria"]),
    }
    if values["flagged_major"]:
        data["flagged_major"] = "y"
    data.update(overrides)
    return data
