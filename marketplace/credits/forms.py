"""Forms of the credit pages: the verification queue, appeals and their rulings, the staff export, the
public check of a transcript's code, and the host's completion report."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)

from .. import settings
from ..accounts.models import DegreeLevel
from ..admin.forms import ListFilter, _int_or_none
from ..bids.files import accepted_extensions
from ..forms import DecimalField, Form, IntegerField, length, limit_upload, number_range, optional, required
from ..hosting.forms import photos_help
from .models import AppealStatus


def _hours(label, *, description=None) -> DecimalField:
    return DecimalField(
        label,
        [optional(), number_range(0.5, 24)],
        places=1,
        description=description,
        render_kw={"step": "0.5", "inputmode": "decimal"},
    )


# -- the verifying role -----------------------------------------------------------------------------------


class QueueFilter(ListFilter):
    # Typed, not picked: at a school's size thousands of projects have records waiting.
    project = StringField(_l("项目名称"), [length(200)], default="")
    term_id = SelectField(_l("学期"), coerce=_int_or_none, default=None)

    def __init__(self, terms, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.term_id.choices = [("", _l("全部学期"))] + [(t.id, t.full_name) for t in terms]


class BulkVerifyForm(Form):
    """批量认定: the public ids of the ticked records (the checkboxes sit in the queue's rows)."""

    records = SelectMultipleField(validate_choice=False)

    def validate_records(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("请至少勾选一条记录。"))


class RejectForm(Form):
    reason = TextAreaField(
        _l("不予认定的理由"),
        [required(), length(2000)],
        description=_l("会通知本人，并显示在其成绩单上"),
        render_kw={"rows": 2},
    )


# -- appeals ------------------------------------------------------------------------------------------------


class AppealFilter(ListFilter):
    """Which appeals the queue lists: those waiting (by default), those decided either way, or all."""

    status = SelectField(
        _l("状态"),
        choices=[*AppealStatus.choices(), ("all", _l("全部"))],
        default=AppealStatus.PENDING.value,
    )


class AppealForm(Form):
    reason = TextAreaField(
        _l("申诉理由"),
        [required(), length(2000)],
        description=_l("说明记录缺了什么、错在哪里，例如：签退时手机没电，实际服务到活动结束"),
        render_kw={"rows": 4},
    )
    hours_claimed = _hours(_l("申请认定的时长（小时）"), description=_l("不超过班次的认定时长"))
    evidence = FileField(_l("证明材料（选填）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.evidence.description = _(
            "签到表照片、负责人证明等，不超过 %(mb)s MB，支持 %(types)s",
            mb=limit_upload(self.evidence, settings.get("attachment_max_mb")),
            types=accepted_extensions(),
        )


class AppealRulingForm(Form):
    ruling = TextAreaField(
        _l("处理意见"),
        [required(), length(2000)],
        description=_l(
            "会通知申诉的同学，并记入该记录的变更历史（对缺失记录的申诉不予采纳时，没有记录可记，只通知本人）"
        ),
        render_kw={"rows": 2},
    )
    hours = _hours(_l("认定时长（小时）"), description=_l("采纳时按此时长补录或更正；不填则按同学申请的时长"))
    accept = SubmitField(_l("采纳"))
    reject = SubmitField(_l("不予采纳"))

    def to_data(self) -> dict:
        return {**super().to_data(), "accept": bool(self.accept.data)}


# -- staff export -------------------------------------------------------------------------------------------


class ExportForm(Form):
    term_id = SelectField(_l("学期"), [required()], coerce=_int_or_none)
    file_format = RadioField(
        _l("格式"), choices=[("xlsx", _l("Excel（.xlsx）")), ("csv", _l("CSV（UTF-8）"))], default="xlsx"
    )

    def __init__(self, terms, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.term_id.choices = [(t.id, t.full_name) for t in terms]


class ShortfallForm(Form):
    """未达标名单: a cohort, and perhaps one college."""

    grade = IntegerField(_l("年级（入学年份）"), [required(), number_range(2000, 2100)])
    degree_level = SelectField(_l("学历层次"), choices=DegreeLevel.choices())
    college_id = SelectField(_l("学院"), coerce=_int_or_none, validate_choice=False)

    def __init__(self, colleges, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.college_id.choices = [("", _("全部学院"))] + [(c.id, c.name) for c in colleges]


# -- public verification ------------------------------------------------------------------------------------


class CodeForm(ListFilter):
    code = StringField(
        _l("验证码"),
        [required(), length(40)],
        description=_l("成绩单、志愿服务证明等文件上的 16 位验证码，例如 ABCD-EFGH-JKLM-NPQR；不区分大小写"),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


# -- the host's completion report ---------------------------------------------------------------------------


class CompletionForm(Form):
    outcomes = TextAreaField(
        _l("项目成效"),
        [required(), length(10000)],
        description=_l("做了什么、服务了多少同学、达到了哪些预期成果；支持 Markdown"),
        render_kw={"rows": 6},
    )
    participants = IntegerField(
        _l("参与人数"), [required(), number_range(0, 1000000)], render_kw={"inputmode": "numeric"}
    )
    spending_summary = TextAreaField(
        _l("经费使用情况"),
        [optional(), length(5000)],
        description=_l("概述支出与中标预算的对比；逐笔支出已在项目进展中登记"),
        render_kw={"rows": 4},
    )
    photos = MultipleFileField(_l("活动照片"), render_kw={"accept": "image/*"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.photos.description = photos_help(self.photos)
