import pytest

from tests.opendata.helpers import OpenDataWorld


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    """A storage directory of the test's own: the bulk download and its last build start absent."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def world(app, uploads):
    return OpenDataWorld()
