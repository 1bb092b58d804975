"""The Parquet columns of an article part, one per field of the record type.

Generated from crawler/record/article.py by `python -m crawler.record --write`; do not edit.
"""

import pyarrow as pa

IMAGE = pa.struct(
    [
        ("url", pa.string()),
        ("caption", pa.string()),
        ("credit", pa.string()),
    ]
)

PROVENANCE = pa.struct(
    [
        ("source", pa.string()),
        ("confidence", pa.float64()),
    ]
)

DISAGREEMENT = pa.struct(
    [
        ("field", pa.string()),
        ("source", pa.string()),
        ("value", pa.string()),
        ("days", pa.int64()),
    ]
)

REFUSAL = pa.struct(
    [
        ("field", pa.string()),
        ("source", pa.string()),
        ("value", pa.string()),
        ("reason", pa.string()),
    ]
)

DATES = pa.struct(
    [
        ("published", PROVENANCE),
        ("updated", PROVENANCE),
        ("disagreements", pa.list_(DISAGREEMENT)),
        ("refused", pa.list_(REFUSAL)),
    ]
)

EXTRACTOR = pa.struct(
    [
        ("name", pa.string()),
        ("version", pa.string()),
    ]
)

MIN_HASH = pa.struct(
    [
        ("tag", pa.string()),
        ("byteorder", pa.string()),
        ("hashvalues", pa.string()),
    ]
)

ANNOUNCED = pa.struct(
    [
        ("title", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("keywords", pa.list_(pa.string())),
        ("language", pa.string()),
    ]
)

RIGHTS = pa.struct(
    [
        ("tdm_reserved", pa.bool_()),
        ("policy", pa.string()),
        ("signal", pa.string()),
        ("seen_at", pa.string()),
    ]
)

WARC_POINTER = pa.struct(
    [
        ("file", pa.string()),
        ("offset", pa.int64()),
        ("length", pa.int64()),
    ]
)

ARTICLE_COLUMNS = pa.schema(
    [
        ("id", pa.string()),
        ("schema_version", pa.string()),
        ("url", pa.string()),
        ("final_url", pa.string()),
        ("revision", pa.int64()),
        ("canonical_url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("description", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("updated_at", pa.timestamp("us", tz="UTC")),
        ("language", pa.string()),
        ("categories", pa.list_(pa.string())),
        ("tags", pa.list_(pa.string())),
        ("image", IMAGE),
        ("text", pa.string()),
        ("page_type", pa.string()),
        ("access", pa.string()),
        ("access_evidence", pa.string()),
        ("dates", DATES),
        ("word_count", pa.int64()),
        ("credit", pa.string()),
        ("agencies", pa.list_(pa.string())),
        ("dateline", pa.string()),
        ("extractor", EXTRACTOR),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("http_status", pa.int32()),
        ("content_sha256", pa.string()),
        ("minhash", MIN_HASH),
        ("cluster_id", pa.string()),
        ("duplicate_of", pa.string()),
        ("similarity", pa.float64()),
        ("match", pa.string()),
        ("discovered_via", pa.string()),
        ("announced", ANNOUNCED),
        ("rights", RIGHTS),
        ("warc", WARC_POINTER),
    ]
)
