"""Claiming a roster row cannot be used to find out who is on the roster: an unknown 学号 and a wrong
name get the same answer, and failed claims are limited per 学号 and per address (only failures count,
like the login limits)."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.extensions import limiter
from tests import factories
from tests.accounts.test_claim import claim_form
from tests.accounts.test_passwords import without_csrf_tokens


def test_an_unknown_student_number_and_a_wrong_name_get_the_same_answer(client):
    student = factories.user(claimed=False, verified=False, name="韩梅梅")
    wrong_name = client.post("/claim", data=claim_form(student, name="李梅梅"))
    unknown = client.post("/claim", data=claim_form(student, student_no="2099000999", name="李梅梅"))

    assert wrong_name.status_code == unknown.status_code == 422
    # The pages differ only in what was typed (and in the timestamped CSRF tokens of their forms).
    typed_elsewhere = without_csrf_tokens(unknown).replace("2099000999", student.student_no)
    assert without_csrf_tokens(wrong_name) == typed_elsewhere


def test_a_claimed_student_number_with_a_wrong_name_gets_the_same_answer_too(client):
    claimed = factories.user(name="韩梅梅")
    unclaimed = factories.user(claimed=False, verified=False, name="李雷")

    on_claimed = client.post("/claim", data=claim_form(claimed, name="王五"))
    on_unclaimed = client.post("/claim", data=claim_form(unclaimed, name="王五"))

    assert on_claimed.status_code == on_unclaimed.status_code == 422
    assert without_csrf_tokens(on_claimed) == without_csrf_tokens(on_unclaimed).replace(
        unclaimed.student_no, claimed.student_no
    )


def test_the_sixth_failed_claim_of_one_student_number_within_an_hour_is_refused_with_429(client, db):
    student = factories.user(claimed=False, verified=False, name="韩梅梅")
    for guess in ["李梅梅", "王梅梅", "赵梅梅", "钱梅梅", "孙梅梅"]:
        assert client.post("/claim", data=claim_form(student, name=guess)).status_code == 422

    response = client.post("/claim", data=claim_form(student))  # even the right name now waits

    assert response.status_code == 429
    assert "尝试次数太多了，请稍等一会儿再试" in response.get_data(as_text=True)
    assert db.session.get(User, student.id).is_claimed is False


def test_the_limit_of_one_student_number_does_not_stop_another(client):
    victim, classmate = (
        factories.user(claimed=False, verified=False),
        factories.user(claimed=False, verified=False),
    )
    for _ in range(6):
        client.post("/claim", data=claim_form(victim, name="猜的名字"))

    assert (
        client.post("/claim", data=claim_form(classmate, email="classmate@stu.example.edu.cn")).status_code
        == 200
    )


def test_refusals_that_are_not_a_roster_mismatch_do_not_count(client):
    student = factories.user(claimed=False, verified=False)
    for _ in range(6):
        weak = client.post("/claim", data=claim_form(student, password="123", confirm="123"))
        assert weak.status_code == 422

    assert client.post("/claim", data=claim_form(student)).status_code == 200


def test_the_per_address_limit_counts_failed_claims_across_student_numbers(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CLAIM_LIMIT_PER_IP", "3 per hour")
    limiter.reset()
    students = [factories.user(claimed=False, verified=False) for _ in range(4)]
    for student in students[:3]:
        assert client.post("/claim", data=claim_form(student, name="猜的名字")).status_code == 422

    assert client.post("/claim", data=claim_form(students[3])).status_code == 429


def test_the_claim_limits_are_settings_of_the_deployment(app):
    assert app.config["CLAIM_LIMIT_PER_STUDENT_NO"] == "5 per hour"
    assert app.config["CLAIM_LIMIT_PER_IP"] == "50 per hour"
