"""Account operations: claiming a roster row, registering, signing in, passwords, and admin edits.

Plain functions: they check the rules, change the session's objects and write the audit log; the
caller commits. Messages are translated for the user.
"""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, or_, select

from .. import audit, clock, permissions, settings
from ..errors import DomainError
from ..extensions import db
from ..notify import operations as notify
from ..urls import path_for
from .models import (
    AccountKind,
    AccountStatus,
    DegreeLevel,
    SiteRole,
    User,
    UserRole,
    find_by_identifier,
    spend_password_check,
)

PROFILE_FIELDS = [
    "name",
    "college_id",
    "grade",
    "degree_level",
    "phone",
    "email",
    "political_status",
    "status",
    "kind",
]


# -- passwords and tokens ---------------------------------------------------------------------------


def check_password_strength(password: str) -> None:
    if len(password) < 8 or not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise DomainError(_("密码至少 8 位，且需同时包含字母和数字。"), field="password")


class _ClockSigner(TimestampSigner):
    """Stamps and ages links by :func:`marketplace.clock.now`, not ``time.time()``, so a link expires
    on the same clock as every deadline (and tests can move past its expiry)."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"jiebang.{purpose}", signer=_ClockSigner
    )


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password changes, every earlier reset link stops working.
    return (user.password_hash or "unset")[-16:]


def make_reset_token(user: User) -> str:
    return _serializer("reset").dumps({"u": user.id, "p": _password_fingerprint(user)})


def make_verify_token(user: User) -> str:
    return _serializer("verify").dumps({"u": user.id, "e": user.email})


def _load_token(purpose: str, token: str, max_age: int) -> dict:
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError(_("链接已过期，请重新申请。")) from None
    except BadSignature:
        raise DomainError(_("链接无效，请检查是否完整复制。")) from None


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _without_spaces(name: str) -> str:
    # Chinese input methods type the full-width space (U+3000); str.split() knows it as a space too.
    return "".join(name.split())


def _email_taken(email: str, except_user: User | None = None) -> bool:
    stmt = select(User.id).where(func.lower(User.email) == _normalise_email(email))
    if except_user is not None and except_user.id is not None:
        stmt = stmt.where(User.id != except_user.id)
    return db.session.scalar(stmt) is not None


# -- becoming a user -------------------------------------------------------------------------------


def send_verification(user: User) -> None:
    link = path_for("accounts.verify_email", token=make_verify_token(user))
    notify.send(user, "account.verify_email", link=link, in_app=False)


class NotOnRoster(DomainError):
    """No roster row has this 学号 and name. One answer whether the 学号 is unknown or the name is
    wrong, so a guess learns nothing about who is on the roster; the claim limits count these."""


def claim_roster_entry(data: dict) -> User:
    """认领账号: a student takes over the roster row whose 学号 and name match, and verifies the email."""
    student_no, name, email, password = data["student_no"], data["name"], data["email"], data["password"]
    user = db.session.scalar(
        select(User).where(User.student_no == student_no.strip(), User.kind == AccountKind.STUDENT)
    )
    if user is None or _without_spaces(user.name) != _without_spaces(name):
        raise NotOnRoster(
            _("名册中没有与该学号和姓名相符的学生，请核对后再试，或联系学院。"), field="student_no"
        )
    if user.is_claimed:
        raise DomainError(_("该学号已被认领。若忘记密码，请使用“找回密码”。"), field="student_no")
    if user.status == AccountStatus.DEACTIVATED:
        raise DomainError(_("该账号已停用，请联系管理员。"), field="student_no")
    if _email_taken(email, except_user=user):
        raise DomainError(_("该邮箱已被其他账号使用。"), field="email")
    check_password_strength(password)
    user.email = _normalise_email(email)
    user.email_verified_at = None
    user.set_password(password)
    user.claimed_at = clock.now()
    audit.record(user, "account.claim", user, after={"email": user.email})
    send_verification(user)
    return user


def register_open(data: dict) -> User:
    """自助注册, only where the school has no roster (setting ``open_registration``)."""
    student_no, email, password = data["student_no"], data["email"], data["password"]
    if not settings.get("open_registration"):
        raise DomainError(_("本校通过学生名册开通账号，请使用“认领账号”。"))
    if db.session.scalar(select(User.id).where(User.student_no == student_no.strip())) is not None:
        raise DomainError(_("该学号已有账号。若忘记密码，请使用“找回密码”。"), field="student_no")
    if _email_taken(email):
        raise DomainError(_("该邮箱已被其他账号使用。"), field="email")
    check_password_strength(password)
    user = User(
        kind=AccountKind.STUDENT,
        student_no=student_no.strip(),
        name=data["name"].strip(),
        college_id=data["college_id"],
        grade=data["grade"],
        degree_level=DegreeLevel(data["degree_level"]),
        email=_normalise_email(email),
        claimed_at=clock.now(),
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(user, "account.register", user, after=audit.snapshot(user, ["student_no", "name", "email"]))
    send_verification(user)
    return user


def verify_email(token: str) -> User:
    data = _load_token("verify", token, current_app.config["EMAIL_VERIFY_MAX_AGE"])
    user = db.session.get(User, data["u"])
    if user is None or user.email != data["e"]:
        raise DomainError(_("链接无效，请检查是否完整复制。"))
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
        audit.record(user, "account.verify_email", user, after={"email": user.email})
    return user


# -- signing in ------------------------------------------------------------------------------------


def authenticate(data: dict) -> User:
    user = db.session.scalar(find_by_identifier(data["identifier"]))
    if user is None:
        spend_password_check(data["password"])
    if user is None or not user.check_password(data["password"]):
        raise DomainError(_("账号或密码不正确。"), field="password")
    if user.status == AccountStatus.DEACTIVATED:
        raise DomainError(_("该账号已停用，请联系管理员。"))
    if user.email_verified_at is None and user.kind == AccountKind.STUDENT:
        raise DomainError(_("请先点击验证邮件中的链接完成邮箱验证。"), field="unverified")
    user.last_login_at = clock.now()
    return user


def resend_verification(data: dict) -> None:
    """Send the verification mail again if the account is claimed and not verified yet; the caller
    answers the same either way."""
    user = db.session.scalar(find_by_identifier(data["identifier"]))
    if user is not None and user.email and user.is_claimed and user.email_verified_at is None:
        send_verification(user)


def request_password_reset(data: dict) -> None:
    """Send a reset link if the account exists; the caller answers the same either way."""
    user = db.session.scalar(find_by_identifier(data["identifier"]))
    if user is None or not user.email or user.status == AccountStatus.DEACTIVATED:
        return
    link = path_for("accounts.reset_password", token=make_reset_token(user))
    notify.send(user, "account.password_reset", link=link, in_app=False)


def user_for_reset_token(token: str) -> User:
    """The account a reset link is for, while the link is still good (unexpired and unused)."""
    data = _load_token("reset", token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, data["u"])
    if user is None or data["p"] != _password_fingerprint(user):
        raise DomainError(_("该链接已使用过或已失效，请重新申请。"))
    return user


def reset_password(token: str, data: dict) -> User:
    user = user_for_reset_token(token)
    check_password_strength(data["password"])
    user.set_password(data["password"])
    if user.email_verified_at is None:  # the link reached the mailbox, which proves it
        user.email_verified_at = clock.now()
    if user.claimed_at is None:
        user.claimed_at = clock.now()
    audit.record(user, "account.password_reset", user)
    notify.send(user, "account.password_changed", in_app=True)
    return user


def change_password(user: User, data: dict) -> None:
    if not user.check_password(data["current_password"]):
        raise DomainError(_("当前密码不正确。"), field="current_password")
    check_password_strength(data["password"])
    user.set_password(data["password"])
    audit.record(user, "account.password_change", user)
    notify.send(user, "account.password_changed")


def update_own_profile(user: User, data: dict) -> None:
    before = audit.snapshot(user, ["phone", "political_status", "locale"])
    user.phone = (data["phone"] or "").strip() or None
    user.political_status = data["political_status"] or None
    user.locale = data["locale"] or None
    after = audit.snapshot(user, ["phone", "political_status", "locale"])
    if before != after:
        audit.record(user, "account.profile_update", user, before=before, after=after)


# -- administration --------------------------------------------------------------------------------


def save_user(actor: User, user: User, data: dict) -> User:
    """Create or edit an account from the admin form (and the roster import)."""
    if data.get("email") and _email_taken(data["email"], except_user=user):
        raise DomainError(_("该邮箱已被其他账号使用。"), field="email")
    kind = AccountKind(data.get("kind") or user.kind or AccountKind.STUDENT)
    number = (data.get("identifier") or "").strip()
    if not number:
        raise DomainError(_("请填写学号或工号。"), field="identifier")
    column = User.student_no if kind == AccountKind.STUDENT else User.staff_no
    clash = select(User.id).where(column == number)
    if user.id is not None:
        clash = clash.where(User.id != user.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(_("该学号/工号已被其他账号使用。"), field="identifier")
    creating = user.id is None
    before = None if creating else audit.snapshot(user, PROFILE_FIELDS + ["student_no", "staff_no"])
    user.kind = kind
    user.student_no, user.staff_no = (number, None) if kind == AccountKind.STUDENT else (None, number)
    user.name = data["name"].strip()
    user.college_id = data.get("college_id") or None
    user.grade = data.get("grade") or None
    user.degree_level = None
    if kind == AccountKind.STUDENT:
        user.degree_level = DegreeLevel(data.get("degree_level") or DegreeLevel.UNDERGRADUATE)
    user.phone = (data.get("phone") or "").strip() or None
    new_email = _normalise_email(data["email"]) if data.get("email") else None
    if new_email != user.email:
        user.email_verified_at = clock.now() if new_email and data.get("email_verified") else None
    user.email = new_email
    user.political_status = data.get("political_status") or None
    user.status = AccountStatus(data.get("status") or AccountStatus.ACTIVE)
    db.session.add(user)
    db.session.flush()
    after = audit.snapshot(user, PROFILE_FIELDS + ["student_no", "staff_no"])
    if creating or before != after:
        audit.record(actor, "user.create" if creating else "user.update", user, before=before, after=after)
    return user


def user_by_number(number: str) -> User:
    """The account whose 学号 or 工号 is ``number``; a message beside the field if there is none."""
    number = (number or "").strip()
    user = db.session.scalar(select(User).where(or_(User.student_no == number, User.staff_no == number)))
    if user is None:
        raise DomainError(
            _("没有学号或工号为“%(number)s”的账号，请核对后再试。", number=number), field="number"
        )
    return user


def save_account(actor: User, user: User, data: dict) -> User:
    """The admin's user form: the profile and the site roles (``data["roles"]``) in one step."""
    permissions.require(actor, "user.manage")
    if actor.id is not None and actor.id == user.id and data.get("status") != AccountStatus.ACTIVE:
        raise DomainError(_("不能停用自己的账号或把自己设为已毕业，请由另一位管理员操作。"), field="status")
    save_user(actor, user, data)
    set_site_roles(actor, user, data["roles"])
    return user


def set_site_roles(actor: User, user: User, wanted: set[SiteRole]) -> None:
    current = {r.role for r in user.site_roles}
    if actor.id == user.id and SiteRole.ADMIN in current and SiteRole.ADMIN not in wanted:
        raise DomainError(_("不能撤销自己的管理员角色，请由另一位管理员操作。"), field="roles")
    for row in list(user.site_roles):
        if row.role not in wanted:
            user.site_roles.remove(row)
    for role in wanted - current:
        user.site_roles.append(UserRole(role=role, granted_by_id=actor.id))
        notify.send(user, "role.granted", role=role)
    if current != wanted:
        audit.record(
            actor, "user.roles", user, before={"roles": sorted(current)}, after={"roles": sorted(wanted)}
        )


def create_admin(staff_no: str, name: str, email: str, password: str) -> User:
    """An operator's command-line path to the first admin of a fresh installation (no one to grant it)."""
    check_password_strength(password)
    user = db.session.scalar(select(User).where(User.staff_no == staff_no.strip()))
    if user is None:
        if _email_taken(email):
            raise DomainError(_("该邮箱已被其他账号使用。"), field="email")
        user = User(
            kind=AccountKind.FACULTY,
            staff_no=staff_no.strip(),
            name=name.strip(),
            email=_normalise_email(email),
        )
        db.session.add(user)
    user.set_password(password)
    user.email_verified_at = user.email_verified_at or clock.now()
    user.claimed_at = user.claimed_at or clock.now()
    user.status = AccountStatus.ACTIVE
    if not user.has_role(SiteRole.ADMIN):
        user.site_roles.append(UserRole(role=SiteRole.ADMIN))
    db.session.flush()
    audit.record(None, "user.create_admin", user, after={"staff_no": user.staff_no})
    return user
