"""Open a local HTML file in headless Chromium, offline, and report what a reader would meet.

Used by the tests to check that the reports can be read without a network: every request that
would leave the machine is recorded and blocked, and console errors, dialogs (``alert`` and the
like: a script ran), broken images, visible code cells, the page text and a full-page screenshot
are collected.

    with browser_session() as browser:
        check = check_offline_html(path, browser=browser, screenshot=tmp_path / "page.png")
    assert not check.external_requests and not check.console_errors and not check.broken_images

To use a page (type, click, measure), :func:`offline_page` opens it the same way and hands over
the page with what it has met so far.

Chromium is Debian's (/usr/bin/chromium, installed by `scripts/install-system-deps.sh browser`);
Playwright's own browser downloads (`playwright install`) are never used.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Playwright,
    Request,
    Route,
    WebSocket,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from indicators.batch.pdf import BROWSER_FLAGS, CHROMIUM

CHROMIUM_ARGS = [
    *BROWSER_FLAGS,
    # Belt and braces behind the request routing below: no host name resolves, so nothing that
    # escapes routing (DNS prefetch, preconnect, WebSockets) can reach the network either.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]

# Schemes that never leave the machine. blob: URLs are in-memory objects made by the page itself.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")

# What counts as a code cell in an exported notebook (JupyterLab, classic notebook, plain <pre>).
CODE_CELL_SELECTOR = ".jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, .input_area, .prompt, pre.code"

SRC_PREFIX = 80  # characters of an image's src kept in the report (data: URIs are long)

VIEWPORT = {"width": 1280, "height": 900}

_COLLECT_JS = """
([selector, prefix]) => {
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.visibility === "collapse") return false;
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  };
  return {
    images: Array.from(document.images, (img) => [
      (img.currentSrc || img.src || "").slice(0, prefix),
      img.naturalWidth,
      img.naturalHeight,
      img.complete,
    ]),
    codeCellsVisible: Array.from(document.querySelectorAll(selector)).filter(visible).length,
    text: document.body ? document.body.innerText : "",
  };
}
"""

# Let web fonts load and layout settle (two animation frames) before anything is measured.
_SETTLE_JS = """
async () => {
  await document.fonts.ready;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}
"""


class ImageInfo(NamedTuple):
    """One <img> of the page: the start of its src, its natural size and whether it finished loading."""

    src: str
    natural_width: int
    natural_height: int
    complete: bool

    @property
    def broken(self) -> bool:
        return not self.complete or self.natural_width == 0 or self.natural_height == 0


@dataclass(frozen=True)
class PageCheck:
    """What a reader opening the file offline would meet."""

    url: str
    console_errors: list[str]  # console messages of type error, then uncaught page errors
    dialogs: list[str]  # "type: message" of every alert, confirm or prompt the page opened (dismissed)
    external_requests: list[str]  # every request for a URL that is not file:, data:, about: or blob: (all blocked)
    failed_requests: list[str]  # "URL: reason" for every request that failed, blocked ones included
    images: list[ImageInfo]
    broken_images: list[ImageInfo]  # not complete, or of zero natural width or height
    code_cells_visible: int  # visible elements matching CODE_CELL_SELECTOR
    text: str  # document.body.innerText
    screenshot: Path | None  # full-page PNG, when one was asked for

    @property
    def ok(self) -> bool:
        """Readable offline: nothing external asked for, nothing failed, no errors, no dialog, no broken images."""
        return not (
            self.console_errors or self.dialogs or self.external_requests or self.failed_requests or self.broken_images
        )


def is_local(url: str) -> bool:
    return url.startswith(LOCAL_SCHEMES)


_playwright: Playwright | None = None  # the running Playwright driver, shared by nested sessions


@contextmanager
def browser_session(executable: Path = CHROMIUM) -> Iterator[Browser]:
    """A launched headless Chromium for several checks (each check gets its own fresh context).

    Playwright gives each launch a new temporary user data dir and removes it on close. Sessions
    may nest (a second sync Playwright cannot start in the same thread, so the driver is shared).
    """
    global _playwright
    if not executable.exists():
        raise FileNotFoundError(f"{executable} not found: run `bash scripts/install-system-deps.sh browser`")
    if _playwright is not None:
        browser = _playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
        return
    with sync_playwright() as pw:
        _playwright = pw
        try:
            browser = pw.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
        finally:
            _playwright = None


def check_offline_html(
    path: Path,
    *,
    screenshot: Path | None = None,
    timeout_ms: int = 30000,
    browser: Browser | None = None,
) -> PageCheck:
    """Open `path` in headless Chromium with every request leaving the machine blocked, and report.

    Without `browser`, a browser is launched for this call and closed after it.
    """
    if browser is None:
        with browser_session() as own:
            return check_offline_html(path, screenshot=screenshot, timeout_ms=timeout_ms, browser=own)

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    url = path.resolve().as_uri()

    console_errors: list[str] = []
    page_errors: list[str] = []
    dialogs: list[str] = []
    external: list[str] = []
    failed: list[str] = []

    def on_request(request: Request) -> None:
        if not is_local(request.url):
            external.append(request.url)

    def on_request_failed(request: Request) -> None:
        failed.append(f"{request.url}: {request.failure}")

    def on_websocket(ws: WebSocket) -> None:
        if not is_local(ws.url):
            external.append(ws.url)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            console_errors.append(msg.text)

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_page_error(error: PlaywrightError) -> None:
        page_errors.append(f"{error.name}: {error.message}" if error.name else error.message)

    def route(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    try:
        context.set_default_timeout(timeout_ms)
        context.route("**/*", route)
        page = context.new_page()
        page.on("request", on_request)
        page.on("requestfailed", on_request_failed)
        page.on("websocket", on_websocket)
        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        page.on("dialog", on_dialog)

        page.goto(url, wait_until="load", timeout=timeout_ms)
        page.evaluate(_SETTLE_JS)
        found = page.evaluate(_COLLECT_JS, [CODE_CELL_SELECTOR, SRC_PREFIX])
        if screenshot is not None:
            screenshot = Path(screenshot)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True, timeout=timeout_ms)
    finally:
        context.close()

    images = [ImageInfo(str(src), int(w), int(h), bool(done)) for src, w, h, done in found["images"]]
    return PageCheck(
        url=url,
        console_errors=console_errors + page_errors,
        dialogs=dialogs,
        external_requests=external,
        failed_requests=failed,
        images=images,
        broken_images=[img for img in images if img.broken],
        code_cells_visible=int(found["codeCellsVisible"]),
        text=str(found["text"]),
        screenshot=screenshot,
    )


@dataclass
class PageEvents:
    """What an open page has met so far (filled in while the page is used)."""

    console_errors: list[str]
    dialogs: list[str]
    external_requests: list[str]


@contextmanager
def offline_page(
    browser: Browser,
    path: Path,
    *,
    viewport: dict | None = None,
    javascript: bool = True,
    timeout_ms: int = 30000,
) -> Iterator[tuple[Page, PageEvents]]:
    """``path`` opened in a fresh context of ``browser``, offline as in :func:`check_offline_html`
    (requests leaving the machine blocked and recorded, dialogs dismissed and recorded), for a test
    to use; the context is closed afterwards."""
    events = PageEvents([], [], [])

    def route(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            events.external_requests.append(route.request.url)
            route.abort("blockedbyclient")

    def on_dialog(dialog: Dialog) -> None:
        events.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context = browser.new_context(
        viewport=viewport or VIEWPORT, java_script_enabled=javascript, service_workers="block"
    )
    try:
        context.set_default_timeout(timeout_ms)
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and events.console_errors.append(msg.text))
        page.on("pageerror", lambda error: events.console_errors.append(error.message))
        page.on("dialog", on_dialog)
        page.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=timeout_ms)
        if javascript:
            page.evaluate(_SETTLE_JS)
        yield page, events
    finally:
        context.close()
