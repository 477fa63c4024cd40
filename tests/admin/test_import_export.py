"""Spreadsheets in and out: a round trip changes nothing, a bad file changes nothing, a dry run
changes nothing, and a real import leaves history."""

import csv
import io
import re

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from partnerships.models import Institution, Membership, Outcome, Partnership, Place
from partnerships.resources import InstitutionResource, MembershipResource, OutcomeResource, PartnershipResource

pytestmark = pytest.mark.django_db

RESOURCES = [InstitutionResource, PartnershipResource, MembershipResource, OutcomeResource]


def _state():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Institution, Partnership, Membership, Outcome, Partnership.themes.through)
    ] + [Partnership.history.count(), Institution.history.count()]


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
def test_reimporting_an_export_changes_nothing(leading_places, resource_class):
    before = _state()
    for file_format in ("csv", "xlsx"):
        exported = resource_class().export()
        dataset = tablib.Dataset().load(exported.export(file_format), format=file_format)
        result = resource_class().import_data(dataset, dry_run=False, raise_errors=True)
        assert not result.has_errors() and not result.has_validation_errors()
        assert {row.import_type for row in result.rows} == {"skip"}
        assert _state() == before


def test_an_import_with_one_bad_row_changes_nothing(leading_places):
    before = _state()
    dataset = PartnershipResource().export()
    rows = dataset.dict
    rows[0]["title"] = "Changed by the import"
    rows[1]["phase"] = "phase-9"
    bad = tablib.Dataset(headers=dataset.headers)
    for row in rows:
        bad.append([row[h] for h in dataset.headers])
    result = PartnershipResource().import_data(bad, dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert _state() == before


def test_a_dry_run_previews_changes_without_making_them(leading_places):
    before = _state()
    dataset = InstitutionResource().export()
    dataset.append(["new-college", "New College", "fe-college", "london", "", ""])
    result = InstitutionResource().import_data(dataset, dry_run=True)
    assert [row.import_type for row in result.rows].count("new") == 1
    assert _state() == before


def test_a_real_import_adds_records_and_history(leading_places):
    dataset = InstitutionResource().export()
    dataset.append(["new-college", "New College", "fe-college", "london", "", ""])
    result = InstitutionResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    college = Institution.objects.get(slug="new-college")
    assert college.history.count() == 1


def test_an_officer_reaches_the_import_and_export_pages(officer_client, leading_places):
    for model in ("partnership", "institution", "membership", "outcome"):
        assert officer_client.get(reverse(f"admin:partnerships_{model}_import")).status_code == 200
        assert officer_client.get(reverse(f"admin:partnerships_{model}_export")).status_code == 200


def test_an_import_through_the_admin_previews_then_applies(officer_client, leading_places):
    dataset = InstitutionResource().export()
    dataset.append(["new-college", "New College", "fe-college", "london", "", ""])
    upload = SimpleUploadedFile("institutions.csv", dataset.export("csv").encode(), content_type="text/csv")
    preview = officer_client.post(
        reverse("admin:partnerships_institution_import"),
        {"resource": 0, "format": 0, "import_file": upload},
    )
    assert preview.status_code == 200
    same = Institution.objects.count()
    assert f"1 new, 0 changed, and {same} the same as saved, which stay as they are." in preview.text
    assert not Institution.objects.filter(slug="new-college").exists()
    confirm = preview.context["confirm_form"]
    data = {name: field.value() for name, field in ((f.html_name, f) for f in confirm)}
    applied = officer_client.post(reverse("admin:partnerships_institution_process_import"), data, follow=True)
    assert applied.redirect_chain[0][1] == 302
    assert f"Import finished: 1 new, 0 changed, and {same} the same as saved institutions, left as they were." in (
        applied.text
    )
    college = Institution.objects.get(slug="new-college")
    assert college.history.first().history_user.username == "olivia"

    # Confirmed again (pressed twice, or from another tab): its file is gone, and Olivia is told so.
    again = officer_client.post(reverse("admin:partnerships_institution_process_import"), data, follow=True)
    assert again.redirect_chain == [(reverse("admin:partnerships_institution_import"), 302)]
    assert "This import could not be confirmed: it may have been confirmed already" in again.text
    assert Institution.objects.filter(slug="new-college").count() == 1
    tampered = officer_client.post(reverse("admin:partnerships_institution_process_import"), data | {"format": 99})
    assert tampered.status_code == 302


def test_olivias_check_of_a_file_lists_only_the_rows_it_would_change_numbered_as_in_her_spreadsheet(
    officer_client, leading_places
):
    dataset = InstitutionResource().export()
    rows = dataset.dict
    rows[2]["name"] = "A corrected name"
    preview = _preview(officer_client, "institution", _as_dataset(rows, dataset.headers).export("csv"))

    table = re.search(r'aria-label="New and changed rows".*?</table>', preview.text, re.S).group(0)
    assert re.findall(r"<tr class=\"(\w+)\">\s*<td>(\d+)</td>\s*<td class=\"import-type\">(\w+)</td>", table) == [
        ("update", "4", "Changed")
    ]  # the headings are row 1, so the third institution is row 4
    assert "A corrected name" in table and rows[3]["name"] not in table
    assert f"0 new, 1 changed, and {len(rows) - 1} the same as saved" in preview.text
    assert preview.text.count("Confirm the import") == 2 and 'form="confirm-import"' in preview.text


def test_a_file_the_same_as_what_is_saved_says_confirming_changes_nothing(officer_client, leading_places):
    preview = _preview(officer_client, "institution", InstitutionResource().export().export("csv"))
    assert "Every row of the file is the same as what is saved: confirming changes nothing." in preview.text
    assert "New and changed rows" not in preview.text


def test_an_import_that_can_no_longer_be_applied_when_confirmed_says_nothing_was_imported(
    officer_client, leading_places
):
    from django.contrib.admin.models import LogEntry

    dataset = InstitutionResource().export()
    dataset.append(["new-college", "New College", "fe-college", "london", "", ""])
    dataset.append(["newer-college", "Newer College", "fe-college", "london", "", ""])
    preview = _preview(officer_client, "institution", dataset.export("csv"), name="institutions.csv")
    confirm = {field.html_name: field.value() for field in preview.context["confirm_form"]}
    # Meanwhile another officer adds an institution of one of the new names.
    Institution.objects.create(slug="other", name="Newer College", kind="fe-college", region="london")

    applied = officer_client.post(reverse("admin:partnerships_institution_process_import"), confirm, follow=True)

    assert applied.redirect_chain == [(reverse("admin:partnerships_institution_import"), 302)]
    assert "Nothing was imported: since the preview, the records have changed" in applied.text
    assert not Institution.objects.filter(slug__in=["new-college", "newer-college"]).exists()
    assert not LogEntry.objects.exists()


def _renamed_in_file(name, renamed):
    dataset = InstitutionResource().export()
    rows = dataset.dict
    row = next(row for row in rows if row["name"] == name)
    row["name"] = renamed
    return _as_dataset(rows, dataset.headers).export("csv")


def test_olivias_confirmed_import_does_not_overwrite_what_oscar_changed_after_she_checked_the_file(
    officer_client, leading_places
):
    college = Institution.objects.filter(kind="fe-college").order_by("name").first()
    preview = _preview(officer_client, "institution", _renamed_in_file(college.name, "Olivia's name for it"))
    confirm = {field.html_name: field.value() for field in preview.context["confirm_form"]}
    assert f'name="checked_at" value="{confirm["checked_at"]}"' in preview.text
    college.name = "Oscar's name for it"
    college.save()  # meanwhile, on its own page
    number = 2 + [row.object_id for row in preview.context["result"].rows].index(college.pk)  # headings: row 1

    applied = officer_client.post(reverse("admin:partnerships_institution_process_import"), confirm, follow=True)

    assert applied.redirect_chain == [(reverse("admin:partnerships_institution_import"), 302)]
    assert (
        "Nothing was imported: someone changed records that the file updates after you checked it, at "
        f"row {number} (Oscar&#x27;s name for it)."
    ) in applied.text
    college.refresh_from_db()
    assert college.name == "Oscar's name for it"


def test_an_edit_made_before_olivia_checked_the_file_does_not_stop_her_import(officer_client, leading_places):
    college = Institution.objects.filter(kind="fe-college").order_by("name").first()
    college.name = "Renamed before the check"
    college.save()
    preview = _preview(officer_client, "institution", _renamed_in_file(college.name, "Olivia's name for it"))
    confirm = {field.html_name: field.value() for field in preview.context["confirm_form"]}

    applied = officer_client.post(reverse("admin:partnerships_institution_process_import"), confirm)

    assert applied.status_code == 302
    college.refresh_from_db()
    assert college.name == "Olivia's name for it"


@pytest.mark.parametrize("checked_at", ["", "yesterday", "2020-01-01T00:00:00"], ids=["empty", "words", "no-zone"])
def test_a_confirmation_whose_time_of_checking_was_made_by_hand_imports_as_without_one(
    officer_client, leading_places, checked_at
):
    college = Institution.objects.filter(kind="fe-college").order_by("name").first()
    preview = _preview(officer_client, "institution", _renamed_in_file(college.name, "Olivia's name for it"))
    confirm = {field.html_name: field.value() for field in preview.context["confirm_form"]}

    applied = officer_client.post(
        reverse("admin:partnerships_institution_process_import"), confirm | {"checked_at": checked_at}
    )

    assert applied.status_code == 302
    college.refresh_from_db()
    assert college.name == "Olivia's name for it"


def test_an_outcome_changed_after_olivia_checked_her_file_of_outcomes_is_not_overwritten(
    officer_client, leading_places
):
    dataset = OutcomeResource().export()
    rows = dataset.dict
    (outcome,) = Outcome.objects.filter(description=rows[0]["description"])
    rows[0]["description"] = "Olivia's wording."
    preview = _preview(officer_client, "outcome", _as_dataset(rows, dataset.headers).export("csv"))
    confirm = {field.html_name: field.value() for field in preview.context["confirm_form"]}
    outcome.description = "Oscar's wording."
    outcome.save()

    applied = officer_client.post(reverse("admin:partnerships_outcome_process_import"), confirm, follow=True)

    assert "Nothing was imported: someone changed records that the file updates after you checked it" in applied.text
    outcome.refresh_from_db()
    assert outcome.description == "Oscar's wording."


@pytest.mark.parametrize("forged", [{"format": 1}, {"import_file_name": "x" * 5000}], ids=["xlsx", "long-name"])
def test_a_confirmation_forged_to_another_format_or_file_name_imports_nothing_and_says_so(
    officer_client, leading_places, forged
):
    dataset = InstitutionResource().export()
    dataset.append(["new-college", "New College", "fe-college", "london", "", ""])
    preview = _preview(officer_client, "institution", dataset.export("csv"))
    confirm = {field.html_name: field.value() for field in preview.context["confirm_form"]}

    response = officer_client.post(
        reverse("admin:partnerships_institution_process_import"), confirm | forged, follow=True
    )

    assert response.redirect_chain == [(reverse("admin:partnerships_institution_import"), 302)]
    assert "This import could not be confirmed" in response.text
    assert not Institution.objects.filter(slug="new-college").exists()


def _preview(client, model, content, name="upload.csv"):
    upload = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(
        reverse(f"admin:partnerships_{model}_import"), {"resource": 0, "format": 0, "import_file": upload}
    )


def _partnerships_csv(change):
    dataset = PartnershipResource().export()
    rows = dataset.dict
    change(rows[0])
    edited = tablib.Dataset(headers=dataset.headers)
    for row in rows:
        edited.append([row[h] for h in dataset.headers])
    return edited.export("csv")


def test_olivia_is_told_every_problem_of_every_row_in_one_go_in_words(officer_client, leading_places):
    before = _state()
    dataset = PartnershipResource().export()
    rows = dataset.dict
    rows[0]["phase"] = "phase-9"
    rows[1]["themes"] = "nonsense-theme"
    rows[2]["region"] = "atlantis"
    rows[3]["title"] = ""
    rows[4]["title"] = "x" * 400
    edited = tablib.Dataset(headers=dataset.headers)
    for row in rows:
        edited.append([row[h] for h in dataset.headers])

    page = _preview(officer_client, "partnership", edited.export("csv"))

    assert page.status_code == 422
    problems = re.findall(r'<li class="import-error-li">(.*?)</li>', page.text)
    assert problems[0] == "Row 2, phase: No phase with the slug “phase-9”."
    assert problems[1] == "Row 3, themes: No theme with the slug “nonsense-theme”."
    assert problems[2].startswith("Row 4, region: “atlantis” is not one of the choices, which are: North East, ")
    assert problems[3:] == [
        "Row 5, title: This cannot be left empty.",
        "Row 6, title: This can be up to 200 characters, and has 400.",
    ]
    assert "reupload" not in page.text and "Non field specific" not in page.text
    assert _state() == before


def test_a_row_naming_an_unknown_phase_has_its_other_problems_listed_too(officer_client, leading_places):
    before = _state()
    content = _partnerships_csv(lambda row: row.update(phase="phase-9", title="", region="atlantis"))

    page = _preview(officer_client, "partnership", content)

    assert page.status_code == 422
    problems = [p for p in re.findall(r'<li class="import-error-li">(.*?)</li>', page.text) if p.startswith("Row 2,")]
    assert problems[0] == "Row 2, phase: No phase with the slug “phase-9”."
    assert "Row 2, title: This cannot be left empty." in problems
    assert any(p.startswith("Row 2, region: “atlantis” is not one of the choices") for p in problems)
    assert _state() == before


def test_a_partners_row_with_two_unknown_keys_has_both_listed(leading_places):
    headers = ["partnership", "institution", "role", "note", "position"]
    rows = [{"partnership": "phase-9/nowhere", "institution": "no-such-institution", "role": "bogus", "note": ""}]
    rows[0]["position"] = ""

    result = MembershipResource().import_data(_as_dataset(rows, headers), dry_run=True)

    said = " ".join(_messages(result))
    assert "phase-9/nowhere" in said and "no-such-institution" in said and "bogus" in said


def test_an_unknown_theme_in_an_import_is_refused_by_name_not_dropped(officer_client, leading_places):
    before = _state()
    page = _preview(
        officer_client, "partnership", _partnerships_csv(lambda row: row.update(themes="not-a-theme|culture"))
    )
    assert page.status_code == 422
    assert "Row 2, themes: No theme with the slug “not-a-theme”." in page.text
    assert "confirm_form" not in page.context or page.context["confirm_form"] is None
    assert _state() == before


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("phase", "phase-9", "No phase with the slug “phase-9”"),
        ("place", "atlantis", "No place with the slug “atlantis”"),
    ],
)
def test_an_unknown_phase_or_place_in_an_import_is_named_in_the_message(
    officer_client, leading_places, column, value, message
):
    page = _preview(officer_client, "partnership", _partnerships_csv(lambda row: row.update({column: value})))
    assert page.status_code == 422 and message in page.text


def test_a_file_with_the_wrong_columns_gets_a_plain_message_not_a_traceback(officer_client, leading_places):
    page = _preview(officer_client, "partnership", "name,colour\nBedford,blue\nHull,green\n")
    assert page.status_code == 422
    assert "Traceback" not in page.text and "File &quot;" not in page.text
    assert "The file has no phase or slug column, which this import needs" in page.text
    assert 'import-error-li">Row ' not in page.text  # not the same failure again for every row


def _as_dataset(rows, headers):
    """Rows (dicts, as an export's `dict` gives them, perhaps edited) as a file to import."""
    return tablib.Dataset(*[[row[h] for h in headers] for row in rows], headers=headers)


def _messages(result):
    """Every message the preview shows for the rows: field errors and row errors."""
    found = []
    for row in result.invalid_rows:
        found += [message for messages in row.error_dict.values() for message in messages]
    for _, errors in result.row_errors():
        found += [str(error.error) for error in errors]
    return found


def test_a_number_that_is_not_one_is_refused_in_words(leading_places):
    before = _state()
    dataset = OutcomeResource().export()
    rows = dataset.dict
    rows[0]["indicator"], rows[0]["baseline"], rows[0]["target"] = "numeric", "about ten", "100"
    rows[1]["position"] = "first"
    bad = _as_dataset(rows, dataset.headers)

    result = OutcomeResource().import_data(bad, dry_run=True)

    messages = _messages(result)
    assert "“about ten” is not a number: write a number such as 72 or 1250.5." in messages
    assert not any("“100”" in message for message in messages)
    assert "“first” is not a whole number: write one such as 0, 1 or 2." in messages
    assert not any("ConversionSyntax" in message for message in messages)
    assert _state() == before


@pytest.mark.parametrize("position", ["1.5", "-1", "1e400", "NaN", "40000", "1,5"])
def test_a_position_that_is_not_a_whole_number_in_range_is_refused_not_rounded(leading_places, position):
    before = _state()
    dataset = OutcomeResource().export()
    rows = dataset.dict
    rows[1]["position"] = position
    bad = _as_dataset(rows, dataset.headers)

    result = OutcomeResource().import_data(bad, dry_run=True)

    assert result.has_validation_errors() or result.has_errors()
    messages = _messages(result)
    assert any(m.startswith(f"“{position}” is not a whole number") for m in messages) or (
        f"“{position}” is too large for a position: a position is at most 32,767." in messages
    ), messages
    assert _state() == before


def test_a_position_a_spreadsheet_writes_as_2_point_0_is_read_as_2(leading_places):
    dataset = OutcomeResource().export()
    rows = dataset.dict
    rows[0]["position"] = f"{rows[0]['position']}.0"
    again = _as_dataset(rows, dataset.headers)

    result = OutcomeResource().import_data(again, dry_run=True)

    assert not result.has_validation_errors() and not result.has_errors()
    assert {row.import_type for row in result.rows} == {"skip"}  # read as the same position, so unchanged


def test_new_outcomes_imported_with_no_position_go_after_the_last_in_the_files_order(leading_places):
    bedford = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    last = bedford.outcomes.order_by("position").last().position
    headers = ["partnership", "position", "description", "progress"]
    rows = [
        {"partnership": "phase-2/bedford", "position": "", "description": "More walking.", "progress": ""},
        {"partnership": "phase-2/bedford", "position": "", "description": "More cycling.", "progress": ""},
    ]

    result = OutcomeResource().import_data(_as_dataset(rows, headers), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), _messages(result)
    added = bedford.outcomes.filter(position__gt=last).values_list("description", "position")
    assert list(added) == [("More walking.", last + 1), ("More cycling.", last + 2)]
    assert set(bedford.outcomes.filter(position__gt=last).values_list("progress", flat=True)) == {"not-assessed"}


def test_a_new_outcome_left_without_a_position_is_not_overwritten_by_a_later_row_given_the_next(leading_places):
    bedford = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    last = bedford.outcomes.order_by("position").last().position
    headers = ["partnership", "position", "description", "progress"]
    rows = [
        {"partnership": "phase-2/bedford", "position": "", "description": "More walking.", "progress": ""},
        {"partnership": "phase-2/bedford", "position": last + 1, "description": "More cycling.", "progress": ""},
    ]

    result = OutcomeResource().import_data(_as_dataset(rows, headers), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), _messages(result)
    assert [row.import_type for row in result.rows] == ["new", "new"]
    added = bedford.outcomes.filter(position__gt=last).order_by("position").values_list("description", "position")
    assert list(added) == [("More cycling.", last + 1), ("More walking.", last + 2)]


@pytest.mark.parametrize("rows", [2, 12])
def test_numbering_outcomes_left_without_a_position_asks_once_per_partnership_not_per_row(
    leading_places, django_assert_num_queries, rows
):
    headers = ["partnership", "position", "description", "progress"]
    dataset = _as_dataset(
        [
            {"partnership": "phase-2/bedford", "position": "", "description": f"Outcome {n}.", "progress": ""}
            for n in range(rows)
        ],
        headers,
    )

    with django_assert_num_queries(2):  # the partnership, and its last saved position
        OutcomeResource().before_import(dataset)

    assert len({row[1] for row in dataset}) == rows


def test_a_membership_imported_with_its_position_left_empty_keeps_its_place(leading_places):
    dataset = MembershipResource().export()
    rows = dataset.dict
    membership = Membership.objects.get(
        partnership__phase__slug=rows[1]["partnership"].split("/")[0],
        partnership__slug=rows[1]["partnership"].split("/")[1],
        institution__slug=rows[1]["institution"],
    )
    rows[1]["position"] = ""
    rows[1]["note"] = "A note added in the spreadsheet."

    result = MembershipResource().import_data(_as_dataset(rows, dataset.headers), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), _messages(result)
    saved = Membership.objects.get(pk=membership.pk)
    assert (saved.note, saved.position) == ("A note added in the spreadsheet.", membership.position)


def test_a_new_outcome_imported_after_one_at_the_largest_position_is_refused_in_words(leading_places):
    from partnerships.models import NO_ROOM_AFTER_LAST, POSITION_MOST

    dataset = OutcomeResource().export()
    rows = dataset.dict
    full = Outcome.objects.get(description=rows[0]["description"]).partnership
    full.outcomes.filter(position=max(full.outcomes.values_list("position", flat=True))).update(position=POSITION_MOST)
    before = _state()
    new = {**rows[0], "position": "", "description": "One too many."}
    result = OutcomeResource().import_data(_as_dataset([new], dataset.headers), dry_run=True)

    assert result.has_validation_errors()
    assert NO_ROOM_AFTER_LAST in _messages(result)
    assert not any("too large for a position" in message for message in _messages(result))
    assert _state() == before


def test_two_outcomes_at_one_position_are_named_in_an_import_not_a_crash(leading_places):
    bedford = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    first = bedford.outcomes.order_by("position").first()
    Outcome.objects.create(partnership=bedford, description="A second at the same place.", position=first.position)
    dataset = OutcomeResource().export()

    result = OutcomeResource().import_data(dataset, dry_run=True)

    assert (
        f"phase-2/bedford has more than one desired outcome at position {first.position}: give each outcome its "
        "own position on the partnership's page, then import again." in _messages(result)
    )


def test_two_rows_for_one_record_refuse_the_file_naming_both_rows(officer_client, leading_places):
    before = _state()
    dataset = InstitutionResource().export()
    first = dataset.dict[0]
    dataset.append([first[h] if h != "name" else "A second name for it" for h in dataset.headers])

    page = _preview(officer_client, "institution", dataset.export("csv"))

    assert (
        f"Some rows are for the same record: rows 2 and {len(dataset) + 1} (slug “{first['slug']}”). "
        "Keep one row for each record, then import again." in page.text
    )
    assert "confirm_form" not in page.context or page.context["confirm_form"] is None
    assert _state() == before


def test_a_nul_character_in_a_cell_is_refused_by_row_and_column(officer_client, leading_places):
    before = _state()
    page = _preview(officer_client, "partnership", _partnerships_csv(lambda row: row.update(summary="Broken\x00text")))

    assert (
        "The file has a NUL character (a zero byte, which is not text) in row 2, column summary "
        "(the headings being row 1)" in page.text
    )
    assert _state() == before


def test_an_empty_spreadsheet_is_said_to_be_empty_not_named_by_its_python_exception(officer_client, leading_places):
    content = io.BytesIO()
    openpyxl.Workbook().save(content)
    xlsx = _format_choice(XLSX)
    upload = SimpleUploadedFile("empty.xlsx", content.getvalue())

    page = officer_client.post(
        reverse("admin:partnerships_institution_import"), {"resource": 0, "format": xlsx, "import_file": upload}
    )

    assert page.status_code == 422
    assert "The file is empty: it has no rows, not even the column headings." in page.text
    assert "StopIteration" not in page.text


def test_a_file_that_is_not_the_format_chosen_is_said_so_in_words(officer_client, leading_places):
    xlsx = _format_choice(XLSX)
    upload = SimpleUploadedFile("not-really.xlsx", b"slug,name\nx,y\n")

    page = officer_client.post(
        reverse("admin:partnerships_institution_import"), {"resource": 0, "format": xlsx, "import_file": upload}
    )

    assert page.status_code == 422
    assert "The file could not be read. Check that the format chosen is the file’s own" in page.text
    assert "encountered while trying to read file" not in page.text
    # The columns the import reads are still listed, to check the file against.
    assert "The columns an import of institutions reads" in page.text and "<code>identifier</code>" in page.text


def test_the_import_page_says_what_each_column_holds_and_which_name_the_record(officer_client, leading_places):
    page = officer_client.get(reverse("admin:partnerships_outcome_import"))

    ((_, rows),) = page.context["column_guides"]
    guide = {column: (holds, optional, key) for column, holds, optional, key in rows}
    assert list(guide) == [f.column_name for f in OutcomeResource().get_import_fields()]
    assert [column for column, (_, _, key) in guide.items() if key] == ["partnership", "position"]
    assert guide["target_date"] == ("A date, written 2018-03-31 or 31/03/2018.", True, False)
    assert guide["description"][1] is False
    assert guide["progress"][0].endswith(
        "Left empty, a new record’s is Not yet assessed and a saved one’s stays as it is."
    )
    assert "Left empty, the row adds an outcome after the last." in page.text
    assert reverse("admin:partnerships_outcome_export") in page.text


def test_the_themes_column_is_explained_with_slugs_that_exist(officer_client, leading_places):
    page = officer_client.get(reverse("admin:partnerships_partnership_import"))

    ((_, rows),) = page.context["column_guides"]
    holds = {column: holds for column, holds, _, _ in rows}["themes"]
    assert holds == "Slugs of themes, separated by |, such as business-growth|collaborative-leadership."
    dataset = PartnershipResource().export()
    rows = dataset.dict
    rows[0]["themes"] = "business-growth|collaborative-leadership"
    result = PartnershipResource().import_data(_as_dataset(rows, dataset.headers), dry_run=True)
    assert not result.has_validation_errors(), _messages(result)


def test_a_status_left_empty_keeps_a_published_partnership_published_and_makes_a_new_one_a_draft(leading_places):
    dataset = PartnershipResource().export()
    rows = dataset.dict
    rows[0]["status"] = ""
    phase_slug, slug = rows[0]["phase"], rows[0]["slug"]
    assert Partnership.objects.get(phase__slug=phase_slug, slug=slug).is_published
    place = Place.objects.exclude(partnerships__phase__slug=phase_slug).first()
    rows.append(rows[1] | {"slug": "newtown", "place": place.slug, "status": ""})
    status = next(holds for column, holds, *_ in PartnershipResource().column_guide() if column == "status")
    assert status.endswith("Left empty, a new record’s is Draft and a saved one’s stays as it is.")

    result = PartnershipResource().import_data(_as_dataset(rows, dataset.headers), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), _messages(result)
    assert Partnership.objects.get(phase__slug=phase_slug, slug=slug).is_published
    assert Partnership.objects.get(phase__slug=rows[1]["phase"], slug="newtown").status == Partnership.Status.DRAFT


def _format_choice(file_format):
    """The import page's choice of a file format."""
    return admin.site.get_model_admin(Institution).get_import_formats().index(file_format)


@pytest.mark.parametrize("written", ["{}.0", "0{}", " {} "])
def test_one_position_written_two_ways_is_still_two_rows_for_one_record(leading_places, written):
    dataset = OutcomeResource().export()
    first = dataset.dict[0]
    dataset.append([written.format(first[h]) if h == "position" else first[h] for h in dataset.headers])

    result = OutcomeResource().import_data(dataset, dry_run=True)

    assert [str(e.error) for e in result.base_errors] == [
        f"Some rows are for the same record: rows 2 and {len(dataset) + 1} (partnership "
        f"“{first['partnership']}”, position “{first['position']}”). Keep one row for each record, then import again."
    ]


def test_rows_with_part_of_their_key_missing_are_left_to_their_own_errors(leading_places):
    dataset = OutcomeResource().export()
    first = dataset.dict[0]
    for _ in range(2):
        dataset.append(["" if h == "partnership" else first[h] for h in dataset.headers])

    result = OutcomeResource().import_data(dataset, dry_run=True)

    assert not any("same record" in str(e.error) for e in result.base_errors)
    assert result.has_errors() or result.has_validation_errors()


def test_a_nul_in_a_column_the_import_does_not_read_is_let_be(leading_places):
    dataset = InstitutionResource().export()
    dataset.append_col(["own note\x00"] * len(dataset), header="notes")

    result = InstitutionResource().import_data(dataset, dry_run=True)

    assert not result.has_errors()


def test_a_csv_saved_in_an_older_excel_encoding_is_told_how_to_save_it(officer_client, leading_places):
    upload = SimpleUploadedFile("cp1252.csv", "slug,name\ncafe,Café £\n".encode("cp1252"))

    page = officer_client.post(
        reverse("admin:partnerships_institution_import"),
        {"resource": 0, "format": _format_choice(CSV), "import_file": upload},
    )

    assert page.status_code == 422
    assert "In Excel, save it as “CSV UTF-8 (Comma delimited)”" in page.text


def _workbook_bytes():
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "format", "told"),
    [
        ("report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", CSV, "The file is a PDF document"),
        ("report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", XLSX, "The file is a PDF document"),
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
            CSV,
            "The file is in the format of older versions of Excel (.xls)",
        ),
        ("sheet.xlsx", None, CSV, "The file is an XLSX workbook or another zipped file, not a CSV file."),
    ],
    ids=["pdf-as-csv", "pdf-as-xlsx", "xls", "xlsx-as-csv"],
)
def test_a_file_that_is_plainly_another_kind_of_document_is_refused_as_what_it_is(
    officer_client, leading_places, name, content, format, told
):
    before = _state()
    upload = SimpleUploadedFile(name, _workbook_bytes() if content is None else content)

    page = officer_client.post(
        reverse("admin:partnerships_institution_import"),
        {"resource": 0, "format": _format_choice(format), "import_file": upload},
    )

    assert page.status_code == 422
    assert page.context["form"].errors["import_file"][0].startswith(told)
    assert "confirm_form" not in page.context and _state() == before


def test_a_workbook_chosen_as_xlsx_is_not_refused_as_a_zipped_file(officer_client, leading_places):
    upload = SimpleUploadedFile("empty.xlsx", _workbook_bytes())
    page = officer_client.post(
        reverse("admin:partnerships_institution_import"),
        {"resource": 0, "format": _format_choice(XLSX), "import_file": upload},
    )
    assert "zipped file" not in page.text


def test_an_import_that_publishes_a_partnership_with_no_partners_or_summary_warns_as_publishing_does(
    officer_client, leading_places
):
    Place.objects.create(name="Luton", slug="luton")
    upload = SimpleUploadedFile(
        "partnerships.csv",
        b"phase,slug,place,title,summary,region,themes,outcomes_intro,why_chosen,status,stage\n"
        b"phase-2,empty-one,luton,Empty published,,,,,,published,active\n",
        content_type="text/csv",
    )
    preview = officer_client.post(
        reverse("admin:partnerships_partnership_import"), {"resource": 0, "format": 0, "import_file": upload}
    )
    confirm = {f.html_name: f.value() for f in preview.context["confirm_form"]}

    applied = officer_client.post(reverse("admin:partnerships_partnership_process_import"), confirm, follow=True)

    said = [message.message for message in applied.context["messages"]]
    assert "Luton – Phase 2: its public page has no partners and no summary; add them on its page." in said
    assert Partnership.objects.get(slug="empty-one").is_published


@pytest.mark.parametrize(
    ("written", "read"), [("2018-03-31", "2018-03-31"), ("31/03/2018", "2018-03-31"), ("01/02/2018", "2018-02-01")]
)
def test_an_outcomes_target_date_is_read_as_written_here_or_in_the_uk_never_as_in_the_us(leading_places, written, read):
    dataset = OutcomeResource().export()
    rows = dataset.dict
    rows[0]["target_date"] = written
    edited = _as_dataset(rows, dataset.headers)

    result = OutcomeResource().import_data(edited, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    first = Outcome.objects.get(partnership__slug=rows[0]["partnership"].split("/")[-1], position=rows[0]["position"])
    assert str(first.target_date) == read


@pytest.mark.parametrize("written", ["2018-02-30", "31-12-2018", "12/31/2018", "next March"])
def test_a_target_date_that_is_not_one_is_refused_in_words_and_nothing_changes(leading_places, written):
    before = _state()
    dataset = OutcomeResource().export()
    rows = dataset.dict
    rows[0]["target_date"] = written
    bad = _as_dataset(rows, dataset.headers)

    result = OutcomeResource().import_data(bad, dry_run=False)

    assert f"“{written}” is not a date: write it as 2018-03-31 or 31/03/2018." in _messages(result)
    assert _state() == before


def test_headings_are_read_in_any_capitals_and_without_spaces_around_them(leading_places):
    dataset = InstitutionResource().export()
    dataset.headers = [f" {heading.capitalize()} " for heading in dataset.headers]
    result = InstitutionResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}


def test_a_number_with_commas_between_thousands_is_read_as_that_number(leading_places):
    dataset = OutcomeResource().export()
    rows = dataset.dict
    rows[0]["indicator"], rows[0]["baseline"], rows[0]["target"] = "numeric", "1,250.5", "2,000"
    edited = _as_dataset(rows, dataset.headers)

    result = OutcomeResource().import_data(edited, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    first = Outcome.objects.get(partnership__slug=rows[0]["partnership"].split("/")[-1], position=rows[0]["position"])
    assert (str(first.baseline), str(first.target)) == ("1250.50", "2000.00")


FORMULA = '=HYPERLINK("https://example.org/","Click")'


def test_the_export_button_marks_text_that_a_spreadsheet_would_run_as_a_formula(officer_client, leading_places):
    Partnership.objects.filter(slug="bedford").update(title=FORMULA)
    export = reverse("admin:partnerships_partnership_export")
    form = officer_client.get(export).context["form"]
    chosen = {name: "on" for name, field in form.fields.items() if name.startswith("partnershipresource_")}
    csv_format = next(value for value, label in form.fields["format"].choices if label == "csv")

    response = officer_client.post(export, {"format": csv_format, "resource": 0, **chosen})

    text = response.content.decode("utf-8-sig")
    assert f"'{FORMULA}".replace('"', '""') in text
    assert f",{FORMULA}".replace('"', '""') not in text and f',"{FORMULA}'.replace('"', '""') not in text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_with_text_marked_as_not_a_formula_imports_again_unchanged(leading_places, file_format):
    Partnership.objects.filter(slug="bedford").update(title=FORMULA, summary="-Less is more", why_chosen="'=quoted")
    Partnership.objects.filter(slug="hull").update(title="'-quoted", summary="''hello", why_chosen="'-5")
    before = _state()
    exported = PartnershipResource().export()
    assert f"'{FORMULA}" in exported["title"] and "'-Less is more" in exported["summary"]

    dataset = tablib.Dataset().load(exported.export(file_format), format=file_format)
    result = PartnershipResource().import_data(dataset, dry_run=False, raise_errors=True)

    assert {row.import_type for row in result.rows} == {"skip"}
    assert _state() == before


def test_text_saved_by_a_spreadsheet_program_without_the_mark_imports_as_it_reads(leading_places):
    dataset = PartnershipResource().export()
    rows = dataset.dict
    row = next(r for r in rows if r["slug"] == "bedford" and r["phase"] == "phase-2")
    row["title"] = "+ Bedford, again"
    again = _as_dataset(rows, dataset.headers)

    PartnershipResource().import_data(again, dry_run=False, raise_errors=True)

    assert Partnership.objects.get(slug="bedford", phase__slug="phase-2").title == "+ Bedford, again"


def test_a_file_with_two_columns_of_one_heading_is_refused_by_name_and_nothing_is_imported(
    officer_client, leading_places
):
    before = _state()
    content = (
        "slug,name,kind,region,website,identifier,Slug\n"
        "row-a,Aylesbury College ONE,fe-college,south-east,,,aylesbury-college\n"
        "row-b,Aylesbury College TWO,fe-college,south-east,,,aylesbury-college\n"
    )

    page = _preview(officer_client, "institution", content)

    assert page.status_code == 422
    assert "The file has more than one column headed “slug” (headings are read in any capitals)." in page.text
    assert _state() == before


@pytest.mark.parametrize(("separator", "words"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_csv_file_separated_by_semicolons_is_said_to_be(officer_client, leading_places, separator, words):
    before = _state()
    exported = PartnershipResource().export()
    assert any("," in str(cell) for row in exported for cell in row)  # commas inside the text, as in a real file
    written = io.StringIO()
    writer = csv.writer(written, delimiter=separator)
    writer.writerows([exported.headers, *exported])
    content = written.getvalue()
    page = _preview(officer_client, "partnership", content)
    assert page.status_code == 422
    assert f"The file’s columns are separated by {words} rather than commas" in page.text
    assert "has no phase or slug column" not in page.text
    assert _state() == before


def test_a_csv_file_with_a_cell_too_long_to_read_is_said_to_have_one(officer_client, leading_places):
    before = _state()
    exported = PartnershipResource().export()
    rows = exported.dict
    rows[0]["summary"] = "y" * 200_000
    content = _as_dataset(rows, exported.headers)
    page = _preview(officer_client, "partnership", content.export("csv"))
    assert page.status_code == 422
    assert "A cell of the file holds more than 131,072 characters" in page.text
    assert "Check that the format chosen" not in page.text
    assert _state() == before


def test_an_import_of_a_second_partnership_for_a_place_in_one_phase_is_refused_in_words(leading_places):
    before = _state()
    headers = ["phase", "slug", "place", "title", "status", "stage"]
    dataset = tablib.Dataset(
        ["phase-2", "bedford-again", "bedford", "Bedford again", "draft", "active"], headers=headers
    )

    result = PartnershipResource().import_data(dataset, dry_run=True)

    assert "This place already has a partnership in this phase: open that one to change it" in " ".join(
        _messages(result)
    )
    assert _state() == before


def test_a_choice_may_be_written_by_its_name_as_the_back_office_shows_it(leading_places):
    dataset = PartnershipResource().export()
    rows = dataset.dict
    row = next(r for r in rows if r["slug"] == "bedford" and r["phase"] == "phase-2")
    row["status"], row["region"] = "Draft", " south  EAST "
    edited = _as_dataset(rows, dataset.headers)

    result = PartnershipResource().import_data(edited, dry_run=False, raise_errors=True)

    assert not result.has_validation_errors()
    bedford = Partnership.objects.get(slug="bedford", phase__slug="phase-2")
    assert (bedford.status, bedford.region) == ("draft", "south-east")


def test_a_choice_that_is_neither_a_name_nor_a_code_is_refused_with_the_choices(leading_places):
    before = _state()
    dataset = PartnershipResource().export()
    rows = dataset.dict
    rows[0]["status"] = "Publishd"
    bad = _as_dataset(rows, dataset.headers)

    result = PartnershipResource().import_data(bad, dry_run=True)

    assert "“Publishd” is not one of the choices, which are: Draft, Published." in _messages(result)
    assert _state() == before


def test_an_imported_summary_over_its_limit_is_refused_in_words(leading_places):
    before = _state()
    dataset = PartnershipResource().export()
    rows = dataset.dict
    rows[0]["summary"] = "x" * 1001
    bad = _as_dataset(rows, dataset.headers)

    result = PartnershipResource().import_data(bad, dry_run=True)

    assert "This can be up to 1,000 characters, and has 1,001." in _messages(result)
    assert _state() == before


def test_a_position_written_with_a_thousands_comma_is_read_as_that_number(leading_places):
    dataset = OutcomeResource().export()
    rows = dataset.dict
    rows[0]["position"] = "1,000"
    again = _as_dataset(rows, dataset.headers)

    result = OutcomeResource().import_data(again, dry_run=True)

    assert not result.has_validation_errors() and not result.has_errors()
    assert result.rows[0].import_type == "new"  # position 1,000 of its partnership: no outcome is there yet


@pytest.mark.parametrize("model", ["institution", "partnership", "membership", "outcome"])
def test_a_file_whose_first_line_is_empty_is_refused_in_words_not_with_a_server_error(
    officer_client, leading_places, model
):
    before = _state()

    page = _preview(officer_client, model, "\nslug,name\nnew-college,New College\n")

    assert page.status_code == 422
    assert "The file’s first row has no column headings" in page.text
    assert 'import-error-li">Row ' not in page.text
    assert _state() == before


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("phase,slug,title,place,status\nphase-9,nowhere,,atlantis,published\n", "1 row cannot be imported: see what"),
        ("name\nAylesbury College\n", "The file has no phase or slug column, which this import needs"),
    ],
)
def test_a_refused_file_is_said_at_the_top_of_the_page_in_words_with_a_link_down_to_what_to_correct(
    officer_client, leading_places, content, said
):
    page = _preview(officer_client, "partnership", content)

    assert page.status_code == 422
    top = page.text.split('id="error-summary"')[1].split("</div>")[0]
    assert "Nothing was imported" in top and f'<a href="#import-errors">{said}' in top
    assert page.text.count('id="import-errors"') == 1
    assert page.text.index('id="error-summary"') < page.text.index('name="import_file"')


def test_olivia_sending_the_import_form_without_a_file_is_told_at_the_top_to_choose_one(officer_client, leading_places):
    page = officer_client.get(reverse("admin:partnerships_partnership_import"))
    assert "<h1>Import partnerships</h1>" in page.text
    assert "required" not in re.search(r'<input[^>]*name="import_file"[^>]*>', page.text).group(0)

    sent = officer_client.post(reverse("admin:partnerships_partnership_import"), {"resource": 0, "format": ""})

    assert sent.status_code == 422
    assert "<title>Error: Import partnerships | Leading Places back office</title>" in sent.text
    top = sent.text.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_import_file">Choose the file to import.</a>' in top
    assert '<a href="#id_format">Choose the file&#x27;s format: csv or xlsx.</a>' in top


def test_the_export_page_offers_each_column_by_its_heading_in_the_file_with_csv_chosen(officer_client, leading_places):
    page = officer_client.get(reverse("admin:partnerships_partnership_export"))
    form = page.context["form"]

    assert "<h1>Export partnerships</h1>" in page.text and 'value="Download the file"' in page.text
    assert [label for value, label in form.fields["format"].choices] == ["csv", "xlsx"]
    labels = [field.label for name, field in form.fields.items() if name.startswith("partnershipresource_")]
    assert "outcomes_intro" in labels and "why_chosen" in labels and "Outcomes Intro" not in labels
    assert "This exporter will export" not in page.text


def test_the_import_button_says_it_checks_the_file_first(officer_client, leading_places):
    page = officer_client.get(reverse("admin:partnerships_partnership_import"))
    assert 'value="Check the file"' in page.text and 'value="Submit"' not in page.text


@pytest.mark.parametrize("open_sheet", ["empty", "headings only"])
def test_a_workbook_saved_with_another_sheet_open_is_told_which_sheet_the_import_reads(
    officer_client, leading_places, open_sheet
):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    if open_sheet == "headings only":
        workbook.active.append(["slug", "name", "kind"])
    data = workbook.create_sheet("Institutions")
    data.append(["slug", "name", "kind"])
    data.append(["new-college", "New College", "fe-college"])
    saved = io.BytesIO()
    workbook.save(saved)
    upload = SimpleUploadedFile("two-sheets.xlsx", saved.getvalue())
    before = _state()

    page = officer_client.post(
        reverse("admin:partnerships_institution_import"),
        {"resource": 0, "format": _format_choice(XLSX), "import_file": upload},
    )

    assert page.status_code == 422
    assert "A workbook is read from the sheet that was open when it was last saved" in page.text
    assert "No valid data to import" not in page.text
    assert _state() == before


def test_a_csv_file_of_headings_alone_is_said_to_have_no_rows(officer_client, leading_places):
    page = _preview(officer_client, "institution", "slug,name,kind\n")
    assert page.status_code == 422
    assert "The file has its column headings but no rows below them to import." in page.text
    assert "workbook" not in page.text.split("The file has its column headings")[1].split("</li>")[0]


def test_olivia_importing_a_partnerships_new_title_and_themes_adds_one_version_to_its_history(
    officer_client, leading_places
):
    retitled = {}

    def retitle(row):
        retitled.update(slug=row["slug"], phase__slug=row["phase"])
        row.update(title="A new title", themes="culture")

    content = _partnerships_csv(retitle)
    first = Partnership.objects.get(**retitled)
    versions_before = first.history.count()
    preview = _preview(officer_client, "partnership", content)
    confirm = {field.html_name: field.value() for field in preview.context["confirm_form"]}
    officer_client.post(reverse("admin:partnerships_partnership_process_import"), confirm)

    assert first.history.count() == versions_before + 1
    version = first.history.first()
    assert version.title == "A new title" and version.history_type == "~"
    assert list(version.themes.values_list("theme__slug", flat=True)) == ["culture"]


def test_a_csv_row_with_a_cell_too_many_is_named_by_its_row_in_the_message(officer_client, leading_places):
    before = _state()
    # Row 2 is short, which a spreadsheet reads as empty cells at its end; row 3 has a cell too many.
    content = "slug,name,kind\nnew-college,New College\nnewer-college,Newer College,fe-college,\n"

    page = _preview(officer_client, "institution", content)

    assert page.status_code == 422
    assert page.context["form"].errors["import_file"] == [
        "Row 3 of the file has 4 cells, and its first row only 3 column headings: a row can have no more cells "
        "than there are headings. Look in that row for a comma too many, or a quotation mark without its pair, "
        "then choose the file again. Rows are numbered as in a spreadsheet."
    ]
    assert _state() == before


def _workbook_with_rows(*rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_a_file_whose_first_row_holds_only_empty_cells_is_told_its_headings_are_missing(
    officer_client, leading_places, file_format
):
    rows = [["", "", ""], ["slug", "name", "kind"], ["new-college", "New College", "fe-college"]]
    if file_format is CSV:
        upload = SimpleUploadedFile("institutions.csv", "\n".join(",".join(row) for row in rows).encode())
    else:
        upload = SimpleUploadedFile("institutions.xlsx", _workbook_with_rows([None, None, None], *rows[1:]))

    page = officer_client.post(
        reverse("admin:partnerships_institution_import"),
        {"resource": 0, "format": _format_choice(file_format), "import_file": upload},
    )

    assert page.status_code == 422
    assert "The file’s first row has no column headings: it may be empty." in page.text
    assert "no phase or slug column" not in page.text and "no slug column" not in page.text
