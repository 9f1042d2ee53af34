"""The offline-HTML harness (tests/browser.py) itself, on small pages in tests/fixtures/html/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .browser import check_offline_html
from .conftest import FIXTURES

HTML = FIXTURES / "html"

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser(chromium: Browser) -> Browser:
    """The session's Chromium (conftest.chromium); every check opens its own fresh context in it."""
    return chromium


def test_an_offline_page_has_nothing_to_report(browser, tmp_path):
    shot = tmp_path / "shots" / "offline_ok.png"
    check = check_offline_html(HTML / "offline_ok.html", browser=browser, screenshot=shot)

    assert check.console_errors == []
    assert check.external_requests == []
    assert check.failed_requests == []
    assert check.broken_images == []
    assert check.ok
    assert len(check.images) == 1
    src, width, height, complete = check.images[0]
    assert src.startswith("data:image/png;base64,")
    assert (width, height, complete) == (16, 8, True)
    assert check.code_cells_visible == 0
    assert "西海岸新区" in check.text
    assert check.screenshot == shot
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 1000


def test_requests_leaving_the_machine_are_recorded_and_blocked(browser):
    check = check_offline_html(HTML / "fetches_cdn.html", browser=browser)

    wanted = {"https://cdn.example.invalid/x.js", "https://cdn.example.invalid/style.css"}
    assert set(check.external_requests) == wanted
    # Nothing was loaded: each one failed because the harness blocked it (not, say, on DNS).
    failures = dict(line.split(": ", 1) for line in check.failed_requests)
    assert set(failures) == wanted
    # (Chromium says net::ERR_BLOCKED_BY_CLIENT.Inspector when a DevTools client aborts a request.)
    assert all(reason.startswith("net::ERR_BLOCKED_BY_CLIENT") for reason in failures.values()), failures
    assert not check.ok


def test_an_image_that_does_not_decode_is_broken(browser):
    check = check_offline_html(HTML / "broken_image.html", browser=browser)

    assert len(check.broken_images) == 1
    assert check.broken_images[0].src == "data:image/png;base64,AAAA"
    assert check.broken_images[0].natural_width == 0
    assert check.external_requests == []


def test_console_errors_are_collected(browser):
    check = check_offline_html(HTML / "console_error.html", browser=browser)

    assert any("boom" in e for e in check.console_errors), check.console_errors
    assert check.external_requests == [] and check.broken_images == []


def test_only_visible_code_cells_are_counted(browser):
    check = check_offline_html(HTML / "code_visible.html", browser=browser)

    assert check.code_cells_visible == 1
    assert "df = indicators.load()" in check.text
    assert "hidden = True" not in check.text


def test_uncaught_page_errors_count_as_console_errors(browser, tmp_path):
    page = tmp_path / "throws.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>throw new TypeError('kaput')</script>", encoding="utf-8")
    check = check_offline_html(page, browser=browser)

    assert any("kaput" in e for e in check.console_errors), check.console_errors


def test_without_a_browser_the_check_launches_its_own(chromium, tmp_path):
    # `chromium` only ensures the browser exists (or skips); the check launches a second one
    check = check_offline_html(HTML / "offline_ok.html", screenshot=tmp_path / "own.png")

    assert check.ok and "西海岸新区" in check.text
    assert (tmp_path / "own.png").stat().st_size > 0


def test_a_missing_file_is_an_error(browser, tmp_path):
    with pytest.raises(FileNotFoundError):
        check_offline_html(tmp_path / "nope.html", browser=browser)


def test_dialogs_a_page_opens_are_collected(browser):
    check = check_offline_html(HTML / "runs_script.html", browser=browser)

    assert check.dialogs == ["alert: inline script", "alert: onerror handler"]
    assert not check.ok
