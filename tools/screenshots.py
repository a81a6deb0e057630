"""Take the README's screenshots with headless chromium: python tools/screenshots.py --data DIR.

The archive in DIR should hold the samples (make ingest-samples). Writes docs/screenshots/*.png.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from waitress.server import create_server  # noqa: E402

from web.app import create_app  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args()
    server = create_server(create_app(args.data), host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"):
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            driver.set_window_size(1280, 1000)
            args.out.mkdir(parents=True, exist_ok=True)
            driver.get(base + "/?q=peer+support")
            driver.save_screenshot(str(args.out / "sok.png"))
            driver.get(base + "/?q=Tobisviksbadet&doctype=protokoll")
            driver.find_element(By.CSS_SELECTOR, ".hit h3 a").click()
            driver.save_screenshot(str(args.out / "dokument.png"))
            driver.find_element(By.PARTIAL_LINK_TEXT, "§ 82").click()
            driver.save_screenshot(str(args.out / "paragraf.png"))
            driver.get(base + "/cases?dnr=VN-2023-00023")
            driver.save_screenshot(str(args.out / "arende.png"))
            driver.get(base + "/organisationer")
            driver.save_screenshot(str(args.out / "organisationer.png"))
            # The page viewer: a protocol's page with the hits for "budget" marked, beside its text.
            driver.get(base + "/?q=budget&body=Samh%C3%A4llsplaneringsn%C3%A4mnden")
            driver.find_element(By.LINK_TEXT, "Visa träffarna på sidorna").click()
            _wait_for_images(driver)
            driver.save_screenshot(str(args.out / "sidvisare.png"))
            # Facets: a value kept, one left out, the active filters above the results.
            driver.get(base + "/?q=kommun&not_organization=Regeringen&language=sv")
            driver.save_screenshot(str(args.out / "filter.png"))
            driver.set_window_size(390, 844)
            driver.get(base + "/?q=hemtj%C3%A4nst")
            driver.save_screenshot(str(args.out / "mobil.png"))
            driver.get(base + "/?q=kommun&not_organization=Regeringen&language=sv")
            driver.save_screenshot(str(args.out / "mobil-filter.png"))
            driver.get(base + "/?q=budget&body=Samh%C3%A4llsplaneringsn%C3%A4mnden")
            driver.find_element(By.LINK_TEXT, "Visa träffarna på sidorna").click()
            _wait_for_images(driver)
            driver.save_screenshot(str(args.out / "mobil-sida.png"))
        finally:
            driver.quit()
            server.close()
    print(f"screenshots in {args.out}")
    return 0


def _wait_for_images(driver) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"))


if __name__ == "__main__":
    sys.exit(main())
