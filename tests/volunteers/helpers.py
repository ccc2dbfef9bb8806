"""A project in hosting with a position and a shift, in a line."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from marketplace import clock
from marketplace.extensions import db
from marketplace.projects.models import ProjectState
from marketplace.volunteers import positions, signups
from marketplace.volunteers.models import Admission, Position, Shift
from tests import factories
from tests.projects.helpers import World


class HostingWorld(World):
    """World whose project is hosted by club A (its manager is the host); with ``bids``, both clubs bid
    on it first."""

    def __init__(self, *, bids: bool = False):
        super().__init__()
        self.project = self.open_project()
        if bids:
            self.bid(self.project)
            self.bid(self.project, self.manager_b, self.club_b)
        # Straight to hosting: the review and award steps are tested in tests/review.
        self.project.state = ProjectState.HOSTING
        self.project.tiebreak_seed = "0" * 64
        self.project.host_org_id = self.club_a.id
        db.session.commit()
        self.host = self.manager_a

    def position(self, admission=Admission.FIRST_COME, **fields) -> Position:
        data = {"title": "答疑志愿者", "description": "", "admission": admission, **fields}
        position = positions.save_position(self.host, self.project, Position(), data)
        db.session.commit()
        return position

    def shift(self, position, *, capacity=2, starts_in=timedelta(days=3), hours=2, credit_hours="2") -> Shift:
        starts = clock.now() + starts_in
        shift = positions.save_shift(
            self.host,
            position,
            Shift(),
            {
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=hours),
                "place": "图书馆 301",
                "capacity": capacity,
                "credit_hours": Decimal(credit_hours),
            },
        )
        db.session.commit()
        return shift

    def students(self, n, **fields):
        return [factories.user(**fields) for _ in range(n)]

    def sign_up(self, student, shift):
        signup = signups.sign_up(student, shift)
        db.session.commit()
        return signup
