"""The timeline of the web page in a real headless Chromium (fixtures in tests/web/conftest.py).

The SPARQL editor, /docs and the timeline's screenshot are tested in test_desk.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import severe

pytestmark = pytest.mark.slow  # a headless browser


def test_timeline_and_sources(browser: Any, fixture_site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver, base_url = browser, fixture_site
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
    presidency = driver.find_elements(
        By.CSS_SELECTOR, '.g-row[data-row="presidency"] .bar.presidency'
    )
    assert "CHE" in [b.get_attribute("data-state") for b in presidency]
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

    assert severe(driver) == []
