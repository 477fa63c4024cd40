"""The rules on programme data hold in the database and show as friendly errors in forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from evaluations.models import Evaluation, Finding
from partnerships.models import Document, Membership, Outcome, Partnership, Phase, Programme, shorten
from tests import factories

pytestmark = pytest.mark.django_db


def _refused_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_slug_is_used_once_per_phase_but_may_repeat_in_another_phase(programme):
    bedford = factories.place(name="Bedford")
    factories.partnership(phase=Phase.objects.get(slug="phase-2"), place=bedford, slug="bedford")
    factories.partnership(phase=Phase.objects.get(slug="phase-1"), place=bedford, slug="bedford")

    duplicate = Partnership(phase=Phase.objects.get(slug="phase-2"), place=bedford, slug="bedford", title="Again")
    with pytest.raises(ValidationError, match="Another partnership in this phase already uses this slug"):
        duplicate.full_clean()
    _refused_by_database(duplicate.save)


def test_an_institution_joins_a_partnership_only_once(programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    council = partnership.memberships.first().institution

    again = Membership(partnership=partnership, institution=council)
    with pytest.raises(ValidationError, match="already a member of the partnership"):
        again.full_clean()
    _refused_by_database(again.save)


def test_a_phase_cannot_end_before_it_starts(programme):
    phase = Phase(
        programme=programme,
        number=9,
        name="Backwards",
        slug="backwards",
        start_date=datetime.date(2018, 3, 1),
        end_date=datetime.date(2017, 3, 1),
    )
    with pytest.raises(ValidationError) as error:
        phase.full_clean()
    assert error.value.message_dict["end_date"] == ["The end date must be on or after the start date."]
    _refused_by_database(phase.save)


def test_a_programme_cannot_end_before_it_starts(db):
    programme = Programme(
        name="Backwards", slug="backwards", start_date=datetime.date(2018, 1, 1), end_date=datetime.date(2017, 1, 1)
    )
    with pytest.raises(ValidationError, match="on or after the start date"):
        programme.full_clean()
    _refused_by_database(programme.save)


def test_a_numeric_outcome_needs_a_target(programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    outcome = Outcome(partnership=partnership, description="More scale-ups", indicator="numeric", baseline=100)
    with pytest.raises(ValidationError) as error:
        outcome.full_clean()
    assert error.value.message_dict["target"] == ["A numeric indicator needs a target."]
    _refused_by_database(outcome.save)


def test_only_a_numeric_outcome_has_figures(programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    outcome = Outcome(partnership=partnership, description="A shared vision", indicator="qualitative", target=3)
    with pytest.raises(ValidationError) as error:
        outcome.full_clean()
    assert error.value.messages == [
        "Only a numeric indicator has a baseline and a target. Choose “Numeric” or clear them."
    ]
    _refused_by_database(outcome.save)


def test_a_document_is_either_a_file_or_a_link(programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    neither = Document(title="Slides", partnership=partnership)
    with pytest.raises(ValidationError) as error:
        neither.full_clean()
    # One message, that fits: not also the database's "not both".
    assert error.value.messages == ["Upload a file or give an external link."]
    _refused_by_database(neither.save)
    both = Document(title="Slides", partnership=partnership, url="https://example.org/", file="documents/x.pdf")
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert error.value.messages == ["Give either an uploaded file or an external link, not both."]


def test_a_document_belongs_to_exactly_one_thing(programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    both = Document(
        title="Slides", url="https://example.org/slides.pdf", partnership=partnership, phase=partnership.phase
    )
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert error.value.messages == ["Choose exactly one programme, phase or partnership that this document belongs to."]
    _refused_by_database(both.save)


def test_an_evaluation_covers_a_phase_or_a_partnership_not_both(programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    both = Evaluation(title="Both", slug="both", phase=partnership.phase, partnership=partnership)
    with pytest.raises(ValidationError) as refused:
        both.full_clean()
    # One message, on the field, not the database rule's as well.
    assert refused.value.message_dict == {
        "partnership": ["An evaluation covers a whole phase or one partnership, not both: clear one of the two."]
    }
    _refused_by_database(both.save)


def test_an_evaluation_needs_a_phase_or_a_partnership_and_is_told_so_once(programme):
    neither = Evaluation(title="Neither", slug="neither")
    with pytest.raises(ValidationError) as refused:
        neither.full_clean()
    assert refused.value.message_dict == {
        "phase": ["Choose the phase this evaluation covers, or the one partnership it covers."]
    }
    _refused_by_database(neither.save)


def test_a_finding_needs_text(programme):
    evaluation = Evaluation.objects.get()
    blank = Finding(evaluation=evaluation, kind=Finding.Kind.LESSON, text="   ")
    with pytest.raises(ValidationError, match="Write the finding before saving it"):
        blank.full_clean()
    _refused_by_database(Finding(evaluation=evaluation, kind=Finding.Kind.LESSON, text="").save)


def test_an_institution_in_a_partnership_cannot_be_deleted(programme):
    council = Membership.objects.first().institution
    with pytest.raises(ProtectedError):
        council.delete()
    council.refresh_from_db()


def test_a_phase_with_partnerships_cannot_be_deleted(programme):
    phase = Phase.objects.get(slug="phase-2")
    with pytest.raises(ProtectedError):
        phase.delete()
    assert Phase.objects.filter(slug="phase-2").exists()


def test_every_save_moves_the_version_on(programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    before = partnership.version
    partnership.summary = "Updated."
    partnership.save()
    partnership.refresh_from_db()
    assert partnership.version == before + 1


def test_a_partnership_is_named_after_its_place_and_phase(programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    assert str(partnership) == "Tynemouth – Phase 2"
    assert partnership.get_absolute_url() == "/partnerships/phase-2/tynemouth/"


def test_a_place_has_one_partnership_a_phase_so_that_its_name_tells_it_apart(programme):
    existing = Partnership.objects.get(title="Healthy Tynemouth")
    second = Partnership(phase=existing.phase, place=existing.place, slug="tynemouth-again", title="Tynemouth again")
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert error.value.messages == [
        "This place already has a partnership in this phase: open that one to change it, or choose another place."
    ]
    _refused_by_database(second.save)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Fewer people inactive", "Fewer people inactive"),
        ("More people walking and cycling to work every day", "More people walking and…"),
        ("More people walking and cycling", "More people walking and…"),
        ("Supercalifragilisticexpialidocious", "Supercalifragilisticexpi…"),
        ("More people, walking   and\ncycling", "More people, walking and…"),
    ],
)
def test_a_long_text_is_named_by_its_first_whole_words(text, shown):
    assert shorten(text, 25) == shown
