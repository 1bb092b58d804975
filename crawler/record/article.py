"""The article record, defined once: `ArticleRecord` types the dict the crawl fills and stores.

The JSON Schema (crawler/schemas/article.schema.json), the Parquet columns (crawler/storage/columns.py)
and the README's field table are generated from it: `python -m crawler.record --write`. A new field
is added here and set where it is filled; a minor version only adds fields that are `NotRequired`.
"""

from typing import Annotated, Literal, NotRequired, TypedDict, get_args

from crawler.record.kinds import DateField, DateSource, Field, HttpUrl, Names, Ref, UtcTime

SchemaVersion = Literal["1.0", "1.1", "1.2"]
SCHEMA_VERSION: str = get_args(SchemaVersion)[-1]
TITLE = "newscrawl article record"
DESCRIPTION = (
    f"One stored article. Version {SCHEMA_VERSION} (1.1 added page_type; 1.2 adds access, access_evidence,"
    " dates and rights; records of earlier minor versions stay valid): bump schema_version (and this"
    " file's $id) on any change; additive optional fields are a minor bump, anything else a major one."
    " Extraction fills everything except id, source, fetched_at (the pipeline) and the dedup, discovery"
    " and storage fields. Generated from crawler/record/article.py: python -m crawler.record --write."
)


class Image(TypedDict):
    url: HttpUrl
    caption: str | None
    credit: str | None


class Extractor(TypedDict):
    name: str
    version: str


class Provenance(TypedDict):
    source: DateSource
    confidence: Annotated[float, Field(minimum=0, maximum=1)]


class Disagreement(TypedDict):
    field: DateField
    source: DateSource
    value: Annotated[UtcTime, Field(parquet="string")]  # text in the Parquet parts written before
    days: Annotated[int, Field(minimum=0)]


class Refusal(TypedDict):
    field: DateField
    source: DateSource
    value: str
    reason: Literal["before 1990", "in the future"]


DateProvenance = Annotated[Provenance | None, Ref("date_provenance")]


class Dates(TypedDict, total=False):
    published: DateProvenance
    updated: DateProvenance
    disagreements: list[Disagreement]
    refused: list[Refusal]


class MinHash(TypedDict):
    tag: str
    byteorder: Literal["little", "big"]
    hashvalues: str


class Announced(TypedDict, total=False):
    title: str | None
    published_at: UtcTime
    keywords: list[str]
    language: str | None


class Rights(TypedDict):
    tdm_reserved: bool
    policy: Annotated[
        str | None, Field("the tdm-policy URL offered with a reservation", pattern=r"^https?://")
    ]
    signal: Annotated[
        Literal["tdmrep.json", "header", "meta", "robots", None],
        Field("which signal decided; null: none said anything"),
    ]
    seen_at: Annotated[UtcTime, Field(parquet="string")]  # text in the Parquet parts written before


class WarcPointer(TypedDict):
    file: str
    offset: Annotated[int, Field(minimum=0)]
    length: Annotated[int, Field(minimum=0)]


# Objects that have always accepted keys they do not name; every other object is closed.
OPEN_OBJECTS: frozenset[type] = frozenset({MinHash, Announced, WarcPointer})

_EXTRACT, _PIPELINE, _DEDUP = "extraction", "pipeline", "dedup"


class ArticleRecord(TypedDict):
    """One stored article; keys that are `NotRequired` were added after 1.0 or are set by later stages."""

    id: Annotated[
        str,
        Field("sha256 hex of canonical_url, first 32 chars", pattern="^[0-9a-f]{32}$", filled_by=_PIPELINE),
    ]
    schema_version: Annotated[SchemaVersion, Field("this record's schema version", filled_by=_EXTRACT)]
    url: Annotated[
        HttpUrl, Field("the URL as discovered (or as typed for `newscrawl fetch`)", filled_by=_PIPELINE)
    ]
    final_url: NotRequired[Annotated[HttpUrl, Field("where redirects ended", filled_by=_PIPELINE)]]
    revision: NotRequired[
        Annotated[
            int,
            Field(
                "1 for the first stored text; +1 each time a re-check finds the text changed",
                minimum=1,
                filled_by=_PIPELINE,
            ),
        ]
    ]
    canonical_url: Annotated[
        HttpUrl,
        Field(
            "rel=canonical, og:url or JSON-LD url, made absolute; else url (discovery's canonical wins)",
            filled_by=_EXTRACT,
        ),
    ]
    source: Annotated[str, Field("registry id", pattern="^[a-z0-9]+(?:-[a-z0-9]+)*$", filled_by=_PIPELINE)]
    title: Annotated[
        str | None, Field("the headline, without the outlet's name", min_length=1, filled_by=_EXTRACT)
    ]
    description: Annotated[str | None, Field("the page's summary", max_length=1000, filled_by=_EXTRACT)]
    authors: Annotated[Names, Field("person (or agency) names: no 'By', roles or dates", filled_by=_EXTRACT)]
    published_at: Annotated[UtcTime, Field("when the article was first published", filled_by=_EXTRACT)]
    updated_at: Annotated[UtcTime, Field("when it was last updated", filled_by=_EXTRACT)]
    language: Annotated[
        str | None,
        Field("ISO 639 primary language subtag", pattern="^[a-z]{2,3}$", filled_by=_EXTRACT),
    ]
    categories: Annotated[Names, Field("the outlet's sections", filled_by=_EXTRACT)]
    tags: Annotated[Names, Field("the outlet's keywords", filled_by=_EXTRACT)]
    image: Annotated[Image | None, Field("the lead image: url, caption, credit", filled_by=_EXTRACT)]
    text: Annotated[str, Field("body paragraphs separated by blank lines", min_length=1, filled_by=_EXTRACT)]
    page_type: NotRequired[
        Annotated[
            Literal["article", "home", "listing", "profile", "video", "gallery"],
            Field(
                "what the page is; the crawl stores articles only, `newscrawl fetch` extracts any page",
                filled_by=_EXTRACT,
            ),
        ]
    ]
    access: NotRequired[
        Annotated[
            Literal["full", "paywall", "challenge", "consent", "soft_404", "truncated"],
            Field(
                "what the server gave us: the article, a paywalled teaser, a text shorter than the page"
                " declares; challenge, consent and soft_404 pages are dropped by the crawl,"
                " `newscrawl fetch` shows them",
                filled_by=_EXTRACT,
            ),
        ]
    ]
    access_evidence: NotRequired[
        Annotated[
            str | None,
            Field(
                "the signal `access` was decided on (null for a plain full page)",
                max_length=300,
                filled_by=_EXTRACT,
            ),
        ]
    ]
    dates: NotRequired[
        Annotated[
            Dates,
            Field("where published_at / updated_at came from; docs/extraction.md", filled_by=_EXTRACT),
        ]
    ]
    word_count: Annotated[int, Field("number of \\w+ tokens in text", minimum=0, filled_by=_EXTRACT)]
    credit: Annotated[
        str | None,
        Field(
            "credit line moved out of the text, e.g. 'The BRICS Post with inputs from Agencies'",
            filled_by=_EXTRACT,
        ),
    ]
    agencies: Annotated[
        Names,
        Field(
            "normalised agency names: Xinhua, Reuters, AP, AFP, TASS, ANI, IANS, PTI, ...",
            filled_by=_EXTRACT,
        ),
    ]
    dateline: Annotated[
        str | None,
        Field("the place (and day) of a wire dateline, e.g. 'BEIJING, Aug. 27'", filled_by=_EXTRACT),
    ]
    extractor: Annotated[Extractor, Field("the extractor's name and version", filled_by=_EXTRACT)]
    fetched_at: Annotated[UtcTime, Field("when the page was fetched", filled_by=_PIPELINE)]
    http_status: Annotated[
        int, Field("the response's status", minimum=100, maximum=599, parquet="int32", filled_by=_EXTRACT)
    ]
    content_sha256: Annotated[
        str, Field("sha256 of text (UTF-8)", pattern="^[0-9a-f]{64}$", filled_by=_EXTRACT)
    ]
    minhash: NotRequired[
        Annotated[MinHash, Field("the text's MinHash signature and its parameter tag", filled_by=_DEDUP)]
    ]
    cluster_id: NotRequired[
        Annotated[str | None, Field("the cluster of copies it belongs to", filled_by=_DEDUP)]
    ]
    duplicate_of: NotRequired[Annotated[str | None, Field("the origin's id, for a copy", filled_by=_DEDUP)]]
    similarity: NotRequired[
        Annotated[float | None, Field("a copy's similarity to its origin", filled_by=_DEDUP)]
    ]
    match: NotRequired[
        Annotated[
            str | None,
            Field(
                "`exact`, `near` or `contained` for a copy; `origin` or `unique` otherwise", filled_by=_DEDUP
            ),
        ]
    ]
    discovered_via: NotRequired[
        Annotated[str | None, Field("the discovery path that found the URL", filled_by="discovery")]
    ]
    announced: NotRequired[
        Annotated[
            Announced | None, Field("what a feed or sitemap announced for the URL", filled_by="discovery")
        ]
    ]
    rights: NotRequired[
        Annotated[
            Rights | None,
            Field(
                "the outlet's text-and-data-mining stance when fetched: W3C TDMRep (tdmrep.json, header,"
                " meta) or robots.txt rules for AI crawlers",
                filled_by=_PIPELINE,
            ),
        ]
    ]
    warc: NotRequired[
        Annotated[WarcPointer | None, Field("where the raw response is archived", filled_by="storage")]
    ]
