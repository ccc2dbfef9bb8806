"""Who may do what to a survey: the ``survey.*`` actions of the policy (see ``permissions``). Each rule
asks the survey's subject; a new kind of subject answers for its own surveys here.

Who may answer is not a rule: an invitation says it (``operations.answer`` explains a refusal).
Results are public for a project; comments are not. A union's yearly survey is the league reviewer's
to set up; its comments are read by the league reviewer and the union's members.
"""

from __future__ import annotations

from ..permissions import (
    Role,
    active_memberships,
    has_role,
    managed_org_ids,
    may_write,
    rule,
    staff_union_ids,
)
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


def _league_on_union_survey(user, survey) -> bool:
    """A union's yearly survey is the league's to run: the union does not set the questions it is
    judged by, nor hide what is said of it."""
    return (
        survey is not None
        and survey.kind == SubjectKind.UNION_YEAR
        and may_write(user)
        and has_role(user, Role.LEAGUE_REVIEWER)
    )


def is_union_member(user, union_id: int) -> bool:
    """Whether ``user`` is a member of the union ``union_id`` today (its staff, for a 院系学生会 too)."""
    return getattr(user, "is_authenticated", False) and any(
        m.org_id == union_id for m in active_memberships(user)
    )


@rule("survey.setup")
def _sets_up(user, survey=None) -> bool:
    """The dimensions, before the survey opens: the posting union's staff; the league for a union's."""
    return _staff_of_posting_union(user, survey) or _league_on_union_survey(user, survey)


@rule("survey.hide_comment")
def _hides(user, survey=None) -> bool:
    """An abusive comment: the posting union's staff hide it, with a reason; the league on a union's."""
    return _staff_of_posting_union(user, survey) or _league_on_union_survey(user, survey)


@rule("survey.read_comments")
def _reads_comments(user, survey=None) -> bool:
    if survey is not None and survey.kind == SubjectKind.UNION_YEAR:
        return has_role(user, Role.LEAGUE_REVIEWER) or is_union_member(user, survey.union_id)
    return (
        survey is not None and survey.kind == SubjectKind.PROJECT and may_read_comments(user, survey.project)
    )
