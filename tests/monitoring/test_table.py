from __future__ import annotations

from crawler.monitoring import build_run_report, format_summary_table

ROWS = {
    "alpha-news": {
        "discovered": 120,
        "known": 31,
        "fetched": 118,
        "stored": 110,
        "duplicates": 14,
        "http_errors": 2,
        "with_author": 99,
        "with_date": 110,
        "dropped": {"EmptyText": 5, "NotAnArticle": 3},
        "median_text_length": 2874,
    },
    "beta": {"discovered": 4, "pages": 6, "http_errors": 4},
}


def _table() -> list[str]:
    return format_summary_table(build_run_report(ROWS, {}, [])).splitlines()


def test_table_has_a_header_a_line_per_source_and_a_total() -> None:
    lines = _table()
    assert lines[0].split() == [
        "source", "discovered", "known", "fetched", "stored", "dups", "dropped", "http", "err",
        "median", "chars", "author", "date", "flags",
    ]  # fmt: skip
    assert lines[2].split() == [
        "alpha-news",
        "120",
        "31",
        "118",
        "110",
        "14",
        "8",
        "2",
        "2874",
        "90%",
        "100%",
    ]
    assert lines[3].split() == ["beta", "4", "0", "0", "0", "0", "0", "4", "-", "-", "-", "EMPTY"]
    assert lines[5].split() == ["TOTAL", "124", "31", "118", "110", "14", "8", "6"]


def test_table_columns_line_up() -> None:
    lines = _table()
    # numbers are right-aligned: each column's last character sits at the same offset on every line
    stored_end = lines[0].index("stored") + len("stored")
    for line in lines[2:4] + lines[5:6]:
        assert line[stored_end - 1].isdigit() and line[stored_end] == " "


def test_table_lists_drop_reasons_and_anomaly_messages_below() -> None:
    text = "\n".join(_table())
    assert "dropped by reason:\n  alpha-news: EmptyText 5, NotAnArticle 3" in text
    assert "1 anomaly:\n  ! beta: yielded no articles: discovered 4 article URLs but fetched none" in text


def test_table_of_a_clean_run_has_no_extra_sections() -> None:
    text = format_summary_table(build_run_report({"alpha": {"stored": 1, "fetched": 1}}, {}, []))
    assert "dropped by reason" not in text and "anomal" not in text


def test_table_lists_outlets_that_reserve_text_and_data_mining_below() -> None:
    stats = {
        "rights/reserved/alpha-news": "tdmrep.json",
        "rights/policy/alpha-news": "https://alpha.example/tdm.json",
        "rights/reserved/beta": "robots",
        "rights/policy/beta": "",
    }
    rows = {**ROWS, "beta": {**ROWS["beta"], "tdm_reserved": 4}}
    report = build_run_report(rows, stats, [])
    assert report["tdm_reserved"] == {
        "alpha-news": {"signal": "tdmrep.json", "policy": "https://alpha.example/tdm.json", "skipped": 0},
        "beta": {"signal": "robots", "policy": None, "skipped": 4},
    }
    assert report["anomalies"] == [], "an outlet skipped for its reservation is not flagged empty"
    text = format_summary_table(report)
    assert (
        "text and data mining reserved:\n"
        "  alpha-news: by tdmrep.json, policy https://alpha.example/tdm.json; 0 page(s) skipped\n"
        "  beta: by robots; 4 page(s) skipped"
    ) in text
