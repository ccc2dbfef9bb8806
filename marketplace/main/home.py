"""What the home page shows each role: the shortcuts that role needs first."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l

from .. import permissions
from ..permissions import Role


@dataclass
class Shortcut:
    title: object
    text: object
    href: str


@dataclass
class Home:
    roles: frozenset[str]
    shortcuts: list[Shortcut] = field(default_factory=list)


def home_for(user) -> Home:
    roles = permissions.roles(user)
    home = Home(roles=roles)
    if not roles:
        return home
    add = home.shortcuts.append
    add(Shortcut(_l("我的通知"), _l("审核结果、录用通知和提醒都在这里"), url_for("notify.centre")))
    if Role.STUDENT in roles:
        add(Shortcut(_l("我的需求"), _l("发布需求，查看你发布和支持的需求的答复"), url_for("needs.mine")))
        add(Shortcut(_l("我的志愿"), _l("报名的班次、签到、请假和缺勤申诉"), url_for("volunteers.mine")))
        add(Shortcut(_l("我的成绩单"), _l("第二课堂学分，可下载 PDF"), url_for("credits.transcript_page")))
    if Role.ORG_MANAGER in roles:
        add(Shortcut(_l("我负责的组织"), _l("查看成员，代表组织参与竞标"), url_for("orgs.mine")))
        add(Shortcut(_l("我的标书"), _l("本组织提交的标书、修改和确认"), url_for("bids.mine")))
    if Role.STAFF in roles:
        add(Shortcut(_l("学生会工作台"), _l("发榜、答疑、组织评审"), url_for("projects.staff")))
        add(
            Shortcut(_l("需求答复"), _l("在时限内答复同学的需求：采纳、合并或不采纳"), url_for("needs.staff"))
        )
    if Role.EVALUATOR in roles:
        add(Shortcut(_l("我的评审"), _l("声明利益冲突，为标书和项目成效评分"), url_for("review.mine")))
    if Role.LEAGUE_REVIEWER in roles:
        add(Shortcut(_l("待审核项目"), _l("审核重大项目，批准取消申请"), url_for("projects.approvals")))
        add(Shortcut(_l("公示异议"), _l("处理同学对评标公示提出的异议"), url_for("review.objections")))
        add(Shortcut(_l("需求申诉"), _l("处理同学对需求被隐藏提出的申诉"), url_for("needs.appeals")))
    if permissions.can(user, "credit.verify"):
        add(Shortcut(_l("学分审核"), _l("认定承办方确认的志愿时长"), url_for("credits.queue")))
    if permissions.can(user, "credit.handle"):
        add(Shortcut(_l("学分申诉与导出"), _l("处理学分申诉，按学期导出学分"), url_for("credits.appeals")))
    if Role.LEAGUE_REVIEWER in roles or Role.STAFF in roles:
        add(Shortcut(_l("操作日志"), _l("查看关键操作的完整记录"), url_for("admin.audit_log")))
    if Role.ADMIN in roles:
        add(Shortcut(_l("系统管理"), _l("用户、组织、名册导入、学期与学分设置"), url_for("admin.index")))
    add(Shortcut(_l("个人资料"), _l("手机号、政治面貌、界面语言和密码"), url_for("accounts.profile")))
    return home


def nav_items() -> list[tuple[str, object]]:
    """The main menu: (endpoint, label). Later areas add projects, needs and volunteering."""
    return [
        ("projects.index", _l("项目")),
        ("needs.index", _l("需求")),
        ("volunteers.open_shifts", _l("志愿")),
        ("orgs.index", _l("组织")),
        ("staff_review.index", _l("述职评议")),
    ]
