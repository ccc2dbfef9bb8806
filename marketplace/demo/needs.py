"""需求征集 in the demo: the pool of the last few weeks, with a need in every state.

- 「考试周压力太大，希望学校组织减压活动」, posted twelve days ago and supported by many, was accepted
  by 王思远 (2023000001) with the project 期末心理减压周 — its project page lists it;
- 「食堂晚上能不能开夜宵窗口」 was merged into 「希望食堂延长晚餐供应时间」, which took its supporters;
- 「宿舍能不能全天不断电」 was declined with the reason;
- several are open, supported and commented on — one by 周梓萱 (2024000100), one of the graduate union's,
  and two past their answer time (on the staff dashboard);
- one that named a teacher was hidden, its reason shown in its place.

Posts, answers and hiding go through the operations (so the audit log and the notifications are real);
the many supports of the open needs are inserted in bulk, as a few hundred requests would be slow for
the seed, each student once and never the author, with the count kept beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update

from ..accounts.models import User
from ..extensions import db
from ..needs import operations as needs
from ..needs.models import Need, NeedSupport
from ..orgs.models import OrgKind
from ..projects.models import Project
from . import projects
from .context import Demo
from .cycle import STAFF, account
from .people import students

ZHOU = "2024000100"  # 周梓萱: her own need is in the pool, under 我的需求


@dataclass(frozen=True)
class NeedSpec:
    title: str
    category: str
    description: str
    posted: int  # days from today (negative: ago)
    supporters: int
    graduate: bool = False
    comments: tuple[str, ...] = ()


ACCEPTED = NeedSpec(
    "考试周压力太大，希望学校组织减压活动",
    "心理",
    "每到期末，宿舍里好几个人都睡不好、复习效率很低。希望学校在考试周前组织一些**减压活动**，"
    "比如团体辅导、放松练习，最好在图书馆或宿舍区附近。",
    -12,
    46,
    comments=("同感，去年期末焦虑到失眠。", "希望能有一对一的咨询预约。"),
)
MERGED = NeedSpec(
    "食堂晚上能不能开夜宵窗口",
    "生活服务",
    "晚上十点从图书馆回来，食堂都关门了，只能点外卖。",
    -9,
    8,
)
MERGE_TARGET = NeedSpec(
    "希望食堂延长晚餐供应时间",
    "生活服务",
    "实验课经常七点以后才结束，赶到食堂已经没什么菜了。希望二食堂晚餐供应到 21:00，或者开一个夜宵窗口。",
    -10,
    23,
    comments=("二食堂的麻辣烫窗口可以开晚一点。",),
)
DECLINED = NeedSpec(
    "宿舍能不能全天不断电",
    "生活服务",
    "晚上 23:30 断电太早了，赶作业的时候很不方便。",
    -8,
    31,
)
DECLINE_REASON = (
    "宿舍断电时间由学校统一规定，学生会已向后勤处转达同学们的意见；期末周将在每栋楼一层开放通宵自习室。"
)
OPEN = (
    NeedSpec(
        "希望开设简历修改和模拟面试辅导",
        "就业",
        "大三找实习，简历改了很多遍还是没回音。希望能请有经验的学长学姐或老师帮忙**一对一修改简历**，"
        "再组织几场模拟面试。",
        -5,
        27,
        comments=("可以请已经拿到 offer 的大四同学来分享。",),
    ),
    NeedSpec(
        "篮球场晚上的灯经常不亮",
        "文体",
        "东区篮球场有一半的灯坏了快一个月，晚上打球很危险。",
        -9,  # past its answer time: on the staff dashboard
        14,
    ),
    NeedSpec(
        "高数期中前能不能组织答疑",
        "学业",
        "高数作业越来越难，希望期中考试前有学长学姐集中答疑。",
        -3,
        9,
    ),
    NeedSpec(
        "研究生能不能也有羽毛球场地预约名额",
        "文体",
        "体育馆的羽毛球场预约总是被抢光，研究生课题组时间不固定，希望预留一部分名额。",
        -2,
        5,
        graduate=True,
    ),
)
ZHOUS = NeedSpec(
    "图书馆自习座位太少",
    "学业",
    "期末周每天早上七点就没有座位了，希望延长开放时间，或者把空教室开放为自习室。",
    -1,
    6,
)
HIDDEN = NeedSpec(
    "某门课的老师上课总是迟到",
    "其他",
    "（内容已隐藏）",
    -6,
    0,
)


def _authors(demo: Demo, graduate: bool) -> list[User]:
    wanted = [s for s in students(demo) if bool(s.degree_level and s.degree_level.is_graduate) == graduate]
    return [s for s in wanted if s.student_no not in STAFF.values() and s.student_no != ZHOU]


def _post(demo: Demo, spec: NeedSpec, author: User) -> Need:
    demo.travel(demo.day(spec.posted, "12:30"))
    need = needs.post_need(
        author, {"title": spec.title, "description": spec.description, "category": spec.category}
    )
    demo.created["needs"] += 1
    return need


def _supporters(demo: Demo, spec: NeedSpec, need: Need, until: datetime) -> None:
    """Supports inserted in bulk between the post and ``until`` (see the module's docstring)."""
    rng = demo.rng(f"need supports:{spec.title}")
    pool = [s for s in students(demo) if s.id != need.author_id]
    chosen = rng.sample(pool, min(spec.supporters, len(pool)))
    start = need.created_at
    rows = [
        {"need_id": need.id, "user_id": s.id, "created_at": start + (until - start) * rng.random()}
        for s in chosen
    ]
    if rows:
        db.session.execute(insert(NeedSupport), rows)
        counted = select(func.count()).where(NeedSupport.need_id == need.id).scalar_subquery()
        db.session.execute(update(Need).where(Need.id == need.id).values(support_count=counted))
        demo.created["need supports"] += len(rows)


def _comment(demo: Demo, spec: NeedSpec, need: Need) -> None:
    rng = demo.rng(f"need comments:{spec.title}")
    pool = [s for s in students(demo) if s.id != need.author_id]
    for text in spec.comments:
        needs.comment(rng.choice(pool), need, {"body": text})


def _staff(graduate: bool) -> User:
    return account(STAFF[OrgKind.GRADUATE_UNION if graduate else OrgKind.SCHOOL_UNION])


def _told(demo: Demo, spec: NeedSpec, author: User, answered: datetime | None = None) -> Need:
    """Posted and commented on, and supported from then until it was ``answered`` (or today)."""
    need = _post(demo, spec, author)
    _comment(demo, spec, need)
    _supporters(demo, spec, need, answered or demo.day(0, "08:00"))
    db.session.flush()
    return need


def needs_pool(demo: Demo) -> None:
    """The pool, if it is not there yet and its history fits in this academic year."""
    if db.session.scalar(select(Need.id).limit(1)) is not None or not demo.reaches_back(-ACCEPTED.posted):
        return
    rng = demo.rng("need authors")
    undergraduates, graduates = _authors(demo, False), _authors(demo, True)
    staff = _staff(False)

    served = db.session.scalar(select(Project).where(Project.title == projects.OPEN.title).limit(1))
    accepted_at = demo.day(projects.OPEN.posted, "11:00")
    accepted = _told(demo, ACCEPTED, rng.choice(undergraduates), accepted_at if served else None)
    if served is not None:
        demo.travel(accepted_at)
        needs.accept(staff, accepted, {"project": served.id})

    target = _told(demo, MERGE_TARGET, rng.choice(undergraduates))
    merged_at = demo.day(-3, "16:00")
    merged = _told(demo, MERGED, rng.choice(undergraduates), merged_at)
    demo.travel(merged_at)
    needs.merge(staff, merged, {"target": target.id})

    declined_at = demo.day(-2, "11:00")
    declined = _told(demo, DECLINED, rng.choice(undergraduates), declined_at)
    demo.travel(declined_at)
    needs.decline(
        staff,
        declined,
        {"reason": DECLINE_REASON},
    )

    for spec in OPEN:
        _told(demo, spec, rng.choice(graduates if spec.graduate else undergraduates))
    _told(demo, ZHOUS, account(ZHOU))

    hidden = _post(demo, HIDDEN, rng.choice(undergraduates))
    demo.travel(demo.day(-5, "09:30"))
    needs.hide(staff, hidden, {"reason": "点名指责具体教师，请通过教务处的教学意见渠道反映。"})
