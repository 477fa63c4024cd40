"""Browser tests: real Chromium through Playwright, against a live test server.

Every test here is marked `browser`. Use `assert_accessible(page)` after a page has loaded:
it runs axe-core (shipped with axe-playwright-python) under the WCAG 2.0, 2.1 and 2.2 A and AA
rules and fails with a readable list of violations.
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

_axe = Axe()


@pytest.fixture(scope="session")
def base_url():
    """No base address: each test opens the live server's own. Defined here rather than taken from
    pytest-playwright, whose stand-in is written in a way pytest 9 warns will stop working."""
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


def assert_accessible(page):
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe-core found accessibility violations on {page.url}:\n{report}"
    assert_field_edges_stand_out(page)


FIELD_EDGES = (Path(__file__).parent / "field_edges.js").read_text()


def assert_field_edges_stand_out(page):
    """WCAG 1.4.11, which axe-core does not check: a form field's edge has a contrast of 3:1 or more."""
    faint = page.evaluate(FIELD_EDGES)
    assert faint == [], f"form fields whose edges are too faint (under 3:1) on {page.url}: {faint}"


def screenshot(page, name):
    """Save full-page screenshots at mobile and desktop widths, for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, size in (("mobile", MOBILE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
