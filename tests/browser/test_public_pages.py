"""Every public page type passes axe-core (WCAG 2.0-2.2 A/AA) with results and with none, the
keyboard works, and screenshots of the main pages are saved for people to look at."""

import datetime

import pytest
from playwright.sync_api import expect

from partnerships.models import Institution, PhaseBody
from tests import factories
from tests.browser.conftest import DESKTOP, MOBILE, assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


PAGES_WITH_RESULTS = [
    "/",
    "/phases/phase-2/",
    "/partnerships/",
    "/partnerships/?phase=phase-2&theme=health-and-wellbeing",
    "/partnerships/phase-2/tynemouth/",
    "/institutions/",
    "/institutions/university-of-tynemouth/",
    "/themes/skills/",
    "/data/",
    "/accessibility/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES_WITH_RESULTS)
def test_a_visitor_meets_no_accessibility_violations_on_pages_with_results(live_server, page, programme, path):
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_a_visitor_meets_no_accessibility_violations_on_the_evaluation_page(live_server, page, programme):
    page.goto(live_server.url + "/evaluations/phase-2-evaluation/")
    assert page.get_by_role("heading", name="Recommendation").is_visible()
    assert_accessible(page)


def _empty_places(programme):
    empty_phase = factories.phase(programme=programme, number=3, name="Phase 3", slug="phase-3")
    factories.theme(name="Housing", slug="housing")
    lonely = factories.institution(name="Lonely Funder", slug="lonely-funder", kind=Institution.Kind.NATIONAL_BODY)
    PhaseBody.objects.create(phase=empty_phase, institution=lonely, role=PhaseBody.Role.FUNDER)
    factories.partnership(
        phase=empty_phase, place=factories.place(name="Bare"), title="Bare partnership", members=(), themes=()
    )
    return empty_phase


PAGES_WITHOUT_RESULTS = [
    "/phases/phase-3/",
    "/partnerships/?q=nothing+matches+this",
    "/partnerships/?phase=not-a-phase",
    "/partnerships/phase-3/bare/",
    "/institutions/lonely-funder/",
    "/themes/housing/",
]


@pytest.mark.parametrize("path", PAGES_WITHOUT_RESULTS)
def test_a_visitor_meets_no_accessibility_violations_on_pages_without_results(live_server, page, programme, path):
    _empty_places(programme)
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_an_empty_portal_is_accessible_too(live_server, page):
    for path in ("/", "/partnerships/", "/institutions/", "/data/"):
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_a_keyboard_user_can_skip_to_the_content_and_see_where_the_focus_is(live_server, page, programme):
    page.goto(live_server.url + "/partnerships/phase-2/tynemouth/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] > 0, "the focused skip link is on screen"
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # The next Tab lands inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")
    focused_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline == "solid"


def test_the_filters_work_without_javascript(live_server, browser, programme):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/partnerships/")
    page.get_by_label("Phase", exact=True).select_option("phase-2")
    page.get_by_label("Theme", exact=True).select_option("skills")
    page.get_by_role("button", name="Apply filters").click()
    assert "phase=phase-2" in page.url and "theme=skills" in page.url
    assert page.get_by_role("heading", name="1 partnership found").is_visible()
    assert page.get_by_role("link", name="Wearside: Wearside skills strategy").is_visible()
    context.close()


def test_on_a_phone_the_results_come_first_and_the_filters_open_on_request(live_server, page, programme):
    page.set_viewport_size(MOBILE)
    page.goto(live_server.url + "/partnerships/")
    toggle = page.get_by_role("button", name="Show filters")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_label("Phase", exact=True).is_visible()
    assert page.get_by_role("heading", name="3 partnerships").bounding_box()["y"] < MOBILE["height"] / 2

    toggle.click()
    hide = page.get_by_role("button", name="Hide filters")
    assert hide.get_attribute("aria-expanded") == "true"
    page.get_by_label("Phase", exact=True).select_option("phase-1")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 partnership found")).to_be_visible()

    page.set_viewport_size(DESKTOP)  # a wider screen has room: every filter shows, with no button
    expect(page.get_by_label("Phase", exact=True)).to_be_visible()
    expect(page.locator(".filter-panel__toggle")).to_be_hidden()
    page.set_viewport_size(MOBILE)  # back to small, as zooming in does: folded again, as at first
    expect(page.get_by_role("button", name="Show filters")).to_be_visible()

    page.get_by_role("button", name="Show filters").click()  # opened by choice: stays open
    page.set_viewport_size(DESKTOP)
    page.set_viewport_size(MOBILE)
    expect(page.get_by_role("button", name="Hide filters")).to_be_visible()
    expect(page.get_by_label("Phase", exact=True)).to_be_visible()


def test_on_a_phone_nothing_moves_while_the_partnership_list_loads(live_server, page, programme):
    # Cumulative Layout Shift, as the browser reports it: the filters are folded before the
    # first paint, not after it.
    page.set_viewport_size(MOBILE)
    page.add_init_script(
        "window.layoutShift = 0; window.shifts = new PerformanceObserver((list) => list.getEntries()"
        ".forEach((entry) => { window.layoutShift += entry.value; }));"
        "window.shifts.observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(live_server.url + "/partnerships/?phase=phase-2")
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Show filters")).to_be_visible()
    total = page.evaluate(
        "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {"
        " window.shifts.takeRecords().forEach((entry) => { window.layoutShift += entry.value; });"
        " done(window.layoutShift); })))"
    )
    assert total == 0


def test_on_a_phone_a_filter_with_an_error_is_not_folded_away(live_server, page, programme):
    page.set_viewport_size(MOBILE)
    page.goto(live_server.url + "/partnerships/?phase=no-such-phase")
    assert page.get_by_label("Phase", exact=True).is_visible()
    assert page.get_by_role("button", name="Hide filters").is_visible()
    assert_accessible(page)


def test_screenshots_of_the_main_pages_on_the_real_data(live_server, page, leading_places):
    """Saved under screenshots/ at mobile and desktop widths: look at them after a design change."""
    pages = {
        "home": "/",
        "phase": "/phases/phase-2/",
        "partnership-list": "/partnerships/?phase=phase-2",
        "partnership-list-empty": "/partnerships/?q=zzzzzz",
        "partnership": "/partnerships/phase-2/tees-valley/",
        "institutions": "/institutions/",
        "institution": "/institutions/teesside-university/",
        "theme": "/themes/health-and-wellbeing/",
        "data": "/data/",
        "accessibility": "/accessibility/",
        "not-found": "/no-such-page/",
        "evaluation": "/evaluations/phase-2-evaluation/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert_accessible(page)
        screenshot(page, name)
    page.goto(live_server.url + "/partnerships/phase-2/tees-valley/")
    page.emulate_media(media="print")
    page.screenshot(path=f"screenshots/partnership-print-{datetime.date.today():%Y%m%d}.png", full_page=True)


def test_a_phone_user_reads_every_page_without_scrolling_sideways(live_server, page, programme):
    # WCAG 1.4.10 Reflow: content fits a 320 CSS pixel wide screen, long web addresses included.
    from evaluations.models import Evaluation

    address = "https://www.example.org/reports/leading-places/phase-2/evaluation-of-the-programme-final-report.pdf"
    factories.finding(Evaluation.objects.get(slug="phase-2-evaluation"), text=f"Described in {address}")
    page.set_viewport_size({"width": 320, "height": 640})
    wide = {}
    searches = ["/partnerships/?q=" + "averyveryverylongwordwithoutanyspaces" * 3]
    for path in [*PAGES_WITH_RESULTS, *searches, "/evaluations/phase-2-evaluation/", "/accounts/login/"]:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    assert wide == {}


def test_on_a_short_page_the_footer_sits_at_the_foot_of_the_window(live_server, page, programme):
    page.set_viewport_size(DESKTOP)
    for path in ("/no-such-page/", "/accounts/login/"):
        page.goto(live_server.url + path)
        footer_bottom = page.locator(".site-footer").evaluate("footer => footer.getBoundingClientRect().bottom")
        assert footer_bottom == DESKTOP["height"], path
    # A long page is not squeezed: the footer follows the content, below the window's foot.
    page.goto(live_server.url + "/partnerships/")
    page.set_viewport_size({"width": 1280, "height": 400})
    assert page.locator(".site-footer").evaluate("footer => footer.getBoundingClientRect().top") > 400


def test_a_keyboard_user_sees_the_same_strong_focus_on_form_fields_as_on_links(live_server, page, programme):
    page.goto(live_server.url + "/partnerships/")
    for field in (page.get_by_label("Search words"), page.get_by_label("Phase", exact=True)):
        field.focus()
        style = field.evaluate("el => ((s) => [s.outlineStyle, s.outlineWidth, s.outlineColor])(getComputedStyle(el))")
        assert style == ["solid", "3px", "rgb(11, 12, 12)"]


def test_a_keyboard_user_on_a_phone_sees_a_strong_focus_on_every_control_in_turn(live_server, page, programme):
    # WCAG 2.4.7 and 1.4.11: the menu button on the dark header included, not Bootstrap's faint ring.
    page.set_viewport_size(MOBILE)
    page.emulate_media(reduced_motion="reduce")  # Bootstrap then draws the focus at once, without a transition
    for path in ["/", "/partnerships/", "/partnerships/phase-2/tynemouth/"]:
        page.goto(live_server.url + path)
        seen = []
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "(() => { const el = document.activeElement, s = getComputedStyle(el);"
                " return [el.tagName, el.className, el.textContent.trim().slice(0, 30), s.outlineStyle, s.outlineWidth,"
                " s.boxShadow]; })()"
            )
            if focused[0] == "BODY" or focused in seen:
                break
            seen.append(focused)
        weak = [f for f in seen if f[3] != "solid" or f[4] != "3px" or "255, 221, 0" not in f[5]]
        assert any("navbar-toggler" in f[1] for f in seen), seen
        assert weak == [], f"{path}: controls with a weak focus: {weak}"


def test_on_a_phone_escape_closes_the_menu_and_puts_the_keyboard_back_on_its_button(live_server, page, programme):
    page.set_viewport_size(MOBILE)
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.url + "/")
    # Named for what it is, its state said by aria-expanded: a name that said "Show" would be read
    # out as "Show the menu, expanded" while the menu is open.
    button = page.get_by_role("button", name="Menu", exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Institutions")).to_be_visible()
    page.get_by_role("link", name="Institutions").focus()

    page.keyboard.press("Escape")

    expect(page.get_by_role("link", name="Institutions")).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
