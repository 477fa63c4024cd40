from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from leadingplaces.fingerprints import fingerprint
from partnerships.admin_mixins import (
    STALE_MESSAGE,
    AutocompleteInline,
    DocumentRecordForm,
    DocumentRowForm,
    NoLostEditsMixin,
    NoLostEditsOfUnversionedMixin,
    OpenedState,
    PortalAdmin,
    RecordForm,
    RelatedFilter,
    RowForm,
    RowInline,
    RowsFormSet,
    RowsUniqueWithSavedFormSet,
    ScopedAutocompleteSelectMultiple,
    VersionedAdminForm,
    confirmed,
    export_selected_to_csv,
    report,
    unpublish_confirmation,
    with_hidden_field,
)
from partnerships.forms import said_in_words
from partnerships.models import Partnership

from . import services
from .forms import is_new_or_reworded, repeats_another_finding
from .models import Evaluation, EvaluationDocument, EvaluationEvent, EvaluatorAccount, Finding, OutcomeProgress
from .roles import EVALUATORS, person_in_words


class EvaluatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_in_words(obj)


class EvaluatorsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_in_words(obj)


class AssignEvaluatorForm(forms.Form):
    evaluator = EvaluatorChoiceField(
        queryset=get_user_model()
        .objects.filter(groups__name=EVALUATORS, is_active=True)
        .order_by("first_name", "last_name", "username"),
        help_text="Only evaluator accounts that can sign in are listed; add one under Evaluator accounts.",
    )


class ScopeFilter(RelatedFilter):
    none_label = "Of one partnership"  # an evaluation without a phase covers one partnership


def _evaluation_of(form, cleaned):
    """The evaluation a finding's or a progress row's form is for: in the list of those records it
    is a field of the form; on an evaluation's page, it is that page's record."""
    return cleaned.get("evaluation") if "evaluation" in form.fields else form.instance.evaluation


class FindingAdminForm(RowForm):
    """A finding as the back office edits it, held to the same scope rules as the evaluators' form."""

    def clean(self):
        cleaned = super().clean()
        evaluation = _evaluation_of(self, cleaned)
        if evaluation and repeats_another_finding(self, evaluation, cleaned):
            kind = Finding.Kind(cleaned["kind"]).label.lower()
            self.add_error("text", f"This evaluation already has this {kind}, word for word.")
        if evaluation and "partnerships" in cleaned and "outcomes" in cleaned:
            errors = evaluation.finding_scope_errors(
                cleaned["partnerships"].select_related("place", "phase"),
                cleaned["outcomes"].select_related("partnership__place", "partnership__phase"),
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned


class FindingFormSet(RowsFormSet):
    """An evaluation's page of findings: each row is checked against the findings saved by its
    form, and here against the other rows of the page, so that two new rows with the same words
    (a row copied, or added twice) are not both saved."""

    def clean(self):
        super().clean()
        on_the_page = set()
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            kind, text = form.cleaned_data.get("kind"), form.cleaned_data.get("text")
            if not (kind and text):
                continue
            text = Finding.words_of(text)
            if (kind, text) in on_the_page and is_new_or_reworded(form) and "text" not in form.errors:
                label = Finding.Kind(kind).label.lower()
                form.add_error("text", f"Another row on this page has this {label}, word for word.")
            on_the_page.add((kind, text))


class FindingInline(AutocompleteInline):
    model = Finding
    form = FindingAdminForm
    formset = FindingFormSet
    fields = ["kind", "text", "evidence", "partnerships", "outcomes", "position"]
    autocomplete_fields = ["partnerships", "outcomes"]
    # An evaluation with more findings has them edited in the list of findings, 50 a page: a
    # form for each of hundreds of findings took seconds to open and megabytes to send.
    most_on_the_page = 50

    def get_queryset(self, request):
        named = Partnership.objects.select_related("place", "phase")
        return super().get_queryset(request).prefetch_related(Prefetch("partnerships", queryset=named), "outcomes")


class ProgressWithinScope:
    """For a form of outcome progress: its outcome must be of a partnership within the
    evaluation's scope, as on the evaluators' own progress form."""

    def clean(self):
        cleaned = super().clean()
        evaluation = _evaluation_of(self, cleaned)
        outcome = cleaned.get("outcome")
        if evaluation and outcome and not evaluation.covers(outcome.partnership):
            self.add_error(
                "outcome",
                f"Choose an outcome of a partnership within this evaluation’s scope, {evaluation.scope}: "
                f"{outcome.partnership} is not.",
            )
        return cleaned


class OutcomeProgressInlineForm(ProgressWithinScope, RowForm):
    pass


class OutcomeProgressAdminForm(ProgressWithinScope, RecordForm):
    pass


class OutcomeProgressFormSet(RowsUniqueWithSavedFormSet):
    unique_field = "outcome"


class OutcomeProgressInline(AutocompleteInline):
    model = OutcomeProgress
    verbose_name = "assessment of a desired outcome"
    verbose_name_plural = "progress on desired outcomes"
    form = OutcomeProgressInlineForm
    formset = OutcomeProgressFormSet
    autocomplete_fields = ["outcome"]


class EvaluationDocumentInline(RowInline):
    model = EvaluationDocument
    verbose_name = "document"
    form = DocumentRowForm
    fields = ["title", "kind", "file", "url", "is_public"]
    extra = 0


class EvaluationEventInline(admin.TabularInline):
    model = EvaluationEvent
    verbose_name = "step"
    verbose_name_plural = "Review history: each time it was submitted, returned or published"
    fields = ["action", "by", "at", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    template = "admin/evaluations/review_history_inline.html"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class EvaluationAdminForm(VersionedAdminForm):
    def clean(self):
        cleaned = super().clean()
        scope = Evaluation(pk=self.instance.pk, phase=cleaned.get("phase"), partnership=cleaned.get("partnership"))
        error = scope.looked_at_in_detail_error(cleaned.get("looked_at_in_detail", []))
        if error:
            self.add_error("looked_at_in_detail", error)
        # Compared with the evaluation as saved, not as the form began: a revert page begins at
        # the older version's scope.
        saved = (self.stored("phase"), self.stored("partnership")) if self.instance.pk else None
        moved = saved is not None and saved != (scope.phase_id, scope.partnership_id)
        if moved and (error := scope.records_outside_scope_error()):
            self.add_error("phase" if cleaned.get("phase") else "partnership", error)
        return cleaned


@admin.register(Evaluation)
class EvaluationAdmin(NoLostEditsMixin, PortalAdmin):
    delete_confirmation_template = "admin/delete_published.html"
    delete_selected_confirmation_template = "admin/delete_selected_published.html"
    form = EvaluationAdminForm
    list_display = ["title", "phase", "partnership", "status", "date"]
    list_filter = ["status", ("phase", ScopeFilter)]
    list_select_related = ["phase", "partnership__place", "partnership__phase"]
    search_fields = ["title", "summary", "evaluator_name"]
    autocomplete_fields = ["phase", "partnership", "evaluator_organisation", "looked_at_in_detail"]
    prepopulated_fields = {"slug": ["title"]}
    # The status changes only through the workflow, which records who did what and when.
    WORKFLOW_FIELDS = ["status", "submitted_at", "published_at"]
    readonly_fields = [*WORKFLOW_FIELDS, "review_page", "findings_list", "removed_documents"]
    inlines = [FindingInline, OutcomeProgressInline, EvaluationDocumentInline, EvaluationEventInline]
    actions = ["assign_evaluator", "publish", "unpublish", export_selected_to_csv]

    def get_inlines(self, request, obj):
        """The findings are edited on this page while there are few enough to show. A page sent
        is saved as it was shown, whatever the count now: with the findings if it had them (an
        evaluator's new finding since does not drop the officer's edits to the others), without
        them if it had none (one removed since does not make its form look tampered with)."""
        if request.method == "POST":
            shown = "findings-TOTAL_FORMS" in request.POST  # the formset's, named from Evaluation.findings
        else:
            shown = obj is None or obj.findings.count() <= FindingInline.most_on_the_page
        return self.inlines if shown else [inline for inline in self.inlines if inline is not FindingInline]

    @admin.display(description="Review")
    def review_page(self, evaluation):
        """Where an officer returns or publishes it, which the status's help text speaks of."""
        if evaluation.pk is None:
            return "Its evaluators submit it for review once they have entered their findings."
        url = reverse("evaluations:review", args=[evaluation.pk])
        if evaluation.status == Evaluation.Status.SUBMITTED:
            return format_html('Waiting for review: <a href="{}">return or publish it on its review page</a>.', url)
        return format_html('<a href="{}">Its review page</a> shows its findings and its history.', url)

    @admin.display(description="Findings")
    def findings_list(self, evaluation):
        if evaluation.pk is None:
            return "Add them below."
        count = evaluation.findings.count()
        url = reverse("admin:evaluations_finding_changelist") + f"?{OneEvaluationFilter.parameter_name}={evaluation.pk}"
        if count > FindingInline.most_on_the_page:
            return format_html(
                '{} findings, too many to edit on this page: <a href="{}">edit them in the list of findings</a>.',
                f"{count:,}",
                url,
            )
        return format_html('{}, edited below; also in <a href="{}">the list of findings</a>.', _findings(count), url)

    def save_model(self, request, obj, form, change):
        """The workflow's fields stay as they are saved, also when an officer reverts the record to
        an earlier version from its history (which would otherwise bring back that version's
        status, and could publish it with no review)."""
        if change:
            saved = Evaluation.objects.filter(pk=obj.pk).values(*self.WORKFLOW_FIELDS).first() or {}
            for name, value in saved.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)

    def revert_warning(self, current, version):
        if not current.is_published:
            return None
        return (
            "This evaluation is published: saving this version changes its public page at once. Its status stays "
            "Published whatever this version’s was, as only its review page publishes an evaluation or returns it."
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "looked_at_in_detail":
            # Each is named by its place and phase: read with it, not with two queries a partnership.
            kwargs["queryset"] = Partnership.objects.select_related("place", "phase").order_by("place__name")
            kwargs["widget"] = ScopedAutocompleteSelectMultiple(db_field, self.admin_site, scope_field="phase")
        if db_field.name == "evaluators":
            # Tick boxes for the evaluator accounts, and whoever is assigned already: officers may
            # not search user records, so an autocomplete could not work for them.
            assigned = Q(evaluations__pk=request.resolver_match.kwargs.get("object_id") or 0)
            evaluators = Q(groups__name=EVALUATORS, is_active=True)
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(evaluators | assigned)
                .distinct()
                .order_by("first_name", "last_name", "username")
            )
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["form_class"] = EvaluatorsChoiceField
            if not kwargs["queryset"].exists():
                kwargs["help_text"] = "No evaluator has an account yet: add one under Evaluator accounts."
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Removed documents")
    def removed_documents(self, evaluation):
        """Links to the history of each removed document, where it can be restored."""
        removed = evaluation.removed_documents() if evaluation.pk else []
        if not removed:
            return "None"
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            '<a href="{}">{}</a>, removed {} by {}',
            (
                (
                    reverse("admin:evaluations_evaluationdocument_history", args=[record.id]),
                    record.title,
                    date_format(record.history_date, "j M Y, H:i"),
                    record.history_user or "someone",
                )
                for record in removed
            ),
        )

    @admin.action(description="Assign an evaluator to the selected evaluations", permissions=["change"])
    def assign_evaluator(self, request, queryset):
        form = AssignEvaluatorForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            evaluator = form.cleaned_data["evaluator"]
            for evaluation in queryset:
                evaluation.evaluators.add(evaluator)
            report(self, request, queryset.count(), f"now assigned to {person_in_words(evaluator)}")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Assign an evaluator",
            "form": form,
            "evaluations": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/evaluations/assign_evaluator.html", context)

    @admin.action(description="Publish the selected submitted evaluations", permissions=["change"])
    def publish(self, request, queryset):
        for evaluation in self._workflow(request, queryset, services.publish, "published"):
            if missing := evaluation.missing_credit():
                said = f"the public page does not say {' or '.join(missing)}; add it on the evaluation's page."
                self.message_user(request, f"{evaluation}: {said}", messages.WARNING)

    @admin.action(description="Unpublish the selected evaluations", permissions=["change"])
    def unpublish(self, request, queryset):
        if not confirmed(request):
            return unpublish_confirmation(
                self,
                request,
                queryset,
                "Their public pages, and their findings on partnership and phase pages, are taken down at "
                "once, and their evaluators are emailed to say so. They go back to “Submitted for review”, and you "
                "can publish them again.",
            )
        self._workflow(request, queryset, services.unpublish, "unpublished")
        return None

    def _workflow(self, request, queryset, step, verb):
        """Takes the step for each selected evaluation, and returns those it was taken for."""
        done = []
        for evaluation in queryset:
            try:
                done.append(step(evaluation, by=request.user))
            except services.WorkflowError as error:
                self.message_user(request, f"{evaluation}: {error.message}", messages.WARNING)
        report(self, request, len(done), verb)
        return done


def _findings(count):
    return f"{count} finding{pluralize(count)}"


class OneEvaluationFilter(admin.SimpleListFilter):
    """The findings of one evaluation, as its page links to them. Shown only while in use: a list
    of every evaluation here would grow with the programme."""

    title = "evaluation"
    parameter_name = "evaluation"

    def lookups(self, request, model_admin):
        if self.value() is None:
            return []
        evaluation = Evaluation.objects.filter(pk=self._pk()).only("title").first() if self._pk() else None
        # One no longer there (or a number that is none) is said so, and lists no findings, rather
        # than every finding as if nothing were chosen: Django applies a filter only when it has a
        # choice to show.
        return [(str(evaluation.pk), evaluation.title)] if evaluation else [(self.value(), "No such evaluation")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(evaluation_id=self._pk()) if self._pk() else queryset.none()

    def _pk(self):
        value = self.value() or ""
        return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


@admin.register(Finding)
class FindingAdmin(PortalAdmin):
    form = FindingAdminForm
    ordering = ["evaluation_id", "position", "id"]  # grouped by evaluation, read from an index
    list_display = ["__str__", "evaluation", "kind", "evidence"]
    list_filter = ["kind", "evidence", "evaluation__status", OneEvaluationFilter]
    list_select_related = ["evaluation"]
    search_fields = ["text", "evaluation__title"]
    autocomplete_fields = ["evaluation", "partnerships", "outcomes"]


@admin.register(OutcomeProgress)
class OutcomeProgressAdmin(NoLostEditsOfUnversionedMixin, PortalAdmin):
    form = OutcomeProgressAdminForm
    list_display = ["outcome", "evaluation", "status"]
    list_filter = ["status"]
    list_select_related = ["outcome", "evaluation"]
    search_fields = ["outcome__description", "evidence_note"]
    autocomplete_fields = ["evaluation", "outcome"]


@admin.register(EvaluationDocument)
class EvaluationDocumentAdmin(NoLostEditsOfUnversionedMixin, PortalAdmin):
    form = DocumentRecordForm
    list_display = ["title", "kind", "is_public", "evaluation"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["evaluation"]
    search_fields = ["title"]
    autocomplete_fields = ["evaluation"]


class EvaluatorAccountForm(forms.ModelForm):
    """An evaluator's account: who they are and where their email goes. Nothing here can make
    an account staff, nor give it any permission."""

    class Meta:
        model = EvaluatorAccount
        fields = ["first_name", "last_name", "email", "is_active"]
        labels = {"is_active": "Can sign in"}
        help_texts = {
            "email": "The invitation to choose a password goes here, and the evaluator signs in with it.",
            "is_active": "Untick to switch the account off: it can no longer sign in, and what it did stays recorded.",
        }

    # The account as the page showed it: a save from a page opened before another officer saved
    # the account (switching it off, say) is refused rather than undoing theirs.
    opened_state = OpenedState()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.saved_state = self._state()
            self.fields["opened_state"].initial = self.saved_state
        for name, what in (("first_name", "first name"), ("last_name", "last name"), ("email", "email address")):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = f"Enter the evaluator's {what}."
        self.fields["email"].max_length = 150  # the email address is also the account's username

    def _state(self):
        """What this page edits, as saved; not the sign-in times, which change as the evaluator signs in."""
        return fingerprint([(name, getattr(self.instance, name)) for name in EvaluatorAccountForm.Meta.fields])

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_state")
        if self.instance.pk is not None and opened and opened != self.saved_state:
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if len(email) > 150:
            raise forms.ValidationError("An evaluator's email address can be up to 150 characters.")
        users = get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        if users.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                "Another account has this email address already. If it is this evaluator's, assign that account."
            )
        return email


@admin.register(EvaluatorAccount)
class EvaluatorAccountAdmin(admin.ModelAdmin):
    """Where officers add evaluators' accounts and switch them off; administrators keep every
    other account under Users."""

    form = EvaluatorAccountForm
    list_display = ["__str__", "email", "is_active", "evaluation_count", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["first_name", "last_name", "email"]
    readonly_fields = ["assigned", "last_login", "date_joined"]
    actions = ["send_invitation"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(evaluation_total=Count("evaluations", distinct=True))

    def get_fields(self, request, obj=None):
        if obj is None:  # a new account can sign in once its evaluator has chosen a password
            return ["first_name", "last_name", "email"]
        return [*self.form.Meta.fields, *self.readonly_fields]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else with_hidden_field(fieldsets, "opened_state")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return said_in_words(super().formfield_for_dbfield(db_field, request, **kwargs))

    def has_delete_permission(self, request, obj=None):
        return False  # switched off instead, so that who did what in the workflow stays known

    @admin.display(description="Evaluations", ordering="evaluation_total")
    def evaluation_count(self, account):
        return account.evaluation_total

    @admin.display(description="Assigned to")
    def assigned(self, account):
        evaluations = account.evaluations.order_by("title")
        if not evaluations:
            return "No evaluation yet: assign it on an evaluation's page, or with the list of evaluations' action."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:evaluations_evaluation_change", args=[e.pk]), e.title) for e in evaluations),
        )

    def save_model(self, request, obj, form, change):
        if change:
            old_address = form.initial.get("email") if "email" in form.changed_data else None
            if old_address and obj.username == old_address.lower():
                obj.username = obj.email.lower()  # signed in to by its address: the new one, not the old
            super().save_model(request, obj, form, change)
            if old_address:
                services.tell_old_address(obj, old_address)
            return
        services.open_evaluator_account(obj)
        self.message_user(request, f"An email went to {obj.email} with a link to choose a password.")

    @admin.action(description="Send the invitation to choose a password again")
    def send_invitation(self, request, queryset):
        accounts = list(queryset.filter(is_active=True))
        for account in accounts:
            services.invite(account)
        self.message_user(request, f"Invitations went to {len(accounts)} account{pluralize(len(accounts))}.")
        if skipped := queryset.count() - len(accounts):
            self.message_user(
                request, f"{skipped} switched-off account{pluralize(skipped)} got none.", messages.WARNING
            )
