"""Charset labels as browsers read them: the WHATWG Encoding Standard's labels, and nothing else.

Pure. Python's codec registry also holds `zlib`, `base64`, `rot13`, `uu`, `idna`, `undefined` and
`utf-7`; a page naming one of those must never reach `bytes.decode`. `text_codec(label)` gives the
Python codec for a label a browser knows, or None, and the caller falls back as a browser would.
"""

from __future__ import annotations

import re

# Encoding Standard, section 4.2 "Names and labels": encoding → its labels. The Python codec is the
# value of _PYTHON (or the encoding name itself). Labels are matched ASCII case-insensitively.
_LABELS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "ibm866": "866 cp866 csibm866 ibm866",
    "iso-8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso-8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso-8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso-8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 "
    "iso_8859-5:1988",
    "iso-8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
    "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso-8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
    "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso-8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
    "iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso-8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso-8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso-8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso-8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso-8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    # ISO-8859-1 and ASCII pages rely on cp1252's curly quotes, dashes and euro sign, as browsers do.
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
    "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 "
    "latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    # The standard's GBK decoder is its gb18030 decoder; its Big5 is Big5-HKSCS; its Shift_JIS and
    # EUC-KR are Microsoft's supersets.
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 "
    "ksc_5601 windows-949",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
}
# "replacement" labels (ISO-2022-KR, HZ and ISO-2022-CN): browsers refuse to decode those pages at
# all, so they count as unknown here and the usual fallback applies.
# Every label a browser knows → the Python codec to decode it with.
BY_LABEL = {label: codec for codec, labels in _LABELS.items() for label in labels.split()}
# x-user-defined maps the high bytes to private-use characters: ASCII plus junk. A <meta> naming it
# means windows-1252 (HTML's prescan rule), and Python has no codec for it, so it is read as that.
BY_LABEL["x-user-defined"] = "cp1252"
_ASCII_WHITESPACE = "\t\n\f\r "
_MAX_LABEL = 40
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]{1,64})", re.IGNORECASE)
# Bounded, so a page of unclosed `<meta` tags costs linear time, not quadratic.
_META_CHARSET = re.compile(
    rb"""<meta[^>]{1,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,64})""", re.IGNORECASE
)
_META_PRESCAN = 8192


def text_codec(label: str | None) -> str | None:
    """The Python codec a browser decodes with for this charset label, or None when browsers know no
    such text encoding (`zlib`, `rot13`, `utf-7`, `x-no-such`). `_`/`-` slips are forgiven."""
    if not label:
        return None
    key = label.strip(_ASCII_WHITESPACE).lower()
    if len(key) > _MAX_LABEL:
        return None
    for spelling in (key, key.replace("_", "-"), key.replace("-", "").replace("_", "")):
        if spelling in BY_LABEL:
            return BY_LABEL[spelling]
    return None


def meta_codec(label: str | None) -> str | None:
    """`text_codec` for a label in the page's own <meta>: a UTF-16 page could not have declared itself
    in ASCII, so such a declaration means UTF-8 (HTML's prescan rule)."""
    codec = text_codec(label)
    return "utf-8" if codec is not None and codec.startswith("utf-16") else codec


def header_label(content_type: str | None) -> str | None:
    """The charset label of a Content-Type header value, as written (`text/html; charset="zlib"`)."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def meta_label(body: bytes) -> str | None:
    """The charset label a page declares in a <meta> near its start, as written."""
    match = _META_CHARSET.search(body[:_META_PRESCAN])
    return match.group(1).decode("ascii") if match else None
