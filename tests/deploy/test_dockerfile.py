"""The Dockerfile, read as text: slim Python 3.11, package installed, non-root, CLI entrypoint."""

from __future__ import annotations

from tests.deploy.manifests import DEPLOY, dockerfile, exec_form

INSTRUCTIONS = dockerfile()
KEYWORDS = [keyword for keyword, _ in INSTRUCTIONS]


def _args(keyword: str) -> list[str]:
    return [args for found, args in INSTRUCTIONS if found == keyword]


def test_base_is_slim_python_311() -> None:
    [base] = _args("FROM")
    assert base.startswith("python:3.11-slim")


def test_the_package_is_installed_with_pip() -> None:
    assert any("pip install ." in args for args in _args("RUN"))


def test_the_image_runs_as_a_non_root_user_after_installing() -> None:
    [user] = _args("USER")
    assert user.split(":")[0] not in {"0", "root"}
    assert KEYWORDS.index("USER") > max(i for i, keyword in enumerate(KEYWORDS) if keyword == "RUN")
    uid = user.split(":")[0]
    assert any(f"--uid {uid}" in args for args in _args("RUN")), "create the user the image runs as"


def test_entrypoint_is_the_cli_in_exec_form() -> None:
    [entrypoint] = _args("ENTRYPOINT")
    assert exec_form(entrypoint) == ["newscrawl"]
    [stop] = _args("STOPSIGNAL")
    assert stop == "SIGTERM"


def test_build_context_lets_in_everything_the_dockerfile_copies() -> None:
    allowed = {
        line.lstrip("!").rstrip("/")
        for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    copied = {
        source.rstrip("/")
        for args in _args("COPY")
        for source in args.split()[:-1]
        if not source.startswith("--")
    }
    assert copied <= allowed, f"the build context excludes {copied - allowed}"
