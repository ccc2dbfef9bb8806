"""志愿服务证明: one certificate per (student, project) over its verified records, reused until they
change, refused while none is verified, checked at /verify/<code>."""

from __future__ import annotations

import io
import re
import threading
import zipfile

import pytest
from sqlalchemy import func, select

from marketplace import settings
from marketplace.credits import records as credit_records
from marketplace.credits.documents import CERTIFICATE_NOTE
from marketplace.credits.models import CertificateExport, CreditRecord, DocumentIssue, DocumentKind
from marketplace.exports import ExportStatus
from marketplace.extensions import db
from marketplace.orgs.models import OrgKind
from marketplace.timeutil import SCHOOL_TZ
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import CreditWorld, pdf_text, records_of, unembedded_fonts


def _verify(world, *records):
    credit_records.verify(world.reviewer, list(records))
    db.session.commit()


def _download(app, student, project):
    return signed_in(app, student).get(f"/transcript/projects/{project.id}/certificate.pdf")


def _issues(student) -> list[DocumentIssue]:
    return db.session.scalars(
        select(DocumentIssue)
        .where(DocumentIssue.user_id == student.id, DocumentIssue.kind == DocumentKind.CERTIFICATE)
        .order_by(DocumentIssue.id)
    ).all()


def test_the_certificate_prints_every_field_in_embedded_fonts(app, world):
    student = world.volunteers[0]
    settings.put("issuing_office", "示范大学团委", None)
    student.college = factories.college("外国语学院")
    (record,) = records_of(student)
    record.position.description = "为新生讲解选课系统"
    _verify(world, record)
    response = _download(app, student, world.project)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (issued,) = _issues(student)
    text = re.sub(r"\s", "", pdf_text(response.data))
    day = record.occurred_at.astimezone(SCHOOL_TZ)
    fields = [
        student.name,
        student.identifier,
        "外国语学院",
        world.project.title,
        world.project.host_org.name,
        record.position.title,
        "为新生讲解选课系统",
        world.shift_.place,
        day.strftime("%Y-%m-%d"),
        f"{record.hours}学时",
        record.verifying_office,
        "出具单位：示范大学团委",
        "出具日期",
        issued.code,
        re.sub(r"\s", "", CERTIFICATE_NOTE),
        "第1/1页",
    ]
    assert [f for f in fields if re.sub(r"\s", "", f) not in text] == []
    assert "待认定" not in text
    assert unembedded_fonts(response.data) == []


def test_a_pending_record_leaves_it_out_and_says_so(app, world):
    student = world.volunteers[0]
    (first,) = records_of(student)
    _verify(world, first)
    later = CreditRecord(
        user_id=student.id,
        project_id=world.project.id,
        category_id=first.category_id,
        term_id=first.term_id,
        hours=first.hours * 2,
        credits=first.credits * 2,
        occurred_at=first.occurred_at.replace(day=first.occurred_at.day + 1),
    )
    db.session.add(later)
    db.session.commit()
    text = re.sub(r"\s", "", pdf_text(_download(app, student, world.project).data))
    assert "另有1条记录待认定" in text and f"{first.hours}学时" in text
    assert f"{later.hours}学时" not in text


def test_a_certificate_with_no_verified_record_is_refused_in_chinese(app, world):
    student = world.volunteers[0]
    response = signed_in(app, student).get(
        f"/transcript/projects/{world.project.id}/certificate.pdf", follow_redirects=True
    )
    assert response.status_code == 200 and response.request.path == "/transcript"
    assert "还没有已认定的服务时长，暂时不能出具志愿服务证明" in response.get_data(as_text=True)
    assert _issues(student) == []


def test_an_unknown_project_is_404(app, world):
    assert _download(app, world.volunteers[0], type("P", (), {"id": 987654})).status_code == 404


def test_downloading_twice_reuses_the_code_until_a_record_is_verified(app, world, client):
    student = world.volunteers[0]
    (record,) = records_of(student)
    _verify(world, record)
    _download(app, student, world.project)
    _download(app, student, world.project)
    (first,) = _issues(student)
    assert 'data-testid="unchanged"' in client.get(f"/verify/{first.code}").get_data(as_text=True)

    another = CreditRecord(
        user_id=student.id,
        project_id=world.project.id,
        category_id=record.category_id,
        term_id=record.term_id,
        hours=record.hours,
        credits=record.credits,
        occurred_at=record.occurred_at,
    )
    db.session.add(another)
    db.session.commit()
    _verify(world, another)
    _download(app, student, world.project)
    old, new = _issues(student)
    assert old.code != new.code and new.snapshot["hours"] == str(record.hours * 2)
    assert 'data-testid="changed"' in client.get(f"/verify/{old.code}").get_data(as_text=True)


def test_verify_shows_the_certificate_and_a_tampered_code_is_not_found(app, world, client):
    student = world.volunteers[0]
    student.name = "张小三"
    (record,) = records_of(student)
    _verify(world, record)
    _download(app, student, world.project)
    (issued,) = _issues(student)
    page = client.get(f"/verify/{issued.code}").get_data(as_text=True)
    assert "真实有效" in page and "志愿服务证明" in page and world.project.title in page
    assert "张*三" in page and student.identifier not in page
    assert 'data-testid="unchanged"' in page
    tampered = ("B" if issued.code[0] != "B" else "C") + issued.code[1:]
    response = client.get(f"/verify/{tampered}")
    assert response.status_code == 404 and "未找到这份文件" in response.get_data(as_text=True)


def test_the_transcript_page_links_each_project_with_verified_records(app, world):
    student = world.volunteers[0]
    link = f"/transcript/projects/{world.project.id}/certificate.pdf"
    assert link not in signed_in(app, student).get("/transcript").get_data(as_text=True)
    _verify(world, *records_of(student))
    assert link in signed_in(app, student).get("/transcript").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(DocumentIssue)) == 0


# -- a project's certificates as one ZIP -------------------------------------------------------------


def _export(app, user, project):
    return signed_in(app, user).post(f"/credits/projects/{project.id}/certificates")


def test_the_posting_unions_staff_export_a_zip_of_certificates_named_by_student_number(app, world):
    _verify(world, *records_of())
    staff = signed_in(app, world.staff)
    link = f"/credits/projects/{world.project.id}/certificates"
    assert link in staff.get(f"/projects/{world.project.id}").get_data(as_text=True)
    assert link not in signed_in(app, world.volunteers[0]).get(f"/projects/{world.project.id}").get_data(
        as_text=True
    )
    assert staff.get(link).status_code == 200
    response = staff.post(f"/credits/projects/{world.project.id}/certificates")
    job = db.session.scalar(select(CertificateExport))
    assert response.status_code == 302 and job.status == ExportStatus.DONE and job.total_rows == 2
    assert 'data-testid="download"' in staff.get(f"/credits/certificates/{job.public_id}").get_data(
        as_text=True
    )
    download = staff.get(f"/credits/certificates/{job.public_id}/download")
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    names = sorted(f"{s.identifier}.pdf" for s in world.volunteers)
    assert sorted(archive.namelist()) == names
    student = world.volunteers[0]
    text = pdf_text(archive.read(f"{student.identifier}.pdf"))
    (issued,) = _issues(student)  # the same issue the student downloads
    assert student.name in text and issued.code in text
    _download(app, student, world.project)
    assert len(_issues(student)) == 1


def test_the_verifying_role_may_export_but_students_and_other_unions_staff_may_not(app, world):
    _verify(world, *records_of())
    other_staff = factories.staff_member(factories.org(OrgKind.SCHOOL_UNION, name="研究生会"))
    assert _export(app, world.volunteers[0], world.project).status_code == 403
    assert _export(app, other_staff, world.project).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(CertificateExport)) == 0
    assert _export(app, world.reviewer, world.project).status_code == 302
    (job,) = db.session.scalars(select(CertificateExport)).all()
    for user in (world.volunteers[0], other_staff):
        assert signed_in(app, user).get(f"/credits/certificates/{job.public_id}/download").status_code == 403


def test_a_zip_of_a_project_with_nothing_verified_is_refused_in_chinese(app, world):
    response = _export(app, world.staff, world.project)
    assert response.status_code == 422
    assert "还没有已认定的服务记录" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CertificateExport)) == 0


@pytest.mark.postgres
@pytest.mark.commits
def test_a_student_downloading_a_certificate_from_six_tabs_at_once_gets_one_code(app, clock):
    world = CreditWorld(volunteers=1)
    student = world.volunteers[0]
    credit_records.verify(world.reviewer, records_of())
    db.session.commit()
    clients = [signed_in(app, student) for _ in range(6)]
    url = f"/transcript/projects/{world.project.id}/certificate.pdf"
    barrier = threading.Barrier(len(clients))
    codes: list = []

    def download(client) -> None:
        barrier.wait(timeout=10)
        codes.append(client.get(url).status_code)

    threads = [threading.Thread(target=download, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert codes == [200] * 6
    db.session.expire_all()
    assert len(_issues(student)) == 1
