"""A school with a union of each kind, their staff, students of every degree level in two colleges and
a league reviewer; ``open()`` opens a term's review of a union through the operation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from marketplace import clock
from marketplace.accounts.models import AccountKind, AccountStatus, DegreeLevel
from marketplace.extensions import db
from marketplace.orgs.models import MemberRole, OrgKind
from marketplace.school.models import AcademicYear, Term
from marketplace.staff_review import operations, queries, tasks
from marketplace.staff_review.models import StaffReview
from tests import factories

OPENED = datetime(2026, 3, 2, 2, 0)  # 10:00 in Beijing, a Monday of the spring term
WEEK = timedelta(days=7)


def stars(survey, value: int = 4) -> dict:
    return {"stars": {d.id: value for d in survey.dimensions}, "comment": ""}


def rating_form(survey, value: int = 4) -> dict:
    return {f"d{d.id}": str(value) for d in survey.dimensions}


class StaffWorld:
    def __init__(self, staff: int = 3):
        clock.set(OPENED)
        year = AcademicYear(name="2025-2026学年", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31))
        self.term = Term(year=year, name="第二学期", starts_on=date(2026, 2, 23), ends_on=date(2026, 7, 10))
        db.session.add(year)
        db.session.commit()
        self.college_a, self.college_b = factories.college(), factories.college()
        self.school_union = factories.org(OrgKind.SCHOOL_UNION)
        self.graduate_union = factories.org(OrgKind.GRADUATE_UNION)
        self.college_union = factories.org(OrgKind.COLLEGE_UNION, college=self.college_a)
        self.staff = [factories.manager_of(self.school_union, college=self.college_a)]
        self.staff += [factories.staff_member(self.school_union) for _ in range(staff - 1)]
        # One who left before the term's review opened, one who joins after: neither is reviewed.
        self.former = factories.user()
        factories.membership(self.former, self.school_union, ends_on=date(2026, 1, 31))
        self.future = factories.user()
        factories.membership(self.future, self.school_union, starts_on=date(2026, 4, 1))
        self.undergraduate_a = factories.user(college=self.college_a)
        self.undergraduate_b = factories.user(college=self.college_b)
        self.master_a = factories.user(college=self.college_a, degree_level=DegreeLevel.MASTER)
        self.doctoral_b = factories.user(college=self.college_b, degree_level=DegreeLevel.DOCTORAL)
        self.graduated = factories.user(college=self.college_a, status=AccountStatus.GRADUATED)
        self.deactivated = factories.user(college=self.college_a, status=AccountStatus.DEACTIVATED)
        self.teacher = factories.user(kind=AccountKind.FACULTY)
        self.reviewer = factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",))

    def students(self, n: int, **fields) -> list:
        return [factories.user(**fields) for _ in range(n)]

    def add_staff(self, union, n: int) -> list:
        added = [factories.user() for _ in range(n)]
        for member in added:
            factories.membership(member, union, MemberRole.MEMBER, title="干事")
        self.staff += added if union is self.school_union else []
        return added

    def open(self, union=None, closes_in: timedelta = WEEK) -> StaffReview:
        review = operations.open_review(
            self.reviewer,
            {
                "union": (union or self.school_union).id,
                "term": self.term.id,
                "closes_at": clock.now() + closes_in,
            },
        )
        db.session.commit()
        tasks.tell_raters(review.id)  # as the page does, after the commit
        return review

    def reviewee(self, review: StaffReview, user):
        return next(r for r in review.reviewees if r.user_id == user.id)

    def rate(self, review: StaffReview, rater, staff_user, value: int = 4) -> None:
        reviewee = self.reviewee(review, staff_user)
        operations.rate(rater, reviewee, stars(queries.survey_of(reviewee), value))
        db.session.commit()

    def close(self, review: StaffReview) -> None:
        clock.set(review.closes_at + timedelta(minutes=1))
