"""The world of the bid tests: a union with staff, two clubs with a manager each, a league reviewer,
and an open project (tests/projects/helpers.py builds them through the real operations)."""

from __future__ import annotations

import pytest

from tests.projects.helpers import World


@pytest.fixture
def world(app):
    return World()


@pytest.fixture
def project(world):
    return world.open_project()
