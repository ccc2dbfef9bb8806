from flask_babel import lazy_gettext as _l

from marketplace.enums import DEFAULT_BADGE, LabelledEnum


class Colour(LabelledEnum):
    __labels__ = {"red": _l("红"), "blue": _l("蓝")}
    __badges__ = {"red": "text-bg-danger"}

    RED = "red"
    BLUE = "blue"


def test_labelled_enum_members_exclude_the_label_and_badge_maps(app):
    assert [m.value for m in Colour] == ["red", "blue"]


def test_labelled_enum_reads_its_label_badge_and_choices(app):
    with app.test_request_context():
        assert Colour.RED.label == "红"
        assert Colour.RED.badge == "text-bg-danger"
        assert Colour.BLUE.badge == DEFAULT_BADGE
        assert [(v, str(label)) for v, label in Colour.choices()] == [("red", "红"), ("blue", "蓝")]
        assert [v for v, _ in Colour.choices([Colour.BLUE])] == ["blue"]
