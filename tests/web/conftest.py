"""Shared by the browser tests: Debian's headless Chromium (selenium) with no network but
127.0.0.1, servers on the REST fixture or the bundled corpus, and a folder for screenshots.

The tests run when /usr/bin/chromium and selenium are present; otherwise they are skipped,
unless CCMKG_BROWSER_TESTS=1 asks for them, in which case a missing browser is a failure.
Screenshots go to build/test-artefacts/web/ (git-ignored; CCMKG_TEST_ARTEFACTS overrides).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph

from ccmkg.resources import ontology_file
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.server import serve_app

CHROMIUM = "/usr/bin/chromium"
BASE = "https://ccm-kg.org/"
FIXTURE = Path(__file__).parent.parent / "api" / "test_rest_fixture.trig"
REQUIRED = os.environ.get("CCMKG_BROWSER_TESTS") == "1"
ROOT = Path(__file__).resolve().parents[2]
# Every host name resolves to nothing but the loopback: a CDN request fails as offline.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


def artefacts() -> Path:
    """Where the browser tests keep their screenshots (kept after the run, never committed)."""
    folder = Path(os.environ.get("CCMKG_TEST_ARTEFACTS", ROOT / "build" / "test-artefacts" / "web"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fixture_graphs() -> dict[str, Graph]:
    """The REST tests' fixture: one graph per document, plus the ontology."""
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    graphs = {str(c.identifier): Graph() + c for c in dataset.contexts() if len(c)}
    graphs[f"{BASE}graph/ontology"] = Graph().parse(ontology_file(), format="turtle")
    return graphs


def new_driver(width: int = 1400, height: int = 1000, downloads: Path | None = None) -> Any:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install -y chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install selenium)")
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if REQUIRED:
            pytest.fail(message + " (CCMKG_BROWSER_TESTS=1)")
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--hide-scrollbars", OFFLINE):  # fmt: skip
        options.add_argument(arg)
    if downloads is not None:
        options.add_experimental_option(
            "prefs",
            {"download.default_directory": str(downloads), "download.prompt_for_download": False},
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(options=options, service=Service(driver_path))


@pytest.fixture
def browser() -> Iterator[Any]:
    driver = new_driver()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def fixture_site(embedded_store: Store, tmp_path: Path) -> Iterator[str]:
    """The app on the REST fixture (small, hand-made), with the web assets as installed."""
    embedded_store.replace_graphs(fixture_graphs())
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    with serve_app(settings, embedded_store) as base_url:
        yield base_url


@pytest.fixture
def bare_site(embedded_store: Store, tmp_path: Path) -> Iterator[str]:
    """The same, as a pip-only install would serve it: no web assets at all."""
    embedded_store.replace_graphs(fixture_graphs())
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE, web_assets=tmp_path / "none")
    with serve_app(settings, embedded_store) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the bundled corpus and reference data, loaded as `ccmkg serve` loads them."""
    from ccmkg.cli.serve import load_if_empty

    settings = Settings(store=str(tmp_path_factory.mktemp("corpus") / "store"), base_iri=BASE)
    store = open_store(settings)
    try:
        load_if_empty(store, settings)
        with serve_app(settings, store) as base_url:
            yield base_url
    finally:
        store.close()


def severe(driver: Any) -> list[str]:
    """The browser's console errors (a CSP violation, a failed load, an exception)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def require_assets() -> None:
    """Skip (or fail, when browser tests are required) without the npm-installed assets."""
    from ccmkg.api.vendor import EDITOR, SWAGGER, available

    if not available(Settings(), EDITOR + SWAGGER):
        message = "web assets not installed (./dev.sh runs npm ci in web/)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
