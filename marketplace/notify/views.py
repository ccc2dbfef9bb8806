"""The notification centre and email preferences."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..forms import ActionForm, attempt, flash_refusal
from . import operations
from .forms import preferences_form
from .kinds import optional_kinds
from .models import Notification

bp = Blueprint("notify", __name__, url_prefix="/notifications")
PAGE_SIZE = 20


@bp.get("/")
@login_required
def centre():
    page = db.paginate(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template("notify/centre.html", page=page)


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    form = ActionForm()
    if attempt(form, lambda: operations.mark_read(current_user, notification_id)):
        return redirect(item.link or url_for(".centre"))
    flash_refusal(form)
    return redirect(url_for(".centre"))


@bp.post("/read-all")
@login_required
def read_all():
    form = ActionForm()
    attempt(form, lambda: operations.mark_read(current_user))
    flash_refusal(form)
    return redirect(url_for(".centre"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    kinds = optional_kinds()
    form = preferences_form(kinds, operations.email_preferences(current_user))
    if attempt(form, lambda: operations.set_email_preferences(current_user, form.to_data())):
        flash(_("通知设置已保存。"), "success")
        return redirect(url_for(".preferences"))
    return render_template("notify/preferences.html", kinds=kinds, form=form), form.status_code
