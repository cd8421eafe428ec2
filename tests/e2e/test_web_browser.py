"""The web page in a real browser: Debian's Chromium, headless, driven by Selenium, against
`evidence-kit serve` running on the demo case. Every page's console log is collected and must
hold no error. Set EVIDENCE_KIT_SCREENSHOTS=DIR to save a screenshot of each page there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from evidence_kit.case import OUTPUT_DIR

pytestmark = pytest.mark.slow

webdriver = pytest.importorskip("selenium.webdriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOTS = os.environ.get("EVIDENCE_KIT_SCREENSHOTS")


def ek(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVIDENCE_KIT_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "evidence_kit", *args],
        capture_output=True, text=True, timeout=900, env=env,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    case = tmp_path_factory.mktemp("web") / "demo-case"
    r = ek("demo", str(case), "--json")
    assert r.returncode == 0, r.stderr
    lang = os.environ.get("EVIDENCE_KIT_WEB_LANG", "en")
    env = {**os.environ, "EVIDENCE_KIT_LANG": lang, "PYTHONUNBUFFERED": "1"}
    log = case.parent / "serve.log"
    with log.open("w") as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "evidence_kit", "--case", str(case), "--json", "serve",
             "--no-browser", "--port", "0", "--max-upload-mb", "5"],
            stdout=subprocess.PIPE, stderr=errors, text=True, env=env,
        )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, log.read_text()
        url = json.loads(line)["url"]
        base = url.split("/?token=")[0]
        yield {"url": url, "base": base, "case": case, "proc": proc}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()


@pytest.fixture(scope="module")
def browser(server: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    service = webdriver.ChromeService(executable_path=DRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads  # type: ignore[attr-defined]
    driver.get(server["url"])  # the token moves into a cookie
    yield driver
    driver.quit()


def console_errors(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def wait(driver: Any, seconds: float = 60) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def shot(driver: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(800, height), 2200))
        driver.execute_script("window.scrollTo(0, 0)")
        # Pictures load lazily: those the taller window now shows must be in the screenshot.
        wait(driver, 30).until(
            lambda d: d.execute_script(
                "return [...document.images].every("
                "i => i.complete || i.getBoundingClientRect().top > window.innerHeight)"
            )
        )
        driver.save_screenshot(str(Path(SHOTS) / f"web-{name}.png"))
        driver.set_window_size(1280, 1000)


# ---------------------------------------------------------------- the tests, in order


def test_a_wrong_token_is_refused(server: dict[str, Any]) -> None:
    import urllib.error
    import urllib.request

    for url in (server["base"] + "/", server["base"] + "/?token=wrong", server["base"] + "/static/app.css"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url, timeout=10)
        assert err.value.code == 403
        err.value.close()  # it holds the response's socket
    import http.cookiejar

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(server["url"], timeout=10) as ok:  # the right token, then its cookie
        assert ok.status == 200 and ok.url == server["base"] + "/"


def test_every_page_renders_without_a_console_error(browser: Any, server: dict[str, Any]) -> None:
    base = server["base"]
    entry_id = json.loads(ek("--case", str(server["case"]), "search", "--json").stdout)["results"]
    chat = next(r["id"] for r in entry_id if r["kind"] == "chat")
    pages = {
        "home": "/", "drop": "/drop", "timeline": "/timeline", "entry": f"/entry/{chat}",
        "review": "/review", "search": "/search?q=%E7%BD%9A%E6%81%AF", "analysis": "/analysis",
        "package": "/package", "integrity": "/integrity", "note": "/note",
    }
    for name, path in pages.items():
        browser.get(base + path)
        wait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
        assert browser.find_element(By.TAG_NAME, "h1").text, name
        if name == "review":  # the crops load lazily: scroll so they load (and are checked)
            browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
            time.sleep(1)
        shot(browser, name)
        assert console_errors(browser) == [], name


def test_a_value_on_a_pdf_page_has_its_picture(browser: Any, server: dict[str, Any]) -> None:
    results = json.loads(ek("--case", str(server["case"]), "search", "--json").stdout)["results"]
    shown = [json.loads(ek("--case", str(server["case"]), "show", r["id"], "--json").stdout)
             for r in results if r["kind"] == "bill"]
    pdf = next(e for e in shown if e["mime"] == "application/pdf" and e["amounts"])
    browser.get(server["base"] + "/review")
    size = browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; const i = new Image();"
        "i.onload = () => done([i.naturalWidth, i.naturalHeight]); i.onerror = () => done(null);"
        "i.src = arguments[0];",
        f"/crop/{pdf['id']}/amount/0.png",
    )
    assert size and 0 < size[0] <= 640 and 0 < size[1] < 200, size  # a line of the page, not all of it
    # In the queue, the PDF's values sit beside their picture too, and every picture loads.
    imgs = browser.find_elements(By.CSS_SELECTOR, ".review-item img")
    for img in imgs:
        browser.execute_script("arguments[0].scrollIntoView()", img)
    wait(browser, 30).until(
        lambda d: all(d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", i)
                      for i in imgs)
    )
    # Only a typed note (no picture to show) goes without one; a PDF's values never do.
    assert not browser.find_elements(By.CSS_SELECTOR, f".review-item[data-entry='{pdf['id']}'] .nocrop")
    assert console_errors(browser) == []


def test_drop_three_files_and_see_them_in_the_timeline(browser: Any, server: dict[str, Any], tmp_path: Path) -> None:
    words = ["甲乙丙通话一", "甲乙丙通话二", "甲乙丙通话三"]
    paths = []
    for i, w in enumerate(words, 1):
        p = tmp_path / f"call-note-2025-03-2{i}.txt"
        p.write_text(f"2025-03-2{i} 10:0{i} 对方来电，{w}，要求今天还款。\n", encoding="utf-8")
        paths.append(p)
    browser.get(server["base"] + "/drop")
    picker = browser.find_element(By.ID, "pick-files")
    browser.execute_script("arguments[0].hidden = false", picker)
    picker.send_keys("\n".join(str(p) for p in paths))
    browser.execute_script("arguments[0].hidden = true", picker)
    wait(browser, 180).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results li.ingested")) == 3
    )
    shot(browser, "drop-done")
    assert console_errors(browser) == []
    browser.get(server["base"] + "/timeline")
    body = browser.find_element(By.TAG_NAME, "main").text
    for w in words:
        assert w in body


def test_correct_an_amount_in_the_review_queue_and_find_it(browser: Any, server: dict[str, Any]) -> None:
    browser.get(server["base"] + "/review")
    item = browser.find_element(By.CSS_SELECTOR, ".review-item[data-key^='amount:']")
    item.click()
    entry = item.get_attribute("data-entry")
    browser.execute_script("arguments[0].focus()", item)
    item.send_keys("c")
    field = item.find_element(By.CSS_SELECTOR, "form.correct input")
    wait(browser, 5).until(lambda d: field.is_displayed())
    field.clear()
    field.send_keys("87654.32\n")
    wait(browser, 30).until(lambda d: "done" in item.get_attribute("class"))
    browser.get(server["base"] + "/search?min=87654&max=87655")
    hits = browser.find_elements(By.CSS_SELECTOR, ".hits li a")
    assert any(f"/entry/{entry}" in (a.get_attribute("href") or "") for a in hits)
    assert "87654.32" in browser.find_element(By.ID, "search-results").text
    assert console_errors(browser) == []


def test_fill_a_missing_case_toml_field(browser: Any, server: dict[str, Any]) -> None:
    import re

    config = Path(server["case"]) / "case.toml"
    # The demo's case.toml is complete: leave the complainant's address empty, as a new user would.
    # Leave the court's name empty too: only a court filing needs it, so it is listed apart.
    text = config.read_text("utf-8")
    section = text.index("[complainant]")
    head, tail = text[:section], text[section:]
    text = head + re.sub(r'(?m)^address = ".*?"', 'address = ""', tail, count=1)
    court = text.index("[court]")
    text = text[:court] + re.sub(r'(?m)^name = ".*?"', 'name = ""', text[court:], count=1)
    config.write_text(text, "utf-8")
    comments_before = [x for x in config.read_text("utf-8").splitlines() if x.lstrip().startswith("#")]
    browser.get(server["base"] + "/?for=regulator")
    assert browser.find_elements(By.CSS_SELECTOR, "#court-only input[data-key='court.name']")
    assert not browser.find_elements(By.CSS_SELECTOR, "#missing input[data-key='court.name']")
    shot(browser, "home-missing")
    field = browser.find_element(By.CSS_SELECTOR, "#missing input[data-key='complainant.address']")
    key = field.get_attribute("data-key")
    field.send_keys("测试填写值")
    browser.find_element(By.CSS_SELECTOR, "#case-form button").click()
    wait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.good")))
    text = config.read_text("utf-8")
    assert 'address = "测试填写值"' in text
    assert [x for x in text.splitlines() if x.lstrip().startswith("#")] == comments_before
    assert key not in [i.get_attribute("data-key") for i in browser.find_elements(By.CSS_SELECTOR, "#case-form input")]
    assert console_errors(browser) == []


def test_build_download_and_verify_a_package(browser: Any, server: dict[str, Any]) -> None:
    from evidence_kit.bundle import verify_bundle

    browser.get(server["base"] + "/package?for=consumer-association")
    draft = browser.find_element(By.CSS_SELECTOR, "input[name=draft]")
    if not draft.is_selected():
        draft.click()
    browser.find_element(By.ID, "build").click()
    link = wait(browser, 300).until(EC.presence_of_element_located((By.ID, "download")))
    name = link.get_attribute("href").rsplit("/", 1)[-1]
    wait(browser, 60).until(
        lambda d: all(d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)
                      for img in d.find_elements(By.CSS_SELECTOR, ".previews img"))
    )
    shot(browser, "package-built")
    link.click()
    downloads: Path = browser.downloads
    deadline = time.time() + 60
    pdfs: list[Path] = []
    while time.time() < deadline:
        pdfs = [p for p in downloads.glob("*.pdf")]
        if pdfs and not list(downloads.glob("*.crdownload")):
            break
        time.sleep(0.5)
    assert pdfs, "the download did not arrive"
    result = verify_bundle(pdfs[0])
    assert result.ok and result.checks
    # The page serves the package that bundle wrote into the case's output folder.
    written = Path(server["case"]) / OUTPUT_DIR / unquote(name)
    assert pdfs[0].read_bytes() == written.read_bytes()
    browser.find_element(By.ID, "verify").click()
    ok = wait(browser, 60).until(EC.presence_of_element_located((By.ID, "verify-result")))
    assert "good" in (ok.get_attribute("class") or "")  # green, in any language
    assert console_errors(browser) == []
