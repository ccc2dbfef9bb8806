"""Colleges (学院), organizations (学生会, 研究生会, 院系学生会, 社团, 班级) and memberships."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import UTCDateTime, enum_type, utcnow
from ..urls import path_for


class College(db.Model):
    """学院."""

    __tablename__ = "college"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str | None] = mapped_column(String(16), unique=True)

    def __repr__(self) -> str:
        return f"<College {self.name}>"


class OrgKind(LabelledEnum):
    __labels__ = {
        "school_union": _l("校学生会"),
        "graduate_union": _l("研究生会"),
        "college_union": _l("院系学生会"),
        "club": _l("社团"),
        "class": _l("班级"),
    }

    SCHOOL_UNION = "school_union"
    GRADUATE_UNION = "graduate_union"
    COLLEGE_UNION = "college_union"
    CLUB = "club"
    CLASS = "class"

    @property
    def is_school_level_union(self) -> bool:
        """学生会 and 研究生会 post projects; their members are union staff."""
        return self in SCHOOL_LEVEL_UNIONS

    @property
    def needs_college(self) -> bool:
        return self in (OrgKind.COLLEGE_UNION, OrgKind.CLASS)


SCHOOL_LEVEL_UNIONS = (OrgKind.SCHOOL_UNION, OrgKind.GRADUATE_UNION)
# The unions, which serve a body of students (``queries.served``): surveyed yearly, their staff reviewed.
UNION_KINDS = (OrgKind.SCHOOL_UNION, OrgKind.GRADUATE_UNION, OrgKind.COLLEGE_UNION)
# The kinds of organization that bid on projects (院系学生会、社团、班级).
BIDDER_KINDS = (OrgKind.COLLEGE_UNION, OrgKind.CLUB, OrgKind.CLASS)


class Organization(db.Model):
    """A student organization (组织)."""

    __tablename__ = "organization"
    __table_args__ = (
        CheckConstraint(
            "kind NOT IN ('college_union', 'class') OR college_id IS NOT NULL", name="college_where_needed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[OrgKind] = mapped_column(enum_type(OrgKind), index=True)
    college_id: Mapped[int | None] = mapped_column(ForeignKey("college.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    college = relationship("College")

    def __repr__(self) -> str:
        return f"<Organization {self.name}>"

    @property
    def url(self) -> str:
        return path_for("orgs.show", org_id=self.id)


class MemberRole(LabelledEnum):
    """负责人 (may act for the organization) or 成员."""

    __labels__ = {"manager": _l("负责人"), "member": _l("成员")}
    __badges__ = {"manager": "text-bg-warning", "member": "text-bg-light border"}

    MANAGER = "manager"
    MEMBER = "member"


class Membership(db.Model):
    """A user's role in one organization for a period (任职/在籍起止日期)."""

    __tablename__ = "membership"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole), default=MemberRole.MEMBER)
    title: Mapped[str] = mapped_column(String(64), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", back_populates="memberships")
    org = relationship("Organization")

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @classmethod
    def active_on(cls, day: date):
        """SQL condition: the membership covers ``day``."""
        return and_(cls.starts_on <= day, or_(cls.ends_on.is_(None), cls.ends_on >= day))
