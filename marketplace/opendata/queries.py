"""What the open-data index lists: the published projects with a document, newest first, as plain
rows (no model instances), two statements a page whatever the number of projects."""

from __future__ import annotations

from sqlalchemy import Select, select

from ..projects.models import Project
from .document import published

PER_PAGE = 50


def listed() -> Select:
    return (
        select(Project.id, Project.title, Project.published_at)
        .where(published())
        .order_by(Project.published_at.desc(), Project.id.desc())
    )
