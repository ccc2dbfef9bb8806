"""Times as the pages show them: the patterns of digits written without Babel read exactly as Babel
writes them, on the school's clock, in every language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask_babel import force_locale, format_date, format_datetime

from marketplace.formatting import NUMERIC, local_date, local_datetime

MOMENTS = [
    datetime(2026, 12, 31, 16, 5, 9, tzinfo=UTC),  # already the next day (and year) in Shanghai
    datetime(2026, 3, 1, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2026, 7, 4, 0, 0),  # naive: UTC, as Babel takes it
]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("pattern", sorted(NUMERIC))
def test_a_pattern_of_digits_reads_as_babel_writes_it(app, locale, pattern):
    with app.test_request_context("/"), force_locale(locale):
        for moment in MOMENTS:
            assert local_datetime(moment, pattern) == format_datetime(moment, pattern)
            # A day is the school's day of a moment.
            assert local_date(moment) == format_date(moment, "yyyy-MM-dd")
        assert local_date(date(2026, 1, 2)) == format_date(date(2026, 1, 2), "yyyy-MM-dd") == "2026-01-02"


def test_a_pattern_with_words_is_written_by_babel_in_the_readers_language(app):
    moment = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)  # a Friday, 10:30 in Shanghai
    with app.test_request_context("/"):
        assert local_datetime(moment, "MM-dd EEE HH:mm") == "11-27 周五 10:30"
        with force_locale("en"):
            assert local_datetime(moment, "MM-dd EEE HH:mm") == "11-27 Fri 10:30"
    assert local_datetime(None) == "" and local_date(None) == ""
