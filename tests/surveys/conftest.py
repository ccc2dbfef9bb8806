import pytest

from tests.isolation import in_this_session, shared_world
from tests.surveys.helpers import SurveyWorld


@shared_world(scope="module")
def took_part(app):
    """Built once for a module: a hosted project with three volunteers whose attendance was confirmed
    and three more students who checked in as participants (six to invite); each test starts from it
    and is rolled back."""
    return SurveyWorld(volunteers=3, participants=3)


@pytest.fixture
def world(took_part):
    return in_this_session(took_part)
