"""The award notice printed for a notice board (公示 PDF): what the online notice says and nothing more —
the project, the round and the notice's number, the ranking with scores, the winner, the justification
when the award is not to the first-ranked bid, how the draw ordered equal bids when it did, the window
in local dates, how to object online and offline, the issuing union and date, and a QR code to the
online notice, which stays the one that counts ("以网上公示为准").

Printed documents are in Chinese whatever language the person printing reads the site in.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import force_locale

from ..formatting import budget, local_date, local_datetime
from ..projects.models import Project
from .models import AwardNotice
from .scoring import DrawnTies


@dataclass(frozen=True)
class PrintedNotice:
    project: Project
    notice: AwardNotice
    drawn: DrawnTies | None
    url: str  # the online notice, for the QR code and the objection line
    contact: str  # where to object offline (the setting ``notice_offline_contact``)


def render(printed: PrintedNotice) -> bytes:
    # reportlab is slow to import: loaded when a PDF is made, not by every process
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table

    from .. import printing

    notice, project = printed.notice, printed.project
    union = project.union.name
    style = printing.styles()

    def p(text: str, kind: str = "body") -> Paragraph:
        return Paragraph(text, style[kind])

    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        rows = [["排名", "竞标组织", "申请预算", "得分", ""]]
        for entry in notice.ranking:
            won = entry["public_id"] == notice.bid.public_id
            drawn = "（抽签）" if entry.get("draw_group") is not None else ""
            rows.append(
                [
                    f"{entry['rank']}{drawn}",
                    p(escape(entry["org"]), "cell"),
                    budget(entry["requested_budget"]),
                    str(entry["score"]),
                    "中标" if won else "",
                ]
            )
        window = f"{local_date(notice.published_at)} 至 {local_datetime(notice.window_ends_at)}（北京时间）"
    ranking = Table(rows, colWidths=[22 * mm, 72 * mm, 34 * mm, 22 * mm, 16 * mm], repeatRows=1)
    ranking.setStyle(printing.table_style(("ALIGN", (2, 1), (-1, -1), "RIGHT")))
    story = [
        p(escape(union), "subtitle"),
        p("评标结果公示", "title"),
        p(f"第 {notice.number} 号公示 · 评审第 {notice.round.number} 轮", "subtitle"),
        Spacer(0, 6 * mm),
        p(f"项目：{escape(project.title)}（编号 {project.id}）"),
        p(f"公示期：{window}"),
        p(f"中标方：<b>{escape(notice.bid.org.name)}</b>"),
        Spacer(0, 3 * mm),
        p("评审排名", "heading"),
        ranking,
        Spacer(0, 2 * mm),
        p(
            "得分为评审组各评议人加权总分的平均值（5 人及以上时去掉一个最高分和一个最低分），保留两位小数。",
            "small",
        ),
    ]
    if notice.justification:
        story += [p("定标说明", "heading"), p(escape(notice.justification).replace("\n", "<br/>"))]
    if printed.drawn is not None:
        story += [p("同分抽签", "heading")]
        for group in printed.drawn.groups:
            ranks = "、".join(str(entry["rank"]) for entry in group)
            story.append(
                p(f"第 {ranks} 名的标书得分相同、申请预算也相同，名次由公开抽签决定：抽签值小的在前。")
            )
            for entry in group:
                story.append(
                    p(f"第 {entry['rank']} 名「{escape(entry['org'])}」抽签值 {entry['tie_key']}", "small")
                )
        story.append(p(f"抽签种子：{printed.drawn.seed}（复算方法见网上公示）", "small"))
    how = (
        "公示期内，任何同学都可以对评标结果提出异议：登录“揭榜”，在网上公示页面（扫描右侧二维码，"
        f"或访问 {escape(printed.url)}）填写异议，由校团委处理。"
    )
    if printed.contact:
        how += f"也可以线下联系：{escape(printed.contact)}。"
    issuer = Table(
        [[p(how), printing.QrCode(printed.url)]],
        colWidths=[136 * mm, 34 * mm],
        style=[("FONTNAME", (0, 0), (-1, -1), printing.font()), ("VALIGN", (0, 0), (-1, -1), "TOP")],
    )
    story += [
        p("异议", "heading"),
        issuer,
        Spacer(0, 4 * mm),
        p("本公示以网上公示为准。"),
        Spacer(0, 6 * mm),
        p(f"{escape(union)}<br/>{local_date(notice.published_at)}", "signature"),
    ]
    footer = f"{union} · 第 {notice.number} 号公示 · 以网上公示为准"
    return printing.build(
        story, title=f"评标结果公示 · {project.title}", footer=printing.page_numbers(footer)
    )
