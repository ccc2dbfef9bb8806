"""Who may do what to a survey: the ``survey.*`` actions of the policy (see ``permissions``). Each rule
asks the survey's subject; a new kind of subject answers for its own surveys here.

Who may answer is not a rule: an invitation says it (``operations.answer`` explains a refusal).
Results are public for a project; comments are not.
"""

from __future__ import annotations

from ..permissions import managed_org_ids, may_write, rule, staff_union_ids
from ..projects.models import CriterionPurpose
from ..review.operations import is_seated
from .models import SubjectKind


def may_read_comments(user, project) -> bool:
    """Who reads a project survey's comments: the posting union's staff, the host's managers and the
    members of the project's outcome panel (成效评估小组), who judge the service they describe."""
    return (
        project.union_id in staff_union_ids(user)
        or (project.host_org_id is not None and project.host_org_id in managed_org_ids(user))
        or is_seated(user, project, CriterionPurpose.OUTCOME)
    )


def _staff_of_posting_union(user, survey) -> bool:
    return (
        survey is not None
        and survey.kind == SubjectKind.PROJECT
        and may_write(user)
        and survey.project.union_id in staff_union_ids(user)
    )


@rule("survey.setup")
def _sets_up(user, survey=None) -> bool:
    """The dimensions, before the survey opens: the posting union's staff."""
    return _staff_of_posting_union(user, survey)


@rule("survey.hide_comment")
def _hides(user, survey=None) -> bool:
    """An abusive comment: the posting union's staff hide it, with a reason."""
    return _staff_of_posting_union(user, survey)


@rule("survey.read_comments")
def _reads_comments(user, survey=None) -> bool:
    return (
        survey is not None and survey.kind == SubjectKind.PROJECT and may_read_comments(user, survey.project)
    )
