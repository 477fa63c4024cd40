"""The public pages show published records to everyone, drafts to staff only, and 404 for the rest."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from evaluations import public_views
from evaluations.models import Evaluation, Finding, OutcomeProgress
from partnerships.models import Institution, Membership, Outcome, Partnership, Phase, PhaseBody
from tests import factories

pytestmark = pytest.mark.django_db


def _draft():
    return Partnership.objects.get(title="Secret draft partnership")


def test_the_home_page_shows_the_programme_its_phases_themes_latest_evaluation_and_a_search_box(anonymous, programme):
    response = anonymous.get("/")
    assert response.status_code == 200
    text = response.text
    assert 'href="/phases/phase-1/"' in text and 'href="/phases/phase-2/"' in text
    assert "<strong>2</strong> partnerships" in text  # Phase 2 has two published (and one draft)
    assert 'href="/themes/skills/"' in text
    # A theme's count is read out as what it counts, not as a bare number after its name.
    assert re.search(
        r'href="/themes/skills/">Skills</a> <span class="count">\d+<span class="visually-hidden"> '
        r"partnerships?</span>",
        text,
    )
    assert "Phase 2 evaluation" in text
    assert 'name="q"' in text and 'action="/partnerships/"' in text
    # Terms a visitor may not know are said in full.
    assert "Higher Education Funding Council for England (HEFCE" in text
    assert "anchor institutions (large organisations rooted in their area)" in text


def test_the_home_pages_title_names_the_site_once(anonymous, leading_places):
    assert (
        "<title>Councils and universities tackling local challenges together – Leading Places</title>"
        in anonymous.get("/").text
    )


def test_a_visitor_can_browse_every_real_partnership_from_the_home_page(anonymous, leading_places):
    home = anonymous.get("/").text
    assert "<strong>6</strong> partnerships" in home and "<strong>15</strong> partnerships" in home
    seen = set()
    for phase in ("phase-1", "phase-2"):
        assert f'href="/phases/{phase}/"' in home
        phase_page = anonymous.get(f"/phases/{phase}/").text
        for partnership in Partnership.objects.filter(phase__slug=phase):
            assert partnership.get_absolute_url() in phase_page
            assert anonymous.get(partnership.get_absolute_url()).status_code == 200
            seen.add(partnership.pk)
    assert len(seen) == 21


def test_a_phase_page_shows_its_dates_bodies_partnerships_and_published_evaluation(anonymous, programme):
    phase = Phase.objects.get(slug="phase-2")
    evaluator = factories.institution(name="Evaluation Unit", kind=Institution.Kind.NATIONAL_BODY)
    PhaseBody.objects.create(phase=phase, institution=evaluator, role=PhaseBody.Role.EVALUATOR, note="Dr A. Person")
    factories.evaluation(phase=phase, title="Unpublished second look")
    text = anonymous.get("/phases/phase-2/").text
    assert "1 July 2017 to 31 March 2018" in text
    assert "Evaluation Unit" in text and "Dr A. Person" in text
    assert "Healthy Tynemouth" in text and "Wearside skills strategy" in text
    assert "Secret draft" not in text
    assert "Phase 2 evaluation" in text and "Unpublished second look" not in text


def test_an_unknown_phase_is_a_404(anonymous, programme):
    assert anonymous.get("/phases/phase-9/").status_code == 404


def test_a_partnership_page_shows_its_place_partners_by_role_challenge_and_outcomes(anonymous, programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    partnership.why_chosen = "Because the council asked."
    partnership.save()
    response = anonymous.get("/partnerships/phase-2/tynemouth/")
    assert response.status_code == 200
    text = response.text
    assert "Tynemouth" in text and "Phase 2" in text and 'href="/themes/health-and-wellbeing/"' in text
    assert "Lead partner</h3>" in text and "Partners</h3>" in text
    assert 'href="/institutions/tynemouth-city-council/"' in text
    assert "Inactivity is rising." in text and "Fewer people inactive" in text
    assert "Because the council asked." in text
    assert "Preview: not published" not in text


def test_a_visitor_reads_how_each_outcome_is_measured_in_plain_words(anonymous, programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    partnership.outcomes.update(indicator=Outcome.Indicator.QUALITATIVE)
    Outcome.objects.create(
        partnership=partnership,
        description="More people walk.",
        indicator="numeric",
        baseline=10,
        target=20,
        unit="walking groups",
    )

    text = anonymous.get("/partnerships/phase-2/tynemouth/").text

    assert "Progress described in words, not measured in figures" in text
    assert "Target: from 10 to 20 walking groups" in text
    assert "Indicator" not in text


def test_a_partnership_page_links_to_the_same_place_in_other_phases(anonymous, programme):
    text = anonymous.get("/partnerships/phase-2/tynemouth/").text
    assert 'href="/partnerships/phase-1/tynemouth/"' in text
    assert "Tynemouth in other phases" not in anonymous.get("/partnerships/phase-2/wearside/").text


def test_a_partnership_page_says_when_its_phase_evaluation_made_no_finding_about_it_alone(anonymous, leading_places):
    blackburn = anonymous.get("/partnerships/phase-2/blackburn-with-darwen/").text
    assert (
        'The <a href="/evaluations/phase-2-evaluation/">Evaluation of Leading Places Phase 2 Programme</a> looked at '
        "the phase as a whole, and made no findings about this partnership on its own." in blackburn
    )
    assert blackburn.count('href="/evaluations/phase-2-evaluation/"') == 1
    # Phase 1's evaluation is not published here, so there is nothing to point to.
    newcastle = anonymous.get("/partnerships/phase-1/newcastle/").text
    assert "No published evaluation findings concern this partnership yet." in newcastle
    assert "across the whole phase" not in newcastle


def test_a_partnership_page_shows_only_published_findings_that_concern_it(anonymous, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    phase_evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    factories.finding(
        phase_evaluation, text="Tynemouth got everyone moving.", kind=Finding.Kind.ACHIEVEMENT
    ).partnerships.add(tynemouth)
    factories.finding(phase_evaluation, text="Wearside found it hard.", kind=Finding.Kind.CHALLENGE).partnerships.add(
        Partnership.objects.get(title="Wearside skills strategy")
    )
    own = factories.evaluation(partnership=tynemouth, title="Tynemouth review", status=Evaluation.Status.PUBLISHED)
    factories.finding(own, kind=Finding.Kind.LESSON, text="Start with the data.")
    draft = factories.evaluation(partnership=tynemouth, title="Tynemouth draft review")
    factories.finding(draft, text="Not ready to say.")

    text = anonymous.get("/partnerships/phase-2/tynemouth/").text
    assert "Tynemouth got everyone moving." in text and "Start with the data." in text
    assert text.index("Tynemouth got everyone moving.") < text.index("Start with the data.")  # achievements first
    assert "Wearside found it hard." not in text and "Not ready to say." not in text
    assert "Partners built lasting relationships." not in text  # a phase finding that names nobody
    assert 'href="/evaluations/phase-2-evaluation/"' in text


def test_a_partnership_page_gives_one_clear_account_of_progress_on_each_outcome(anonymous, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    outcome = tynemouth.outcomes.get()
    page = "/partnerships/phase-2/tynemouth/"
    assert "Progress: not yet assessed" in anonymous.get(page).text

    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    OutcomeProgress.objects.create(
        evaluation=evaluation, outcome=outcome, status=Outcome.Progress.IN_PROGRESS, evidence_note="Board minutes"
    )
    text = anonymous.get(page).text
    assert "not yet assessed" not in text
    assert evaluation.published_at is None  # so the page gives no date
    assert (
        'Progress found by the <a href="/evaluations/phase-2-evaluation/">Phase 2 evaluation</a>: in progress. '
        "Board minutes" in text
    )

    outcome.progress = Outcome.Progress.ACHIEVED
    outcome.save()
    text = anonymous.get(page).text
    assert "Progress reported by the programme: achieved" in text and "Progress found by the" in text


def test_two_evaluations_findings_on_one_outcome_are_dated_and_the_latest_comes_last(anonymous, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    outcome = tynemouth.outcomes.get()
    outcome.indicator, outcome.baseline, outcome.target, outcome.unit = Outcome.Indicator.NUMERIC, 100, 200, "people"
    outcome.save()
    phase_evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    phase_evaluation.published_at = timezone.now() - timedelta(days=400)
    phase_evaluation.save()
    later = factories.evaluation(partnership=tynemouth, title="Tynemouth follow-up evaluation")
    later.status, later.published_at = Evaluation.Status.PUBLISHED, timezone.now() - timedelta(days=10)
    later.save()
    # Recorded in the other order from their publication.
    OutcomeProgress.objects.create(evaluation=later, outcome=outcome, status="achieved", value_reached=210)
    OutcomeProgress.objects.create(
        evaluation=phase_evaluation, outcome=outcome, status="in-progress", value_reached=140
    )

    text = anonymous.get(tynemouth.get_absolute_url()).text

    def published(evaluation):
        return date_format(timezone.localtime(evaluation.published_at), "j F Y")

    earlier_words = (
        f"(published {published(phase_evaluation)}): in progress, 140 people reached, against a target of 200 from "
        "a baseline of 100"
    )
    later_words = f"(published {published(later)}): achieved, 210 people reached"
    assert earlier_words in text and later_words in text
    assert text.index(earlier_words) < text.index(later_words)


def test_a_member_of_the_public_gets_a_404_for_a_draft_partnership(anonymous, programme):
    assert anonymous.get("/partnerships/phase-2/hidden-vale/").status_code == 404


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/partnerships/phase-2/tynemuth/", "/partnerships/phase-2/tynemouth/"),  # a slip of the keys
        ("/partnerships/phase-9/wearside/", "/partnerships/phase-2/wearside/"),  # the wrong phase
    ],
)
def test_a_visitor_who_mistypes_a_partnerships_address_is_offered_the_nearest(anonymous, programme, typed, meant):
    with CaptureQueriesContext(connection) as few:
        response = anonymous.get(typed)
    phase_2 = Partnership.objects.get(slug="wearside").phase
    for _ in range(20):
        factories.partnership(phase=phase_2)
    with CaptureQueriesContext(connection) as many:
        assert anonymous.get(typed).status_code == 404

    assert len(many) == len(few)  # the same queries however many partnerships the phase has
    assert response.status_code == 404
    assert f'Did you mean <a href="{meant}">{meant}</a>?' in response.text
    assert "browse every partnership" in response.text


def test_a_mistyped_address_never_points_a_visitor_to_a_draft_or_to_nothing_alike(anonymous, programme):
    assert _draft().slug == "hidden-vale"
    for typed in ("/partnerships/phase-2/hidden-vail/", "/partnerships/phase-2/xylophone/"):
        response = anonymous.get(typed)
        assert response.status_code == 404 and "Did you mean" not in response.text


def test_an_evaluator_who_is_not_staff_gets_a_404_for_a_draft_partnership(evaluator_client, programme):
    assert evaluator_client.get("/partnerships/phase-2/hidden-vale/").status_code == 404


def test_an_officer_previews_a_draft_partnership_with_a_clear_banner(officer_client, programme):
    response = officer_client.get("/partnerships/phase-2/hidden-vale/")
    assert response.status_code == 200
    assert "Preview: not published" in response.text
    assert "Secret draft partnership" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/partnerships/phase-2/no-such-place/",
        "/partnerships/phase-9/tynemouth/",
        "/institutions/no-such-institution/",
        "/themes/no-such-theme/",
        "/evaluations/no-such-evaluation/",
        "/documents/999999/",
        "/documents/99999999999999999999/",
        "/phases/%F0%9F%8E%89/",
    ],
)
def test_an_unknown_address_is_a_friendly_404(anonymous, programme, path):
    response = anonymous.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_drafts_are_invisible_on_every_public_list(anonymous, programme):
    for path in ("/", "/phases/phase-2/", "/partnerships/", "/institutions/", "/themes/skills/", "/sitemap.xml"):
        text = anonymous.get(path).text
        assert "Secret draft" not in text and "hidden-vale" not in text, path


def test_an_institution_page_lists_its_published_partnerships_and_who_it_worked_with(anonymous, programme):
    text = anonymous.get("/institutions/tynemouth-college/").text
    assert "Healthy Tynemouth" in text and "Secret draft" not in text
    assert 'href="/institutions/tynemouth-city-council/"' in text
    assert 'href="/institutions/university-of-tynemouth/"' in text


def test_an_institution_only_in_draft_partnerships_is_hidden_from_the_public(anonymous, officer_client, programme):
    only_draft = factories.institution(name="Draft-only Trust", kind=Institution.Kind.NHS_TRUST)
    Membership.objects.create(partnership=_draft(), institution=only_draft)
    assert anonymous.get("/institutions/draft-only-trust/").status_code == 404
    assert "Draft-only Trust" not in anonymous.get("/institutions/").text
    assert "Draft-only Trust" not in anonymous.get("/institutions/tynemouth-college/").text  # not a "worked with"
    preview = officer_client.get("/institutions/draft-only-trust/")
    assert preview.status_code == 200 and "Preview: not published" in preview.text


def test_an_institution_that_only_ran_a_phase_has_a_public_page(anonymous, programme):
    funder = factories.institution(name="A Funding Council", kind=Institution.Kind.NATIONAL_BODY)
    PhaseBody.objects.create(phase=Phase.objects.get(slug="phase-1"), institution=funder, role=PhaseBody.Role.FUNDER)
    response = anonymous.get("/institutions/a-funding-council/")
    assert response.status_code == 200
    assert "Funder of" in response.text and "A Funding Council" in anonymous.get("/institutions/").text


def test_the_lga_page_says_it_owns_the_programme_and_names_its_other_programmes(anonymous, leading_places):
    text = anonymous.get("/institutions/local-government-association/").text
    roles = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text.split('id="roles-heading"')[1].split("</section>")[0]))
    assert "Owner of Leading Places" in roles
    assert "Partner in Local Growth Academy" in roles  # a sister programme, which has no page of its own
    assert "Funder of Phase 2" in roles
    assert roles.index("Owner of Leading Places") < roles.index("Funder of Phase 2")
    assert '<a href="/">Leading Places</a>' in text


def test_a_national_body_in_no_partnership_lists_no_one_it_worked_with(anonymous, leading_places):
    hefce = anonymous.get("/institutions/hefce/").text
    assert "is not a partner in any published partnership" in hefce
    assert "Other organisations in" not in hefce and "No other institutions" not in hefce
    partner = anonymous.get("/institutions/bedford-borough-council/")
    assert partner.status_code == 200 and "Other organisations in its partnerships</h2>" in partner.text
    assert "Unitary council in the East of England</p>" in partner.text


@pytest.mark.parametrize(
    ("region", "named"),
    [("south-east", "the South East"), ("london", "London"), ("yorkshire-and-the-humber", "Yorkshire and The Humber")],
)
def test_an_institutions_region_reads_as_a_sentence_names_it(region, named):
    assert Institution(region=region).region_in_a_sentence == named


def test_partner_names_in_a_list_are_parted_by_semicolons_as_a_name_may_hold_a_comma(anonymous, leading_places):
    text = anonymous.get("/phases/phase-2/").text
    assert "London Borough of Lewisham; Goldsmiths, University of London; Phoenix Community Housing;" in text


def test_a_theme_page_lists_only_its_published_partnerships(anonymous, programme):
    _draft().themes.add(factories.theme(name="Hidden theme", slug="hidden-theme"))
    text = anonymous.get("/themes/skills/").text
    assert "Skills for Tynemouth" in text and "Wearside skills strategy" in text and "Healthy Tynemouth" not in text
    empty = anonymous.get("/themes/hidden-theme/")
    assert empty.status_code == 200 and "No published partnership is on this theme yet" in empty.text


def test_the_public_evaluation_page_is_served_by_public_views(anonymous, programme):
    from django.urls import resolve

    assert resolve("/evaluations/any-slug/").func is public_views.evaluation_detail
    response = anonymous.get("/evaluations/phase-2-evaluation/")
    assert response.status_code == 200 and "Extend the programme." in response.text


def _evaluation_page(user, slug):
    request = RequestFactory().get(f"/evaluations/{slug}/")
    request.user = user
    return public_views.evaluation_detail(request, slug)


def test_a_published_evaluation_shows_its_summary_and_findings_grouped_by_kind(programme):
    from django.contrib.auth.models import AnonymousUser

    evaluation = Evaluation.objects.get(slug="phase-2-evaluation")
    assigned = _user("secret.evaluator")
    evaluation.evaluators.add(assigned)
    text = _evaluation_page(AnonymousUser(), "phase-2-evaluation").content.decode()
    assert "What Phase 2 achieved." in text
    assert '<h3 id="findings-achievement"' in text and '<h3 id="findings-recommendation"' in text
    assert text.index("Partners built lasting relationships.") < text.index("Extend the programme.")
    assert assigned.username not in text and assigned.email not in text


def _user(username):
    from django.contrib.auth.models import User

    return User.objects.create_user(username=username, email=f"{username}@example.org")


def test_the_evaluation_page_shows_progress_on_outcomes_and_where_each_findings_evidence_comes_from(
    anonymous, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    outcome = tynemouth.outcomes.get()
    outcome.indicator, outcome.target, outcome.unit = Outcome.Indicator.NUMERIC, 500, "people"
    outcome.save()
    OutcomeProgress.objects.create(
        evaluation=evaluation, outcome=outcome, status="partly-achieved", value_reached=320, evidence_note="Survey."
    )
    draft_outcome = Outcome.objects.create(partnership=_draft(), description="A secret aim.", position=0)
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=draft_outcome, status="achieved")
    evaluation.findings.filter(text="Extend the programme.").update(evidence=Finding.Evidence.OBSERVED)

    page = anonymous.get(evaluation.get_absolute_url()).text

    assert '<h2 id="progress-heading">Progress on desired outcomes</h2>' in page
    assert f'<a href="{tynemouth.get_absolute_url()}">Tynemouth</a>' in page
    assert (
        '<p class="mb-1">Fewer people inactive</p>\n            <p class="outcome-assessment">Progress found: partly '
        "achieved, 320 people reached, against a target of 500. Survey.</p>" in page
    )
    assert "A secret aim." not in page and "Hidden Vale" not in page
    evidence = r'Extend the programme.\s+<span class="finding-evidence">\(Observed by the evaluator\)</span>'
    assert re.search(evidence, page)


def test_an_unpublished_evaluation_is_a_404_for_the_public_and_a_preview_for_staff(officer, programme):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    draft = factories.evaluation(phase=Phase.objects.get(slug="phase-1"), title="Phase 1 draft evaluation")
    with pytest.raises(Http404):
        _evaluation_page(AnonymousUser(), draft.slug)
    with pytest.raises(Http404):
        _evaluation_page(AnonymousUser(), str(draft.pk))
    preview = _evaluation_page(officer, draft.slug).content.decode()
    assert "Preview: not published" in preview and "Phase 1 draft evaluation" in preview


def test_every_page_has_a_title_a_description_a_canonical_link_and_breadcrumbs(anonymous, programme):
    for path in (
        "/phases/phase-2/",
        "/partnerships/",
        "/partnerships/phase-2/tynemouth/",
        "/institutions/",
        "/institutions/tynemouth-college/",
        "/themes/skills/",
        "/data/",
        "/accessibility/",
    ):
        text = anonymous.get(path).text
        assert "<title>" in text and "</title>" in text and "<title> –" not in text, path
        assert '<meta name="description" content="' in text and 'content=""' not in text, path
        assert f'<link rel="canonical" href="http://127.0.0.1:8000{path}">' in text, path
        assert 'aria-label="Breadcrumb"' in text, path


def test_the_accessibility_statement_names_the_standard_how_to_report_and_the_last_test(anonymous, db):
    text = anonymous.get("/accessibility/").text
    assert "WCAG" in text and "2.2" in text and "AA" in text
    assert "Reporting a problem" in text and "mailto:" in text
    assert "last tested on" in text
    # The sections of the GOV.UK model statement.
    for heading in ("Compliance status", "Enforcement procedure", "How we tested this website"):
        assert f"<h2>{heading}</h2>" in text


def test_the_sitemap_lists_public_pages_on_the_public_address(anonymous, programme):
    text = anonymous.get("/sitemap.xml").text
    assert "<loc>http://127.0.0.1:8000/partnerships/phase-2/tynemouth/</loc>" in text
    assert "<loc>http://127.0.0.1:8000/phases/phase-1/</loc>" in text
    assert "<loc>http://127.0.0.1:8000/evaluations/phase-2-evaluation/</loc>" in text
    assert "/institutions/tynemouth-college/" in text


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_areas(anonymous, db):
    response = anonymous.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_the_500_page_is_static_and_needs_no_database_or_context():
    from pathlib import Path

    from django.template import Context, Template

    source = (Path(__file__).resolve().parents[2] / "templates" / "500.html").read_text()
    assert "{%" not in source and "{{" not in source
    assert "Sorry, there is a problem with the service" in Template(source).render(Context())


def test_public_pages_carry_no_inline_scripts_styles_or_handlers(anonymous, programme):
    import re

    for path in ("/", "/partnerships/", "/partnerships/phase-2/tynemouth/", "/institutions/", "/data/"):
        text = anonymous.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert " style=" not in text and not re.search(r"\son[a-z]+=", text), path


def test_a_web_address_in_a_finding_is_a_link_and_its_text_stays_escaped(anonymous, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    phase_evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    text = "See https://example.org/report.pdf <b>now</b>\nand the annex."
    factories.finding(phase_evaluation, text=text).partnerships.add(tynemouth)

    for page in ("/partnerships/phase-2/tynemouth/", "/evaluations/phase-2-evaluation/"):
        html = anonymous.get(page).text
        assert '<a href="https://example.org/report.pdf" rel="nofollow">https://example.org/report.pdf</a>' in html
        assert "&lt;b&gt;now&lt;/b&gt;<br>and the annex." in html


def test_pages_name_the_portals_own_icon_so_browsers_do_not_ask_for_a_missing_one(anonymous, programme):
    from django.contrib.staticfiles import finders

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in anonymous.get("/").text
    assert finders.find("favicon.svg")


def test_each_page_of_the_partnership_list_is_its_own_canonical_page(anonymous, leading_places):
    for _ in range(10):  # 31 in all: two pages
        factories.partnership(phase=Partnership.objects.first().phase)
    assert '<link rel="canonical" href="http://127.0.0.1:8000/partnerships/">' in anonymous.get("/partnerships/").text
    second = anonymous.get("/partnerships/", {"page": 2}).text
    assert '<link rel="canonical" href="http://127.0.0.1:8000/partnerships/?page=2">' in second
    filtered = anonymous.get("/partnerships/", {"phase": "phase-2", "page": 1}).text
    assert '<link rel="canonical" href="http://127.0.0.1:8000/partnerships/">' in filtered


@pytest.mark.parametrize(
    "path, current, aria",
    [
        ("/partnerships/", "Partnerships", "page"),
        ("/partnerships/phase-2/tynemouth/", "Partnerships", "true"),
        ("/themes/skills/", "Partnerships", "true"),
        ("/institutions/", "Institutions", "page"),
        ("/institutions/university-of-tynemouth/", "Institutions", "true"),
        ("/data/", "Data", "page"),
    ],
)
def test_the_header_marks_the_section_a_visitor_is_in(anonymous, programme, path, current, aria):
    header = anonymous.get(path).text.split("</header>")[0]
    marked = re.findall(r'<a class="nav-link active" href="[^"]*" aria-current="(\w+)">([^<]+)</a>', header)
    assert marked == [(aria, current)]


def test_the_home_page_marks_no_section(anonymous, programme):
    header = anonymous.get("/").text.split("</header>")[0]
    assert "aria-current" not in header and "nav-link active" not in header


def test_a_visitor_reads_on_a_partnerships_page_that_the_phase_evaluation_looked_at_it_in_detail(anonymous, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    evaluation.looked_at_in_detail.add(tynemouth)
    factories.finding(evaluation, text="Tynemouth's walking groups doubled.").partnerships.add(tynemouth)

    studied = anonymous.get("/partnerships/phase-2/tynemouth/").text
    other = anonymous.get("/partnerships/phase-2/wearside/").text

    link = f'The <a href="{evaluation.get_absolute_url()}">Phase 2 evaluation</a>'
    assert "Tynemouth's walking groups doubled." in html.unescape(studied)
    assert f"{link} looked at this partnership in detail; its page has what it found across the whole phase." in studied
    assert "looked at this partnership in detail" not in other
    assert f"{link} looked at the phase as a whole, and made no findings about this partnership on its own." in other


def test_a_partnership_the_phase_evaluation_studied_without_a_finding_of_its_own_is_not_told_two_stories(
    anonymous, leading_places
):
    assert Evaluation.objects.get(slug="phase-2-evaluation").looked_at_in_detail.filter(slug="tees-valley").exists()

    text = anonymous.get("/partnerships/phase-2/tees-valley/").text

    assert (
        "looked at this partnership in detail, but made no findings about it on its own: its findings are about the "
        "phase as a whole." in text
    )
    assert "looked at the phase as a whole" not in text


def test_a_partnerships_page_says_nothing_of_an_unpublished_evaluation_that_looks_at_it_in_detail(anonymous, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    evaluation.looked_at_in_detail.add(Partnership.objects.get(title="Healthy Tynemouth"))
    assert "looked at this partnership in detail" in anonymous.get("/partnerships/phase-2/tynemouth/").text
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.save()

    page = anonymous.get("/partnerships/phase-2/tynemouth/")

    assert page.status_code == 200 and "What the evaluation found" in page.text
    assert "looked at this partnership in detail" not in page.text


def test_the_evaluation_page_lists_the_published_partnerships_it_looked_at_in_detail(anonymous, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    evaluation.looked_at_in_detail.add(Partnership.objects.get(title="Healthy Tynemouth"), _draft())

    text = anonymous.get(evaluation.get_absolute_url()).text

    assert '<h2 id="in-detail">Partnerships looked at in detail</h2>' in text
    assert '<li><a href="/partnerships/phase-2/tynemouth/">Tynemouth</a>: Healthy Tynemouth</li>' in text
    assert "Secret draft partnership" not in text and "Hidden Vale" not in text


def test_an_evaluation_page_without_partnerships_looked_at_in_detail_has_no_such_section(anonymous, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    page = anonymous.get(evaluation.get_absolute_url())
    assert page.status_code == 200 and "<h1>Phase 2 evaluation</h1>" in page.text
    assert "Partnerships looked at in detail" not in page.text


def test_the_evaluation_pages_index_of_kinds_names_them_as_its_headings_do(anonymous, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    factories.finding(evaluation, kind=Finding.Kind.RECOMMENDATION, text="Fund it for longer.")

    text = anonymous.get(evaluation.get_absolute_url()).text

    assert '<a href="#findings-achievement">Achievement (1)</a>' in text
    assert '<a href="#findings-recommendation">Recommendations (2)</a>' in text
    assert ">Recommendations</h3>" in text


def test_a_partnerships_page_lists_the_public_documents_of_its_published_evaluation(anonymous, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    evaluation = factories.evaluation(partnership=tynemouth, title="Tynemouth evaluation", status="published")
    evaluation.documents.create(title="Final report", url="https://example.org/final", is_public=True)
    evaluation.documents.create(title="Interview notes", url="https://example.org/notes", is_public=False)

    text = anonymous.get("/partnerships/phase-2/tynemouth/").text

    assert f'From the <a href="{evaluation.get_absolute_url()}">Tynemouth evaluation</a>' in text
    assert '<a href="https://example.org/final">Final report</a>' in text
    assert "Interview notes" not in text and "No public documents." not in text


def test_a_partnerships_page_lists_no_documents_of_an_evaluation_not_yet_published(anonymous, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    evaluation = factories.evaluation(partnership=tynemouth, title="Tynemouth evaluation", status="submitted")
    evaluation.documents.create(title="Final report", url="https://example.org/final", is_public=True)

    text = anonymous.get("/partnerships/phase-2/tynemouth/").text

    assert "Final report" not in text and "No public documents." in text


def test_a_partnerships_page_links_to_its_own_published_evaluation_even_one_without_findings(anonymous, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    published = factories.evaluation(
        partnership=tynemouth, title="Tynemouth evaluation", status="published", published_at=timezone.now()
    )
    factories.evaluation(partnership=tynemouth, title="Tynemouth draft evaluation", slug="draft-one")

    text = anonymous.get("/partnerships/phase-2/tynemouth/").text

    link = f'<a href="{published.get_absolute_url()}">Tynemouth evaluation</a>'
    assert f"This partnership’s own evaluation: {link}" in text
    assert "Tynemouth draft evaluation" not in text


def test_a_partnerships_page_groups_documents_by_evaluation_even_when_published_at_the_same_moment(
    anonymous, programme
):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    moment = timezone.now()
    first = factories.evaluation(partnership=tynemouth, title="First look", status="published", published_at=moment)
    second = factories.evaluation(
        partnership=tynemouth, title="Second look", slug="second", status="published", published_at=moment
    )
    for title in ("A", "C"):
        first.documents.create(title=f"{title} report", url="https://example.org/a", is_public=True)
    second.documents.create(title="B report", url="https://example.org/b", is_public=True)

    text = anonymous.get("/partnerships/phase-2/tynemouth/").text

    assert text.count(">First look</a></h3>") == 1 and text.count(">Second look</a></h3>") == 1


def test_the_evaluation_page_leaves_out_a_partnership_looked_at_in_detail_that_has_moved_to_another_phase(
    anonymous, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    wearside = Partnership.objects.get(title="Wearside skills strategy")
    evaluation.looked_at_in_detail.add(Partnership.objects.get(title="Healthy Tynemouth"), wearside)
    wearside.phase = Phase.objects.get(slug="phase-1")
    wearside.save()

    text = anonymous.get(evaluation.get_absolute_url()).text

    assert ">Tynemouth</a>: Healthy Tynemouth</li>" in text
    assert "Wearside skills strategy" not in text


def test_bullets_in_the_sources_are_shown_as_lists_on_the_partnership_page(anonymous, leading_places):
    nottingham = anonymous.get("/partnerships/phase-2/nottingham/").text
    assert "<ul><li>It offers scale through embedding collaboration at a whole-organisational level;</li>" in nottingham
    assert "<p>Innovation that works for Nottingham can be applied around the world.</p>" in nottingham
    tees_valley = anonymous.get("/partnerships/phase-2/tees-valley/").text
    assert "<li>Identifying companies who have high growth potential/scalability</li>" in tees_valley
    assert "a leading high street bank and up to 50 businesses" in tees_valley


def test_text_shown_as_paragraphs_and_lists_is_escaped():
    from leadingplaces.templatetags.portal_text import paragraphs

    text = "Before <b>bold</b>\nnext line\n\n- one & two\n- <script>x</script>\n\n\n- not a list\nbecause of this"
    assert paragraphs(text) == (
        "<p>Before &lt;b&gt;bold&lt;/b&gt;<br>next line</p>\n\n"
        "<ul><li>one &amp; two</li><li>&lt;script&gt;x&lt;/script&gt;</li></ul>\n\n"
        "<p>- not a list<br>because of this</p>"
    )
