"""The world of the administration tests: an admin, and one of everything the pages show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from marketplace import exports, storage
from marketplace.accounts.models import DegreeLevel
from marketplace.admin.models import AuditExport
from marketplace.credits.models import CreditCategory, CreditRequirement, RequirementUnit
from marketplace.extensions import db
from marketplace.orgs.models import MemberRole, OrgKind
from marketplace.school.models import AcademicYear, Term
from tests import factories


@pytest.fixture
def academic_year():
    year = AcademicYear(name="2025-2026学年", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31))
    year.terms.append(Term(name="第一学期", starts_on=date(2025, 9, 1), ends_on=date(2026, 1, 18)))
    db.session.add(year)
    db.session.commit()
    return year


@pytest.fixture
def world(academic_year, admin):
    """One row of each kind an admin URL can name, by the URL parameter that names it (the audit
    export: the admin's own, done)."""
    college = factories.college("计算机学院")
    club = factories.org(OrgKind.CLUB, name="摄影社")
    member = factories.user(name="王芳", college=college)
    membership = factories.membership(member, club, MemberRole.MEMBER)
    category = db.session.scalars(db.select(CreditCategory)).first()
    assert category is not None and category.hours_per_credit == Decimal("8")
    job = AuditExport(
        filters={}, requested_by_id=admin.id, status=exports.ExportStatus.DONE, stored_name="a" * 32
    )
    storage.save(exports.key(job.stored_name), "时间\n".encode("utf-8-sig"))
    requirement = CreditRequirement(
        grade=2024,
        degree_level=DegreeLevel.UNDERGRADUATE,
        total=Decimal("10"),
        total_unit=RequirementUnit.CREDITS,
    )
    db.session.add_all([job, requirement])
    db.session.commit()
    return {
        "user_id": member.id,
        "org_id": club.id,
        "membership_id": membership.id,
        "college_id": college.id,
        "year_id": academic_year.id,
        "term_id": academic_year.terms[0].id,
        "category_id": category.id,
        "requirement_id": requirement.id,
        "public_id": job.public_id,
    }
