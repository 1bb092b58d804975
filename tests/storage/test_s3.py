"""S3-only behaviour: lost acknowledgements, multipart uploads, and clear errors for bad setups."""

import hashlib

import botocore.exceptions
import pytest

from crawler.storage import Reader, RunWriter, StorageError, open_store
from crawler.storage.s3 import S3Store
from crawler.storage.s3client import build_s3_client
from tests.storage.factories import article


class LoseFirstAck:
    """Let a PUT reach the server, then drop its response: the client sees a dead connection
    and botocore's standard retry sends the PUT again, which now meets If-None-Match: *."""

    def __init__(self, store, key_part: str, method: str = "PUT") -> None:
        self.session = store.client._endpoint.http_session
        self.original = self.session.send
        self.key_part = key_part
        self.method = method
        self.dropped = 0
        self.session.send = self.send

    def send(self, request):
        response = self.original(request)
        if request.method == self.method and self.key_part in request.url and not self.dropped:
            self.dropped += 1
            raise botocore.exceptions.ConnectionClosedError(endpoint_url=request.url)
        return response


def _s3_store(s3_uri: str) -> S3Store:
    store = open_store(s3_uri)
    assert isinstance(store, S3Store)
    return store


def test_retried_put_after_lost_ack_counts_as_stored(s3_uri):
    with _s3_store(s3_uri) as store:
        assert store.conditional_writes
        lost = LoseFirstAck(store, "kv/lost")
        assert store.put_bytes("kv/lost", b"payload") is False  # the retry met our own object
        assert lost.dropped == 1
        assert store.get_bytes("kv/lost") == b"payload"


def test_commit_after_lost_manifest_ack_keeps_one_manifest(s3_uri):
    with _s3_store(s3_uri) as store:
        writer = RunWriter(store)
        writer.add_article(article(1))
        lost = LoseFirstAck(store, "manifests/")
        manifest = writer.commit({})
        assert lost.dropped == 1
        assert manifest["checkpoint"] == "000000000001"
        assert [m["run_id"] for m in Reader(store).runs()] == [writer.run_id]


def test_reads_from_an_unreachable_server_raise_storage_error(s3_uri, monkeypatch):
    # Callers (newscrawl read, the crawl's commit and start-up) turn StorageError into one line or
    # a failed run; a raw botocore error escaped them as a traceback or an uncommitted run that
    # still looked clean.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with _s3_store(s3_uri) as store:
        store.put_bytes("kv/there", b"payload")
        session = store.client._endpoint.http_session

        def refuse(request):
            raise botocore.exceptions.EndpointConnectionError(endpoint_url=request.url)

        monkeypatch.setattr(session, "send", refuse)
        with pytest.raises(StorageError, match="kv/there"):
            store.get_bytes("kv/there")
        with pytest.raises(StorageError, match="kv/there"):
            store.exists("kv/there")


def test_manifest_put_meeting_a_concurrent_conditional_write_takes_the_next_number(s3_uri):
    # AWS S3 answers 409 ConditionalRequestConflict, not 412, to an If-None-Match put that races
    # another in-flight put of the same key, and botocore does not retry a 409. Here another run
    # commits manifest 1 while ours is being sent.
    with _s3_store(s3_uri) as store, _s3_store(s3_uri) as other_store:
        other = RunWriter(other_store)
        other.add_article(article(2))
        writer = RunWriter(store)
        writer.add_article(article(1))
        conflicts = []

        def race(params, **kwargs):
            if params["Key"].endswith("manifests/000000000001.json") and not conflicts:
                conflicts.append(other.commit({})["checkpoint"])
                raise botocore.exceptions.ClientError(
                    {
                        "Error": {"Code": "ConditionalRequestConflict"},
                        "ResponseMetadata": {"HTTPStatusCode": 409},
                    },
                    "PutObject",
                )

        store.client.meta.events.register("provide-client-params.s3.PutObject", race)
        manifest = writer.commit({})
        assert conflicts == ["000000000001"]
        assert manifest["checkpoint"] == "000000000002"
        assert [m["run_id"] for m in Reader(store).runs()] == [other.run_id, writer.run_id]


def test_large_object_goes_up_in_parts_and_stays_write_once(s3_uri):
    with _s3_store(s3_uri) as store:
        store.multipart_threshold = store.part_size = 5 * 1024 * 1024
        data = hashlib.sha256(b"seed").digest() * (180 * 1024)  # 5.6 MiB: two parts
        calls = []
        store.client.meta.events.register("before-call.s3.UploadPart", lambda **kw: calls.append(1))
        assert store.put_bytes("big/object.bin", data) is True
        assert len(calls) == 2
        assert store.get_bytes("big/object.bin") == data
        assert store.put_bytes("big/object.bin", data) is False
        with pytest.raises(StorageError, match="write-once"):
            store.put_bytes("big/object.bin", data[:-1] + b"x")


def test_multipart_completion_with_lost_ack_counts_as_stored(s3_uri):
    with _s3_store(s3_uri) as store:
        store.multipart_threshold = store.part_size = 5 * 1024 * 1024
        data = hashlib.sha256(b"other seed").digest() * (180 * 1024)
        lost = LoseFirstAck(store, "uploadId=", method="POST")  # CompleteMultipartUpload
        assert store.put_bytes("big/lost-ack.bin", data) is False
        assert lost.dropped == 1
        assert store.get_bytes("big/lost-ack.bin") == data


def test_missing_bucket_names_the_fix(s3_env):
    with pytest.raises(StorageError, match="does not exist; create it"):
        open_store("s3://no-such-bucket-here/x")


def test_missing_credentials_names_the_variables(s3_env, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata lookups
    with pytest.raises(StorageError, match="AWS_ACCESS_KEY_ID"):
        open_store("s3://newscrawl-test/x")


def test_client_is_path_style_with_standard_retries(s3_env):
    client = build_s3_client()
    try:
        assert client.meta.config.s3["addressing_style"] == "path"
        assert client.meta.config.retries["mode"] == "standard"
        assert client.meta.config.request_checksum_calculation == "when_required"
        assert client.meta.endpoint_url == s3_env["AWS_ENDPOINT_URL"]
    finally:
        client.close()


def test_describe_names_bucket_prefix_and_endpoint(s3_uri, s3_env):
    with open_store(s3_uri) as store:
        assert store.describe() == f"{s3_uri} at {s3_env['AWS_ENDPOINT_URL']}"
        assert store.conditional_writes
        assert store.describe().endswith("(conditional writes: on)")


def test_server_ignoring_if_none_match_is_detected_and_overwrites_still_refused(s3_uri):
    with _s3_store(s3_uri) as store:
        # Strip the header before it is sent, as a server that does not know it would ignore it.
        # (A handler's return value would replace the params, so this one returns None.)
        def ignore_condition(params, **kwargs):
            params.pop("IfNoneMatch", None)

        store.client.meta.events.register("provide-client-params.s3.PutObject", ignore_condition)
        assert store.conditional_writes is False
        assert "conditional writes: OFF" in store.describe()
        assert store.put_bytes("kv/a", b"one") is True
        assert store.put_bytes("kv/a", b"one") is False
        with pytest.raises(StorageError, match="write-once"):
            store.put_bytes("kv/a", b"two")
        assert store.get_bytes("kv/a") == b"one"


def test_server_rejecting_sha256_checksums_gets_plain_puts(s3_uri):
    with _s3_store(s3_uri) as store:

        def reject_checksums(params, **kwargs):
            if "ChecksumSHA256" in params:
                raise botocore.exceptions.ClientError(
                    {"Error": {"Code": "NotImplemented"}, "ResponseMetadata": {"HTTPStatusCode": 501}},
                    "PutObject",
                )

        store.client.meta.events.register("provide-client-params.s3.PutObject", reject_checksums)
        assert store.conditional_writes is True
        assert store.put_bytes("kv/plain", b"data") is True
        assert store.get_bytes("kv/plain") == b"data"
