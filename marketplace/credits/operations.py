"""Credit categories and the 学时→学分 rule."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit, permissions
from ..errors import DomainError
from ..extensions import db
from .models import DEFAULT_CATEGORIES, DEFAULT_HOURS_PER_CREDIT, CreditCategory

CATEGORY_FIELDS = ["code", "name", "hours_per_credit", "position", "is_active"]


def ensure_default_categories() -> int:
    """Create the Youth League's default modules where none exist yet. Returns how many were made."""
    if db.session.scalar(select(func.count()).select_from(CreditCategory)):
        return 0
    for position, (name, code) in enumerate(DEFAULT_CATEGORIES):
        db.session.add(
            CreditCategory(code=code, name=name, hours_per_credit=DEFAULT_HOURS_PER_CREDIT, position=position)
        )
    return len(DEFAULT_CATEGORIES)


def credits_for(hours: Decimal, category: CreditCategory) -> Decimal:
    """学分 = 学时 ÷ 每学分学时, kept to two decimals (rounded half up)."""
    return (Decimal(hours) / category.hours_per_credit).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def save_category(actor, category: CreditCategory, data: dict) -> CreditCategory:
    """Create or edit a transcript category: ``name``, ``code``, ``hours_per_credit``, ``position``
    (its place in lists), ``is_active``."""
    permissions.require(actor, "credit_categories.edit")
    name, code, hours_per_credit = data["name"], data["code"], data["hours_per_credit"]
    position, is_active = data.get("position") or 0, data["is_active"]
    if hours_per_credit is None or hours_per_credit <= 0:
        raise DomainError(_("每学分学时必须大于 0。"), field="hours_per_credit")
    for column, value, field in ((CreditCategory.name, name, "name"), (CreditCategory.code, code, "code")):
        clash = select(CreditCategory.id).where(column == value.strip())
        if category.id is not None:
            clash = clash.where(CreditCategory.id != category.id)
        if db.session.scalar(clash) is not None:
            raise DomainError(_("已有相同的类别名称或代码。"), field=field)
    with audit.recording(actor, "credit_category.save", category, CATEGORY_FIELDS):
        category.name, category.code = name.strip(), code.strip()
        category.hours_per_credit, category.position = hours_per_credit, position
        category.is_active = is_active
    return category
