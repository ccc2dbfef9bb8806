"""评价 pages: the host's improvement plan (整改说明). The final score, the plans and the reputation
show on the pages of the project, the organization, the posting form and the bid review, which read
``queries`` and ``record``.

The view parses its form, calls one operation, commits, then redirects or re-renders with the refusal
beside the field (422).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..extensions import db
from ..forms import ActionForm, attempt, flash_refusal
from ..projects import lifecycle
from ..projects.models import Project
from . import operations, queries
from .forms import ImprovementForm
from .reputation import reputation

bp = Blueprint("evaluation", __name__)


@bp.app_context_processor
def _evaluation_helpers():
    # The award notice (a lower area's page) shows the winner's 信誉 through this helper.
    return {"org_reputation": reputation}


@bp.route("/projects/<int:project_id>/improvement", methods=["GET", "POST"])
@login_required
def improvement(project_id: int):
    """整改说明: for the host's managers, once the final score fell below the line."""
    project = db.get_or_404(Project, project_id)
    permissions.require(current_user, "evaluation.improve", project)
    final = queries.final_of(project)
    if final is None or final.improvement is None:
        abort(404)
    form = ImprovementForm()
    if attempt(form, lambda: operations.submit_improvement(current_user, project, form.to_data())):
        flash(_("整改说明已提交，已在项目页面公开。"), "success")
        return redirect(url_for("projects.show", project_id=project.id, _anchor="evaluation"))
    return render_template(
        "evaluation/improvement.html", project=project, final=final, plan=final.improvement, form=form
    ), form.status_code


@bp.post("/projects/<int:project_id>/close")
@login_required
def close(project_id: int):
    """提前结项: the posting union's staff, once the panel has submitted and every invited student
    has answered (``closing.early_close_refusal``); the refusal comes back as a banner."""
    project = db.get_or_404(Project, project_id)
    form = ActionForm()
    if attempt(form, lambda: lifecycle.apply(project, "close", current_user)):
        flash(_("项目已结项，最终得分已公布。"), "success")
    else:
        flash_refusal(form)
    return redirect(url_for("review.overview", project_id=project.id, purpose="outcome"))
