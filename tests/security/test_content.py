"""Binary sniffing and charset choice on raw bodies."""

from __future__ import annotations

import pytest

from crawler.security.content import (
    CONFLICT,
    CORRECTED,
    INVALID,
    UNKNOWN,
    choose_encoding,
    looks_binary,
)

CYRILLIC = "<p>Министры встретились в Женеве</p>"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "png"),
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x1f\x8b\x08\x00rest", "gzip"),
        (bytes(range(1, 32)) * 50, "control-bytes"),
    ],
)
def test_binary_bodies_are_named(body: bytes, kind: str) -> None:
    assert looks_binary(body) == kind


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"\x1b" * 99 + b"a" * 901, None),  # a tenth or less: text with stray escapes
        (b"\x1b" * 101 + b"a" * 899, "control-bytes"),
        (b"a" + b"\x00" * 101 + b"a" * 898, "control-bytes"),  # NUL counts
        (b"\t\n\r\x0c" * 250, None),  # whitespace controls do not
    ],
)
def test_more_than_a_tenth_control_bytes_is_binary(body: bytes, kind: str | None) -> None:
    assert looks_binary(body) == kind


@pytest.mark.parametrize(
    "body",
    [b"<html><body><p>hello</p></body></html>", CYRILLIC.encode("utf-8"), "<p>hi</p>".encode("utf-16"), b""],
)
def test_text_bodies_are_not_binary(body: bytes) -> None:
    assert looks_binary(body) is None


@pytest.mark.parametrize(
    ("body", "header", "meta", "expected"),
    [
        (CYRILLIC.encode("utf-8"), "utf-8", None, ("utf-8", None)),
        (CYRILLIC.encode("cp1251"), "windows-1251", None, ("cp1251", None)),
        (CYRILLIC.encode("utf-8"), "iso-8859-1", None, ("utf-8", CORRECTED)),
        (CYRILLIC.encode("cp1251"), "utf-8", "windows-1251", ("cp1251", CONFLICT)),
        (b"caf\xc3 \xff broken", "utf-8", None, ("utf-8", INVALID)),
        (b"plain ascii", "x-no-such-charset", None, ("utf-8", UNKNOWN)),
        # Python codecs that are no text encodings: never chosen, whatever the header or <meta> says.
        (b"plain ascii", "zlib", None, ("utf-8", UNKNOWN)),
        ("café".encode("cp1252"), "base64", "rot13", ("cp1252", UNKNOWN)),
        ("café".encode("cp1252"), None, None, ("cp1252", None)),
        (CYRILLIC.encode("cp1251"), "utf-7", "windows-1251", ("cp1251", UNKNOWN)),
        (b"<meta charset=utf-16><p>ascii</p>", None, "utf-16", ("utf-8", None)),
        (b"\xef\xbb\xbf" + CYRILLIC.encode("utf-8"), "iso-8859-1", None, ("utf-8", None)),
        ("café".encode("cp1252"), "windows-1252", None, ("cp1252", None)),
    ],
)
def test_the_charset_that_decodes_the_body_is_chosen(
    body: bytes, header: str | None, meta: str | None, expected: tuple[str, str | None]
) -> None:
    assert choose_encoding(body, header, meta) == expected
