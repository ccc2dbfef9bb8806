from marketplace.accounts.models import SiteRole, User
from marketplace.audit import AuditEntry


def test_create_admin_makes_a_verified_admin_who_can_sign_in(app, db, client):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--staff-no",
            "A9001",
            "--name",
            "首位管理员",
            "--email",
            "Root@School.edu.cn",
            "--password",
            "first-admin-1",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.staff_no == "A9001"))
    assert user.has_role(SiteRole.ADMIN) and user.email == "root@school.edu.cn"
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.create_admin"))
    response = client.post("/login", data={"identifier": "A9001", "password": "first-admin-1"})
    assert response.status_code == 302


def test_create_admin_refuses_a_weak_password_with_a_reason(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--staff-no",
            "A9002",
            "--name",
            "管理员",
            "--email",
            "a@b.cn",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0 and "密码至少 8 位" in result.output
