"""The web page in a real headless Chromium (Debian `chromium` + `chromium-driver`, selenium).

Runs when /usr/bin/chromium and selenium are present; otherwise it is skipped, unless
CCMKG_BROWSER_TESTS=1 asks for it, in which case a missing browser is a failure.
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
from ccmkg.store import Store
from devtools.server import serve_app

pytestmark = pytest.mark.slow  # a headless browser

CHROMIUM = "/usr/bin/chromium"
BASE = "https://ccm-kg.org/"
FIXTURE = Path(__file__).parent.parent / "api" / "test_rest_fixture.trig"
REQUIRED = os.environ.get("CCMKG_BROWSER_TESTS") == "1"


def fixture_graphs() -> dict[str, Graph]:
    """The REST tests' fixture: one graph per document, plus the ontology."""
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    graphs = {str(c.identifier): Graph() + c for c in dataset.contexts() if len(c)}
    graphs[f"{BASE}graph/ontology"] = Graph().parse(ontology_file(), format="turtle")
    return graphs


def _driver() -> Any:
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
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(options=options, service=Service(driver_path))


@pytest.fixture
def page(store: Store, tmp_path: Path) -> Iterator[tuple[Any, str]]:
    if store.kind != "embedded":
        pytest.skip("the page is tested once, on the embedded store")
    driver = _driver()
    store.replace_graphs(fixture_graphs())
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    try:
        with serve_app(settings, store) as base_url:
            yield driver, base_url
    finally:
        driver.quit()


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_timeline_sources_and_sparql_page(page: tuple[Any, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver, base_url = page
    wait = WebDriverWait(driver, 15)
    driver.get(base_url + "/")
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-timeline"))

    bars = driver.find_elements(By.CSS_SELECTOR, '.g-row[data-row="universalization"] .bar')
    in_2016 = sorted(
        b.get_attribute("data-state")
        for b in bars
        if b.get_attribute("data-start").startswith("2016")
    )
    assert in_2016 == ["ECU", "ZMB"]
    presidency = driver.find_elements(By.CSS_SELECTOR, '.g-row[data-row="presidency"] .bar')
    assert [b.get_attribute("data-state") for b in presidency] == ["CHE"]
    rows = [
        r.get_attribute("data-row")
        for r in driver.find_elements(By.CSS_SELECTOR, ".g-row[data-row]")
    ]
    assert rows[0] == "presidency"

    next(b for b in bars if b.get_attribute("data-start").startswith("2016")).click()
    wait.until(ec.visibility_of_element_located((By.ID, "sources")))
    assert (
        "Universalization (Ecuador and Zambia)" in driver.find_element(By.ID, "sources-list").text
    )

    driver.get(base_url + "/#sparql")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#query-select option"))
    Select(driver.find_element(By.ID, "query-select")).select_by_value("api_coordinators")
    assert "ccm:CoordinatorPost" in driver.find_element(By.ID, "query-text").get_attribute("value")
    driver.find_element(By.ID, "query-run").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#result-table tbody tr"))
    cells = driver.find_element(By.ID, "result-table").text
    assert "5.1 Universalization (Ecuador and Zambia)" in cells
    assert _severe(driver) == []
