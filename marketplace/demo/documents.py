"""The second-classroom requirement (达标要求) of the demo's 2024 undergraduates, so the transcript
shows a verdict: 4 学时 in all, 3 of them in 志愿公益. Every demo student has 3 verified 学时 from the
history, so 周梓萱 (``2024000100``) is 未达标 by one 学时; ``2024050007``, whose career-fair booth record
the league reviewer verifies here, is 达标."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import DegreeLevel
from ..credits import records, requirements
from ..credits.models import CreditCategory, CreditRecord, CreditRequirement, CreditStatus
from ..extensions import db
from . import cycle
from .context import Demo

COHORT = 2024
ACHIEVER = "2024050007"


def second_classroom_requirement(demo: Demo) -> None:
    exists = db.session.scalar(
        select(CreditRequirement.id).where(
            CreditRequirement.grade == COHORT, CreditRequirement.degree_level == DegreeLevel.UNDERGRADUATE
        )
    )
    if exists is not None:
        return
    volunteering = db.session.scalar(select(CreditCategory.id).where(CreditCategory.code == "volunteer"))
    requirements.save_requirement(
        demo.admin,
        CreditRequirement(),
        {
            "grade": COHORT,
            "degree_level": DegreeLevel.UNDERGRADUATE.value,
            "total": 4,
            "total_unit": "hours",
            requirements.MINIMUM_FIELD.format(volunteering): 3,
            requirements.UNIT_FIELD.format(volunteering): "hours",
        },
    )
    demo.created["credit requirements"] += 1
    achiever = cycle.account(ACHIEVER)
    if achiever is None:  # a school without the history's volunteers
        return
    waiting = db.session.scalars(
        select(CreditRecord).where(
            CreditRecord.user_id == achiever.id, CreditRecord.status == CreditStatus.CONFIRMED
        )
    ).all()
    records.verify(cycle.account(cycle.LEAGUE_REVIEWER), waiting)
