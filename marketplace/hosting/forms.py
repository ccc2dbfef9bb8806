"""Forms of the host's pages (承办): progress and spending, positions and shifts, trainings, the roster's
decisions and hand-marked attendance, and answers to no-show appeals.

Times are typed in Beijing time (``datetime-local``) and handed to the operations in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from sqlalchemy import or_, select
from wtforms import (
    DateField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)

from .. import clock
from ..accounts.models import AccountKind, PoliticalStatus, User
from ..credits.models import CreditCategory
from ..extensions import db
from ..forms import (
    MB,
    DecimalField,
    Form,
    IntegerField,
    MultiCheckboxField,
    length,
    limit_upload,
    number_range,
    optional,
    request_limit_mb,
    required,
)
from ..orgs.models import College
from ..timeutil import SCHOOL_TZ
from ..volunteers.models import Admission, Training
from .operations import MAX_PHOTO_BYTES

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
ADMISSION_CHOICES = [
    (Admission.FIRST_COME.value, _l("报名制：先到先得，满员后进入候补")),
    (Admission.APPROVAL.value, _l("评审制：由承办方逐一审核录取")),
    (Admission.LOTTERY.value, _l("中签制：报名截止后公开抽签")),
]


def to_utc(local: datetime | None) -> datetime | None:
    """A time typed in Beijing time, as the aware UTC time the operations take."""
    return local.replace(tzinfo=SCHOOL_TZ).astimezone(UTC) if local else None


def to_local(value: datetime | None) -> datetime | None:
    """A stored UTC time as the naive Beijing time a ``datetime-local`` input shows."""
    return value.astimezone(SCHOOL_TZ).replace(tzinfo=None) if value else None


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


def _local_time(label, *validators, **kwargs) -> DateTimeLocalField:
    return DateTimeLocalField(label, list(validators), format=LOCAL_FORMAT, **kwargs)


# -- progress and spending ------------------------------------------------------------------------------


def photos_help(field) -> str:
    """The help under a photo upload (progress posts, the completion report), with its limits."""
    return _(
        "可一次选多张，每张不超过 %(each)s MB，合计不超过 %(total)s MB。"
        "上传时自动缩小，并去掉拍摄地点等位置信息。",
        each=limit_upload(field, MAX_PHOTO_BYTES // MB),
        total=request_limit_mb(),
    )


class ProgressEditForm(Form):
    """A progress update's text, as posted or corrected within the edit window (photos stay)."""

    milestone = StringField(
        _l("阶段"), [required(), length(100)], description=_l("例如：完成志愿者招募、第一场讲座举办")
    )
    percent = IntegerField(
        _l("完成度（%）"), [required(), number_range(0, 100)], render_kw={"inputmode": "numeric"}
    )
    body = TextAreaField(_l("进展说明"), [optional(), length(5000)], render_kw={"rows": 4})

    @staticmethod
    def of(update) -> dict:
        return {"milestone": update.milestone, "percent": update.percent, "body": update.body}


class ProgressForm(ProgressEditForm):
    photos = MultipleFileField(_l("现场照片"), render_kw={"accept": "image/*"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.photos.description = photos_help(self.photos)


class ExpenditureForm(Form):
    spent_on = DateField(_l("支出日期"), [required()], default=clock.today_local)
    item = StringField(
        _l("支出事项"), [required(), length(200)], description=_l("例如：讲座场地布置、物料印刷")
    )
    amount = DecimalField(
        _l("金额（元）"),
        [required(), number_range(0.01, 99999999)],
        places=2,
        render_kw={"step": "0.01", "inputmode": "decimal"},
    )
    note = TextAreaField(_l("备注"), [optional(), length(2000)], render_kw={"rows": 2})
    over_budget_reason = TextAreaField(
        _l("超支原因"),
        [optional(), length(2000)],
        description=_l("累计支出超出中标预算时必填；学生会工作人员会收到提醒，原因随支出一并公开。"),
        render_kw={"rows": 2},
    )


# -- positions, shifts, trainings -----------------------------------------------------------------------


class PositionForm(Form):
    """岗位: what it is, how it admits, who may take it."""

    title = StringField(_l("岗位名称"), [required(), length(100)])
    description = TextAreaField(
        _l("岗位说明"),
        [optional(), length(5000)],
        description=_l("工作内容和注意事项；支持 Markdown"),
        render_kw={"rows": 4},
    )
    admission = RadioField(_l("录取方式"), choices=ADMISSION_CHOICES, default=Admission.FIRST_COME.value)
    signup_closes_at = _local_time(
        _l("报名截止时间"),
        optional(),
        description=_l("北京时间。中签制必填，截止后抽签；其他方式可不填，默认各班次开始时截止。"),
    )
    credit_category_id = SelectField(_l("学分类别"), coerce=_int_or_none)
    required_training_id = SelectField(_l("须先参加的培训"), coerce=_int_or_none)
    required_college_id = SelectField(_l("限定学院"), coerce=_int_or_none)
    min_grade = IntegerField(
        _l("入学年份不早于"), [optional(), number_range(2000, 2100)], description=_l("如 2023；不填表示不限")
    )
    max_grade = IntegerField(
        _l("入学年份不晚于"), [optional(), number_range(2000, 2100)], description=_l("如 2025；不填表示不限")
    )
    required_political = MultiCheckboxField(
        _l("政治面貌要求"),
        choices=PoliticalStatus.choices(),
        description=_l("不勾选表示不限；勾选后只有所选政治面貌的同学可以报名"),
    )

    def __init__(self, project, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = db.session.execute(
            select(CreditCategory.id, CreditCategory.name)
            .where(CreditCategory.is_active.is_(True))
            .order_by(CreditCategory.position, CreditCategory.id)
        ).all()
        default = project.credit_category.name if project.credit_category else _("未指定")
        self.credit_category_id.choices = [("", _("同项目（%(name)s）", name=default))] + [
            (c.id, c.name) for c in categories
        ]
        # The project's own trainings and the union's school-wide ones.
        trainings = db.session.execute(
            select(Training.id, Training.title, Training.held_at)
            .where(or_(Training.project_id == project.id, Training.project_id.is_(None)))
            .order_by(Training.held_at.desc())
        ).all()
        self.required_training_id.choices = [("", _l("不要求"))] + [(t.id, t.title) for t in trainings]
        colleges = db.session.execute(select(College.id, College.name).order_by(College.name)).all()
        self.required_college_id.choices = [("", _l("不限"))] + [(c.id, c.name) for c in colleges]

    @staticmethod
    def of(position) -> dict:
        return {
            "title": position.title,
            "description": position.description,
            "admission": position.admission.value,
            "signup_closes_at": to_local(position.signup_closes_at),
            "credit_category_id": position.credit_category_id,
            "required_training_id": position.required_training_id,
            "required_college_id": position.required_college_id,
            "min_grade": position.min_grade,
            "max_grade": position.max_grade,
            "required_political": list(position.required_political or []),
        }

    def to_data(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "description": (self.description.data or "").strip(),
            "admission": Admission(self.admission.data),
            "signup_closes_at": to_utc(self.signup_closes_at.data),
            "credit_category_id": self.credit_category_id.data,
            "required_training_id": self.required_training_id.data,
            "required_college_id": self.required_college_id.data,
            "min_grade": self.min_grade.data,
            "max_grade": self.max_grade.data,
            "required_political": self.required_political.data or [],
        }


class ShiftForm(Form):
    """班次: when, where, how many, and the hours it credits."""

    starts_at = _local_time(
        _l("开始时间"),
        required(),
        description=_l(
            "北京时间。开始时间早于现在的是补登班次：不接受报名，由承办方按学号登记参加的同学。"
            "班次开始后只能延后结束时间。"
        ),
    )
    ends_at = _local_time(_l("结束时间"), required(), description=_l("北京时间"))
    place = StringField(_l("地点"), [required(), length(200)])
    capacity = IntegerField(
        _l("招募人数"), [required(), number_range(1, 10000)], render_kw={"inputmode": "numeric"}
    )
    credit_hours = DecimalField(
        _l("认定时长（小时）"),
        [required(), number_range(0.5, 24)],
        places=1,
        description=_l("签到签退与班次重叠的时间按半小时向下取整，最多认定这么多小时（不超过班次时长）"),
        render_kw={"step": "0.5", "inputmode": "decimal"},
    )

    @staticmethod
    def of(shift) -> dict:
        return {
            "starts_at": to_local(shift.starts_at),
            "ends_at": to_local(shift.ends_at),
            "place": shift.place,
            "capacity": shift.capacity,
            "credit_hours": shift.credit_hours,
        }

    def to_data(self) -> dict:
        return {
            "starts_at": to_utc(self.starts_at.data),
            "ends_at": to_utc(self.ends_at.data),
            "place": self.place.data.strip(),
            "capacity": self.capacity.data,
            "credit_hours": self.credit_hours.data,
        }


class TrainingForm(Form):
    title = StringField(_l("培训名称"), [required(), length(100)])
    held_at = _local_time(_l("培训时间"), required(), description=_l("北京时间"))
    place = StringField(_l("地点"), [optional(), length(100)])

    def to_data(self) -> dict:
        return {"title": self.title.data, "held_at": to_utc(self.held_at.data), "place": self.place.data}


class TrainingAttendanceForm(Form):
    """Who attended, by 学号 — pasted from a sign-in sheet, one or many a line."""

    student_nos = TextAreaField(
        _l("参加培训的同学学号"),
        [required(), length(20000)],
        description=_l("每行一个，也可以用空格或逗号隔开"),
        render_kw={"rows": 5},
    )

    def numbers(self) -> list[str]:
        text = (self.student_nos.data or "").replace("，", ",").replace(",", " ")
        return list(dict.fromkeys(text.split()))

    def validate_student_nos(self, field) -> None:
        numbers = self.numbers()
        self.students = db.session.scalars(
            select(User).where(User.kind == AccountKind.STUDENT, User.student_no.in_(numbers))
        ).all()
        unknown = set(numbers) - {s.student_no for s in self.students}
        if unknown:
            raise ValidationError(
                _(
                    "以下学号没有对应的学生：%(numbers)s",
                    numbers="、".join(n for n in numbers if n in unknown),
                )
            )

    def to_data(self) -> dict:
        return {"students": self.students}


class BackfillForm(TrainingAttendanceForm):
    """补登: who took part in an activity already held, by 学号, and what the host goes by."""

    student_nos = TextAreaField(
        _l("参加的同学学号"),
        [required(), length(20000)],
        description=_l("每行一个，也可以用空格或逗号隔开；登记后按整个班次计出勤，可在名单中逐人更正"),
        render_kw={"rows": 4},
    )
    reason = StringField(
        _l("登记依据"),
        [required(), length(500)],
        description=_l("例如：现场纸质签到表、活动照片"),
    )

    def to_data(self) -> dict:
        return {"students": self.students, "reason": (self.reason.data or "").strip()}


# -- the roster -----------------------------------------------------------------------------------------


class DecisionForm(Form):
    """评审制: the host's accept / reject buttons (each button sends its value)."""

    decision = SelectField(choices=[("accept", _l("录用")), ("reject", _l("不录用"))])

    def to_data(self) -> dict:
        return {"accept": self.decision.data == "accept"}


class MarkAttendanceForm(Form):
    """The host marks or corrects a volunteer's attendance by hand, always with a reason."""

    checked_in_at = _local_time(_l("签到时间"), required())
    checked_out_at = _local_time(_l("签退时间"), optional(), description=_l("还没签退可以先不填"))
    reason = StringField(
        _l("原因"), [required(), length(500)], description=_l("例如：手机没电，现场核实到岗")
    )

    @staticmethod
    def of(signup) -> dict:
        attendance = signup.attendance
        if attendance is None:
            return {"checked_in_at": to_local(signup.shift.starts_at), "checked_out_at": None}
        return {
            "checked_in_at": to_local(attendance.checked_in_at),
            "checked_out_at": to_local(attendance.checked_out_at),
        }

    def to_data(self) -> dict:
        return {
            "checked_in_at": to_utc(self.checked_in_at.data),
            "checked_out_at": to_utc(self.checked_out_at.data),
            "reason": (self.reason.data or "").strip(),
        }


class RulingForm(Form):
    """The host's answer to a no-show appeal: uphold (clears the mark) or dismiss, with the reason."""

    ruling = TextAreaField(_l("处理意见"), [required(), length(2000)], render_kw={"rows": 2})
    decision = SelectField(choices=[("uphold", _l("申诉成立")), ("dismiss", _l("申诉不成立"))])

    def to_data(self) -> dict:
        return {"uphold": self.decision.data == "uphold", "ruling": (self.ruling.data or "").strip()}
