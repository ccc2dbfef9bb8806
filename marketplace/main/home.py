"""The signed-in home page (待办): one section per role the user holds, each listing what they can or
must act on now, most urgent first, at most five rows and a link to the full list; the shortcuts of
each role stay below as links. docs/home.md lists the sections, their rows and their budgets.

Each section's rows come from the areas that own the data (``<area>/home.py``, kinds of
``marketplace/actions.py``); this module only chooses the sections by role and assembles them. A row
kind added later is one function in its area and one entry in a list here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import actions, permissions
from ..admin import home as admin_home
from ..bids import home as bids_home
from ..credits import home as credits_home
from ..disclosure import home as disclosure_home
from ..evaluation import home as evaluation_home
from ..hosting import home as hosting_home
from ..needs import home as needs_home
from ..orgs.models import UNION_KINDS
from ..permissions import Role
from ..projects import home as projects_home
from ..review import home as review_home
from ..staff_review import home as staff_review_home
from ..surveys import home as surveys_home
from ..volunteers import home as volunteers_home
from ..volunteers.signups import blocked_until


@dataclass
class Shortcut:
    title: object
    text: object
    href: str


@dataclass
class Section:
    """One role's part of the home page: its rows (``actions.Action``), and where its full list is."""

    key: str
    title: object
    rows: list = field(default_factory=list)
    more: str | None = None
    more_label: object = None
    # The student's section shows more than rows: shifts open to them, their next shift, their credits.
    extra: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.rows and not any(self.extra.values())


STUDENT_KINDS = [
    *volunteers_home.STUDENT_KINDS,
    surveys_home.surveys_to_answer,
    review_home.objections_ruled,
    credits_home.appeals_ruled,
    needs_home.needs_answered,
]
BIDDING_KINDS = [
    bids_home.bids_to_reconfirm,
    review_home.awards_won,
    projects_home.open_to_bid,
    bids_home.bids_before_deadline,
]
HOST_KINDS = [
    *volunteers_home.HOST_KINDS,
    hosting_home.completion_reports_due,
    evaluation_home.improvements_due,
    hosting_home.participant_checkin,
]
# The union staff's rows: the home page's section and the staff dashboard's 待办 alike.
STAFF_KINDS = [
    *projects_home.STAFF_KINDS,
    review_home.panels_not_submitted,
    review_home.notices_with_objections,
    staff_review_home.own_report,
    needs_home.needs_overdue,
    disclosure_home.suggestions_waiting,
]
LEAGUE_KINDS = [
    *projects_home.LEAGUE_KINDS,
    review_home.objections_to_rule,
    staff_review_home.results_to_record,
    disclosure_home.charters_to_approve,
    disclosure_home.announcements_to_approve,
    needs_home.appeals_to_rule,
]
EVALUATOR_KINDS = [review_home.seats_to_declare, review_home.seats_to_score]


def staff_actions(user) -> list[actions.Action]:
    """The staff's 待办: one statement, shared by the home page and the staff dashboard."""
    return actions.gather(user, STAFF_KINDS)


@dataclass
class Home:
    roles: frozenset[str]
    sections: list[Section] = field(default_factory=list)
    shortcuts: list[Shortcut] = field(default_factory=list)


def _student(user) -> Section:
    if user.is_read_only:  # a graduate keeps their documents, and signs up for nothing
        transcript = actions.Action(
            "transcript", _("下载第二课堂成绩单"), url_for("credits.transcript_page"), None, None, 1
        )
        return Section("graduate", _l("我的文件"), [transcript])
    blocked = blocked_until(user)
    return Section(
        "student",
        _l("志愿与学分"),
        actions.gather(user, STUDENT_KINDS),
        url_for("volunteers.mine"),
        _l("我的志愿"),
        extra={
            "blocked": blocked,
            "shifts": [] if blocked else volunteers_home.shifts_open_to(user),
            "next": volunteers_home.next_shift(user),
            "credits": credits_home.term_credits(user),
        },
    )


def _org_manager(user) -> Section:
    return Section(
        "org_manager",
        _l("竞标与承办"),
        actions.gather(user, [*BIDDING_KINDS, *HOST_KINDS]),
        url_for("bids.mine"),
        _l("我的标书"),
    )


def sections_for(user, roles: frozenset[str]) -> list[Section]:
    """The sections of the roles ``user`` holds, in a fixed order; empty ones left out."""
    found = []
    if Role.STUDENT in roles:
        found.append(_student(user))
    if Role.ORG_MANAGER in roles:
        found.append(_org_manager(user))
    if Role.STAFF in roles:
        found.append(
            Section(
                "staff", _l("学生会工作"), staff_actions(user), url_for("projects.staff"), _l("学生会工作台")
            )
        )
    if permissions.can(user, "credit.verify"):
        rows = actions.gather(user, credits_home.VERIFIER_KINDS)
        found.append(Section("verifier", _l("学分认定"), rows, url_for("credits.queue"), _l("认定队列")))
    if Role.LEAGUE_REVIEWER in roles:
        rows = actions.gather(user, LEAGUE_KINDS)
        found.append(Section("league", _l("团委审核"), rows, url_for("projects.approvals"), _l("待审核项目")))
    if Role.EVALUATOR in roles:
        rows = actions.gather(user, EVALUATOR_KINDS)
        found.append(Section("evaluator", _l("我的评审"), rows, url_for("review.mine"), _l("全部评审")))
    if Role.ADMIN in roles:
        rows = actions.gather(user, admin_home.ADMIN_KINDS)
        found.append(Section("admin", _l("系统管理"), rows, url_for("admin.index"), _l("系统管理")))
    return [section for section in found if not section.empty]


def home_for(user) -> Home:
    roles = permissions.roles(user)
    home = Home(roles=roles)
    if not roles:
        return home
    home.sections = sections_for(user, roles)
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
        add(
            Shortcut(_l("信息公开审核"), _l("审核各学生会提交的章程修订和公告"), url_for("disclosure.review"))
        )
    for union in _unions_served(user):
        add(Shortcut(_("%(union)s 信息公开", union=union.name), _l("起草章程和公告，答复同学的意见建议"),
                     url_for("disclosure.desk", org_id=union.id)))  # fmt: skip
        add(Shortcut(_l("需求申诉"), _l("处理同学对需求被隐藏提出的申诉"), url_for("needs.appeals")))
    if permissions.can(user, "credit.verify"):
        add(Shortcut(_l("学分审核"), _l("认定承办方确认的志愿时长"), url_for("credits.queue")))
    if permissions.can(user, "credit.handle"):
        add(Shortcut(_l("学分申诉与导出"), _l("处理学分申诉，按学期导出学分"), url_for("credits.appeals")))
    if Role.LEAGUE_REVIEWER in roles or Role.STAFF in roles:
        add(Shortcut(_l("操作日志"), _l("查看关键操作的完整记录"), url_for("admin.audit_log")))
    if Role.ADMIN in roles:
        add(Shortcut(_l("系统管理"), _l("用户、组织、名册导入、学期与学分设置"), url_for("admin.index")))
    if Role.STUDENT in roles:
        add(
            Shortcut(_l("我提的意见"), _l("写给学生会的意见建议和答复"), url_for("disclosure.my_suggestions"))
        )
    add(Shortcut(_l("个人资料"), _l("手机号、政治面貌、界面语言和密码"), url_for("accounts.profile")))
    return home


def _unions_served(user) -> list:
    """The unions (校学生会, 研究生会, 院系学生会) the user works for today: each has its 信息公开 desk."""
    return [m.org for m in permissions.active_memberships(user) if m.org.kind in UNION_KINDS]


def nav_items() -> list[tuple[str, object]]:
    """The main menu: (endpoint, label). Later areas add projects, needs and volunteering."""
    return [
        ("projects.index", _l("项目")),
        ("needs.index", _l("需求")),
        ("volunteers.open_shifts", _l("志愿")),
        ("orgs.index", _l("组织")),
        ("staff_review.index", _l("述职评议")),
        ("disclosure.index", _l("信息公开")),
    ]
