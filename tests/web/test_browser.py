"""End to end in a real headless browser (Debian's chromium via chromedriver) against waitress."""
import shutil
import socket
import threading
import time

import pytest

pytestmark = pytest.mark.browser

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def follow(browser, element) -> None:
    """Click a link and wait until the next page has replaced this one."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(old))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(app):
    from waitress.server import create_server

    srv = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{srv.effective_port}"
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", srv.effective_port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield base
    srv.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/install-browser)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,900"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(5)  # a busy CI machine may be slow to render the next page
    yield driver
    driver.quit()


def test_search_filter_open_document_and_follow_case(server, browser):
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("valsedlar")
    old = browser.find_element(By.TAG_NAME, "html")
    box.submit()
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(old))
    heading = browser.find_element(By.ID, "traffar-rubrik").text
    assert "träffar" in heading
    # Narrow by a facet: the first document-type facet link.
    facet = browser.find_element(By.CSS_SELECTOR, ".facet li a")
    facet_value = facet.text
    follow(browser, facet)
    assert facet_value in browser.find_element(By.CSS_SELECTOR, ".facet .active").text
    # Open the first hit.
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".hit h3 a"))
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "section.page")
    chips = browser.find_elements(By.CSS_SELECTOR, ".metadata a.chip")
    if chips:
        dnr = chips[0].text
        follow(browser, chips[0])
        assert dnr in browser.find_element(By.TAG_NAME, "h1").text
        assert browser.find_elements(By.CSS_SELECTOR, ".timeline li")


def test_page_anchor_and_original(server, browser):
    browser.get(server + "/?q=Tobisviksbadet")
    link = browser.find_element(By.CSS_SELECTOR, ".hit h3 a")
    href = link.get_attribute("href")
    assert "#sida-" in href
    follow(browser, link)
    anchor = href.split("#", 1)[1]
    page = browser.find_element(By.ID, anchor)
    assert "Tobisviksbadet" in page.text
    original = browser.find_element(By.LINK_TEXT, "Ladda ned originalfilen").get_attribute("href")
    assert original.endswith("/original")


def test_no_javascript_needed_and_nothing_external(server, browser):
    browser.get(server + "/?q=peer+support")
    scripts = browser.find_elements(By.TAG_NAME, "script")
    assert scripts == []
    for el in browser.find_elements(By.CSS_SELECTOR, "link[href], img[src]"):
        url = el.get_attribute("href") or el.get_attribute("src")
        assert url.startswith(server)


def test_screenshots_of_main_pages(server, browser, tmp_path):
    for name, path in {"sok.png": "/?q=peer+support", "arende.png": "/cases?dnr=VN-2023-00023"}.items():
        browser.get(server + path)
        png = browser.get_screenshot_as_png()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
        (tmp_path / name).write_bytes(png)


HOSTILE = (
    "<script>document.title='pwned'</script><img src=x onerror=\"document.body.dataset.pwned=1\"> "
    "Motion om hemtjänst\n\nVi föreslår att <b onmouseover=alert(1)>hemtjänsten</b> byggs ut. "
    "<script>document.body.dataset.pwned=2</script>\n"
)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from waitress.server import create_server

    from ingest.catalog.datadir import DataDir
    from ingest.pipeline.runner import ingest_paths
    from web.app import create_app

    root = tmp_path_factory.mktemp("hostile")
    src = root / "src"
    src.mkdir()
    (src / "motion.txt").write_text(HOSTILE, encoding="utf-8")
    (src / "motion.html").write_text(f"<html><head><title>{HOSTILE[:60]}</title></head><body><main><h1>x</h1>"
                                     f"<p>hemtjänst &lt;script&gt;alert(3)&lt;/script&gt;</p></main></body></html>",
                                     encoding="utf-8")
    ingest_paths(DataDir.create(root / "data"), [src])
    srv = create_server(create_app(root / "data"), host="127.0.0.1", port=free_port(), threads=2)
    threading.Thread(target=srv.run, daemon=True).start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()


def test_script_in_a_document_does_not_run(hostile_server, browser):
    browser.get(hostile_server + "/?q=hemtjänst")
    hits = browser.find_elements(By.CSS_SELECTOR, ".hit h3 a")
    assert len(hits) == 2
    assert "<script>" in browser.page_source.replace("&lt;", "<") or "<script>" in hits[0].text + hits[1].text
    for url in [h.get_attribute("href") for h in hits]:
        browser.get(url)
        assert browser.execute_script("return document.body.dataset.pwned") is None
        assert browser.title != "pwned" and browser.title.endswith("Diariet")
        assert "<script>" in browser.find_element(By.CSS_SELECTOR, ".pagetext").text + browser.find_element(By.TAG_NAME, "h1").text
    browser.get(hostile_server + "/?q=hemtjänst")
    assert browser.execute_script("return document.body.dataset.pwned") is None


def test_jump_to_a_paragraph_from_the_table_of_contents(server, browser):
    browser.get(server + "/?q=Tobisviksbadet")
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".hit h3 a"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "§ 82").click()  # same page: no load to wait for
    assert browser.current_url.endswith("#p82")
    target = browser.find_element(By.ID, "p82")
    assert "Tobisviksbadet" in target.text
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", target)
    assert 0 <= top < browser.execute_script("return window.innerHeight")


def test_subscribe_to_a_search_feed(server, browser):
    import urllib.request
    import xml.etree.ElementTree as ET

    browser.get(server + "/?q=valsedlar")
    # The Atom link opens a page that explains subscribing (web/pages/feeds.py) and links the feed.
    follow(browser, browser.find_element(By.CSS_SELECTOR, "a.feed"))
    assert "flödesläsare" in browser.find_element(By.TAG_NAME, "main").text
    href = browser.find_element(By.ID, "flodeslank").get_attribute("href")
    assert href.startswith(server + "/search.atom?")
    with urllib.request.urlopen(href, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.read())
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert len(titles) > 1


def test_keyboard_alone_reaches_the_search_box_and_results(server, browser):
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the skip link comes first
    assert browser.switch_to.active_element.text == "Hoppa till innehållet"
    for _ in range(12):  # the skip link, the brand, the main menu's links, then the box
        if browser.switch_to.active_element.get_attribute("id") == "q":
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    box = browser.switch_to.active_element
    assert box.get_attribute("id") == "q"
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    box.send_keys("anhörigstöd", Keys.ENTER)
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(old))
    assert "anhörigstöd" in browser.find_element(By.ID, "traffar-rubrik").text
    assert browser.find_elements(By.CSS_SELECTOR, ".hit h3 a")


def test_phone_sized_screen_has_no_horizontal_scroll(server, browser):
    browser.set_window_size(390, 844)
    try:
        for path in ("/?q=peer+support", "/organisationer", "/cases?dnr=VN-2023-00023"):
            browser.get(server + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, path
    finally:
        browser.set_window_size(1280, 900)


CONTRAST_SCRIPT = """
function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : m.concat([1]); }
function lum(c) { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
function background(el) { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
  if (c[3] > 0) return c; } return [255, 255, 255, 1]; }
const out = [];
for (const el of document.querySelectorAll('body *')) {
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  const r = el.getBoundingClientRect();
  if (!own || r.width === 0 || r.height === 0) continue;
  const st = getComputedStyle(el);
  if (st.visibility === 'hidden' || st.display === 'none') continue;
  const a = lum(rgb(st.color)), b = lum(background(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight) >= 700;
  const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
  if (ratio < needed) out.push(el.tagName + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
}
return out;
"""


def test_text_contrast_passes_wcag_aa(server, browser):
    hit = None
    for path in ("/?q=peer+support", "/organisationer", "/cases?dnr=VN-2023-00023", "/hjalp"):
        browser.get(server + path)
        assert browser.execute_script(CONTRAST_SCRIPT) == [], path
        if hit is None and path.startswith("/?"):
            hit = browser.find_element(By.CSS_SELECTOR, ".hit h3 a").get_attribute("href")
    browser.get(hit)
    assert browser.execute_script(CONTRAST_SCRIPT) == [], hit


def test_pages_have_landmarks_headings_and_labels(server, browser):
    for path in ("/?q=peer+support", "/organisationer", "/cases?dnr=VN-2023-00023", "/hjalp"):
        browser.get(server + path)
        assert browser.find_elements(By.TAG_NAME, "main") and browser.find_elements(By.TAG_NAME, "header")
        assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1, path
        unlabelled = browser.execute_script("""
            return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
              .filter(el => !(el.id && document.querySelector('label[for="' + el.id + '"]')) && !el.getAttribute('aria-label'))
              .map(el => el.name || el.id);""")
        assert unlabelled == [], (path, unlabelled)


def test_beslut_page_search_and_facet(server, browser):
    browser.get(server + "/beslut")
    box = browser.find_element(By.ID, "bq")
    box.send_keys("planhandlingarna")
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    old = browser.find_element(By.TAG_NAME, "html")
    box.submit()
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(old))
    assert "beslut för" in browser.find_element(By.ID, "btraffar-rubrik").text
    assert browser.find_elements(By.CSS_SELECTOR, ".decision-hit .snippet mark")
    # Narrow to the rejected ones by the outcome facet.
    facet = browser.find_element(By.CSS_SELECTOR, "[data-facet=outcome] a[href*='outcome=avslag']")
    follow(browser, facet)
    assert "Avslag" in browser.find_element(By.CSS_SELECTOR, "[data-facet=outcome] .active").text
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".decision-hit h3 a")]
    assert titles and all(t.startswith("§ ") for t in titles)
    # The hit opens the protocol at its decision block.
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".decision-hit h3 a"))
    assert "#beslut-" in browser.current_url


def test_decision_block_with_votes_by_party(server, browser):
    browser.get(server + "/api/decisions?q=planhandlingarna&outcome=avslag")
    import json
    hit = json.loads(browser.find_element(By.TAG_NAME, "body").text)["hits"][0]
    browser.get(server + hit["url"])
    block = browser.find_element(By.ID, "beslut-77")
    assert "Avslag" in block.text and "inte enligt förslaget" in block.text
    rows = block.find_elements(By.CSS_SELECTOR, "table.votes tbody tr")
    by_party = {r.find_element(By.TAG_NAME, "th").text: [td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in rows}
    assert by_party["S"] == ["3", "0", "0"] and by_party["M"] == ["0", "3", "0"]
    assert "Reservation" in block.text and "Roland Thord" in block.text
    assert "Laglighetsprövning senast" in browser.find_element(By.CSS_SELECTOR, ".metadata").text
    follow(browser, block.find_element(By.LINK_TEXT, "Liknande beslut"))
    assert browser.find_element(By.ID, "liknande-beslut").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, ".similar li a")


def test_party_page_by_year_and_topic(server, browser):
    browser.get(server + "/partier")
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Vänsterpartiet"))
    assert "Vänsterpartiet (V)" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.ID, "ar-2024").is_displayed()
    items = browser.find_elements(By.CSS_SELECTOR, ".party-decisions li")
    assert any("reserverade sig" in li.text for li in items)
    assert any("yrkade" in li.text for li in items)
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".facet a[href*='year=2024']"))
    assert "year=2024" in browser.current_url and browser.find_elements(By.CSS_SELECTOR, ".party-decisions li")
    # by topic within the year: the topic facet keeps the year and narrows the list to one topic heading
    topic_link = browser.find_element(By.CSS_SELECTOR, ".facet a[href*='topic=']")
    topic = topic_link.text
    follow(browser, topic_link)
    assert "year=2024" in browser.current_url and "topic=" in browser.current_url
    assert [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".party-topic")] == [topic]
