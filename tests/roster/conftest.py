"""The world of the roster tests: an admin, the colleges and organizations a roster names, and
roster files made on the fly (no binary fixtures)."""

from __future__ import annotations

import pytest

from marketplace.orgs.models import OrgKind
from tests import factories


@pytest.fixture
def school():
    """The names the rosters below use: 计算机学院, 外国语学院, 校学生会 and 摄影社."""
    computing = factories.college("计算机学院")
    return {
        "college": computing,
        "languages": factories.college("外国语学院"),
        "union": factories.org(OrgKind.SCHOOL_UNION, name="校学生会"),
        "club": factories.org(OrgKind.CLUB, name="摄影社"),
    }
