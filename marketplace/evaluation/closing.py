"""提前结项: the posting union's staff may close a project before its evaluation window ends once
nothing is left to come in — the outcome panel has submitted and every invited student has answered
the survey (a project nobody was invited for has the panel alone). At the window's end the clock
closes it whatever came in.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..projects import lifecycle
from ..projects.models import Project
from ..review.outcome import panel_submitted
from ..surveys.results import everyone_answered


def early_close_refusal(project: Project) -> str | None:
    """Why the staff cannot close ``project`` yet, or None when they may."""
    if not panel_submitted(project):
        return _("成效评估小组还没有全部提交评分，评价期结束前不能提前结项。")
    if not everyone_answered(project):
        return _("还有受邀同学没有填写满意度问卷，评价期结束前不能提前结项。")
    return None


def register() -> None:
    """Make the staff's close wait for the evaluation (called by the app factory, once per process)."""
    if early_close_refusal not in lifecycle.close_conditions:
        lifecycle.close_conditions.append(early_close_refusal)
