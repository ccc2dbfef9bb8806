"""A school with both school-level unions and their staff, undergraduate and graduate students in two
colleges, a graduated and a deactivated account, a teacher and a league reviewer; ``post`` and
``support`` go through the operations."""

from __future__ import annotations

from datetime import datetime

from marketplace import clock
from marketplace.accounts.models import AccountKind, AccountStatus, DegreeLevel
from marketplace.extensions import db
from marketplace.needs import operations
from marketplace.needs.models import Need
from marketplace.orgs.models import OrgKind
from marketplace.projects import operations as projects
from tests import factories
from tests.projects.helpers import project_data

POSTED = datetime(2026, 3, 2, 2, 0)  # 10:00 in Beijing, a Monday


def need_form(**overrides) -> dict:
    data = {
        "title": "图书馆自习座位太少",
        "category": "学业",
        "college": "",
        "description": "期末周每天早上七点就没有座位了，希望**延长开放时间**或增加自习室。",
    }
    data.update(overrides)
    return data


class NeedWorld:
    def __init__(self):
        clock.set(POSTED)
        self.college_a, self.college_b = factories.college(), factories.college()
        self.school_union = factories.org(OrgKind.SCHOOL_UNION, name="校学生会")
        self.graduate_union = factories.org(OrgKind.GRADUATE_UNION, name="研究生会")
        self.staff = factories.staff_member(self.school_union, name="王干事")
        self.graduate_staff = factories.staff_member(
            self.graduate_union, name="陈干事", degree_level=DegreeLevel.MASTER
        )
        self.author = factories.user(name="刘同学", college=self.college_a)
        self.students = [factories.user(name=f"同学{i}", college=self.college_b) for i in range(3)]
        self.master = factories.user(name="周研究生", degree_level=DegreeLevel.MASTER)
        self.graduated = factories.user(name="毕业生", status=AccountStatus.GRADUATED)
        self.deactivated = factories.user(name="停用者", status=AccountStatus.DEACTIVATED)
        self.teacher = factories.user(name="孙老师", kind=AccountKind.FACULTY)
        self.reviewer = factories.user(name="赵老师", kind=AccountKind.FACULTY, roles=("league_reviewer",))

    def post(self, author=None, **overrides) -> Need:
        data = need_form(**overrides)
        data["college"] = data["college"] or None
        need = operations.post_need(author or self.author, data)
        db.session.commit()
        return need

    def support(self, need: Need, *people) -> Need:
        for person in people:
            operations.support(person, need)
        db.session.commit()
        return need

    def project(self, union=None, staff=None, **overrides):
        project = projects.create_draft(
            staff or self.staff, {**project_data(**overrides), "union_id": (union or self.school_union).id}
        )
        db.session.commit()
        return project
