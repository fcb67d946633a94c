"""The researcher's desk in headless Chromium, through a real server on 127.0.0.1, with every
other host unreachable (a CDN request fails): the YASGUI editor, its plain fallback, /docs
offline, and the timeline read off its screenshot's pixels. Screenshots are kept as artefacts.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.web.conftest import artefacts, new_driver, require_assets, severe

pytestmark = pytest.mark.slow  # a headless browser


def wait_for(driver: Any, condition: Any, seconds: float = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def downloaded(driver: Any, folder: Path, suffix: str) -> str:
    """The text of the file ending in `suffix` the browser saved into `folder`, once it holds
    some: Chrome may create the file before it writes it (a CI run read it empty)."""

    def written(_: Any) -> str | bool:
        texts = [p.read_text() for p in folder.glob(f"*{suffix}")]
        return next((t for t in texts if t), False)

    return wait_for(driver, written)


def js(driver: Any, script: str, *args: Any) -> Any:
    return driver.execute_script(script, *args)


def open_editor(driver: Any, base_url: str) -> None:
    driver.get(base_url + "/#sparql")
    wait_for(driver, lambda d: d.find_element("tag name", "body").get_attribute("data-editor"))


def test_yasgui_highlights_completes_runs_and_links(browser: Any, fixture_site: str) -> None:
    require_assets()
    driver = browser
    open_editor(driver, fixture_site)
    assert driver.find_element("tag name", "body").get_attribute("data-editor") == "yasgui"
    # Syntax highlighting: CodeMirror marks keywords with their own class.
    wait_for(driver, lambda d: d.find_elements("css selector", "#yasgui .CodeMirror .cm-keyword"))
    # Typing a known prefix adds its PREFIX line (from /ui/prefixes, not a bundled list).
    js(driver, "yasgui.getTab().getYasqe().setValue('SELECT * WHERE { ?s a  }')")
    js(driver, "const q = yasgui.getTab().getYasqe(); q.focus(); q.setCursor({line: 0, ch: 20})")
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys("ccm:").perform()
    text = wait_for(
        driver,
        lambda d: (
            (v := js(d, "return yasgui.getTab().getYasqe().getValue()"))
            and "PREFIX ccm:" in v
            and v
        ),
    )
    assert "PREFIX ccm: <https://ccm-kg.org/ontology#>" in text
    # Ctrl-Space on an unfinished PREFIX line lists our prefixes.
    js(
        driver,
        "const q = yasgui.getTab().getYasqe(); q.setValue('PREFIX pro'); q.focus(); "
        "q.setCursor({line: 0, ch: 10})",
    )
    js(driver, "yasgui.getTab().getYasqe().autocomplete()")
    hints = wait_for(driver, lambda d: d.find_elements("css selector", ".CodeMirror-hints li"))
    assert any("prov: <http://www.w3.org/ns/prov#>" in h.text for h in hints)
    # The examples: research questions only; one runs, its IRIs link to our pages with labels.
    from selenium.webdriver.support.ui import Select

    options = [
        o.get_attribute("value")
        for o in driver.find_elements("css selector", "#query-select option")
    ]
    assert "coordinators_in_year" in options and not [o for o in options if o.startswith("api_")]
    Select(driver.find_element("id", "query-select")).select_by_value("presidencies_in_order")
    js(driver, "yasgui.getTab().query()")
    # Read in one script: the table redraws once the labels arrive.
    found = """return [...document.querySelectorAll('#yasgui .yasr td a.iri')]
      .filter(a => a.href.includes('/id/state/') && a.previousElementSibling
                   && a.previousElementSibling.className === 'iri-label')
      .map(a => [a.href, a.previousElementSibling.textContent])[0] || null"""
    href, label = wait_for(driver, lambda d: js(d, found))
    assert label == "Switzerland"
    driver.save_screenshot(str(artefacts() / "editor-results.png"))
    assert href == fixture_site + "/id/state/CHE"
    assert severe(driver) == [], severe(driver)  # no CSP violation, no request elsewhere
    driver.get(href)  # the link's target is our entity page
    wait_for(driver, lambda d: "/id/state/CHE" in d.current_url)
    assert "Switzerland" in driver.find_element("tag name", "h1").text


def test_permalink_reopens_the_query_and_errors_are_plain(browser: Any, fixture_site: str) -> None:
    require_assets()
    driver = browser
    open_editor(driver, fixture_site)
    query = "SELECT ?x WHERE { ?x a ccm:Presidency } LIMIT 3"
    js(driver, "yasgui.getTab().getYasqe().setValue(arguments[0])", query)
    link = js(driver, "return yasgui.getTab().getShareableLink()")
    assert "query=" in link
    driver.get("about:blank")
    driver.get(link)
    wait_for(driver, lambda d: d.find_element("tag name", "body").get_attribute("data-editor"))
    assert js(driver, "return yasgui.getTab().getQuery()") == query
    assert js(driver, "return location.hash") == "#sparql"
    assert not driver.find_element("id", "tab-sparql").get_attribute("hidden")
    # The undeclared ccm: above: the error in plain words, and no old results stay on screen.
    js(driver, "yasgui.getTab().query().catch(() => {})")
    shown = (
        "return [...document.querySelectorAll('#yasgui .yasr .errorResult')]"
        ".map(e => e.textContent).join(' ')"
    )
    error = wait_for(driver, lambda d: js(d, shown))
    assert "unknown prefix ccm:" in error
    assert "\\u{" not in error


def test_results_download_as_csv_and_json(fixture_site: str, tmp_path: Path) -> None:
    require_assets()
    driver = new_driver(downloads=tmp_path)
    try:
        open_editor(driver, fixture_site)
        js(driver, "yasgui.getTab().getYasqe().setValue(arguments[0])",
           "PREFIX ccm: <https://ccm-kg.org/ontology#> "
           "SELECT ?p WHERE { ?p a ccm:PresidencyPost }")  # fmt: skip
        js(driver, "yasgui.getTab().query()")
        wait_for(driver, lambda d: d.find_elements("css selector", "#yasgui .yasr td a.iri"))
        driver.find_element("css selector", "#yasgui .yasr_downloadIcon").click()
        assert "id/post/presidency/msp-6" in downloaded(driver, tmp_path, ".csv")
        driver.find_element("css selector", "#yasgui .select_response").click()
        driver.find_element("css selector", "#yasgui .yasr_downloadIcon").click()
        answer = json.loads(downloaded(driver, tmp_path, ".json"))
        assert answer["head"]["vars"] == ["p"] and answer["results"]["bindings"]
    finally:
        driver.quit()


def test_without_assets_the_page_keeps_a_plain_box(browser: Any, bare_site: str) -> None:
    driver = browser
    open_editor(driver, bare_site)
    assert driver.find_element("tag name", "body").get_attribute("data-editor") == "plain"
    note = driver.find_element("id", "editor-note").text
    assert "not installed" in note and "plain text box" in note
    from selenium.webdriver.support.ui import Select

    wait_for(driver, lambda d: len(d.find_elements("css selector", "#query-select option")) > 1)
    Select(driver.find_element("id", "query-select")).select_by_value("presidencies_in_order")
    driver.find_element("id", "query-run").click()
    link = wait_for(driver, lambda d: d.find_elements("css selector", "#result-table td a"))[0]
    assert link.get_attribute("href").startswith(bare_site + "/id/")
    driver.find_element("id", "query-text").clear()
    driver.find_element("id", "query-text").send_keys("SELECT * WHERE { ?s a ccm:X }")
    driver.find_element("id", "query-run").click()
    wait_for(driver, lambda d: "unknown prefix ccm:" in d.find_element("id", "query-status").text)
    assert driver.find_elements("css selector", "#result-table") == []  # old results gone
    # No 404 for assets it knows are absent; the refused query's 400 is the one error logged.
    assert [e for e in severe(driver) if "/sparql - " not in e or "(Bad Request)" not in e] == []


def test_docs_render_offline(browser: Any, fixture_site: str) -> None:
    require_assets()
    driver = browser
    driver.get(fixture_site + "/docs")
    ops = wait_for(driver, lambda d: d.find_elements("css selector", ".opblock-summary-path"))
    paths = {o.text.replace("\u200b", "") for o in ops}
    assert "/sparql" in paths and "/presidencies" in paths
    driver.save_screenshot(str(artefacts() / "docs.png"))
    driver.get(fixture_site + "/redoc")
    wait_for(driver, lambda d: "/presidencies" in d.find_element("tag name", "body").text, 30)
    # ReDoc's "powered by" logo points at its vendor's site: the CSP blocks it, nothing else.
    assert [e for e in severe(driver) if "logo-mini.svg" not in e] == []


def bar_pixels(png: Path, box: tuple[int, int, int, int]) -> int:
    """Pixels of bar colours (the blues and the red of the stylesheet) inside a box."""
    image = Image.open(png).convert("RGB").crop(box)
    colours = {(0x45, 0x7B, 0x9D), (0xE6, 0x39, 0x46), (0x6A, 0x8C, 0xAF), (0xA8, 0xC5, 0xDD)}
    return sum(1 for p in image.getdata() if p in colours)


def test_timeline_at_1400px_shows_2021(browser: Any, corpus_site: str) -> None:
    driver = browser
    driver.get(corpus_site + "/")
    wait_for(driver, lambda d: d.find_element("tag name", "body").get_attribute("data-timeline"))
    legend = driver.find_element("id", "g-legend").text
    for words in (
        "stated term",
        "inferred term",
        "single sighting",
        "presidency",
        "President-designate",
    ):
        assert words in legend
    labels = [e.text for e in driver.find_elements("css selector", ".g-row[data-row] .g-label")]
    assert "General Status and Operation of the Convention" in labels
    assert not [x for x in labels if "-" in x and " " not in x]  # no slug shown as a label
    # The 2021 column, from the axis; then the pixels of the screenshot inside it.
    tick = driver.find_element("css selector", '.g-axis span[data-year="2021"]')
    rect = js(
        driver, "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", tick
    )
    gantt = js(
        driver,
        "const r = document.getElementById('gantt').getBoundingClientRect(); "
        "return [r.top, r.bottom]",
    )
    shot = artefacts() / "timeline-1400.png"
    driver.save_screenshot(str(shot))
    width, height = Image.open(shot).size
    assert width == 1400
    left, right = int(rect[0]) + 2, int(rect[1]) - 2
    assert 0 < left < right <= width, f"2021 is off screen: {rect}"
    assert bar_pixels(shot, (left, int(gantt[0]), right, min(int(gantt[1]), height))) > 500
    # Labels stay visible while the lanes scroll.
    js(driver, "document.getElementById('gantt').scrollLeft = 10000")
    label = driver.find_element("css selector", '.g-row[data-row="presidency"] .g-label')
    assert js(driver, "return arguments[0].getBoundingClientRect().left", label) >= 0
    # The sources panel sits beside the bars, and closes when the tab changes.
    bar = driver.find_elements("css selector", '.g-row[data-row="presidency"] .bar')[-1]
    bar.click()
    wait_for(driver, lambda d: d.find_element("id", "sources").is_displayed())
    time.sleep(0.3)
    panel = js(driver, "return document.getElementById('sources').getBoundingClientRect().left")
    bar_right = js(driver, "return arguments[0].getBoundingClientRect().right", bar)
    assert bar_right <= panel, "the panel hides the bar that was clicked"
    driver.save_screenshot(str(artefacts() / "timeline-sources.png"))
    listed = driver.find_element("id", "sources-list").text
    assert listed and "null" not in listed and "undefined" not in listed
    driver.find_element("css selector", 'nav a[data-tab="search"]').click()
    wait_for(driver, lambda d: not d.find_element("id", "sources").is_displayed())
    assert severe(driver) == []


def test_state_view_links_to_wikidata(browser: Any, corpus_site: str) -> None:
    import httpx

    state = httpx.get(f"{corpus_site}/states/NOR", timeout=30)
    if state.status_code != 200 or not state.json().get("same_as"):
        pytest.skip("/states/{iso} carries no same_as here (the Wikidata mapping is not loaded)")
    expected = state.json()["same_as"][0]["id"].replace("http:", "https:", 1)
    driver = browser
    driver.get(corpus_site + "/#search")
    driver.find_element("id", "search-q").send_keys("Norway\n")
    result = wait_for(driver, lambda d: d.find_elements("css selector", "#search-results li"))
    result[0].click()
    link = wait_for(driver, lambda d: d.find_elements("css selector", "#entity .same-as a"))[0]
    assert link.get_attribute("href") == expected
    assert link.text.startswith("Q")
