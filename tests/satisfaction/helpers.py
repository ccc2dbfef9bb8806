"""A school with its unions and students of every scope, and a league reviewer who runs the year's
satisfaction surveys — in a line."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from marketplace import clock
from marketplace.accounts.models import AccountKind, AccountStatus, DegreeLevel
from marketplace.extensions import db
from marketplace.orgs.models import OrgKind
from marketplace.satisfaction import operations as satisfaction
from marketplace.school.models import AcademicYear
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import Survey, SurveyInvitation
from tests import factories

STARS = (4, 5, 3, 4, 5)


def answer_data(survey: Survey, stars=STARS, comment: str = "") -> dict:
    return {"stars": {d.id: s for d, s in zip(survey.dimensions, stars, strict=True)}, "comment": comment}


def answer_form(survey: Survey, stars=STARS, comment: str = "") -> dict:
    """The answer form as a browser sends it."""
    return {**{f"d{d.id}": str(s) for d, s in zip(survey.dimensions, stars, strict=True)}, "comment": comment}


class YearWorld:
    """Two colleges, each with its 院系学生会; the 校学生会 and the 研究生会; in each college
    ``per_cell`` undergraduates of grades 2023 and 2024, two master's students and a doctoral one;
    a graduated undergraduate; a league reviewer; and an academic year."""

    def __init__(self, per_cell: int = 2):
        self.reviewer = factories.user(kind=AccountKind.FACULTY, name="团委老师", roles=("league_reviewer",))
        self.colleges = [factories.college("计算机学院"), factories.college("外国语学院")]
        self.school_union = factories.org(OrgKind.SCHOOL_UNION, name="校学生会")
        self.graduate_union = factories.org(OrgKind.GRADUATE_UNION, name="研究生会")
        self.college_unions = [
            factories.org(OrgKind.COLLEGE_UNION, name=f"{c.name}学生会", college=c) for c in self.colleges
        ]
        self.undergraduates = {
            (c.id, grade): [factories.user(college=c, grade=grade) for _ in range(per_cell)]
            for c in self.colleges
            for grade in (2023, 2024)
        }
        self.graduates = [
            factories.user(college=c, grade=2024, degree_level=level)
            for c in self.colleges
            for level in (DegreeLevel.MASTER, DegreeLevel.MASTER, DegreeLevel.DOCTORAL)
        ]
        self.left = factories.user(college=self.colleges[0], status=AccountStatus.GRADUATED)
        self.year = self.academic_year("2025-2026学年", date(2025, 9, 1))

    @staticmethod
    def academic_year(name: str, starts_on: date) -> AcademicYear:
        year = AcademicYear(
            name=name, starts_on=starts_on, ends_on=starts_on.replace(year=starts_on.year + 1)
        )
        db.session.add(year)
        db.session.commit()
        return year

    def all_undergraduates(self) -> list:
        return [s for students in self.undergraduates.values() for s in students]

    def open(self, year: AcademicYear | None = None, days: int = 14) -> dict:
        """Prepare and open ``year``'s surveys; the surveys by union id."""
        year = year or self.year
        satisfaction.prepare_year(self.reviewer, year)
        closes_on = clock.today_local() + timedelta(days=days)
        satisfaction.open_year(self.reviewer, year, {"closes_on": closes_on})
        db.session.commit()
        return {s.union_id: s for s in satisfaction.surveys_of_year(year)}

    @staticmethod
    def invited(survey: Survey) -> set[int]:
        return set(
            db.session.scalars(
                select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)
            )
        )

    @staticmethod
    def answer_all(survey: Survey, students, stars=STARS, comment: str = "") -> None:
        for student in students:
            surveys.answer(student, survey, answer_data(survey, stars, comment))
            db.session.commit()

    @staticmethod
    def close(survey: Survey) -> None:
        clock.set(survey.closes_at + timedelta(seconds=1))
