"""The host's pages (承办): the console of a hosted project (progress with the posts still open to
correction, spending, positions and shifts, trainings, the participants' check-in days, no-show
appeals), a shift's roster with its Excel export (and, for a 补登 shift, entering who took part), the
live check-in codes of a shift and of an event day, the participants' own check-in page, and the
project's public timeline with its photos.

Each view parses its form, calls one operation, commits, then redirects or re-renders with the refusal
beside the field (422). The students' side of volunteering lives in ``marketplace.volunteers.views``.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import checkin, clock, permissions, settings, storage
from ..downloads import send_download
from ..evaluation.queries import final_of
from ..extensions import db
from ..forms import ActionForm, Form, attempt, flash_refusal
from ..projects import lifecycle
from ..projects.forms import ReasonForm
from ..projects.models import Project, ProjectState
from ..projects.queries import is_public
from ..timeutil import local
from ..volunteers import admission, attendance, backfill, exports, positions, queries, reliability
from ..volunteers.forms import CheckinForm
from ..volunteers.models import Admission, NoShowAppeal, Position, Shift, Signup, SignupStatus, Training
from ..volunteers.signups import ACTIVE, signup_closes_at
from . import operations as hosting
from . import participants
from .forms import (
    BackfillForm,
    DecisionForm,
    ExpenditureForm,
    MarkAttendanceForm,
    PositionForm,
    ProgressEditForm,
    ProgressForm,
    RulingForm,
    ShiftForm,
    TrainingAttendanceForm,
    TrainingForm,
)
from .models import ParticipantDay, Photo, ProgressUpdate

bp = Blueprint("hosting", __name__)


def _hosted(project_id: int) -> Project:
    project = db.get_or_404(Project, project_id)
    permissions.require(current_user, "project.host", project)
    return project


def _hosted_position(position_id: int) -> Position:
    position = db.get_or_404(Position, position_id)
    permissions.require(current_user, "project.host", position.project)
    return position


def _hosted_shift(shift_id: int) -> Shift:
    shift = db.get_or_404(Shift, shift_id)
    permissions.require(current_user, "project.host", shift.position.project)
    return shift


def _hosted_signup(public_id: str) -> Signup:
    signup = db.first_or_404(select(Signup).where(Signup.public_id == public_id))
    permissions.require(current_user, "project.host", signup.shift.position.project)
    return signup


def _button(form: Form, operation: Callable[[], object], target: str, done: Callable[[object], str]):
    """A button on the roster: run the operation, then say on the page it came from what happened
    (``done`` of the operation's result), or why not."""
    if outcome := attempt(form, operation):
        flash(done(outcome.result), "success")
    flash_refusal(form)
    return redirect(target)


# -- the console ----------------------------------------------------------------------------------------


def _console(
    project: Project,
    *,
    progress: ProgressForm | None = None,
    expense: ExpenditureForm | None = None,
    training: TrainingForm | None = None,
    ruling: tuple[int, RulingForm] | None = None,
    editing: tuple[int, ProgressEditForm] | None = None,
):
    appeals = queries.pending_appeals(project)
    ruling_forms = {a.id: RulingForm(formdata=None, prefix=f"a{a.id}") for a in appeals}
    if ruling is not None:
        ruling_forms.update([ruling])
    state = lifecycle.effective_state(project)
    hosting_now = state == ProjectState.HOSTING
    posts = hosting.progress_updates(project)
    now = clock.now()
    editable_until = {
        u.id: until for u in posts if hosting_now and now < (until := hosting.progress_editable_until(u))
    }
    edit_forms = {
        u.id: ProgressEditForm(formdata=None, prefix=f"p{u.id}", data=ProgressEditForm.of(u))
        for u in posts
        if u.id in editable_until
    }
    if editing is not None:
        edit_forms.update([editing])
    forms = {
        "progress_form": progress or ProgressForm(formdata=None),
        "expense_form": expense or ExpenditureForm(formdata=None),
        "training_form": training or TrainingForm(formdata=None),
    }
    refused = any(
        f.status_code == 422 for f in [*forms.values(), *ruling_forms.values(), *edit_forms.values()]
    )
    budget, spent = hosting.budget_and_spent(project)
    expense_form = forms["expense_form"]
    return render_template(
        "hosting/console.html",
        project=project,
        hosting_now=hosting_now,
        cancel_requestable=state in lifecycle.TRANSITIONS["request_cancel"].sources,
        request_cancel_form=ReasonForm(formdata=None),
        posts=posts,
        editable_until=editable_until,
        edit_forms=edit_forms,
        edit_minutes=settings.get("progress_edit_minutes"),
        budget=budget,
        spent=spent,
        # Once the budget is used up every further expense needs a reason: ask for it straight away.
        ask_reason=bool(
            expense_form.over_budget_reason.errors
            or expense_form.over_budget_reason.data
            or (budget is not None and spent >= budget)
        ),
        positions=queries.project_positions(project),
        trainings=queries.project_trainings(project),
        participant_days=participants.days_of(project),
        today=clock.today_local(),
        open_day_form=ActionForm(formdata=None),
        appeals=appeals,
        ruling_forms=ruling_forms,
        **forms,
    ), (422 if refused else 200)


@bp.get("/hosting/projects/<int:project_id>")
@login_required
def console(project_id: int):
    return _console(_hosted(project_id))


@bp.post("/hosting/projects/<int:project_id>/progress")
@login_required
def post_progress(project_id: int):
    project = _hosted(project_id)
    form = ProgressForm()
    if attempt(form, lambda: hosting.post_progress(current_user, project, form.to_data())):
        flash(_("进展已发布，项目时间线上所有人都能看到。"), "success")
        return redirect(url_for(".console", project_id=project.id))
    return _console(project, progress=form)


def _hosted_update(update_id: int) -> tuple[ProgressUpdate, Project]:
    update = db.get_or_404(ProgressUpdate, update_id)
    return update, _hosted(update.project_id)


@bp.post("/hosting/progress/<int:update_id>/edit")
@login_required
def edit_progress(update_id: int):
    update, project = _hosted_update(update_id)
    form = ProgressEditForm(prefix=f"p{update.id}")
    if attempt(form, lambda: hosting.edit_progress(current_user, update, form.to_data())):
        flash(_("进展已修改。"), "success")
        return redirect(url_for(".console", project_id=project.id, _anchor="posts"))
    return _console(project, editing=(update.id, form))


@bp.post("/hosting/progress/<int:update_id>/delete")
@login_required
def delete_progress(update_id: int):
    update, project = _hosted_update(update_id)
    return _button(
        ActionForm(),
        lambda: hosting.delete_progress(current_user, update),
        url_for(".console", project_id=project.id, _anchor="posts"),
        lambda _result: _("进展已删除，不再出现在公开时间线上。"),
    )


@bp.post("/hosting/projects/<int:project_id>/expenditures")
@login_required
def record_expenditure(project_id: int):
    project = _hosted(project_id)
    form = ExpenditureForm()
    if attempt(form, lambda: hosting.record_expenditure(current_user, project, form.to_data())):
        flash(_("支出已登记，并在项目时间线上公开。"), "success")
        return redirect(url_for(".console", project_id=project.id, _anchor="spending"))
    return _console(project, expense=form)


# -- trainings ------------------------------------------------------------------------------------------


@bp.post("/hosting/projects/<int:project_id>/trainings")
@login_required
def training_new(project_id: int):
    project = _hosted(project_id)
    form = TrainingForm()
    if created := attempt(
        form, lambda: positions.save_training(current_user, project, Training(), form.to_data())
    ):
        flash(_("培训已创建。培训结束后在这里登记参加的同学。"), "success")
        return redirect(url_for(".training", training_id=created.result.id))
    return _console(project, training=form)


@bp.route("/hosting/trainings/<int:training_id>", methods=["GET", "POST"])
@login_required
def training(training_id: int):
    training = queries.training_with_attendees(training_id) or abort(404)
    project = db.session.get(Project, training.project_id) if training.project_id else None
    if project is not None:
        permissions.require(current_user, "project.host", project)
    else:
        permissions.require(current_user, "project.post")
    form = TrainingAttendanceForm()
    if added := attempt(
        form, lambda: positions.record_training_attendance(current_user, training, form.to_data())
    ):
        flash(_("已登记 %(n)s 名同学参加培训。", n=added.result), "success")
        return redirect(url_for(".training", training_id=training.id))
    return render_template(
        "hosting/training.html", training=training, project=project, form=form
    ), form.status_code


# -- positions and shifts -------------------------------------------------------------------------------


@bp.route("/hosting/projects/<int:project_id>/positions/new", methods=["GET", "POST"])
@login_required
def position_new(project_id: int):
    project = _hosted(project_id)
    form = PositionForm(project)
    if created := attempt(
        form, lambda: positions.save_position(current_user, project, Position(), form.to_data())
    ):
        flash(_("岗位已创建，接着添加班次吧。"), "success")
        return redirect(url_for(".shift_new", position_id=created.result.id))
    return render_template(
        "hosting/position_form.html", form=form, project=project, position=None
    ), form.status_code


@bp.route("/hosting/positions/<int:position_id>/edit", methods=["GET", "POST"])
@login_required
def position_edit(position_id: int):
    position = _hosted_position(position_id)
    project = position.project
    form = PositionForm(project, data=PositionForm.of(position))
    if attempt(form, lambda: positions.save_position(current_user, project, position, form.to_data())):
        flash(_("岗位已保存。"), "success")
        return redirect(url_for(".console", project_id=project.id, _anchor="positions"))
    return render_template(
        "hosting/position_form.html", form=form, project=project, position=position
    ), form.status_code


@bp.route("/hosting/positions/<int:position_id>/shifts/new", methods=["GET", "POST"])
@login_required
def shift_new(position_id: int):
    position = _hosted_position(position_id)
    form = ShiftForm()
    if created := attempt(
        form, lambda: positions.save_shift(current_user, position, Shift(), form.to_data())
    ):
        if created.result.is_backfill:
            flash(_("补登班次已创建。请在名单页按学号登记参加的同学，再确认考勤。"), "success")
            return redirect(url_for(".roster", shift_id=created.result.id))
        flash(_("班次已创建，同学们现在可以报名了。"), "success")
        return redirect(
            url_for(".console", project_id=position.project_id, _anchor=f"position-{position.id}")
        )
    return render_template(
        "hosting/shift_form.html", form=form, position=position, shift=None
    ), form.status_code


@bp.route("/hosting/shifts/<int:shift_id>/edit", methods=["GET", "POST"])
@login_required
def shift_edit(shift_id: int):
    shift = _hosted_shift(shift_id)
    position = shift.position
    form = ShiftForm(data=ShiftForm.of(shift))
    if attempt(form, lambda: positions.save_shift(current_user, position, shift, form.to_data())):
        flash(_("班次已保存。"), "success")
        return redirect(
            url_for(".console", project_id=position.project_id, _anchor=f"position-{position.id}")
        )
    return render_template(
        "hosting/shift_form.html", form=form, position=position, shift=shift
    ), form.status_code


# -- the roster -----------------------------------------------------------------------------------------


def _roster(
    shift: Shift,
    *,
    marking: tuple[int, MarkAttendanceForm] | None = None,
    registering: BackfillForm | None = None,
):
    signups = queries.roster(shift)
    now = clock.now()
    markable = [s for s in signups if s.status in (SignupStatus.ACCEPTED, SignupStatus.NO_SHOW)]
    # Attendance is marked from the shift's start (a 补登 shift has started already) until it is
    # confirmed; a confirmed roster of a thousand builds no forms it would not show.
    marking_open = now >= shift.starts_at and shift.attendance_confirmed_at is None
    mark_forms = {
        s.id: MarkAttendanceForm(formdata=None, prefix=f"m{s.id}", data=MarkAttendanceForm.of(s))
        for s in markable
        if marking_open
    }
    if marking is not None:
        mark_forms.update([marking])
    position = shift.position
    return render_template(
        "hosting/roster.html",
        shift=shift,
        position=position,
        project=position.project,
        seated=[s for s in signups if s.status.holds_seat],
        waiting=[s for s in signups if s.status == SignupStatus.WAITING],
        applied=[s for s in signups if s.status == SignupStatus.APPLIED],
        others=[s for s in signups if s.status not in (*ACTIVE, SignupStatus.CANCELLED)],
        reliability=reliability.reliability_counts({s.user_id for s in signups}),
        drawn=queries.drawn_order(shift, signups),
        may_draw=position.admission == Admission.LOTTERY
        and shift.lottery_drawn_at is None
        and now >= signup_closes_at(shift),
        may_confirm=shift.attendance_confirmed_at is None and now >= shift.ends_at,
        unchecked_out=[
            s for s in markable if s.attendance is not None and s.attendance.checked_out_at is None
        ],
        mark_forms=mark_forms,
        backfill_form=registering or BackfillForm(formdata=None),
    ), (422 if marking is not None or registering is not None else 200)


@bp.get("/hosting/shifts/<int:shift_id>/roster")
@login_required
def roster(shift_id: int):
    return _roster(_hosted_shift(shift_id))


@bp.get("/hosting/shifts/<int:shift_id>/roster.xlsx")
@login_required
def roster_xlsx(shift_id: int):
    shift = _hosted_shift(shift_id)
    day = local(shift.starts_at).strftime("%Y%m%d")
    return send_download(  # private: it holds phone numbers
        io.BytesIO(exports.roster_workbook(queries.roster(shift))),
        name=f"志愿者名单-{shift.position.title}-{day}.xlsx",
        fallback=f"volunteers-shift-{shift.id}-{day}.xlsx",
        mimetype=exports.XLSX_MIMETYPE,
    )


@bp.post("/hosting/signups/<public_id>/decide")
@login_required
def decide(public_id: str):
    signup = _hosted_signup(public_id)
    form = DecisionForm()
    return _button(
        form,
        lambda: admission.decide(current_user, signup, form.to_data()),
        url_for(".roster", shift_id=signup.shift_id),
        lambda _result: _("%(name)s：%(status)s", name=signup.user.name, status=signup.status.label),
    )


@bp.post("/hosting/signups/<public_id>/attendance")
@login_required
def mark_attendance(public_id: str):
    signup = _hosted_signup(public_id)
    form = MarkAttendanceForm(prefix=f"m{signup.id}")
    if attempt(form, lambda: attendance.mark_attendance(current_user, signup, form.to_data())):
        flash(_("已更新 %(name)s 的考勤。", name=signup.user.name), "success")
        return redirect(url_for(".roster", shift_id=signup.shift_id))
    return _roster(signup.shift, marking=(signup.id, form))


@bp.post("/hosting/shifts/<int:shift_id>/register")
@login_required
def register(shift_id: int):
    """补登: enter who took part in a 补登 shift by 学号."""
    shift = _hosted_shift(shift_id)
    form = BackfillForm()
    if added := attempt(form, lambda: backfill.register(current_user, shift, form.to_data())):
        flash(_("已登记 %(n)s 名同学，出勤按整个班次记录。核对无误后请确认考勤。", n=added.result), "success")
        return redirect(url_for(".roster", shift_id=shift.id))
    return _roster(shift, registering=form)


@bp.post("/hosting/shifts/<int:shift_id>/draw")
@login_required
def draw(shift_id: int):
    shift = _hosted_shift(shift_id)
    return _button(
        ActionForm(),
        lambda: admission.draw_lottery(shift, current_user),
        url_for(".roster", shift_id=shift.id),
        lambda _drawn: _("抽签完成，结果已通知每位报名的同学。"),
    )


@bp.post("/hosting/shifts/<int:shift_id>/confirm")
@login_required
def confirm_attendance(shift_id: int):
    shift = _hosted_shift(shift_id)
    return _button(
        ActionForm(),
        lambda: attendance.confirm_attendance(current_user, shift),
        url_for(".roster", shift_id=shift.id),
        lambda n: _("考勤已确认，%(n)s 名志愿者的时长已计入记录。", n=n),
    )


# -- the live check-in code -----------------------------------------------------------------------------


@bp.get("/hosting/shifts/<int:shift_id>/code")
@login_required
def checkin_code(shift_id: int):
    shift = _hosted_shift(shift_id)
    now = clock.now()
    code = attendance.checkin_code(shift, now)
    link = url_for("volunteers.checkin", shift_id=shift.id, code=code, _external=True)
    signups = [s for s in queries.roster(shift) if s.status == SignupStatus.ACCEPTED]
    attended = [s.attendance for s in signups if s.attendance is not None]
    return render_template(
        "hosting/code.html",
        shift=shift,
        position=shift.position,
        code=code,
        link=link,
        qr=checkin.qr_data_uri(link),
        refresh_in=checkin.refresh_in(now),
        accepted=len(signups),
        checked_in=len(attended),
        checked_out=sum(1 for a in attended if a.checked_out_at is not None),
    )


# -- the participants' check-in (参与同学签到) ------------------------------------------------------------


def _hosted_day(day_id: int) -> ParticipantDay:
    day = db.get_or_404(ParticipantDay, day_id)
    permissions.require(current_user, "project.host", day.project)
    return day


@bp.post("/hosting/projects/<int:project_id>/participant-days")
@login_required
def open_participant_day(project_id: int):
    project = _hosted(project_id)
    form = ActionForm()
    if opened := attempt(form, lambda: participants.open_today(current_user, project).id):
        return redirect(url_for(".participant_code", day_id=opened.result))
    flash_refusal(form)
    return redirect(url_for(".console", project_id=project.id, _anchor="participants"))


@bp.get("/hosting/participant-days/<int:day_id>/code")
@login_required
def participant_code(day_id: int):
    day = _hosted_day(day_id)
    now = clock.now()
    code = participants.checkin_code(day, now)
    link = url_for(".attend", day_id=day.id, code=code, _external=True)
    return render_template(
        "hosting/participant_code.html",
        day=day,
        project=day.project,
        running=participants.is_open(day, now),
        code=code,
        link=link,
        qr=checkin.qr_data_uri(link),
        refresh_in=checkin.refresh_in(now),
        checked_in=db.session.scalar(select(ParticipantDay.checked_in).where(ParticipantDay.id == day.id)),
    )


def _visible_day(day_id: int) -> ParticipantDay:
    day = db.get_or_404(ParticipantDay, day_id)
    if not is_public(day.project):
        abort(404)
    return day


def _attend_page(day: ParticipantDay, form: CheckinForm, status: int = 200):
    signed_in = current_user.is_authenticated
    return render_template(
        "hosting/attend.html",
        day=day,
        project=day.project,
        form=form,
        running=participants.is_open(day),
        checked_in=signed_in and participants.has_checked_in(current_user, day),
    ), status


@bp.get("/attend/<int:day_id>")
def attend(day_id: int):
    """The QR code's link carries the code: signed in, it waits in the form for one tap; signed out,
    the scan is remembered across the login and checked after it."""
    day = _visible_day(day_id)
    code = request.args.get("code")
    if code and not current_user.is_authenticated:
        return checkin.remember_scan(participants.scope(day), code, url_for(".attend_resume", day_id=day.id))
    return _attend_page(day, CheckinForm(formdata=None, code=code))


@bp.post("/attend/<int:day_id>")
def attend_submit(day_id: int):
    day = _visible_day(day_id)
    form = CheckinForm()
    if not current_user.is_authenticated:
        if form.validate_on_submit():
            return checkin.remember_scan(
                participants.scope(day), form.code.data, url_for(".attend_resume", day_id=day.id)
            )
        return _attend_page(day, form, 422)
    if attempt(form, lambda: participants.check_in(current_user, day, form.to_data())):
        flash(_("签到成功，欢迎参加！"), "success")
        return redirect(url_for(".attend", day_id=day.id))
    return _attend_page(day, form, form.status_code)


@bp.get("/attend/<int:day_id>/resume")
@login_required
def attend_resume(day_id: int):
    """After the login a scan was waiting for: finish the check-in with the time of the scan."""
    day = _visible_day(day_id)
    scan = checkin.take_scan(participants.scope(day))
    if scan is None:
        flash(_("没有找到待完成的签到，请重新扫描现场的二维码。"), "warning")
        return redirect(url_for(".attend", day_id=day.id))
    code, scanned_at = scan
    form = CheckinForm(formdata=None, code=code)
    if not attempt(
        form,
        lambda: participants.check_in(current_user, day, form.to_data(), scanned_at=scanned_at),
        validate=False,
    ):
        return _attend_page(day, form, 422)
    flash(_("签到成功，欢迎参加！"), "success")
    return redirect(url_for(".attend", day_id=day.id))


# -- no-show appeals ------------------------------------------------------------------------------------


@bp.post("/hosting/appeals/<int:appeal_id>")
@login_required
def rule_appeal(appeal_id: int):
    appeal = db.get_or_404(NoShowAppeal, appeal_id)
    project = appeal.signup.shift.position.project
    form = RulingForm(prefix=f"a{appeal.id}")
    if attempt(form, lambda: reliability.rule_appeal(current_user, appeal, form.to_data())):
        flash(_("申诉已处理，结果已通知这位同学。"), "success")
        return redirect(url_for(".console", project_id=project.id, _anchor="appeals"))
    # The union's staff may rule too, but the console it re-renders is the host's.
    permissions.require(current_user, "project.host", project)
    return _console(project, ruling=(appeal.id, form))


# -- the public timeline --------------------------------------------------------------------------------


@bp.get("/projects/<int:project_id>/timeline")
def timeline(project_id: int):
    project = db.get_or_404(Project, project_id)
    if not is_public(project):
        abort(404)
    budget, spent = hosting.budget_and_spent(project)
    return render_template(
        "hosting/timeline.html",
        project=project,
        items=hosting.timeline(project),
        budget=budget,
        spent=spent,
        # The last step of the story: the final score, once the close is recorded.
        final=final_of(project) if project.state == ProjectState.CLOSED else None,
    )


@bp.get("/photos/<public_id>")
def photo(public_id: str):
    """A progress photo: public like the timeline it belongs to."""
    found = db.session.execute(
        select(Photo, Project)
        .join(ProgressUpdate, ProgressUpdate.id == Photo.update_id)
        .join(Project, Project.id == ProgressUpdate.project_id)
        .where(Photo.public_id == public_id)
    ).first()
    if found is None or not is_public(found.Project):
        abort(404)
    return storage.send(
        hosting.photo_key(found.Photo.stored_name),
        name=f"photo-{public_id}.jpg",
        fallback=f"photo-{public_id}.jpg",
        mimetype="image/jpeg",
        inline=True,
        private=False,
        max_age=86400,
    )
