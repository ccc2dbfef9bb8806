import hashlib

from marketplace import draw


def test_seed_is_sha256_of_scope_and_sorted_ids_whatever_their_order():
    expected = hashlib.sha256(b"42:aaa,bbb,ccc").hexdigest()
    assert draw.seed_for(42, ["ccc", "aaa", "bbb"]) == expected
    assert draw.seed_for(42, ["bbb", "ccc", "aaa"]) == expected


def test_draw_order_replays_from_the_published_seed_and_ids():
    seed = draw.seed_for(7, ["x1", "x2", "x3", "x4"])
    by_hand = sorted(
        ["x1", "x2", "x3", "x4"], key=lambda p: hashlib.sha256(f"{seed}:{p}".encode()).hexdigest()
    )
    assert draw.draw_order(seed, ["x4", "x3", "x2", "x1"]) == by_hand
    assert draw.draw_order(seed, ["x1", "x2", "x3", "x4"]) == by_hand
