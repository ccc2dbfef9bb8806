"""信息公开 in the demo: every union's 章程 with two versions — the first approved early in the year and
kept in the history, the second in force — the 校学生会's announcements (a 重要工作安排 and a 改革进展
published, one more awaiting the league reviewer 林慧敏, T0001), and the suggestion box: 周梓萱
(2024000100) wrote one that 王思远 (2023000001) answered and that is public without her name, and one
still unanswered; another student's answered suggestion stays private, as its author chose.

The staff list is the unions' memberships as appointed (``people.appointments``): nothing to add.
Everything goes through the operations the pages use, each at its moment (``Demo.travel``) when the
academic year reaches back far enough.
"""

from __future__ import annotations

from sqlalchemy import select

from ..disclosure import operations as disclosure
from ..disclosure import suggestions
from ..disclosure.models import Announcement, AnnouncementKind, CharterVersion, Suggestion
from ..extensions import db
from ..orgs.models import UNION_KINDS, Organization, OrgKind
from . import school
from .context import Demo
from .cycle import LEAGUE_REVIEWER, STAFF, account, manager_of
from .people import students

ZHOU = "2024000100"
FIRST, SECOND = -40, -12  # days ago each charter version was approved
REACH = 45  # the history begins this many days ago, when the year reaches back that far

ARTICLES_V1 = """### 第一章 总则

第一条 {name}是在学校党委领导、校团委指导下，代表和服务同学的学生组织。

第二条 本会坚持全心全意服务同学，依法依章程开展活动，接受同学监督。

### 第二章 组织机构

第三条 本会设主席团和若干工作部门，工作人员每学年选拔一次。

第四条 主席团成员和部门负责人任期一学年，可连任一届。

### 第三章 工作制度

第五条 本会每学期召开一次全体工作人员大会，听取工作报告。
"""

ARTICLES_V2_ADDED = """
第六条 本会建立信息公开制度，主动向全体同学公开章程、工作人员情况、重要工作安排和改革进展。

第七条 本会设立意见建议渠道，同学提出的意见建议原则上在两周内答复。

第八条 工作人员每学期述职一次，接受服务同学和其他工作人员的评议。
"""

ANNOUNCEMENTS = (
    (
        AnnouncementKind.ARRANGEMENT,
        "期末考试周学业帮扶安排",
        "考试周前两周，学习部在图书馆三楼开设**晚间答疑**：\n\n"
        "- 周一至周四 19:00–21:30，高等数学、线性代数、大学物理\n"
        "- 周五 19:00–21:00，程序设计\n\n答疑由各学院推荐的学长学姐承担，无需预约。",
        "published",
        -8,
    ),
    (
        AnnouncementKind.REFORM,
        "学生会改革进展：精简机构、公开述职",
        "按照学生会组织改革要求，本学期已完成：\n\n"
        "1. 工作部门由 9 个精简为 4 个，工作人员由 62 人减至 28 人；\n"
        "2. 全体工作人员每学期述职，接受同学评议，结果在“述职评议”中公开；\n"
        "3. 开通“意见建议”渠道，答复情况向全体同学公开。",
        "published",
        -5,
    ),
    (
        AnnouncementKind.ARRANGEMENT,
        "寒假返乡社会实践安排",
        "寒假期间组织“返家乡”社会实践，报名和选题指南将在审核通过后发布。",
        "pending",
        -1,
    ),
)

SUGGESTIONS = (
    # (author, title, body, wants_public, answer or None, days ago written)
    (
        ZHOU,
        "考试周图书馆延长开放时间",
        "考试周自习座位很紧张，希望图书馆考试周开放到晚上 11 点。",
        True,
        "已与图书馆沟通：本学期考试周（第 18、19 周）三楼和四楼自习区开放到 23:00。",
        -9,
    ),
    (
        None,
        "宿舍楼热水供应不稳定",
        "我们楼晚上十点后热水经常不热，已经持续两周了。",
        False,
        "已转交后勤处，维修人员本周内上门检修，有进展会再告诉你。",
        -7,
    ),
    (
        ZHOU,
        "希望多办学科竞赛讲座",
        "数学建模讲座很有帮助，希望其他学科竞赛也能办入门讲座。",
        True,
        None,
        -2,
    ),
)


def _at(demo: Demo, offset: int, hhmm: str) -> None:
    """Move to ``offset`` days from today when the year reaches back far enough; else everything happens
    in the present (the staff's posts begin with the year)."""
    if demo.reaches_back(REACH):
        demo.travel(demo.day(offset, hhmm))
    else:  # the steps before may have left the clock in last year
        demo.return_to_present()


def _unions(demo: Demo) -> list[Organization]:
    return db.session.scalars(
        select(Organization)
        .where(Organization.kind.in_(UNION_KINDS), Organization.is_active)
        .order_by(Organization.id)
    ).all()


def _drafter(union: Organization):
    if union.kind in STAFF:
        return account(STAFF[union.kind])
    return manager_of(union)


def _publish(demo: Demo, doc, offset: int) -> None:
    drafter = doc.author
    _at(demo, offset - 2, "16:00")
    disclosure.submit(drafter, doc)
    _at(demo, offset, "10:30")
    disclosure.approve(account(LEAGUE_REVIEWER), doc)


def charters(demo: Demo) -> None:
    """Each union's charter: the first version and the one in force, which adds three articles."""
    for union in _unions(demo):
        drafter = _drafter(union)
        have = select(CharterVersion.id).where(CharterVersion.union_id == union.id).limit(1)
        if drafter is None or db.session.scalar(have) is not None:
            continue
        first_text = ARTICLES_V1.format(name=union.name)
        _at(demo, FIRST - 3, "20:00")
        first = disclosure.draft_charter(drafter, union, {"body": first_text, "note": "首次公开"})
        _publish(demo, first, FIRST)
        _at(demo, SECOND - 4, "20:00")
        second = disclosure.draft_charter(
            drafter,
            union,
            {"body": first_text + ARTICLES_V2_ADDED, "note": "增加信息公开、意见建议和述职评议的条款"},
        )
        _publish(demo, second, SECOND)
        demo.return_to_present()
        demo.created["charter versions"] += 2


def announcements(demo: Demo) -> None:
    union = demo.orgs[school.school_union_name(demo)]
    if db.session.scalar(select(Announcement.id).where(Announcement.union_id == union.id).limit(1)):
        return
    staff = account(STAFF[OrgKind.SCHOOL_UNION])
    for kind, title, body, stage, offset in ANNOUNCEMENTS:
        _at(demo, offset - 1, "18:00")
        announcement = disclosure.draft_announcement(
            staff, union, {"kind": kind, "title": title, "body": body}
        )
        if stage == "published":
            _publish(demo, announcement, offset)
        else:
            disclosure.submit(staff, announcement)
        demo.return_to_present()
        demo.created["announcements"] += 1


def suggestion_box(demo: Demo) -> None:
    union = demo.orgs[school.school_union_name(demo)]
    if db.session.scalar(select(Suggestion.id).where(Suggestion.union_id == union.id).limit(1)):
        return
    staff = account(STAFF[OrgKind.SCHOOL_UNION])
    someone = next(s for s in students(demo) if s.student_no != ZHOU)
    for author, title, body, public, answer, offset in SUGGESTIONS:
        _at(demo, offset, "21:00")
        data = {"union": union.id, "title": title, "body": body, "wants_public": public}
        suggestion = suggestions.write(account(author) if author else someone, data)
        if answer:
            _at(demo, offset + 1, "12:00")
            suggestions.answer(staff, suggestion, {"answer": answer})
        demo.return_to_present()
        demo.created["suggestions"] += 1


def public_record(demo: Demo) -> None:
    charters(demo)
    db.session.commit()
    announcements(demo)
    db.session.commit()
    suggestion_box(demo)
