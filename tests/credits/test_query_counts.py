"""The credit lists cost the same number of queries with many rows as with few (no N+1)."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.credits import records as credit_records
from marketplace.credits.models import CreditAppeal
from marketplace.extensions import db
from marketplace.volunteers.models import Signup, SignupStatus
from tests import factories
from tests.bids.helpers import signed_in


def decided_appeals(world, n: int) -> None:
    """``n`` appeals from students of the world's shift, each ruled on by a staff member of their own."""
    for i in range(n):
        student = factories.user()
        db.session.add(Signup(shift_id=world.shift_.id, user_id=student.id, status=SignupStatus.ACCEPTED))
        appeal = CreditAppeal(user_id=student.id, shift_id=world.shift_.id, reason=f"第 {i} 条申诉")
        db.session.add(appeal)
        db.session.commit()
        credit_records.resolve_appeal(
            factories.staff_member(world.union),
            appeal,
            {"accept": i % 2 == 0, "ruling": "已核实", "hours": 1},
        )
        db.session.commit()


def test_the_appeals_page_queries_do_not_grow_with_the_decided_appeals(app, world, count_queries):
    reviewer = signed_in(app, world.reviewer)
    decided_appeals(world, 2)
    reviewer.get("/credits/appeals?status=all")  # the welcome message after signing in; not counted
    few = count_queries(lambda: reviewer.get("/credits/appeals?status=all"))
    decided_appeals(world, 8)
    many = count_queries(lambda: reviewer.get("/credits/appeals?status=all"))

    assert few == many
    assert db.session.scalar(select(CreditAppeal.id).where(CreditAppeal.ruled_by_id.is_(None))) is None
