"""The field table (字段表) of the open-data document: the one source of the published JSON Schema
(``schema()``) and of the Chinese field page (``rows()``). A field the builder writes and this table
does not declare fails validation (every object is closed), so the document holds nothing
undocumented.

A path names a field by its keys from the document's root (``tender.value.amount``); the fields of an
array's items sit under the array's own path (``awards.suppliers.name``). Names taken from the Open
Contracting Data Standard keep its spelling and meaning; the others are marked as this site's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..projects.models import ProjectCategory

OBJECT, ARRAY, STRINGS = "object", "array", "strings"
STRING, NUMBER, INTEGER = "string", "number", "integer"

KIND_LABELS = {
    OBJECT: _l("对象"),
    ARRAY: _l("对象列表"),
    STRINGS: _l("文本列表"),
    STRING: _l("文本"),
    NUMBER: _l("数值"),
    INTEGER: _l("整数"),
}


@dataclass(frozen=True)
class Field:
    path: str
    kind: str
    label: object  # a lazy string: the Chinese name
    note: object = ""
    required: bool = False
    own: bool = False  # this site's own field, not a name of the standard
    enum: tuple = ()
    date_time: bool = False

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]


def _org(path: str, label, note="", *, required=True) -> list[Field]:
    return [
        Field(path, OBJECT, label, note, required=required),
        Field(f"{path}.id", STRING, _l("组织编号"), _l("本站组织编号，前缀 org-。"), required=True),
        Field(f"{path}.name", STRING, _l("组织名称"), required=True),
    ]


def _value(path: str, label, note="", *, required=True, own=False) -> list[Field]:
    return [
        Field(path, OBJECT, label, note, required=required, own=own),
        Field(f"{path}.amount", NUMBER, _l("金额"), _l("单位：元。"), required=True),
        Field(f"{path}.currency", STRING, _l("币种"), _l("人民币：CNY。"), required=True, enum=("CNY",)),
    ]


def _period(path: str, label, start_note, end_note, *, required=True) -> list[Field]:
    return [
        Field(path, OBJECT, label, required=required),
        Field(f"{path}.startDate", STRING, _l("开始时间"), start_note, required=True, date_time=True),
        Field(f"{path}.endDate", STRING, _l("结束时间"), end_note, required=True, date_time=True),
    ]


ROLES = ("buyer", "procuringEntity", "tenderer", "supplier")
TENDER_STATUSES = ("active", "complete", "cancelled", "unsuccessful")
AWARD_STATUSES = ("pending", "active", "cancelled", "unsuccessful")
CONTRACT_STATUSES = ("active", "terminated", "cancelled")

FIELDS: list[Field] = [
    Field("ocid", STRING, _l("开放合同标识"), _l("本站前缀加项目编号，始终指同一个项目。"), required=True),
    Field(
        "id",
        STRING,
        _l("发布编号"),
        _l("ocid 加内容摘要：内容有变化，编号随之改变。"),
        required=True,
    ),
    Field(
        "date",
        STRING,
        _l("更新时间"),
        _l("文档内容最近一次变化的时间：发榜、竞标截止、结果公示、进展、支出或评分。有人投标不会改变它。"),
        required=True,
        date_time=True,
    ),
    Field(
        "tag",
        STRINGS,
        _l("发布类型"),
        _l("compiled：汇总了项目当前全部公开信息的一份文档。"),
        required=True,
        enum=("compiled",),
    ),
    Field(
        "initiationType", STRING, _l("发起方式"), _l("tender：公开发榜。"), required=True, enum=("tender",)
    ),
    Field("language", STRING, _l("语言"), _l("文本的语言：zh（中文）。"), required=True, enum=("zh",)),
    Field(
        "parties",
        ARRAY,
        _l("参与组织"),
        _l("发榜的学生会和投标、中标的组织。只列组织，从不列个人。"),
        required=True,
    ),
    Field("parties.id", STRING, _l("组织编号"), _l("本站组织编号，前缀 org-。"), required=True),
    Field("parties.name", STRING, _l("组织名称"), required=True),
    Field(
        "parties.roles",
        STRINGS,
        _l("角色"),
        _l("buyer、procuringEntity：发榜方；tenderer：投标组织；supplier：中标组织。"),
        required=True,
        enum=ROLES,
    ),
    *_org("buyer", _l("发榜方"), _l("发布项目的学生会。")),
    Field("tender", OBJECT, _l("发榜"), _l("项目本身：需求、预算、竞标期和评标标准。"), required=True),
    Field("tender.id", STRING, _l("发榜编号"), required=True),
    Field("tender.title", STRING, _l("项目名称"), required=True),
    Field("tender.description", STRING, _l("需求说明"), required=True),
    Field(
        "tender.status",
        STRING,
        _l("发榜状态"),
        _l(
            "active：竞标中、评标中或结果公示中；complete：已有承办方；cancelled：已取消；"
            "unsuccessful：流标。"
        ),
        required=True,
        enum=TENDER_STATUSES,
    ),
    Field(
        "tender.category",
        STRING,
        _l("项目类别"),
        _l("本站的项目类别代码，例如 academic（学业发展）。"),
        required=True,
        own=True,
        enum=tuple(c.value for c in ProjectCategory),
    ),
    *_value("tender.value", _l("预算上限")),
    Field(
        "tender.procurementMethod",
        STRING,
        _l("发榜方式"),
        _l("open：公开竞标。"),
        required=True,
        enum=("open",),
    ),
    Field(
        "tender.mainProcurementCategory",
        STRING,
        _l("采购类别"),
        _l("services：服务。"),
        required=True,
        enum=("services",),
    ),
    Field(
        "tender.eligibilityCriteria",
        STRING,
        _l("竞标资格"),
        _l("哪些类型的组织可以竞标。"),
        required=True,
    ),
    *_org("tender.procuringEntity", _l("组织发榜的学生会")),
    *_period("tender.tenderPeriod", _l("竞标期"), _l("正式发布的时间。"), _l("竞标截止时间。")),
    *_period(
        "tender.contractPeriod",
        _l("计划承办期"),
        _l("承办开始日期（北京时间零点）。"),
        _l("承办结束日期（北京时间零点）。"),
    ),
    Field(
        "tender.awardCriteria",
        STRING,
        _l("评标方式"),
        _l("ratedCriteria：评审小组按加权标准打分。"),
        required=True,
        enum=("ratedCriteria",),
    ),
    Field("tender.awardCriteriaDetails", STRING, _l("评标标准"), _l("各项标准及其权重。"), required=True),
    Field(
        "tender.numberOfTenderers",
        INTEGER,
        _l("投标数"),
        _l("提交的标书数。竞标截止后才公开，截止前没有这一项。"),
    ),
    Field(
        "tender.tenderers",
        ARRAY,
        _l("投标组织"),
        _l("提交了标书的组织。竞标截止后才公开，截止前没有这一项；标书内容从不公开。"),
    ),
    Field("tender.tenderers.id", STRING, _l("组织编号"), _l("本站组织编号，前缀 org-。"), required=True),
    Field("tender.tenderers.name", STRING, _l("组织名称"), required=True),
    Field("awards", ARRAY, _l("结果公示"), _l("每次结果公示一项，包括已撤销的和中标方放弃的。")),
    Field("awards.id", STRING, _l("公示编号"), required=True),
    Field("awards.title", STRING, _l("公示标题"), required=True),
    Field(
        "awards.status",
        STRING,
        _l("公示状态"),
        _l(
            "pending：公示中；active：公示结束，中标方承办；cancelled：因异议成立而撤销；unsuccessful：中标方放弃。"
        ),
        required=True,
        enum=AWARD_STATUSES,
    ),
    Field("awards.date", STRING, _l("公示时间"), required=True, date_time=True),
    *_value("awards.value", _l("中标预算"), _l("中标标书申请的预算。")),
    Field("awards.suppliers", ARRAY, _l("中标组织"), required=True),
    Field("awards.suppliers.id", STRING, _l("组织编号"), _l("本站组织编号，前缀 org-。"), required=True),
    Field("awards.suppliers.name", STRING, _l("组织名称"), required=True),
    Field(
        "awards.ranking",
        ARRAY,
        _l("公示排名"),
        _l("公示时全部有效标书的排名、得分和申请预算，与公示页一致。"),
        required=True,
        own=True,
    ),
    Field("awards.ranking.rank", INTEGER, _l("名次"), required=True),
    *_org("awards.ranking.tenderer", _l("投标组织")),
    Field(
        "awards.ranking.score",
        STRING,
        _l("评审得分"),
        _l("评审小组的加权平均分，保留两位小数。"),
        required=True,
    ),
    *_value("awards.ranking.value", _l("申请预算")),
    Field("contracts", ARRAY, _l("承办"), _l("公示结束、中标组织开始承办后才有这一项。")),
    Field("contracts.id", STRING, _l("承办编号"), required=True),
    Field("contracts.awardID", STRING, _l("对应的公示编号"), required=True),
    Field(
        "contracts.status",
        STRING,
        _l("承办状态"),
        _l("active：承办中或评价中；terminated：已结项；cancelled：承办中取消。"),
        required=True,
        enum=CONTRACT_STATUSES,
    ),
    *_value("contracts.value", _l("中标预算")),
    *_period(
        "contracts.period",
        _l("承办期"),
        _l("承办开始日期（北京时间零点）。"),
        _l("承办结束日期（北京时间零点）。"),
    ),
    Field("contracts.implementation", OBJECT, _l("执行情况"), required=True),
    Field(
        "contracts.implementation.milestones",
        ARRAY,
        _l("进展"),
        _l("承办方发布的进展节点，按时间先后。进展正文和照片只在项目页上。"),
        required=True,
    ),
    Field("contracts.implementation.milestones.id", STRING, _l("进展编号"), required=True),
    Field("contracts.implementation.milestones.title", STRING, _l("节点名称"), required=True),
    Field(
        "contracts.implementation.milestones.type",
        STRING,
        _l("节点类型"),
        _l("delivery：项目实施。"),
        required=True,
        enum=("delivery",),
    ),
    Field(
        "contracts.implementation.milestones.status",
        STRING,
        _l("节点状态"),
        _l("met：已完成。"),
        required=True,
        enum=("met",),
    ),
    Field(
        "contracts.implementation.milestones.dateMet",
        STRING,
        _l("发布时间"),
        required=True,
        date_time=True,
    ),
    Field(
        "contracts.implementation.milestones.progressPercent",
        INTEGER,
        _l("完成进度"),
        _l("0 到 100 的百分比。"),
        required=True,
        own=True,
    ),
    *_value(
        "contracts.implementation.spendingTotal",
        _l("累计支出"),
        _l("承办方登记的支出合计；明细只在项目页上。"),
        own=True,
    ),
    Field(
        "contracts.implementation.finalScore",
        OBJECT,
        _l("最终得分"),
        _l("项目结项时计算的最终得分，结项后才有这一项。"),
        own=True,
    ),
    Field(
        "contracts.implementation.finalScore.status",
        STRING,
        _l("评价结果"),
        _l("scored：已评分；incomplete：评价未完成（既无成效评估也无足够的满意度答卷）。"),
        required=True,
        enum=("scored", "incomplete"),
    ),
    Field(
        "contracts.implementation.finalScore.score", NUMBER, _l("最终得分"), _l("0 到 100，保留两位小数。")
    ),
    Field("contracts.implementation.finalScore.panelScore", NUMBER, _l("成效评估得分"), _l("保留两位小数。")),
    Field(
        "contracts.implementation.finalScore.satisfactionScore",
        NUMBER,
        _l("满意度得分"),
        _l("保留两位小数。"),
    ),
    Field(
        "contracts.implementation.finalScore.date",
        STRING,
        _l("评价结束时间"),
        required=True,
        date_time=True,
    ),
]


def _node(field: Field) -> dict:
    node: dict = {"title": str(field.label)}
    if field.note:
        node["description"] = str(field.note)
    if field.kind == OBJECT:
        node.update(type="object", properties={}, required=[], additionalProperties=False)
    elif field.kind == ARRAY:
        node.update(
            type="array",
            items={"type": "object", "properties": {}, "required": [], "additionalProperties": False},
        )
    elif field.kind == STRINGS:
        node.update(
            type="array", items={"type": "string", **({"enum": list(field.enum)} if field.enum else {})}
        )
    else:
        node["type"] = field.kind
        if field.enum:
            node["enum"] = list(field.enum)
        if field.date_time:
            node["format"] = "date-time"
    return node


def schema() -> dict:
    """The JSON Schema of one project's document, in the reader's language."""
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": _("揭榜项目开放数据"),
        "description": _(
            "一个项目一份文档，字段名称和结构参照开放合同数据标准（OCDS），但不声称符合该标准。"
        ),
        "type": "object",
        "properties": {},
        "required": [],
        "additionalProperties": False,
    }
    nodes = {"": root}
    for field in FIELDS:
        parent = nodes[field.path.rpartition(".")[0]]
        container = parent["items"] if parent["type"] == "array" else parent
        node = nodes[field.path] = _node(field)
        container["properties"][field.name] = node
        if field.required:
            container["required"].append(field.name)
    return root


def _kinds_on_the_way(path: str) -> list[str]:
    """The kinds of a path's ancestors, to write the path as readers of JSON expect (``awards[].id``)."""
    kinds = {f.path: f.kind for f in FIELDS}
    parts = path.split(".")
    return [kinds[".".join(parts[: n + 1])] for n in range(len(parts) - 1)]


@dataclass(frozen=True)
class Row:
    """One line of the field page."""

    path: str  # as a reader writes it: awards[].suppliers[].name
    depth: int
    field: Field

    @property
    def kind(self):
        return KIND_LABELS[self.field.kind]


def rows() -> list[Row]:
    """The field page's lines, in the table's order."""
    found = []
    for field in FIELDS:
        parts = field.path.split(".")
        kinds = _kinds_on_the_way(field.path)
        written = "".join(
            part + ("[]" if n < len(kinds) and kinds[n] == ARRAY else "") + ("." if n < len(kinds) else "")
            for n, part in enumerate(parts)
        )
        found.append(Row(written, len(parts) - 1, field))
    return found
