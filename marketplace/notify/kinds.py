"""Every kind of notification, declared once: its label on the preferences page, and whether a user
may turn its email off (account security mail cannot be turned off).

Each kind has a template ``templates/notify/<kind>.txt``: the first line is the title, the rest the
body. Later areas add their kinds here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    key: str
    label: object
    optional: bool = True


KINDS: dict[str, Kind] = {
    k.key: k
    for k in [
        Kind("account.verify_email", _l("邮箱验证"), optional=False),
        Kind("account.password_reset", _l("找回密码"), optional=False),
        Kind("account.password_changed", _l("密码已修改"), optional=False),
        Kind("membership.granted", _l("加入组织或任职")),
        Kind("role.granted", _l("获得系统角色")),
        Kind("roster.import_done", _l("名册导入完成")),
        Kind("project.approved", _l("项目通过团委审核")),
        Kind("project.returned", _l("项目被团委退回")),
        Kind("project.changed", _l("竞标项目要求变更")),
        Kind("project.cancelled", _l("竞标项目取消")),
        Kind("project.cancel_requested", _l("项目申请取消")),
        Kind("project.cancel_approved", _l("项目取消获批")),
        Kind("project.failed", _l("项目流标")),
        Kind("project.deadline_soon", _l("竞标即将截止")),
        Kind("project.question_answered", _l("提问获得答复")),
        Kind("bid.receipt", _l("标书提交回执")),
        Kind("bid.unconfirmed", _l("标书未重新确认")),
        Kind("review.panel_assigned", _l("受邀参加评审")),
        Kind("review.reminder", _l("评分提醒")),
        Kind("review.award_result", _l("评标结果")),
        Kind("review.objection_received", _l("收到公示异议")),
        Kind("review.objection_ruled", _l("异议处理结果")),
        Kind("review.reopened", _l("重新评审")),
        Kind("review.declined", _l("中标方放弃承办")),
        Kind("review.hosting_begins", _l("项目进入承办")),
        Kind("hosting.overspent", _l("承办支出超出预算")),
        Kind("evaluation.improvement_required", _l("须提交整改说明")),
        Kind("evaluation.improvement_due", _l("整改说明即将到期")),
        Kind("volunteer.applied", _l("志愿报名已提交")),
        Kind("volunteer.accepted", _l("志愿报名录用")),
        Kind("volunteer.waiting", _l("进入候补名单")),
        Kind("volunteer.rejected", _l("志愿报名未录用")),
        Kind("volunteer.promoted", _l("候补递补成功")),
        Kind("volunteer.offered", _l("候补递补待确认")),
        Kind("volunteer.offer_lapsed", _l("递补名额失效")),
        Kind("volunteer.lottery_result", _l("抽签结果")),
        Kind("volunteer.shift_tomorrow", _l("班次提醒")),
        Kind("volunteer.shift_moved", _l("班次时间调整")),
        Kind("volunteer.no_show", _l("缺勤记录")),
        Kind("volunteer.project_cancelled", _l("志愿项目取消")),
        Kind("volunteer.appeal_answered", _l("缺勤申诉结果")),
        Kind("credit.verified", _l("学分已认定")),
        Kind("credit.rejected", _l("学分未通过认定")),
        Kind("credit.appeal_received", _l("收到学分申诉")),
        Kind("credit.appeal_answered", _l("学分申诉结果")),
        Kind("credit.export_ready", _l("学分导出完成")),
        Kind("audit.export_ready", _l("操作日志导出完成")),
        Kind("survey.invited", _l("满意度问卷邀请")),
        Kind("survey.reminder", _l("满意度问卷即将截止")),
        Kind("need.answered", _l("我发布或支持的需求有了答复")),
        Kind("need.project_posted", _l("需求对应的项目已发布")),
        Kind("need.project_closed", _l("需求对应的项目已结项")),
        Kind("need.answer_due", _l("需求即将超过答复时限")),
        Kind("need.hidden", _l("我发布的需求被隐藏")),
        Kind("need.appeal_ruled", _l("需求隐藏申诉的处理结果")),
        Kind("staff_review.report_requested", _l("撰写述职报告")),
        Kind("staff_review.invited", _l("述职评议邀请")),
        Kind("staff_review.reminder", _l("述职评议即将截止")),
        Kind("staff_review.result_ready", _l("述职评议结果")),
        Kind("staff_review.export_ready", _l("述职评议结果导出完成")),
        Kind("survey.yearly_invited", _l("学生会年度满意度评价邀请")),
        Kind("disclosure.approved", _l("信息公开内容通过审核")),
        Kind("disclosure.returned", _l("信息公开内容被退回")),
        Kind("suggestion.answered", _l("意见建议获得答复")),
    ]
}


def optional_kinds() -> list[Kind]:
    return [k for k in KINDS.values() if k.optional]
