"""compose.yaml: pinned SeaweedFS with its bucket, Redis, an interval crawler and a scale-out worker."""

from __future__ import annotations

import re

import pytest

from tests.deploy.manifests import DEPLOY, flag, load_yaml

COMPOSE = load_yaml("compose.yaml")
SERVICES = COMPOSE["services"]
CRAWLERS = ("crawler", "worker")


def test_images_are_pinned_to_a_release() -> None:
    for name in ("seaweedfs", "redis"):
        image = SERVICES[name]["image"]
        assert re.fullmatch(r"[\w./-]+:\d+(\.\d+)+[\w.-]*", image), f"{name}: pin a version, not {image}"


def test_seaweedfs_serves_s3_and_creates_the_bucket() -> None:
    seaweed = SERVICES["seaweedfs"]
    command = seaweed["command"]
    assert command[0] in {"mini", "server"}
    assert "-bucket=newscrawl" in command or (command[0] == "server" and "-s3" in command)
    assert "8333/healthz" in " ".join(seaweed["healthcheck"]["test"])
    assert any(volume.endswith(":/data") for volume in seaweed["volumes"]), "keep the data on a volume"


def test_redis_persists_the_frontier() -> None:
    command = SERVICES["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    # an evicted seen-set key would make workers fetch pages twice
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"


@pytest.mark.parametrize("service", CRAWLERS)
def test_crawlers_store_in_the_bucket_through_the_seaweedfs_endpoint(service: str) -> None:
    spec = SERVICES[service]
    command = spec["command"]
    assert command[0] == "crawl"
    assert flag(command, "--store") == "s3://newscrawl"
    assert flag(command, "--frontier") == "redis://redis:6379/0"
    environment = spec["environment"]
    assert environment["AWS_ENDPOINT_URL"] == "http://seaweedfs:8333"
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert environment[name].startswith("${" + name), f"{service}: {name} must come from the host env"
    assert spec["depends_on"]["seaweedfs"]["condition"] == "service_healthy"
    assert spec["depends_on"]["redis"]["condition"] == "service_healthy"
    sources = flag(command, "--sources")
    assert any(volume.endswith(f":{sources}:ro") for volume in spec["volumes"])


def test_crawler_repeats_on_an_interval_and_bounds_each_run() -> None:
    crawler = SERVICES["crawler"]
    assert crawler["entrypoint"] == ["/usr/local/bin/crawl-every"]
    interval = int(crawler["environment"]["NEWSCRAWL_INTERVAL"])
    max_runtime = int(flag(crawler["command"], "--max-runtime") or 0)
    assert 0 < max_runtime < interval
    assert "COPY deploy/crawl-every.sh /usr/local/bin/crawl-every" in (DEPLOY / "Dockerfile").read_text()


def test_worker_runs_the_image_entrypoint_and_stops_gracefully() -> None:
    worker = SERVICES["worker"]
    assert "entrypoint" not in worker  # the image's ENTRYPOINT ["newscrawl"]
    assert worker["build"]["dockerfile"] == "deploy/Dockerfile"
    for service in CRAWLERS:
        minutes = re.fullmatch(r"(\d+)m", SERVICES[service]["stop_grace_period"])
        assert minutes and int(minutes.group(1)) >= 1
