import pytest

from tests.projects.helpers import World


@pytest.fixture
def world(app):
    return World()
