"""The students' volunteer pages (志愿): a project's recruitment page, the site-wide list of open shifts,
a shift with the student's own sign-up and its buttons, "my volunteering" with no-show appeals and the
private calendar feed, and check-in by code — a scan made before logging in survives the login.

Each view parses its form, calls one operation, commits, then redirects or re-renders with the refusal
beside the field (422). The host's pages live in ``marketplace.hosting.views``.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..accounts.models import User
from ..checkin import remember_scan, take_scan
from ..downloads import send_download
from ..extensions import db
from ..formatting import local_datetime
from ..forms import ActionForm, attempt
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from ..projects.queries import is_public
from . import admission, attendance, calendar, positions, queries, reliability, signups
from .forms import AppealForm, CheckinForm, LeaveForm, OpenShiftFilter
from .models import Attendance, Position, Shift, Signup, SignupStatus

bp = Blueprint("volunteers", __name__)


@bp.app_context_processor
def _volunteer_helpers():
    return {
        "signup_closes_at": signups.signup_closes_at,
    }


def _visible_project(project_id: int) -> Project:
    project = db.get_or_404(Project, project_id)
    if not is_public(project):
        abort(404)
    return project


def _visible_shift(shift_id: int) -> Shift:
    # Every caller reads the position and its project: one query for the three.
    shift = db.get_or_404(Shift, shift_id, options=[joinedload(Shift.position).joinedload(Position.project)])
    if not is_public(shift.position.project):
        abort(404)
    return shift


def _my_signup(shift: Shift) -> Signup:
    return db.first_or_404(
        select(Signup).where(Signup.shift_id == shift.id, Signup.user_id == current_user.id)
    )


# -- finding a shift ------------------------------------------------------------------------------------


@bp.get("/projects/<int:project_id>/volunteer")
def recruitment(project_id: int):
    project = _visible_project(project_id)
    positions = queries.project_positions(project)
    ids = queries.shift_ids(positions)
    return render_template(
        "volunteers/project.html",
        project=project,
        recruiting=lifecycle.effective_state(project) == ProjectState.HOSTING,
        positions=positions,
        applied=queries.applied_counts(ids),
        mine=queries.signups_by_shift(current_user, ids),
    )


@bp.get("/volunteer")
def open_shifts():
    filters = OpenShiftFilter(formdata=request.args)
    page = db.paginate(queries.open_shifts(**filters.values()), per_page=queries.PER_PAGE, error_out=False)
    ids = [shift.id for shift in page.items]
    return render_template(
        "volunteers/open_shifts.html",
        page=page,
        filters=filters,
        applied=queries.applied_counts(ids),
        mine=queries.signups_by_shift(current_user, ids),
    )


# -- one shift and the student's own sign-up --------------------------------------------------------------


def _shift_page(shift: Shift, *, action: ActionForm | None = None, leave: LeaveForm | None = None):
    signup = queries.signups_by_shift(current_user, [shift.id]).get(shift.id)
    action, leave = action or ActionForm(formdata=None), leave or LeaveForm(formdata=None)
    state = lifecycle.effective_state(shift.position.project)
    return render_template(
        "volunteers/shift.html",
        shift=shift,
        position=shift.position,
        project=shift.position.project,
        recruiting=state == ProjectState.HOSTING,
        cancelled=state == ProjectState.CANCELLED,
        applied=queries.applied_counts([shift.id]).get(shift.id, 0),
        signup=signup,
        place=queries.waiting_place(signup) if signup else None,
        lapsed=bool(signup and queries.offer_lapsed(signup)),
        in_draw=bool(signup and queries.drawn_order(shift, [signup])),
        cancel_cutoff=signups.cancel_cutoff(shift),
        cancel_closes=signups.cancel_closes_at(signup) if signup else None,
        action_form=action,
        leave_form=leave,
    ), max(action.status_code, leave.status_code)


@bp.get("/volunteer/shifts/<int:shift_id>")
def shift(shift_id: int):
    return _shift_page(_visible_shift(shift_id))


SIGNED_UP = {
    SignupStatus.ACCEPTED: _l("报名成功，你已被录用。请按时到岗，现场扫码签到。"),
    SignupStatus.WAITING: _l("这个班次已经满员，你已进入候补名单；有人取消时会按顺序递补并通知你。"),
    SignupStatus.APPLIED: _l("报名已提交，录取结果会通知你。"),
}


@bp.post("/volunteer/shifts/<int:shift_id>/signup")
@login_required
def sign_up(shift_id: int):
    shift = _visible_shift(shift_id)
    form = ActionForm()
    # The status is read before the commit, and the way back built from the id: nothing is loaded
    # again after it.
    if signed := attempt(form, lambda: signups.sign_up(current_user, shift).status):
        flash(str(SIGNED_UP[signed.result]), "success")
        return redirect(url_for(".shift", shift_id=shift_id))
    return _shift_page(shift, action=form)


def _act_on_mine(shift_id: int, operation, done: str):
    """Cancel or confirm the student's own sign-up: back to the shift with what happened, or why not."""
    shift = _visible_shift(shift_id)
    signup = _my_signup(shift)
    form = ActionForm()
    if attempt(form, lambda: operation(current_user, signup)):
        flash(done, "success")
        return redirect(shift.url)
    return _shift_page(shift, action=form)


@bp.post("/volunteer/shifts/<int:shift_id>/cancel")
@login_required
def cancel(shift_id: int):
    return _act_on_mine(shift_id, signups.cancel, _("已取消报名。"))


@bp.post("/volunteer/shifts/<int:shift_id>/confirm")
@login_required
def confirm_offer(shift_id: int):
    return _act_on_mine(shift_id, admission.confirm_offer, _("已确认递补，你已被录用。请按时到岗。"))


@bp.post("/volunteer/shifts/<int:shift_id>/leave")
@login_required
def request_leave(shift_id: int):
    shift = _visible_shift(shift_id)
    signup = _my_signup(shift)
    form = LeaveForm()
    if attempt(form, lambda: signups.request_leave(current_user, signup, form.to_data())):
        flash(_("已请假，名额已让给候补的同学，不计缺勤。"), "success")
        return redirect(shift.url)
    return _shift_page(shift, leave=form)


# -- my volunteering ------------------------------------------------------------------------------------


def _mine(*, appealing: tuple[int, AppealForm] | None = None):
    upcoming = request.args.get("tab") != "past"
    page = db.paginate(
        queries.student_signups(current_user, upcoming=upcoming), per_page=queries.PER_PAGE, error_out=False
    )
    records = queries.no_show_records(current_user)
    appeal_forms = {
        signup.shift_id: AppealForm(formdata=None, prefix=f"s{signup.shift_id}")
        for signup, appeal in records
        if signup.status == SignupStatus.NO_SHOW and appeal is None
    }
    if appealing is not None:
        appeal_forms.update([appealing])
    token = current_user.ical_token
    return render_template(
        "volunteers/mine.html",
        upcoming=upcoming,
        page=page,
        records=records,
        appeal_forms=appeal_forms,
        trainings=positions.completed_trainings(current_user),
        reliability=reliability.reliability(current_user),
        calendar_url=url_for(".calendar_feed", token=token, _external=True) if token else None,
        reset_form=ActionForm(formdata=None),
    ), (422 if appealing is not None else 200)


@bp.get("/volunteer/mine")
@login_required
def mine():
    return _mine()


@bp.post("/volunteer/shifts/<int:shift_id>/appeal")
@login_required
def appeal(shift_id: int):
    signup = _my_signup(_visible_shift(shift_id))
    form = AppealForm(prefix=f"s{shift_id}")
    if attempt(form, lambda: reliability.appeal_no_show(current_user, signup, form.to_data())):
        flash(_("申诉已提交，承办方处理后会通知你。"), "success")
        return redirect(url_for(".mine", _anchor="records"))
    return _mine(appealing=(shift_id, form))


# -- the private calendar feed ----------------------------------------------------------------------------


@bp.post("/volunteer/calendar/reset")
@login_required
def reset_calendar():
    form = ActionForm()
    if attempt(form, lambda: calendar.reset_calendar_token(current_user)):
        flash(_("已生成新的订阅链接，旧链接即刻失效。请在手机日历中重新订阅。"), "success")
    return redirect(url_for(".mine", _anchor="calendar"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    user = db.first_or_404(select(User).where(User.ical_token == token))
    name = _("我的志愿班次")
    body = calendar.feed(
        queries.calendar_signups(user),
        name=name,
        host=urlsplit(current_app.config["BASE_URL"]).hostname or "jiebang",
        now=clock.now(),
        link=lambda signup: url_for(".shift", shift_id=signup.shift_id, _external=True),
    )
    return send_download(
        io.BytesIO(body.encode()),
        name=f"{name}.ics",
        fallback="volunteer-shifts.ics",
        mimetype="text/calendar",
        inline=True,
    )


# -- check-in -------------------------------------------------------------------------------------------


def _checkin_page(shift: Shift, form: CheckinForm, status: int = 200):
    signup = queries.signups_by_shift(current_user, [shift.id]).get(shift.id)
    return render_template(
        "volunteers/checkin.html",
        shift=shift,
        position=shift.position,
        form=form,
        attendance=signup.attendance if signup else None,
    ), status


def _checked(attendance: Attendance) -> str:
    if attendance.checked_out_at is None:
        return _(
            "签到成功（%(at)s）。结束时请再扫一次码签退。",
            at=local_datetime(attendance.checked_in_at, "HH:mm"),
        )
    return _("签退成功（%(at)s）。辛苦了！", at=local_datetime(attendance.checked_out_at, "HH:mm"))


def _remember_scan(shift: Shift, code: str):
    return remember_scan(attendance.scope(shift), code, url_for(".resume", shift_id=shift.id))


@bp.get("/checkin/<int:shift_id>")
def checkin(shift_id: int):
    """The QR code's link carries the code: signed in, it waits in the form for one tap; signed out,
    the scan is remembered across the login and checked after it."""
    shift = _visible_shift(shift_id)
    code = request.args.get("code")
    if code and not current_user.is_authenticated:
        return _remember_scan(shift, code)
    return _checkin_page(shift, CheckinForm(formdata=None, code=code))


@bp.post("/checkin/<int:shift_id>")
def checkin_submit(shift_id: int):
    shift = _visible_shift(shift_id)
    form = CheckinForm()
    if not current_user.is_authenticated:
        if form.validate_on_submit():
            return _remember_scan(shift, form.code.data)
        return _checkin_page(shift, form, 422)
    if checked := attempt(form, lambda: attendance.check_in_or_out(current_user, shift, form.to_data())):
        flash(_checked(checked.result), "success")
        return redirect(url_for(".checkin", shift_id=shift.id))
    return _checkin_page(shift, form, form.status_code)


@bp.get("/checkin/<int:shift_id>/resume")
@login_required
def resume(shift_id: int):
    """After the login a scan was waiting for: finish the check-in with the time of the scan."""
    shift = _visible_shift(shift_id)
    scan = take_scan(attendance.scope(shift))
    if scan is None:
        flash(_("没有找到待完成的签到，请重新扫描现场的二维码。"), "warning")
        return redirect(url_for(".checkin", shift_id=shift.id))
    code, scanned_at = scan
    form = CheckinForm(formdata=None, code=code)
    checked = attempt(
        form,
        lambda: attendance.check_in_or_out(current_user, shift, form.to_data(), scanned_at=scanned_at),
        validate=False,
    )
    if not checked:
        return _checkin_page(shift, form, 422)
    flash(_checked(checked.result), "success")
    return redirect(url_for(".checkin", shift_id=shift.id))
