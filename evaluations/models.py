"""Independent evaluations of phases and partnerships, and what they found."""

import unicodedata

from django.conf import settings
from django.contrib.auth.models import User, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from leadingplaces.fingerprints import fingerprint
from partnerships.models import (
    BaseDocument,
    FigureField,
    InList,
    Institution,
    Outcome,
    Partnership,
    Phase,
    TextLengthValidator,  # here too for the migrations written when it was defined here
    Tracked,
    count_per_row,
    next_position,
    position_field,
    shorten,
    up_to,
)

from .roles import EVALUATORS


def shows_nothing(text):
    """Whether text is only spaces, line breaks and characters that show nothing: those of no width
    (zero-width spaces and joiners, the byte-order mark, soft hyphens) and other formatting marks."""
    return all(
        char.isspace() or unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp") or char in BLANK_LETTERS
        for char in text
    )


# Characters that are letters or marks to Unicode and show as blank: the Hangul fillers, the blank
# Braille pattern and the combining grapheme joiner.
BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f"}


class EvaluationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Evaluation.Status.PUBLISHED)

    def awaiting_review(self):
        return self.filter(status=Evaluation.Status.SUBMITTED)

    def assigned_to(self, user):
        return self.filter(evaluators=user)

    def with_finding_counts(self):
        """Each evaluation's number of findings, as `finding_count`."""
        return self.annotate(finding_count=count_per_row(Finding.objects.all(), "evaluation"))

    def with_last_returned(self):
        """When each evaluation was last returned to its evaluators, as `returned_at` (None if never)."""
        returns = EvaluationEvent.objects.filter(evaluation=OuterRef("pk"), action=EvaluationEvent.Action.RETURNED)
        return self.annotate(returned_at=Subquery(returns.order_by("-at").values("at")[:1]))

    def concerning(self, partnership):
        """Evaluations of the partnership itself or of its whole phase."""
        return self.filter(Q(partnership=partnership) | Q(phase_id=partnership.phase_id))

    def naming(self, partnership):
        """Those whose findings or progress name the partnership (or its desired outcomes), or
        that looked at it in detail, each with how: `names_in_findings`, `names_in_progress` and
        `looked_at_it`."""
        of_this = {"evaluation": OuterRef("pk")}
        return self.annotate(
            names_in_findings=Exists(Finding.objects.filter(**of_this, partnerships=partnership))
            | Exists(Finding.objects.filter(**of_this, outcomes__partnership=partnership)),
            names_in_progress=Exists(OutcomeProgress.objects.filter(**of_this, outcome__partnership=partnership)),
            looked_at_it=Exists(
                Evaluation.looked_at_in_detail.through.objects.filter(**of_this, partnership=partnership)
            ),
        ).filter(Q(names_in_findings=True) | Q(names_in_progress=True) | Q(looked_at_it=True))

    # How an evaluation names a partnership, and what takes the partnership out of it.
    WAYS_OF_NAMING = (
        ("names_in_findings", "its findings", "take it and its desired outcomes off the findings that name them"),
        ("names_in_progress", "its progress on desired outcomes", "remove the progress on its desired outcomes"),
        (
            "looked_at_it",
            "the partnerships it looked at in detail",
            "untick it under “Partnerships looked at in detail”",
        ),
    )

    def how_they_name(self, partnership):
        """Those naming the partnership, with how, as "Phase 2 evaluation (its findings)"; and what
        would take it out of them all, as "remove the progress on its desired outcomes"."""
        described, undoing = [], []
        for evaluation in self.naming(partnership).order_by("title"):
            ways = [(way, undo) for name, way, undo in self.WAYS_OF_NAMING if getattr(evaluation, name)]
            described.append(f"{evaluation.title} ({' and '.join(way for way, _ in ways)})")
            undoing += [undo for _, undo in ways if undo not in undoing]
        return described, [undo for _, _, undo in self.WAYS_OF_NAMING if undo in undoing]


class Evaluation(Tracked):
    """An independent evaluation of a whole phase or of one partnership."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned for changes"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Part of the public address, as in /evaluations/phase-2-evaluation/."
    )
    phase = models.ForeignKey(
        Phase,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
        help_text="Set this for an evaluation of a whole phase, or set a partnership instead.",
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluator_name = models.CharField(max_length=200, blank=True, help_text="As credited on the published evaluation.")
    evaluator_organisation = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="evaluations",
        help_text="The user accounts that may enter findings. Not displayed publicly.",
    )
    date = models.DateField(
        null=True,
        blank=True,
        help_text="The date of the evaluation's report, shown with it on the public pages: for example 28/03/2018.",
    )
    looked_at_in_detail = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="evaluations_in_detail",
        verbose_name="partnerships looked at in detail",
        help_text="For an evaluation of a whole phase: the partnerships of the phase it studied closely (the box "
        "offers those of the phase chosen above). Each of their public pages says so once the evaluation is published.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Changed by the review only: its evaluators submit it; an officer returns or publishes it from its "
        "review page, and publishes or unpublishes it with the actions on the list of evaluations.",
    )
    summary = models.TextField(
        blank=True,
        help_text="Up to 5,000 characters: what the evaluation looked at and what it found overall. Shown publicly "
        "once published.",
        # A validator rather than max_length, as for findings: browsers would cut pasted text short.
        validators=[
            TextLengthValidator(
                5000,
                "A summary can be up to 5,000 characters, and this one has %(show_value)s. "
                "Shorten it, or put the detail in findings or an attached document.",
            )
        ],
    )
    review_comments = models.TextField(
        blank=True,
        help_text="An officer's comments when returning the evaluation. Shown to its evaluators only.",
        validators=[up_to(5000, "Comments")],
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[looked_at_in_detail])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__isnull=False, partnership__isnull=True)
                | Q(phase__isnull=True, partnership__isnull=False),
                name="evaluation_has_one_scope",
                violation_error_message="An evaluation covers either a whole phase or one partnership.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluations:detail", args=[self.slug])

    def clean(self):
        # On a field, so that the database's rule for the same thing is not also shown.
        if self.phase_id is None and self.partnership_id is None:
            raise ValidationError(
                {"phase": "Choose the phase this evaluation covers, or the one partnership it covers."}
            )
        if self.phase_id is not None and self.partnership_id is not None:
            message = "An evaluation covers a whole phase or one partnership, not both: clear one of the two."
            raise ValidationError({"partnership": message})

    @property
    def scope(self):
        return self.partnership or self.phase

    def partnerships_in_scope(self):
        if self.partnership_id:
            return Partnership.objects.filter(pk=self.partnership_id)
        return Partnership.objects.filter(phase_id=self.phase_id)

    def outcomes_in_scope(self):
        return Outcome.objects.filter(partnership__in=self.partnerships_in_scope())

    def covers(self, partnership):
        """Whether a partnership is within the scope; read from the evaluation as it stands, saved or not."""
        if self.partnership_id:
            return partnership.pk == self.partnership_id
        return self.phase_id is not None and partnership.phase_id == self.phase_id

    def finding_scope_errors(self, partnerships, outcomes):
        """{field: message} for what a finding of this evaluation may not name: partnerships or
        outcomes outside its scope, and, in a phase's evaluation, where the ticked partnerships
        decide the pages a finding is shown on, an outcome whose partnership is left unticked."""
        errors = {}
        if self.phase_id is None and self.partnership_id is None:
            return errors  # no scope yet: the evaluation's own form says so
        outside = sorted(str(p) for p in partnerships if not self.covers(p))
        if outside:
            errors["partnerships"] = (
                f"Choose only partnerships within this evaluation’s scope, {self.scope}: "
                f"{'; '.join(outside)} {'is' if len(outside) == 1 else 'are'} not."
            )
        outcomes_outside = [o for o in outcomes if not self.covers(o.partnership)]
        if outcomes_outside:
            errors["outcomes"] = (
                f"Choose only outcomes of partnerships within this evaluation’s scope, {self.scope}: "
                f"{'; '.join(sorted({str(o.partnership) for o in outcomes_outside}))} "
                f"{'is' if len({o.partnership_id for o in outcomes_outside}) == 1 else 'are'} not."
            )
        elif self.phase_id:
            named = {p.pk for p in partnerships}
            unticked = sorted({str(o.partnership.place) for o in outcomes if o.partnership_id not in named})
            if unticked:
                errors["outcomes"] = (
                    f"Each desired outcome you tick needs its partnership ticked too: tick {' and '.join(unticked)} "
                    f"among the partnerships, or untick {'its outcome' if len(unticked) == 1 else 'their outcomes'}."
                )
        return errors

    def looked_at_in_detail_error(self, partnerships):
        """Why these partnerships cannot be the ones it looked at in detail, or None: only an
        evaluation of a phase has them, and they are of that phase."""
        if not partnerships or (self.phase_id is None) == (self.partnership_id is None):
            return None  # no scope yet, or two: the evaluation's own form says so
        if self.partnership_id:
            return "Only an evaluation of a whole phase looks at some of its partnerships in detail: clear these."
        outside = sorted(str(p) for p in partnerships if not self.covers(p))
        if outside:
            return (
                f"Choose only partnerships of {self.phase}: {'; '.join(outside)} "
                f"{'is' if len(outside) == 1 else 'are'} not."
            )
        return None

    def records_outside_scope_error(self):
        """Why it cannot have the scope it now says, or None: the partnerships its saved findings
        and progress name must stay within it (an officer moving an evaluation to another phase
        would otherwise take those findings off their partnerships' pages)."""
        if self.pk is None or (self.phase_id is None) == (self.partnership_id is None):
            return None  # new, or no scope yet or two: the evaluation's own form says so
        named = Partnership.objects.filter(
            Q(findings__evaluation=self.pk)
            | Q(outcomes__findings__evaluation=self.pk)
            | Q(outcomes__assessments__evaluation=self.pk)
        )
        outside = named.exclude(pk__in=self.partnerships_in_scope()).select_related("place", "phase").distinct()
        names = sorted(str(partnership) for partnership in outside)
        if not names:
            return None
        return (
            f"Its findings or progress name {'; '.join(names)}, which {'is' if len(names) == 1 else 'are'} not "
            f"within {self.scope}. Change those first, or keep the scope as it was."
        )

    def is_editable_by_evaluator(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def why_not_ready(self):
        """What must be done before it can be submitted, or None when it can be."""
        if not self.findings.exists():
            return "Add at least one finding before submitting the evaluation."
        return None

    def finding_counts_by_kind(self):
        """[(kind label, number)] for the kinds of finding it has, in the order of the kinds."""
        counts = dict(self.findings.order_by().values_list("kind").annotate(models.Count("pk")))
        return [(label, counts[kind]) for kind, label in Finding.Kind.choices if kind in counts]

    def findings_naming_no_partnership(self):
        """How many findings of a phase's evaluation name no partnership, and so appear on no
        partnership's page; 0 for an evaluation of one partnership, whose findings are all about it."""
        if self.partnership_id:
            return 0
        return self.findings.filter(partnerships__isnull=True).count()

    def outcome_coverage(self):
        """{"assessed": n, "not_assessed": n, "total": n, "by_status": [(status label, n), …]}: how
        many desired outcomes in its scope it has assessed, and has not, and how it found those it
        assessed (the statuses it found, in their order), in one query."""
        per_status = {
            value: models.Count("pk", distinct=True, filter=Q(assessments__evaluation=self, assessments__status=value))
            for value in Outcome.Progress.values
        }
        coverage = self.outcomes_in_scope().aggregate(
            total=models.Count("pk", distinct=True),
            assessed=models.Count("pk", distinct=True, filter=Q(assessments__evaluation=self)),
            **{f"status_{value}": count for value, count in per_status.items()},
        )
        by_status = [(label.lower(), coverage.pop(f"status_{value}")) for value, label in Outcome.Progress.choices]
        return coverage | {
            "not_assessed": coverage["total"] - coverage["assessed"],
            "by_status": [(label, count) for label, count in by_status if count],
        }

    def document_counts(self):
        """{"total": n, "public": n}: its documents, and how many of them may be published."""
        return self.documents.aggregate(total=models.Count("pk"), public=models.Count("pk", filter=Q(is_public=True)))

    def removed_documents(self):
        """The last recorded state of each of its documents that was removed and not restored,
        most recent first; each can be restored from its history in the back office."""
        return (
            EvaluationDocument.history.filter(evaluation_id=self.pk, history_type="-")
            .exclude(id__in=EvaluationDocument.objects.values("id"))
            .select_related("history_user")
            .order_by("-history_date")
        )

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def missing_credit(self):
        """What the public page will not say, for the officer about to publish it."""
        missing = []
        if not (self.evaluator_name or self.evaluator_organisation_id):
            missing.append("who evaluated it")
        if not self.date:
            missing.append("when")
        return missing

    def repeats_a_finding(self, kind, text, finding=None):
        """Whether another of its findings has this kind and these words, however spaced: most
        often the same form sent twice. `finding` is the one being edited, if any."""
        others = self.findings.filter(kind=kind)
        if finding is not None and finding.pk:
            others = others.exclude(pk=finding.pk)
        words = Finding.words_of(text)
        return any(Finding.words_of(other) == words for other in others.values_list("text", flat=True))

    def as_reviewed(self, findings, progress, documents):
        """A digest of what the review page shows of it, from what that page loaded. Its form
        carries it, so that a decision taken on a page opened before the evaluation changed
        (returned and submitted again, or corrected in the back office) is refused."""

        def outcome(o):  # as the page names it, and shows a figure reached against it
            return (o.pk, o.description, o.indicator, o.unit, str(o.baseline), str(o.target), str(o.partnership.place))

        organisation = self.evaluator_organisation
        return fingerprint(
            [
                ("evaluation", self.pk, self.version, str(self.scope), organisation and organisation.name),
                *(
                    ("finding", f.pk, f.kind, f.text, f.evidence, f.position)
                    + (
                        sorted((p.pk, str(p.place)) for p in f.partnerships.all()),
                        sorted(map(outcome, f.outcomes.all())),
                    )
                    for f in findings
                ),
                *(
                    ("progress", p.pk, p.status, p.evidence_note, str(p.value_reached), outcome(p.outcome))
                    for p in progress
                ),
                *(("document", d.pk, d.title, d.kind, d.url, d.file.name, d.is_public) for d in documents),
            ]
        )

    def locked(self):
        """The evaluation read again under a row lock held until the transaction ends, so that
        changes to it made at once (two officers' decisions, two new findings) are made one after
        the other."""
        return Evaluation.objects.select_for_update().get(pk=self.pk)

    def next_finding_position(self):
        return next_position(self.findings)

    def has_document(self, title, upload):
        """Whether this evaluation has a document of this title whose file is this upload's, byte for
        byte: the same form sent twice (a double click on its button). Only the stored files of
        that title and size are read."""
        for document in self.documents.filter(title=title).exclude(file=""):
            try:
                if document.file.size == upload.size and _same_bytes(document.file, upload):
                    return True
            except OSError:  # its stored file is missing: not the same document
                continue
        return False

    @transaction.atomic
    def record_progress(self, assessments):
        """Save {outcome: (status, note, figure reached)}; an empty status removes that outcome's assessment."""
        current = {a.outcome_id: a for a in self.progress.all()}
        for outcome, (status, note, value) in assessments.items():
            existing = current.get(outcome.pk)
            if not status:
                if existing:
                    existing.delete()
            elif existing is None:
                OutcomeProgress.objects.create(
                    evaluation=self, outcome=outcome, status=status, evidence_note=note, value_reached=value
                )
            elif (existing.status, existing.evidence_note, existing.value_reached) != (status, note, value):
                existing.status, existing.evidence_note, existing.value_reached = status, note, value
                existing.save()


class EvaluationEvent(models.Model):
    """One step in an evaluation's workflow: who did what, and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned with comments"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    # What __str__ reads from other tables, for lists that name many of these at once.
    named_with = ("by",)

    def __str__(self):
        return f"{self.get_action_display()} by {self.by_name} at {self.at:%d %b %Y %H:%M}"

    @property
    def by_name(self):
        """Who took the step, by full name or username; "someone" once their account is deleted."""
        if self.by is None:
            return "someone"
        return self.by.get_full_name() or self.by.get_username()


class Finding(InList):
    """One thing an evaluation found: an achievement, a challenge, a recommendation, a conclusion or a lesson."""

    list_of = "evaluation"

    class Kind(models.TextChoices):
        ACHIEVEMENT = "achievement", "Achievement"
        CHALLENGE = "challenge", "Challenge"
        RECOMMENDATION = "recommendation", "Recommendation"
        CONCLUSION = "conclusion", "Conclusion"
        LESSON = "lesson", "Lesson"

    class Evidence(models.TextChoices):
        UNSTATED = "", "Not stated"
        SELF_REPORTED = "self-reported", "Self-reported by the partnership"
        OBSERVED = "observed", "Observed by the evaluator"
        DATA = "data", "Backed by data or a document"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    text = models.TextField(
        help_text="Up to 2,000 characters: one finding, in a sentence or a short paragraph.",
        # A validator rather than max_length, whose maxlength attribute would have browsers cut
        # pasted text short without a word.
        validators=[
            TextLengthValidator(
                2000,
                "A finding can be up to 2,000 characters, and this one has %(show_value)s. "
                "Shorten it, or put the detail in an attached document.",
            )
        ],
    )
    position = position_field()
    evidence = models.CharField("evidence", max_length=20, choices=Evidence.choices, blank=True, db_index=True)
    partnerships = models.ManyToManyField(Partnership, blank=True, related_name="findings")
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="findings")

    history = HistoricalRecords(m2m_fields=[partnerships, outcomes])

    class Meta:
        ordering = ["position", "id"]
        # An evaluation's findings in order; also the back office's list order.
        indexes = [models.Index(fields=["evaluation", "position", "id"], name="finding_in_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""), name="finding_has_text", violation_error_message="A finding needs some text."
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {shorten(self.text, 60)}"

    @staticmethod
    def words_of(text):
        """The words of a finding's text, as a reader sees them: spaces and line breaks between
        them are not told apart."""
        return " ".join(text.split())

    def clean(self):
        super().clean()
        # An empty text is the form's "required" error; here, text that shows nothing: only spaces,
        # or characters of no width.
        if self.text and shows_nothing(self.text):
            raise ValidationError({"text": "Write the finding before saving it."})

    @transaction.atomic
    def move(self, direction):
        """Swap places with the previous ("up") or next ("down") finding of the same kind: findings
        are shown grouped by kind, so only their order within a kind shows. Returns its number among
        its kind (from 1) afterwards, or None when it is already first or last of them."""
        siblings = list(self.evaluation.findings.filter(kind=self.kind).select_for_update().order_by("position", "pk"))
        index = next(i for i, f in enumerate(siblings) if f.pk == self.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return None
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, finding in enumerate(siblings):
            if finding.position != position:
                finding.position = position
                finding.save(update_fields=["position"])
        return other + 1


KIND_ORDER = {kind: position for position, kind in enumerate(Finding.Kind.values)}


def findings_by_kind(findings):
    """Findings in the order of their kinds (achievements first), then as the evaluation ordered
    them within each kind: how every page lists them, and what
    templates/evaluations/includes/_findings.html expects."""
    return sorted(findings, key=lambda f: (KIND_ORDER.get(f.kind, 99), f.evaluation_id, f.position, f.pk))


class OutcomeProgress(models.Model):
    """An evaluator's assessment of progress on one desired outcome."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=20, choices=Outcome.Progress.choices, db_index=True)
    evidence_note = models.CharField(max_length=500, blank=True)
    value_reached = FigureField(
        "figure reached",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For an outcome with a numeric indicator only: the figure reached, in the indicator's unit.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "outcome progress"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "outcome"],
                name="one_assessment_per_outcome",
                violation_error_message="This outcome already has an assessment in the evaluation.",
            )
        ]

    # What __str__ reads from other tables, for lists that name many of these at once.
    named_with = ("outcome",)

    def __str__(self):
        return f"{self.outcome}: {self.get_status_display()}"

    def as_referring(self):
        """Said of it where it keeps its outcome from being removed."""
        return f"{self.evaluation} recorded progress on it (“{self.get_status_display()}”)"

    def clean(self):
        if self.value_reached is not None and self.outcome_id and not self.outcome.is_numeric:
            raise ValidationError(
                {
                    "value_reached": "Only an outcome with a numeric indicator has a figure reached: clear the "
                    "figure, or give the outcome a numeric indicator and a target."
                }
            )


def _same_bytes(stored, upload):
    with stored.open("rb"):
        same = all(a == b for a, b in zip(stored.chunks(), upload.chunks(), strict=False))
    upload.seek(0)
    return same


class EvaluationDocument(BaseDocument):
    """Evidence or a report attached to an evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="documents")

    history = HistoricalRecords()

    class Meta:
        constraints = [BaseDocument.file_or_link_constraint("evaluation_document_file_or_link")]

    def get_absolute_url(self):
        return reverse("evaluations:document", args=[self.pk])


class EvaluatorAccountManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(groups__name=EVALUATORS, is_staff=False)


class EvaluatorAccount(User):
    """An evaluator's sign-in account as programme officers keep them in the back office: a
    person's name and email address, in the Evaluators group, never staff. Officers may not open
    user accounts in general, as they could then make themselves administrators; these they may."""

    objects = EvaluatorAccountManager()

    class Meta:
        proxy = True
        verbose_name = "evaluator account"
        ordering = ["first_name", "last_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email or self.username
