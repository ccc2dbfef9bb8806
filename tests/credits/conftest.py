import pytest

from tests.credits.helpers import CreditWorld


@pytest.fixture
def world(app):
    """A hosting project whose shift of two volunteers was attended and confirmed by the host."""
    return CreditWorld()
