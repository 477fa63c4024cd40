"""The whole evaluation journey in a real browser, and the evaluator pages under axe-core."""

import pytest
from playwright.sync_api import expect

from evaluations.models import Evaluation, EvaluationDocument
from partnerships.models import Outcome, Partnership
from tests import factories
from tests.browser.conftest import MOBILE, assert_accessible, screenshot, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def assignment(programme, evaluator):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    evaluation = factories.evaluation(partnership=tynemouth, title="Healthy Tynemouth evaluation")
    evaluation.evaluators.add(evaluator)
    return evaluation


def test_from_first_finding_to_publication(live_server, browser, assignment, officer):
    eve = browser.new_context().new_page()
    sign_in(eve, live_server, "eve", PASSWORD)
    assert eve.url.endswith("/evaluator/")
    eve.get_by_role("link", name="Healthy Tynemouth evaluation").click()

    eve.get_by_role("link", name="Add a finding").click()
    eve.get_by_label("Kind").select_option("achievement")
    eve.get_by_label("Finding").fill("Young people took up sport in every school.")
    assert eve.locator("label[for=id_kind]").inner_text() == "Kind"  # required fields are not marked
    assert eve.get_by_label("Tynemouth – Phase 2").count() == 0  # the evaluation is of Tynemouth alone
    eve.get_by_role("button", name="Save the finding").click()
    assert eve.get_by_text("The finding is added.").is_visible()
    eve.get_by_role("link", name="Add a finding").click()
    eve.get_by_label("Kind").select_option("challenge")
    eve.get_by_label("Finding").fill("Sharing data between partners took months.")
    eve.get_by_label("Where the evidence comes from").select_option("self-reported")
    eve.get_by_role("button", name="Save the finding").click()
    eve.get_by_role("link", name="Add a finding").click()
    eve.get_by_label("Kind").select_option("achievement")
    eve.get_by_label("Finding").fill("Every school now has a sports lead.")
    eve.get_by_role("button", name="Save the finding").click()
    eve.get_by_role("button", name="Move up achievement 2").click()  # a plain form post: no JavaScript needed
    achievements = eve.get_by_role("region", name="Achievements")
    assert achievements.locator(".finding-editor > li").first.get_by_text("Every school now has").is_visible()
    assert eve.get_by_role("region", name="Challenge").get_by_text("Sharing data between partners").is_visible()
    screenshot(eve, "evaluator-workspace-two-findings")
    eve.get_by_role("link", name="Check and submit").click()
    assert eve.get_by_text("2 achievements", exact=True).is_visible()
    assert eve.get_by_text("1 challenge", exact=True).is_visible()
    eve.get_by_role("button", name="Submit the evaluation").click()
    assert eve.get_by_text("the evaluation is submitted").is_visible()

    olivia = browser.new_context().new_page()
    sign_in(olivia, live_server, "olivia", PASSWORD)
    olivia.get_by_role("link", name="Healthy Tynemouth evaluation").click()
    olivia.get_by_label("Comments for the evaluators").fill("Say which schools, please.")
    olivia.get_by_role("button", name="Return with comments").click()
    assert olivia.get_by_text("returned to its evaluators").is_visible()

    eve.goto(f"{live_server.url}/evaluator/{assignment.pk}/")
    assert eve.get_by_text("Say which schools, please.").is_visible()
    eve.get_by_role("link", name="Edit achievement 2").click()
    eve.get_by_label("Finding").fill("Young people took up sport in all 12 secondary schools.")
    eve.get_by_role("button", name="Save the finding").click()
    eve.get_by_role("link", name="Check and submit").click()
    eve.get_by_role("button", name="Submit the evaluation").click()

    olivia.goto(f"{live_server.url}/evaluator/{assignment.pk}/review/")
    olivia.get_by_role("button", name="Accept and publish").click()
    expect(olivia.get_by_role("heading", name="Publish “Healthy Tynemouth evaluation”?")).to_be_visible()
    assert_accessible(olivia)
    olivia.get_by_role("button", name="Yes, publish it").click()
    assert olivia.get_by_text("The evaluation is published.").is_visible()

    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/partnerships/phase-2/tynemouth/")
    assert public.get_by_text("Young people took up sport in all 12 secondary schools.").is_visible()
    assignment.refresh_from_db()
    assert assignment.status == Evaluation.Status.PUBLISHED
    assert list(assignment.events.values_list("action", "by__username")) == [
        ("submitted", "eve"),
        ("returned", "olivia"),
        ("submitted", "eve"),
        ("published", "olivia"),
    ]


def test_the_evaluator_pages_meet_wcag_including_a_form_with_errors(live_server, page, assignment, officer):
    factories.finding(assignment, text="Partners met every month.")
    notes = EvaluationDocument.objects.create(evaluation=assignment, title="Notes", url="https://example.org/notes")
    scale_ups = Outcome.objects.create(
        partnership=assignment.partnership,
        description="More firms scale up.",
        indicator=Outcome.Indicator.NUMERIC,
        target=100,
        unit="scale companies",
        position=1,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    screenshot(page, "login")
    page.get_by_role("button", name="Sign in").click()  # empty: shows errors
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page)

    sign_in(page, live_server, "eve", PASSWORD)
    for path, name in [
        ("/evaluator/", "evaluator-dashboard"),
        (f"/evaluator/{assignment.pk}/", "evaluator-workspace"),
        (f"/evaluator/{assignment.pk}/progress/", "evaluator-progress"),
        (f"/evaluator/{assignment.pk}/documents/add/", "evaluator-document"),
        (f"/evaluator/{assignment.pk}/documents/{notes.pk}/edit/", "evaluator-document-change"),
        (f"/evaluator/{assignment.pk}/documents/{notes.pk}/delete/", "evaluator-document-remove"),
        (f"/evaluator/{assignment.pk}/submit/", "evaluator-check-and-submit"),
        (f"/evaluator/{assignment.pk}/findings/add/", "evaluator-finding"),
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
        screenshot(page, name)
        # On a 320-pixel screen nothing is off to the side, not even inside a scrolling table.
        page.set_viewport_size({"width": 320, "height": 640})
        overflowing = page.evaluate(
            "[document.documentElement, ...document.querySelectorAll('.table-responsive')]"
            ".filter(el => el.scrollWidth > el.clientWidth).map(el => el.className || el.tagName)"
        )
        assert overflowing == [], path
        page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Finding").fill("   ")
    page.get_by_role("button", name="Save the finding").click()
    assert page.get_by_text("There is a problem").is_visible()
    page.get_by_role("link", name="Finding: Write the finding before saving it.").click()
    assert page.evaluate("document.activeElement.id") == "id_text"
    assert_accessible(page)
    screenshot(page, "evaluator-finding-errors")

    page.goto(f"{live_server.url}/evaluator/{assignment.pk}/progress/")
    page.locator(f"#id_status_{scale_ups.pk}").select_option("in-progress")
    page.get_by_label("Figure reached (optional)").fill("about seventy")
    page.get_by_role("button", name="Save progress").click()
    error = "Figure reached on “More firms scale up.”: Enter the figure reached as a number"
    page.get_by_role("link", name=error).click()
    assert page.evaluate("document.activeElement.id") == f"id_value_{scale_ups.pk}"
    assert_accessible(page)
    screenshot(page, "evaluator-progress-errors")

    assignment.status = Evaluation.Status.SUBMITTED
    assignment.save()
    page.context.clear_cookies()
    sign_in(page, live_server, "olivia", PASSWORD)
    assert page.get_by_role("heading", name="Waiting for your review").is_visible()
    assert_accessible(page)
    screenshot(page, "officer-dashboard")
    page.goto(f"{live_server.url}/accounts/password_change/")
    page.get_by_role("button", name="Change the password").click()  # empty: shows errors
    assert page.get_by_text("There is a problem").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_accessible(page)
    page.goto(f"{live_server.url}/evaluator/{assignment.pk}/review/")
    assert_accessible(page)
    screenshot(page, "officer-review")
    page.get_by_role("button", name="Return with comments").click()
    assert page.get_by_text("Say what needs to change").first.is_visible()
    assert_accessible(page)
    screenshot(page, "officer-review-errors")


def test_an_evaluator_is_asked_before_leaving_a_summary_not_yet_saved(live_server, page, assignment):
    sign_in(page, live_server, "eve", PASSWORD)
    page.goto(f"{live_server.url}/evaluator/{assignment.pk}/")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", stay)
    summary = page.get_by_role("textbox", name="Summary of the evaluation")
    summary.click()
    summary.press_sequentially("Partners met monthly")
    page.get_by_role("link", name="Add a finding").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url.endswith(f"/evaluator/{assignment.pk}/")
    assert summary.input_value() == "Partners met monthly"

    page.remove_listener("dialog", stay)
    page.get_by_role("button", name="Save the summary").click()  # saving needs no question
    page.wait_for_load_state()
    assert Evaluation.objects.get(pk=assignment.pk).summary == "Partners met monthly"
    page.get_by_role("link", name="Add a finding").click()  # nothing unsaved now: no question
    page.wait_for_url(f"**/evaluator/{assignment.pk}/findings/add/")


def test_a_refused_finding_shown_again_is_not_left_without_a_question(live_server, page, assignment):
    # What the portal refused (here, over 2,000 characters) is not saved: leaving would lose it.
    sign_in(page, live_server, "eve", PASSWORD)
    page.goto(f"{live_server.url}/evaluator/{assignment.pk}/findings/add/")
    page.get_by_label("Kind").select_option("lesson")
    page.get_by_label("Finding").fill("Partners met. " * 200)
    page.get_by_role("button", name="Save the finding").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_label("Finding").click()  # the visitor's own gesture, which a browser needs before it asks
    page.get_by_role("link", name="Your evaluations").first.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert "/findings/add/" in page.url


def test_link_styled_buttons_take_the_portals_link_colour_not_bootstraps_blue(live_server, page, assignment):
    factories.finding(assignment, text="Partners met every month.")
    sign_in(page, live_server, "eve", PASSWORD)
    page.goto(f"{live_server.url}/evaluator/{assignment.pk}/submit/")
    not_yet = page.get_by_role("link", name="Not yet: back to the workspace")
    assert not_yet.evaluate("el => getComputedStyle(el).color") == "rgb(18, 67, 109)"


def test_a_form_pressed_twice_is_sent_once(live_server, page, assignment):
    sign_in(page, live_server, "eve", PASSWORD)
    page.goto(f"{live_server.url}/evaluator/{assignment.pk}/findings/add/")
    # Each submission as the page's own script left it (stopped or not), then held back here so
    # that the page stays to be asked again.
    stopped = page.evaluate(
        """() => {
            const seen = [];
            window.addEventListener("submit", (event) => {
                seen.push(event.defaultPrevented);
                event.preventDefault();
            });
            const form = document.querySelector("form[data-warn-unsaved]");
            form.requestSubmit();
            form.requestSubmit();
            return seen;
        }"""
    )
    assert stopped == [False, True]


def test_after_moving_a_finding_eve_reads_the_confirmation_in_its_card_which_has_the_focus(
    live_server, page, assignment
):
    first = factories.finding(assignment, text="Partners met every month.")
    factories.finding(assignment, text="A shared plan was written.")
    sign_in(page, live_server, "eve", PASSWORD)
    page.goto(f"{live_server.url}/evaluator/{assignment.pk}/")
    page.get_by_role("button", name="Move down achievement 1").click()
    card = page.locator(f"#finding-{first.pk}")
    expect(card.get_by_role("status")).to_have_text("Finding moved down: it is now number 2 of the achievements.")
    assert page.evaluate("document.activeElement.id") == f"finding-{first.pk}"
    assert page.locator(".messages [data-about]").count() == 0  # not also at the top
    assert_accessible(page)


def test_after_editing_a_finding_far_down_eve_is_back_at_it_with_the_focus_on_its_card(live_server, page, assignment):
    for number in range(8):
        factories.finding(assignment, text=f"Finding number {number}.")
    last = assignment.findings.order_by("position").last()
    sign_in(page, live_server, "eve", PASSWORD)
    page.set_viewport_size(MOBILE)
    page.goto(f"{live_server.url}/evaluator/{assignment.pk}/")
    page.get_by_role("link", name="Edit achievement 8").click()
    page.get_by_label("Finding").fill("The last finding, corrected.")
    page.get_by_role("button", name="Save the finding").click()

    card = page.locator(f"#finding-{last.pk}")
    expect(card.get_by_role("status")).to_have_text("The finding is saved.")
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
