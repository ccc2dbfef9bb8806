"""公示 printed for a notice board: what the online notice says, in an A4 PDF anyone may download, for a
notice in force or final only."""

from __future__ import annotations

from datetime import timedelta

from marketplace import settings
from marketplace.extensions import db
from marketplace.projects import lifecycle
from marketplace.review import operations as review
from tests.bids.helpers import signed_in
from tests.credits.helpers import pdf_text, printed_qr_codes, unembedded_fonts
from tests.downloads import disposition
from tests.review.helpers import ReviewWorld, awarded, tied


def printed(app, world, user=None):
    return signed_in(app, user).get(f"/projects/{world.project.id}/notice.pdf")


def flat(text: str) -> str:
    return "".join(text.split())


def test_anyone_prints_the_notice_with_its_ranking_winner_window_and_how_to_object(app):
    world = awarded(ReviewWorld())
    settings.put("notice_offline_contact", "校团委办公室（活动中心 201）", None)
    db.session.commit()
    notice = review.active_notice(world.project)

    response = printed(app, world)

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert disposition(response).fallback == f"award-notice-{world.project.id}-1.pdf"
    assert "no-store" not in response.headers.get("Cache-Control", "")  # public like the notice
    text = flat(pdf_text(response.data))
    window_end = (notice.window_ends_at + timedelta(hours=8)).strftime("%Y-%m-%d%H:%M")
    for words in (
        world.project.title,
        "评标结果公示",
        "第1号公示",
        "评审第1轮",
        "中标方：学业互助社",
        "87.67",
        "72.33",
        "青年志愿者协会",
        window_end,
        "校团委办公室（活动中心201）",
        f"/projects/{world.project.id}/notice",
        "本公示以网上公示为准",
        world.project.union.name,
        "第1/1页",
    ):
        assert flat(words) in text, words
    assert "定标说明" not in text and "抽签" not in text
    assert "图书馆答疑" not in text  # bid plans are not on the notice, online or printed
    notice_url = app.config["BASE_URL"].rstrip("/") + f"/projects/{world.project.id}/notice"
    assert printed_qr_codes(response.data) == [[notice_url]]
    assert unembedded_fonts(response.data) == []


def test_an_award_to_a_lower_ranked_bid_prints_its_justification(app):
    world = ReviewWorld()
    world.seat_everyone()
    world.score_all({world.bid_a: [90, 85, 88], world.bid_b: [70, 75, 72]})
    reason = "第一名的预算明细缺项，经评议会复核改授第二名"
    review.award(world.staff, world.project, {"bid": world.bid_b.public_id, "justification": reason})
    db.session.commit()

    text = flat(pdf_text(printed(app, world).data))

    assert "定标说明" in text and flat(reason) in text and "中标方：青年志愿者协会" in text


def test_bids_the_draw_ordered_are_printed_with_their_draw_values_and_the_seed(app):
    world = ReviewWorld()
    order = tied(world)
    review.award(world.staff, world.project, {"bid": order[0]})
    db.session.commit()

    text = flat(pdf_text(printed(app, world).data))

    assert "第1、2名的标书得分相同、申请预算也相同，名次由公开抽签决定" in text
    assert world.project.tiebreak_seed in text


def test_only_a_notice_in_force_or_final_prints(app):
    world = ReviewWorld()
    assert printed(app, world).status_code == 404  # no notice yet
    assert signed_in(app, None).get("/projects/999999/notice.pdf").status_code == 404
    awarded(world)
    assert printed(app, world).status_code == 200
    lifecycle.apply(world.project, "cancel", world.staff, reason="场地取消")
    db.session.commit()
    assert printed(app, world).status_code == 404


def test_the_notice_page_links_its_printed_version(app):
    world = awarded(ReviewWorld())
    page = signed_in(app, None).get(f"/projects/{world.project.id}/notice").get_data(as_text=True)
    assert f'href="/projects/{world.project.id}/notice.pdf"' in page
