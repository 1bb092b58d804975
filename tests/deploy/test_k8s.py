"""The Kubernetes manifests: schedule, overlap, deadlines vs the crawl's own limit, config and secrets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from crawler.registry import load_registry
from tests.deploy.manifests import cron_period_seconds, dockerfile, flag, load_yaml

CRONJOB = load_yaml("k8s/cronjob.yaml")
WORKER = load_yaml("k8s/worker-deployment.yaml")
CONFIG = load_yaml("k8s/configmap.yaml")
JOB = CRONJOB["spec"]["jobTemplate"]["spec"]
WORKLOADS = {"cronjob": JOB["template"]["spec"], "worker": WORKER["spec"]["template"]["spec"]}
GRACEFUL_CLOSE_MARGIN = 120  # seconds the crawl needs after --max-runtime to close and write its manifest


def _container(pod: dict[str, Any]) -> dict[str, Any]:
    [container] = pod["containers"]
    return container


def _env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in container.get("env", [])}


def _resolve(container: dict[str, Any], arg: str) -> str:
    """Expand `$(VAR)` the way the kubelet does, reading configMapKeyRef values from our ConfigMap."""

    def lookup(match: re.Match[str]) -> str:
        entry = _env(container)[match.group(1)]
        ref = entry["valueFrom"]["configMapKeyRef"]
        assert ref["name"] == CONFIG["metadata"]["name"]
        return CONFIG["data"][ref["key"]]

    return re.sub(r"\$\((\w+)\)", lookup, arg)


def test_cronjob_is_hourly_and_never_overlaps() -> None:
    spec = CRONJOB["spec"]
    assert (CRONJOB["apiVersion"], CRONJOB["kind"]) == ("batch/v1", "CronJob")
    assert cron_period_seconds(spec["schedule"]) == 3600
    assert spec["concurrencyPolicy"] == "Forbid"
    assert JOB["backoffLimit"] == 0  # a retry inside the hour would collide with the next run
    assert JOB["template"]["spec"]["restartPolicy"] == "Never"


def test_cronjob_deadline_leaves_room_for_the_graceful_close_and_ends_before_the_next_run() -> None:
    pod = JOB["template"]["spec"]
    max_runtime = int(flag(_container(pod)["args"], "--max-runtime") or 0)
    assert max_runtime > 0, "the crawl must bound itself with --max-runtime"
    deadline = JOB["activeDeadlineSeconds"]
    grace = pod["terminationGracePeriodSeconds"]
    assert deadline >= max_runtime + GRACEFUL_CLOSE_MARGIN
    assert grace >= 60
    assert deadline + grace < cron_period_seconds(CRONJOB["spec"]["schedule"])


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_credentials_come_from_the_secret_and_never_inline(workload: str) -> None:
    container = _container(WORKLOADS[workload])
    env = _env(container)
    secret_refs = [ref["secretRef"]["name"] for ref in container.get("envFrom", []) if "secretRef" in ref]
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        if name in env:
            assert "value" not in env[name]
            assert env[name]["valueFrom"]["secretKeyRef"] == {"name": "newscrawl-s3", "key": name}
        else:
            assert secret_refs == ["newscrawl-s3"], f"{workload}: {name} comes from nowhere"
    assert not any("value" in entry for entry in env.values()), "config belongs in the ConfigMap"


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_store_endpoint_and_frontier_are_wired_from_the_configmap(workload: str) -> None:
    container = _container(WORKLOADS[workload])
    args = container["args"]
    assert args[0] == "crawl"
    assert _resolve(container, flag(args, "--store") or "").startswith("s3://")
    assert re.fullmatch(r"redis://[\w.-]+:\d+/\d+", _resolve(container, flag(args, "--frontier") or ""))
    assert _resolve(container, "$(AWS_ENDPOINT_URL)").startswith("http")
    # every $(VAR) in the arguments is defined, or the kubelet passes it through literally
    for arg in args:
        for name in re.findall(r"\$\((\w+)\)", arg):
            assert name in _env(container), f"{workload}: {arg} uses undefined {name}"


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_sources_file_is_mounted_from_the_configmap_and_valid(workload: str, tmp_path: Path) -> None:
    pod = WORKLOADS[workload]
    container = _container(pod)
    sources = Path(flag(container["args"], "--sources") or "")
    [mount] = [m for m in container["volumeMounts"] if Path(m["mountPath"]) == sources.parent]
    [volume] = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert volume["configMap"]["name"] == CONFIG["metadata"]["name"]
    assert {"key": "sources.toml", "path": sources.name} in volume["configMap"]["items"]
    copy = tmp_path / "sources.toml"
    copy.write_text(CONFIG["data"]["sources.toml"])
    assert load_registry(copy), "the ConfigMap's registry must load"


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_pods_run_as_the_images_non_root_user(workload: str) -> None:
    [user] = [args for keyword, args in dockerfile() if keyword == "USER"]
    pod = WORKLOADS[workload]
    context = pod["securityContext"]
    assert context["runAsNonRoot"] is True
    assert str(context["runAsUser"]) == user.split(":")[0] != "0"
    assert _container(pod)["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_metrics_port_matches_the_scrape_annotation(workload: str) -> None:
    template = JOB["template"] if workload == "cronjob" else WORKER["spec"]["template"]
    container = _container(template["spec"])
    port = int(flag(container["args"], "--metrics-port") or 0)
    assert int(template["metadata"]["annotations"]["prometheus.io/port"]) == port
    assert {"name": "metrics", "containerPort": port} in container["ports"]


def test_worker_deployment_scales_out_and_stops_gracefully() -> None:
    spec = WORKER["spec"]
    assert (WORKER["apiVersion"], WORKER["kind"]) == ("apps/v1", "Deployment")
    assert spec["replicas"] >= 2
    assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
    assert spec["template"]["spec"]["terminationGracePeriodSeconds"] >= 60
    assert _container(WORKLOADS["worker"])["image"] == _container(WORKLOADS["cronjob"])["image"]
