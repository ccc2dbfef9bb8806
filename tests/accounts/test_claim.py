"""Becoming a user: claiming a roster row (认领账号), verifying the email, and open registration."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace import settings
from marketplace.accounts.models import User
from marketplace.notify.models import OutboxStatus
from tests import factories
from tests.accounts.pages import invalid_fields
from tests.notify import outbox

NEW_PASSWORD = "chun-tian-2026"


def claim_form(student: User, **changes) -> dict:
    form = {
        "student_no": student.student_no,
        "name": student.name,
        "email": "hanmeimei@stu.example.edu.cn",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    return form | changes


def login_as(client, identifier: str, password: str = NEW_PASSWORD):
    return client.post("/login", data={"identifier": identifier, "password": password})


def test_roster_student_claims_and_may_log_in_only_after_opening_the_emailed_link(client):
    student = factories.user(claimed=False, verified=False, name="韩梅梅")

    response = client.post("/claim", data=claim_form(student))
    assert response.status_code == 200
    assert "hanmeimei@stu.example.edu.cn" in response.get_data(as_text=True)
    [mail] = outbox.messages("account.verify_email", to="hanmeimei@stu.example.edu.cn")
    assert mail.status == OutboxStatus.SENT  # delivered at once: Huey runs immediately in tests

    refused = login_as(client, student.student_no)
    assert refused.status_code == 401
    assert "请先点击验证邮件中的链接" in refused.get_data(as_text=True)

    opened = client.get(outbox.link_in(mail))
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith("/login")

    assert login_as(client, student.student_no).status_code == 302
    assert "你好，韩梅梅" in client.get("/").get_data(as_text=True)


def test_claim_with_a_name_not_on_the_roster_is_refused_beside_the_field_keeping_what_was_typed(client, db):
    student = factories.user(claimed=False, verified=False, name="韩梅梅")

    response = client.post("/claim", data=claim_form(student, name="李梅梅"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "名册中没有与该学号和姓名相符的学生" in page
    assert invalid_fields(page) == {"student_no"}
    assert 'value="李梅梅"' in page
    assert 'value="hanmeimei@stu.example.edu.cn"' in page
    assert db.session.get(User, student.id).is_claimed is False
    assert outbox.messages() == []


def test_claim_accepts_the_name_typed_with_spaces_a_chinese_input_method_adds(client, db):
    student = factories.user(claimed=False, verified=False, name="韩梅梅")

    response = client.post("/claim", data=claim_form(student, name=" 韩\u3000梅梅 "))

    assert response.status_code == 200
    assert db.session.get(User, student.id).is_claimed


def test_an_already_claimed_student_number_cannot_be_claimed_again(client, db):
    student = factories.user(name="韩梅梅")
    old_email = student.email

    response = client.post("/claim", data=claim_form(student))

    assert response.status_code == 422
    assert "该学号已被认领" in response.get_data(as_text=True)
    assert db.session.get(User, student.id).email == old_email
    assert outbox.messages() == []


def test_a_verification_link_that_was_tampered_with_is_refused(client):
    student = factories.user(claimed=False, verified=False)
    client.post("/claim", data=claim_form(student))
    link = outbox.link_in(outbox.messages("account.verify_email")[0])

    response = client.get(link[:-3] + "xyz")

    assert response.status_code == 400
    assert "链接无效" in response.get_data(as_text=True)


def register_form(college_id: int) -> dict:
    return {
        "student_no": "2025990001",
        "name": "王小明",
        "college_id": str(college_id),
        "grade": "2025",
        "email": "Wang.XM@stu.example.edu.cn",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }


def test_open_registration_is_refused_while_the_setting_is_off(client, db):
    college = factories.college()

    response = client.post("/register", data=register_form(college.id))

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/claim")
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_open_registration_creates_an_unverified_account_when_the_setting_is_on(client, db):
    college = factories.college()
    settings.put("open_registration", True, actor=None)
    db.session.commit()

    response = client.post("/register", data=register_form(college.id))

    assert response.status_code == 200
    user = db.session.scalar(select(User).where(User.student_no == "2025990001"))
    assert user.email == "wang.xm@stu.example.edu.cn"
    assert user.email_verified_at is None
    assert outbox.messages("account.verify_email", to=user.email)
