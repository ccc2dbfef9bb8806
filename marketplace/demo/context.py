"""What the seeding steps share: the options, the calendar year, the acting admin, and every row
found or made so far, by its natural key."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from .. import clock
from ..accounts.models import User
from ..extensions import db
from ..orgs import operations as orgs
from ..orgs.models import College, MemberRole, Membership, Organization
from ..timeutil import SCHOOL_TZ

SEED = "jiebang-demo"
PASSWORD = "demo1234"
EMAIL_DOMAIN = "demo.edu.cn"


def autumn_term_start(year: int) -> date:
    """The first Monday of September: 第一学期 begins."""
    first = date(year, 9, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def academic_year_of(day: date) -> int:
    """The calendar year in which the academic year containing ``day`` began (2026 for 2026-2027)."""
    return day.year if day >= autumn_term_start(day.year) else day.year - 1


@dataclass
class Demo:
    """One run of ``seed-demo``. Steps read the options and fill the lookups; ``created`` counts
    what this run added, so a run over an existing demo can say it changed nothing."""

    school_name: str
    extra_students: int = 0
    clubs: int = 15
    classes_per_college: int = 4
    history: bool = True  # False: the school and its people only (seed.HISTORY left out)
    today: date = field(default_factory=clock.today_local)
    # How far the history steps have moved the clock back from where it stood when the run began.
    travelled: timedelta = timedelta(0)
    password_hash: str = ""
    admin: User | None = None
    colleges: dict[str, College] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    created: Counter = field(default_factory=Counter)

    @property
    def year(self) -> int:
        return academic_year_of(self.today)

    @property
    def year_starts_on(self) -> date:
        return autumn_term_start(self.year)

    def day(self, offset: int, hhmm: str) -> datetime:
        """``offset`` days from today (negative: ago) at ``hhmm`` Beijing time."""
        hour, minute = map(int, hhmm.split(":"))
        return datetime.combine(self.today + timedelta(days=offset), time(hour, minute), SCHOOL_TZ)

    def reaches_back(self, days: int) -> bool:
        """Whether a history starting ``days`` ago falls within this academic year, where the posts of
        the people who act in it (staff, managers) begin."""
        return self.today - timedelta(days=days) >= self.year_starts_on

    def travel(self, moment: datetime) -> None:
        """Move the clock to ``moment``. What happened so far is flushed first (rows take their default
        timestamps when flushed, so they must not wait for the next moment), and what was loaded is
        forgotten, as a new request would start afresh: operations may read relationships that the
        last moment's writes made stale."""
        db.session.flush()
        db.session.expire_all()
        delta = moment - clock.now()
        clock.shift(delta)
        self.travelled += delta

    def return_to_present(self) -> None:
        """Undo every ``travel`` by shifting back, not resetting: a clock frozen before the run (as in
        the tests) stays frozen where it was."""
        clock.shift(-self.travelled)
        self.travelled = timedelta(0)

    def rng(self, purpose: str) -> random.Random:
        """A generator of its own for each purpose, so one step's draws never shift another's."""
        return random.Random(f"{SEED}:{purpose}")

    def email(self, identifier: str) -> str:
        return f"{identifier.lower()}@{EMAIL_DOMAIN}"

    def ensure_membership(
        self,
        user: User,
        org: Organization,
        role: MemberRole,
        title: str,
        starts_on: date,
        ends_on: date | None = None,
    ) -> None:
        """Appoint through the operation (audited) unless the person already holds a post there."""
        held = db.session.scalar(
            select(Membership.id).where(Membership.user_id == user.id, Membership.org_id == org.id).limit(1)
        )
        if held is not None:
            return
        # The demo's posts date from the start of the year: nothing to announce to the holders.
        orgs.save_membership(
            self.admin,
            Membership(),
            user=user,
            org=org,
            role=role,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            notify_member=False,
        )
        self.created["memberships"] += 1
