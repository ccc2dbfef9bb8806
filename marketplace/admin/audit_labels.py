"""How the audit log reads in Chinese: every action the code records, what an entry is about, the
fields of its before/after, and their values in words.

``ACTIONS`` holds each action once: its name (what the filter lists) and a sentence with the subject
in it ("修改了 %(subject)s 的系统角色", after the actor's name). ``tests/admin/test_audit_labels.py``
fails when the code records an action that has no entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import settings
from ..accounts.models import AccountKind, AccountStatus, DegreeLevel, PoliticalStatus, SiteRole
from ..credits.models import AppealStatus as CreditAppealStatus
from ..credits.models import CreditStatus
from ..disclosure.models import AnnouncementKind, PublicationStatus, SuggestionStatus
from ..evaluation.models import FinalOutcome, ImprovementStatus
from ..formatting import local_datetime
from ..needs.models import NeedAppealStatus, NeedCommentStatus, NeedStatus
from ..orgs.models import MemberRole, OrgKind
from ..projects.models import FIELD_LABELS as PROJECT_FIELD_LABELS
from ..projects.models import CriterionPurpose, ProjectCategory, ProjectState
from ..review.models import NoticeStatus, ObjectionStatus
from ..staff_review.models import ReviewStatus, StaffGrade, TalkStatus
from ..surveys.models import CommentStatus, SurveyStatus
from ..volunteers.models import Admission, SignupStatus
from ..volunteers.models import AppealStatus as NoShowAppealStatus


@dataclass(frozen=True)
class ActionLabel:
    name: str  # lazy: what the action filter lists
    sentence: str  # lazy, with %(subject)s: what the actor did


A = ActionLabel

# action -> its name and sentence, grouped as the filter groups them (by the part before the dot)
ACTIONS: dict[str, ActionLabel] = {
    # projects: editing, Q&A, and every step of the lifecycle (projects/lifecycle.py: TRANSITIONS)
    "project.create": A(_l("创建项目"), _l("创建了项目 %(subject)s")),
    "project.update": A(_l("修改项目"), _l("修改了项目 %(subject)s")),
    "project.change": A(_l("发布项目变更"), _l("发布了项目 %(subject)s 的变更")),
    "project.repost": A(_l("重新发榜"), _l("将流标项目重新发榜为 %(subject)s")),
    "project.question": A(_l("提问"), _l("就项目提出了问题 %(subject)s")),
    "project.answer": A(_l("答复提问"), _l("答复了问题 %(subject)s")),
    "project.publish": A(_l("发布项目"), _l("发布了项目 %(subject)s")),
    "project.submit": A(_l("提交审核"), _l("将项目 %(subject)s 提交校团委审核")),
    "project.approve": A(_l("审核通过"), _l("审核通过了项目 %(subject)s")),
    "project.return": A(_l("退回修改"), _l("将项目 %(subject)s 退回修改")),
    "project.close_bidding": A(_l("竞标截止"), _l("截止了项目 %(subject)s 的竞标")),
    "project.fail": A(_l("流标"), _l("宣布项目 %(subject)s 流标")),
    "project.award": A(_l("公示评标结果"), _l("公示了项目 %(subject)s 的评标结果")),
    "project.uphold_objection": A(_l("异议成立，重新评标"), _l("因异议成立将项目 %(subject)s 退回评标")),
    "project.pass_award": A(_l("中标递补"), _l("将项目 %(subject)s 的中标资格递补给下一名")),
    "project.fail_after_decline": A(_l("放弃中标后流标"), _l("因中标方放弃宣布项目 %(subject)s 流标")),
    "project.start_hosting": A(_l("开始承办"), _l("使项目 %(subject)s 进入承办")),
    "project.complete": A(_l("提交结项"), _l("提交了项目 %(subject)s 的结项报告")),
    "project.close": A(_l("项目结项"), _l("将项目 %(subject)s 结项")),
    "project.cancel": A(_l("取消项目"), _l("取消了项目 %(subject)s")),
    "project.request_cancel": A(_l("申请取消项目"), _l("申请取消项目 %(subject)s")),
    "project.approve_cancel": A(_l("批准取消项目"), _l("批准取消项目 %(subject)s")),
    # bids (recorded by id and content hash, never content)
    "bid.submit": A(_l("提交标书"), _l("提交了标书 %(subject)s")),
    "bid.update": A(_l("修改标书"), _l("修改了标书 %(subject)s")),
    "bid.resubmit": A(_l("重新提交标书"), _l("重新提交了标书 %(subject)s")),
    "bid.confirm": A(_l("确认标书"), _l("确认了标书 %(subject)s")),
    "bid.withdraw": A(_l("撤回标书"), _l("撤回了标书 %(subject)s")),
    "bid.attach": A(_l("上传标书附件"), _l("为标书 %(subject)s 上传了附件")),
    "bid.detach": A(_l("删除标书附件"), _l("删除了标书 %(subject)s 的附件")),
    # review
    "review.assign": A(_l("指派评议人"), _l("为评审席位 %(subject)s 指派了评议人")),
    "review.unassign": A(_l("移出评议人"), _l("移出了评审席位 %(subject)s 的评议人")),
    "review.declare": A(_l("声明无利益冲突"), _l("就评审席位 %(subject)s 声明无利益冲突")),
    "review.conflict": A(_l("声明利益冲突"), _l("就评审席位 %(subject)s 声明有利益冲突并退出")),
    "review.submit": A(_l("提交评分"), _l("提交了评审席位 %(subject)s 的评分")),
    "review.outcome_criteria": A(_l("修改成效评估标准"), _l("修改了项目 %(subject)s 的成效评估标准")),
    "review.award": A(_l("确定中标"), _l("确定中标并发布公示 %(subject)s")),
    "review.object": A(_l("提出异议"), _l("对评标结果提出了异议 %(subject)s")),
    "notice.finalize": A(_l("公示期满"), _l("公示 %(subject)s 期满生效")),
    "notice.supersede": A(_l("公示作废"), _l("因异议成立作废了公示 %(subject)s")),
    "notice.withdraw": A(_l("撤回公示"), _l("因项目取消撤回了公示 %(subject)s")),
    "notice.decline": A(_l("放弃中标"), _l("放弃了公示 %(subject)s 中的中标资格")),
    "objection.uphold": A(_l("异议成立"), _l("裁定异议 %(subject)s 成立")),
    "objection.dismiss": A(_l("驳回异议"), _l("驳回了异议 %(subject)s")),
    # hosting
    "hosting.progress": A(_l("发布承办进展"), _l("发布了承办进展 %(subject)s")),
    "hosting.progress_edit": A(_l("更正承办进展"), _l("更正了承办进展 %(subject)s")),
    "hosting.progress_delete": A(_l("删除承办进展"), _l("删除了承办进展 %(subject)s")),
    "hosting.expenditure": A(_l("登记支出"), _l("登记了支出 %(subject)s")),
    # evaluation
    "evaluation.final_score": A(_l("计算最终得分"), _l("项目结项，计算了最终得分 %(subject)s")),
    "improvement.require": A(_l("要求整改"), _l("因最终得分低于分数线要求提交整改说明 %(subject)s")),
    "improvement.submit": A(_l("提交整改说明"), _l("提交了整改说明 %(subject)s")),
    "participant_day.open": A(_l("开放参与签到"), _l("开放了参与签到 %(subject)s")),
    # volunteers
    "position.save": A(_l("保存志愿岗位"), _l("保存了志愿岗位 %(subject)s")),
    "shift.save": A(_l("保存班次"), _l("保存了班次 %(subject)s")),
    "shift.register": A(_l("补登志愿者"), _l("为补登班次 %(subject)s 登记了志愿者")),
    "shift.lottery": A(_l("抽签录用"), _l("为班次 %(subject)s 抽签录用")),
    "shift.confirm_attendance": A(_l("确认考勤"), _l("确认了班次 %(subject)s 的考勤")),
    "training.save": A(_l("保存培训"), _l("保存了培训 %(subject)s")),
    "training.attendance": A(_l("登记培训出勤"), _l("登记了培训 %(subject)s 的出勤")),
    "attendance.check_in": A(_l("签到"), _l("签到（考勤 %(subject)s）")),
    "attendance.check_out": A(_l("签退"), _l("签退（考勤 %(subject)s）")),
    "attendance.mark": A(_l("补记考勤"), _l("补记了考勤 %(subject)s")),
    "signup.sign_up": A(_l("报名"), _l("提交了志愿报名 %(subject)s")),
    "signup.accept": A(_l("录用"), _l("录用了志愿报名 %(subject)s")),
    "signup.wait": A(_l("列入候补"), _l("将志愿报名 %(subject)s 列入候补")),
    "signup.reject": A(_l("不予录用"), _l("未录用志愿报名 %(subject)s")),
    "signup.promote": A(_l("候补递补"), _l("将候补 %(subject)s 递补录用")),
    "signup.offer": A(_l("递补待确认"), _l("向候补 %(subject)s 发出递补，待确认")),
    "signup.confirm": A(_l("确认递补"), _l("确认了递补 %(subject)s")),
    "signup.expire": A(_l("递补逾期"), _l("递补 %(subject)s 逾期未确认")),
    "signup.lapse": A(_l("递补作废"), _l("班次结束，递补 %(subject)s 未确认而作废")),
    "signup.cancel": A(_l("取消报名"), _l("取消了志愿报名 %(subject)s")),
    "signup.leave": A(_l("请假"), _l("为志愿报名 %(subject)s 请假")),
    "signup.no_show": A(_l("记为缺勤"), _l("将志愿报名 %(subject)s 记为缺勤")),
    "signup.mark_present": A(_l("更正为出勤"), _l("将志愿报名 %(subject)s 更正为出勤")),
    "signup.excuse": A(_l("缺勤免责"), _l("因申诉成立免除了志愿报名 %(subject)s 的缺勤")),
    "signup.register": A(_l("补登录用"), _l("补登录用了志愿报名 %(subject)s")),
    "signup.end_with_project": A(_l("随项目取消"), _l("项目取消，志愿报名 %(subject)s 随之结束")),
    "no_show.appeal": A(_l("提出缺勤申诉"), _l("提出了缺勤申诉 %(subject)s")),
    "no_show_appeal.uphold": A(_l("缺勤申诉成立"), _l("裁定缺勤申诉 %(subject)s 成立")),
    "no_show_appeal.dismiss": A(_l("驳回缺勤申诉"), _l("驳回了缺勤申诉 %(subject)s")),
    # satisfaction surveys (an answer is never recorded: it would say who answered)
    "survey.prepare": A(_l("准备满意度问卷"), _l("准备了满意度问卷 %(subject)s")),
    "survey.dimensions": A(_l("修改问卷维度"), _l("修改了满意度问卷 %(subject)s 的评价维度")),
    "survey.open": A(_l("开放满意度问卷"), _l("开放了满意度问卷 %(subject)s")),
    "survey.close": A(_l("满意度问卷提前截止"), _l("随项目结束截止了满意度问卷 %(subject)s")),
    "survey_comment.hide": A(_l("隐藏问卷意见"), _l("隐藏了问卷意见 %(subject)s")),
    # 述职评议 (a rating is never recorded, as a survey answer is not)
    "staff_review.open": A(_l("发起述职评议"), _l("发起了述职评议 %(subject)s")),
    "staff_review.report": A(_l("修改述职报告"), _l("修改了述职报告 %(subject)s")),
    "staff_review.attach": A(_l("上传述职报告附件"), _l("上传了述职报告附件 %(subject)s")),
    "staff_review.detach": A(_l("删除述职报告附件"), _l("删除了述职报告附件 %(subject)s")),
    "staff_review.grade": A(_l("评定述职结果"), _l("评定了 %(subject)s 的述职评议结果")),
    "staff_review.publish": A(_l("公布述职评议结果"), _l("公布了述职评议 %(subject)s 的结果")),
    "staff_review.export": A(_l("导出述职评议结果"), _l("导出了述职评议结果 %(subject)s")),
    # 信息公开: charter versions and announcements through disclosure/operations.py's tables
    "charter.create": A(_l("起草章程"), _l("起草了章程修订稿 %(subject)s")),
    "charter.submit": A(_l("提交章程审核"), _l("将章程修订稿 %(subject)s 提交校团委审核")),
    "charter.approve": A(_l("审核通过章程"), _l("审核通过并发布了章程 %(subject)s")),
    "charter.return": A(_l("退回章程"), _l("将章程修订稿 %(subject)s 退回修改")),
    "charter.supersede": A(_l("章程被新版本取代"), _l("将章程 %(subject)s 转为历史版本")),
    "announcement.create": A(_l("起草公告"), _l("起草了公告 %(subject)s")),
    "announcement.submit": A(_l("提交公告审核"), _l("将公告 %(subject)s 提交校团委审核")),
    "announcement.approve": A(_l("审核通过公告"), _l("审核通过并发布了公告 %(subject)s")),
    "announcement.return": A(_l("退回公告"), _l("将公告 %(subject)s 退回修改")),
    "suggestion.submit": A(_l("提意见建议"), _l("提交了意见建议 %(subject)s")),
    "suggestion.answer": A(_l("答复意见建议"), _l("答复了意见建议 %(subject)s")),
    "suggestion.publicity": A(_l("修改意见建议的公开设置"), _l("修改了意见建议 %(subject)s 的公开设置")),
    "staff_reminder_talk.plan": A(_l("安排提醒谈话"), _l("安排了提醒谈话 %(subject)s")),
    "staff_reminder_talk.hold": A(_l("记录提醒谈话"), _l("记录了提醒谈话 %(subject)s 已进行")),
    "satisfaction.prepare": A(_l("准备年度满意度评价"), _l("为%(subject)s准备了各学生会的满意度问卷")),
    # 需求征集 (a post and an appeal are recorded without their author; a support, never — docs/needs.md)
    "need.post": A(_l("发布需求"), _l("发布了需求 %(subject)s")),
    "need.accept": A(_l("采纳需求"), _l("采纳了需求 %(subject)s")),
    "need.merge": A(_l("合并需求"), _l("合并了需求 %(subject)s")),
    "need.decline": A(_l("不采纳需求"), _l("答复不采纳需求 %(subject)s")),
    "need.transfer": A(_l("转交需求"), _l("将需求 %(subject)s 转交给另一学生会")),
    "need.hide": A(_l("隐藏需求"), _l("隐藏了需求 %(subject)s")),
    "need.restore": A(_l("恢复需求"), _l("因申诉成立恢复了需求 %(subject)s")),
    "need_comment.hide": A(_l("隐藏需求评论"), _l("隐藏了需求评论 %(subject)s")),
    "need_appeal.file": A(_l("申诉需求隐藏"), _l("对需求隐藏提出了申诉 %(subject)s")),
    "need_appeal.uphold": A(_l("需求申诉成立"), _l("认定需求隐藏申诉 %(subject)s 成立")),
    "need_appeal.dismiss": A(_l("驳回需求申诉"), _l("驳回了需求隐藏申诉 %(subject)s")),
    # credits
    "credit.verify": A(_l("认定学分"), _l("认定了学分记录 %(subject)s")),
    "credit.reject": A(_l("不予认定学分"), _l("不予认定学分记录 %(subject)s")),
    "credit.correct": A(_l("更正学分"), _l("更正了学分记录 %(subject)s")),
    "credit.appeal": A(_l("提出学分申诉"), _l("提出了学分申诉 %(subject)s")),
    "credit.export": A(_l("导出学分"), _l("导出了学分 %(subject)s")),
    "audit.export": A(_l("导出操作日志"), _l("导出了操作日志 %(subject)s")),
    "credit_appeal.accept": A(_l("学分申诉成立"), _l("裁定学分申诉 %(subject)s 成立")),
    "credit_appeal.reject": A(_l("驳回学分申诉"), _l("驳回了学分申诉 %(subject)s")),
    "credit_category.save": A(_l("保存学分类别"), _l("保存了学分类别 %(subject)s")),
    "credit_requirement.save": A(_l("保存达标要求"), _l("保存了第二课堂达标要求 %(subject)s")),
    "credit.export_shortfall": A(_l("导出未达标名单"), _l("导出了未达标学生名单 %(subject)s")),
    "credit.export_certificates": A(_l("导出志愿服务证明"), _l("导出了项目的志愿服务证明 %(subject)s")),
    "document.stamp_upload": A(_l("上传印章图片"), _l("在%(subject)s中上传了出具文件用的印章图片")),
    "document.stamp_remove": A(_l("删除印章图片"), _l("在%(subject)s中删除了出具文件用的印章图片")),
    # accounts
    "account.claim": A(_l("认领账号"), _l("认领了账号 %(subject)s")),
    "account.register": A(_l("注册账号"), _l("注册了账号 %(subject)s")),
    "account.verify_email": A(_l("验证邮箱"), _l("验证了账号 %(subject)s 的邮箱")),
    "account.password_reset": A(_l("重设密码"), _l("重设了账号 %(subject)s 的密码")),
    "account.password_change": A(_l("修改密码"), _l("修改了账号 %(subject)s 的密码")),
    "account.profile_update": A(_l("修改个人资料"), _l("修改了 %(subject)s 的个人资料")),
    "account.calendar_token": A(_l("重置日历订阅链接"), _l("重置了 %(subject)s 的日历订阅链接")),
    "user.create": A(_l("创建账号"), _l("创建了账号 %(subject)s")),
    "user.update": A(_l("修改账号"), _l("修改了账号 %(subject)s")),
    "user.roles": A(_l("修改系统角色"), _l("修改了 %(subject)s 的系统角色")),
    "user.create_admin": A(_l("命令行创建管理员"), _l("在命令行创建了管理员 %(subject)s")),
    "roster.import": A(_l("导入名册"), _l("导入了名册 %(subject)s")),
    # organizations, the calendar, the site
    "org.create": A(_l("创建组织"), _l("创建了组织 %(subject)s")),
    "org.update": A(_l("修改组织"), _l("修改了组织 %(subject)s")),
    "membership.create": A(_l("任命"), _l("添加了任职 %(subject)s")),
    "membership.update": A(_l("修改任职"), _l("修改了任职 %(subject)s")),
    "membership.end": A(_l("结束任职"), _l("结束了任职 %(subject)s")),
    "college.save": A(_l("保存学院"), _l("保存了学院 %(subject)s")),
    "academic_year.create": A(_l("新建学年"), _l("新建了学年 %(subject)s")),
    "academic_year.update": A(_l("修改学年"), _l("修改了学年 %(subject)s")),
    "academic_year.delete": A(_l("删除学年"), _l("删除了学年 %(subject)s")),
    "term.create": A(_l("新建学期"), _l("新建了学期 %(subject)s")),
    "term.update": A(_l("修改学期"), _l("修改了学期 %(subject)s")),
    "term.delete": A(_l("删除学期"), _l("删除了学期 %(subject)s")),
    "setting.update": A(_l("修改系统设置"), _l("修改了系统设置 %(subject)s")),
    "demo.seed": A(_l("生成演示数据"), _l("生成了演示数据 %(subject)s")),
}

# The filter's groups: the part of an action before the dot.
GROUPS = {
    "project": _l("项目"),
    "bid": _l("标书"),
    "review": _l("评审"),
    "notice": _l("中标公示"),
    "objection": _l("异议"),
    "hosting": _l("承办"),
    "evaluation": _l("评价"),
    "improvement": _l("整改"),
    "participant_day": _l("参与签到"),
    "position": _l("志愿岗位"),
    "shift": _l("班次"),
    "training": _l("培训"),
    "attendance": _l("考勤"),
    "signup": _l("志愿报名"),
    "no_show": _l("缺勤"),
    "no_show_appeal": _l("缺勤申诉"),
    "survey": _l("满意度问卷"),
    "survey_comment": _l("问卷意见"),
    "need": _l("需求征集"),
    "need_comment": _l("需求评论"),
    "need_appeal": _l("需求申诉"),
    "staff_review": _l("述职评议"),
    "staff_reminder_talk": _l("提醒谈话"),
    "staff_review_export": _l("述职评议结果导出"),
    "satisfaction": _l("年度满意度评价"),
    "charter": _l("章程"),
    "announcement": _l("公告"),
    "suggestion": _l("意见建议"),
    "credit": _l("学分"),
    "credit_appeal": _l("学分申诉"),
    "credit_category": _l("学分类别"),
    "credit_requirement": _l("达标要求"),
    "document": _l("出具文件"),
    "audit": _l("操作日志"),
    "account": _l("账号"),
    "user": _l("用户管理"),
    "roster": _l("名册导入"),
    "org": _l("组织"),
    "membership": _l("任职"),
    "college": _l("学院"),
    "academic_year": _l("学年"),
    "term": _l("学期"),
    "setting": _l("系统设置"),
    "demo": _l("演示数据"),
}

# How the audit log names what an entry is about (the subject's table).
SUBJECTS = {
    "user": _l("账号"),
    "organization": _l("组织"),
    "membership": _l("任职"),
    "college": _l("学院"),
    "academic_year": _l("学年"),
    "term": _l("学期"),
    "credit_category": _l("学分类别"),
    "setting": _l("系统设置"),
    "bid": _l("标书"),
    "bid_attachment": _l("标书附件"),
    "import_job": _l("名册导入"),
    "project": _l("项目"),
    "project_change": _l("项目变更"),
    "question": _l("答疑"),
    "recusal": _l("回避"),
    "review_round": _l("评审轮次"),
    "panel_seat": _l("评审席位"),
    ("final_score", "score"): _l("评分"),
    "award_notice": _l("中标公示"),
    "objection": _l("异议"),
    "progress_update": _l("进展"),
    "expenditure": _l("支出"),
    "completion_report": _l("结项报告"),
    "final_score": _l("最终得分"),
    "improvement_plan": _l("整改说明"),
    "participant_day": _l("参与签到日"),
    "survey": _l("满意度问卷"),
    "survey_comment": _l("问卷意见"),
    "need": _l("需求"),
    "need_comment": _l("需求评论"),
    "need_appeal": _l("需求申诉"),
    "staff_review": _l("述职评议"),
    "staff_reviewee": _l("述职人"),
    "staff_report_attachment": _l("述职报告附件"),
    "staff_reminder_talk": _l("提醒谈话"),
    "charter_version": _l("章程版本"),
    "announcement": _l("公告"),
    "suggestion": _l("意见建议"),
    "position": _l("志愿岗位"),
    "shift": _l("班次"),
    "signup": _l("志愿报名"),
    "attendance": _l("考勤"),
    "training": _l("培训"),
    "no_show_appeal": _l("缺勤申诉"),
    "credit_record": _l("学分记录"),
    "credit_appeal": _l("学分申诉"),
    "credit_export": _l("学分导出"),
    "credit_requirement": _l("达标要求"),
    "shortfall_export": _l("未达标名单导出"),
    "certificate_export": _l("志愿服务证明导出"),
    "audit_export": _l("操作日志导出"),
    "demo": _l("演示数据"),
}

# The keys of before/after, as people call them: (subject type, key) where a key means something
# else for one kind of subject, else the key.
FIELDS: dict[tuple[str, str] | str, object] = {
    ("user", "name"): _l("姓名"),
    ("membership", "title"): _l("职务"),
    ("staff_reviewee", "grade"): _l("评议结果"),
    ("need", "union_id"): _l("所属学生会"),
    ("need", "project_id"): _l("服务项目"),
    ("need", "merged_into_id"): _l("合并到"),
    ("staff_reviewee", "length"): _l("述职报告字数"),
    ("suggestion", "wants_public"): _l("同意公开"),
    "due_on": _l("谈话日期"),
    "held_on": _l("谈话进行日期"),
    # accounts
    "name": _l("名称"),
    "kind": _l("类型"),
    "status": _l("状态"),
    "student_no": _l("学号"),
    "staff_no": _l("工号"),
    "college_id": _l("学院"),
    "grade": _l("年级"),
    "phone": _l("手机号"),
    "email": _l("邮箱"),
    "degree_level": _l("学历层次"),
    "political_status": _l("政治面貌"),
    "locale": _l("界面语言"),
    "roles": _l("系统角色"),
    # organizations and the calendar
    "description": _l("说明"),
    "is_active": _l("启用"),
    "code": _l("代码"),
    "user_id": _l("成员"),
    "org_id": _l("组织"),
    "role": _l("身份"),
    "title": _l("标题"),
    "starts_on": _l("开始日期"),
    "ends_on": _l("结束日期"),
    "year_id": _l("学年"),
    "hours_per_credit": _l("每学分学时"),
    "position": _l("排序"),
    # projects
    **{("project", key): label for key, label in PROJECT_FIELD_LABELS.items()},
    "state": _l("项目状态"),
    "category": _l("类别"),
    "credit_category_id": _l("学分类别"),
    "from": _l("原项目"),
    "answer": _l("答复"),
    # bids and review
    "content_hash": _l("内容哈希"),
    "revision": _l("版本"),
    "attachment": _l("附件"),
    "file_sha256": _l("文件哈希"),
    "user": _l("评议人"),
    "round": _l("评审轮次"),
    "purpose": _l("评审类别"),
    "bid": _l("标书"),
    "rank": _l("排名"),
    # hosting
    "percent": _l("完成进度（%）"),
    "photos": _l("照片数"),
    "amount": _l("金额"),
    "total": _l("累计支出"),
    "over": _l("超出预算"),
    # evaluation
    ("final_score", "outcome"): _l("评价结果"),
    ("final_score", "score"): _l("最终得分"),
    ("final_score", "panel_score"): _l("评估小组得分"),
    ("final_score", "satisfaction_score"): _l("同学满意度"),
    ("final_score", "responses"): _l("问卷答卷数"),
    ("final_score", "min_responses"): _l("问卷结果最少答卷数"),
    ("final_score", "panel_weight_percent"): _l("评估小组分的权重（%）"),
    # volunteers
    "admission": _l("录用方式"),
    "required_training_id": _l("须完成的培训"),
    "required_college_id": _l("限定学院"),
    "min_grade": _l("最低年级"),
    "max_grade": _l("最高年级"),
    "required_political": _l("政治面貌要求"),
    "signup_closes_at": _l("报名截止时间"),
    "starts_at": _l("开始时间"),
    "ends_at": _l("结束时间"),
    "place": _l("地点"),
    "capacity": _l("名额"),
    "credit_hours": _l("学时"),
    "seed": _l("抽签种子"),
    "applicants": _l("报名人数"),
    "volunteers": _l("志愿者人数"),
    "added": _l("新登记人数"),
    "checked_in_at": _l("签到时间"),
    "checked_out_at": _l("签退时间"),
    "leave_reason": _l("请假理由"),
    # participants and surveys
    "day": _l("日期"),
    "opens_at": _l("开放时间"),
    "closes_at": _l("截止时间"),
    "min_responses": _l("公布结果的最少答卷数"),
    "dimensions": _l("评价维度"),
    # credits
    "hours": _l("学时"),
    "credits": _l("学分"),
    "category_id": _l("学分类别"),
    "term_id": _l("学期"),
    "term": _l("学期"),
    "rejection_reason": _l("不予认定的理由"),
    "format": _l("文件格式"),
    "rows": _l("行数"),
    # the roster import
    "filename": _l("文件名"),
    "error_count": _l("错误数"),
    "error_rows": _l("出错行数"),
    "users_created": _l("新建账号"),
    "users_updated": _l("更新账号"),
    "users_unchanged": _l("未变账号"),
    "memberships": _l("写入任职"),
    "memberships_created": _l("新建任职"),
    "memberships_updated": _l("更新任职"),
    "memberships_unchanged": _l("未变任职"),
    "rechecked": _l("已重新检查"),
    # what the demo data made
    "demo accounts": _l("演示账号"),
    "academic years": _l("学年"),
    "terms": _l("学期"),
    "credit categories": _l("学分类别"),
    "colleges": _l("学院"),
    "organizations": _l("组织"),
    ("demo", "memberships"): _l("任职"),
    "students": _l("学生"),
    "evaluators": _l("评议人"),
    "projects": _l("项目"),
    "bids": _l("标书"),
    "trainings": _l("培训"),
    "volunteer sign-ups": _l("志愿报名"),
    "credit records": _l("学分记录"),
}

# Values that are an enum's: (subject type, key) or key -> the enum, for its label.
ENUM_VALUES: dict[tuple[str, str] | str, type[Enum]] = {
    "state": ProjectState,
    "purpose": CriterionPurpose,
    "roles": SiteRole,
    "role": MemberRole,
    "admission": Admission,
    "degree_level": DegreeLevel,
    "political_status": PoliticalStatus,  # shown to admins only (audit.read_raw), in old entries
    "required_political": PoliticalStatus,
    ("project", "category"): ProjectCategory,
    ("user", "kind"): AccountKind,
    ("user", "status"): AccountStatus,
    ("organization", "kind"): OrgKind,
    ("signup", "status"): SignupStatus,
    ("no_show_appeal", "status"): NoShowAppealStatus,
    ("credit_record", "status"): CreditStatus,
    ("credit_appeal", "status"): CreditAppealStatus,
    ("award_notice", "status"): NoticeStatus,
    ("objection", "status"): ObjectionStatus,
    ("final_score", "outcome"): FinalOutcome,
    ("improvement_plan", "status"): ImprovementStatus,
    ("survey", "status"): SurveyStatus,
    ("survey_comment", "status"): CommentStatus,
    ("need", "status"): NeedStatus,
    ("need_comment", "status"): NeedCommentStatus,
    ("need_appeal", "status"): NeedAppealStatus,
    ("staff_review", "status"): ReviewStatus,
    ("staff_reviewee", "grade"): StaffGrade,
    ("staff_reminder_talk", "status"): TalkStatus,
    ("charter_version", "status"): PublicationStatus,
    ("announcement", "status"): PublicationStatus,
    ("announcement", "kind"): AnnouncementKind,
    ("suggestion", "status"): SuggestionStatus,
}


def label_of(action: str) -> ActionLabel:
    """The action's label; an action no longer recorded (an old entry) is named by its code."""
    return ACTIONS.get(action) or ActionLabel(action, _l("对 %(subject)s 进行了操作"))


def action_choices() -> dict[str, tuple[tuple[str, str], ...]]:
    """The filter's choices, grouped: a whole group (its prefix, "bid.") first, then each action."""
    return _action_choices(str(get_locale()))


# Some 250 labels, the same for every request in one language: translated once per language and
# process (they were a tenth of the audit log page's time).
@lru_cache(maxsize=4)
def _action_choices(locale: str) -> dict[str, tuple[tuple[str, str], ...]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for action, label in ACTIONS.items():
        prefix = action.split(".", 1)[0]
        group = str(GROUPS[prefix])
        if group not in groups:
            groups[group] = [(f"{prefix}.", _("全部%(group)s操作", group=group))]
        groups[group].append((action, str(label.name)))
    return {group: tuple(choices) for group, choices in groups.items()}


def field_name(subject_type: str, key: str) -> str:
    if subject_type == "setting" and key in settings.SETTINGS:
        return str(settings.SETTINGS[key].label)
    return str(FIELDS.get((subject_type, key)) or FIELDS.get(key, key))


def shown(subject_type: str, key: str, value) -> str:
    """A recorded value as people read it (the entry keeps plain JSON)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return _("、").join(shown(subject_type, key, item) for item in value)
    if isinstance(value, dict):
        return _("；").join(
            f"{field_name(subject_type, k)}：{shown(subject_type, k, v)}" for k, v in value.items()
        )
    if subject_type == "setting" and key in settings.SETTINGS and settings.SETTINGS[key].choices:
        return str(dict(settings.SETTINGS[key].choices).get(value, value))
    enum = ENUM_VALUES.get((subject_type, key)) or ENUM_VALUES.get(key)
    if enum is not None:
        try:
            return str(enum(value).label)
        except ValueError:
            return str(value)
    if isinstance(value, str) and len(value) > 10 and value[10:11] == "T":
        try:
            return local_datetime(datetime.fromisoformat(value))
        except ValueError:
            pass
    return str(value)
