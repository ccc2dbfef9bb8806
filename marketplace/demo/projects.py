"""The demo's projects before hosting, one in each state: a draft, one waiting for the league's
approval, one open for bids, one in review, one failed (流标), one cancelled and one in its award
notice with an objection pending. The hosted ones are in :mod:`.volunteering`."""

from __future__ import annotations

from ..accounts.models import User
from ..orgs.models import OrgKind
from ..projects import lifecycle
from ..projects.models import ProjectCategory
from ..review import operations as review
from . import cycle, school
from .context import Demo
from .cycle import BidSpec, ProjectSpec, QuestionSpec
from .people import roster_plan

CS_UNION = school.college_union_name("计算机科学与技术学院")
MATH_UNION = school.college_union_name("数学与统计学院")
ECON_UNION = school.college_union_name("经济管理学院")
ARTS_UNION = school.college_union_name("文学院")

DRAFT = ProjectSpec(
    title="宿舍用电安全宣传月",
    category=ProjectCategory.RIGHTS,
    description=(
        "近期宿舍安全检查中，多栋宿舍楼查出违规使用大功率电器，不少同学对学校的限电规定和安全用电常识并不"
        "了解。希望由熟悉宿舍情况的组织承办为期一个月的宣传活动：逐楼宣讲，制作通俗易懂的图解材料，并配合"
        "宿管中心开展一次消防疏散演练。"
    ),
    outcomes=(
        "覆盖全部本科生宿舍楼；发放安全用电图解 3000 份；组织消防疏散演练 1 次；"
        "宣传月后违规电器检出数明显下降。"
    ),
    budget=4000,
    posted=-1,
    deadline=12,
    hosting=(19, 48),
    kinds=(OrgKind.COLLEGE_UNION, OrgKind.CLUB, OrgKind.CLASS),
)

MAJOR = ProjectSpec(
    title="校园十佳歌手大赛",
    category=ProjectCategory.CULTURE_SPORTS,
    description=(
        "“校园十佳歌手大赛”是同学们期待的年度文艺活动。今年计划分海选、复赛、决赛三轮，决赛在大学生活动中心"
        "举行，需要专业的舞台、音响灯光和网络直播。预算超过重大项目标准，须经校团委审核后发布。"
    ),
    outcomes=(
        "海选报名不少于 150 人次；决赛现场观众 800 人、直播观看 5000 人次；评选出“校园十佳歌手”，"
        "并推荐优秀选手参加省大学生艺术展演。"
    ),
    budget=30000,
    posted=-2,
    deadline=14,
    hosting=(21, 60),
)

OPEN = ProjectSpec(
    title="期末心理减压周",
    category=ProjectCategory.WELLBEING,
    description=(
        "期末考试前，不少同学反映焦虑、失眠、复习效率低。希望在考试周前举办为期一周的减压活动：团体辅导、"
        "正念放松练习、“解忧信箱”等，地点尽量靠近图书馆和宿舍区，方便同学们利用课余时间参加。"
    ),
    outcomes=(
        "举办活动不少于 10 场、参与 600 人次；与学校心理健康教育中心合作，为需要帮助的同学提供转介渠道；"
        "活动后满意度平均不低于 4 分（满分 5 分）。"
    ),
    budget=6000,
    posted=-6,
    deadline=9,
    hosting=(14, 35),
    kinds=(OrgKind.COLLEGE_UNION, OrgKind.CLUB, OrgKind.CLASS),
    bids=(
        BidSpec(
            "心理健康协会",
            5600,
            "联合学校心理健康教育中心，开展团体辅导和每日正念练习，并在宿舍区开设“解忧信箱”。",
            "## 活动安排\n"
            "- 周一至周五中午：图书馆一楼正念放松练习，每场 30 分钟\n"
            "- 周二、周四晚上：团体辅导“和焦虑做朋友”，每场 20 人\n"
            "- 全周：宿舍区“解忧信箱”，心理委员 48 小时内回信\n\n"
            "## 安全保障\n"
            "带领者均已完成心理中心的朋辈辅导员培训，遇到需要帮助的同学按学校流程转介。",
            "考试周前一周的周一至周五",
            25,
        ),
        BidSpec(
            "摄影协会",
            4700,
            "“定格好心情”：在图书馆门口开设免费“微笑照相馆”，配合减压打卡征集照片并办展。",
            "## 活动安排\n"
            "- 每天 12:00–14:00 在图书馆门口免费拍摄，现场打印一张留念\n"
            "- 征集“我的减压时刻”照片，评选 20 幅在食堂走廊展出\n\n"
            "## 预算说明\n"
            "相纸和墨盒 2400 元，展板制作 1500 元，奖品 800 元。",
            "考试周前一周，展览持续到考试周结束",
            12,
        ),
        BidSpec(
            ARTS_UNION,
            5200,
            "“书香解忧”：读书分享、诗歌朗读会和给一周后的自己写一封信。",
            "## 活动安排\n"
            "- 三场读书分享会，老师推荐减压好书\n"
            "- 一场草地诗歌朗读会\n"
            "- “写给一周后的自己”：考试结束后把信送到同学手中",
            "考试周前一周",
            18,
        ),
    ),
    questions=(
        QuestionSpec(
            "心理健康协会",
            "活动场地由学生会统一协调，还是需要承办方自己向学校申请？",
            "图书馆一楼大厅和大学生活动中心 201 由学生会统一协调；其他场地请承办方按学校流程自行申请，"
            "学生会可以协助盖章。",
        ),
        QuestionSpec(
            ARTS_UNION,
            "可以两个组织联合竞标吗？预算上限是按联合体计算吗？",
            "可以联合承办，但请由一个组织牵头提交标书，并在方案中写明分工；预算上限按整个项目计算，"
            "不因联合而增加。",
        ),
    ),
)

REVIEWING = ProjectSpec(
    title="新生学业互助计划",
    category=ProjectCategory.ACADEMIC,
    description=(
        "不少大一新生反映高等数学、程序设计等课程跟不上，又不好意思向老师提问。希望组织高年级同学为新生开设"
        "固定的答疑时段，并在期中、期末前开设专题复习课，帮助新生尽快适应大学的学习节奏。"
    ),
    outcomes=(
        "每周不少于 4 个固定答疑时段，持续 10 周；期中、期末前各举办 3 场专题复习课；"
        "服务新生不少于 300 人次。"
    ),
    budget=8000,
    posted=-16,
    deadline=-2,
    hosting=(5, 75),
    credited=True,
    bids=(
        BidSpec(
            "朋辈学业互助社",
            7600,
            "依托互助社 40 名学业导师按课程分组答疑，并建立线上“问题墙”，48 小时内答复。",
            "## 答疑安排\n"
            "- 周一至周四晚 19:00–21:00，图书馆研讨间，高数、线代、程序设计、大学物理各一个时段\n"
            "- 线上“问题墙”：拍照提问，导师 48 小时内答复\n\n"
            "## 复习课\n"
            "期中、期末前各 3 场，由成绩优秀的学长学姐主讲，课件公开。",
            "第 1 周招募培训导师，第 2–11 周常规答疑，第 8 周、第 16 周复习课",
            40,
            mark=86,
            remark="有成熟的导师队伍，答疑安排具体。",
        ),
        BidSpec(
            MATH_UNION,
            6800,
            "数统学院学生会学习部牵头，组织数学专业高年级同学开设高数、线代答疑和考前串讲。",
            "每周二、四晚在理科楼 105 答疑；期中、期末前各举办两次串讲，讲义由任课老师审阅。",
            "第 2–12 周",
            20,
            mark=81,
        ),
        BidSpec(
            CS_UNION,
            7200,
            "“代码诊所”：每周三个晚上在机房帮新生调试程序、讲解编程思路。",
            "周一、三、五晚在计算中心 302 机房坐诊；每两周一次“从报错到运行”小讲座。",
            "第 2–12 周",
            24,
            mark=78,
        ),
    ),
)

FAILED = ProjectSpec(
    title="研究生学术英语写作工作坊",
    category=ProjectCategory.RESEARCH,
    description=(
        "不少研究生在撰写英文论文和投稿时遇到困难：结构不清、学术表达不地道、不熟悉期刊投稿流程。希望举办"
        "系列写作工作坊，邀请有发表经验的老师和博士生分享，并为同学的论文提供一对一修改建议。"
    ),
    outcomes="举办 4 次工作坊，每次 40 人；为 20 篇论文提供一对一修改建议；整理一份常用学术表达手册。",
    budget=5000,
    posted=-20,
    deadline=-8,
    hosting=(-1, 30),
    union=OrgKind.GRADUATE_UNION,
)

CANCELLED = ProjectSpec(
    title="草坪音乐节",
    category=ProjectCategory.CULTURE_SPORTS,
    description=(
        "在图书馆前草坪举办一场露天音乐节，由校园乐队、街舞和民乐社团轮番演出，同学们可以带上野餐垫，"
        "在傍晚放松一下。"
    ),
    outcomes="演出不少于 3 小时，节目 15 个以上，现场观众 1000 人次。",
    budget=9000,
    posted=-12,
    deadline=3,
    hosting=(10, 20),
    bids=(
        BidSpec(
            "街舞社",
            8500,
            "街舞社联合校园乐队承办，节目以街舞、乐队和民乐串烧为主。",
            "傍晚 18:00 开场，分“热身”“律动”“夜色”三个篇章；舞台、音响向学校申请，灯光外租。",
            "演出前两周排练，演出当天下午布场",
            30,
        ),
    ),
)
CANCEL_REASON = (
    "图书馆前草坪下周起进行排水改造，本学期都无法使用。经与校团委沟通，本学期暂停举办草坪音乐节，"
    "下学期另行发榜。"
)

NOTICE = ProjectSpec(
    title="考研经验分享会",
    category=ProjectCategory.CAREER,
    description=(
        "每年都有很多同学咨询考研择校、专业课复习和复试准备，但网上信息零散、真假难辨。希望邀请已经成功"
        "上岸的学长学姐，按学科门类举办系列分享会，并整理一份公开的经验手册。"
    ),
    outcomes=(
        "按理工、经管、人文社科分 3 场举办，每场不少于 150 人；会后整理《考研经验手册》电子版并公开；"
        "汇总同学们的提问，形成常见问题解答。"
    ),
    budget=3000,
    posted=-14,
    deadline=-5,
    hosting=(7, 30),
    bids=(
        BidSpec(
            MATH_UNION,
            2800,
            "邀请 9 位已录取的学长学姐，分三场按学科门类分享，并整理成经验手册。",
            "## 分享安排\n"
            "- 理工专场：数学、计算机、机械方向各 1 位\n"
            "- 经管专场：经济、管理、统计方向各 1 位\n"
            "- 人文社科专场：中文、外语、法学方向各 1 位\n\n"
            "每场后半段为答疑，提问统一收集后写进手册。",
            "第 1 周联系嘉宾，第 2–4 周每周一场，第 5 周发布手册",
            10,
            mark=85,
            remark="嘉宾覆盖面广，手册可以长期使用。",
        ),
        BidSpec(
            ECON_UNION,
            2600,
            "以经管类考研为主，邀请学长学姐分享择校和复试经验。",
            "两场分享会加一场复试模拟，嘉宾以本院已录取同学为主。",
            "第 2–4 周",
            8,
            mark=78,
        ),
        BidSpec(
            "朋辈学业互助社",
            2900,
            "结合互助社的学业辅导经验，开设公共课复习方法分享和专业课答疑。",
            "三场分享：英语、政治、数学公共课各一场，另设线上答疑群。",
            "第 2–5 周",
            12,
            mark=76,
        ),
    ),
)
OBJECTION = (
    "公示的中标方案中，分享嘉宾多数来自数学与统计学院，经管和人文社科方向的同学需求覆盖不够；"
    "“服务同学实效”一项得分偏高，希望校团委复核评分。"
)


def draft(demo: Demo) -> None:
    """草稿: written yesterday, not yet published — the staff can edit and publish it."""
    if cycle.should_tell(demo, DRAFT):
        cycle.draft(demo, DRAFT)


def pending_approval(demo: Demo) -> None:
    """A major project the staff submitted two days ago: waiting in the league reviewer's queue."""
    if cycle.should_tell(demo, MAJOR):
        cycle.post(demo, MAJOR)


def open_for_bids(demo: Demo) -> None:
    """Open for another week and more, with three sealed bids and two questions answered."""
    if cycle.should_tell(demo, OPEN):
        project = cycle.post(demo, OPEN)
        cycle.ask_and_answer(demo, OPEN, project)
        cycle.submit_bids(demo, OPEN, project)


def in_review(demo: Demo) -> None:
    """Bidding closed two days ago; of the panel, two have submitted their scores, one has started,
    and two (the fixed student evaluators) have yet to declare — their work waits for them."""
    if not cycle.should_tell(demo, REVIEWING):
        return
    project = cycle.post(demo, REVIEWING)
    bids = cycle.submit_bids(demo, REVIEWING, project)
    cycle.close_bidding(demo, project)
    finished = cycle.panel(demo, project, 2)
    started, *waiting = (cycle.account(identifier) for identifier in cycle.STUDENT_EVALUATORS)
    cycle.seat(demo, REVIEWING, project, [*finished, started, *waiting], -1)
    for panelist, hhmm in zip(finished, ("10:30", "14:00"), strict=True):
        demo.travel(demo.day(-1, hhmm))
        cycle.score(demo, REVIEWING, project, panelist, bids)
    demo.travel(demo.day(-1, "21:00"))
    cycle.score(demo, REVIEWING, project, started, bids[:1], submit=False)


def failed(demo: Demo) -> None:
    """流标: the graduate union's project closed a week ago without a bid; its staff may repost it."""
    if cycle.should_tell(demo, FAILED):
        project = cycle.post(demo, FAILED)
        cycle.close_bidding(demo, project)


def cancelled(demo: Demo) -> None:
    """Cancelled while open (the venue fell through); its bidder was told."""
    if cycle.should_tell(demo, CANCELLED):
        project = cycle.post(demo, CANCELLED)
        cycle.submit_bids(demo, CANCELLED, project)
        demo.travel(demo.day(-7, "11:00"))
        lifecycle.apply(project, "cancel", cycle.staff_of(CANCELLED), reason=CANCEL_REASON)


def award_notice(demo: Demo) -> None:
    """Awarded yesterday afternoon; a student objected in the evening, and the objection waits for the
    league reviewer (so the notice stays up until it is ruled on)."""
    if not cycle.should_tell(demo, NOTICE):
        return
    project = cycle.post(demo, NOTICE)
    bids = cycle.submit_bids(demo, NOTICE, project)
    cycle.close_bidding(demo, project)
    cycle.review_and_award(demo, NOTICE, project, bids, -2)
    demo.travel(demo.day(-1, "21:30"))
    review.object_to(objector(demo), project, {"reason": OBJECTION})


def objector(demo: Demo) -> User:
    """A roster student of 经济管理学院 (whose students the objection speaks for)."""
    return cycle.account(
        next(s.number for s in roster_plan(demo) if s.college == "经济管理学院" and not s.graduate)
    )
