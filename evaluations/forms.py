"""Forms of the evaluator workspace and the officers' review."""

import zipfile

from django import forms
from django.conf import settings

from partnerships.models import Outcome

from .models import EvaluationDocument, Finding


class SummaryForm(forms.Form):
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="What the evaluation looked at and what it found overall. Shown publicly once published.",
    )


class FindingForm(forms.ModelForm):
    """A finding, tied only to partnerships and outcomes within the evaluation's scope."""

    class Meta:
        model = Finding
        fields = ["kind", "text", "evidence", "partnerships", "outcomes"]
        labels = {"text": "Finding", "evidence": "Where the evidence comes from"}
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
        self.fields["kind"].choices = [("", "Choose a kind"), *Finding.Kind.choices]
        in_scope = evaluation.partnerships_in_scope().select_related("place", "phase").order_by("place__name")
        out_of_scope = "Choose only partnerships within this evaluation’s scope."
        self.fields["partnerships"].queryset = in_scope
        self.fields["partnerships"].error_messages["invalid_choice"] = out_of_scope
        self.fields["outcomes"].queryset = (
            Outcome.objects.filter(partnership__in=in_scope)
            .select_related("partnership__place")
            .order_by("partnership__place__name", "position")
        )
        self.fields["outcomes"].label_from_instance = lambda o: f"{o.partnership.place}: {o}"
        self.fields["outcomes"].error_messages["invalid_choice"] = (
            "Choose only outcomes of partnerships within this evaluation’s scope."
        )


class OutcomeProgressForm(forms.Form):
    """A status and an evidence note for each desired outcome in scope."""

    STATUS_CHOICES = [("", "Not assessed"), *Outcome.Progress.choices[1:]]

    def __init__(self, *args, outcomes, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        for outcome in self.outcomes:
            assessment = current.get(outcome.pk)
            self.fields[f"status_{outcome.pk}"] = forms.ChoiceField(
                label="Progress",
                choices=self.STATUS_CHOICES,
                required=False,
                initial=assessment.status if assessment else "",
            )
            self.fields[f"note_{outcome.pk}"] = forms.CharField(
                label="Evidence",
                max_length=500,
                required=False,
                initial=assessment.evidence_note if assessment else "",
            )

    def rows(self):
        """(outcome, status field, note field) for each outcome, for the template."""
        return [(o, self[f"status_{o.pk}"], self[f"note_{o.pk}"]) for o in self.outcomes]

    def clean(self):
        cleaned = super().clean()
        for outcome in self.outcomes:
            if cleaned.get(f"note_{outcome.pk}") and not cleaned.get(f"status_{outcome.pk}"):
                self.add_error(f"status_{outcome.pk}", "Choose a progress status for the evidence you gave.")
        return cleaned

    def assessments(self):
        """{outcome: (status, note)} for every outcome, "" status meaning not assessed."""
        return {
            outcome: (self.cleaned_data[f"status_{outcome.pk}"], self.cleaned_data[f"note_{outcome.pk}"].strip())
            for outcome in self.outcomes
        }


# What an evidence document may be, recognised by its first bytes rather than its name.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word, Excel and PowerPoint
ALLOWED_EXTENSIONS = {
    ".pdf": "pdf",
    ".doc": "ole2",
    ".xls": "ole2",
    ".ppt": "ole2",
    ".docx": "ooxml",
    ".xlsx": "ooxml",
    ".pptx": "ooxml",
    ".odt": "odf",
    ".ods": "odf",
    ".odp": "odf",
}


def sniff(upload):
    """The kind of document the content says it is: pdf, ole2, ooxml, odf or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == OLE2:
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names:
                    return "ooxml"
                if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                    return "odf"
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
    return None


class EvidenceDocumentForm(forms.ModelForm):
    class Meta:
        model = EvaluationDocument
        fields = ["title", "kind", "file", "is_public"]
        labels = {"is_public": "May be published with the evaluation"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields[
            "file"
        ].help_text = f"PDF, Word, Excel, PowerPoint or OpenDocument, up to {settings.DOCUMENT_MAX_UPLOAD_MB} MB."
        self.fields["kind"].initial = EvaluationDocument.Kind.EVIDENCE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.DOCUMENT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {limit} MB. Upload a smaller file.")
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        expected = ALLOWED_EXTENSIONS.get(suffix)
        if expected is None:
            raise forms.ValidationError("Upload a PDF, Word, Excel, PowerPoint or OpenDocument file.")
        if sniff(upload) != expected:
            raise forms.ValidationError(
                f"The file’s content is not a {suffix[1:].upper()} document. Check that it is the right file."
            )
        return upload


class ReviewForm(forms.Form):
    RETURN, PUBLISH = "return", "publish"

    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Needed when you return the evaluation: the evaluator sees them before editing again.",
    )
    decision = forms.ChoiceField(
        choices=[(RETURN, "Return to the evaluator with comments"), (PUBLISH, "Accept and publish")],
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comments", "").strip():
            self.add_error("comments", "Say what needs to change, so that the evaluator knows what to do.")
        return cleaned
