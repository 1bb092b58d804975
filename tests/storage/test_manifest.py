from crawler.storage import Reader, RunWriter, manifest
from tests.storage.factories import article


def test_writer_with_stale_listing_takes_next_manifest_number(store, monkeypatch):
    slow, fast = RunWriter(store), RunWriter(store)
    slow.add_article(article(1))
    fast.add_article(article(2))
    fast.commit({})
    # `slow` listed the manifests before `fast` committed, so it first tries number 1 too.
    monkeypatch.setattr(manifest, "latest_sequence", lambda _store: 0)
    committed = slow.commit({})
    assert committed["checkpoint"] == "000000000002"
    assert [m["run_id"] for m in Reader(store).runs()] == [fast.run_id, slow.run_id]


def test_software_versions_name_the_libraries_that_shaped_the_data():
    versions = manifest.software_versions()
    assert {"python", "pyarrow", "warcio", "boto3"} <= set(versions)
