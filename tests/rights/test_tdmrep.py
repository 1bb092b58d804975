"""The TDMRep signals read as the W3C spec says, and hostile input read as no signal, never a crash."""

from __future__ import annotations

import json

import pytest
from protego import Protego

from crawler.rights.stance import HostRights, host_stance, page_stance, robots_reserving_agent
from crawler.rights.tdmrep import (
    Declaration,
    TdmRepError,
    from_headers,
    from_meta,
    location_matches,
    match_rules,
    parse_tdmrep,
)

BASE = "https://outlet.example/.well-known/tdmrep.json"
SPEC_EXAMPLE = json.dumps(
    [
        {"location": "/directory-a/", "tdm-reservation": 1},
        {
            "location": "/directory-b/html/",
            "tdm-reservation": 1,
            "tdm-policy": "https://p.example/policy.json",
        },
        {"location": "/directory-b/images/*.jpg", "tdm-reservation": 0},
    ]
).encode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://outlet.example/directory-a/report.pdf", Declaration(True, None)),
        (
            "https://outlet.example/directory-b/html/x.html",
            Declaration(True, "https://p.example/policy.json"),
        ),
        ("https://outlet.example/directory-b/images/a/b.jpg", Declaration(False, None)),
        ("https://outlet.example/directory-c/", None),
    ],
)
def test_the_specs_example_file_gives_each_path_its_rule(url, expected):
    assert match_rules(parse_tdmrep(SPEC_EXAMPLE, BASE), url) == expected


def test_the_first_matching_rule_wins():
    rules = parse_tdmrep(
        b'[{"location": "/news/free/", "tdm-reservation": 0}, {"location": "/", "tdm-reservation": 1}]', BASE
    )
    assert match_rules(rules, "https://outlet.example/news/free/a") == Declaration(False, None)
    assert match_rules(rules, "https://outlet.example/news/paid/a") == Declaration(True, None)


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/", "/anything", True),
        ("/news/*.html$", "/news/a/b.html", True),
        ("/news/*.html$", "/news/a/b.html?x=1", False),
        ("/exact$", "/exact", True),
        ("/exact$", "/exactly", False),
        ("/a*b*c", "/a-x-b-y-c-z", True),
        ("/a*b*c", "/a-x-c-y-b", False),
        ("/%7Euser/", "/~user/page", True),
        ("/News/", "/news/", False),  # the spec: case sensitive
    ],
)
def test_locations_match_as_robots_txt_paths(pattern, path, matches):
    assert location_matches(pattern, path) is matches


def test_a_pattern_of_many_wildcards_matches_in_linear_time():
    # A regex would backtrack exponentially here; the piece search does not.
    assert not location_matches("/" + "*a" * 400 + "b$", "/" + "a" * 5000)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"{not json", "not JSON"),
        (b'{"location": "/", "tdm-reservation": 1}', "not the array"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"\xff\xfe\x00junk", "not JSON"),
    ],
)
def test_a_malformed_file_is_refused_with_a_reason(body, problem):
    with pytest.raises(TdmRepError, match=problem):
        parse_tdmrep(body, BASE)


def test_rules_with_values_outside_the_spec_are_left_out():
    body = json.dumps(
        [
            {"location": "/a/", "tdm-reservation": 2},
            {"location": "/b/", "tdm-reservation": True},
            {"location": 7, "tdm-reservation": 1},
            "not an object",
            {"location": "/c/", "tdm-reservation": "1", "tdm-policy": "/policy.json"},
        ]
    ).encode()
    rules = parse_tdmrep(body, BASE)
    assert [(r.location, r.reserved, r.policy) for r in rules] == [
        ("/c/", True, "https://outlet.example/policy.json")
    ]


def test_headers_and_meta_tags_give_the_reservation_and_its_policy():
    page = "https://outlet.example/news/a/"
    headers = {"tdm-reservation": "1", "tdm-policy": "https://outlet.example/tdm"}
    assert from_headers(headers, page) == Declaration(True, "https://outlet.example/tdm")
    assert from_headers({"tdm-reservation": "yes"}, page) is None
    html = (
        b'<html><head><META NAME="TDM-Reservation" content="1"><meta name="tdm-policy" content="/p"></head>'
    )
    assert from_meta(html, page) == Declaration(True, "https://outlet.example/p")
    # Tags in the body are not the page's declaration; a policy without a reservation is not read.
    assert from_meta(b'<head></head><body><meta name="tdm-reservation" content="1">', page) is None
    assert from_meta(
        b'<meta name="tdm-reservation" content="0"><meta name="tdm-policy" content="/p">', page
    ) == (Declaration(False, None))


def test_the_page_supersedes_the_file_and_tdmrep_supersedes_robots():
    robots = Protego.parse("User-agent: GPTBot\nDisallow: /\n")
    host = HostRights(
        parse_tdmrep(b'[{"location": "/free/", "tdm-reservation": 0}]', BASE),
        "2026-01-01T00:00:00+00:00",
        lambda url, agent: robots.can_fetch(url, agent),
        "2026-01-01T00:00:01+00:00",
    )
    now = "2026-01-02T00:00:00+00:00"
    free = host_stance(host, "https://outlet.example/free/a", now)
    assert free == {
        "tdm_reserved": False,
        "policy": None,
        "signal": "tdmrep.json",
        "seen_at": "2026-01-01T00:00:00+00:00",
    }
    other = host_stance(host, "https://outlet.example/other/a", now)
    assert (other["tdm_reserved"], other["signal"]) == (True, "robots")
    by_meta = page_stance(free, Declaration(False, None), Declaration(True, None), now)
    assert (by_meta["tdm_reserved"], by_meta["signal"]) == (True, "meta")


def test_robots_rules_count_only_where_they_single_out_ai_crawlers():
    def allowed(text):
        parser = Protego.parse(text)
        return lambda url, agent: parser.can_fetch(url, agent)

    url = "https://outlet.example/news/a"
    assert robots_reserving_agent(allowed("User-agent: CCBot\nDisallow: /news/\n"), url) == "CCBot"
    assert (
        robots_reserving_agent(allowed("User-agent: Google-Extended\nDisallow: /\n"), url)
        == "Google-Extended"
    )
    # Everyone kept out: a crawl rule (newscrawl obeys it anyway), not a statement about mining.
    assert robots_reserving_agent(allowed("User-agent: *\nDisallow: /news/\n"), url) is None
    # A search crawler kept out says nothing about mining.
    assert robots_reserving_agent(allowed("User-agent: Googlebot\nDisallow: /\n"), url) is None
