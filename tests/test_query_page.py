"""The query page that ``iotkg serve`` offers (Oxigraph's YASGUI editor at ``/``), in headless Chromium: it opens,
runs its default query (which it POSTs to ``/sparql``) and shows rows. Only loopback is reachable: every host name
fails to resolve."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_browser import ARTIFACTS, CHROMEDRIVER, CHROMIUM, FLAGS, _missing
from test_endpoint import _start_serve, oxigraph_or_skip, stop

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    """A headless Chromium (loopback only) and the base URL of a running ``iotkg serve``."""
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)
    oxigraph_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        if flag.startswith("--host-resolver-rules"):
            flag += ", EXCLUDE 127.0.0.1"  # loopback stays reachable: the served page is there
        if not flag.startswith("--proxy-server"):
            options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-query-page')}")
    process, url, _, _ = _start_serve(tmp_path_factory.mktemp("serve-page"))
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver, url
    finally:
        driver.quit()
        stop(process)


def test_the_query_page_runs_its_default_query_and_shows_rows(page: tuple[object, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver, url = page
    driver.set_window_size(1280, 900)
    driver.get(f"{url}/")
    wait = WebDriverWait(driver, 30)
    button = wait.until(expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, ".yasqe_queryButton")))
    query = driver.execute_script("return Yasgui ? document.querySelector('.CodeMirror').CodeMirror.getValue() : ''")
    assert "SELECT" in query.upper()  # the page's own default query, unedited
    button.click()
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
    assert len(rows) == 10  # the default query: LIMIT 10
    cells = [cell.text for cell in rows[0].find_elements(By.CSS_SELECTOR, "td")]
    assert any("w3id.org/iotkg/" in text for text in cells), cells
    errors = driver.find_elements(By.CSS_SELECTOR, ".yasr .errorResult")
    assert not [e.text for e in errors if e.is_displayed()]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(Path(ARTIFACTS) / "query-page.png"))
