"""What a document uploaded to the portal may be, by whoever uploads it: an evaluator on the
workspace, or an officer in the back office. Recognised by its content rather than its name."""

import zipfile

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

# For each extension, the first bytes it must start with, and for zip-based formats the part
# that names it.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word, Excel and PowerPoint share one container
OOXML = {".docx": "wordprocessingml", ".xlsx": "spreadsheetml", ".pptx": "presentationml"}
ODF = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}
ALLOWED_EXTENSIONS = {".pdf", ".doc", ".xls", ".ppt", *OOXML, *ODF}
KINDS_IN_WORDS = "PDF, Word, Excel, PowerPoint or OpenDocument"
MAX_PART_BYTES = 1024 * 1024  # the zip entry read to identify a document; larger is not a real one


def not_readable_as_a_sheet(head, chosen_format):
    """Why a file whose first bytes are `head` cannot be imported as `chosen_format` ("csv" or
    "xlsx"), said in words, when it is plainly a document of another kind; otherwise None."""
    if head.startswith(b"%PDF-"):
        return (
            "The file is a PDF document, which this import cannot read. Save the table as an XLSX workbook or as "
            "“CSV UTF-8 (Comma delimited)” from the spreadsheet it came from, then choose that file."
        )
    if head.startswith(OLE2):
        return (
            "The file is in the format of older versions of Excel (.xls) or Word, which this import cannot read. In "
            "Excel, save it as an XLSX workbook or as “CSV UTF-8 (Comma delimited)”, then choose that file."
        )
    if head.startswith(b"PK\x03\x04") and chosen_format == "csv":
        return "The file is an XLSX workbook or another zipped file, not a CSV file. If it is a workbook, choose XLSX."
    return None


def suffix_of(name):
    """ ".pdf" for "Report.PDF"; "" for a name without one."""
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_matches(upload, suffix):
    """Whether the file's content is the kind of document its extension says it is."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix in (".doc", ".xls", ".ppt"):
        return head == OLE2
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(upload) as archive:
            if suffix in OOXML:
                types = _read_part(archive, "[Content_Types].xml")
                return types is not None and f"officedocument.{OOXML[suffix]}".encode() in types
            mimetype = _read_part(archive, "mimetype")
            return mimetype is not None and mimetype.strip() == ODF[suffix]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, NotImplementedError, RuntimeError, EOFError):
        return False
    finally:
        upload.seek(0)


def _read_part(archive, name):
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        return None
    return archive.read(info)


def check_upload(upload):
    """Refuse a new upload that is too large, not of an allowed kind, or not what its name says,
    naming the file refused, since a browser's file box is emptied when the form comes back."""
    limit = settings.DOCUMENT_MAX_UPLOAD_MB
    name = upload.name
    if upload.size > limit * 1024 * 1024:
        raise forms.ValidationError(
            f"“{name}” is larger than {limit} MB, the most a document can be. Choose a smaller file."
        )
    suffix = suffix_of(name)
    if suffix not in ALLOWED_EXTENSIONS:
        raise forms.ValidationError(
            f"“{name}” is not a document of a kind the portal keeps. Choose a {KINDS_IN_WORDS} file."
        )
    if not content_matches(upload, suffix):
        raise forms.ValidationError(
            f"“{name}” is named as a {suffix[1:].upper()} document, but its content is not one. "
            "Check that it is the right file, then choose it again."
        )


class DocumentUploadField(forms.FileField):
    """A document's file on any form: it says what may be uploaded, and checks each new upload
    (a file already saved is not read again)."""

    default_validators = [check_upload]

    def __init__(self, **kwargs):
        if not kwargs.get("help_text"):
            kwargs["help_text"] = f"{KINDS_IN_WORDS}, up to {settings.DOCUMENT_MAX_UPLOAD_MB} MB."
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(sorted(ALLOWED_EXTENSIONS))


class FileRefusedFirst:
    """For a form of a document: while its file is refused, the record's own check for "a file or
    a link" is not run, since it would say that no file was given. The file's message says what
    to do; the rest is checked once the file is right. A file chosen on a form sent back for
    another reason is not kept (a browser never fills in a file box itself): that is said too."""

    def _post_clean(self):
        if "file" not in self.errors:
            super()._post_clean()
        if self.errors:
            say_chosen_file_not_kept(self)


def say_chosen_file_not_kept(form):
    """On a form sent back, the file chosen in its file box, which is not kept, is said to need
    choosing again: by a form with errors of its own, or a row of a page with errors elsewhere."""
    chosen = form.cleaned_data.get("file") if hasattr(form, "cleaned_data") else None
    if "file" not in form.errors and isinstance(chosen, UploadedFile):
        form.add_error("file", f"Choose “{chosen.name}” again once the rest is put right: it was not kept.")
