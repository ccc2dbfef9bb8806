"""The home page, language choice and the health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from .. import pagecache
from ..extensions import csrf, db
from ..security import same_site_path
from ..volunteers import home as volunteers_home
from .home import home_for, staff_actions

bp = Blueprint("main", __name__)


@bp.app_context_processor
def _staff_actions():
    """The staff dashboard (projects) shows the staff's 待办, which read areas above projects."""
    return {"staff_actions": staff_actions}


@bp.get("/")
@pagecache.public
def index():
    return render_template(
        "main/index.html",
        home=home_for(current_user),
        sign_up_labels=volunteers_home.SIGN_UP_LABELS,
        on_the_day=volunteers_home.on_the_day,
    )


@bp.post("/language")
@csrf.exempt  # a forged switch only changes the language shown; a token would make public pages personal
def set_language():
    locale = request.form.get("locale")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = locale
    return redirect(same_site_path(request.form.get("next")) or url_for("main.index"))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # the probe needs an answer, not a 500 page
        return {"status": "error", "database": type(error).__name__}, 503
    return {"status": "ok", "database": "ok"}
