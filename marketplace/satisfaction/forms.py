"""Forms of the yearly surveys: the window the league reviewer opens a year's surveys with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField

from ..forms import Form, required


class OpenForm(Form):
    closes_on = DateField(
        _l("截止日期"),
        [required()],
        description=_l("问卷在这一天 24 点截止；开放后不能再修改维度。"),
    )

    def to_data(self) -> dict:
        return {"closes_on": self.closes_on.data}
