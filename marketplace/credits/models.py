"""Second-classroom credit categories (第二课堂成绩单 模块) and their 学时→学分 rule."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# The Youth League's second-classroom transcript modules; schools rename them in the admin pages.
DEFAULT_CATEGORIES = [
    ("思想成长", "ideology"),
    ("实践实习", "practice"),
    ("志愿公益", "volunteer"),
    ("创新创业", "innovation"),
    ("文体活动", "culture_sports"),
    ("工作履历", "work_record"),
    ("技能特长", "skills"),
]
DEFAULT_HOURS_PER_CREDIT = Decimal("8")


class CreditCategory(db.Model):
    """A transcript category (成绩单模块): credits = hours ÷ ``hours_per_credit``."""

    __tablename__ = "credit_category"
    __table_args__ = (CheckConstraint("hours_per_credit > 0", name="positive_rate"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    hours_per_credit: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=DEFAULT_HOURS_PER_CREDIT)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
