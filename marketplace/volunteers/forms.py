"""Forms of the students' volunteer pages: the open-shift filters, leave, no-show appeals and check-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, validators

from ..admin.forms import ListFilter
from ..forms import Form, length, optional, required
from ..projects.models import ProjectCategory
from .models import Admission


class OpenShiftFilter(ListFilter):
    category = SelectField(
        _l("类别"),
        choices=[("", _l("全部类别"))] + ProjectCategory.choices(),
        default="",
    )
    day = DateField(_l("日期"), [optional()])
    admission = SelectField(
        _l("录取方式"), choices=[("", _l("不限录取方式"))] + Admission.choices(), default=""
    )
    seats = BooleanField(_l("只看还有名额的"))


class LeaveForm(Form):
    reason = TextAreaField(
        _l("请假原因"),
        [required(), length(1000)],
        description=_l("请假后名额会让给候补的同学，不计缺勤"),
        render_kw={"rows": 2},
    )


class AppealForm(Form):
    reason = TextAreaField(
        _l("申诉理由"),
        [required(), length(2000)],
        description=_l("说明没能签到的原因，如有证明请写明；承办方会处理并通知你"),
        render_kw={"rows": 2},
    )


class CheckinForm(Form):
    code = StringField(
        _l("签到码"),
        [required(), validators.Regexp(r"^\s*\d{6}\s*$", message=_l("签到码是 6 位数字。"))],
        description=_l("现场大屏或承办方手机上显示的 6 位数字，每分钟更换"),
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"},
    )
