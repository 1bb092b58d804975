"""The frontier URL carries an ACL user and password (redis://USER:PASSWORD@HOST:PORT/DB): every Redis
client of a worker signs in with them, a wrong password stops the worker at start-up with one line,
and the password appears in no log line."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.frontier.settings import PASSWORD_ENV
from crawler.storage import Reader, open_store
from tests.frontier.conftest import worker_args
from tests.frontier.privateredis import PrivateRedis, private_redis
from tests.support.cli import run_cli
from tests.support.crawl import source, write_registry
from tests.support.fakesite import Article, FakeSite, news_outlet
from tests.support.redis import REDIS_URL, redis_or_skip


def with_credentials(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=f"{user}:{password}@{parts.hostname}:{parts.port or 6379}").geturl()


@pytest.fixture
def acl_user(redis_prefix: str) -> Iterator[tuple[str, str]]:
    """A temporary Redis user that may touch only this test's keys (`ACL SETUSER`, deleted after)."""
    client = redis_or_skip()
    user, password = f"newscrawl-test-{uuid.uuid4().hex[:10]}", secrets.token_hex(16)
    client.acl_setuser(
        user,
        enabled=True,
        passwords=[f"+{password}"],
        keys=[f"{redis_prefix}*"],
        commands=["+@all", "-@dangerous"],
    )
    try:
        yield user, password
    finally:
        client.acl_deluser(user)
        client.close()


def _outlet(tmp_path: Path, sites: Callable[[str], FakeSite]) -> tuple[FakeSite, Path]:
    site = sites("127.0.0.2")
    news_outlet(site, [Article(f"a{i}", f"Story {i}", f"Text of story {i}. " * 20) for i in range(3)])
    registry = write_registry(
        tmp_path / "s.toml",
        [source(site, "outlet", feeds=["/feed.xml"], sitemaps=["/sitemap.xml"], wp_json=False)],
    )
    return site, registry


@pytest.mark.slow
@pytest.mark.parametrize(
    "tls, password_in",
    [(False, "url"), (False, "env"), (True, "url")],
    ids=["password-in-url", "password-in-env", "tls"],
)
def test_every_redis_client_of_a_worker_signs_in_and_no_log_line_shows_the_password(
    tmp_path: Path, sites: Callable[[str], FakeSite], tls: bool, password_in: str
) -> None:
    with private_redis(tmp_path / "redis", tls=tls) as server:
        _crawl_as_acl_user(tmp_path, sites, server, password_in)


def _crawl_as_acl_user(
    tmp_path: Path, sites: Callable[[str], FakeSite], locked_redis: PrivateRedis, password_in: str
) -> None:
    """On a Redis where the default user is off, a crawl finishes only if the scheduler, the
    dupefilter, the shared host delays and the dedup index all sign in."""
    site, registry = _outlet(tmp_path, sites)
    admin = locked_redis.admin()
    user, password = f"newscrawl-test-{uuid.uuid4().hex[:10]}", secrets.token_hex(16)
    admin.acl_setuser(
        user,
        enabled=True,
        passwords=[f"+{password}"],
        keys=["~newscrawl:*"],
        commands=["+@all", "-@dangerous"],
    )
    if password_in == "url":
        frontier, env = locked_redis.url(user, password), {}
    else:  # kept out of the process's arguments
        frontier, env = locked_redis.url(user), {PASSWORD_ENV: password}
    store = f"file://{tmp_path / 'store'}"
    result = run_cli(
        *worker_args(registry, store, "newscrawl", frontier=frontier), "--log-level", "DEBUG", env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert len([hit for hit in site.hits if hit.path.startswith("/news/")]) == 3
    assert len(list(Reader(open_store(store)).articles())) == 3, result.stderr[-3000:]
    assert password not in result.stdout + result.stderr
    assert admin.scard("newscrawl:news:seen") == 3  # the articles (feeds are read again on every run)
    admin.close()


def test_a_wrong_password_stops_the_worker_at_start_up_with_one_line(
    tmp_path: Path, redis_prefix: str, acl_user: tuple[str, str]
) -> None:
    user, _password = acl_user
    wrong = secrets.token_hex(16)
    frontier = with_credentials(REDIS_URL, user, wrong)
    result = run_cli(
        "crawl", "--store", f"file://{tmp_path}", "--frontier", frontier, "--frontier-prefix", redis_prefix
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert (
        line.startswith("newscrawl crawl: error: --frontier redis://")
        and "refused the user or password" in line
    )
    assert wrong not in result.stdout + result.stderr and f"{user}:***@" in line
