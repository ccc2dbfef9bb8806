"""A school with two unions (the 校学生会 with staff, a college's 学生会), students, a teacher and a
league reviewer; ``charter()`` and ``announcement()`` draft through the operations and take them as far
as asked."""

from __future__ import annotations

from marketplace.accounts.models import AccountKind
from marketplace.disclosure import operations, suggestions
from marketplace.disclosure.models import AnnouncementKind
from marketplace.extensions import db
from marketplace.orgs.models import OrgKind
from tests import factories

CHARTER = "# 校学生会章程\n\n## 第一章 总则\n第一条 本会是全校学生的群众组织。"


class DisclosureWorld:
    def __init__(self):
        self.college = factories.college()
        self.union = factories.org(OrgKind.SCHOOL_UNION)
        self.college_union = factories.org(OrgKind.COLLEGE_UNION, college=self.college)
        self.club = factories.org(OrgKind.CLUB)
        self.chair = factories.manager_of(self.union, phone="13800138000")
        self.staff = factories.staff_member(self.union, phone="13900139000")
        self.college_staff = factories.staff_member(self.college_union)
        self.student = factories.user(college=self.college)
        self.other_student = factories.user()
        self.teacher = factories.user(kind=AccountKind.FACULTY)
        self.reviewer = factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",))

    def charter(self, body: str = CHARTER, *, to: str = "draft", note: str = "", union=None):
        """A charter version of ``union`` (the 校学生会), taken to ``to``: draft, pending, published,
        returned."""
        version = operations.draft_charter(self.staff, union or self.union, {"body": body, "note": note})
        self._take(version, to)
        return version

    def announcement(
        self, title: str = "期末答疑周安排", *, to: str = "draft", kind=AnnouncementKind.ARRANGEMENT
    ):
        data = {"kind": kind, "title": title, "body": "第 18 周每晚在图书馆答疑。"}
        announcement = operations.draft_announcement(self.staff, self.union, data)
        self._take(announcement, to)
        return announcement

    def _take(self, doc, to: str) -> None:
        if to != "draft":
            operations.submit(self.staff, doc)
        if to == "published":
            operations.approve(self.reviewer, doc)
        elif to == "returned":
            operations.return_(self.reviewer, doc, {"reason": "请补充修订依据"})
        db.session.commit()

    def suggestion(self, *, author=None, wants_public: bool = True, answered: bool = False, **fields):
        data = {"union": self.union.id, "title": "图书馆延长开放", "body": "考试周希望开到 23 点。"}
        data |= {"wants_public": wants_public, **fields}
        suggestion = suggestions.write(author or self.student, data)
        if answered:
            suggestions.answer(self.staff, suggestion, {"answer": "已与图书馆沟通，考试周开放到 23 点。"})
        db.session.commit()
        return suggestion
