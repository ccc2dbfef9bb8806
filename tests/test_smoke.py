from tests import factories


def test_home_page_is_chinese_whatever_the_browser_asks(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert "学生会工作项目" in response.get_data(as_text=True)


def test_a_student_logs_in_and_sees_their_name(client):
    student = factories.user(name="李雷")
    factories.login(client, student)
    assert "你好，李雷" in client.get("/").get_data(as_text=True)
