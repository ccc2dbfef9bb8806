"""The hosted projects of the demo, their volunteers and the credits they earned.

社区支教行动 held its three afternoons of shifts a month ago, was evaluated and has closed with its final
score; 校园招聘会志愿服务, hosted by 青年志愿者协会 (the fixed demo login 2023000021), is under way:
its set-up shifts are done, and the fair's own shifts lie ahead — one full with a waiting list, one
drawn by lottery, one waiting for the host's approval, others open to sign up from today. Between them every
demo student volunteered at least once and has a verified credit record; of the last shift, a few
records wait for the league reviewer, one was not accepted, one is under appeal, and a no-show too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..accounts.models import User
from ..credits import records
from ..credits.models import CreditRecord, CreditStatus
from ..extensions import db
from ..hosting import operations as hosting
from ..orgs.models import OrgKind
from ..projects.models import Project, ProjectCategory
from ..timeutil import local
from ..volunteers import admission, attendance, positions, reliability, signups, tasks
from ..volunteers.models import Admission, Position, Shift, Signup, Training
from . import cycle, evaluation, school
from .context import Demo
from .cycle import BidSpec, ProjectSpec, QuestionSpec
from .people import fixed_logins, students

CS_UNION = school.college_union_name("计算机科学与技术学院")
LANGUAGES_UNION = school.college_union_name("外国语学院")
ECON_UNION = school.college_union_name("经济管理学院")
HOST_CLUB = "青年志愿者协会"

TEACHING = ProjectSpec(
    title="社区支教行动",
    category=ProjectCategory.SOCIAL,
    description=(
        "学校附近的阳光社区有 60 多名双职工家庭的小学生，放学后缺少看护和课业辅导。社区希望大学生志愿者到"
        "社区活动室开展课后辅导和兴趣课堂（编程启蒙、英语绘本、科学小实验），每次半天。"
    ),
    outcomes="开展不少于 3 次集中支教，每次 30 名以上志愿者；为每个孩子建立学习档案；与社区形成长期结对。",
    budget=7000,
    posted=-52,
    deadline=-45,
    hosting=(-41, -26),
    credited=True,
    bids=(
        BidSpec(
            CS_UNION,
            6500,
            "“代码小课堂”进社区：作业辅导加编程启蒙、科学小实验，计算机学院学生会组织。",
            "## 每次活动\n"
            "- 14:00–15:00 作业辅导，一名志愿者带两个孩子\n"
            "- 15:00–17:00 兴趣课堂：Scratch 编程小游戏、科学小实验轮换\n"
            "- 17:00–17:30 整理活动室，填写学习档案\n\n"
            "## 保障\n"
            "往返统一包车，每次出发前清点人数；社区工作人员全程在场。",
            "三次集中支教，间隔三到四天",
            40,
            mark=87,
            remark="活动设计贴合孩子的年龄，安全保障考虑周到。",
        ),
        BidSpec(
            LANGUAGES_UNION,
            6000,
            "英语绘本共读和趣味英语游戏，外国语学院学生会组织。",
            "每次活动一小时作业辅导、两小时英语绘本共读和游戏，志愿者以英语专业同学为主。",
            "三次集中支教",
            30,
            mark=80,
        ),
    ),
)

FAIR = ProjectSpec(
    title="校园招聘会志愿服务",
    category=ProjectCategory.CAREER,
    description=(
        "学校就业指导中心将举办年度大型校园招聘会，预计 200 余家用人单位进校、上万人次参会。"
        "需要一支训练有素的志愿者队伍，承担会前的场地布置和宣传，会中的企业签到、会场引导、秩序维护，"
        "以及外企展位的翻译协助。"
    ),
    outcomes=(
        "招募并培训志愿者不少于 150 人次；招聘会当天各展区引导到位、无安全事故；参会企业和同学对志愿服务的"
        "满意度不低于 90%。"
    ),
    budget=9000,
    posted=-27,
    deadline=-20,
    hosting=(-16, 21),
    credited=True,
    bids=(
        BidSpec(
            HOST_CLUB,
            8500,
            "青年志愿者协会已连续三届承办招聘会志愿服务，有成熟的岗位手册和培训流程。",
            "## 岗位设置\n"
            "- 会前场地布置：分三批完成展位编号、指示牌和物资摆放\n"
            "- 企业签到与资料发放：抽签录用，保证公平\n"
            "- 会场引导：上午、下午两班\n"
            "- 外企展位英语翻译：须参加岗前培训，经审核录用\n\n"
            "## 培训\n"
            "所有志愿者参加岗前培训，内容包括会场动线、应急疏散和礼仪规范。",
            "第 1 周招募和培训，第 2–3 周场地布置和宣传，招聘会当天全员上岗",
            150,
            mark=88,
            remark="经验丰富，岗位划分清楚，录用方式公平透明。",
        ),
        BidSpec(
            ECON_UNION,
            7800,
            "经管学院学生会组织，以经管类同学为主，熟悉企业招聘流程。",
            "设引导、签到、咨询三类岗位，志愿者由各班推荐。",
            "第 2–3 周筹备，招聘会当天上岗",
            100,
            mark=79,
        ),
        BidSpec(
            "英语角",
            6900,
            "英语角承担外企展位的翻译和引导。",
            "招募英语口语好的同学担任外企展位翻译，并协助引导。",
            "招聘会前一周培训",
            40,
            mark=75,
        ),
    ),
    questions=(
        QuestionSpec(
            ECON_UNION,
            "志愿者的马甲和工作餐可以列入预算吗？",
            "可以。马甲请按实际人数采购；工作餐每人每餐不超过 20 元，结项时附发票。",
        ),
    ),
)

UNION_TRAINING = "学生会志愿服务通识培训"
FORGOT_PHONE = "手机没电未能扫码，现场负责人核实在岗后补登。"
UNCONFIRMED_BY_HAND = "补登的考勤没有附现场签到表或照片，暂不予认定；如有材料，可在申诉期内提出申诉。"
SICK = "当天中午突发急性肠胃炎去了校医院，有就诊记录，情急之下忘了在系统里请假，请求撤销缺勤记录。"
LATE_APPEAL = (
    "我 12 点就到了摊位帮忙搬物资，但当时手机没电没能扫码，12 点 40 分借同学的手机才签上到。"
    "摊位负责人可以作证，申请按 1.5 小时认定。"
)


def thirds(people: list[User]) -> list[list[User]]:
    size = -(-len(people) // 3)
    return [people[i : i + size] for i in range(0, len(people), size)]


# -- the steps the two stories share --------------------------------------------------------------------


def position(host: User, project: Project, title: str, description: str, **fields) -> Position:
    data = {"title": title, "description": description, "admission": Admission.FIRST_COME, **fields}
    return positions.save_position(host, project, Position(), data)


def shift(
    host: User, post: Position, starts: datetime, ends: datetime, place: str, capacity: int, hours: str
) -> Shift:
    data = {"starts_at": starts, "ends_at": ends, "place": place, "capacity": capacity}
    return positions.save_shift(host, post, Shift(), {**data, "credit_hours": Decimal(hours)})


def sign_up(demo: Demo, at: datetime, shift_: Shift, people: list[User]) -> list[Signup]:
    demo.travel(at)
    made = [signups.sign_up(student, shift_) for student in people]
    demo.created["volunteer sign-ups"] += len(made)
    return made


def scan(demo: Demo, shift_: Shift, signups: list[Signup], at: datetime) -> None:
    """签到 or 签退 with the rotating code: the volunteers scan over the nine minutes up to ``at``."""
    demo.travel(at)
    for n, signup in enumerate(signups):
        scanned = at - timedelta(minutes=n % 9)
        code = attendance.checkin_code(shift_, scanned)
        attendance.check_in_or_out(signup.user, shift_, {"code": code}, scanned_at=scanned)


def attend(demo: Demo, host: User, shift_: Shift, signups: list[Signup], by_hand: list[Signup]) -> None:
    """A shift as it usually goes: in and out by code, a phone or two flat (the host marks those by
    hand), and attendance confirmed after it (which makes the credit records)."""
    scanned = [s for s in signups if s not in by_hand]
    scan(demo, shift_, scanned, shift_.starts_at)
    scan(demo, shift_, scanned, shift_.ends_at + timedelta(minutes=8))
    confirm(demo, host, shift_, by_hand)


def confirm(demo: Demo, host: User, shift_: Shift, by_hand: list[Signup]) -> None:
    """The host marks ``by_hand`` and, after the shift, confirms its attendance."""
    for signup in by_hand:
        attendance.mark_attendance(
            host,
            signup,
            {"checked_in_at": shift_.starts_at, "checked_out_at": shift_.ends_at, "reason": FORGOT_PHONE},
        )
    demo.travel(shift_.ends_at + timedelta(minutes=40))
    demo.created["credit records"] += attendance.confirm_attendance(host, shift_)


def verify(demo: Demo, at: datetime, shifts: list[Shift]) -> None:
    """The league reviewer verifies every record the host confirmed for ``shifts`` (批量认定)."""
    demo.travel(at)
    waiting = db.session.scalars(
        select(CreditRecord).where(
            CreditRecord.shift_id.in_([s.id for s in shifts]), CreditRecord.status == CreditStatus.CONFIRMED
        )
    ).all()
    records.verify(cycle.account(cycle.LEAGUE_REVIEWER), waiting)


# -- the stories ---------------------------------------------------------------------------------------


def union_training(demo: Demo) -> None:
    """A training the school union's staff held three weeks ago, with its attendance."""
    held = db.session.scalar(
        select(Training.id).where(Training.title == UNION_TRAINING, Training.project_id.is_(None))
    )
    if held is not None or not demo.reaches_back(24):
        return
    staff = cycle.account(cycle.STAFF[OrgKind.SCHOOL_UNION])
    demo.travel(demo.day(-24, "16:00"))
    training = positions.save_training(
        staff,
        None,
        Training(),
        {"title": UNION_TRAINING, "held_at": demo.day(-23, "19:00"), "place": "大学生活动中心报告厅"},
    )
    demo.travel(demo.day(-23, "21:30"))
    positions.record_training_attendance(
        staff, training, {"students": demo.rng("union training").sample(students(demo), 80)}
    )
    demo.created["trainings"] += 1


def community_teaching(demo: Demo) -> None:
    """Hosted by 计算机学院学生会: three afternoons of shifts, a sharing evening on campus, the credits
    verified, the completion report — then evaluated, and closed with its final score a few days ago
    (see :mod:`.evaluation`)."""
    if not cycle.should_tell(demo, TEACHING):
        return
    project, host = cycle.to_hosting(demo, TEACHING, -44)

    demo.travel(demo.day(-39, "10:00"))
    tutoring = position(
        host,
        project,
        "社区课后辅导",
        "辅导小学生完成作业，带领兴趣课堂。请耐心对待孩子，统一乘车往返。",
    )
    shifts = [
        shift(host, tutoring, demo.day(day, "14:00"), demo.day(day, "17:30"), "阳光社区活动室", 40, "3")
        for day in (-36, -33, -29)
    ]
    hosting.post_progress(
        host,
        project,
        {
            "milestone": "启动招募",
            "percent": 10,
            "body": "已与阳光社区确认三次集中支教的时间，每次下午两点到五点半：作业辅导一小时，"
            "兴趣课堂两小时。志愿者招募已开放，每次 40 人，先到先得。",
        },
    )
    demo.travel(demo.day(-38, "09:00"))
    hosting.record_expenditure(
        host,
        project,
        {
            "spent_on": demo.today - timedelta(days=38),
            "item": "教具、文具和科学小实验材料",
            "amount": Decimal("1680"),
        },
    )
    everyone = students(demo)
    volunteers = everyone[: len(everyone) // 2]
    progress = [
        (35, "第一次支教完成", "孩子们用 Scratch 做出了自己的第一个小游戏，家长接孩子时都来看了。"),
        (65, "第二次支教完成", "科学小实验“会跳舞的盐”最受欢迎；学习档案已为每个孩子建好。"),
        (90, "第三次支教完成", "三次支教全部完成。社区希望下学期继续，我们正在商量长期结对的方式。"),
    ]
    for shift_, group, (percent, milestone, body) in zip(shifts, thirds(volunteers), progress, strict=True):
        signups = sign_up(demo, shift_.starts_at - timedelta(days=2, hours=2), shift_, group)
        attend(demo, host, shift_, signups, by_hand=signups[-1:])
        demo.travel(shift_.ends_at + timedelta(hours=3))
        hosting.post_progress(host, project, {"milestone": milestone, "percent": percent, "body": body})
    demo.travel(demo.day(-28, "11:00"))
    hosting.record_expenditure(
        host,
        project,
        {
            "spent_on": demo.today - timedelta(days=29),
            "item": "往返社区包车（三次）",
            "amount": Decimal("2400"),
        },
    )
    # The sharing evening: students who did not volunteer come to hear about it, and check in.
    audience = demo.rng("teaching: sharing evening").sample(
        [s for s in everyone[len(everyone) // 2 :] if s.student_no not in fixed_logins()], 16
    )
    evaluation.check_in(demo, host, project, demo.day(-28, "19:00"), audience)

    demo.travel(demo.day(-27, "20:00"))
    hosting.submit_completion(
        host,
        project,
        {
            "outcomes": f"三次集中支教共 {len(volunteers)} 人次志愿者参加，服务社区小学生 62 名；"
            "为每个孩子建立了学习档案，作业按时完成率明显提高。社区已同意下学期继续合作，按学期结对。"
            f"结项前在大学生活动中心办了一场支教分享会，{len(audience)} 位同学到场。",
            "participants": len(volunteers) + 62 + len(audience),
            "spending_summary": "教具和实验材料 1680 元，包车 2400 元，合计 4080 元，低于中标预算。",
        },
    )
    verify(demo, demo.day(-26, "09:00"), shifts)
    took_part = [s for s in volunteers if s.student_no not in fixed_logins()] + audience
    evaluation.evaluate(
        demo,
        TEACHING,
        project,
        evaluation.TEACHING_VERDICT,
        completed=-27,
        respondents=demo.rng("teaching: respondents").sample(took_part, 28),
    )


@dataclass(frozen=True)
class FairShifts:
    """The career fair's shifts, by what they are for."""

    setup: list[Shift]  # past, one third of the students each
    stall: Shift  # the day before yesterday: the records still waiting, and their trouble
    morning: Shift  # the fair's first guide shift: small, so it fills up and keeps a waiting list
    afternoon: Shift  # seats left
    sign_in: Shift  # by lottery, drawn yesterday
    translate: Shift  # by the host's approval, after the training
    pack: Shift  # in three days, seats left


def fair_shifts(demo: Demo, host: User, project: Project, training: Training) -> FairShifts:
    setup = position(host, project, "会前场地布置", "布置展位编号和指示牌，搬运桌椅和宣传物资。请穿运动鞋。")
    stall = position(host, project, "宣传摊位值守", "在食堂门口发放招聘会参会指南，解答同学们的问题。")
    guide = position(host, project, "会场引导", "在各展区入口引导同学，维持排队秩序。")
    sign_in = position(
        host,
        project,
        "企业签到与资料发放",
        "为参会企业办理签到，发放资料袋和餐券。报名人数多，报名截止后公开抽签。",
        admission=Admission.LOTTERY,
        signup_closes_at=demo.day(-1, "20:00"),
    )
    translate = position(
        host,
        project,
        "外企展位英语翻译",
        "协助外企展位与同学交流。须参加岗前培训，英语口语流利，由承办方审核录用。",
        admission=Admission.APPROVAL,
        required_training_id=training.id,
    )
    pack = position(host, project, "物资清点与装袋", "清点企业资料和参会指南，按展位装袋。")

    def at(post: Position, day: int, hours: tuple[str, str], place: str, capacity: int, credit: str) -> Shift:
        return shift(host, post, demo.day(day, hours[0]), demo.day(day, hours[1]), place, capacity, credit)

    fair_day = 10
    return FairShifts(
        setup=[at(setup, day, ("14:00", "17:30"), "体育馆", 40, "3") for day in (-10, -7, -4)],
        stall=at(stall, -2, ("12:00", "13:30"), "第一食堂门口", 10, "1.5"),
        morning=at(guide, fair_day, ("08:30", "12:30"), "体育馆一楼", 10, "4"),
        afternoon=at(guide, fair_day, ("13:30", "17:30"), "体育馆一楼", 20, "4"),
        sign_in=at(sign_in, fair_day, ("07:30", "12:00"), "体育馆东门", 6, "4"),
        translate=at(translate, fair_day, ("09:00", "16:30"), "体育馆二楼外企展区", 4, "6"),
        pack=at(pack, 3, ("18:30", "21:00"), "学生活动中心仓库", 15, "2"),
    )


def stall_afternoon(demo: Demo, host: User, stall: Shift, signups: list[Signup]) -> tuple[Signup, Signup]:
    """Most scan in and out; one comes late, one's phone is flat (the host marks them by hand), one never
    comes and appeals the 缺勤 that evening. Returns the late one and the hand-marked one."""
    *on_time, late, flat_phone, absent = signups
    scan(demo, stall, on_time, stall.starts_at)
    scan(demo, stall, [late], stall.starts_at + timedelta(minutes=40))
    scan(demo, stall, [*on_time, late], stall.ends_at + timedelta(minutes=8))
    confirm(demo, host, stall, [flat_phone])
    tasks.mark_no_shows()  # the periodic step
    demo.travel(stall.ends_at + timedelta(hours=5))
    reliability.appeal_no_show(absent.user, absent, {"reason": SICK})
    return late, flat_phone


def career_fair(demo: Demo) -> None:
    """Hosted by 青年志愿者协会 (2023000021): see the module's docstring."""
    if not cycle.should_tell(demo, FAIR):
        return
    project, host = cycle.to_hosting(demo, FAIR, -19)

    everyone = students(demo)
    fixed = [s for s in everyone if s.student_no in fixed_logins()]
    # Those who sign up for the stall and the fair itself: never the fixed logins, whose upcoming
    # shifts are left for a newcomer to sign up for.
    pool = demo.rng("fair").sample([s for s in everyone if s not in fixed], 100)
    stall_crew, lottery, guides, packers, translators = (
        pool[:10],
        pool[10:22],
        pool[22:42],
        pool[42:47],
        pool[47:52],
    )

    demo.travel(demo.day(-14, "10:00"))
    hosting.post_progress(
        host,
        project,
        {
            "milestone": "筹备启动",
            "percent": 10,
            "body": "与就业指导中心确认了展区划分和志愿者需求：场地布置约 120 人次，签到 6 人，引导 30 人，"
            "翻译 4 人。招募通知已发布，岗前培训定在明晚。",
        },
    )
    training = positions.save_training(
        host,
        project,
        Training(),
        {"title": "招聘会志愿者岗前培训", "held_at": demo.day(-13, "19:00"), "place": "大学生活动中心 201"},
    )
    demo.created["trainings"] += 1
    shifts = fair_shifts(demo, host, project, training)
    demo.travel(demo.day(-13, "21:00"))
    positions.record_training_attendance(host, training, {"students": pool[47:97] + fixed})
    demo.travel(demo.day(-12, "10:00"))
    hosting.record_expenditure(
        host,
        project,
        {"spent_on": demo.today - timedelta(days=12), "item": "志愿者马甲 150 件", "amount": Decimal("2250")},
    )

    for n, (shift_, group) in enumerate(
        zip(shifts.setup, thirds(everyone[len(everyone) // 2 :]), strict=True)
    ):
        signups = sign_up(demo, shift_.starts_at - timedelta(days=2, hours=2), shift_, group)
        attend(demo, host, shift_, signups, by_hand=signups[-1:])
        if n == 0:
            demo.travel(shift_.ends_at + timedelta(hours=16))
            hosting.post_progress(
                host,
                project,
                {
                    "milestone": "第一批场地布置完成",
                    "percent": 35,
                    "body": "体育馆一楼 80 个展位的编号和指示牌全部就位，接下来布置二楼外企展区。",
                },
            )
            hosting.record_expenditure(
                host,
                project,
                {
                    "spent_on": local(shift_.starts_at).date(),
                    "item": "展位指示牌与易拉宝制作",
                    "amount": Decimal("1380"),
                },
            )
    stall_signups = sign_up(demo, demo.day(-4, "20:00"), shifts.stall, stall_crew)
    demo.travel(demo.day(-3, "10:00"))
    hosting.record_expenditure(
        host,
        project,
        {
            "spent_on": demo.today - timedelta(days=3),
            "item": "志愿者工作餐（场地布置三天）",
            "amount": Decimal("1560"),
            "note": "每人每餐 14 元。",
        },
    )
    hosting.post_progress(
        host,
        project,
        {
            "milestone": "场地布置全部完成",
            "percent": 60,
            "body": "三批场地布置全部完成。招聘会当天的引导、签到、翻译岗位正在招募，"
            "签到岗报名截止后公开抽签。",
        },
    )
    sign_up(demo, demo.day(-3, "10:30"), shifts.sign_in, lottery)
    applications = sign_up(demo, demo.day(-3, "11:00"), shifts.translate, translators)
    sign_up(demo, demo.day(-2, "09:00"), shifts.morning, guides[:13])
    sign_up(demo, demo.day(-2, "09:20"), shifts.afternoon, guides[13:])
    sign_up(demo, demo.day(-2, "09:40"), shifts.pack, packers)
    late, flat_phone = stall_afternoon(demo, host, shifts.stall, stall_signups)

    demo.travel(demo.day(-2, "20:00"))
    admission.decide(host, applications[0], {"accept": True})
    verify(demo, demo.day(-1, "10:00"), shifts.setup)
    demo.travel(demo.day(-1, "10:30"))
    hand_marked = db.session.scalar(select(CreditRecord).where(CreditRecord.signup_id == flat_phone.id))
    records.reject(cycle.account(cycle.LEAGUE_REVIEWER), hand_marked, {"reason": UNCONFIRMED_BY_HAND})
    demo.travel(demo.day(-1, "12:00"))
    records.file_appeal(late.user, shifts.stall, {"reason": LATE_APPEAL, "hours_claimed": Decimal("1.5")})
    demo.travel(demo.day(-1, "20:10"))
    admission.draw_lottery(shifts.sign_in, host)
