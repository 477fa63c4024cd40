"""The real Leading Places data loads as the source documents describe it, and loads once."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from evaluations.models import Evaluation, Finding
from partnerships.loading import DATA_FILE
from partnerships.models import Institution, Membership, Outcome, Partnership, Phase, PhaseBody, Programme

pytestmark = pytest.mark.django_db


def _load():
    from io import StringIO

    out = StringIO()
    call_command("load_leading_places", stdout=out)
    return out.getvalue()


def test_both_phases_load_with_all_their_partnerships():
    _load()
    assert Partnership.objects.filter(phase__slug="phase-1").count() == 6
    assert Partnership.objects.filter(phase__slug="phase-2").count() == 15
    assert Partnership.objects.published().count() == 21


def test_the_phases_have_their_dates_and_the_bodies_that_ran_them():
    _load()
    one, two = Phase.objects.get(slug="phase-1"), Phase.objects.get(slug="phase-2")
    assert (one.start_date, one.end_date) == (datetime.date(2016, 5, 1), datetime.date(2017, 3, 31))
    assert (two.start_date, two.end_date) == (datetime.date(2017, 7, 1), datetime.date(2018, 3, 31))

    def bodies(phase, role):
        return set(PhaseBody.objects.filter(phase=phase, role=role).values_list("institution__name", flat=True))

    hefce = Institution.objects.get(slug="hefce")
    assert bodies(one, "funder") == {hefce.name}
    assert bodies(two, "funder") == {hefce.name, "Local Government Association"}
    assert bodies(one, "facilitator") == {"Leadership Foundation for Higher Education"}
    assert bodies(two, "provider") == {"Shared Intelligence"}
    assert bodies(one, "evaluator") == bodies(two, "evaluator") == {hefce.name}


def test_the_programme_and_its_sister_programmes_are_recorded():
    _load()
    names = set(Programme.objects.values_list("name", flat=True))
    assert {"Leading Places", "Local Growth Academy", "Know Your Place"} <= names
    owners = Programme.objects.get(name="Leading Places").bodies.filter(role="owner")
    assert [b.institution.name for b in owners] == ["Local Government Association"]


def test_bedford_has_its_three_partners_with_the_teams_noted():
    _load()
    bedford = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    members = {m.institution.name: m for m in bedford.memberships.select_related("institution")}
    assert set(members) == {"Bedford Borough Council", "University of Bedfordshire", "East London NHS Foundation Trust"}
    assert members["Bedford Borough Council"].note == (
        "including the Sports Development, Early Help and Public Health teams"
    )
    assert bedford.region == "east-of-england"
    assert bedford.themes.filter(slug="health-and-wellbeing").exists()
    assert "half of those with mental ill health" in bedford.challenges.get().description


def test_gloucestershire_phase_2_has_two_leads_and_eight_supporting_partners():
    _load()
    glos = Partnership.objects.get(phase__slug="phase-2", slug="gloucestershire")
    roles = dict(glos.memberships.values_list("institution__name", "role"))
    assert {name for name, role in roles.items() if role == Membership.Role.LEAD} == {
        "Gloucestershire County Council",
        "University of Gloucestershire",
    }
    assert sum(role == Membership.Role.SUPPORTING for role in roles.values()) == 8
    assert roles["Royal Agricultural University"] == Membership.Role.SUPPORTING


def test_tees_valley_has_a_numeric_outcome_from_100_to_200_scale_companies():
    _load()
    tees = Partnership.objects.get(phase__slug="phase-2", slug="tees-valley")
    assert tees.outcomes.count() == 3
    numeric = tees.outcomes.get(indicator=Outcome.Indicator.NUMERIC)
    assert (numeric.baseline, numeric.target) == (Decimal(100), Decimal(200))
    assert numeric.unit == "scale companies"
    assert tees.challenges.count() >= 2


def test_outcomes_follow_the_bullets_in_the_sources():
    _load()

    def outcomes(slug):
        return Outcome.objects.filter(partnership__phase__slug="phase-2", partnership__slug=slug).count()

    assert outcomes("blackburn-with-darwen") == 4
    assert outcomes("buckinghamshire") == 4
    assert outcomes("stoke-on-trent-and-staffordshire") == 3
    assert outcomes("lambeth-and-southwark") == 4
    assert outcomes("nottingham") == 4
    assert outcomes("shropshire") == 3


def test_brighton_and_hove_is_the_fifteenth_phase_2_partnership_and_shares_its_place_with_phase_1():
    _load()
    two = Partnership.objects.get(phase__slug="phase-2", slug="brighton-and-hove")
    one = Partnership.objects.get(phase__slug="phase-1", slug="brighton-and-hove")
    assert two.place == one.place
    assert "festivals" in two.challenges.get().description
    assert set(two.memberships.values_list("institution", flat=True)) == set(
        one.memberships.values_list("institution", flat=True)
    )


def test_one_organisation_is_one_record_however_the_sources_spell_it():
    _load()
    newcastle = Institution.objects.get(name="Newcastle University")
    assert "University of Newcastle" in newcastle.aliases
    assert not Institution.objects.filter(name="University of Newcastle").exists()
    phases = set(newcastle.memberships.values_list("partnership__phase__slug", flat=True))
    assert phases == {"phase-1", "phase-2"}
    assert Institution.objects.filter(name__in=["University of Bolton", "Bolton University"]).count() == 1
    assert Institution.objects.filter(name__icontains="Lincoln").count() == 1

    every_name = [i.name.lower() for i in Institution.objects.all()]
    every_name += [alias.lower() for i in Institution.objects.all() for alias in i.aliases]
    assert len(every_name) == len(set(every_name)), "a spelling is used by two institution records"


def test_the_phase_2_evaluation_loads_with_every_finding():
    _load()
    evaluation = Evaluation.objects.get(slug="phase-2-evaluation")
    assert evaluation.is_published
    assert evaluation.phase.slug == "phase-2"
    assert evaluation.evaluator_name == "Dr Peter O'Brien"
    assert evaluation.date == datetime.date(2018, 3, 28)
    kinds = {kind: evaluation.findings.filter(kind=kind).count() for kind in Finding.Kind.values}
    assert kinds == {"achievement": 9, "challenge": 7, "recommendation": 6, "conclusion": 5, "lesson": 0}
    first_recommendation = evaluation.findings.filter(kind="recommendation").first()
    assert first_recommendation.text.startswith("The LGA and other national actors should promote LP")
    assert evaluation.findings.filter(text__startswith="LP2 has made real progress").exists()


def test_the_phase_2_evaluation_looked_at_the_six_partnerships_its_slides_tabulate():
    _load()
    evaluation = Evaluation.objects.get(slug="phase-2-evaluation")
    places = sorted(evaluation.looked_at_in_detail.values_list("place__name", flat=True))
    assert places == ["Bedford", "Hull", "Nottingham", "Shropshire", "Stoke-on-Trent and Staffordshire", "Tees Valley"]
    keele = evaluation.looked_at_in_detail.get(place__name="Stoke-on-Trent and Staffordshire")
    assert "Keele Business School" in keele.summary


def test_loading_twice_changes_nothing_and_says_so():
    first = _load()
    assert "created" in first
    snapshot = {
        model: list(model.objects.order_by("pk").values())
        for model in (Institution, Partnership, Membership, Outcome, Finding, Evaluation)
    }
    history_before = Partnership.history.count()

    second = _load()

    assert "0 created, 0 updated" in second
    for model, rows in snapshot.items():
        assert list(model.objects.order_by("pk").values()) == rows
    assert Partnership.history.count() == history_before


def test_loading_again_restores_a_field_an_officer_changed_and_reports_the_update():
    _load()
    hull = Partnership.objects.get(phase__slug="phase-2", slug="hull")
    hull.title = "Changed by hand"
    hull.save()

    output = _load()

    hull.refresh_from_db()
    assert hull.title != "Changed by hand"
    assert re.search(r"partnerships: 0 created, 1 updated", output)


def test_loading_again_restores_lists_an_officer_changed_and_reports_each_record_updated():
    _load()
    hull = Partnership.objects.get(phase__slug="phase-2", slug="hull")
    themes = set(hull.themes.all())
    hull.themes.clear()
    evaluation = Evaluation.objects.get(slug="phase-2-evaluation")
    in_detail = set(evaluation.looked_at_in_detail.all())
    evaluation.looked_at_in_detail.remove(*list(in_detail)[:2])
    finding = evaluation.findings.first()
    named = set(finding.partnerships.all())
    finding.partnerships.add(hull)

    output = _load()

    assert set(hull.themes.all()) == themes
    assert set(evaluation.looked_at_in_detail.all()) == in_detail
    assert set(finding.partnerships.all()) == named
    assert re.search(r"partnerships: 0 created, 1 updated", output)
    assert re.search(r"evaluations: 0 created, 1 updated", output)
    assert re.search(r"findings: 0 created, 1 updated", output)


def test_loading_again_removes_challenges_past_the_files_list_and_says_so():
    _load()
    tees = Partnership.objects.get(phase__slug="phase-2", slug="tees-valley")
    in_file = tees.challenges.count()
    tees.challenges.create(description="An old bullet, before the file merged it.", position=in_file)

    output = _load()

    assert tees.challenges.count() == in_file
    assert re.search(r"challenges: 0 created, 0 updated, \d+ unchanged, 1 removed", output)


def test_the_start_script_loads_an_empty_database_and_then_keeps_officers_edits():
    from io import StringIO

    def load_if_empty():
        out = StringIO()
        call_command("load_leading_places", "--if-empty", stdout=out)
        return out.getvalue()

    assert "Done:" in load_if_empty()  # the first run loads everything
    assert Partnership.objects.count() == 21
    hull = Partnership.objects.get(phase__slug="phase-2", slug="hull")
    hull.title = "Changed by hand"
    hull.save()

    output = load_if_empty()

    hull.refresh_from_db()
    assert hull.title == "Changed by hand"
    assert "left as it is" in output
    assert "--if-empty" in Path(settings.BASE_DIR, "scripts", "start").read_text()


def test_the_loader_leaves_a_trail_in_the_history():
    _load()
    record = Partnership.history.filter(slug="bedford").earliest("history_date")
    assert record.history_type == "+"
    assert record.history_change_reason == "Loaded from the Leading Places data file"


def test_no_contact_details_from_the_sources_reach_the_data_file():
    text = DATA_FILE.read_text()
    assert "@" not in text
    assert not re.search(r"\b0\d{4} ?\d{6}\b", text)
    for name in ("Philip Clifford", "Michael Wood", "Kevin Richardson", "Tracy Allan"):
        assert name not in text


def test_each_record_the_loader_creates_with_lists_has_one_version_in_its_history():
    _load()
    bedford = Partnership.objects.get(slug="bedford")
    assert bedford.themes.exists()
    assert [version.history_type for version in bedford.history.all()] == ["+"]
    evaluation = Evaluation.objects.filter(looked_at_in_detail__isnull=False).first()
    assert [version.history_type for version in evaluation.history.all()] == ["+"]
    assert set(bedford.history.get().themes.values_list("theme", flat=True)) == set(
        bedford.themes.values_list("pk", flat=True)
    )


def test_loading_again_after_an_officer_changed_a_partnerships_title_and_themes_adds_one_version(
    leading_places,
):
    bedford = Partnership.objects.get(slug="bedford")
    bedford.title = "Changed by hand"
    bedford.save()
    bedford.themes.clear()
    versions_before = bedford.history.count()

    _load()

    assert bedford.history.count() == versions_before + 1
    restored = bedford.history.first()
    assert restored.history_type == "~" and restored.title != "Changed by hand"
    assert restored.themes.exists()
