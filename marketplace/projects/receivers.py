"""What a project's step tells people (receivers of ``lifecycle.project_moved``; the app factory
connects them)."""

from __future__ import annotations

from ..notify import operations as notify

_TOLD_TO_CREATOR = {"approve": "project.approved", "return": "project.returned"}


def tell_creator(project, *, action, reason, **_) -> None:
    """The league approved or returned a major project: whoever created it hears, with the reason."""
    kind = _TOLD_TO_CREATOR.get(action)
    if kind is not None and project.created_by is not None:
        notify.send(project.created_by, kind, link=project.url, project=project, reason=reason)
