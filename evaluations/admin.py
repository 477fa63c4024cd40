from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Evaluation, EvaluationDocument, EvaluationEvent, Finding, OutcomeProgress


class FindingInline(admin.StackedInline):
    model = Finding
    fields = ["kind", "text", "evidence", "partnerships", "outcomes", "position"]
    autocomplete_fields = ["partnerships", "outcomes"]
    extra = 0


class OutcomeProgressInline(admin.TabularInline):
    model = OutcomeProgress
    autocomplete_fields = ["outcome"]
    extra = 0


class EvaluationDocumentInline(admin.TabularInline):
    model = EvaluationDocument
    fields = ["title", "kind", "file", "url", "is_public"]
    extra = 0


class EvaluationEventInline(admin.TabularInline):
    model = EvaluationEvent
    fields = ["action", "by", "at", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "phase", "partnership", "status", "date"]
    list_filter = ["status", "phase"]
    list_select_related = ["phase", "partnership__place", "partnership__phase"]
    search_fields = ["title", "summary", "evaluator_name"]
    autocomplete_fields = ["phase", "partnership", "evaluator_organisation", "evaluators"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["submitted_at", "published_at"]
    inlines = [FindingInline, OutcomeProgressInline, EvaluationDocumentInline, EvaluationEventInline]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "evaluation", "kind", "evidence"]
    list_filter = ["kind", "evidence", "evaluation__status"]
    list_select_related = ["evaluation"]
    search_fields = ["text", "evaluation__title"]
    autocomplete_fields = ["evaluation", "partnerships", "outcomes"]
    show_full_result_count = False


@admin.register(OutcomeProgress)
class OutcomeProgressAdmin(SimpleHistoryAdmin):
    list_display = ["outcome", "evaluation", "status"]
    list_filter = ["status"]
    list_select_related = ["outcome", "evaluation"]
    search_fields = ["outcome__description", "evidence_note"]
    autocomplete_fields = ["evaluation", "outcome"]


@admin.register(EvaluationDocument)
class EvaluationDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "is_public", "evaluation"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["evaluation"]
    search_fields = ["title"]
    autocomplete_fields = ["evaluation"]
