import pytest

from tests.credits.helpers import CreditWorld
from tests.isolation import shared_world


@pytest.fixture
def world(app):
    """A hosting project whose shift of two volunteers was attended and confirmed by the host."""
    return CreditWorld()


@shared_world(scope="module")
def credit_world(app):
    """The same world, built once for a module whose every test starts from it (see world below)."""
    return CreditWorld()
