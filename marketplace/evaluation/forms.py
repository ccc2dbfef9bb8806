"""Forms of 评价: the host's improvement plan (整改说明)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from ..forms import Form, length, required


class ImprovementForm(Form):
    body = TextAreaField(
        _l("整改说明"),
        [required(), length(10000)],
        description=_l("哪些地方没有做好、原因是什么、下次承办准备怎样改进；公开显示，支持 Markdown"),
        render_kw={"rows": 10},
    )
