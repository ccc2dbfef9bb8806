"""Signing in and out, claiming a roster row, registering, passwords and one's own profile."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, with_expression

from .. import settings
from ..errors import DomainError
from ..extensions import db, limiter, login_manager
from ..forms import attempt
from ..notify.operations import unread_of
from ..orgs.models import College, Membership
from ..security import same_site_path
from ..volunteers.positions import completed_trainings
from . import operations
from .forms import ChangePasswordForm, ClaimForm, ForgotForm, LoginForm, ProfileForm, RegisterForm, ResetForm
from .models import User

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = None
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.execute(_signed_in_user(), {"user_id": int(user_id)}).unique().scalar_one_or_none()


@cache
def _signed_in_user() -> Select:
    # Every page asks the signed-in user's roles (menus, permissions), which come from their site roles
    # and their memberships in active organizations, and shows their unread notifications in its
    # header: fetched with the user, in the same statement (a handful of rows), since this one runs on
    # every signed-in request — and built once per process, its loader options included.
    return (
        select(User)
        .where(User.id == bindparam("user_id"))
        .options(
            joinedload(User.site_roles),
            joinedload(User.memberships).joinedload(Membership.org),
            with_expression(User.unread_notifications, unread_of(User.id)),
        )
    )


def _safe_next(target: str | None) -> str:
    return same_site_path(target) or url_for("main.index")


def _login_account_key() -> str:
    # One counter per account, whether its 学号, 工号 or email (in any case) is typed.
    identifier = (request.form.get("identifier") or "").strip()
    user_id = db.session.scalar(operations.find_by_identifier(identifier).with_only_columns(User.id))
    return (
        f"login-account:id:{user_id}" if user_id is not None else "login-account:typed:" + identifier.lower()
    )


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_failed,
               scope="login-ip")  # fmt: skip
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], deduct_when=_failed,
               key_func=_login_account_key, scope="login-account")  # fmt: skip
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if signed_in := attempt(form, lambda: operations.authenticate(form.to_data())):
        user = signed_in.result
        login_user(user, remember=form.remember.data)
        if user.locale:  # the language saved in the profile wins over one chosen before logging in
            session.pop("locale", None)
        return redirect(_safe_next(request.args.get("next")))
    # 401 for wrong credentials: only those count against the login limits.
    return render_template("accounts/login.html", form=form), 401 if signed_in.error else form.status_code


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("main.index"))


def _claim_student_no_key() -> str:
    return "claim-student-no:" + (request.form.get("student_no") or "").strip().lower()


def _not_on_roster(response) -> bool:
    return g.get("not_on_roster", False)


@bp.route("/claim", methods=["GET", "POST"])
# Only claims the roster does not match count: they are how one would guess who is on it.
@limiter.limit(
    lambda: current_app.config["CLAIM_LIMIT_PER_IP"],
    methods=["POST"],
    deduct_when=_not_on_roster,
    scope="claim-ip",
)
@limiter.limit(
    lambda: current_app.config["CLAIM_LIMIT_PER_STUDENT_NO"],
    methods=["POST"],
    deduct_when=_not_on_roster,
    key_func=_claim_student_no_key,
    scope="claim-student-no",
)
def claim():
    form = ClaimForm()
    if claimed := attempt(form, lambda: operations.claim_roster_entry(form.to_data())):
        return render_template("accounts/check_mail.html", email=claimed.result.email)
    g.not_on_roster = isinstance(claimed.error, operations.NotOnRoster)
    return render_template("accounts/claim.html", form=form), form.status_code


@bp.route("/register", methods=["GET", "POST"])
def register():
    if not settings.get("open_registration"):
        flash(_("本校通过学生名册开通账号，请认领你的账号。"), "info")
        return redirect(url_for(".claim"))
    form = RegisterForm()
    form.college_id.choices = [
        (c.id, c.name) for c in db.session.scalars(select(College).order_by(College.name))
    ]
    if registered := attempt(form, lambda: operations.register_open(form.to_data())):
        return render_template("accounts/check_mail.html", email=registered.result.email)
    return render_template("accounts/register.html", form=form), form.status_code


@bp.get("/account/verify-email/<token>")
def verify_email(token: str):
    try:
        operations.verify_email(token)
    except DomainError as error:
        return render_template("accounts/token_problem.html", message=error.message), 400
    db.session.commit()
    flash(_("邮箱验证成功，请登录。"), "success")
    return redirect(url_for(".login"))


@bp.route("/account/resend-verification", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def resend_verification():
    form = ForgotForm()
    if attempt(form, lambda: operations.resend_verification(form.to_data())):
        return render_template("accounts/check_mail.html", email=None)
    return render_template("accounts/resend.html", form=form), form.status_code


@bp.route("/account/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotForm()
    if attempt(form, lambda: operations.request_password_reset(form.to_data())):
        # The same answer whether or not the account exists.
        return render_template("accounts/check_mail.html", email=None)
    return render_template("accounts/forgot.html", form=form), form.status_code


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        # Say a link is spent or expired before the user types a new password twice.
        operations.user_for_reset_token(token)
    except DomainError as error:
        return render_template("accounts/token_problem.html", message=error.message), 400
    form = ResetForm()
    if attempt(form, lambda: operations.reset_password(token, form.to_data())):
        flash(_("密码已重设，请用新密码登录。"), "success")
        return redirect(url_for(".login"))
    return render_template("accounts/reset.html", form=form), form.status_code


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if attempt(form, lambda: operations.change_password(current_user, form.to_data())):
        flash(_("密码已修改。"), "success")
        return redirect(url_for(".profile"))
    return render_template("accounts/change_password.html", form=form), form.status_code


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.political_status.data = (
            current_user.political_status.value if current_user.political_status else ""
        )
        form.locale.data = current_user.locale or "zh_CN"
    if attempt(form, lambda: operations.update_own_profile(current_user, form.to_data())):
        session["locale"] = form.locale.data
        flash(_("个人资料已保存。"), "success")
        return redirect(url_for(".profile"))
    return render_template(
        "accounts/profile.html", form=form, user=current_user, trainings=completed_trainings(current_user)
    ), form.status_code
