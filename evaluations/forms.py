"""Forms of the evaluator workspace and the officers' review."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from leadingplaces.fingerprints import fingerprint
from partnerships.documents import FileRefusedFirst
from partnerships.forms import WrittenNumberField, on_one_line
from partnerships.models import Outcome

from .models import Evaluation, EvaluationDocument, Finding


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the evaluation",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=Evaluation._meta.get_field("summary").help_text,
    )
    # The evaluation's version when the form was opened, so that a co-evaluator's save is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation

    @property
    def is_stale(self):
        """Whether it was refused for being opened before someone else's save."""
        return self.is_bound and self.has_error(NON_FIELD_ERRORS, "stale")

    def clean_summary(self):
        # Line breaks count once, as for findings; the limit is the model's, so the back office keeps the same.
        summary = self.cleaned_data["summary"].replace("\r\n", "\n")
        Evaluation._meta.get_field("summary").run_validators(summary)
        return summary

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("version")
        if self.evaluation is not None and opened is not None and opened != self.evaluation.version:
            # The page shown again carries the version now saved, so that saving again (having
            # read theirs, which the page shows too) puts this summary in place of theirs.
            self.data = self.data.copy()
            self.data["version"] = self.evaluation.version
            raise forms.ValidationError(
                "Someone else changed this evaluation after you opened it, so your summary was not saved. Yours "
                "is in the box; the summary as saved now is below it. Save again to put yours in place of theirs.",
                code="stale",
            )
        return cleaned


class FindingForm(forms.ModelForm):
    """A finding, tied only to partnerships and outcomes within the evaluation's scope."""

    class Meta:
        model = Finding
        fields = ["kind", "text", "evidence", "partnerships", "outcomes"]
        # As on the progress form, the optional fields say so, and the required ones are unmarked.
        labels = {
            "text": "Finding",
            "evidence": "Where the evidence comes from (optional)",
            "partnerships": "Partnerships it concerns (optional)",
            "outcomes": "Desired outcomes it concerns (optional)",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "partnerships": forms.CheckboxSelectMultiple,
            "outcomes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "partnerships": "The partnerships this finding is about, if any.",
            "outcomes": "The desired outcomes this finding speaks to, if any.",
        }
        error_messages = {
            "kind": {"required": "Choose what kind of finding this is."},
            # Surrounding spaces are stripped first, so a blank finding meets this message.
            "text": {"required": "Write the finding before saving it."},
        }

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.fields["kind"].choices = [("", "Choose a kind"), *Finding.Kind.choices]
        in_scope = evaluation.partnerships_in_scope().select_related("place", "phase").order_by("place__name")
        out_of_scope = "Choose only partnerships within this evaluation’s scope."
        self.fields["partnerships"].queryset = in_scope
        self.fields["partnerships"].error_messages["invalid_choice"] = out_of_scope
        if evaluation.partnership_id:
            # Every finding of an evaluation of one partnership is about it: nothing to choose.
            del self.fields["partnerships"]
        self.fields["outcomes"].queryset = (
            Outcome.objects.filter(partnership__in=in_scope)
            .select_related("partnership__place")
            .order_by("partnership__place__name", "position")
        )
        # In full: evaluators need to tell apart outcomes that begin with the same words; by place
        # when the evaluation covers several partnerships.
        if evaluation.partnership_id:
            self.fields["outcomes"].label_from_instance = lambda o: o.description
        else:
            self.fields["outcomes"].label_from_instance = lambda o: f"{o.partnership.place}: {o.description}"
        self.fields["outcomes"].error_messages["invalid_choice"] = (
            "Choose only outcomes of partnerships within this evaluation’s scope."
        )
        if not self.fields["outcomes"].queryset.exists():
            # No partnership in scope has desired outcomes: an empty group of boxes says nothing.
            del self.fields["outcomes"]
        # The finding as saved when the page was drawn, so that a co-evaluator's edit since is not overwritten unseen.
        self.saved_fingerprint = None
        if self.instance.pk:
            finding = self.instance
            self.saved_fingerprint = fingerprint(
                [
                    ("text", finding.kind, finding.text, finding.evidence),
                    # As the form read them for its boxes: no further query.
                    ("partnerships", *sorted(p.pk for p in self.initial["partnerships"])),
                    ("outcomes", *sorted(o.pk for o in self.initial["outcomes"])),
                ]
            )

    def clean_text(self):
        # Browsers send each line break as two characters; count it, and keep it, as one.
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        opened = self.data.get("opened")
        if self.saved_fingerprint and opened is not None and opened != self.saved_fingerprint:
            raise forms.ValidationError(
                "Someone else changed this finding after you opened it, so nothing was saved. Your version is "
                "below: save again to put it in place of theirs, or open the workspace in a new tab to see "
                "theirs first."
            )
        if repeats_another_finding(self, self.evaluation, cleaned):
            kind = Finding.Kind(cleaned["kind"]).label.lower()
            if self.instance.pk:
                message = (
                    f"Another {kind} of this evaluation says this already, word for word, so nothing was saved. "
                    "Change the words, or remove one of the two in the workspace."
                )
            else:
                message = (
                    f"This evaluation already has this {kind}, word for word, so it was not saved again. To name "
                    "more partnerships or outcomes, edit the one in the workspace."
                )
            self.add_error("text", message)
        partnerships_read = "partnerships" in cleaned or "partnerships" not in self.fields
        outcomes_read = "outcomes" in cleaned or "outcomes" not in self.fields
        if partnerships_read and outcomes_read:
            errors = self.evaluation.finding_scope_errors(cleaned.get("partnerships", []), cleaned.get("outcomes", []))
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned


def repeats_another_finding(form, evaluation, cleaned):
    """Whether a finding form's finding, new or with its kind or words changed, has the kind and
    words of another of the evaluation's findings: most often the same form sent twice. Twins saved
    before can still be edited in other ways."""
    kind, text = cleaned.get("kind"), cleaned.get("text")
    if not (kind and text) or evaluation.pk is None or not is_new_or_reworded(form):
        return False
    return evaluation.repeats_a_finding(kind, text, form.instance)


def is_new_or_reworded(form):
    """Whether a finding form adds a finding or changes its kind or words: those are checked for
    repeating another."""
    return form.instance.pk is None or bool({"kind", "text"} & set(form.changed_data))


class EvidenceNoteField(forms.CharField):
    """One paragraph of up to 500 characters: line breaks become spaces, as the back office keeps
    the note on one line; longer text is refused with its length, not cut."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())

    def validate(self, value):
        super().validate(value)
        if len(value) > 500:
            raise forms.ValidationError(
                f"Evidence can be up to 500 characters, and this has {len(value):,}. "
                "Shorten it, or put the detail in a finding or a document."
            )


class OutcomeProgressForm(forms.Form):
    """A status and an evidence note for each desired outcome in scope."""

    STATUS_CHOICES = [("", "Not yet assessed"), *Outcome.Progress.choices[1:]]

    def __init__(self, *args, outcomes, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        # Each outcome's progress as saved now, and a digest of it as this form shows it, which
        # the page carries back as its state when first opened: an outcome left as it was opened is
        # not written, so a co-evaluator's save since stands, and one changed by both is refused
        # with theirs named.
        self.saved = {outcome.pk: current.get(outcome.pk) for outcome in self.outcomes}
        self.shown = {outcome.pk: _shown_state(outcome, self.saved[outcome.pk]) for outcome in self.outcomes}
        self.untouched, self.conflicts = set(), set()
        for outcome in self.outcomes:
            assessment = self.saved[outcome.pk]
            # Labelled by their outcome, so that the error summary tells apart the fields it lists.
            self.fields[f"status_{outcome.pk}"] = forms.ChoiceField(
                label=f"Progress on “{outcome.description}”",
                choices=self.STATUS_CHOICES,
                required=False,
                initial=_shown_status(assessment),
            )
            self.fields[f"note_{outcome.pk}"] = EvidenceNoteField(
                label=f"Evidence on “{outcome.description}”",
                required=False,
                initial=assessment.evidence_note if assessment else "",
            )
            if outcome.is_numeric:
                reached = assessment.value_reached if assessment else None
                self.fields[f"value_{outcome.pk}"] = FigureReachedField(
                    label=f"Figure reached on “{outcome.description}”",
                    required=False,
                    initial=None if reached is None else f"{reached.normalize():f}",  # as typed: 72, not 72.00
                )

    def rows(self):
        """(outcome, status field, note field, figure field or None, its state as opened) for each
        outcome, for the template."""
        return [
            (
                o,
                self[f"status_{o.pk}"],
                self[f"note_{o.pk}"],
                self[f"value_{o.pk}"] if o.is_numeric else None,
                self._opened(o),
            )
            for o in self.outcomes
        ]

    def _opened(self, outcome):
        """The state as opened, for the page: when the page is shown again with errors, the one it
        was first opened with (its boxes still show what was typed, not what is saved now), except
        for an outcome refused because someone else saved it, which takes theirs, so that saving
        again puts this person's in place of theirs."""
        sent = self.data.get(f"opened_{outcome.pk}") if self.is_bound else None
        if sent is None or outcome.pk in self.conflicts:
            return self.shown[outcome.pk]
        return sent

    def clean(self):
        cleaned = super().clean()
        for outcome in self.outcomes:
            self._check_against_saved(outcome, cleaned)
        for outcome in self.outcomes:
            if cleaned.get(f"status_{outcome.pk}") or outcome.pk in self.untouched:
                continue  # an outcome left as opened is not this person's to correct
            if cleaned.get(f"value_{outcome.pk}") is not None:
                self.add_error(f"status_{outcome.pk}", "Choose a progress status for the figure you gave.")
            elif cleaned.get(f"note_{outcome.pk}"):
                self.add_error(f"status_{outcome.pk}", "Choose a progress status for the evidence you gave.")
        return cleaned

    def assessments(self):
        """{outcome: (status, note, figure reached)} for each outcome the form sent, "" status meaning
        not assessed. An outcome the form did not send (one added since the page was opened) is left
        as it is, not taken as cleared."""
        return {
            outcome: self._typed(outcome, self.cleaned_data)
            for outcome in self.outcomes
            if f"status_{outcome.pk}" in self.data and outcome.pk not in self.untouched
        }

    def _typed(self, outcome, cleaned):
        return (
            cleaned[f"status_{outcome.pk}"],
            cleaned[f"note_{outcome.pk}"].strip(),
            cleaned.get(f"value_{outcome.pk}"),
        )

    def _check_against_saved(self, outcome, cleaned):
        """Note an outcome left as it was opened, and refuse one that this person and someone else
        both changed since the page was opened, naming what the other saved."""
        names = [f"status_{outcome.pk}", f"note_{outcome.pk}"]
        opened = self.data.get(f"opened_{outcome.pk}")
        if opened is None or any(name not in cleaned for name in names):
            return  # not sent (an outcome added since), or refused already for what was typed
        typed = _state(*self._typed(outcome, cleaned))
        saved = self.saved[outcome.pk]
        if typed == opened:
            self.untouched.add(outcome.pk)
        elif opened != self.shown[outcome.pk] and typed != self.shown[outcome.pk]:
            self.conflicts.add(outcome.pk)
            theirs = f"“{saved.get_status_display()}”" if saved else "not yet assessed"
            if saved and saved.evidence_note:
                theirs += f", with the evidence “{saved.evidence_note}”"
            self.add_error(
                names[0],
                f"Someone else saved progress on this outcome after you opened this page: it is now {theirs}. "
                "Yours is below: save again to put it in place of theirs.",
            )


def _state(status, note, figure):
    """A digest of one outcome's progress, the same for what is saved and for what is typed."""
    return fingerprint([status or "", note or "", "" if figure is None else f"{figure.normalize():f}"])


def _shown_status(assessment):
    """The status the form shows for saved progress: "" (not yet assessed) for none, and for a
    status it does not offer (the programme's own "not assessed")."""
    offered = assessment and assessment.status != Outcome.Progress.NOT_ASSESSED
    return assessment.status if offered else ""


def _shown_state(outcome, assessment):
    """A digest of an outcome's saved progress as the form shows it, and so as it comes back when
    left alone: the note as one line, and a figure only for a numeric outcome."""
    if assessment is None:
        return _state("", "", None)
    note = " ".join(assessment.evidence_note.split())
    return _state(_shown_status(assessment), note, assessment.value_reached if outcome.is_numeric else None)


class FigureReachedField(WrittenNumberField):
    """The figure a numeric outcome reached, written as people write numbers, which must fit the
    stored column (12 digits before the point, 2 after)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)
        self.error_messages["invalid"] = "Enter the figure reached as a number, such as 72 or 1,250.5."


class EvidenceDocumentForm(FileRefusedFirst, forms.ModelForm):
    class Meta:
        model = EvaluationDocument
        fields = ["title", "kind", "file", "is_public"]
        labels = {"is_public": "May be published with the evaluation"}
        error_messages = {
            "title": {
                "required": "Enter a title for the document.",
                "max_length": "A title can be up to %(limit_value)d characters, and this one has %(show_value)d.",
            },
            "file": {"required": "Choose a file to attach."},
        }

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.fields["file"].required = True
        self.fields["kind"].initial = EvaluationDocument.Kind.EVIDENCE
        on_one_line(self.fields["title"])  # as in the back office, whose page would refuse it later

    def clean(self):
        cleaned = super().clean()
        title, upload = cleaned.get("title"), cleaned.get("file")
        if title and upload and self.evaluation.has_document(title, upload):
            self.add_error(
                "file",
                f"This evaluation already has this file as “{title}”, so it was not attached again. "
                "It is listed under Documents in the workspace.",
            )
        return cleaned


class DocumentDetailsForm(forms.ModelForm):
    """An attached document's title, kind and whether it may be published, changed afterwards;
    its file stays as it is (to replace it, remove the document and attach the new file)."""

    class Meta(EvidenceDocumentForm.Meta):
        fields = ["title", "kind", "is_public"]

    # The document as saved when the page was drawn, so that a co-evaluator's change since is not
    # overwritten unseen.
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        document = self.instance
        self.saved_fingerprint = fingerprint([document.title, document.kind, document.is_public])
        self.fields["opened"].initial = self.saved_fingerprint
        on_one_line(self.fields["title"])

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened")
        if opened and opened != self.saved_fingerprint:
            self.data = self.data.copy()
            self.data["opened"] = self.saved_fingerprint  # saving again puts these in place of theirs
            raise forms.ValidationError(
                "Someone else changed this document after you opened it, so nothing was saved. Your changes are "
                "below, and the document as saved now is in the workspace: save again to put yours in place of "
                "theirs.",
                code="stale",
            )
        return cleaned


class ReviewForm(forms.Form):
    """An officer's decision, made with one of two buttons: return with comments, or accept and publish."""

    RETURN, PUBLISH = "return", "publish"

    comments = forms.CharField(
        label="Comments for the evaluators",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Needed when you return the evaluation: its evaluators see them before editing again. "
        "When you publish it, any comments are emailed to its evaluators with the news.",
        validators=Evaluation._meta.get_field("review_comments").validators,
    )
    decision = forms.ChoiceField(choices=[(RETURN, "Return with comments"), (PUBLISH, "Accept and publish")])
    # What the page showed when it was opened (Evaluation.as_reviewed); the page writes it itself,
    # as what it shows now, when it is shown again.
    reviewed = forms.CharField(widget=forms.HiddenInput, required=False)
    # Publishing is asked about once more (evaluations/publish_confirm.html), which sends "yes";
    # anything else is not a yes.
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    STALE_MESSAGE = (
        "This evaluation changed after you opened this page, so your decision was not taken. The page "
        "now shows it as it is: read it again, then decide. Your comments are kept below."
    )

    def __init__(self, *args, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown

    def clean_confirmed(self):
        return self.cleaned_data["confirmed"] == "yes"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reviewed") and cleaned["reviewed"] != self.shown:
            raise forms.ValidationError(self.STALE_MESSAGE, code="stale")
        # One button is pressed; a form that sends both decisions (made by hand) is refused, where
        # the last would otherwise be taken.
        if "decision" in self.errors or len(self.data.getlist("decision")) > 1:
            # The decision comes from the button pressed, so it has no field of its own to point at.
            self.errors.pop("decision", None)
            raise forms.ValidationError("Choose “Return with comments” or “Accept and publish”.")
        # Comments refused (too long, say) are not missing: their own error says what to change.
        if cleaned.get("decision") == self.RETURN and "comments" not in self.errors and not cleaned["comments"].strip():
            self.add_error("comments", "Say what needs to change, so that the evaluator knows what to do.")
        return cleaned
