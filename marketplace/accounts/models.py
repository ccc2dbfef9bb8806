"""Accounts: students (学生) and faculty (教职工), and the site-wide roles."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import UTCDateTime, enum_type, utcnow


class AccountKind(LabelledEnum):
    """学生 or 教职工. Students are identified by 学号, faculty by 工号."""

    __labels__ = {"student": _l("学生"), "faculty": _l("教职工")}

    STUDENT = "student"
    FACULTY = "faculty"


class AccountStatus(LabelledEnum):
    """在读/在职, 已毕业 (read-only login to one's own records), 已停用 (no login)."""

    __labels__ = {"active": _l("正常"), "graduated": _l("已毕业"), "deactivated": _l("已停用")}
    __badges__ = {"active": "text-bg-success"}

    ACTIVE = "active"
    GRADUATED = "graduated"
    DEACTIVATED = "deactivated"


class PoliticalStatus(LabelledEnum):
    """政治面貌. Optional: some volunteer positions (e.g. 党员先锋岗) ask for it."""

    __labels__ = {
        "party_member": _l("中共党员"),
        "probationary_member": _l("中共预备党员"),
        "league_member": _l("共青团员"),
        "other_party": _l("民主党派"),
        "masses": _l("群众"),
    }

    PARTY_MEMBER = "party_member"
    PROBATIONARY_MEMBER = "probationary_member"
    LEAGUE_MEMBER = "league_member"
    OTHER_PARTY = "other_party"
    MASSES = "masses"


class DegreeLevel(LabelledEnum):
    """学历层次 of a student. It decides whom a school-level union serves: undergraduates the 校学生会,
    master's and doctoral students the 研究生会."""

    __labels__ = {"undergraduate": _l("本科"), "master": _l("硕士"), "doctoral": _l("博士")}

    UNDERGRADUATE = "undergraduate"
    MASTER = "master"
    DOCTORAL = "doctoral"

    @property
    def is_graduate(self) -> bool:
        return self != DegreeLevel.UNDERGRADUATE


def _degree_level_default(context) -> str | None:
    """A student whose record says nothing else is an undergraduate (most are); faculty have none."""
    kind = context.get_current_parameters().get("kind")
    return DegreeLevel.UNDERGRADUATE if kind in (AccountKind.STUDENT, AccountKind.STUDENT.value) else None


class SiteRole(LabelledEnum):
    """Roles that hold across the whole site (organization roles are memberships)."""

    __labels__ = {"evaluator": _l("评议人"), "league_reviewer": _l("团委审核人"), "admin": _l("系统管理员")}

    EVALUATOR = "evaluator"
    LEAGUE_REVIEWER = "league_reviewer"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """An account (账号). Roster imports create it unclaimed (no password); the student claims it."""

    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'student' AND student_no IS NOT NULL) OR (kind = 'faculty' AND staff_no IS NOT NULL)",
            name="identifier_matches_kind",
        ),
        CheckConstraint("(kind = 'student') = (degree_level IS NOT NULL)", name="degree_level_of_students"),
        # The admin's user list, in its order (students, then staff, by 学号/工号).
        Index("ix_user_kind_identifier", "kind", text("coalesce(student_no, staff_no)"), "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(enum_type(AccountKind), default=AccountKind.STUDENT)
    student_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    staff_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    college_id: Mapped[int | None] = mapped_column(ForeignKey("college.id"), index=True)
    grade: Mapped[int | None] = mapped_column(Integer)
    degree_level: Mapped[DegreeLevel | None] = mapped_column(
        enum_type(DegreeLevel), default=_degree_level_default, index=True
    )
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    political_status: Mapped[PoliticalStatus | None] = mapped_column(enum_type(PoliticalStatus))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[AccountStatus] = mapped_column(enum_type(AccountStatus), default=AccountStatus.ACTIVE)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The secret in the private calendar feed's URL (a new one revokes the old).
    ical_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # 未读通知: counted in the statement that loads the signed-in user (load_user), for the page's
    # header; None wherever a user is loaded otherwise.
    unread_notifications: Mapped[int | None] = query_expression()

    college = relationship("College")
    # Declared here (not as a backref from orgs) so the attribute exists however modules are imported.
    memberships = relationship("Membership", back_populates="user")
    site_roles = relationship(
        "UserRole",
        back_populates="user",
        cascade="all, delete-orphan",
        foreign_keys="UserRole.user_id",
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.identifier}>"

    @property
    def identifier(self) -> str:
        """学号 for students, 工号 for faculty."""
        return self.student_no if self.kind == AccountKind.STUDENT else self.staff_no

    @property
    def is_claimed(self) -> bool:
        return self.password_hash is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts lose their sessions
        return self.status != AccountStatus.DEACTIVATED

    @property
    def is_read_only(self) -> bool:
        return self.status == AccountStatus.GRADUATED

    @property
    def role_names(self) -> set[str]:
        return {r.role.value for r in self.site_roles}

    def has_role(self, role: SiteRole | str) -> bool:
        return str(role) in self.role_names

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)


# A hash of nothing anyone types, checked when no account matches, so that a wrong identifier costs as
# much time as a wrong password and the answer's timing does not tell whether an account exists.
_UNKNOWN_ACCOUNT_HASH = generate_password_hash("no account has this password")


def spend_password_check(password: str) -> None:
    """Do the work of a password check for an identifier that matches no account."""
    check_password_hash(_UNKNOWN_ACCOUNT_HASH, password)


def find_by_identifier(identifier: str):
    """The user whose 学号, 工号 or email (any case) is ``identifier``, as a select()."""
    ident = identifier.strip()
    return select(User).where(
        or_(User.student_no == ident, User.staff_no == ident, func.lower(User.email) == ident.lower())
    )


class UserRole(db.Model):
    """A site role held by a user (评议人, 团委审核人, 管理员)."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[SiteRole] = mapped_column(enum_type(SiteRole))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user = relationship("User", back_populates="site_roles", foreign_keys=[user_id])
