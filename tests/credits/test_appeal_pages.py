"""学分申诉 through the pages: the student appeals within the period with optional evidence, staff are
told, and accept (the record is created or corrected, with history) or reject with a reason the
student reads."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace import clock, settings
from marketplace.credits import records as credit_records
from marketplace.credits.models import AppealStatus, CreditAppeal, CreditStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.volunteers.models import Signup, SignupStatus
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import records_of
from tests.downloads import disposition
from tests.isolation import in_this_session


@pytest.fixture
def world(credit_world):
    """Every test here starts from the credits world built once for the module (and is rolled back)."""
    return in_this_session(credit_world)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def appeal_url(world) -> str:
    return f"/transcript/shifts/{world.shift_.id}/appeal"


def file(app, world, student, *, evidence: bytes | None = None, **fields):
    data = {"reason": "签退时手机没电，实际服务到活动结束", "hours_claimed": "4", **fields}
    if evidence is not None:
        data["evidence"] = (io.BytesIO(evidence), "签到表.pdf")
    return signed_in(app, student).post(appeal_url(world), data=data, content_type="multipart/form-data")


def notes(kind: str) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.kind == kind)).all()


@pytest.fixture
def appeal(app, world):
    """The first volunteer appeals her 3.5 h record, claiming the shift's 4 h, with a signed sheet."""
    assert file(app, world, world.volunteers[0], evidence=PDF).status_code == 302
    return db.session.scalar(select(CreditAppeal))


def test_a_student_appeals_a_shift_within_the_period_and_the_union_staff_are_told(app, world, appeal):
    student = world.volunteers[0]
    assert appeal.user_id == student.id and appeal.record_id == records_of(student)[0].id
    assert str(appeal.hours_claimed) == "4.0" and appeal.evidence_name == "签到表.pdf"
    assert [n.user_id for n in notes("credit.appeal_received")] == [world.staff.id]
    page = signed_in(app, student).get("/transcript").get_data(as_text=True)
    assert "申诉处理中" in page and "签退时手机没电" in page


def test_the_appeal_form_shows_the_shift_and_its_record(app, world):
    page = signed_in(app, world.volunteers[0]).get(appeal_url(world)).get_data(as_text=True)
    assert world.project.title in page and "3.5 学时" in page and 'value="4.0"' in page


def test_an_appeal_after_the_period_is_not_offered(app, world):
    clock.set(world.shift_.ends_at + timedelta(days=settings.get("credit_appeal_days"), minutes=1))
    client = signed_in(app, world.volunteers[0])
    assert client.get(appeal_url(world)).status_code == 404
    assert "目前没有可以申诉的班次" in client.get("/transcript").get_data(as_text=True)


def test_only_shifts_the_student_was_on_can_be_appealed(app, world):
    outsider = factories.user()
    assert signed_in(app, outsider).get(appeal_url(world)).status_code == 404
    assert file(app, world, outsider).status_code == 404


def test_a_missing_reason_or_too_many_hours_are_refused_beside_the_fields(app, world):
    response = file(app, world, world.volunteers[0], reason="", hours_claimed="9")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "此项必填" in page
    response = file(app, world, world.volunteers[0], hours_claimed="6")
    assert response.status_code == 422 and "不超过班次的 4.0 小时" in response.get_data(as_text=True)
    assert db.session.scalar(select(CreditAppeal)) is None


def test_evidence_that_is_not_what_it_says_is_refused_beside_the_field(app, world):
    response = file(app, world, world.volunteers[0], evidence=b"MZ not a pdf at all")
    assert response.status_code == 422 and "文件内容与扩展名" in response.get_data(as_text=True)


def test_a_second_appeal_for_the_same_shift_waits_for_the_first(app, world, appeal):
    response = file(app, world, world.volunteers[0])
    assert response.status_code == 422 and "正在处理中" in response.get_data(as_text=True)


def test_staff_accept_the_appeal_and_the_history_shows_before_after_and_who(app, world, appeal):
    staff = signed_in(app, world.staff)
    page = staff.get("/credits/appeals").get_data(as_text=True)
    assert "签退时手机没电" in page and world.volunteers[0].name in page

    prefix = f"a-{appeal.public_id}"
    response = staff.post(
        f"/credits/appeals/{appeal.public_id}/rule",
        data={
            f"{prefix}-ruling": "核对签到表，按 4 学时认定",
            f"{prefix}-hours": "4",
            f"{prefix}-accept": "采纳",
        },
    )

    assert response.status_code == 302
    record = records_of(world.volunteers[0])[0]
    assert str(record.hours) == "4.0" and record.status == CreditStatus.CONFIRMED
    history = signed_in(app, world.volunteers[0]).get(f"/transcript/records/{record.public_id}")
    text = history.get_data(as_text=True)
    assert "更正" in text and world.staff.name in text and "核对签到表，按 4 学时认定" in text
    assert "3.5" in text and "4" in text
    answered = notes("credit.appeal_answered")
    assert [n.user_id for n in answered] == [world.volunteers[0].id] and "已被采纳" in answered[0].body


def test_an_accepted_appeal_creates_the_missing_record(app, world):
    late = factories.user(name="补录的同学")
    db.session.add(Signup(shift_id=world.shift_.id, user_id=late.id, status=SignupStatus.ACCEPTED))
    db.session.commit()
    assert file(app, world, late, hours_claimed="3").status_code == 302
    appeal = db.session.scalar(select(CreditAppeal))
    prefix = f"a-{appeal.public_id}"
    response = signed_in(app, world.reviewer).post(
        f"/credits/appeals/{appeal.public_id}/rule",
        data={f"{prefix}-ruling": "负责人手写签到表可证", f"{prefix}-accept": "采纳"},
    )
    assert response.status_code == 302
    record = records_of(late)[0]
    assert str(record.hours) == "3.0" and record.history[0].action == "appeal"
    assert record.history[0].actor_id == world.reviewer.id


def test_a_rejected_appeal_shows_the_reason_to_the_student(app, world, appeal):
    prefix = f"a-{appeal.public_id}"
    staff = signed_in(app, world.staff)
    refused = staff.post(
        f"/credits/appeals/{appeal.public_id}/rule", data={f"{prefix}-ruling": "", f"{prefix}-reject": "x"}
    )
    assert refused.status_code == 422 and "此项必填" in refused.get_data(as_text=True)
    staff.post(
        f"/credits/appeals/{appeal.public_id}/rule",
        data={f"{prefix}-ruling": "签到表上没有你的签名", f"{prefix}-reject": "不予采纳"},
    )
    db.session.refresh(appeal)
    assert appeal.status == AppealStatus.REJECTED and str(records_of(world.volunteers[0])[0].hours) == "3.5"
    page = signed_in(app, world.volunteers[0]).get("/transcript").get_data(as_text=True)
    assert "未采纳" in page and "签到表上没有你的签名" in page
    assert "签到表上没有你的签名" in notes("credit.appeal_answered")[0].body


def test_the_evidence_is_served_only_to_those_who_answer_the_appeal(app, world, appeal):
    url = f"/credits/appeals/{appeal.public_id}/evidence"
    response = signed_in(app, world.staff).get(url)
    assert response.status_code == 200 and response.data == PDF
    names = disposition(response)
    assert names.fallback == f"appeal-evidence-{appeal.public_id}.pdf" and names.name == appeal.evidence_name
    assert signed_in(app, world.reviewer).get(url).status_code == 200
    for user in (world.volunteers[1], world.host, factories.staff_member()):
        assert signed_in(app, user).get(url).status_code == 403
    assert signed_in(app, world.staff).get("/credits/appeals/nope/evidence").status_code == 404


def test_other_unions_staff_neither_see_nor_answer_the_appeal(app, world, appeal):
    outsider = signed_in(app, factories.staff_member(name="外校干事"))
    assert "签退时手机没电" not in outsider.get("/credits/appeals").get_data(as_text=True)
    prefix = f"a-{appeal.public_id}"
    response = outsider.post(
        f"/credits/appeals/{appeal.public_id}/rule", data={f"{prefix}-ruling": "x", f"{prefix}-accept": "y"}
    )
    assert response.status_code == 403
    assert signed_in(app, world.volunteers[1]).get("/credits/appeals").status_code == 403


def test_an_appeal_answered_in_another_tab_is_not_answered_twice(app, world, appeal):
    credit_records.resolve_appeal(world.staff, appeal, {"accept": False, "ruling": "已答复"})
    db.session.commit()
    prefix = f"a-{appeal.public_id}"
    response = signed_in(app, world.reviewer).post(
        f"/credits/appeals/{appeal.public_id}/rule",
        data={f"{prefix}-ruling": "再答一次", f"{prefix}-accept": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(appeal)
    assert appeal.ruling == "已答复"


def rule(app, world, appeal, ruling: str, *, accept: bool, by=None):
    prefix = f"a-{appeal.public_id}"
    button = {f"{prefix}-accept": "采纳"} if accept else {f"{prefix}-reject": "不予采纳"}
    return signed_in(app, by or world.staff).post(
        f"/credits/appeals/{appeal.public_id}/rule", data={f"{prefix}-ruling": ruling, **button}
    )


def test_a_rejected_appeal_about_a_record_is_written_to_its_history_with_the_ruling(app, world, appeal):
    rule(app, world, appeal, "签到表上没有你的签名", accept=False)

    record = records_of(world.volunteers[0])[0]
    assert str(record.hours) == "3.5"  # nothing else changes
    page = signed_in(app, world.volunteers[0]).get(f"/transcript/records/{record.public_id}")
    text = page.get_data(as_text=True)
    assert "申诉未采纳" in text and "签到表上没有你的签名" in text and world.staff.name in text
    assert [entry.action for entry in record.history][-1] == "appeal_rejected"


def test_a_rejected_appeal_about_a_missing_record_leaves_no_record_and_the_form_says_so(app, world):
    late = factories.user(name="没有记录的同学")
    db.session.add(Signup(shift_id=world.shift_.id, user_id=late.id, status=SignupStatus.ACCEPTED))
    db.session.commit()
    file(app, world, late, hours_claimed="3")
    appeal = db.session.scalar(select(CreditAppeal))
    form_text = signed_in(app, world.staff).get("/credits/appeals").get_data(as_text=True)
    assert "对缺失记录的申诉不予采纳时，没有记录可记，只通知本人" in form_text

    assert rule(app, world, appeal, "当天名单里没有你", accept=False).status_code == 302

    assert records_of(late) == []
    assert [n.user_id for n in notes("credit.appeal_answered")] == [late.id]


def test_the_appeals_page_filters_by_status_and_shows_each_ruling_and_who_made_it(app, world, appeal):
    rule(app, world, appeal, "签到表上没有你的签名", accept=False, by=world.reviewer)
    file(app, world, world.volunteers[1], reason="签到码过期，没签上")
    staff = signed_in(app, world.staff)

    def listed(query: str) -> str:
        response = staff.get(f"/credits/appeals{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    pending = listed("")
    assert "签到码过期" in pending and "签退时手机没电" not in pending
    rejected = listed("?status=rejected")
    assert "签退时手机没电" in rejected and "签到码过期" not in rejected
    assert "签到表上没有你的签名" in rejected and world.reviewer.name in rejected
    assert f"/credits/appeals/{appeal.public_id}/rule" not in rejected  # decided: nothing to answer
    assert "没有符合条件的申诉" in listed("?status=accepted")
    both = listed("?status=all")
    assert "签到码过期" in both and "签退时手机没电" in both
    assert "签到码过期" in listed("?status=nonsense")  # an unknown filter falls back to the pending
