import unicodedata

from django import forms
from django.contrib import admin, messages
from django.db import models

from evaluations.models import Evaluation

from .admin_mixins import (
    AutocompleteInline,
    DistinctPositionRecordForm,
    DistinctPositionsFormSet,
    DocumentRecordForm,
    DocumentRowForm,
    NoLostEditsMixin,
    NoLostEditsOfUnversionedMixin,
    PortalAdmin,
    RelatedFilter,
    RowInline,
    RowsUniqueWithSavedFormSet,
    SpreadsheetMixin,
    VersionedAdminForm,
    confirmed,
    export_selected_to_csv,
    report,
    unpublish_confirmation,
)
from .models import (
    Challenge,
    Document,
    Institution,
    Membership,
    Outcome,
    Partnership,
    Phase,
    PhaseBody,
    Place,
    Programme,
    ProgrammeBody,
    Theme,
)
from .resources import InstitutionResource, MembershipResource, OutcomeResource, PartnershipResource


class ProgrammeBodyInline(AutocompleteInline):
    model = ProgrammeBody
    autocomplete_fields = ["institution"]


@admin.register(Programme)
class ProgrammeAdmin(NoLostEditsMixin, PortalAdmin):
    list_display = ["name", "start_date", "end_date"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgrammeBodyInline]


class PhaseBodyInline(AutocompleteInline):
    model = PhaseBody
    autocomplete_fields = ["institution"]


@admin.register(Phase)
class PhaseAdmin(NoLostEditsMixin, PortalAdmin):
    list_display = ["name", "programme", "number", "start_date", "end_date", "partnership_count"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseBodyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_partnership_totals()

    @admin.display(description="Partnerships", ordering="partnership_total")
    def partnership_count(self, phase):
        return phase.partnership_total


@admin.register(Place)
class PlaceAdmin(NoLostEditsOfUnversionedMixin, PortalAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(NoLostEditsOfUnversionedMixin, PortalAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


def _memberships_named_in_full(memberships):
    """Each row's heading names the institution and the partnership ("X in Tees Valley – Phase 2")."""
    return memberships.select_related(*Membership.named_with).defer("partnership__search_vector")


class MembershipFormSet(RowsUniqueWithSavedFormSet):
    unique_field = "institution"


class MembershipInline(AutocompleteInline):
    model = Membership
    verbose_name = "partner"
    verbose_name_plural = "partners"
    formset = MembershipFormSet
    autocomplete_fields = ["institution"]

    def get_queryset(self, request):
        return _memberships_named_in_full(super().get_queryset(request))


class ChallengeInline(RowInline):
    model = Challenge
    formset = DistinctPositionsFormSet
    extra = 0


class OutcomeInline(RowInline):
    model = Outcome
    verbose_name = "desired outcome"
    verbose_name_plural = "desired outcomes"
    formset = DistinctPositionsFormSet
    extra = 0
    fields = ["description", ("indicator", "baseline", "target", "unit", "target_date"), "progress", "position"]


class DocumentInline(RowInline):
    model = Document
    form = DocumentRowForm
    fk_name = "partnership"
    fields = ["title", "kind", "file", "url", "is_public"]
    extra = 0


class MissingInformationFilter(admin.SimpleListFilter):
    title = "missing information"
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("outcomes", "No desired outcomes"), ("lead", "No lead institution"), ("region", "No region")]

    def queryset(self, request, queryset):
        return queryset.missing(self.value()) if self.value() else queryset


class PartnershipAdminForm(VersionedAdminForm):
    def clean(self):
        cleaned = super().clean()
        phase, saved_phase = cleaned.get("phase"), self.stored("phase") if self.instance.pk else None
        if phase and saved_phase and phase.pk != saved_phase:
            # Moved out of its phase, it would fall outside the scope of that phase's evaluations
            # that name it: their findings would leave its page, and an evaluator's next save of
            # such a finding would drop it, as the finding's boxes offer only the phase's partnerships.
            named, undoing = Evaluation.objects.filter(phase=saved_phase).how_they_name(self.instance)
            if named:
                one = len(named) == 1
                self.add_error(
                    "phase",
                    f"It cannot move to another phase while {'an evaluation' if one else 'evaluations'} of its phase "
                    f"name{'s' if one else ''} it: {'; '.join(named)}. Keep its phase; or, to move it, first open "
                    f"{'that evaluation' if one else 'each of those evaluations'} under Evaluations, then "
                    f"{'; then '.join(undoing)}.",
                )
        return cleaned


@admin.register(Partnership)
class PartnershipAdmin(SpreadsheetMixin, NoLostEditsMixin, PortalAdmin):
    form = PartnershipAdminForm
    delete_confirmation_template = "admin/delete_published.html"
    delete_selected_confirmation_template = "admin/delete_selected_published.html"
    resource_classes = [PartnershipResource]
    # The phase beside the place, which two partnerships of one place share: on a phone, where the
    # list scrolls sideways, the first columns are those in sight.
    list_display = ["place", "phase", "title", "region", "status", "stage"]
    list_filter = ["phase", "status", "stage", "region", ("themes", RelatedFilter), MissingInformationFilter]
    list_select_related = ["place", "phase"]
    ordering = ["-id"]  # newest first, as Django lists it anyway; stated, so that autocomplete pages are stable
    search_fields = ["title", "place__name", "summary", "memberships__institution__name"]
    autocomplete_fields = ["place"]
    # Checkboxes rather than the autocomplete widget: the list is short, and every box has a label.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MembershipInline, ChallengeInline, OutcomeInline, DocumentInline]
    fieldsets = [
        (None, {"fields": ["phase", "place", "title", "slug", "summary", "region", "themes"]}),
        ("What it set out to do", {"fields": ["outcomes_intro", "why_chosen"]}),
        ("Status", {"fields": ["status", "stage"]}),
    ]
    actions = ["publish", "unpublish", export_selected_to_csv]

    def get_search_fields(self, request):
        # The looked-at box names partnerships by place and phase: a search by member (a
        # "Newcastle-under-Lyme" council of Stoke's partnership for "Newc") would puzzle there.
        if _asked_for_looked_at(request):
            return ["title", "place__name"]
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        """In an evaluation's box of partnerships looked at in detail, offer only those of the phase
        chosen on its form, which the box sends (`ScopedAutocompleteSelectMultiple`); none before
        a phase is chosen."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _asked_for_looked_at(request) and "phase" in request.GET:
            phase = request.GET["phase"]
            # A record number, or nothing offered: a phase's box sends its choice, or "" before one.
            is_number = phase.isascii() and phase.isdigit() and len(phase) <= 18
            queryset = queryset.filter(phase=int(phase)) if is_number else queryset.none()
        return queryset, may_have_duplicates

    @admin.action(description="Publish the selected partnerships", permissions=["change"])
    def publish(self, request, queryset):
        report(self, request, sum(p.publish() for p in queryset), "published")
        self._warn_of_gaps(request, queryset.with_public_gaps())

    def process_result(self, result, request):
        """A confirmed import, with the same warnings as publishing for each partnership it left
        published with no partners or summary."""
        response = super().process_result(result, request)
        imported = [row.object_id for row in result.valid_rows() if row.object_id is not None]
        if imported:
            self._warn_of_gaps(request, Partnership.objects.filter(pk__in=imported).published().with_public_gaps())
        return response

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the partners are saved by now
        if form.instance.is_published:
            self._warn_of_gaps(request, Partnership.objects.filter(pk=form.instance.pk).with_public_gaps())

    def _warn_of_gaps(self, request, incomplete, most=10):
        """A warning for each of the first `most` partnerships of `incomplete` (from with_public_gaps())
        that says what their public page lacks, and a count of the rest."""
        for partnership in incomplete[:most]:
            missing = partnership.public_gaps()
            lacking = " and ".join(f"no {gap}" for gap in missing)
            said = f"its public page has {lacking}; add {'it' if missing == ['summary'] else 'them'} on its page."
            self.message_user(request, f"{partnership}: {said}", messages.WARNING)
        if (rest := incomplete.count() - most) > 0:
            self.message_user(
                request, f"{rest} more published partnerships lack partners or a summary too.", messages.WARNING
            )

    @admin.action(description="Unpublish the selected partnerships", permissions=["change"])
    def unpublish(self, request, queryset):
        if not confirmed(request):
            return unpublish_confirmation(
                self,
                request,
                queryset,
                "Their public pages, and their places in the partnership list, search, phase pages and open "
                "data, are taken down at once. They stay here as drafts, and you can publish them again.",
            )
        report(self, request, sum(p.unpublish() for p in queryset), "unpublished")
        return None


def _asked_for_looked_at(request):
    """Whether an autocomplete search is the one for an evaluation's partnerships looked at in detail."""
    return (request.GET.get("model_name"), request.GET.get("field_name")) == ("evaluation", "looked_at_in_detail")


class MembershipOfInstitutionInline(AutocompleteInline):
    model = Membership
    verbose_name = "partnership"
    verbose_name_plural = "partnerships it is in"
    fields = ["partnership", "role", "note"]
    autocomplete_fields = ["partnership"]

    def get_queryset(self, request):
        return _memberships_named_in_full(super().get_queryset(request))


class NamesField(forms.CharField):
    """A list of names, one a line, stored as a JSON list: a box of JSON refused “Bedford Uni”
    as “Enter a valid JSON”, and took a number or NaN."""

    widget = forms.Textarea(attrs={"rows": 3})
    MOST = 200  # as long as an institution's name may be

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(name) for name in value)
        return value

    def to_python(self, value):
        names = []
        for line in (value or "").splitlines():
            # A control character (NUL, say, which PostgreSQL refuses) is no part of a name.
            name = " ".join("".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in line).split())
            if name and name not in names:
                names.append(name)
        too_long = [name for name in names if len(name) > self.MOST]
        if too_long:
            raise forms.ValidationError(
                f"A name is at most {self.MOST} characters; the one beginning “{too_long[0][:40]}” has "
                f"{len(too_long[0])}. Put each name on a line of its own."
            )
        return names


class InstitutionAdminForm(VersionedAdminForm):
    aliases = NamesField(
        label="Other names",
        required=False,
        help_text="Other spellings of the name in source documents, one a line, used to match them to this record.",
    )


@admin.register(Institution)
class InstitutionAdmin(SpreadsheetMixin, NoLostEditsMixin, PortalAdmin):
    form = InstitutionAdminForm
    resource_classes = [InstitutionResource]
    list_display = ["name", "kind", "region", "identifier"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "aliases", "identifier"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipOfInstitutionInline]


@admin.register(Membership)
class MembershipAdmin(SpreadsheetMixin, NoLostEditsOfUnversionedMixin, PortalAdmin):
    ordering = ["partnership_id", "position", "id"]  # grouped by partnership, read from an index
    resource_classes = [MembershipResource]
    list_display = ["institution", "partnership", "role"]
    list_filter = ["role", "partnership__phase"]
    list_select_related = ["institution", "partnership__place", "partnership__phase"]
    search_fields = ["institution__name", "partnership__title", "partnership__place__name"]
    autocomplete_fields = ["institution", "partnership"]


@admin.register(Challenge)
class ChallengeAdmin(NoLostEditsOfUnversionedMixin, PortalAdmin):
    form = DistinctPositionRecordForm
    ordering = ["partnership_id", "position", "id"]  # grouped by partnership, read from an index
    list_display = ["__str__", "partnership"]
    list_filter = ["partnership__phase"]
    list_select_related = ["partnership__place", "partnership__phase"]
    search_fields = ["description", "partnership__place__name"]
    autocomplete_fields = ["partnership"]


@admin.register(Outcome)
class OutcomeAdmin(SpreadsheetMixin, NoLostEditsOfUnversionedMixin, PortalAdmin):
    form = DistinctPositionRecordForm
    ordering = ["partnership_id", "position", "id"]  # grouped by partnership, read from an index
    resource_classes = [OutcomeResource]
    list_display = ["__str__", "partnership", "indicator", "progress"]
    list_filter = ["indicator", "progress", "partnership__phase"]
    list_select_related = ["partnership__place", "partnership__phase"]
    search_fields = ["description", "partnership__place__name"]
    autocomplete_fields = ["partnership"]


@admin.register(Document)
class DocumentAdmin(NoLostEditsOfUnversionedMixin, PortalAdmin):
    form = DocumentRecordForm
    list_display = ["title", "kind", "is_public", "partnership", "phase", "programme"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["partnership__place", "partnership__phase", "phase", "programme"]
    search_fields = ["title"]
    autocomplete_fields = ["partnership", "phase", "programme"]
