"""One requirement per cohort and degree level, whatever the requests racing: the unique constraint is
the rule, and the racing admin is told beside the year, never a 500. Real concurrent requests on
PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.credits.models import CreditRequirement
from marketplace.extensions import db
from tests import factories
from tests.bids.helpers import signed_in
from tests.surveys.test_concurrency import race


@pytest.mark.postgres
@pytest.mark.commits
def test_admins_setting_the_same_cohorts_requirement_at_once_set_it_once_and_the_others_are_told(app):
    admin = factories.user(kind="faculty", roles=("admin",))
    form = {"grade": "2025", "degree_level": "master", "total": "6", "total_unit": "credits"}

    outcomes = race([signed_in(app, admin) for _ in range(4)], "/admin/credit-requirements/new", form)

    codes = sorted(code for code, _ in outcomes)
    assert codes == [302] + [422] * 3, [page[:300] for code, page in outcomes if code not in (302, 422)]
    assert all("达标要求" in page for code, page in outcomes if code == 422)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CreditRequirement)) == 1
