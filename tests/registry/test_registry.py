import os
from datetime import timedelta

import pytest

from crawler.registry import MAX_REGISTRY_BYTES, RegistryError, load_registry


def write(tmp_path, text):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


GOOD = """
[[source]]
id = "example-news"
name = "Example News"
homepage = "https://example.com/"
feeds = ["https://example.com/feed/"]
article_pattern = '/\\d{4}/\\d{2}/'
max_age = "3d"
"""


def test_packaged_registry_starts_with_the_brics_post():
    first = load_registry()[0]
    assert first.id == "thebricspost"
    assert first.homepage == "https://thebricspost.com/"
    assert first.feeds and first.sitemaps
    assert first.wp_json is True


def test_registry_loads_fields(tmp_path):
    (source,) = load_registry(write(tmp_path, GOOD))
    assert source.allowed_domains == ("example.com",)
    assert source.max_age == timedelta(days=3)
    assert source.is_article_url("https://example.com/2024/05/story")
    assert not source.is_article_url("https://example.com/about")
    assert source.compare_extractors is False


def test_registry_lets_a_source_ask_for_trafilaturas_extractor_comparison(tmp_path):
    (source,) = load_registry(write(tmp_path, GOOD + "compare_extractors = true\n"))
    assert source.compare_extractors is True


def test_registry_rejects_duplicate_ids(tmp_path):
    with pytest.raises(RegistryError, match=r"#2.*duplicate id 'example-news'"):
        load_registry(write(tmp_path, GOOD + GOOD))


BASE = {
    "id": '"example-news"',
    "name": '"Example News"',
    "homepage": '"https://example.com/"',
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("homepage", '"example.com"', "homepage: 'example.com' has no scheme"),
        ("feeds", '["ftp://example.com/feed"]', "only http:// and https:// URLs"),
        ("homepage", '"http://[oops/"', "homepage: 'http://\\[oops/' is not a valid URL"),
        ("homepage", '"http://example.com:99999/"', "Port out of range"),
        ("feeds", '["http://example.com:http/feed"]', "Port could not be cast"),
        ("sitemaps", '["https://exa mple.com/sitemap.xml"]', "sitemaps: .* contains spaces"),
        ("sections", '["https://user:pw@example.com/news/"]', "sections: .* carries credentials"),
        (
            "name",
            '"Example\\u001b[2J News"',
            "field 'name' \\('Example\\\\x1b\\[2J News'\\) contains control",
        ),
        ("agency", '"Xin\\nhua"', "field 'agency' .* contains control characters"),
        ("allowed_domains", '["https://example.com/"]', "'https://example.com/' is not a domain name"),
        ("allowed_domains", '["example.com:8080"]', "'example.com:8080' is not a domain name"),
        ("allowed_domains", '[""]', "'' is not a domain name"),
        ("id", '"' + "a" * 65 + '"', "is 65 characters; ids name storage partitions, keep them to 64"),
        ("article_pattern", '"(unclosed"', "not a valid regex"),
        ("timezone", '"Mars/Olympus"', "not an IANA zone"),
        ("max_age", '"two days"', "not a duration"),
        ("max_age", '"9999999999d"', "max_age: '9999999999d' is too long"),
        ("id", '"Example News"', "kebab-case"),
        ("colour", '"red"', "unknown field"),
        ("name", '""', "'name' is required"),
        ("compare_extractors", '"yes"', "compare_extractors must be true or false"),
        ("body_selector", '"div["', "body_selector 'div\\[' is not a valid CSS selector"),
        ("drop_selectors", '[".share", "ul >"]', "drop_selectors 'ul >' is not a valid CSS selector"),
        ("max_response_bytes", '"20MB"', "max_response_bytes must be a positive whole number"),
        ("max_response_bytes", "0", "max_response_bytes must be a positive whole number"),
        ("language", "5", "'language' must be a non-empty string, or left out"),
        ("agency", "true", "'agency' must be a non-empty string, or left out"),
    ],
)
def test_registry_rejects_bad_entries_naming_entry_and_fix(tmp_path, field, value, message):
    entry = {**BASE, field: value}
    text = "[[source]]\n" + "".join(f"{key} = {val}\n" for key, val in entry.items())
    with pytest.raises(RegistryError, match=message) as error:
        load_registry(write(tmp_path, text))
    assert "[[source]] #1" in str(error.value)


def test_registry_reports_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(RegistryError, match="no such sources file"):
        load_registry(tmp_path / "missing.toml")
    with pytest.raises(RegistryError, match="not valid TOML"):
        load_registry(write(tmp_path, "[[source]\n"))


def test_registry_reports_a_directory_or_non_utf8_file_as_a_registry_error(tmp_path):
    # Not a traceback: `--sources conf/` (a directory) or a file saved as Latin-1 are typing mistakes.
    with pytest.raises(RegistryError, match="cannot read the sources file"):
        load_registry(tmp_path)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'[[source]]\nid = "x"\nname = "Caf\xe9"\n')
    with pytest.raises(RegistryError, match="not UTF-8 text"):
        load_registry(latin1)


def test_registry_keeps_valid_extraction_overrides(tmp_path):
    text = GOOD + 'body_selector = "article .body"\ndrop_selectors = [".share", "aside"]\n'
    (source,) = load_registry(write(tmp_path, text + 'max_response_bytes = 20971520\nagency = "Xinhua"\n'))
    assert source.body_selector == "article .body"
    assert source.drop_selectors == (".share", "aside")
    assert source.max_response_bytes == 20971520
    assert source.agency == "Xinhua"


def test_registry_takes_an_id_of_64_characters(tmp_path):
    (source,) = load_registry(write(tmp_path, GOOD.replace("example-news", "a" * 64)))
    assert source.id == "a" * 64


def test_registry_refuses_deeply_nested_toml_without_recursing_out(tmp_path):
    text = GOOD + "exclude_patterns = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(RegistryError, match="nested too deeply"):
        load_registry(write(tmp_path, text))


def test_registry_refuses_devices_fifos_and_huge_files_without_reading_them(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # no writer: a blocking open would wait forever
    for path in ("/dev/zero", fifo):
        with pytest.raises(RegistryError, match="not a regular file"):
            load_registry(path)
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(MAX_REGISTRY_BYTES + 1)  # sparse: nothing is written to disk
    with pytest.raises(RegistryError, match="over 4 MiB, too large for a sources file"):
        load_registry(huge)
