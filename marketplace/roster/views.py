"""名册导入 pages: past imports, the upload form, a job's progress, errors or preview, and its
confirmation. The checking and the import run as background tasks (see :mod:`.tasks`)."""

from __future__ import annotations

import io

from flask import Blueprint, jsonify, redirect, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import permissions
from ..downloads import send_download
from ..extensions import db
from ..forms import ActionForm, attempt, flash_refusal
from . import files, operations, tasks
from .forms import UploadForm, column_help
from .models import ImportJob

bp = Blueprint("roster", __name__, url_prefix="/admin/imports")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def _only_importers():
    permissions.require(current_user, "roster.import")


def _job_or_404(public_id: str) -> ImportJob:
    return db.first_or_404(select(ImportJob).where(ImportJob.public_id == public_id))


@bp.get("/")
def index():
    stmt = (
        select(ImportJob)
        .options(joinedload(ImportJob.created_by))
        .order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
    )
    return render_template("roster/index.html", page=db.paginate(stmt, per_page=20, error_out=False))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = UploadForm()
    if started := attempt(form, lambda: operations.start_import(current_user, form.to_data())):
        tasks.check_import(started.result.id)  # after the commit, so that the worker finds the job
        return redirect(started.result.url)
    return render_template("roster/new.html", form=form, column_help=column_help()), form.status_code


@bp.get("/template.xlsx")
def template():
    return send_download(
        io.BytesIO(files.template_workbook()),
        name="名册导入模板.xlsx",
        fallback="roster-template.xlsx",
        mimetype=XLSX_MIMETYPE,
        private=False,
    )


@bp.get("/<public_id>")
def show(public_id: str):
    return render_template("roster/show.html", job=_job_or_404(public_id), columns=files.COLUMNS)


@bp.get("/<public_id>/status")
def status(public_id: str):
    job = _job_or_404(public_id)
    return jsonify(percent=job.percent, status=job.status.value, finished=not job.status.is_running)


@bp.post("/<public_id>/confirm")
def confirm(public_id: str):
    job = _job_or_404(public_id)
    form = ActionForm()
    if attempt(form, lambda: operations.confirm_import(job)):
        tasks.apply_import(job.id, current_user.id)  # after the commit, so that the worker finds the job
    flash_refusal(form)
    return redirect(job.url)
