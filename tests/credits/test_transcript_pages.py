"""The student's transcript through its pages: by term and category with totals of verified records
only, reasons for rejections, PDF and Excel made on the spot, a record's history, and graduates."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from marketplace import clock
from marketplace.accounts.models import AccountStatus
from marketplace.credits import records as credit_records
from marketplace.credits.models import CreditStatus, DocumentIssue
from marketplace.extensions import db
from marketplace.volunteers import positions
from marketplace.volunteers.models import Training
from tests.bids.helpers import signed_in
from tests.credits.helpers import add_records, pdf_text, records_of, unembedded_fonts
from tests.downloads import disposition
from tests.spreadsheets import assert_finished


def _student_with_three_kinds(world):
    """The first volunteer: the shift's record verified, one more verified, one waiting, one rejected."""
    student = world.volunteers[0]
    student.name = "张小三"
    db.session.commit()
    extra = add_records(world, 3, user=student, hours="4")
    credit_records.verify(world.reviewer, [records_of(student)[0], extra[0]])
    credit_records.reject(world.reviewer, extra[2], {"reason": "活动当天未签到，现场照片中也没有本人"})
    db.session.commit()
    return student, extra


def test_the_transcript_shows_records_by_term_and_category_with_totals_of_verified_records(app, world):
    student, extra = _student_with_three_kinds(world)
    page = signed_in(app, student).get("/transcript").get_data(as_text=True)

    assert "2025-2026学年 第二学期" in page
    # The shift's 3.5 h were verified in 志愿公益 (the default); 4 h verified in 思想成长 (the first).
    assert page.count('data-testid="group"') == 3
    assert "志愿公益" in page and "思想成长" in page and "实践实习" in page
    totals = page.split('data-testid="totals"')[1].split("</ul>")[0]
    assert "3.5 学时 · 0.44 学分" in totals and "4.0 学时 · 0.50 学分" in totals
    assert "实践实习" not in totals and "7.5" not in totals  # waiting and rejected count for nothing
    assert "待审核" in page


def test_a_rejected_record_shows_its_reason_to_the_student(app, world):
    student, _extra = _student_with_three_kinds(world)
    page = signed_in(app, student).get("/transcript").get_data(as_text=True)
    assert "未通过" in page and "活动当天未签到，现场照片中也没有本人" in page


def test_the_transcript_lists_completed_trainings_and_the_volunteer_record(app, world):
    student = world.volunteers[0]
    training = positions.save_training(
        world.host, world.project, Training(), {"title": "急救培训", "held_at": world.shift_.starts_at}
    )
    positions.record_training_attendance(world.host, training, {"students": [student]})
    db.session.commit()
    page = signed_in(app, student).get("/transcript").get_data(as_text=True)
    assert "急救培训" in page
    assert "有学时记录的班次：1 次" in page and "缺勤：0 次" in page


def test_the_pdf_download_holds_the_chinese_name_and_the_code_and_embeds_every_font(app, world):
    student, _extra = _student_with_three_kinds(world)
    response = signed_in(app, student).get("/transcript.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    issued = db.session.scalar(select(DocumentIssue).where(DocumentIssue.user_id == student.id))
    text = pdf_text(response.data)
    assert "张小三" in text and issued.code in text
    assert unembedded_fonts(response.data) == []


def test_the_excel_download_has_a_row_per_record(app, world):
    student, extra = _student_with_three_kinds(world)
    response = signed_in(app, student).get("/transcript.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert_finished(sheet, header_row=4, dates=("日期",))
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    issued = db.session.scalar(select(DocumentIssue).where(DocumentIssue.user_id == student.id))
    assert issued.code in rows[1]
    titles = [row[2] for row in rows[4:]]
    assert sorted(titles) == sorted([world.project.title] + [r.project.title for r in extra])


def test_both_downloads_say_what_they_are_in_ascii_beside_the_chinese_name(app, world):
    student, _extra = _student_with_three_kinds(world)
    client = signed_in(app, student)
    today = clock.today_local().isoformat()

    for kind in ("pdf", "xlsx"):
        names = disposition(client.get(f"/transcript.{kind}"))
        assert names.kind == "attachment"
        assert names.fallback == f"transcript-{student.student_no}-{today}.{kind}"
        assert names.name == f"第二课堂成绩单-张小三-{today}.{kind}"


def test_each_download_issues_a_fresh_code_and_the_page_shows_the_last_one(app, world):
    student = world.volunteers[0]
    client = signed_in(app, student)
    client.get("/transcript.pdf")
    client.get("/transcript.xlsx")

    codes = db.session.scalars(
        select(DocumentIssue.code).where(DocumentIssue.user_id == student.id).order_by(DocumentIssue.id)
    ).all()
    assert len(set(codes)) == 2
    page = client.get("/transcript").get_data(as_text=True)
    assert f"/verify/{codes[-1]}" in page


def test_a_graduate_can_still_see_and_download_the_transcript_but_not_appeal(app, world):
    student = world.volunteers[0]
    student.status = AccountStatus.GRADUATED
    db.session.commit()
    client = signed_in(app, student)

    assert client.get("/transcript").status_code == 200
    assert client.get("/transcript.pdf").status_code == 200
    assert client.get("/transcript.xlsx").status_code == 200
    assert client.get(f"/transcript/shifts/{world.shift_.id}/appeal").status_code == 403
    assert (
        client.post(f"/transcript/shifts/{world.shift_.id}/appeal", data={"reason": "x"}).status_code == 403
    )


def test_a_records_history_shows_every_change_who_made_it_and_why(app, world):
    student = world.volunteers[0]
    record = records_of(student)[0]
    credit_records.verify(world.reviewer, [record])
    credit_records.correct(world.staff, record, Decimal("4"), "核实现场签到表，按 4 学时更正")
    db.session.commit()

    page = signed_in(app, student).get(f"/transcript/records/{record.public_id}").get_data(as_text=True)

    assert page.count('data-testid="history-entry"') == 3
    for words in ("承办方确认考勤", world.host.name, "认定", world.reviewer.name, "更正", world.staff.name):
        assert words in page
    assert "核实现场签到表，按 4 学时更正" in page
    assert "3.5" in page and "已认定" in page and "待审核" in page


def test_another_students_record_history_is_not_found(app, world):
    record = records_of(world.volunteers[0])[0]
    other = signed_in(app, world.volunteers[1])
    assert other.get(f"/transcript/records/{record.public_id}").status_code == 404
    assert other.get("/transcript/records/no-such-record").status_code == 404


def test_the_transcript_page_needs_a_login(client):
    response = client.get("/transcript")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_transcript_page_queries_do_not_grow_with_the_records(app, world, count_queries):
    few, many = world.volunteers
    for student, n in ((few, 3), (many, 30)):
        add_records(world, n, user=student, status=CreditStatus.VERIFIED)
    few_client, many_client = signed_in(app, few), signed_in(app, many)
    few_client.get("/transcript")  # the welcome message after signing in; not counted
    many_client.get("/transcript")

    assert count_queries(lambda: few_client.get("/transcript")) == count_queries(
        lambda: many_client.get("/transcript")
    )
    assert many_client.get("/transcript").get_data(as_text=True).count('data-testid="record"') == 31


def test_students_find_their_transcript_and_the_verifier_the_queue_on_the_home_page(app, world):
    student_home = signed_in(app, world.volunteers[0]).get("/").get_data(as_text=True)
    reviewer_home = signed_in(app, world.reviewer).get("/").get_data(as_text=True)
    assert "我的成绩单" in student_home and "/transcript" in student_home
    assert "学分审核" not in student_home
    assert "学分审核" in reviewer_home and "/credits/verify" in reviewer_home
