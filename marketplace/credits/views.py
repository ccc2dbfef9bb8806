"""第二课堂成绩单 pages: the student's transcript with its PDF and Excel downloads, record histories and
appeals; the public check of a transcript's code; the verifying role's queue; the appeals queue; the
staff export with its progress; and the host's completion report (which moves a project to evaluating).

Each view parses its form, calls one operation, commits, then redirects or re-renders with the
refusal beside the field (422). Project pages live in their own area (linked by ``project.url``).
"""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import clock, permissions, storage
from .. import exports as export_jobs
from ..bids import files
from ..downloads import send_download
from ..errors import DomainError
from ..extensions import db, limiter
from ..forms import ActionForm, attempt
from ..hosting import operations as hosting
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from ..volunteers.positions import completed_trainings
from ..volunteers.reliability import reliability
from . import certificates, documents, export, queries, records, requirements, transcript
from . import shortfall as shortfalls
from .forms import (
    AppealFilter,
    AppealForm,
    AppealRulingForm,
    BulkVerifyForm,
    CodeForm,
    CompletionForm,
    ExportForm,
    QueueFilter,
    RejectForm,
    ShortfallForm,
)
from .models import (
    AppealStatus,
    CertificateExport,
    CreditAppeal,
    CreditExport,
    CreditRecord,
    CreditStatus,
    RequirementUnit,
    ShortfallExport,
)

bp = Blueprint("credits", __name__)

PER_PAGE = 20
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Codes are unguessable (32^16); the limit keeps anyone from trying their luck in bulk.
VERIFY_LIMIT = limiter.shared_limit("30 per minute", scope="transcript-verify")

ACTION_LABELS = {
    "create": _l("承办方确认考勤"),
    "appeal": _l("申诉采纳后补录"),
    "verify": _l("认定"),
    "reject": _l("不予认定"),
    "correct": _l("更正"),
    "appeal_rejected": _l("申诉未采纳，记录不变"),
}
FIELD_LABELS = {
    "hours": _l("学时"),
    "credits": _l("学分"),
    "category_id": _l("类别"),
    "term_id": _l("学期"),
    "status": _l("状态"),
    "rejection_reason": _l("不予认定的理由"),
}


@bp.app_template_global()
def requirement_progress(user):
    """The student's 达标 progress for the home page's credits part (None: no requirement for them),
    from one aggregate: the home page must not load every record."""
    return requirements.progress_of(user)


def _prefix(kind: str, public_id: str) -> str:
    """The field prefix of one row's form on a queue. It ends in "-" itself: WTForms adds its own
    separator only when the prefix does not end in one, and a public id may end in "-" or "_"."""
    return f"{kind}-{public_id}-"


# -- the student's transcript ------------------------------------------------------------------------------


@bp.get("/transcript")
@login_required
def transcript_page():
    mine = transcript.records_of(current_user)
    appeals = queries.appeals_of(current_user)
    return render_template(
        "credits/transcript.html",
        progress=requirements.progress(current_user, mine, requirements.requirement_for(current_user)),
        groups=transcript.grouped(mine),
        totals=transcript.totals_by_category(mine),
        trainings=completed_trainings(current_user),
        reliability=reliability(current_user),
        attended=sum(1 for r in mine if r.shift_id is not None),
        appealable=queries.appealable_signups(current_user),
        record_by_shift={r.shift_id: r for r in mine if r.shift_id is not None},
        pending_shifts={a.shift_id for a in appeals if a.status == AppealStatus.PENDING},
        appeals=appeals,
        last_issue=queries.last_issue(current_user),
        certificates=certificates.offers(mine),
    )


def _issued_files(kind: str):
    """Issue a transcript now (a fresh verification code) and hand over the file made on the spot."""
    issued, mine = transcript.issue(current_user)
    school = current_app.config["SCHOOL_NAME"]
    today = clock.today_local().isoformat()
    # The file is in Chinese whatever the interface language, and so is its name.
    name = f"第二课堂成绩单-{current_user.name}-{today}"
    if kind == "pdf":
        verify_url = current_app.config["BASE_URL"].rstrip("/") + url_for(".verify_code", code=issued.code)
        data, mimetype = (
            documents.render_transcript(current_user, issued, mine, verify_url),
            "application/pdf",
        )
    else:
        data, mimetype = transcript.render_xlsx(current_user, issued, mine, school), XLSX_MIMETYPE
    # Committed once the file is made: a commit expires every loaded record, and reading them back
    # one by one cost a statement per record.
    db.session.commit()
    return send_download(
        io.BytesIO(data),
        name=f"{name}.{kind}",
        fallback=f"transcript-{current_user.identifier}-{today}.{kind}",
        mimetype=mimetype,
    )


@bp.get("/transcript.pdf")
@login_required
def transcript_pdf():
    return _issued_files("pdf")


@bp.get("/transcript.xlsx")
@login_required
def transcript_xlsx():
    return _issued_files("xlsx")


@bp.get("/transcript/projects/<int:project_id>/certificate.pdf")
@login_required
def certificate_pdf(project_id: int):
    """The student's 志愿服务证明 of one project: the same code until the project's records change."""
    project = db.get_or_404(Project, project_id)
    try:
        issued = certificates.issue(current_user, project)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for(".transcript_page"))
    verify_url = current_app.config["BASE_URL"].rstrip("/") + url_for(".verify_code", code=issued.code)
    data = documents.render_certificate(current_user, issued, verify_url)
    db.session.commit()
    return send_download(
        io.BytesIO(data),
        name=f"志愿服务证明-{current_user.name}-{project.title}.pdf",
        fallback=f"certificate-{current_user.identifier}-{project.id}.pdf",
        mimetype="application/pdf",
    )


@bp.route("/credits/projects/<int:project_id>/certificates", methods=["GET", "POST"])
@login_required
def certificates_export(project_id: int):
    """A project's 志愿服务证明 as one ZIP, for the posting union's staff and the verifying role."""
    project = db.get_or_404(Project, project_id)
    permissions.require(current_user, "credit.export_certificates", project)
    form = ActionForm()
    if outcome := attempt(form, lambda: certificates.request_export(current_user, project)):
        certificates.run_export(outcome.result.id)  # after the commit, so that the worker finds the job
        return redirect(outcome.result.url)
    page = db.paginate(queries.certificate_exports(project), per_page=PER_PAGE, error_out=False)
    return render_template("credits/certificates.html", form=form, project=project, page=page), (
        form.status_code
    )


def _certificates_or_404(public_id: str) -> CertificateExport:
    job = db.first_or_404(select(CertificateExport).where(CertificateExport.public_id == public_id))
    permissions.require(current_user, "credit.export_certificates", job.project)
    return job


@bp.get("/credits/certificates/<public_id>")
@login_required
def certificates_status_page(public_id: str):
    return render_template("credits/certificates_job.html", job=_certificates_or_404(public_id))


@bp.get("/credits/certificates/<public_id>/status")
@login_required
def certificates_status(public_id: str):
    return jsonify(_certificates_or_404(public_id).progress())


@bp.get("/credits/certificates/<public_id>/download")
@login_required
def certificates_download(public_id: str):
    job = _certificates_or_404(public_id)
    return export_jobs.send(
        job,
        name=f"志愿服务证明-{job.project.title}.zip",
        fallback=f"certificates-{job.project_id}.zip",
        mimetype="application/zip",
    )


def _own_record_or_404(public_id: str) -> CreditRecord:
    record = db.session.scalar(
        select(CreditRecord).where(
            CreditRecord.public_id == public_id, CreditRecord.user_id == current_user.id
        )
    )
    if record is None:
        abort(404)
    return record


def _changes(entry, categories: dict, terms: dict) -> list[tuple[object, object, object]]:
    """(field, before, after) for each field a history entry changed, in words."""
    words = {
        "category_id": categories.get,
        "term_id": terms.get,
        "status": lambda value: CreditStatus(value).label,
    }
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for name, label in FIELD_LABELS.items():
        old, new = before.get(name), after.get(name)
        if old != new:
            say = words.get(name, str)
            rows.append((label, "—" if old is None else say(old), "—" if new is None else say(new)))
    return rows


@bp.get("/transcript/records/<public_id>")
@login_required
def record_history(public_id: str):
    """A record's history: every change, who made it and why."""
    record = _own_record_or_404(public_id)
    categories, terms = queries.names_for_history()
    entries = [(entry, _changes(entry, categories, terms)) for entry in queries.history_of(record)]
    return render_template("credits/history.html", record=record, entries=entries, actions=ACTION_LABELS)


@bp.route("/transcript/shifts/<int:shift_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(shift_id: int):
    """学分申诉 for a shift the student was on, within the appeal period."""
    permissions.require(current_user, "account.write")
    found = queries.appealable_signups(current_user, shift_id)
    if not found:
        abort(404)
    signup = found[0]
    form = AppealForm()
    if request.method == "GET":
        form.hours_claimed.data = signup.shift.credit_hours
    if attempt(form, lambda: records.file_appeal(current_user, signup.shift, form.to_data())):
        flash(_("申诉已提交。学生会会尽快处理，结果会通知你。"), "success")
        return redirect(url_for(".transcript_page"))
    return render_template(
        "credits/appeal.html",
        form=form,
        signup=signup,
        record=queries.record_of(signup),
        deadline=records.appeal_deadline(signup.shift),
    ), form.status_code


# -- public verification ---------------------------------------------------------------------------------


@bp.get("/verify")
@VERIFY_LIMIT
def verify_form():
    asked = "code" in request.args
    form = CodeForm(formdata=request.args if asked else None)
    if asked and form.validate():
        return redirect(url_for(".verify_code", code=transcript.normalize_code(form.code.data)))
    return render_template("credits/verify_form.html", form=form), form.status_code


@bp.get("/verify/<code>")
@VERIFY_LIMIT
def verify_code(code: str):
    """Public: whether a document (transcript or certificate) is genuine, with what it said when issued
    and whether its records changed since — the masked name, never 学号 or college."""
    result = transcript.verify(code)
    return render_template(
        "credits/verify.html",
        result=result,
        units={unit.value: unit.label for unit in RequirementUnit},
        code=transcript.normalize_code(code),
        form=CodeForm(formdata=None),
    ), 200 if result.genuine else 404


# -- the verifying role's queue -----------------------------------------------------------------------------


def _queue_page(*, bulk: BulkVerifyForm | None = None, rejected: tuple[str, RejectForm] | None = None):
    filters = QueueFilter(queries.terms(), formdata=request.args)
    stmt = queries.verification_queue(current_user, **filters.values())
    page = queries.queue_page(stmt)
    forms = {r.public_id: RejectForm(formdata=None, prefix=_prefix("r", r.public_id)) for r in page.items}
    if rejected is not None:
        forms[rejected[0]] = rejected[1]
    bulk = bulk or BulkVerifyForm(formdata=None)
    status = 422 if rejected is not None or bulk.errors else 200
    return render_template("credits/queue.html", page=page, filters=filters, bulk=bulk, forms=forms), status


def _back_to_queue():
    return redirect(url_for(".queue", **request.args))


@bp.get("/credits/verify")
@login_required
def queue():
    permissions.require(current_user, "credit.verify")
    return _queue_page()


@bp.post("/credits/verify")
@login_required
def verify_selected():
    """批量认定 of the ticked records."""
    permissions.require(current_user, "credit.verify")
    form = BulkVerifyForm()
    if outcome := attempt(form, lambda: records.verify_ticked(current_user, form.to_data())):
        flash(_("已认定 %(n)s 条记录，并通知了本人。", n=outcome.result), "success")
        return _back_to_queue()
    return _queue_page(bulk=form)


@bp.post("/credits/records/<public_id>/reject")
@login_required
def reject(public_id: str):
    record = db.first_or_404(select(CreditRecord).where(CreditRecord.public_id == public_id))
    permissions.require(current_user, "credit.verify", record.project)
    form = RejectForm(prefix=_prefix("r", public_id))
    if attempt(form, lambda: records.reject(current_user, record, form.to_data())):
        flash(_("已将 %(name)s 的这条记录标为不予认定，理由已通知本人。", name=record.user.name), "success")
        return _back_to_queue()
    return _queue_page(rejected=(public_id, form))


# -- appeals ---------------------------------------------------------------------------------------------


def _appeal_or_404(public_id: str) -> CreditAppeal:
    appeal = db.first_or_404(select(CreditAppeal).where(CreditAppeal.public_id == public_id))
    permissions.require(current_user, "credit.rule_appeal", appeal)
    return appeal


def _appeals_page(ruled: tuple[str, AppealRulingForm] | None = None):
    filters = AppealFilter(formdata=request.args)
    page = db.paginate(queries.appeals(current_user, **filters.values()), per_page=PER_PAGE, error_out=False)
    forms = {
        a.public_id: AppealRulingForm(formdata=None, prefix=_prefix("a", a.public_id))
        for a in page.items
        if a.status == AppealStatus.PENDING
    }
    if ruled is not None:
        forms[ruled[0]] = ruled[1]
    status = 422 if ruled else 200
    return render_template("credits/appeals.html", page=page, forms=forms, filters=filters), status


@bp.get("/credits/appeals")
@login_required
def appeals():
    permissions.require(current_user, "credit.handle")
    return _appeals_page()


@bp.post("/credits/appeals/<public_id>/rule")
@login_required
def rule(public_id: str):
    appeal = _appeal_or_404(public_id)
    if appeal.status != AppealStatus.PENDING:  # answered meanwhile, perhaps in another tab
        flash(_("这条申诉已经处理过了。"), "warning")
        return redirect(url_for(".appeals"))
    form = AppealRulingForm(prefix=_prefix("a", public_id))
    if attempt(form, lambda: records.resolve_appeal(current_user, appeal, form.to_data())):
        if form.accept.data:
            flash(_("已采纳申诉，记录已补录或更正，等待认定。"), "success")
        else:
            flash(_("已答复申诉，处理意见已通知本人。"), "success")
        return redirect(url_for(".appeals"))
    return _appeals_page(ruled=(public_id, form))


@bp.get("/credits/appeals/<public_id>/evidence")
@login_required
def evidence(public_id: str):
    """The appeal's evidence: only to those who answer it."""
    appeal = _appeal_or_404(public_id)
    if not appeal.evidence_stored:
        abort(404)
    extension = appeal.evidence_name.rsplit(".", 1)[-1].lower()
    return storage.send(
        files.key(appeal.evidence_stored),
        name=appeal.evidence_name,
        fallback=f"appeal-evidence-{public_id}.{extension}",
        mimetype=files.ACCEPTED[extension][1],
    )


# -- staff exports -----------------------------------------------------------------------------------------


def _export_or_404(public_id: str) -> CreditExport:
    permissions.require(current_user, "credit.handle")
    return db.first_or_404(select(CreditExport).where(CreditExport.public_id == public_id))


@bp.route("/credits/exports", methods=["GET", "POST"])
@login_required
def exports():
    permissions.require(current_user, "credit.handle")
    terms = queries.terms()
    form = ExportForm(terms)
    if outcome := attempt(form, lambda: export.request_export(current_user, form.to_data())):
        export.run_export(outcome.result.id)  # after the commit, so that the worker finds the job
        return redirect(url_for(".export_status_page", public_id=outcome.result.public_id))
    page = db.paginate(queries.exports(), per_page=PER_PAGE, error_out=False)
    return render_template("credits/exports.html", form=form, page=page, terms=terms), form.status_code


@bp.get("/credits/exports/<public_id>")
@login_required
def export_status_page(public_id: str):
    return render_template("credits/export.html", job=_export_or_404(public_id))


@bp.get("/credits/exports/<public_id>/status")
@login_required
def export_status(public_id: str):
    return jsonify(_export_or_404(public_id).progress())


@bp.get("/credits/exports/<public_id>/download")
@login_required
def export_download(public_id: str):
    job = _export_or_404(public_id)
    name = _("第二课堂学分-%(term)s", term=job.term.full_name).replace(" ", "-")
    return export_jobs.send(
        job,
        name=f"{name}.{job.file_format}",
        fallback=f"credits-{job.term.starts_on:%Y-%m}.{job.file_format}",
        mimetype=XLSX_MIMETYPE if job.file_format == "xlsx" else "text/csv",
    )


# -- students below the requirement --------------------------------------------------------------------


def _shortfall_or_404(public_id: str) -> ShortfallExport:
    permissions.require(current_user, "credit.export_shortfall")
    return db.first_or_404(select(ShortfallExport).where(ShortfallExport.public_id == public_id))


@bp.route("/credits/shortfall", methods=["GET", "POST"])
@login_required
def shortfall():
    """未达标名单: export a cohort's students below its requirement, perhaps of one college."""
    permissions.require(current_user, "credit.export_shortfall")
    form = ShortfallForm(queries.colleges())
    if outcome := attempt(form, lambda: shortfalls.request_shortfall(current_user, form.to_data())):
        shortfalls.run_shortfall(outcome.result.id)  # after the commit, so that the worker finds the job
        return redirect(outcome.result.url)
    page = db.paginate(queries.shortfall_exports(), per_page=PER_PAGE, error_out=False)
    return render_template("credits/shortfall.html", form=form, page=page), form.status_code


@bp.get("/credits/shortfall/<public_id>")
@login_required
def shortfall_status_page(public_id: str):
    return render_template("credits/shortfall_job.html", job=_shortfall_or_404(public_id))


@bp.get("/credits/shortfall/<public_id>/status")
@login_required
def shortfall_status(public_id: str):
    return jsonify(_shortfall_or_404(public_id).progress())


@bp.get("/credits/shortfall/<public_id>/download")
@login_required
def shortfall_download(public_id: str):
    job = _shortfall_or_404(public_id)
    return export_jobs.send(
        job,
        name=f"第二课堂未达标名单-{job.grade}级-{job.degree_level.label}.xlsx",
        fallback=f"shortfall-{job.grade}-{job.degree_level.value}.xlsx",
        mimetype=XLSX_MIMETYPE,
    )


# -- the host's completion report ----------------------------------------------------------------------------


@bp.route("/hosting/projects/<int:project_id>/complete", methods=["GET", "POST"])
@login_required
def completion(project_id: int):
    """结项报告: outcomes, participants, spending and photos; the project moves to evaluating."""
    project = db.get_or_404(Project, project_id)
    permissions.require(current_user, "project.host", project)
    form = CompletionForm()
    if attempt(form, lambda: hosting.submit_completion(current_user, project, form.to_data())):
        flash(_("结项报告已提交，项目进入评价阶段。"), "success")
        return redirect(project.url)
    budget, spent = hosting.budget_and_spent(project)
    return render_template(
        "credits/completion.html",
        form=form,
        project=project,
        hosting=lifecycle.effective_state(project) == ProjectState.HOSTING,
        budget=budget,
        spent=spent,
    ), form.status_code
