"""A project whose volunteers and participants took part, entering 评价中 with its survey, in a line."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace import clock
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.hosting import participants
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import Survey, SurveyInvitation
from tests.credits.helpers import CreditWorld

REPORT = {
    "outcomes": "举办 12 次答疑。",
    "participants": 40,
    "spending_summary": "支出 800 元。",
    "photos": [],
}
DEFAULT_LABELS = ["总体满意度", "内容对我有用", "组织有序", "愿意推荐给同学"]


class SurveyWorld(CreditWorld):
    """A hosted project with ``volunteers`` whose attendance the host confirmed, and ``participants``
    who checked in on an event day (the first of them volunteered too). ``evaluate()`` submits the
    completion report: the project enters 评价中 and its survey opens."""

    def __init__(self, volunteers: int = 2, participants: int = 2):
        super().__init__(volunteers=volunteers)
        self.survey = surveys.prepare_for_project(self.project)
        db.session.commit()
        self.day = self.open_day()
        self.participants = [self.volunteers[0], *self.students(participants)]
        for student in self.participants:
            self.check_in(student)

    def open_day(self):
        day = participants.open_today(self.host, self.project)
        db.session.commit()
        return day

    def check_in(self, student, day=None):
        day = day or self.day
        participants.check_in(student, day, {"code": participants.checkin_code(day)})
        db.session.commit()

    def evaluate(self) -> Survey:
        hosting.submit_completion(self.host, self.project, REPORT)
        db.session.commit()
        db.session.refresh(self.survey)
        return self.survey

    def invited(self) -> set[int]:
        return set(
            db.session.scalars(
                select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == self.survey.id)
            )
        )

    def answer_all(self, students, stars=(4, 5, 3, 5), comment=""):
        """Each of ``students`` answers, every dimension with ``stars`` in turn."""
        for student in students:
            surveys.answer(student, self.survey, answer_data(self.survey, stars, comment))
            db.session.commit()

    def close(self):
        """The evaluation window has ended."""
        clock.set(self.survey.closes_at + timedelta(seconds=1))


def answer_data(survey: Survey, stars=(4, 5, 3, 5), comment: str = "") -> dict:
    return {"stars": {d.id: s for d, s in zip(survey.dimensions, stars, strict=True)}, "comment": comment}


def answer_form(survey: Survey, stars=(4, 5, 3, 5), comment: str = "") -> dict:
    """The answer form as a browser sends it."""
    return {**{f"d{d.id}": str(s) for d, s in zip(survey.dimensions, stars, strict=True)}, "comment": comment}


def invite(survey: Survey, student) -> None:
    """One more student invited to an open survey, as if they had been among those invited at its
    opening (the invitations and the survey's count of them)."""
    db.session.add(SurveyInvitation(survey_id=survey.id, user_id=student.id))
    survey.invited += 1
