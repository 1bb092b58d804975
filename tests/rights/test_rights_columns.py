"""The rights field has its own Parquet column and registry switch, each validated."""

from __future__ import annotations

import pytest

from crawler.registry import RegistryError, load_registry
from crawler.storage.parquet import decode_parquet, encode_parquet

RIGHTS = {
    "tdm_reserved": True,
    "policy": "https://outlet.example/tdm.json",
    "signal": "tdmrep.json",
    "seen_at": "2026-12-07T10:00:00+00:00",
}


def test_rights_is_a_parquet_column_of_its_own():
    (row,) = decode_parquet(encode_parquet([{"id": "a" * 32, "rights": RIGHTS}]))
    assert row["rights"] == RIGHTS
    assert row["extra"] is None


def test_a_rights_value_of_the_wrong_shape_is_not_stored_as_a_reservation():
    rows = decode_parquet(
        encode_parquet([{"rights": {**RIGHTS, "tdm_reserved": "yes"}}, {"rights": None}, {}])
    )
    assert rows[0]["rights"]["tdm_reserved"] is None
    assert [row["rights"] for row in rows[1:]] == [None, None]


ENTRY = '[[source]]\nid = "outlet"\nname = "Outlet"\nhomepage = "https://outlet.example/"\n'


@pytest.mark.parametrize(
    ("line", "expected"),
    [("", None), ("skip_tdm_reserved = true\n", True), ("skip_tdm_reserved = false\n", False)],
)
def test_registry_reads_the_per_source_skip_switch(tmp_path, line, expected):
    path = tmp_path / "sources.toml"
    path.write_text(ENTRY + line)
    (source,) = load_registry(path)
    assert source.skip_tdm_reserved is expected


def test_registry_rejects_a_skip_switch_that_is_not_a_boolean(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(ENTRY + 'skip_tdm_reserved = "yes"\n')
    with pytest.raises(
        RegistryError,
        match=r"#1 \(outlet\): skip_tdm_reserved must be true or false .*NEWSCRAWL_SKIP_TDM_RESERVED",
    ):
        load_registry(path)
