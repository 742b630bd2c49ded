"""The site in a real browser: Debian's headless Chromium, driven by Selenium through /usr/bin/chromedriver, with the
network off. The home table of each edition's site shows its mechanisms (-07's ten at the top, -02's eleven under
editions/02/), the edition switch leads from one to the other, a protocol page's links resolve, the SVG diagrams
render, pages fit a phone's width, and nothing but local files is requested. Screenshots are saved as test artefacts
in tests/artifacts/ (or $IOTKG_TEST_ARTIFACTS)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag

import pytest

pytestmark = pytest.mark.slow  # the full suite only (see pyproject.toml)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(os.environ.get("IOTKG_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    # the network is off: every host name fails to resolve and any proxy connection is refused
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--force-device-scale-factor=1",
)


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for program in (CHROMIUM, CHROMEDRIVER):
        if not Path(program).is_file():
            return f"{program} is missing (Debian packages chromium and chromium-driver; .ci/run installs them)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A headless Chromium with its network off, or a skip (a failure under CI) where it is not installed."""
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    # the driver path is given, so Selenium Manager has nothing to find and downloads nothing
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver, path: Path, width: int = 1280, height: int = 900) -> None:
    driver.set_window_size(width, height)
    driver.get(path.resolve().as_uri())


def _screenshot(driver, name: str, full_page: bool = True) -> Path:
    """Save a PNG of the page (the whole page's height if ``full_page``) under the artefacts folder."""
    if full_page:
        width = driver.execute_script("return document.documentElement.clientWidth")
        height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 8000)")
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), path
    if full_page:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert path.stat().st_size > 5000, f"{path} is (nearly) empty"
    return path


# Each edition's mechanisms by the names its site gives them (-07's Section 3 names; -02's).
MECHANISMS = {
    "07": {"Bluetooth Mesh", "Wi-Fi DPP", "EST", "LwM2M", "EAP-NOOB", "OCF", "BRSKI", "SZTP", "FDO", "Thread"},
    "02": {"BRSKI", "DPP", "EST", "OMA", "EAP-NOOB", "OCF", "FIDO", "SZTP", "LPWAN", "Thread", "Bluetooth"},
}
FOLDER = {"07": "", "02": "editions/02/"}


@pytest.mark.parametrize("number", ["07", "02"])
def test_the_home_table_shows_every_mechanism_of_the_edition(browser, site: Path, number: str) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site / FOLDER[number] / "index.html")
    assert browser.title.startswith("Comparison")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.comparison tbody tr")
    names = [row.find_element(By.CSS_SELECTOR, "th a").text for row in rows]
    assert len(names) == len(MECHANISMS[number]) and len(set(names)) == len(names), names
    assert set(names) == MECHANISMS[number]
    for row in rows:
        assert row.is_displayed()
        assert len(row.find_elements(By.CSS_SELECTOR, "td a")) >= 6
    current = browser.find_element(By.CSS_SELECTOR, "nav.editions [aria-current=page]")
    assert current.is_displayed() and current.text.startswith(f"-{number} (")
    _screenshot(browser, f"home-desktop-{number}")


def test_the_edition_switch_leads_from_one_editions_page_to_the_others_home(browser, site: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site / "protocols" / "fdo.html")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("FDO")
    link = browser.find_element(By.CSS_SELECTOR, "nav.editions a")
    assert link.is_displayed() and link.text.startswith("-02 (")
    link.click()
    assert browser.current_url == (site / "editions" / "02" / "index.html").resolve().as_uri()
    rows = browser.find_elements(By.CSS_SELECTOR, "table.comparison tbody tr")
    assert len(rows) == 11
    browser.find_element(By.CSS_SELECTOR, "nav.editions a").click()
    assert browser.current_url == (site / "index.html").resolve().as_uri()
    _screenshot(browser, "edition-switch", full_page=False)


def test_the_home_page_fits_a_phone_screen(browser, site: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site / "index.html", width=390, height=844)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a phone's screen"
    first = browser.find_element(By.CSS_SELECTOR, "table.comparison tbody tr")
    assert first.size["width"] <= 390
    font = browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 14
    _screenshot(browser, "home-phone-first-screen", full_page=False)
    _screenshot(browser, "home-phone")


def test_every_link_of_a_protocol_page_resolves(browser, site: Path) -> None:
    from selenium.webdriver.common.by import By

    page = site / "editions" / "02" / "protocols" / "brski.html"  # -02's BRSKI: the page with the most links
    _open(browser, page)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("BRSKI")
    hrefs = sorted({a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")})
    local = [href for href in hrefs if href.startswith("file://")]
    assert len(local) > 50
    assert (site / "index.html").resolve().as_uri() in local  # the switch, to the latest edition's home
    assert all(href.startswith(("file://", "https://", "http://")) for href in hrefs)
    _screenshot(browser, "protocol-brski")
    fragments: dict[str, set[str]] = {}
    for href in local:
        url, fragment = urldefrag(href)
        fragments.setdefault(url, set())
        if fragment:
            fragments[url].add(fragment)
    problems = []
    for url, wanted in sorted(fragments.items()):
        browser.get(url)
        if url.endswith(".svg"):
            ok = browser.execute_script("return document.documentElement.localName === 'svg'")
        else:
            ok = browser.execute_script("return document.querySelector('header.site nav') !== null")
        if not ok:
            problems.append(f"{url}: did not load")
            continue
        exists = "return document.getElementById(arguments[0]) !== null"
        missing = [f for f in sorted(wanted) if not browser.execute_script(exists, f)]
        problems += [f"{url}#{f}: no such element" for f in missing]
    assert problems == []


def test_the_svg_diagrams_render(browser, site: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site / "protocols" / "bluetooth-mesh.html")  # -07's Bluetooth Mesh Provisioning
    image = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=processes] figure.diagram img")
    browser.execute_script("arguments[0].scrollIntoView()", image)
    loaded = browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image)
    assert loaded and loaded > 100, "the process diagram did not render"
    assert image.size["width"] > 100 and image.size["height"] > 50
    _screenshot(browser, "protocol-bluetooth-processes", full_page=False)
    _open(browser, site / "roles.html", width=1280, height=1000)
    image = browser.find_element(By.CSS_SELECTOR, "figure.diagram img")
    natural = browser.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", image)
    assert natural[0] > 500 and natural[1] > 500, natural
    _screenshot(browser, "roles")
    read = "return Array.from(document.querySelectorAll('text')).map(t => t.textContent)"
    size = "const b = document.querySelector('g.graph').getBBox(); return [b.width, b.height]"
    # each edition's diagram, with that edition's Section 3.2 categories and names
    for folder, category, name in (
        ("", "The user or installer", "device owner/user"),
        ("editions/02/", "Human User", "Pledge"),
    ):
        _open(browser, site / folder / "diagrams" / "roles.svg", width=1200, height=1000)
        texts = browser.execute_script(read)
        assert category in texts and any(name in t for t in texts), folder
        box = browser.execute_script(size)
        assert box[0] > 500 and box[1] > 500, box
        _screenshot(browser, f"roles-diagram{'-02' if folder else ''}", full_page=False)


def test_the_ontology_documentation_opens_with_the_sites_navigation(browser, site: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site / "ontology" / "index.html")
    assert browser.find_element(By.CSS_SELECTOR, "header.site a.brand").get_attribute("href").endswith("/index.html")
    assert "Role" in browser.find_element(By.ID, "Role").text
    _screenshot(browser, "ontology", full_page=False)
    _open(browser, site / "ontology" / "index.html", width=390, height=844)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the ontology page is {overflow}px wider than a phone's screen"


def test_only_local_files_are_requested_and_no_page_logs_an_error(browser, site: Path) -> None:
    browser.get_log("performance")  # reading the logs empties them
    browser.get_log("browser")
    for name in ("index.html", "protocols/fdo.html", "roles.html", "views/out-of-band.html", "ontology/index.html",
                 "changes.html", "editions/02/index.html", "editions/02/protocols/fido.html", "editions/02/roles.html",
                 "editions/02/changes.html"):  # fmt: skip
        _open(browser, site / name)
    requested = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.add(message["params"]["request"]["url"])
    assert any(url.startswith("file://") for url in requested), "no request was logged at all"
    remote = sorted(url for url in requested if not url.startswith(("file://", "data:")))
    assert remote == []
    errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_the_comparisons_cells_look_like_links(browser, site: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site / "index.html")
    text = browser.execute_script("return getComputedStyle(document.querySelector('table.comparison caption')).color")
    link = browser.execute_script("return getComputedStyle(document.querySelector('main p a')).color")
    cells = browser.find_elements(By.CSS_SELECTOR, "table.comparison tbody td a")
    assert len(cells) >= 60 and link != text
    style = "const s = getComputedStyle(arguments[0]); return [s.color, s.textDecorationLine]"
    assert {tuple(browser.execute_script(style, cell)) for cell in cells} == {(link, "underline")}


def test_the_ontology_pages_table_of_contents_leaves_the_header_uncovered(browser, site: Path) -> None:
    _open(browser, site / "ontology" / "index.html", width=1280, height=900)
    box = "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.left, r.right, r.bottom]"
    header, toc = browser.execute_script(box, "header.site"), browser.execute_script(box, "#toc")
    assert header[2] > 40 and toc[2] > 400  # both are shown
    assert header[1] <= toc[0], f"the table of contents (from x={toc[0]}) covers the header (to x={header[1]})"
    _screenshot(browser, "ontology-header", full_page=False)
