"""The back office works in a real browser under the strict Content-Security-Policy."""

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Evaluation
from partnerships.models import Partnership
from tests.browser.conftest import assert_accessible, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _watch_csp(page):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    return violations


def _sign_in_to_admin(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_officer_uses_the_admin_with_no_csp_violations(live_server, page, leading_places, officer):
    violations = _watch_csp(page)
    _sign_in_to_admin(page, live_server)
    tees = Partnership.objects.get(slug="tees-valley")
    for path, name in [
        ("/admin/", "admin-index"),
        ("/admin/partnerships/partnership/", "admin-changelist"),
        (f"/admin/partnerships/partnership/{tees.pk}/change/", "admin-change-form"),
        (f"/admin/evaluations/evaluation/{Evaluation.objects.get().pk}/change/", "admin-evaluation"),
        ("/admin/partnerships/partnership/export/", None),
        (f"/admin/partnerships/partnership/{tees.pk}/history/", None),
        ("/admin/partnerships/partnership/add/", None),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        if name:
            screenshot(page, name)
    # A title's box is wide enough for about 80 characters (40em and its padding), not Django's 20em.
    width = page.locator("#id_title").evaluate(
        "el => el.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize)"
    )
    assert 40 <= width < 42
    # The admin's own scripts run under the policy: the slug fills itself in from the title.
    page.locator("#id_title").fill("A new partnership")
    page.locator("#id_title").blur()
    assert page.locator("#id_slug").input_value() == "a-new-partnership"
    assert violations == []


def test_an_officer_clears_and_ticks_every_export_field_at_once(live_server, page, leading_places, officer):
    violations = _watch_csp(page)
    _sign_in_to_admin(page, live_server)
    page.goto(f"{live_server.url}/admin/partnerships/partnership/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 5
    page.get_by_label("Select all").uncheck()
    assert [fields.nth(i).is_checked() for i in range(fields.count())] == [False] * fields.count()
    page.get_by_label("Select all").check()
    assert [fields.nth(i).is_checked() for i in range(fields.count())] == [True] * fields.count()
    assert violations == []


def test_an_officer_is_asked_before_unpublishing_and_can_back_out(live_server, page, leading_places, officer):
    violations = _watch_csp(page)
    _sign_in_to_admin(page, live_server)
    page.goto(f"{live_server.url}/admin/partnerships/partnership/?q=Tees")
    page.get_by_label("Select this object for an action - Tees Valley").check()
    page.get_by_label("Action:").select_option("unpublish")
    page.get_by_role("button", name="Go").click()

    assert page.get_by_role("heading", name="Unpublish these partnerships?").is_visible()
    assert_accessible(page)
    screenshot(page, "admin-confirm-unpublish")
    page.get_by_role("link", name="No, take me back").click()
    assert page.url.endswith("/admin/partnerships/partnership/?q=Tees")
    assert Partnership.objects.get(slug="tees-valley").is_published

    page.get_by_label("Select this object for an action - Tees Valley").check()
    page.get_by_label("Action:").select_option("unpublish")
    page.get_by_role("button", name="Go").click()
    page.get_by_role("button", name="Yes, unpublish").click()
    expect(page.get_by_text("1 partnership unpublished.")).to_be_visible()
    assert not Partnership.objects.get(slug="tees-valley").is_published
    assert violations == []


def test_the_admin_changelist_and_change_form_meet_wcag(live_server, page, leading_places, officer):
    _sign_in_to_admin(page, live_server)
    tees = Partnership.objects.get(slug="tees-valley")
    evaluation = Evaluation.objects.get()
    for path in (
        "/admin/",
        "/admin/partnerships/partnership/",
        f"/admin/partnerships/partnership/{tees.pk}/change/",
        f"/admin/evaluations/evaluation/{evaluation.pk}/change/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_an_officer_finds_a_partnership_by_typing_in_a_named_autocomplete(live_server, page, leading_places, officer):
    _sign_in_to_admin(page, live_server)
    evaluation = Evaluation.objects.get()
    page.goto(f"{live_server.url}/admin/evaluations/evaluation/{evaluation.pk}/change/")
    # The choice is reached by its field's name, as a screen reader would announce it.
    page.get_by_role("combobox", name="Partnership").first.click()
    page.locator(".select2-dropdown").get_by_role("searchbox", name="Partnership").fill("Bedf")
    page.get_by_role("option", name="Bedford – Phase 2").click()
    assert page.locator("#select2-id_partnership-container").inner_text().endswith("Bedford – Phase 2")
    assert page.get_by_role("combobox", name="Partnership").first.get_attribute("aria-label") == "Partnership"


def test_an_officer_choosing_partnerships_looked_at_in_detail_is_offered_only_the_evaluations_phase(
    live_server, page, leading_places, officer
):
    _sign_in_to_admin(page, live_server)
    evaluation = Evaluation.objects.get(slug="phase-2-evaluation")
    assert Partnership.objects.filter(place__name="Newcastle").count() == 2  # one in each phase
    page.goto(f"{live_server.url}/admin/evaluations/evaluation/{evaluation.pk}/change/")

    page.get_by_role("searchbox", name="Partnerships looked at in detail").fill("Newc")

    expect(page.get_by_role("option", name="Newcastle – Phase 2")).to_be_visible()
    expect(page.get_by_role("option", name="Newcastle – Phase 1")).to_have_count(0)


def test_every_back_office_list_and_form_meets_wcag(live_server, page, leading_places, officer):
    from evaluations.models import EvaluationDocument, OutcomeProgress
    from partnerships.models import Document, Institution, Outcome
    from tests.admin.test_admin_smoke import MODELS, _url

    # A record of every kind, so that each form shows its inlines with rows in them.
    evaluation = Evaluation.objects.get()
    tees = Partnership.objects.get(slug="tees-valley")
    Document.objects.create(title="Slides", url="https://example.org/slides", partnership=tees)
    EvaluationDocument.objects.create(title="Notes", url="https://example.org/notes", evaluation=evaluation)
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=Outcome.objects.filter(partnership=tees).first())
    with_rows = {Institution: Institution.objects.filter(memberships__isnull=False).order_by("pk").first()}
    _sign_in_to_admin(page, live_server)
    failures = []
    for model in MODELS:
        first = with_rows.get(model) or model.objects.order_by("pk").first()
        paths = [_url(model, "changelist"), _url(model, "add")]
        if first is not None:
            paths.append(_url(model, "change", first.pk))
        for path in paths:
            page.goto(live_server.url + path)
            try:
                assert_accessible(page)
            except AssertionError as error:
                failures.append(str(error))
    assert not failures, "\n\n".join(failures)


def test_on_a_phone_a_history_table_scrolls_in_its_own_region(live_server, page, leading_places, officer):
    tees = Partnership.objects.get(slug="tees-valley")
    tees.title = "Tees Valley, renamed"
    tees.save()
    _sign_in_to_admin(page, live_server)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/admin/partnerships/partnership/{tees.pk}/history/")
    region = page.get_by_role("region", name="Versions")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls, not the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    changes = page.locator("#change-history th", has_text="Changes")
    assert changes.bounding_box()["width"] > 100  # not squeezed to a letter a line
    comment = page.locator("#change-history td", has_text="Changed").first
    lines = comment.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el); "
        "return new Set([...r.getClientRects()].map((rect) => rect.top)).size; }"
    )
    assert lines == 1  # "Changed" in one piece
    assert_accessible(page)
    screenshot(page, "admin-history")


def test_every_back_office_history_delete_import_and_export_page_meets_wcag(live_server, page, leading_places, officer):
    from import_export.admin import ImportExportMixin

    from tests.admin.test_admin_smoke import MODELS, _url

    tees = Partnership.objects.get(slug="tees-valley")
    tees.title = "Tees Valley, renamed"
    tees.save()  # so that its history has two versions to compare
    _sign_in_to_admin(page, live_server)
    paths = ["/admin/password_change/"]
    paths.append(
        reverse(
            "admin:partnerships_partnership_simple_history",
            args=[tees.pk, tees.history.order_by("history_id").first().history_id],
        )
    )
    for model in MODELS:
        first = model.objects.order_by("pk").first()
        if first is not None:
            paths += [_url(model, "history", first.pk), _url(model, "delete", first.pk)]
        if isinstance(admin.site._registry[model], ImportExportMixin):
            paths += [_url(model, "import"), _url(model, "export")]
    failures = []
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


def test_on_a_laptop_every_column_of_the_partnership_list_shows_beside_the_filters(
    live_server, page, leading_places, officer
):
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in_to_admin(page, live_server)
    page.goto(f"{live_server.url}/admin/partnerships/partnership/")
    table = page.locator("#result_list")
    overflow = table.evaluate("el => el.scrollWidth - el.closest('.results').clientWidth")
    assert overflow <= 0, f"the list is {overflow}px wider than its space, so its last columns are cut off"
    for heading in ("Place", "Title", "Phase", "Region", "Status", "Stage"):
        assert table.get_by_role("columnheader", name=heading).is_visible()


@pytest.mark.parametrize("path", ["/admin/partnerships/place/add/", "/admin/partnerships/partnership/add/"])
def test_an_officer_sent_back_with_errors_starts_at_their_list_and_its_link_takes_her_to_the_box(
    live_server, page, leading_places, officer, path
):
    _sign_in_to_admin(page, live_server)
    page.goto(live_server.url + path)
    page.locator("input[name=_save]").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)
    first = summary.get_by_role("link").first
    target = first.get_attribute("href")
    first.click()
    expect(page.locator(target)).to_be_focused()


def test_an_officer_following_the_link_to_an_unchosen_place_lands_on_the_box_she_types_into(
    live_server, page, leading_places, officer
):
    # The place is chosen in an autocomplete box, which hides the list it fills in; the link names
    # that list, and the box takes the focus it is given.
    _sign_in_to_admin(page, live_server)
    page.goto(f"{live_server.url}/admin/partnerships/partnership/add/")
    page.locator("input[name=_save]").click()

    page.locator("#error-summary").get_by_role("link", name="Place: Choose the place.").click()

    expect(page.locator(".field-place .select2-selection")).to_be_focused()


def test_olivia_checks_a_file_of_partnerships_reads_what_it_would_change_and_confirms_it(
    live_server, page, leading_places, officer, tmp_path
):
    from partnerships.resources import PartnershipResource
    from tests.admin.test_import_export import _as_dataset

    dataset = PartnershipResource().export()
    rows = dataset.dict
    rows[0]["title"] = "A title corrected from the file"
    upload = tmp_path / "partnerships.csv"
    upload.write_text(_as_dataset(rows, dataset.headers).export("csv"))
    _sign_in_to_admin(page, live_server)
    page.goto(f"{live_server.url}/admin/partnerships/partnership/import/")
    page.get_by_label("File to import").set_input_files(upload)
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_text(f"0 new, 1 changed, and {len(rows) - 1} the same as saved")).to_be_visible()
    assert page.get_by_role("region", name="New and changed rows").locator("tbody tr").count() == 1
    assert_accessible(page)
    screenshot(page, "admin-import-check")
    page.get_by_role("button", name="Confirm the import").last.click()

    expect(page.get_by_text("Import finished: 0 new, 1 changed")).to_be_visible()
    assert Partnership.objects.filter(title="A title corrected from the file").count() == 1
