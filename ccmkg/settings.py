"""One Settings object for the whole application, read from CCMKG_* environment variables.

It is built once at the edge (CLI, app factory) and passed in; nothing reads it globally,
so tests build their own.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ccmkg.model.iri import DEFAULT_BASE_IRI


class Settings(BaseSettings):
    """Where the data lives, how identifiers are minted, and the limits that protect the server."""

    model_config = SettingsConfigDict(env_prefix="CCMKG_", env_file=None, extra="ignore")

    store: str = Field(
        default="./data/store",
        description="A directory for the embedded store, or an http(s) URL of a SPARQL 1.1 server.",
    )
    store_update_url: str | None = Field(
        default=None,
        description="SPARQL Update endpoint of a remote store, when it differs from the query URL.",
    )
    store_user: str | None = Field(
        default=None,
        description="User for the remote store's update endpoint (Virtuoso: digest auth on "
        "/sparql-auth, a user holding SPARQL_UPDATE; others: basic auth).",
    )
    store_password: SecretStr | None = Field(default=None, description="Password of `store_user`.")
    store_gsp_url: str | None = Field(
        default=None,
        description="Graph Store Protocol endpoint of a remote store, if it offers one.",
    )
    base_iri: str = Field(
        default=DEFAULT_BASE_IRI,
        description="Base IRI under which entities, documents and passages get their identifiers.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    corpus_dir: Path | None = Field(
        default=None,
        description="Documents loaded by `serve` into an empty store (default: bundled corpus).",
    )
    document_dirs: list[Path] = Field(
        default_factory=list,
        description="Folders searched (recursively) for the files of loaded documents, found by "
        "their SHA-256, to show a document's text (GET /documents/{id}); the bundled corpus is "
        "always searched. JSON list: CCMKG_DOCUMENT_DIRS='[\"/data/docs\"]'.",
    )

    # Limits of the public read API.
    query_timeout_s: float = Field(default=10.0, gt=0)
    max_result_rows: int = Field(default=10_000, gt=0)
    max_query_bytes: int = Field(default=100_000, gt=0)
    max_query_depth: int = Field(default=200, gt=0)
    # Flat chains crash the engine too (a left-deep tree of 3,000 MINUS or BIND is enough).
    max_query_operators: int = Field(
        default=1_000, gt=0, description="Operators in expressions and property paths."
    )
    max_query_groups: int = Field(
        default=500, gt=0, description="Groups and group keywords: {…}, UNION, OPTIONAL, MINUS…"
    )
    max_query_patterns: int = Field(
        default=1_000, gt=0, description="Triple patterns (separators . ; , outside brackets)."
    )
    service_allowlist: list[str] = Field(default_factory=list)
    load_batch: int = Field(
        default=100,
        ge=1,
        description="Documents written per all-or-nothing batch by the loader's bulk path "
        "(1: one write per document).",
    )
    load_swap_min: int = Field(
        default=100,
        ge=1,
        description="A load of at least this many documents into a store holding no document "
        "yet is written in one piece: bulk-loaded into a fresh store directory swapped in "
        "atomically (embedded store).",
    )
    load_workers: int = Field(
        default=0, ge=0, description="Processes that extract documents in a load (0: one per core)."
    )
    query_workers: int = Field(
        default=2, gt=0, description="Worker processes for the named queries behind the REST API."
    )
    sparql_workers: int = Field(default=2, gt=0, description="Worker processes for /sparql.")
    sparql_worker_threads: int = Field(
        default=2,
        gt=0,
        description="/sparql queries one worker process runs at once, in threads (pyoxigraph "
        "releases the interpreter lock while it evaluates).",
    )
    sparql_per_client: int = Field(
        default=2, gt=0, description="/sparql queries one client (IP) may run at once (429)."
    )
    sparql_queue: int = Field(
        default=8, ge=0, description="/sparql queries that may wait for a worker (then 503 busy)."
    )
    sparql_worker_nice: int = Field(
        default=10, ge=0, le=19, description="CPU niceness of /sparql workers, below REST."
    )
    sparql_nice_after_ms: int = Field(
        default=100,
        ge=0,
        description="A /sparql query is lowered to sparql_worker_nice once it has used this "
        "much CPU time (0: from the worker's start); cheap queries keep the normal priority.",
    )
    query_memory_mb: int = Field(
        default=1024, gt=0, description="Memory a query worker may add to what it inherits."
    )
    worker_copy_max_quads: int = Field(
        default=100_000,
        ge=0,
        description="A query worker of the embedded store copies the store into its own memory "
        "(~350 bytes a quad, read ~2x faster than the disk) when it holds at most this many "
        "quads, default graph included (0: always read the disk).",
    )
    max_response_bytes: int = Field(
        default=32 * 1024 * 1024, gt=0, description="Largest /sparql answer body."
    )
    sparql_cache_mb: int = Field(
        default=32,
        ge=0,
        description="/sparql answers kept until the next write, served with an ETag (0: off).",
    )

    # Limits and credentials of the write API.
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_upload_triples: int = Field(default=200_000, gt=0)
    parse_timeout_s: float = Field(default=20.0, gt=0)
    validate_timeout_s: float = Field(
        default=30.0, gt=0, description="Parse + validate of one upload, in its own process."
    )
    validate_memory_mb: int = Field(
        default=1024, gt=0, description="Memory the parse/validate process may add."
    )
    validate_workers: int = Field(
        default=2, gt=0, description="Uploads parsed and validated at once (each a process)."
    )
    ingest_token: SecretStr | None = None

    # Limits of every request, before any route sees it.
    max_body_bytes: int = Field(
        default=64 * 1024, gt=0, description="Body limit of routes that take no upload."
    )
    body_timeout_s: float = Field(
        default=60.0, gt=0, description="Time a client has to send a whole request body."
    )
    header_timeout_s: float = Field(
        default=10.0, gt=0, description="Time from connecting to the end of the request headers."
    )
    keep_alive_timeout_s: float = Field(
        default=5.0, gt=0, description="An idle keep-alive connection is closed after this."
    )

    cors_origins: list[str] = Field(default_factory=lambda: ["*"])
    web_assets: Path | None = Field(
        default=None,
        description="The npm `node_modules` folder holding the web page's third-party assets "
        "(YASGUI, Swagger UI, ReDoc); default: web/node_modules beside the source, if present.",
    )

    @property
    def is_remote(self) -> bool:
        """True when `store` names a SPARQL server rather than a local directory."""
        return self.store.startswith(("http://", "https://"))

    def with_store(self, store: str | None) -> Settings:
        """A copy pointing at another store (the CLI's --store option)."""
        return self if store is None else self.model_copy(update={"store": store})
