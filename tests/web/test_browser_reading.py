"""Reading in a real headless browser (Debian's chromium): the page viewer's marks, every page type on
a phone without sideways scrolling, and the filters by keyboard alone."""
import io
import re
from urllib.parse import quote

import pytest

from tests.web.test_browser import browser, follow, server  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.browser

selenium = pytest.importorskip("selenium")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PHONE = (390, 844)


def orange_pixels(element) -> list[tuple[int, int]]:
    """Where the viewer's current hit (orange over the page) shows in the element as the browser drew it."""
    from PIL import Image

    shot = Image.open(io.BytesIO(element.screenshot_as_png)).convert("RGB")
    width, height = shot.size
    found = []
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            r, g, b = shot.getpixel((x, y))
            if r > 220 and 120 < g < 200 and b < 140 and r - b > 110:
                found.append((x, y))
    return found


def image_loaded(driver, img) -> bool:
    return driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)


def test_the_viewer_marks_the_hits_on_the_page_image(server, browser):  # noqa: F811
    browser.get(server + "/?q=budget&body=Samhällsplaneringsnämnden")  # the SPn protocol: budget on many pages
    follow(browser, browser.find_element(By.LINK_TEXT, "Visa träffarna på sidorna"))
    status = browser.find_element(By.CSS_SELECTOR, ".hitnav").text
    total = int(re.search(r"Träff 1 av (\d+)", status).group(1))
    assert total >= 2
    img = browser.find_element(By.CSS_SELECTOR, "#sidbild img")
    WebDriverWait(browser, 15).until(lambda b: image_loaded(b, img))
    first = orange_pixels(img)
    assert first, "the current hit is not marked on the image"
    marks = browser.find_elements(By.CSS_SELECTOR, ".pagetext mark")
    assert marks and all("budget" in m.text.lower() for m in marks)
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Nästa träff"))
    assert f"Träff 2 av {total}" in browser.find_element(By.CSS_SELECTOR, ".hitnav").text
    img = browser.find_element(By.CSS_SELECTOR, "#sidbild img")
    WebDriverWait(browser, 15).until(lambda b: image_loaded(b, img))
    second = orange_pixels(img)
    assert second and second != first  # the orange mark moved to the next hit
    # the image alone, then the text alone
    follow(browser, browser.find_element(By.LINK_TEXT, "Bara texten"))
    assert not browser.find_elements(By.CSS_SELECTOR, "#sidbild") and browser.find_elements(By.CSS_SELECTOR, ".pagetext mark")


def no_sideways_scroll(driver) -> int:
    return driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def phone_pages(server, browser) -> list[str]:  # noqa: F811
    """One page of every type, found by following the archive's own links."""
    browser.get(server + "/?q=budget")
    document = browser.find_element(By.CSS_SELECTOR, ".hit h3 a").get_attribute("href").split("#")[0]
    viewer = browser.find_element(By.LINK_TEXT, "Visa träffarna på sidorna").get_attribute("href")
    browser.get(server + "/beslut")
    decision = browser.find_element(By.CSS_SELECTOR, "a[href*='/beslut/']:not([href$='/senaste']):not([href$='/overklagbara'])")
    pages = [
        "/?q=budget", "/?q=kommun&party=V&not_year=2017&date_from=2016-01-01", "/", document,
        document + "?q=budget", viewer, viewer + "&visa=bild", "/cases?dnr=VN-2023-00023",
        "/organisationer", "/beslut", decision.get_attribute("href"), "/beslut/overklagbara", "/partier/" + quote("V"),
        "/partier", "/hjalp", "/bevakningar", "/bevakningar/ny?kind=search&value=q%3Dbudget", "/utvecklare",
        "/flode?q=budget", "/finns-inte",
    ]
    return [p if p.startswith("http") else server + p for p in pages]


def test_every_page_type_fits_a_phone(server, browser):  # noqa: F811
    pages = phone_pages(server, browser)
    browser.set_window_size(*PHONE)
    try:
        assert browser.execute_script("return window.innerWidth") <= 420  # really phone-sized
        for url in pages:
            browser.get(url)
            assert no_sideways_scroll(browser) <= 0, url
            assert browser.find_element(By.TAG_NAME, "h1").is_displayed() or browser.find_elements(By.TAG_NAME, "h2"), url
    finally:
        browser.set_window_size(1280, 900)


def test_on_a_phone_results_first_and_the_filters_one_tap_away(server, browser):  # noqa: F811
    browser.set_window_size(*PHONE)
    try:
        browser.get(server + "/?q=kommun&party=V&not_year=2017")
        jump = browser.find_element(By.CSS_SELECTOR, ".filter-jump a")
        assert jump.is_displayed() and jump.text == "Filter (2)"
        hits = browser.find_element(By.CSS_SELECTOR, ".hits").rect["y"]
        facets = browser.find_element(By.CSS_SELECTOR, ".facets").rect["y"]
        chips = browser.find_element(By.CSS_SELECTOR, ".active-filters").rect["y"]
        assert chips < hits < facets  # active filters, then the results, then the sidebar
        jump.click()
        WebDriverWait(browser, 5).until(lambda b: b.execute_script("return window.scrollY") > 0)
        heading = browser.find_element(By.ID, "filter-rubrik")
        top = browser.execute_script("return arguments[0].getBoundingClientRect().top", heading)
        assert -2 <= top < PHONE[1] / 2  # the filters' heading is at the top of the screen
    finally:
        browser.set_window_size(1280, 900)
    browser.get(server + "/?q=kommun")
    assert not browser.find_element(By.CSS_SELECTOR, ".filter-jump").is_displayed()  # not on a wide screen


def tab_to(driver, matches, limit: int = 200):
    """Press Tab until the focused element satisfies `matches`."""
    for _ in range(limit):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        element = driver.switch_to.active_element
        if matches(element):
            return element
    raise AssertionError("never reached by Tab")


def test_filters_by_keyboard_alone(server, browser):  # noqa: F811
    browser.get(server + "/?q=kommun")
    before = browser.find_element(By.ID, "traffar-rubrik").text
    link = tab_to(browser, lambda e: (e.get_attribute("href") or "").find("year=") > 0
                  and "not_year" not in e.get_attribute("href"))
    year = link.text
    old = browser.find_element(By.TAG_NAME, "html")
    link.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(old))
    assert browser.find_element(By.CSS_SELECTOR, ".active-filters").text.startswith(f"År: {year}")
    assert browser.find_element(By.ID, "traffar-rubrik").text != before
    chip = tab_to(browser, lambda e: (e.get_attribute("aria-label") or "").startswith("Ta bort filtret År"))
    old = browser.find_element(By.TAG_NAME, "html")
    chip.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(old))
    assert not browser.find_elements(By.CSS_SELECTOR, ".active-filters")
    assert browser.find_element(By.ID, "traffar-rubrik").text == before
    exclude = tab_to(browser, lambda e: (e.get_attribute("aria-label") or "").startswith("Uteslut år"))
    label = exclude.get_attribute("aria-label")
    old = browser.find_element(By.TAG_NAME, "html")
    exclude.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(old))
    assert browser.find_element(By.CSS_SELECTOR, ".active-filters").text.startswith("Inte år: " + label.rsplit(" ", 1)[1])
