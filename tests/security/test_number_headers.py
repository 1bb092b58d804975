"""Headers a parser reads as a number: anything that is no plain count is "unusable", never a raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.discovery.wpjson import total_pages
from crawler.politeness.retryafter import parse_retry_after


@pytest.mark.parametrize(
    ("header", "pages"),
    [
        (None, 1),
        (b"3", 3),
        (b" 12 ", 12),
        (b"lots", None),
        (b"-3", None),
        (b"+3", None),
        (b"3.5", None),
        (b"\xb2", None),  # latin-1 superscript two
        (b"\xd9\xa3", None),  # Arabic-Indic three in UTF-8
        (b"", 1),  # empty: as if absent
        (b"9" * 5000, 10**9),  # past Python's int() digit limit: capped, not parsed
        (b"0", 0),
    ],
)
def test_wordpress_total_pages_is_a_count_or_unusable(header: bytes | None, pages: int | None) -> None:
    assert total_pages(header) == pages


@pytest.mark.parametrize("header", ["\xb2", "\u0663", "lots", "-5", "1e999", "nan"])
def test_retry_after_that_is_no_delay_is_unusable_not_a_raise(header: str) -> None:
    assert parse_retry_after(header) is None


def test_retry_after_seconds_and_dates_still_count() -> None:
    assert parse_retry_after(" 120 ") == 120.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0


@settings(max_examples=200, deadline=None, database=None)
@given(
    value=st.one_of(
        st.sampled_from(
            ["\xb2", "1\xb9", "\xb3\xb3", "\u0663", "9" * 5000, "Fri, 31 Dec 9999 23:59:59 -0100"]
        ),
        st.text(max_size=40),
        st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    )
)
def test_any_retry_after_is_a_delay_or_unusable(value: str) -> None:
    delay = parse_retry_after(value)
    assert delay is None or delay >= 0.0


@settings(max_examples=200, deadline=None, database=None)
@given(header=st.one_of(st.none(), st.binary(max_size=40)))
def test_any_total_pages_header_is_a_count_or_unusable(header: bytes | None) -> None:
    pages = total_pages(header)
    assert pages is None or 0 <= pages <= 10**9
