"""Forms of the bid pages (竞标)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, TextAreaField, validators

from .. import settings
from ..forms import (
    DecimalField,
    Form,
    IntegerField,
    MultiCheckboxField,
    length,
    limit_upload,
    optional,
    required,
)
from . import files


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


def _not_negative():
    return validators.NumberRange(min=0, message=_l("不能为负数。"))


class BidForm(Form):
    summary = TextAreaField(
        _l("方案摘要"), [required(), length(500)], description=_l("一两句话说明你们打算怎么做，500 字以内")
    )
    plan = TextAreaField(
        _l("实施方案"),
        [required(), length(20000)],
        description=_l("支持 Markdown：### 小标题、- 列表、**加粗**、表格"),
    )
    requested_budget = DecimalField(
        _l("申请预算（元）"),
        [required(), _not_negative()],
        places=2,
        description=_l("填 0 表示零经费（自筹）"),
    )
    timeline = TextAreaField(_l("时间安排"), [optional(), length(2000)])
    # The operation checks that everyone ticked is a current member, so a member who has just left
    # gets a clear message rather than WTForms' "not a valid choice".
    team = MultiCheckboxField(_l("团队成员"), coerce=int, validate_choice=False)
    expected_volunteers = IntegerField(
        _l("预计招募志愿者（人）"),
        [optional(), _not_negative()],
        default=0,
        description=_l("不招募志愿者填 0"),
    )
    # The bid's version when the page was opened: a save from a stale tab is refused.
    version = HiddenField(filters=[_int_or_none])

    def __init__(self, *args, members=(), budget_cap=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = [(m.user_id, f"{m.user.name}（{m.role.label}）") for m in members]
        if budget_cap is not None:
            self.requested_budget.description = _(
                "不超过本项目预算上限 %(cap)s 元；填 0 表示零经费（自筹）", cap=budget_cap
            )


class AttachmentForm(Form):
    file = FileField(_l("上传附件"), [FileRequired(message=_l("请选择要上传的文件。"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file.description = _(
            "一次一个文件，不超过 %(mb)s MB，可以是 %(types)s。",
            mb=limit_upload(self.file, settings.get("attachment_max_mb")),
            types=files.accepted_extensions(),
        )
