"""Administration pages (系统管理)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from .. import permissions

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _only_admins_and_auditors():
    pass


@bp.get("/")
def index():
    permissions.require(current_user, "admin.access")
    return render_template("admin/index.html")


@bp.get("/audit")
def audit_log():
    permissions.require(current_user, "audit.read")
    return render_template("admin/index.html")
