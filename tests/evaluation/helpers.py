"""Closed projects with a final score, in a line."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from marketplace import clock
from marketplace.evaluation import operations as evaluation
from marketplace.evaluation.models import FinalScore
from marketplace.extensions import db
from marketplace.projects.models import Project, ProjectState


def closed(world, org, *, days_ago: float = 0, **project_fields) -> Project:
    """A project of ``world``'s union hosted by ``org``, its evaluation over ``days_ago`` days ago and
    the project closed, with no final score yet. Straight there, as tests/volunteers/helpers.HostingWorld
    goes to hosting: the earlier steps are tested in their areas."""
    project = world.open_project(**project_fields)
    project.state = ProjectState.CLOSED
    project.tiebreak_seed = "0" * 64
    project.host_org_id = org.id
    project.evaluation_ends_at = clock.now() - timedelta(days=days_ago)
    db.session.commit()
    return project


def scored(
    world,
    org,
    panel: str | int | None,
    *,
    days_ago: float = 0,
    means: dict | None = None,
    responses: int = 0,
    **project_fields,
) -> FinalScore:
    """A closed project hosted by ``org`` whose panel gave ``panel`` (exact, e.g. "59.99"), recorded."""
    project = closed(world, org, days_ago=days_ago, **project_fields)
    row = evaluation.record_final_score(
        project,
        panel=None if panel is None else Fraction(panel),
        dimension_means=means,
        responses=responses,
    )
    db.session.commit()
    return row
