"""Site settings that admins change at run time (deployment settings live in ``config.py``).

Each setting is declared once in :data:`SETTINGS` with its type and default; the database holds only
the values an admin has changed. Later areas add their own settings here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from . import audit
from .extensions import db
from .models_base import UTCDateTime, utcnow


@dataclass(frozen=True)
class SettingSpec:
    key: str
    kind: type  # bool, int, str
    default: Any
    label: Any
    help: Any = ""
    choices: tuple[tuple[str, Any], ...] | None = None
    minimum: int | None = None
    maximum: int | None = None


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in [
        SettingSpec(
            "open_registration",
            bool,
            False,
            _l("开放注册"),
            _l("学校未导入学生名册时，允许学生自行注册（仍需验证邮箱）。"),
        ),
        SettingSpec(
            "credit_verifier_role",
            str,
            "league_reviewer",
            _l("第二课堂学分审核角色"),
            _l("承办方确认后，由哪一方最终审核学分。"),
            choices=(("league_reviewer", _l("校团委审核人")), ("staff", _l("学生会工作人员"))),
        ),
        SettingSpec(
            "issuing_office",
            str,
            "校团委",
            _l("出具单位"),
            _l("第二课堂成绩单等文件上印的出具单位；由它认定的学分记录也记作这个单位认定。"),
        ),
        SettingSpec(
            "major_budget_threshold",
            int,
            20000,
            _l("重大项目预算线（元）"),
            _l("预算上限超过此数的项目为重大项目，发布前须经校团委审核。"),
            minimum=0,
        ),
        SettingSpec(
            "question_cutoff_hours",
            int,
            48,
            _l("提问截止（竞标截止前多少小时）"),
            _l("此后不再接受竞标方提问，以便所有人有时间看到答复。"),
            minimum=0,
        ),
        SettingSpec(
            "change_min_days",
            int,
            3,
            _l("变更后最少竞标天数"),
            _l("竞标期间修改项目要求时，截止时间至少顺延到变更后这么多天。"),
            minimum=0,
        ),
        SettingSpec(
            "notice_window_days",
            int,
            3,
            _l("公示期（天）"),
            _l("评标结果公示的天数，期间同学可以提出异议。"),
            minimum=1,
        ),
        SettingSpec(
            "attachment_max_mb",
            int,
            20,
            _l("标书附件大小上限（MB）"),
            minimum=1,
        ),
        SettingSpec(
            "cancel_cutoff_hours",
            int,
            24,
            _l("志愿者取消报名截止（班次开始前多少小时）"),
            _l("此后不能取消，只能请假。"),
            minimum=0,
        ),
        SettingSpec(
            "promotion_confirm_hours",
            int,
            48,
            _l("候补递补需确认的时限（班次开始前多少小时内）"),
            _l("临近班次时递补的同学须在限时内确认，逾期不确认不计缺勤。"),
            minimum=0,
        ),
        SettingSpec("offer_hours", int, 12, _l("递补确认时限（小时）"), minimum=1),
        SettingSpec(
            "no_show_block_count",
            int,
            3,
            _l("缺勤几次后暂停报名（每学期）"),
            minimum=1,
        ),
        SettingSpec("no_show_block_days", int, 30, _l("暂停报名天数"), minimum=1),
        SettingSpec(
            "checkin_early_minutes",
            int,
            30,
            _l("签到提前/签退延后的宽限（分钟）"),
            minimum=0,
        ),
        SettingSpec(
            "progress_edit_minutes",
            int,
            30,
            _l("进展可修改时限（分钟）"),
            _l("承办方发布进展后这么多分钟内可以修改或删除；之后的更正请发布新的进展。"),
            minimum=0,
        ),
        SettingSpec(
            "credit_appeal_days",
            int,
            30,
            _l("学分申诉期限（班次结束后多少天）"),
            minimum=1,
        ),
        SettingSpec(
            "credit_export_columns",
            str,
            "学号=student_no\n姓名=name\n学院=college\n活动名称=project\n类别=category\n"
            "学时=hours\n学分=credits\n学期=term\n日期=date",
            _l("学分导出列（每行“表头=字段”）"),
            _l(
                "按学校第二课堂系统的导入模板填写，“=”右边写字段名。可用字段：学号 student_no、姓名 name、"
                "学院 college、年级 grade、活动名称 project、学分类别 category、类别代码 category_code、"
                "学时 hours、学分 credits、学期 term、日期 date、认定时间 verified_at、记录编号 record_id。"
            ),
        ),
        SettingSpec(
            "evaluation_window_days",
            int,
            21,
            _l("评价期（天）"),
            _l("项目进入评价中后，成效评估小组打分和满意度问卷的期限；期满自动结项。"),
            minimum=1,
        ),
        SettingSpec(
            "outcome_reminder_days",
            int,
            3,
            _l("成效评估评分提醒（评价期结束前多少天）"),
            _l("到时仍未提交评分的评估小组成员会收到一次提醒。"),
            minimum=1,
        ),
        SettingSpec(
            "survey_min_responses",
            int,
            5,
            _l("问卷结果最少答卷数"),
            _l("答卷少于这个数时不显示结果，以免从结果推断出个人的评价。不能小于 5。"),
            minimum=5,
        ),
        SettingSpec(
            "panel_weight_percent",
            int,
            50,
            _l("最终得分中评估小组分的权重（%）"),
            _l("其余为同学满意度的权重。修改后只影响此后结项的项目，已结项的得分不变。"),
            minimum=0,
            maximum=100,
        ),
        SettingSpec(
            "improvement_threshold",
            int,
            60,
            _l("需提交整改说明的分数线"),
            _l("最终得分低于此分的项目，承办方须提交整改说明。"),
            minimum=0,
        ),
        SettingSpec("improvement_days", int, 14, _l("整改说明提交期限（天）"), minimum=1),
        SettingSpec(
            "reputation_half_life_days",
            int,
            365,
            _l("信誉计算的半衰期（天）"),
            _l("越早结项的项目在组织信誉中的权重越小：每过这么多天，权重减半。"),
            minimum=1,
        ),
        SettingSpec(
            "notice_offline_contact",
            str,
            "校团委办公室（学生活动中心 201 室，工作日 9:00—17:00）",
            _l("公示的线下异议联系方式"),
            _l("印在打印版评标结果公示上，供不便上网的同学线下提出异议。"),
        ),
        SettingSpec(
            "need_categories",
            str,
            "学业\n就业\n生活服务\n文体\n心理\n其他",
            _l("需求类别（每行一个）"),
            _l("同学发布需求时可选的类别。改名或删去的类别，已有需求仍保留原来的类别。"),
        ),
        SettingSpec(
            "need_answer_days",
            int,
            7,
            _l("需求答复时限（天）"),
            _l("需求发布后，所属学生会须在这么多天内答复（采纳、合并或不采纳）；到期前一天提醒工作人员。"),
            minimum=1,
        ),
        SettingSpec(
            "union_charter",
            str,
            "",
            _l("学生会章程"),
            _l("在信息公开页面展示的章程全文（支持 Markdown）。"),
        ),
    ]
}


class Setting(db.Model):
    """A setting an admin changed (设置项)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


def get(key: str) -> Any:
    spec = SETTINGS[key]
    # A page (or a task, or a command) asks several settings, most of them never stored: one statement
    # reads them all, once per application context; put() keeps that copy current.
    if "settings" not in g:
        g.settings = {row.key: row.value for row in db.session.scalars(select(Setting))}
    return g.settings.get(key, spec.default)


def all_values() -> dict[str, Any]:
    stored = {row.key: row.value for row in db.session.scalars(select(Setting))}
    return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}


def put(key: str, value: Any, actor) -> None:
    """Change a setting and write the audit log. Does not commit."""
    spec = SETTINGS[key]
    if not isinstance(value, spec.kind):
        raise TypeError(f"setting {key} takes {spec.kind.__name__}")
    before = get(key)
    if before == value:
        return
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value = value
    row.updated_by_id = actor.id if actor else None
    db.session.add(row)
    if "settings" in g:
        g.settings[key] = value
    audit.record(actor, "setting.update", ("setting", key), before={key: before}, after={key: value})
