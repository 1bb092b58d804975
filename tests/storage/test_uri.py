import pytest

from crawler.storage import StorageError, open_store
from crawler.storage.local import FileStore


def test_plain_path_and_file_uri_open_the_same_directory(tmp_path):
    assert open_store(str(tmp_path)).root == open_store(f"file://{tmp_path}").root == tmp_path


def test_relative_file_uri_is_relative_to_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert open_store("file://./data").root == tmp_path / "data"


def test_environment_variable_then_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSCRAWL_STORE", raising=False)
    assert open_store(None).root == tmp_path / "newscrawl-data"
    monkeypatch.setenv("NEWSCRAWL_STORE", f"file://{tmp_path / 'env'}")
    store = open_store(None)
    assert isinstance(store, FileStore) and store.root == tmp_path / "env"


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("ftp://host/x", "use file://PATH or s3://BUCKET"),
        ("s3://", "valid bucket name"),
        ("s3://Bad_Bucket/x", "valid bucket name"),
        ("s3://bucket/a/../b", "unusable prefix"),
        ("s3://bucket/x?versionId=1", "query or fragment"),
        ("file://", "has no path"),
        ("~no-such-user-here/news", r"cannot expand '~no-such-user-here' \(no such user or home directory\)"),
        ("file://~no-such-user-here/news", "cannot expand '~no-such-user-here'"),
    ],
)
def test_bad_uris_name_the_fix(uri, message):
    with pytest.raises(StorageError, match=message):
        open_store(uri)


def test_store_path_that_is_a_file_is_rejected(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(StorageError, match="point the store at a directory"):
        open_store(str(tmp_path / "f"))
