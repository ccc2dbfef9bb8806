"""Who may do what in 评价: the ``evaluation.*`` actions of the policy (see ``permissions``)."""

from __future__ import annotations

from ..permissions import managed_org_ids, may_write, rule


@rule("evaluation.improve")
def _host_manager(user, project=None) -> bool:
    """整改说明: written by the managers of the organization that hosted the project."""
    return (
        project is not None
        and project.host_org_id is not None
        and may_write(user)
        and project.host_org_id in managed_org_ids(user)
    )
