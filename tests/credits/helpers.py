"""A shift with confirmed attendance, turned into credit records, in a line."""

from __future__ import annotations

from datetime import date, timedelta

from marketplace import clock
from marketplace.extensions import db
from marketplace.school.models import AcademicYear, Term
from marketplace.volunteers import operations as volunteering
from tests.volunteers.helpers import HostingWorld


def spring_term() -> Term:
    year = AcademicYear(name="2025-2026学年", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31))
    term = Term(year=year, name="第二学期", starts_on=date(2026, 2, 23), ends_on=date(2026, 7, 10))
    db.session.add_all([year, term])
    db.session.commit()
    return term


class CreditWorld(HostingWorld):
    """A hosting project whose shift of ``n`` volunteers has been attended and confirmed."""

    def __init__(self, volunteers: int = 2, credit_hours: str = "4"):
        super().__init__()
        self.term = spring_term()
        self.shift_ = self.shift(self.position(), capacity=volunteers, hours=4, credit_hours=credit_hours)
        self.volunteers = self.students(volunteers)
        for student in self.volunteers:
            self.sign_up(student, self.shift_)
        clock.set(self.shift_.starts_at)
        code = volunteering.checkin_code(self.shift_)
        for student in self.volunteers:
            volunteering.check_in_or_out(student, self.shift_, code)
        clock.set(self.shift_.ends_at - timedelta(seconds=30))
        code = volunteering.checkin_code(self.shift_)
        for student in self.volunteers:
            volunteering.check_in_or_out(student, self.shift_, code)
        db.session.commit()
        clock.set(self.shift_.ends_at + timedelta(minutes=5))
        volunteering.confirm_attendance(self.host, self.shift_)
        db.session.commit()
