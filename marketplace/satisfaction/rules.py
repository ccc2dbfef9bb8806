"""Who may do what with the yearly surveys: the ``satisfaction.*`` actions of the policy.

The union-level means and trend are public (信息公开) and need no rule; the breakdown by college and
grade is for the league reviewer and the union's own members, who use it to improve.
"""

from __future__ import annotations

from ..permissions import Role, has_role, may_write, rule
from ..surveys.rules import is_union_member


@rule("satisfaction.run")
def _runs(user, obj=None) -> bool:
    """Prepare, set up and open a year's surveys: the league reviewer."""
    return may_write(user) and has_role(user, Role.LEAGUE_REVIEWER)


@rule("satisfaction.read_breakdown")
def _reads_breakdown(user, union=None) -> bool:
    """The college × grade breakdown of a union's results: the league reviewer and the union's members."""
    return has_role(user, Role.LEAGUE_REVIEWER) or (union is not None and is_union_member(user, union.id))
