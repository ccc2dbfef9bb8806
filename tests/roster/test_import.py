"""名册导入 through the web: a file is checked in full, previewed, then written all at once — or,
with a single bad row, not at all."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from marketplace.accounts.models import AccountKind, AccountStatus, DegreeLevel, PoliticalStatus, User
from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.orgs.models import MemberRole, Membership
from marketplace.roster.models import ImportJob, ImportStatus
from tests import factories
from tests.downloads import Disposition, disposition
from tests.roster.roster_files import confirm, csv_bytes, faculty, job_from, student, upload, xlsx
from tests.spreadsheets import assert_finished


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _user(number: str) -> User:
    return db.session.scalar(select(User).where((User.student_no == number) | (User.staff_no == number)))


def test_a_valid_workbook_imports_users_and_memberships_after_confirmation(as_admin, admin, school):
    rows = [
        student(
            "2024010001",
            "张三",
            政治面貌="共青团员",
            组织="校学生会",
            组织角色="成员",
            职务="干事",
            开始日期="2025-09-01",
        ),
        student(
            "2024010001",
            "张三",
            政治面貌="共青团员",
            组织="摄影社",
            组织角色="负责人",
            开始日期="2025-09-01",
            结束日期="2026-06-30",
        ),
        student("2024020002", "李四", 学院="外国语学院", 年级="2025"),
        faculty("T0001", "王老师", 学院="计算机学院", 邮箱="wang@example.edu.cn"),
    ]
    job = job_from(upload(as_admin, xlsx(rows)))

    assert job.status == ImportStatus.READY
    assert job.summary["users_created"] == 3 and job.summary["memberships_created"] == 2
    assert [line["row"] for line in job.preview] == [2, 3, 4, 5]
    assert _count(User) == 1, "nothing is written before the admin confirms"
    page = as_admin.get(f"/admin/imports/{job.public_id}").get_data(as_text=True)
    assert "确认导入" in page and "data-confirm" in page and "张三" in page

    job = confirm(as_admin, job)

    assert job.status == ImportStatus.DONE and job.percent == 100
    zhang = _user("2024010001")
    assert zhang.kind == AccountKind.STUDENT and zhang.college.name == "计算机学院" and zhang.grade == 2024
    assert zhang.political_status == PoliticalStatus.LEAGUE_MEMBER and zhang.status == AccountStatus.ACTIVE
    assert not zhang.is_claimed and zhang.claimed_at is None, "students claim imported accounts themselves"
    roles = {(m.org.name, m.role, m.title, m.starts_on, m.ends_on) for m in zhang.memberships}
    assert roles == {
        ("校学生会", MemberRole.MEMBER, "干事", date(2025, 9, 1), None),
        ("摄影社", MemberRole.MANAGER, "", date(2025, 9, 1), date(2026, 6, 30)),
    }
    wang = _user("T0001")
    assert wang.kind == AccountKind.FACULTY and wang.grade is None and wang.email == "wang@example.edu.cn"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.import"))
    assert entry.actor_id == admin.id and entry.subject_id == job.public_id
    assert entry.after["users_created"] == 3 and entry.after["memberships_created"] == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1, "one entry, not one per row"
    note = db.session.scalar(select(Notification).where(Notification.user_id == admin.id))
    assert note.kind == "roster.import_done" and "新建 3 个账号" in note.body


def test_a_gbk_csv_saved_by_excel_imports_too(as_admin, school):
    rows = [
        student("2024010001", "张三", 组织="摄影社", 开始日期="2025/9/1"),
        student("2024010002", "欧阳娜娜", 政治面貌="群众", 状态="已毕业"),
    ]
    job = job_from(upload(as_admin, csv_bytes(rows, "gb18030"), "名册.csv"))
    assert job.status == ImportStatus.READY, job.errors

    assert confirm(as_admin, job).status == ImportStatus.DONE
    assert _user("2024010002").name == "欧阳娜娜" and _user("2024010002").status == AccountStatus.GRADUATED
    assert [m.starts_on for m in _user("2024010001").memberships] == [date(2025, 9, 1)]


def test_a_utf8_csv_with_a_byte_order_mark_is_read_too(as_admin, school):
    job = job_from(upload(as_admin, csv_bytes([student("2024010001", "张三")]), "roster.csv"))
    assert job.status == ImportStatus.READY, job.errors


def test_one_bad_row_writes_nothing_and_says_which_row_column_and_why(as_admin, school):
    rows = [
        student("2024010001", "张三"),
        student("2024010002", "李四", 手机="12345"),
        student("2024010003", "王五"),
    ]
    job = job_from(upload(as_admin, xlsx(rows)))

    assert job.status == ImportStatus.INVALID
    assert job.errors == [{"row": 3, "column": "手机", "message": "手机号应为以 1 开头的 11 位数字。"}]
    page = as_admin.get(f"/admin/imports/{job.public_id}").get_data(as_text=True)
    assert "没有写入任何数据" in page and "手机号应为以 1 开头的 11 位数字。" in page
    assert 'data-label="行">3</td>' in page

    refused = as_admin.post(f"/admin/imports/{job.public_id}/confirm", follow_redirects=True)
    assert "还没有通过检查" in refused.get_data(as_text=True)
    assert _count(User) == 1 and _count(Membership) == 0


def test_every_rule_has_its_chinese_message(as_admin, school):
    rows = [
        student("2024010001", "张三", 学院="法学院"),
        student("2024-01", "李四"),
        student("2024010003", "王五", 年级="1999"),
        student("2024010004", "赵六", 邮箱="not-an-email"),
        student("2024010005", "钱七", 组织="围棋社", 开始日期="2025-09-01"),
        student("2024010006", "孙八", 组织="摄影社", 开始日期="2025-09-31"),
        student("2024010007", "周九", 组织="摄影社", 开始日期="2025-09-01", 结束日期="2025-08-01"),
        student("2024010008", "吴十", 类型="研究生"),
        student("2024010009", "郑一", 职务="干事"),
        faculty("T0001", "王老师", 年级="2024"),
        student("2024010011", "冯二", 政治面貌="无党派"),
        student("2024010012", "陈三", 学历层次="专科"),
        faculty("T0002", "李老师", 学历层次="博士"),
    ]
    job = job_from(upload(as_admin, xlsx(rows)))

    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "先在系统管理中添加该学院" in messages[(2, "学院")]
    assert messages[(3, "学号/工号")] == "学号/工号只能由字母和数字组成，最长 32 位。"
    assert messages[(4, "年级")] == "年级应为 2000 到 2100 之间的入学年份，如 2024。"
    assert messages[(5, "邮箱")] == "邮箱格式不正确。"
    assert "没有名为“围棋社”的组织" in messages[(6, "组织")]
    assert messages[(7, "开始日期")] == "没有这一天，请检查日期。"
    assert messages[(8, "结束日期")] == "结束日期不能早于开始日期。"
    assert messages[(9, "类型")] == "类型只能填写“学生”或“教职工”。"
    assert messages[(10, "组织")] == "填写了“职务”，但没有填写组织。"
    assert messages[(11, "年级")] == "教职工无需填写年级，请留空。"
    assert messages[(12, "政治面貌")].startswith("政治面貌只能填写：中共党员、")
    assert messages[(13, "学历层次")].startswith("学历层次只能填写“本科”“硕士”或“博士”")
    assert messages[(14, "学历层次")] == "教职工无需填写学历层次，请留空。"
    assert _count(User) == 1


def test_the_same_email_twice_in_the_file_is_caught(as_admin, school):
    rows = [
        student("2024010001", "张三", 邮箱="same@example.edu.cn"),
        student("2024010002", "李四", 邮箱="SAME@example.edu.cn"),
    ]
    job = job_from(upload(as_admin, xlsx(rows)))

    assert job.status == ImportStatus.INVALID
    assert job.errors == [{"row": 3, "column": "邮箱", "message": "该邮箱与第 2 行另一个人的邮箱重复。"}]


def test_an_email_of_another_account_is_caught(as_admin, school):
    factories.user(number="2023000001", email="taken@example.edu.cn")
    job = job_from(upload(as_admin, xlsx([student("2024010001", "张三", 邮箱="taken@example.edu.cn")])))

    assert job.errors == [{"row": 2, "column": "邮箱", "message": "该邮箱已被另一个账号（2023000001）使用。"}]


def test_identical_rows_and_disagreeing_rows_of_one_person_are_caught(as_admin, school):
    rows = [student("2024010001", "张三"), student("2024010001", "张三"), student("2024010001", "张叁")]
    job = job_from(upload(as_admin, xlsx(rows)))

    assert job.errors == [
        {"row": 3, "column": "", "message": "与第 2 行完全相同，请删除重复的行。"},
        {
            "row": 4,
            "column": "姓名",
            "message": "与第 2 行同一人的“姓名”不一致，同一人各行的个人信息应当相同。",
        },
    ]


def test_a_header_not_from_the_template_is_refused_before_any_row(as_admin, school):
    data = xlsx([{"学号": "2024010001"}], header=["类型", "学号", "姓名"])
    job = job_from(upload(as_admin, data))

    assert job.errors == [
        {"row": 1, "column": "学号", "message": "无法识别“学号”列，请使用导入模板中的列名。"},
        {"row": 1, "column": "学号/工号", "message": "缺少“学号/工号”列，请使用导入模板。"},
    ]


def test_an_existing_user_is_updated_not_duplicated_and_keeps_password_and_email(as_admin, school):
    old = factories.user(
        number="2024010001",
        name="张三",
        email="own@example.edu.cn",
        phone="13900000000",
        college=school["languages"],
        grade=2023,
    )
    password_hash, claimed_at = old.password_hash, old.claimed_at
    unclaimed = factories.user(
        number="2024010002",
        name="李四",
        claimed=False,
        email="old@example.edu.cn",
        college=school["college"],
        status=AccountStatus.GRADUATED,
    )
    rows = [
        student("2024010001", "张三丰", 手机="13811112222", 邮箱="roster@example.edu.cn", 政治面貌=""),
        student("2024010002", "李四", 手机="", 邮箱="new@example.edu.cn"),
    ]
    job = job_from(upload(as_admin, xlsx(rows)))
    assert job.summary["users_updated"] == 2 and job.summary["users_created"] == 0

    confirm(as_admin, job)

    assert db.session.scalar(select(func.count()).where(User.student_no == "2024010001")) == 1
    user = db.session.get(User, old.id)
    assert (user.name, user.phone, user.college.name, user.grade) == (
        "张三丰",
        "13811112222",
        "计算机学院",
        2024,
    )
    assert user.password_hash == password_hash and user.claimed_at == claimed_at
    assert user.email == "own@example.edu.cn", "a claimed account keeps the email its owner verified"
    other = db.session.get(User, unclaimed.id)
    assert other.email == "new@example.edu.cn" and other.email_verified_at is None
    assert other.status == AccountStatus.GRADUATED and other.phone == unclaimed.phone, "blank cells keep"


def test_the_degree_level_column_sets_new_students_keeps_blanks_and_reads_common_spellings(as_admin, school):
    master = factories.user(number="2024510001", degree_level=DegreeLevel.MASTER)
    rows = [
        student("2024010001", "张三"),
        student("2024510002", "李四", 学历层次="硕士研究生"),
        student("2024510003", "王五", 学历层次="博士"),
        student(master.student_no, master.name),
        faculty("T0001", "王老师"),
    ]
    confirm(as_admin, job_from(upload(as_admin, xlsx(rows))))

    levels = dict(
        db.session.execute(select(User.student_no, User.degree_level).where(User.kind == "student")).all()
    )
    assert levels == {
        "2024010001": DegreeLevel.UNDERGRADUATE,
        "2024510002": DegreeLevel.MASTER,
        "2024510003": DegreeLevel.DOCTORAL,
        master.student_no: DegreeLevel.MASTER,
    }
    teacher = db.session.scalar(select(User).where(User.staff_no == "T0001"))
    assert teacher.degree_level is None


def test_an_unchanged_roster_imported_again_changes_nothing(as_admin, school):
    rows = [student("2024010001", "张三", 组织="摄影社", 开始日期="2025-09-01")]
    confirm(as_admin, job_from(upload(as_admin, xlsx(rows))))

    again = job_from(upload(as_admin, xlsx(rows)))

    summary = again.summary
    assert (summary["users_unchanged"], summary["users_created"], summary["users_updated"]) == (1, 0, 0)
    assert (summary["memberships_unchanged"], summary["memberships_created"]) == (1, 0)


def test_a_membership_with_the_same_start_is_updated_and_an_overlapping_one_is_refused(as_admin, school):
    person = factories.user(
        number="2024010001",
        name="张三",
        college=school["college"],
        email="s2024010001@example.edu.cn",
        phone="13800000001",
    )
    factories.membership(person, school["club"], starts_on=date(2025, 9, 1), title="干事")
    updating = student("2024010001", "张三", 组织="摄影社", 组织角色="负责人", 开始日期="2025-09-01")
    overlapping = dict(updating, 开始日期="2026-01-01")

    refused = job_from(upload(as_admin, xlsx([overlapping])))
    (problem,) = refused.errors
    assert (problem["row"], problem["column"]) == (2, "开始日期")
    assert problem["message"].startswith("与此人在该组织已有的任职（2025-09-01 起）重叠。")

    confirm(as_admin, job_from(upload(as_admin, xlsx([updating]))))
    (membership,) = db.session.get(User, person.id).memberships
    assert (membership.role, membership.title) == (MemberRole.MANAGER, "干事"), (
        "a blank title keeps the old one"
    )


def test_the_check_is_done_again_when_the_import_starts(as_admin, school):
    job = job_from(upload(as_admin, xlsx([student("2024010001", "张三", 邮箱="zhang@example.edu.cn")])))
    assert job.status == ImportStatus.READY
    factories.user(number="2023000001", email="zhang@example.edu.cn")  # meanwhile, someone took it

    job = confirm(as_admin, job)

    assert job.status == ImportStatus.INVALID and job.summary["rechecked"] is True
    assert job.errors[0]["column"] == "邮箱"
    assert _user("2024010001") is None


def test_an_error_while_writing_leaves_nothing_written(as_admin, school, monkeypatch):
    from marketplace.roster import operations

    rows = [student(f"20240100{n:02d}", f"学生{n}", 组织="摄影社", 开始日期="2025-09-01") for n in range(10)]
    job = job_from(upload(as_admin, xlsx(rows)))

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(operations, "_write_memberships", broken)
    job = confirm(as_admin, job)

    assert job.status == ImportStatus.FAILED and "没有写入任何数据" in job.summary["message"]
    assert _count(User) == 1 and _count(Membership) == 0, "the accounts written before the error are gone too"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_confirmed_import_cannot_be_confirmed_again(as_admin, school):
    job = confirm(as_admin, job_from(upload(as_admin, xlsx([student("2024010001", "张三")]))))

    again = as_admin.post(f"/admin/imports/{job.public_id}/confirm", follow_redirects=True)

    assert "已经确认导入" in again.get_data(as_text=True)
    assert _count(User) == 2


def test_a_file_that_is_not_a_workbook_is_refused_with_a_chinese_message(as_admin, school):
    response = upload(as_admin, b"ID,Name\n1,Zhang\n", "名册.xlsx")

    assert response.status_code == 422
    assert "文件内容不是 Excel 工作簿（.xlsx）" in response.get_data(as_text=True)
    assert _count(ImportJob) == 0


def test_other_kinds_of_file_are_refused(as_admin, school):
    assert "只支持 .xlsx 和 .csv 文件。" in upload(as_admin, b"data", "名册.xls").get_data(as_text=True)
    binary = upload(as_admin, xlsx([student("2024010001", "张三")]), "名册.csv")
    assert binary.status_code == 422 and "不是可读的 CSV 文本文件" in binary.get_data(as_text=True)


def test_the_template_has_the_header_and_an_example_row_that_passes_the_check(as_admin, school):
    response = as_admin.get("/admin/imports/template.xlsx")
    assert response.status_code == 200
    assert disposition(response) == Disposition("attachment", "roster-template.xlsx", "名册导入模板.xlsx")

    assert_finished(load_workbook(io.BytesIO(response.data)).active, text=("学号/工号", "手机"))
    job = job_from(upload(as_admin, response.data, "模板.xlsx"))

    assert job.status == ImportStatus.READY, job.errors
    assert job.preview[0]["cells"][:3] == ["学生", "2024010001", "张三"]


def test_the_status_shows_progress_for_the_page_to_poll(as_admin, school):
    job = job_from(upload(as_admin, xlsx([student("2024010001", "张三")])))

    assert as_admin.get(f"/admin/imports/{job.public_id}/status").get_json() == {
        "percent": 100,
        "status": "ready",
        "finished": True,
    }


def test_the_list_of_imports_does_not_query_per_import(as_admin, admin, count_queries):
    def make(n):
        for i in range(n):
            db.session.add(ImportJob(filename=f"{i}.xlsx", stored_path="-", created_by_id=admin.id))
        db.session.commit()

    make(2)
    few = count_queries(lambda: as_admin.get("/admin/imports/"))
    make(15)
    many = count_queries(lambda: as_admin.get("/admin/imports/"))

    assert many == few


def test_unknown_imports_are_404(as_admin):
    assert as_admin.get("/admin/imports/nope").status_code == 404
    assert as_admin.post("/admin/imports/nope/confirm").status_code == 404


def test_a_job_in_progress_shows_a_progress_bar_that_the_page_polls(as_admin, admin):
    job = ImportJob(
        filename="名册.xlsx",
        stored_path="-",
        created_by_id=admin.id,
        status=ImportStatus.CHECKING,
        total_rows=200,
        processed_rows=50,
    )
    db.session.add(job)
    db.session.commit()

    page = as_admin.get(f"/admin/imports/{job.public_id}").get_data(as_text=True)

    assert f'data-poll="/admin/imports/{job.public_id}/status"' in page
    assert "data-progress-bar>25%<" in page and "正在逐行检查" in page


def test_a_roster_kept_in_the_object_store_is_checked_and_imported_from_there(as_admin, school, s3_bucket):
    job = job_from(upload(as_admin, csv_bytes([student("2024010001", "张三")]), "roster.csv"))
    assert job.stored_path == f"imports/{job.public_id}.csv"
    assert s3_bucket.keys() == {f"files/{job.stored_path}"}
    assert job.status == ImportStatus.READY, job.errors
    assert confirm(as_admin, job).status == ImportStatus.DONE
    assert _user("2024010001").name == "张三"
