"""第二课堂达标要求: what a cohort (year of entry, ``User.grade``) of a degree level must reach — a total
and per-category minimums, each in 学分 or 学时 — and how far a student is.

达标 means the total and every category's minimum are met by **verified** credits since entry (the
first of August of the year of entry, local time: the earliest a new student's activities start).
Confirmed records still waiting for verification are counted apart (``pending``) and never count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import audit, clock, permissions
from ..accounts.models import DegreeLevel
from ..errors import DomainError
from ..extensions import db
from ..timeutil import SCHOOL_TZ
from .models import (
    CreditCategory,
    CreditRecord,
    CreditRequirement,
    CreditRequirementItem,
    CreditStatus,
    RequirementUnit,
)

# The line of the total: printed as is (documents are in Chinese), shown on pages through Babel.
TOTAL = "合计"
# The field of a requirement form for a category's minimum and unit: keyed by the category's id.
MINIMUM_FIELD = "minimum_{}"
UNIT_FIELD = "unit_{}"


def entry_start(grade: int) -> datetime:
    """When a cohort's credits start counting: 1 August of the year of entry, school time."""
    return datetime.combine(date(grade, 8, 1), time(0), tzinfo=SCHOOL_TZ)


def requirement_for(user) -> CreditRequirement | None:
    """The requirement of the student's cohort and degree level, with its categories (None: no
    requirement, or no cohort recorded)."""
    if user.grade is None or user.degree_level is None:
        return None
    return db.session.scalar(
        select(CreditRequirement)
        .where(CreditRequirement.grade == user.grade, CreditRequirement.degree_level == user.degree_level)
        .options(selectinload(CreditRequirement.items).joinedload(CreditRequirementItem.category))
    )


@dataclass
class Line:
    """One line of progress: a category's minimum (``category`` None: the total)."""

    label: str
    unit: RequirementUnit
    required: Decimal
    achieved: Decimal
    pending: Decimal
    category_id: int | None = None

    @property
    def met(self) -> bool:
        return self.achieved >= self.required


@dataclass
class Progress:
    requirement: CreditRequirement
    lines: list[Line] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return all(line.met for line in self.lines)

    def snapshot(self) -> dict:
        """What a document prints of it, kept with the issue."""
        return {
            "grade": self.requirement.grade,
            "degree_level": self.requirement.degree_level.value,
            "met": self.met,
            "lines": [
                {
                    "label": line.label,
                    "unit": line.unit.value,
                    "required": str(line.required),
                    "achieved": str(line.achieved),
                    "met": line.met,
                }
                for line in self.lines
            ],
        }


# (category id, status) -> (hours, credits) of a student's records since entry
Sums = dict[tuple[int, CreditStatus], tuple[Decimal, Decimal]]
COUNTED = (CreditStatus.VERIFIED, CreditStatus.CONFIRMED)


def _sums(records: list[CreditRecord], since: datetime) -> Sums:
    sums: Sums = {}
    for r in records:
        if r.occurred_at >= since and r.status in COUNTED:
            hours, credits = sums.get((r.category_id, r.status), (Decimal(0), Decimal(0)))
            sums[(r.category_id, r.status)] = (hours + r.hours, credits + r.credits)
    return sums


def sums_of(user_ids, since: datetime) -> dict[int, Sums]:
    """The same sums for many students at once, in one aggregate (``user_ids``: a list or a select)."""
    found: dict[int, Sums] = defaultdict(dict)
    rows = db.session.execute(
        select(
            CreditRecord.user_id,
            CreditRecord.category_id,
            CreditRecord.status,
            func.sum(CreditRecord.hours),
            func.sum(CreditRecord.credits),
        )
        .where(
            CreditRecord.user_id.in_(user_ids),
            CreditRecord.status.in_(COUNTED),
            CreditRecord.occurred_at >= since,
        )
        .group_by(CreditRecord.user_id, CreditRecord.category_id, CreditRecord.status)
    )
    for user_id, category_id, status, hours, credits in rows:
        found[user_id][(category_id, CreditStatus(status))] = (Decimal(hours), Decimal(credits))
    return found


def progress_from(requirement: CreditRequirement, sums: Sums) -> Progress:
    """The lines of ``requirement`` against a student's ``sums``: verified amounts count, confirmed
    ones are shown apart as pending, rejected ones are not in the sums at all."""

    def amount(unit: RequirementUnit, status: CreditStatus, category_id: int | None) -> Decimal:
        index = 1 if unit == RequirementUnit.CREDITS else 0
        return sum(
            (pair[index] for (cid, st), pair in sums.items() if st == status and category_id in (None, cid)),
            Decimal(0),
        )

    def line(label, unit, required, category_id=None) -> Line:
        return Line(
            label=label,
            unit=unit,
            required=required,
            achieved=amount(unit, CreditStatus.VERIFIED, category_id),
            pending=amount(unit, CreditStatus.CONFIRMED, category_id),
            category_id=category_id,
        )

    lines = [line(TOTAL, requirement.total_unit, requirement.total)]
    for item in sorted(requirement.items, key=lambda i: (i.category.position, i.category.name)):
        lines.append(line(item.category.name, item.unit, item.minimum, item.category_id))
    return Progress(requirement, lines)


def progress(user, records: list[CreditRecord], requirement: CreditRequirement | None) -> Progress | None:
    """How far ``records`` (the student's, any status, already loaded) go towards ``requirement``."""
    if requirement is None:
        return None
    return progress_from(requirement, _sums(records, entry_start(requirement.grade)))


def progress_of(user) -> Progress | None:
    """The student's progress without loading their records (the home page): one aggregate."""
    requirement = requirement_for(user)
    if requirement is None:
        return None
    return progress_from(requirement, sums_of([user.id], entry_start(requirement.grade))[user.id])


# -- the admin's pages ------------------------------------------------------------------------------


def requirements() -> list[CreditRequirement]:
    """Every cohort's requirement, newest cohort first, with its categories."""
    return db.session.scalars(
        select(CreditRequirement)
        .options(selectinload(CreditRequirement.items).joinedload(CreditRequirementItem.category))
        .order_by(CreditRequirement.grade.desc(), CreditRequirement.degree_level)
    ).all()


def active_categories() -> list[CreditCategory]:
    return db.session.scalars(
        select(CreditCategory)
        .where(CreditCategory.is_active.is_(True))
        .order_by(CreditCategory.position, CreditCategory.name)
    ).all()


def form_values(requirement: CreditRequirement) -> dict:
    """A requirement as its form's data: a minimum and unit per category."""
    values = {
        "grade": requirement.grade,
        "degree_level": requirement.degree_level.value if requirement.degree_level else None,
        "total": requirement.total,
        "total_unit": requirement.total_unit.value if requirement.total_unit else "credits",
    }
    for item in requirement.items:
        values[MINIMUM_FIELD.format(item.category_id)] = item.minimum
        values[UNIT_FIELD.format(item.category_id)] = item.unit.value
    return values


def save_requirement(actor, requirement: CreditRequirement, data: dict) -> CreditRequirement:
    """Set a cohort's requirement from ``data``: ``grade``, ``degree_level``, ``total``, ``total_unit``
    and, per category id, ``minimum_<id>`` (empty or 0: no minimum) and ``unit_<id>``."""
    permissions.require(actor, "credit_requirements.edit")
    grade, level = data["grade"], DegreeLevel(data["degree_level"])
    same_cohort = select(CreditRequirement.id).where(
        CreditRequirement.grade == grade, CreditRequirement.degree_level == level
    )
    if requirement.id:
        same_cohort = same_cohort.where(CreditRequirement.id != requirement.id)
    clash = db.session.scalar(same_cohort)
    if clash is not None:
        raise DomainError(
            _("%(grade)s 级%(level)s已经有达标要求了，请直接修改那一条。", grade=grade, level=level.label),
            field="grade",
        )
    before = form_values(requirement) if requirement.id else None
    requirement.grade, requirement.degree_level = grade, level
    requirement.total, requirement.total_unit = data["total"], RequirementUnit(data["total_unit"])
    requirement.updated_at = clock.now()
    existing = {item.category_id: item for item in requirement.items}
    for category in active_categories():
        minimum = data.get(MINIMUM_FIELD.format(category.id))
        unit = RequirementUnit(data.get(UNIT_FIELD.format(category.id)) or "credits")
        item = existing.get(category.id)
        if not minimum:
            if item is not None:
                requirement.items.remove(item)
            continue
        if item is None:
            requirement.items.append(
                CreditRequirementItem(category_id=category.id, minimum=minimum, unit=unit)
            )
        else:
            item.minimum, item.unit = minimum, unit
    try:
        # Two admins saving the same cohort at once: the unique constraint lets one through.
        with db.session.begin_nested():
            db.session.add(requirement)
            db.session.flush()
    except IntegrityError:
        raise DomainError(
            _("这个年级和学历层次刚刚已有人设定了达标要求，请刷新后修改那一条。"), field="grade"
        ) from None
    after = {key: str(value) for key, value in form_values(requirement).items()}
    audit.record(
        actor,
        "credit_requirement.save",
        requirement,
        before={key: str(value) for key, value in before.items()} if before else None,
        after=after,
    )
    return requirement
