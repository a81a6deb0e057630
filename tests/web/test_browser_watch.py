"""Watch → e-mail in a real headless browser (Debian's chromium) as a user does it: search, press
Bevaka, give an address, save; then a real `python -m ingest` brings new documents and a real
`python -m notify digest` sends the digest through a real SMTP server on 127.0.0.1; the e-mail's link
opens the new document in the browser."""
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.notify.conftest import LATER, smtp  # noqa: F401 (the fixture)
from tests.web.test_browser import browser, follow, free_port  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.browser

selenium = pytest.importorskip("selenium")
from selenium.webdriver.common.by import By  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def run(module: str, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


@pytest.fixture()
def site(tmp_path):
    """(base URL, data dir): the seeds ingested by the command line, served by waitress."""
    from waitress.server import create_server

    from web.app import create_app

    data = tmp_path / "archive"
    assert run("ingest", "--data", data, "--quiet", "--jobs", "1", ROOT / "samples" / "seeds").returncode == 0
    srv = create_server(create_app(data), host="127.0.0.1", port=free_port(), threads=4)
    threading.Thread(target=srv.run, daemon=True).start()
    yield f"http://127.0.0.1:{srv.effective_port}", data
    srv.close()


def test_a_watch_made_in_the_browser_sends_its_digest_by_e_mail(site, browser, smtp):  # noqa: F811
    base, data = site
    browser.get(f"{base}/?q=valsedlar")
    assert "valsedlar" in browser.find_element(By.NAME, "q").get_attribute("value")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.watch button"))  # step 1: Bevaka
    browser.find_element(By.ID, "email").send_keys("anna@example.se")  # step 2: the address
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.watch-form button[type=submit]"))  # step 3
    assert "valsedlar" in browser.find_element(By.TAG_NAME, "main").text
    time.sleep(1.1)  # the new documents are younger than the watch (the catalog keeps seconds)

    ingested = run("ingest", "--data", data, "--quiet", "--jobs", "1", *LATER)
    assert ingested.returncode == 0, ingested.stderr
    sent = run("notify", "--data", data, "digest", env={
        "DIARIET_SMTP_HOST": "127.0.0.1", "DIARIET_SMTP_PORT": str(smtp.port),
        "DIARIET_MAIL_FROM": "Diariet <diariet@example.se>", "DIARIET_BASE_URL": base})
    assert sent.returncode == 0, sent.stdout + sent.stderr
    smtp.wait(1)
    (message,) = smtp.messages
    assert message["To"] == "anna@example.se" and "nya handlingar" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Valnämnden 2024-05-06" in text
    links = re.findall(rf"{re.escape(base)}/documents/\S+", text)
    assert links
    browser.get(links[0].rstrip(".,)"))
    assert "Valnämnden" in browser.find_element(By.TAG_NAME, "h1").text
    assert re.search(r"/avsluta\b", text)  # and the way out of it, in every e-mail
