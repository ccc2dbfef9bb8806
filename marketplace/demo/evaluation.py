"""评价 in the demo: who was served, the outcome panel, the satisfaction survey, the final score.

Three projects hosted earlier in the academic year were evaluated and closed: 应急救护培训进校园 and
闲置物品交换市集 (青年志愿者协会), and Python 编程入门训练营 (计算机学院学生会), whose score fell below the
line — its host has submitted the improvement plan (整改说明). With 社区支教行动 (told in
:mod:`.volunteering`, evaluated here), two organizations have a reputation resting on two scores each.
数学建模竞赛入门讲座 (数学与统计学院学生会) is being evaluated: its survey is open, and the demo student
周梓萱 (2024000100), who came to both lectures, has yet to answer it; of its outcome panel, the faculty
evaluator (T0002) has yet to begin.

Everything goes through the operations the pages use, each at its moment (``Demo.travel``): the host
opens each event day's check-in and the students scan its code, the staff seat the panel, panelists
declare and score, students answer, and the clock closes the project when its window ends — so the
final score is the one the receivers record from what the panel and the survey produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from ..accounts.models import User
from ..evaluation import operations as evaluation
from ..hosting import operations as hosting
from ..hosting import participants
from ..projects import lifecycle
from ..projects.models import Project, ProjectCategory
from ..review import operations as review
from ..review.outcome import OUTCOME_PANEL
from ..surveys import operations as surveys
from ..surveys.results import survey_of
from ..timeutil import local
from . import cycle, school
from .context import Demo
from .cycle import BidSpec, ProjectSpec
from .people import fixed_logins, students

CS_UNION = school.college_union_name("计算机科学与技术学院")
MATH_UNION = school.college_union_name("数学与统计学院")
ECON_UNION = school.college_union_name("经济管理学院")
VOLUNTEERS_CLUB = "青年志愿者协会"
DEMO_STUDENT = "2024000100"  # 周梓萱: invited to the open survey, not yet answered


@dataclass(frozen=True)
class Verdict:
    """How an evaluation turns out: about what the outcome panel gives on every criterion (the
    faculty evaluator's remark on the first), about the mean stars of the survey's answers, and what
    the first few who answer write."""

    mark: int
    stars: float
    remark: str = ""
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """An event day of a hosted project: when the host opens its participants' check-in, how many
    students come, and the progress post of that evening."""

    day: int
    at: str
    attendance: int
    milestone: str
    body: str


@dataclass(frozen=True)
class Story:
    """A project told from posting to its evaluation: reviewed on ``review_day``, its events, what it
    spent, its completion report on ``completed``, its verdict and how many of those who came answer
    the survey. A project whose window ends before today closes with its final score; ``plan`` is what
    its host writes if that score falls below the line (ten days before the plan is due)."""

    spec: ProjectSpec
    review_day: int
    events: tuple[Event, ...]
    spent: tuple[str, int]
    completed: int
    outcomes: str
    spending_summary: str
    verdict: Verdict
    answers: int
    waiting: int = 0  # of its outcome panel, those who have yet to begin (the faculty evaluator first)
    plan: str = ""


TEACHING_VERDICT = Verdict(
    mark=86,
    stars=4.4,
    remark="三次支教都按方案完成，学习档案扎实，与社区形成了长期结对。",
    comments=(
        "孩子们特别喜欢编程小课堂，下学期还想去。",
        "包车接送、出发前清点人数，组织得很安心。",
        "作业辅导的时间可以再长一点，有的孩子作业比较多。",
        "第一次去的时候分组有点乱，后面两次好多了。",
        "分享会听了很感动，下学期一定报名当志愿者。",
    ),
)

FIRST_AID = Story(
    spec=ProjectSpec(
        title="应急救护培训进校园",
        category=ProjectCategory.WELLBEING,
        description=(
            "学校已在图书馆、体育馆和各食堂配置了 AED，但会用的同学很少。希望承办方联系红十字会的救护"
            "培训师，分批为同学开展应急救护普及培训：心肺复苏、AED 使用、气道异物梗阻和常见外伤处理。"
        ),
        outcomes="开展培训不少于 2 场、每场 12 人以上；参训同学人人上手练习；培训后考核合格率不低于 90%。",
        budget=5000,
        posted=-70,
        deadline=-64,
        hosting=(-60, -50),
        bids=(
            BidSpec(
                VOLUNTEERS_CLUB,
                4600,
                "联系市红十字会的救护培训师，两个周六下午各培训一批，每 6 人一具模拟人，人人上手练习。",
                "## 培训安排\n"
                "- 13:30–15:00 心肺复苏与 AED 使用，分组上手练习\n"
                "- 15:15–16:30 气道异物梗阻、止血包扎\n"
                "- 16:30–17:00 现场考核，合格者由红十字会发放培训证明\n\n"
                "## 预算说明\n"
                "培训师劳务 2000 元，模拟人和 AED 训练机租用 1800 元，耗材 800 元。",
                "两个周六下午",
                12,
                mark=88,
                remark="培训师资质可靠，人人上手练习的安排很实在。",
            ),
            BidSpec(
                ECON_UNION,
                3800,
                "经管学院学生会组织，邀请校医院医生讲授急救常识。",
                "一场讲座加一场演示，讲座面向全校，演示在经管楼报告厅。",
                "一周内完成",
                6,
                mark=77,
            ),
        ),
    ),
    review_day=-63,
    events=(
        Event(-57, "13:30", 14, "第一批培训完成", "14 位同学全部通过考核，模拟人练习很受欢迎。"),
        Event(-55, "13:30", 13, "第二批培训完成", "第二批 13 位同学参训，考核全部合格。"),
    ),
    spent=("培训师劳务、模拟人和 AED 训练机租用", 4380),
    completed=-54,
    outcomes="两场培训共 27 人次参加，考核全部合格，红十字会为每位同学发放了培训证明。",
    spending_summary="培训师劳务、设备租用和耗材合计 4380 元，低于中标预算。",
    verdict=Verdict(
        mark=90,
        stars=4.5,
        remark="培训扎实，考核全部合格，预算执行规范。",
        comments=(
            "终于知道 AED 怎么用了，培训师讲得很清楚。",
            "模拟人不够用，排队练习的时间有点长。",
            "希望以后每学期都办一次。",
        ),
    ),
    answers=10,
)

CODING_CAMP = Story(
    spec=ProjectSpec(
        title="Python 编程入门训练营",
        category=ProjectCategory.ACADEMIC,
        description=(
            "不少非计算机专业的同学想学编程，用来做数据分析、处理实验数据，却不知从何入手。希望承办方利用"
            "周末开设面向零基础同学的 Python 入门训练营，讲练结合，每次课都有助教答疑。"
        ),
        outcomes=(
            "开设 6 次课、每次 2 小时；每次课配套练习并有助教答疑；结营时学员能独立写出处理表格数据的小程序。"
        ),
        budget=6000,
        posted=-62,
        deadline=-56,
        hosting=(-52, -40),
        bids=(
            BidSpec(
                CS_UNION,
                5200,
                "计算机学院学生会学习部组织高年级同学授课，六次课从变量讲到表格数据处理。",
                "## 课程安排\n"
                "- 第 1–2 次：变量、条件、循环\n"
                "- 第 3–4 次：函数、文件读写\n"
                "- 第 5–6 次：用 pandas 处理表格数据，结营小项目\n\n"
                "每次课在计算中心机房，讲 40 分钟、练 80 分钟，每 10 名学员一名助教。",
                "六个周末，每周六下午",
                8,
                mark=82,
            ),
            BidSpec(
                "机器人创新社",
                4800,
                "用 Python 控制小车做项目，在实验室边做边学。",
                "四次课，每次带一个小项目：点亮 LED、超声波测距、循迹小车、综合挑战。",
                "四个周末",
                6,
                mark=76,
            ),
        ),
    ),
    review_day=-55,
    events=(
        Event(-49, "14:00", 18, "第一次课", "讲了变量和循环，同学们热情很高，助教有点忙不过来。"),
        Event(
            -48, "14:00", 12, "第二次课", "机房有几台电脑无法登录，耽误了半小时；之后的课因机房预约冲突暂停。"
        ),
    ),
    spent=("助教劳务和讲义印刷", 1650),
    completed=-41,
    outcomes="原计划 6 次课，只开了 2 次：第三次课起计算中心机房与期中考试安排冲突，剩余内容改为线上录播。"
    "两次课共 30 人次参加，助教不足，很多同学的问题没有得到及时解答。",
    spending_summary="助教劳务 1200 元，讲义印刷 450 元，合计 1650 元。",
    verdict=Verdict(
        mark=58,
        stars=3.0,
        remark="只完成了三分之一的课程，机房没有提前落实。",
        comments=(
            "讲得太快，零基础跟不上。",
            "第二次课机房好几台电脑打不开。",
            "录播比现场好，可以反复看。",
            "希望把剩下的课补上。",
        ),
    ),
    answers=9,
    plan=(
        "## 问题\n"
        "- 只开了 2 次课，没有完成方案承诺的 6 次\n"
        "- 助教不足，练习时同学的问题得不到及时解答\n"
        "- 机房没有在开课前全部落实\n\n"
        "## 整改措施\n"
        "1. 下学期开课前一个月与计算中心确定全部机房时段，确认后再招生\n"
        "2. 每 8 名学员配 1 名助教，助教提前试讲\n"
        "3. 本学期报名的同学可免费参加下学期的训练营，录播课程继续开放\n\n"
        "负责人：计算机学院学生会学习部"
    ),
)

SWAP_MARKET = Story(
    spec=ProjectSpec(
        title="闲置物品交换市集",
        category=ProjectCategory.SOCIAL,
        description=(
            "每到换季，宿舍里总有不少闲置的书、衣物和小电器。希望承办方在校园里办一次旧物交换市集：同学们"
            "带来闲置物品交换或低价出售，剩余的衣物和书籍捐给山区学校。"
        ),
        outcomes="市集当天参与同学不少于 20 人；交换和义卖物品不少于 300 件；剩余物品全部捐出并公开去向。",
        budget=3500,
        posted=-50,
        deadline=-44,
        hosting=(-40, -34),
        bids=(
            BidSpec(
                VOLUNTEERS_CLUB,
                3300,
                "在食堂前广场办一天市集，设图书、衣物、小物件三个区，志愿者负责登记和分拣。",
                "## 市集安排\n"
                "- 前一周在各宿舍楼设收集点\n"
                "- 市集当天 10:00–16:00，交换或 1–10 元义卖\n"
                "- 义卖所得和剩余物品全部捐给山区学校，清单公开",
                "一周收集，一天市集",
                20,
                mark=85,
            ),
            BidSpec(
                "环保协会",
                3000,
                "结合垃圾分类宣传办旧物交换，设旧衣回收箱。",
                "在宿舍区办半天交换活动，旧衣物交给回收企业。",
                "半天",
                10,
                mark=80,
            ),
        ),
    ),
    review_day=-43,
    events=(Event(-37, "10:00", 22, "市集举办", "市集当天交换和义卖物品 340 件，义卖所得 1260 元。"),),
    spent=("场地布置、收集箱和运费", 2150),
    completed=-35,
    outcomes="市集当天同学们交换和义卖物品 340 件，义卖所得 1260 元与剩余的 180 件衣物、260 本书一起捐给了"
    "结对的山区小学，捐赠清单已在进展中公开。",
    spending_summary="场地布置 900 元，收集箱 450 元，运费 800 元，合计 2150 元。",
    verdict=Verdict(
        mark=78,
        stars=4.1,
        comments=("东西很多，淘到了好几本想看的书。", "下午去的时候好东西都被换走了，希望办两天。"),
    ),
    answers=8,
)

MODELLING = Story(
    spec=ProjectSpec(
        title="数学建模竞赛入门讲座",
        category=ProjectCategory.ACADEMIC,
        description=(
            "全国大学生数学建模竞赛每年都有很多同学报名，但第一次参赛的同学往往不知道怎么组队、怎么选题、"
            "怎么写论文。希望承办方邀请获奖的学长学姐和指导老师，开设两场入门讲座。"
        ),
        outcomes=(
            "举办 2 场讲座、每场 20 人以上；整理往届优秀论文和常用模型资料包并公开；帮助有意参赛的同学组队。"
        ),
        budget=2500,
        posted=-30,
        deadline=-25,
        hosting=(-21, -10),
        bids=(
            BidSpec(
                MATH_UNION,
                2300,
                "邀请两位指导老师和三位国赛获奖的学长学姐，分“入门”和“论文写作”两场讲座。",
                "## 讲座安排\n"
                "- 第一场：竞赛介绍、组队和常用模型\n"
                "- 第二场：往届优秀论文精讲、论文写作规范\n\n"
                "讲座后在群里发布资料包，并组织组队交流。",
                "两周内两场",
                6,
                mark=86,
            ),
            BidSpec(
                CS_UNION,
                2400,
                "侧重编程实现：MATLAB 和 Python 求解常用模型。",
                "两场上机讲座，每场两小时。",
                "两周内两场",
                4,
                mark=77,
            ),
        ),
    ),
    review_day=-24,
    events=(
        Event(-17, "19:00", 20, "第一场讲座", "两位指导老师讲了竞赛流程和常用模型，现场组了 6 支队伍。"),
        Event(-13, "19:00", 18, "第二场讲座", "学长学姐精讲了两篇国奖论文，资料包已发布到群里。"),
    ),
    spent=("嘉宾交通补贴和资料印刷", 1480),
    completed=-11,
    outcomes="两场讲座共 40 人次参加，资料包（往届优秀论文 12 篇、常用模型讲义）已公开，现场组队 6 支。",
    spending_summary="嘉宾交通补贴 800 元，资料印刷 680 元，合计 1480 元。",
    verdict=Verdict(mark=84, stars=4.3),
    answers=9,
    waiting=1,
)


# -- the steps of an evaluation ------------------------------------------------------------------------


def check_in(demo: Demo, host: User, project: Project, at: datetime, people: list[User]) -> None:
    """参与同学签到: the host opens the day's check-in at ``at``; over the next ten minutes the students
    scan its code at the door."""
    demo.travel(at)
    day = participants.open_today(host, project)
    done = at + timedelta(minutes=10)
    demo.travel(done)
    for n, student in enumerate(people):
        scanned = done - timedelta(minutes=n % 9)
        code = participants.checkin_code(day, scanned)
        participants.check_in(student, day, {"code": code}, scanned_at=scanned)
    demo.created["participant check-ins"] += len(people)


def outcome_panel(
    demo: Demo, spec: ProjectSpec, project: Project, verdict: Verdict, day: int, *, waiting: int = 0
) -> None:
    """成效评估: the staff seat the faculty evaluator and two roster evaluators on ``day``; one a day,
    each declares no conflict with the host, scores the project near the verdict's mark and submits —
    all but the first ``waiting``, who have yet to begin."""
    panelists = cycle.panel(demo, project, 3, OUTCOME_PANEL)
    cycle.seat(demo, spec, project, panelists, day, OUTCOME_PANEL)
    for n, panelist in enumerate(panelists[waiting:]):
        demo.travel(demo.day(day + 1 + n, "20:30"))
        review.declare_no_conflict(panelist, project, OUTCOME_PANEL)
        rng = demo.rng(f"outcome scores:{project.title}:{panelist.identifier}")
        first = project.outcome_criteria[0].id
        values = {
            c.id: (
                max(0, min(100, verdict.mark + rng.randint(-5, 5))),
                verdict.remark if c.id == first and panelist.staff_no == cycle.FACULTY_EVALUATOR else "",
            )
            for c in project.outcome_criteria
        }
        review.save_scores(panelist, project, None, values, OUTCOME_PANEL)
        review.submit_scores(panelist, project, OUTCOME_PANEL)


def answer_survey(
    demo: Demo, project: Project, people: list[User], verdict: Verdict, days: tuple[int, int]
) -> None:
    """满意度问卷: ``people`` answer from the first day to the last, a few a day, their stars scattered
    around the verdict's; the first few write its comments."""
    survey = survey_of(project)
    rng = demo.rng(f"answers:{project.title}")
    first, last = days
    per_day = -(-len(people) // (last - first + 1))
    for n, student in enumerate(people):
        day, nth = divmod(n, per_day)
        demo.travel(demo.day(first + day, "12:10") + timedelta(minutes=53 * nth))
        stars = {d.id: max(1, min(5, round(rng.gauss(verdict.stars, 0.8)))) for d in survey.dimensions}
        comment = verdict.comments[n] if n < len(verdict.comments) else ""
        surveys.answer(student, survey, {"stars": stars, "comment": comment})
    demo.created["survey answers"] += len(people)


def window_end(demo: Demo, project: Project) -> int:
    """The day (from today) on which the project's evaluation window ends."""
    return (local(project.evaluation_ends_at).date() - demo.today).days


def close_at_window_end(demo: Demo, project: Project) -> None:
    """评价期满: the periodic task closes the project, and the final score is recorded."""
    demo.travel(project.evaluation_ends_at + timedelta(minutes=10))
    lifecycle.run_due_transitions()
    demo.created["final scores"] += 1


def evaluate(
    demo: Demo,
    spec: ProjectSpec,
    project: Project,
    verdict: Verdict,
    *,
    completed: int,
    respondents: list[User],
    waiting: int = 0,
) -> None:
    """The evaluation of a project that entered 评价中 on day ``completed``: its outcome panel the next
    morning (all but ``waiting`` of it scoring), ``respondents`` answering the survey over the window,
    and the close when the window ends — if that is before today; until then it is being evaluated."""
    ends = window_end(demo, project)
    outcome_panel(demo, spec, project, verdict, completed + 1, waiting=waiting)
    answer_survey(demo, project, respondents, verdict, (completed + 1, min(ends, 0) - 1))
    if ends < 0:
        close_at_window_end(demo, project)


def tell(demo: Demo, story: Story, *, guests: tuple[User, ...] = ()) -> None:
    """A project of ``story`` from posting to its evaluation (``guests`` come to every event too and
    never answer). Nothing when this run should not tell it (see ``cycle.should_tell``)."""
    spec = story.spec
    if not cycle.should_tell(demo, spec):
        return
    project, host = cycle.to_hosting(demo, spec, story.review_day)
    pool = [s for s in students(demo) if s.student_no not in fixed_logins()]
    came: dict[int, User] = {}
    for n, event in enumerate(story.events):
        people = demo.rng(f"event:{spec.title}:{n}").sample(pool, event.attendance)
        check_in(demo, host, project, demo.day(event.day, event.at), [*people, *guests])
        came.update((s.id, s) for s in people)
        demo.travel(demo.day(event.day, "21:00"))
        percent = 20 + 60 * (n + 1) // len(story.events)
        hosting.post_progress(
            host, project, {"milestone": event.milestone, "percent": percent, "body": event.body}
        )
    item, amount = story.spent
    hosting.record_expenditure(
        host,
        project,
        {
            "spent_on": demo.today + timedelta(days=story.events[-1].day),
            "item": item,
            "amount": Decimal(amount),
        },
    )
    demo.travel(demo.day(story.completed, "20:00"))
    hosting.submit_completion(
        host,
        project,
        {
            "outcomes": story.outcomes,
            "participants": sum(e.attendance + len(guests) for e in story.events),
            "spending_summary": story.spending_summary,
        },
    )
    respondents = demo.rng(f"respondents:{spec.title}").sample(list(came.values()), story.answers)
    evaluate(
        demo,
        spec,
        project,
        story.verdict,
        completed=story.completed,
        respondents=respondents,
        waiting=story.waiting,
    )
    if story.plan and (plan := evaluation.improvement_of(project)) is not None:
        demo.travel(plan.due_at - timedelta(days=10))
        evaluation.submit_improvement(host, project, {"body": story.plan})


# -- the steps of the seeding --------------------------------------------------------------------------


def first_aid_training(demo: Demo) -> None:
    """青年志愿者协会's two Saturday trainings, scored high, closed a month ago."""
    tell(demo, FIRST_AID)


def coding_camp(demo: Demo) -> None:
    """计算机学院学生会's camp held two of its six classes: below the line, with its improvement plan."""
    tell(demo, CODING_CAMP)


def swap_market(demo: Demo) -> None:
    """青年志愿者协会's second project this autumn, closed two weeks ago."""
    tell(demo, SWAP_MARKET)


def modelling_lectures(demo: Demo) -> None:
    """Being evaluated: the survey is open, and the demo student who came to both lectures may answer."""
    tell(demo, MODELLING, guests=(cycle.account(DEMO_STUDENT),))
