"""The evaluation set is reproducible, as rough as real syndication, and newscrawl clusters it well."""

import importlib.util
import io
import itertools
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from dedup import DedupConfig, compute_signature
from dedup.batch import cluster_jsonl
from dedup.verify import overlap

ROOT = Path(__file__).resolve().parents[2]


def load(path: Path, name: str) -> ModuleType:
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(path.parent))


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return load(ROOT / "eval" / "syndication" / "generate.py", "syndication_generate").generate()


def test_committed_set_is_what_the_generator_writes(docs: list[dict]) -> None:
    committed = (ROOT / "eval" / "syndication" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in committed] == docs


def test_set_has_enough_stories_and_documents(docs: list[dict]) -> None:
    wire_stories = {d["label"] for d in docs if not d["label"].startswith(("template-", "single-"))}
    assert len(docs) >= 300 and len(wire_stories) >= 40


def test_copies_are_as_rough_as_real_syndication(docs: list[dict]) -> None:
    config = DedupConfig()
    shingles = {d["id"]: compute_signature(d["text"], config).shingles for d in docs}
    groups = defaultdict(list)
    for d in docs:
        if not d["label"].startswith(("template-", "single-")):
            groups[d["label"]].append(d["id"])
    within = [
        overlap(shingles[a], shingles[b])
        for ids in groups.values()
        for a, b in itertools.combinations(ids, 2)
    ]
    assert 0.15 <= statistics.median(o.jaccard for o in within) <= 0.35  # real copies: 0.25
    assert 0.4 <= statistics.median(o.containment for o in within) <= 0.65  # real copies: 0.51


def test_newscrawl_clusters_the_set(docs: list[dict]) -> None:
    bench = load(ROOT / "bench" / "dedup_quality.py", "dedup_quality_bench")
    out = io.StringIO()
    cluster_jsonl(io.StringIO("".join(json.dumps(d) + "\n" for d in docs)), out)
    predicted = [json.loads(line)["cluster_id"] for line in out.getvalue().splitlines()]
    truth = [d["label"] for d in docs]
    assert bench.adjusted_rand_index(truth, predicted) >= 0.95
    assert bench.pairwise(truth, predicted)[0] >= 0.99  # precision: copies of different stories never merge
