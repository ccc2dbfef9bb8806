"""Documents people take away: the second-classroom requirement (达标) and its arithmetic, the
transcript as a formal A4 document, issued documents that keep what they said for /verify, the stamp
image, and the list of a cohort's students below the requirement."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from marketplace import settings, storage
from marketplace.accounts.models import DegreeLevel
from marketplace.credits import documents, requirements, transcript
from marketplace.credits import records as credit_records
from marketplace.credits.models import (
    CreditCategory,
    CreditRecord,
    CreditRequirement,
    CreditRequirementItem,
    CreditStatus,
    DocumentIssue,
    DocumentKind,
    RequirementUnit,
    ShortfallExport,
)
from marketplace.credits.operations import credits_for
from marketplace.exports import ExportStatus
from marketplace.extensions import db
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import printed_qr_codes, records_of, unembedded_fonts

CREDITS, HOURS = RequirementUnit.CREDITS, RequirementUnit.HOURS


def _category(code: str) -> CreditCategory:
    return db.session.scalar(select(CreditCategory).where(CreditCategory.code == code))


def _requirement(total="2", total_unit=CREDITS, items=(("volunteer", "8", HOURS),), grade=2024):
    requirement = CreditRequirement(
        grade=grade, degree_level=DegreeLevel.UNDERGRADUATE, total=Decimal(total), total_unit=total_unit
    )
    for code, minimum, unit in items:
        requirement.items.append(
            CreditRequirementItem(category_id=_category(code).id, minimum=Decimal(minimum), unit=unit)
        )
    db.session.add(requirement)
    db.session.commit()
    return requirement


def _record(world, student, *, hours="4", code="volunteer", status=CreditStatus.VERIFIED, project=None, **kw):
    category = _category(code)
    record = CreditRecord(
        user_id=student.id,
        project_id=(project or world.project).id,
        category_id=category.id,
        term_id=world.term.id,
        hours=Decimal(hours),
        credits=credits_for(Decimal(hours), category),
        status=status,
        verified_by_id=world.reviewer.id if status == CreditStatus.VERIFIED else None,
        verifying_office="校团委" if status == CreditStatus.VERIFIED else None,
        rejection_reason="未到场" if status == CreditStatus.REJECTED else None,
        occurred_at=kw.pop("occurred_at", world.shift_.starts_at),
        **kw,
    )
    db.session.add(record)
    db.session.commit()
    return record


def _progress(student):
    return requirements.progress(
        student, transcript.records_of(student), requirements.requirement_for(student)
    )


# -- the requirement's arithmetic ------------------------------------------------------------------------


def test_the_requirement_is_met_by_verified_credits_and_hours_in_total_and_in_each_category(app, world):
    student = factories.user(grade=2024)
    _requirement(
        total="1.5", total_unit=CREDITS, items=[("volunteer", "8", HOURS), ("practice", "0.5", CREDITS)]
    )
    _record(world, student, hours="8", code="volunteer")  # 8 h = 1 credit
    progress = _progress(student)
    total, practice, volunteer = progress.lines  # the total, then the categories in their order
    assert (total.achieved, volunteer.achieved, practice.achieved) == (
        Decimal("1"),
        Decimal("8"),
        Decimal("0"),
    )
    assert volunteer.met and not total.met and not practice.met and not progress.met

    _record(world, student, hours="4", code="practice")  # 0.5 credit
    progress = _progress(student)
    assert [line.met for line in progress.lines] == [True, True, True] and progress.met


def test_pending_credits_are_shown_apart_and_do_not_count(app, world):
    student = factories.user(grade=2024)
    _requirement(total="1", items=[])
    _record(world, student, hours="16", status=CreditStatus.CONFIRMED)
    _record(world, student, hours="16", status=CreditStatus.REJECTED)
    (total,) = _progress(student).lines
    assert total.achieved == 0 and total.pending == Decimal("2") and not total.met


def test_credits_before_the_year_of_entry_do_not_count(app, world):
    student = factories.user(grade=2027)
    _requirement(total="0.5", items=[], grade=2027)
    _record(world, student, hours="8")  # in 2026, before the cohort entered
    assert not _progress(student).met


def test_renaming_a_category_keeps_its_minimum(app, world):
    student = factories.user(grade=2024)
    _requirement(total="0", items=[("volunteer", "4", HOURS)])
    _category("volunteer").name = "志愿服务与公益"
    db.session.commit()
    _record(world, student, hours="4")
    assert [line.label for line in _progress(student).lines] == ["合计", "志愿服务与公益"]
    assert _progress(student).met


def test_an_admin_sets_a_cohorts_requirement_and_a_second_one_for_it_is_refused(app, world):
    admin = signed_in(app, factories.user(kind="faculty", roles=("admin",)))
    volunteer = _category("volunteer")
    form = {
        "grade": "2024",
        "degree_level": "undergraduate",
        "total": "10",
        "total_unit": "credits",
        f"minimum_{volunteer.id}": "32",
        f"unit_{volunteer.id}": "hours",
    }
    assert admin.post("/admin/credit-requirements/new", data=form).status_code == 302
    requirement = db.session.scalar(select(CreditRequirement))
    assert (requirement.total, [(i.category_id, i.minimum, i.unit) for i in requirement.items]) == (
        Decimal("10"),
        [(volunteer.id, Decimal("32"), HOURS)],
    )
    assert "志愿公益 32 学时" in admin.get("/admin/credit-requirements").get_data(as_text=True)

    again = admin.post("/admin/credit-requirements/new", data=form)
    assert again.status_code == 422 and "已经有达标要求了" in again.get_data(as_text=True)


def test_the_transcript_page_shows_progress_and_the_verdict_per_category(app, world):
    student = factories.user(grade=2024)
    _requirement(total="1", items=[("volunteer", "4", HOURS), ("practice", "1", CREDITS)])
    _record(world, student, hours="8")
    _record(world, student, hours="4", status=CreditStatus.CONFIRMED)
    page = signed_in(app, student).get("/transcript").get_data(as_text=True)
    section = page[page.index('data-testid="requirement"') :]
    assert "未达标" in page[page.index("requirement-heading") : page.index('data-testid="requirement"')]
    assert re.search(r"志愿公益\s*</span>\s*<span>\s*8 / 4 学时\s*<span[^>]*>达标", section)
    assert re.search(r"实践实习\s*</span>\s*<span>\s*0 / 1 学分\s*<span[^>]*>未达标", section)
    assert "另有 4 学时待认定" in section


# -- the formal transcript ----------------------------------------------------------------------------


def _long_titled_records(world, student, n: int):
    for i in range(n):
        title = f"第{i + 1}期“青春护航”社区共建与朋辈辅导志愿服务行动暨城市文明实践活动"
        project = world.open_project(title=title)
        _record(
            world,
            student,
            hours="2",
            project=project,
            occurred_at=world.shift_.starts_at + timedelta(hours=i),
        )


def _pdf(app, student):
    return signed_in(app, student).get("/transcript.pdf").data


def test_a_long_transcript_prints_the_header_page_numbers_and_code_on_every_page_and_every_title(app, world):
    student = world.volunteers[0]
    _long_titled_records(world, student, 120)
    data = _pdf(app, student)
    issued = db.session.scalar(select(DocumentIssue).where(DocumentIssue.user_id == student.id))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert all(header in text for header in documents.HEADERS), number
        assert f"{number} / {len(pages)}" in text and issued.code in text
        assert "以扫码核验结果为准" in text
    verify_url = app.config["BASE_URL"].rstrip("/") + f"/verify/{issued.code}"
    assert printed_qr_codes(data) == [[verify_url]] * len(pages)
    assert unembedded_fonts(data) == []
    squeezed = re.sub(r"\s", "", "".join(pages))
    for i in range(120):
        assert f"第{i + 1}期“青春护航”社区共建与朋辈辅导志愿服务行动暨城市文明实践活动" in squeezed


def test_several_records_of_one_activity_are_one_row_with_their_hours_summed(app, world):
    student = world.volunteers[0]
    project = world.open_project(title="图书馆古籍整理志愿服务")
    for day in range(3):
        _record(
            world,
            student,
            hours="2.5",
            project=project,
            occurred_at=world.shift_.starts_at + timedelta(days=day),
        )
    ((_term, rows),) = documents.activities_by_term(transcript.records_of(student))
    (row,) = [r for r in rows if r.project == "图书馆古籍整理志愿服务"]
    assert row.hours == Decimal("7.5") and row.office == "校团委"
    text = re.sub(
        r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(_pdf(app, student))).pages)
    )
    assert text.count("图书馆古籍整理志愿服务") == 1 and "7.5" in text


def test_the_transcript_shows_verified_records_only_with_one_line_for_those_pending(app, world):
    student = world.volunteers[0]
    _record(world, student, project=world.open_project(title="已认定的活动"))
    _record(world, student, project=world.open_project(title="待认定的活动"), status=CreditStatus.CONFIRMED)
    _record(world, student, project=world.open_project(title="未通过的活动"), status=CreditStatus.REJECTED)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(_pdf(app, student))).pages)
    # the world's own shift record is waiting too
    assert "已认定的活动" in text and "待认定的活动" not in text and "未通过的活动" not in text
    assert "另有 2 条记录待认定" in text


def test_the_transcript_prints_the_requirement_and_the_office_but_nothing_personal(app, world):
    student = world.volunteers[0]
    student.phone = "13912345678"
    settings.put("issuing_office", "示范大学团委", None)
    _requirement(total="0.5", items=[("volunteer", "4", HOURS)])
    _record(world, student, hours="4")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(_pdf(app, student))).pages)
    assert "出具单位：示范大学团委" in text and "达标" in text and "未达标" not in text
    assert student.identifier in text and "13912345678" not in text and "政治面貌" not in text


def test_verifying_stores_the_office_and_staff_verify_in_their_unions_name(app, world):
    settings.put("issuing_office", "示范大学团委", None)
    first, second = records_of()
    credit_records.verify(world.reviewer, [first])
    settings.put("credit_verifier_role", "staff", None)
    credit_records.verify(world.staff, [second])
    db.session.commit()
    assert (first.verifying_office, second.verifying_office) == ("示范大学团委", "校学生会")


# -- issued documents keep what they said ------------------------------------------------------------------


def test_verify_shows_the_stored_snapshot_and_says_when_records_changed_since(app, world, client):
    student = world.volunteers[0]
    student.name = "张小三"
    _requirement(total="0.5", items=[])
    record = _record(world, student, hours="4")
    _pdf(app, student)
    issued = db.session.scalar(select(DocumentIssue).where(DocumentIssue.user_id == student.id))
    assert issued.kind == DocumentKind.TRANSCRIPT and issued.snapshot["requirement"]["met"] is True

    record.hours, record.credits = Decimal("2"), Decimal("0.25")
    settings.put("issuing_office", "后来改名的单位", None)
    db.session.commit()
    page = client.get(f"/verify/{issued.code}").get_data(as_text=True)
    assert "张*三" in page and "第二课堂成绩单" in page and "校团委" in page and "后来改名的单位" not in page
    assert re.search(r'data-testid="met">\s*达标', page) and "4.0 学时" in page
    assert 'data-testid="changed"' in page
    assert student.identifier not in page and "张小三" not in page


def test_a_certificate_issue_is_checked_against_its_projects_records_only(app, world, client):
    student = world.volunteers[0]
    record = _record(world, student)
    records = [r for r in transcript.records_of(student) if r.project_id == world.project.id]
    issued = DocumentIssue(
        code=transcript.new_code(),
        kind=DocumentKind.CERTIFICATE,
        user_id=student.id,
        project_id=world.project.id,
        digest=transcript.digest(records),
        totals={},
        snapshot={"masked_name": "张*", "school": "示范大学", "office": "校团委"},
    )
    db.session.add(issued)
    db.session.commit()
    _record(world, student, project=world.open_project(title="别的项目"))  # not on the certificate
    page = client.get(f"/verify/{issued.code}").get_data(as_text=True)
    assert "志愿服务证明" in page and world.project.title in page and 'data-testid="unchanged"' in page

    record.hours = Decimal("1")
    db.session.commit()
    assert 'data-testid="changed"' in client.get(f"/verify/{issued.code}").get_data(as_text=True)


def test_an_unknown_code_speaks_of_documents(client):
    page = client.get("/verify/ABCD-EFGH-JKLM-NPQR")
    assert page.status_code == 404 and "未找到这份文件" in page.get_data(as_text=True)


# -- the stamp ---------------------------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (40, 40), (200, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 0, 0)).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name"), [(_jpeg(), "stamp.jpg"), (b"not an image at all", "stamp.png")], ids=["jpeg", "text"]
)
def test_a_stamp_that_is_not_a_png_by_content_is_refused_in_chinese(app, content, name):
    admin = signed_in(app, factories.user(kind="faculty", roles=("admin",)))
    response = admin.post("/admin/settings/stamp", data={"stamp": (io.BytesIO(content), name)})
    assert response.status_code == 422 and "印章图片须为 PNG 格式" in response.get_data(as_text=True)
    assert not storage.exists(documents.STAMP_KEY)


def test_a_png_stamp_is_kept_as_uploaded_and_printed_only_inside_the_pdf(app, world):
    admin = signed_in(app, factories.user(kind="faculty", roles=("admin",)))
    response = admin.post("/admin/settings/stamp", data={"stamp": (io.BytesIO(_png()), "印章.png")})
    assert response.status_code == 302
    with storage.open_stream(documents.STAMP_KEY) as stream:
        assert stream.read() == _png()
    assert "已上传印章图片" in admin.get("/admin/settings").get_data(as_text=True)
    reader = PdfReader(io.BytesIO(_pdf(app, world.volunteers[0])))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1  # the stamp, once at the end; the QR code is drawn, not a picture


# -- students below the requirement ---------------------------------------------------------------------


def test_the_verifying_role_and_admins_may_export_students_below_the_requirement_but_not_union_staff(
    app, world
):
    admin = factories.user(kind="faculty", roles=("admin",))
    assert signed_in(app, world.reviewer).get("/credits/shortfall").status_code == 200
    assert signed_in(app, admin).get("/credits/shortfall").status_code == 200
    assert signed_in(app, world.staff).get("/credits/shortfall").status_code == 403
    assert signed_in(app, world.volunteers[0]).get("/credits/shortfall").status_code == 403


def test_the_export_lists_the_cohorts_students_below_the_requirement_of_the_college_asked(app, world):
    college, other = factories.college("信息学院"), factories.college("文学院")
    met = factories.user(name="达标同学", grade=2024, college=college)
    short = factories.user(name="未达标同学", grade=2024, college=college)
    elsewhere = factories.user(name="别院同学", grade=2024, college=other)
    _requirement(total="1", items=[("volunteer", "8", HOURS)])
    _record(world, met, hours="8")
    _record(world, short, hours="16", status=CreditStatus.CONFIRMED)
    del elsewhere
    reviewer = signed_in(app, world.reviewer)
    response = reviewer.post(
        "/credits/shortfall",
        data={"grade": "2024", "degree_level": "undergraduate", "college_id": college.id},
    )
    job = db.session.scalar(select(ShortfallExport))
    assert response.status_code == 302 and job.status == ExportStatus.DONE
    download = reviewer.get(f"/credits/shortfall/{job.public_id}/download")
    rows = list(load_workbook(io.BytesIO(download.data)).active.values)
    names = [row[1] for row in rows[1:]]
    assert names == ["未达标同学"] and rows[1][-1] == "合计、志愿公益"


def test_an_export_for_a_cohort_without_a_requirement_is_refused_beside_the_field(app, world):
    response = signed_in(app, world.reviewer).post(
        "/credits/shortfall", data={"grade": "2019", "degree_level": "undergraduate", "college_id": ""}
    )
    assert response.status_code == 422 and "还没有设定达标要求" in response.get_data(as_text=True)


def test_the_students_home_shows_the_requirement_and_the_verdict(app, world):
    student = factories.user(grade=2024)
    _requirement(total="1", items=[("volunteer", "8", HOURS)])
    _record(world, student, hours="8")
    page = signed_in(app, student).get("/").get_data(as_text=True)
    part = page[page.index('data-testid="requirement-progress"') :]
    assert re.search(r"第二课堂达标要求\s*<span[^>]*>达标", part) and "8 / 8 学时" in part
    assert 'data-testid="requirement-progress"' not in signed_in(app, world.reviewer).get("/").get_data(
        as_text=True
    )
