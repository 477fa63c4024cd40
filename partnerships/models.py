"""The programme's data: programmes, phases, places, institutions, partnerships and what
they set out to do."""

import difflib
import re
import string
import uuid
from pathlib import Path

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords


class Region(models.TextChoices):
    """The nine ONS regions of England."""

    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire-and-the-humber", "Yorkshire and The Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east-of-england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"


class Tracked(models.Model):
    """Audit stamps, and a version that goes up on every save so that a form opened
    before someone else's save can be refused instead of overwriting it."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """At most so many characters, a line break counting once: browsers send each as two, and a
    form that keeps them as one (the workspace's) and one that does not (the back office's) should agree."""

    def clean(self, x):
        return len(x.replace("\r\n", "\n"))

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError as error:
            error.params["show_value"] = f"{error.params['show_value']:,}"  # "6,000", as the limit is written
            raise


def up_to(limit, what):
    """A long text's limit, said in words. A validator rather than max_length, whose maxlength
    attribute would have browsers cut pasted text short without a word."""
    return TextLengthValidator(
        limit, f"{what} can be up to {limit:,} characters, and this one has %(show_value)s. Shorten it."
    )


POSITION_MOST = 32767  # the largest a small integer column holds on PostgreSQL; SQLite would store more
NO_ROOM_AFTER_LAST = (
    f"The last row of this list is at position {POSITION_MOST:,}, the largest a position can be, so there is no "
    "room for another after it. Give the last row a lower position first."
)


def next_position(rows):
    """The position after the last of these rows in their list (0 for the first). A list whose
    last row is at the largest position has none after it: that is refused in words, where the
    database would refuse the row with a server error (or SQLite store a position out of range)."""
    last = rows.aggregate(last=models.Max("position"))["last"]
    if last is not None and last >= POSITION_MOST:
        raise ValidationError(NO_ROOM_AFTER_LAST, code="no_room")
    return 0 if last is None else last + 1


class FigureField(models.DecimalField):
    """A figure (a baseline, a target, a figure reached): a decimal whose form box reads a number
    as people write it, "1,250" included (partnerships.forms.WrittenNumberField), on every form."""

    def formfield(self, **kwargs):
        from .forms import WrittenNumberField  # the forms read the models

        return super().formfield(**{"form_class": WrittenNumberField, **kwargs})


def position_field():
    """A row's place in its list, counted from 0, with the same limit on every database."""
    return models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(POSITION_MOST, f"A position is at most {POSITION_MOST:,}.")],
        help_text="Its place in the list: 0 comes first, then 1, and so on.",
    )


class InList(models.Model):
    """A row with a position in a list of its parent's (a partnership's outcomes, named by
    `list_of`, its foreign key): one saved without a position goes after the last, so that a row
    added in the back office with its position left empty neither jumps to the top nor shares a
    position with another."""

    list_of = "partnership"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.position is None:
            self.put_last()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # A row of a list shown whole (an outcome on its partnership's page) is placed by the
        # list's page, which knows the positions typed there too.
        placed_elsewhere = getattr(self, "placed_by_its_list", False)
        if self.position is None and not placed_elsewhere and getattr(self, f"{self.list_of}_id") is not None:
            self.put_last()  # refused in words when there is no room after the last
            self.position = None  # worked out again when saved, after any row saved before it

    def put_last(self):
        parent = {f"{self.list_of}_id": getattr(self, f"{self.list_of}_id")}
        self.position = next_position(type(self)._default_manager.filter(**parent))


def _dates_in_order(start_date, end_date):
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date."})


def _dates_in_order_constraint(name):
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
        name=name,
        violation_error_message="The end date must be on or after the start date.",
    )


class InstitutionQuerySet(models.QuerySet):
    def public(self):
        """Institutions the public may see: members of a published partnership, or bodies that ran a phase
        or a programme. An institution known only from drafts stays hidden."""
        return self.filter(
            Exists(
                Membership.objects.filter(institution=OuterRef("pk"), partnership__status=Partnership.Status.PUBLISHED)
            )
            | Exists(PhaseBody.objects.filter(institution=OuterRef("pk")))
            | Exists(ProgrammeBody.objects.filter(institution=OuterRef("pk")))
        )

    def with_published_counts(self):
        return self.annotate(
            published_count=models.Count(
                "memberships", filter=Q(memberships__partnership__status=Partnership.Status.PUBLISHED)
            )
        )

    def worked_with(self, institution):
        """Other institutions that shared a published partnership with this one."""
        shared = Membership.objects.filter(
            institution=institution, partnership__status=Partnership.Status.PUBLISHED
        ).values("partnership")
        return self.filter(memberships__partnership__in=shared).exclude(pk=institution.pk).distinct()


class Institution(Tracked):
    """A real organisation, such as a council or a university: one record however the sources spell it."""

    class Kind(models.TextChoices):
        COUNTY_COUNCIL = "county-council", "County council"
        DISTRICT_COUNCIL = "district-council", "District council"
        UNITARY_COUNCIL = "unitary-council", "Unitary council"
        METROPOLITAN_COUNCIL = "metropolitan-borough-council", "Metropolitan borough council"
        LONDON_BOROUGH = "london-borough-council", "London borough council"
        CITY_COUNCIL = "city-council", "City council"
        COMBINED_AUTHORITY = "combined-authority", "Combined authority"
        UNIVERSITY = "university", "University"
        FE_COLLEGE = "fe-college", "Further education college"
        NHS_TRUST = "nhs-trust", "NHS trust"
        LEP = "lep", "Local enterprise partnership"
        CCG = "ccg", "Clinical commissioning group"
        BUSINESS_BODY = "business-body", "Business body"
        COMMUNITY = "community-organisation", "Community organisation"
        HOUSING = "housing-provider", "Housing provider"
        NATIONAL_BODY = "national-body", "National body"
        CONSULTANCY = "consultancy", "Consultancy"
        OTHER = "other", "Other"

    # Every kind of council, for a filter by "any council": people think of councils, not of
    # which of the kinds of local authority each one is.
    ANY_COUNCIL = "council"
    COUNCILS = [
        Kind.COUNTY_COUNCIL,
        Kind.DISTRICT_COUNCIL,
        Kind.UNITARY_COUNCIL,
        Kind.METROPOLITAN_COUNCIL,
        Kind.LONDON_BOROUGH,
        Kind.CITY_COUNCIL,
    ]

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=Kind.choices, db_index=True)
    region = models.CharField(
        max_length=40, choices=Region.choices, blank=True, db_index=True, help_text="Leave blank for national bodies."
    )
    website = models.URLField(blank=True)
    identifier = models.CharField(
        "organisation identifier",
        max_length=60,
        blank=True,
        help_text="An org-id.guide identifier such as GB-LAE-BDF or GB-UKPRN-10007152.",
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings of the name in source documents, used to match them to this record.",
    )

    objects = InstitutionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:institution", args=[self.slug])

    @property
    def region_in_a_sentence(self):
        """Its region as a sentence names it: "the South East", but "London"."""
        name = self.get_region_display()
        return name if self.region in (Region.LONDON, Region.YORKSHIRE) else f"the {name}"


class Programme(Tracked):
    """A national programme, such as Leading Places or the Local Growth Academy."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, validators=[up_to(10000, "A description")])
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [_dates_in_order_constraint("programme_dates_in_order")]

    def __str__(self):
        return self.name

    def clean(self):
        _dates_in_order(self.start_date, self.end_date)


class ProgrammeBody(models.Model):
    """An organisation that owns, funds or supports a programme."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        FUNDER = "funder", "Funder"
        PARTNER = "partner", "Partner"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="bodies")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="programme_roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        verbose_name_plural = "programme bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "institution", "role"],
                name="one_programme_role_per_body",
                violation_error_message="This organisation already has that role in the programme.",
            )
        ]

    # What __str__ reads from other tables, for lists that name many of these at once.
    named_with = ("institution",)

    def __str__(self):
        return f"{self.institution} ({self.get_role_display().lower()})"

    def role_in_words(self):
        """What the organisation is to the programme, before its name: "Owner of", "Partner in"."""
        return f"{self.get_role_display()} {'in' if self.role == self.Role.PARTNER else 'of'}"


def count_per_row(queryset, key):
    """For annotating: how many rows of `queryset` have `key` pointing at the outer row, as a
    subquery that an index on `key` answers alone (no join and grouping of every row); 0 for
    none."""
    counts = queryset.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count(key)).values("n")
    return Coalesce(Subquery(counts), 0)


class PhaseQuerySet(models.QuerySet):
    def with_partnership_totals(self):
        """Every partnership of each phase, whatever its status, as `partnership_total`."""
        return self.annotate(partnership_total=count_per_row(Partnership.objects.all(), "phase"))

    def choices(self):
        """(slug, name) pairs for a select, in order; grouped under each programme's name when there
        is more than one programme. Plain values, so that a long list stays cheap to show."""
        rows = self.order_by("programme__name", "start_date", "number").values_list("slug", "name", "programme__name")
        if len({programme for _slug, _name, programme in rows}) < 2:
            return [(slug, name) for slug, name, _programme in rows]
        groups = {}
        for slug, name, programme in rows:
            groups.setdefault(programme, []).append((slug, name))
        return list(groups.items())

    def with_partnership_counts(self):
        """The published partnerships of each phase, as `published_count`."""
        return self.annotate(published_count=count_per_row(Partnership.objects.published(), "phase"))


class Phase(Tracked):
    """One round of a programme, with its dates and the bodies that ran it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="phases")
    # Held to what PostgreSQL's small integer column takes on every database, as positions are.
    number = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(POSITION_MOST, f"A phase's number is at most {POSITION_MOST:,}.")]
    )
    name = models.CharField(max_length=100, help_text='As people say it, e.g. "Phase 1 (pilot)".')
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Part of the public address, as in /phases/phase-1/."
    )
    start_date = models.DateField()
    end_date = models.DateField()
    description = models.TextField(blank=True, validators=[up_to(10000, "A description")])

    objects = PhaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="one_phase_number_per_programme",
                violation_error_message="The programme already has a phase with this number.",
            ),
            _dates_in_order_constraint("phase_dates_in_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:phase", args=[self.slug])

    def clean(self):
        _dates_in_order(self.start_date, self.end_date)


class PhaseBody(models.Model):
    """An organisation that funded, provided, facilitated or evaluated a phase."""

    class Role(models.TextChoices):
        FUNDER = "funder", "Funder"
        PROVIDER = "provider", "Programme provider"
        FACILITATOR = "facilitator", "Facilitator"
        EVALUATOR = "evaluator", "Evaluator"

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="bodies")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="phase_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    note = models.CharField(max_length=300, blank=True, help_text="Shown publicly, e.g. the evaluator's title.")

    class Meta:
        verbose_name_plural = "phase bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "institution", "role"],
                name="one_phase_role_per_body",
                violation_error_message="This organisation already has that role in the phase.",
            )
        ]

    # What __str__ reads from other tables, for lists that name many of these at once.
    named_with = ("institution",)

    def __str__(self):
        return f"{self.institution} ({self.get_role_display().lower()})"


class Place(models.Model):
    """A place that took part, shared by its partnerships in different phases."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A theme from the programme's controlled list, such as skills or inclusive growth."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:theme", args=[self.slug])


class PartnershipQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Partnership.Status.PUBLISHED)

    def visible_to(self, user):
        """Everything for staff, who may preview drafts; only published partnerships for anyone else."""
        return self if user.is_active and user.is_staff else self.published()

    def nearest_address(self, phase_slug, slug):
        """The partnership whose address is most like phase_slug/slug, for a page not found: one of
        that phase with a slug spelt nearly alike ("bedfordd"), or of that slug in another phase.
        Reads one phase's partnerships, or those of one slug, whatever the amount of data."""
        candidates = self.filter(phase__slug=phase_slug) if len(slug) <= 100 else self.none()
        names = {p.slug: p for p in candidates.select_related("phase").only("slug", "phase__slug")}
        if close := difflib.get_close_matches(slug, names, n=1, cutoff=0.75):
            return names[close[0]]
        return (
            self.filter(slug=slug)
            .select_related("phase")
            .only("slug", "phase__slug")
            .order_by("-phase__start_date")
            .first()
        )

    def in_phase(self, phase):
        return self.filter(phase=phase)

    def with_public_gaps(self):
        """Those whose public page would name no partners or give no summary, each with `has_partners`."""
        return self.annotate(has_partners=Exists(Membership.objects.filter(partnership=OuterRef("pk")))).filter(
            Q(summary="") | Q(has_partners=False)
        )

    def missing(self, what):
        """Partnerships lacking "outcomes", a "lead" institution or a "region"; all of them otherwise."""
        if what == "outcomes":
            return self.exclude(Exists(Outcome.objects.filter(partnership=OuterRef("pk"))))
        if what == "lead":
            return self.exclude(
                Exists(Membership.objects.filter(partnership=OuterRef("pk"), role=Membership.Role.LEAD))
            )
        if what == "region":
            return self.filter(region="")
        return self

    def for_list(self):
        """What a list of partnerships shows, in a fixed number of queries: phase, place, themes and
        partners. In list order, unless already ordered: search results keep their ranking."""
        partnerships = self.select_related("phase", "place").prefetch_related(
            "themes", models.Prefetch("memberships", queryset=Membership.objects.select_related("institution"))
        )
        if self.query.order_by:
            return partnerships
        return partnerships.order_by("phase__start_date", "phase__number", "place__name", "title", "pk")

    def matching(self, *, phase="", theme="", region="", kind=""):
        """Narrow by any of: a phase and a theme (by slug), a region, and the kind of institution
        among the partners."""
        qs = self
        if phase:
            qs = qs.filter(phase__slug=phase)
        if theme:
            themed = Partnership.themes.through.objects.filter(partnership=OuterRef("pk"), theme__slug=theme)
            qs = qs.filter(Exists(themed))
        if region:
            qs = qs.filter(region=region)
        if kind:
            kinds = Institution.COUNCILS if kind == Institution.ANY_COUNCIL else [kind]
            qs = qs.filter(Exists(Membership.objects.filter(partnership=OuterRef("pk"), institution__kind__in=kinds)))
        return qs

    def search(self, text):
        """Partnerships matching the words, best first: ranked full-text search with stemming on PostgreSQL
        (over the stored search vector), and simple case-insensitive matching elsewhere."""
        text = " ".join((text or "").split())
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            return self._full_text_search(text)
        terms = _plain_terms(text)
        if not terms:  # only punctuation: no word to find, as on PostgreSQL
            return self.none()
        qs = self
        for term in terms[:10]:
            qs = qs.filter(pk__in=Partnership.objects.filter(_text_matches(term)).values("pk"))
        return qs

    def _full_text_search(self, text):
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, search_type="websearch", config="english")
        prefixes = _prefix_terms(text)
        if prefixes:
            # So that "health" also finds "healthy", which the English stemmer keeps apart.
            query = query | SearchQuery(prefixes, search_type="raw", config="english")
        return (
            self.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "phase__start_date", "place__name", "pk")
        )

    def spelling_suggestion(self, text):
        """The words with each one that is in no name of a place or theme replaced by the nearest
        that is, if that search finds any of these partnerships; otherwise "". For a search that
        found nothing. Two queries: the names, and whether the suggestion finds anything."""
        places = Place.objects.filter(Exists(Partnership.objects.published().filter(place=OuterRef("pk"))))
        names = places.order_by().values_list("name").union(Theme.objects.order_by().values_list("name"))
        vocabulary = {}  # lower case -> as written in a name
        for (name,) in sorted(names):  # sorted, so that a word written two ways is always suggested one way
            for word in _spelling_words(name):
                vocabulary.setdefault(word.lower(), word)
        words = text.split()
        # Ten words at most are corrected, as search reads ten: a long paste stays cheap.
        suggestion = " ".join([_nearest(word, vocabulary) for word in words[:10]] + words[10:])
        if suggestion.lower() == text.lower() or not self.search(suggestion).exists():
            return ""
        return suggestion

    def update_search_vectors(self):
        """Recompute the stored search vector of these partnerships from their own text and their
        challenges, outcomes, partners and themes. Call it after any write that changes those.
        Does nothing except on PostgreSQL, where search uses the vector; returns the rows updated."""
        if connections[self.db].vendor != "postgresql":
            return 0
        from django.contrib.postgres.aggregates import StringAgg
        from django.contrib.postgres.search import SearchVector

        def joined(queryset, field):
            return Subquery(
                queryset.order_by()
                .values("partnership_id")
                .annotate(text=StringAgg(field, delimiter=" "))
                .values("text")
            )

        mine = {"partnership_id": OuterRef("pk")}
        place = Subquery(Place.objects.filter(pk=OuterRef("place_id")).values("name")[:1])
        challenges = joined(Challenge.objects.filter(**mine), "description")
        outcomes = joined(Outcome.objects.filter(**mine), "description")
        partners = joined(Membership.objects.filter(**mine), "institution__name")
        themes = joined(Partnership.themes.through.objects.filter(**mine), "theme__name")
        vector = (
            SearchVector("title", place, weight="A", config="english")
            + SearchVector("summary", challenges, outcomes, "outcomes_intro", weight="B", config="english")
            + SearchVector(partners, themes, weight="C", config="english")
        )
        return self.order_by().update(search_vector=vector)


# Quotes, brackets, stops and dashes around a word, straight and typographic.
_PUNCTUATION = string.punctuation + "“”‘’«»…–—"


def _plain_terms(text):
    """The words for the simple search: without the punctuation around them or a possessive ’s
    ("Lewisham's," and “Sheffield.” are Lewisham and Sheffield). Unlike full-text search it knows no
    operators: "-skills" is simply skills."""
    terms = []
    for word in text.split():
        for _ in range(2):  # "Lewisham's," loses its comma, then its ’s; "'s" loses both
            word = re.sub(r"['’]s$", "", word, flags=re.IGNORECASE).strip(_PUNCTUATION)
        if word:
            terms.append(word)
    return terms


def _text_matches(term):
    return (
        Q(title__icontains=term)
        | Q(place__name__icontains=term)
        | Q(summary__icontains=term)
        | Q(challenges__description__icontains=term)
        | Q(outcomes__description__icontains=term)
        | Q(memberships__institution__name__icontains=term)
        | Q(themes__name__icontains=term)
    )


def _spelling_words(text):
    """Words of four letters or more: shorter ones have too many near neighbours to correct."""
    return re.findall(r"[^\W\d_]{4,}", text)


def _nearest(word, vocabulary):
    """The word itself if it is in the vocabulary or too short to correct, else the word with its
    nearest neighbour there (in lower case if the word was, else as a name writes it), keeping the
    punctuation around it; else the word itself."""
    terms = _plain_terms(word)
    core = terms[0] if terms else ""  # "sheffeild." -> sheffeild, with its stop kept around it
    if len(core) < 4 or not core.isalpha() or core.lower() in vocabulary:
        return word
    candidates = [known for known in vocabulary if abs(len(known) - len(core)) <= 2]
    nearest = difflib.get_close_matches(core.lower(), candidates, n=1, cutoff=0.8)
    if not nearest:
        return word
    return word.replace(core, nearest[0] if core.islower() else vocabulary[nearest[0]], 1)


def _prefix_terms(text):
    """A raw tsquery of the plain words as prefixes ("health:* & skill:*"), unless the text uses
    websearch operators or hyphens (quotes, OR, -word, scale-up), whose meaning a prefix match
    would blur."""
    if re.search(r'["-]|\bor\b', text, flags=re.IGNORECASE):
        return ""
    words = re.findall(r"[^\W_]+", text)[:10]
    return " & ".join(f"{word}:*" for word in words)


class PartnershipManager(models.Manager.from_queryset(PartnershipQuerySet)):
    def get_queryset(self):
        # The search vector is for PostgreSQL's search alone, and about as large as the rest of
        # the row: no page shows it, so no page reads it.
        return super().get_queryset().defer("search_vector")


class Partnership(Tracked):
    """An Action Learning Partnership: local institutions tackling one challenge in one phase."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Stage(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="partnerships")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="partnerships")
    slug = models.SlugField(
        max_length=100,
        help_text="Unique within the phase: the page's address is /partnerships/, the phase's slug, then this one.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(
        blank=True, help_text="One or two sentences, shown in lists.", validators=[up_to(1000, "A summary")]
    )
    region = models.CharField(max_length=40, choices=Region.choices, blank=True, db_index=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="partnerships")
    outcomes_intro = models.TextField(
        blank=True,
        help_text="Optional lead-in shown before the desired outcomes.",
        validators=[up_to(1000, "The lead-in")],
    )
    why_chosen = models.TextField("why it was chosen", blank=True, validators=[up_to(5000, "Why it was chosen")])
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published partnerships are shown to the public.",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.ACTIVE, db_index=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PartnershipManager()
    history = HistoricalRecords(m2m_fields=[themes], excluded_fields=["search_vector"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "slug"],
                name="one_slug_per_phase",
                violation_error_message="Another partnership in this phase already uses this slug.",
            ),
            # A partnership is known by its place ("Bedford – Phase 2"), on every page and list.
            models.UniqueConstraint(
                fields=["phase", "place"],
                name="one_partnership_per_place_per_phase",
                violation_error_message="This place already has a partnership in this phase: open that one to "
                "change it, or choose another place.",
            ),
        ]
        indexes = [models.Index(fields=["phase", "status", "place"], name="partnership_phase_status")]

    # What __str__ reads from other tables, for lists that name many of these at once.
    named_with = ("place", "phase")

    def __str__(self):
        return f"{self.place} – {self.phase}"  # "Gloucestershire – Phase 1 (pilot)": no brackets in brackets

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.phase.slug, self.slug])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def public_gaps(self):
        """What the public page lacks, for the officer publishing it: ["partners", "summary"] or fewer.
        Reads `has_partners` when with_public_gaps() set it; otherwise one query."""
        has_partners = getattr(self, "has_partners", None)
        if has_partners is None:
            has_partners = self.memberships.exists()
        return [gap for gap, absent in (("partners", not has_partners), ("summary", not self.summary)) if absent]

    def publish(self):
        """Make the partnership public; returns whether anything changed."""
        return self._set_status(self.Status.PUBLISHED)

    def unpublish(self):
        return self._set_status(self.Status.DRAFT)

    def _set_status(self, status):
        if self.status == status:
            return False
        self.status = status
        self.save()
        return True


class MembershipQuerySet(models.QuerySet):
    def published(self):
        return self.filter(partnership__status=Partnership.Status.PUBLISHED)

    def kinds_of_partner(self):
        """The kinds of institution these memberships are of, as a set."""
        return set(self.order_by().values_list("institution__kind", flat=True).distinct())


class Membership(InList):
    """An institution's part in a partnership."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead partner"
        PARTNER = "partner", "Partner"
        SUPPORTING = "supporting", "Supporting partner"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTNER, db_index=True)
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text='Shown publicly, e.g. "including the Sports Development, Early Help and Public Health teams".',
    )
    position = position_field()

    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        # A partnership's partners in order; also the back office's list order.
        indexes = [models.Index(fields=["partnership", "position", "id"], name="membership_in_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "institution"],
                name="one_membership_per_institution",
                violation_error_message="This institution is already a member of the partnership.",
            )
        ]

    # What __str__ reads from other tables, for lists that name many of these at once.
    named_with = ("institution", "partnership__place", "partnership__phase")

    def __str__(self):
        return f"{self.institution} in {self.partnership}"


class Challenge(InList):
    """A challenge that a partnership set out to address."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="challenges")
    description = models.TextField(validators=[up_to(5000, "A challenge")])
    position = position_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["partnership", "position", "id"], name="challenge_in_order")]

    def __str__(self):
        return shorten(self.description)


class Outcome(InList):
    """A desired outcome of a partnership, with an optional indicator and its progress."""

    class Indicator(models.TextChoices):
        NONE = "", "No indicator"
        QUALITATIVE = "qualitative", "Qualitative"
        NUMERIC = "numeric", "Numeric"

    class Progress(models.TextChoices):
        NOT_ASSESSED = "not-assessed", "Not yet assessed"
        NOT_STARTED = "not-started", "Not started"
        IN_PROGRESS = "in-progress", "In progress"
        PARTLY_ACHIEVED = "partly-achieved", "Partly achieved"
        ACHIEVED = "achieved", "Achieved"
        NOT_ACHIEVED = "not-achieved", "Not achieved"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="outcomes")
    description = models.TextField(validators=[up_to(2000, "A desired outcome")])
    indicator = models.CharField(
        max_length=20,
        choices=Indicator.choices,
        blank=True,
        db_index=True,
        help_text="How progress is measured: numeric, by a figure against a target, or qualitative, judged in words.",
    )
    baseline = FigureField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="The figure at the start, in the unit."
    )
    target = FigureField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The figure to reach, in the unit; a numeric indicator needs one.",
    )
    unit = models.CharField(max_length=100, blank=True, help_text='What is counted, e.g. "scale companies".')
    target_date = models.DateField(null=True, blank=True)
    progress = models.CharField(
        "progress reported by the programme",
        max_length=20,
        choices=Progress.choices,
        default=Progress.NOT_ASSESSED,
        db_index=True,
        help_text="The programme’s own report, shown on the public page beside the progress any published evaluation "
        "found, which evaluators record. Leave it “Not yet assessed” when the programme has not reported any.",
    )
    position = position_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["partnership", "position", "id"], name="outcome_in_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(indicator="numeric") | Q(target__isnull=False),
                name="numeric_outcome_has_target",
                violation_error_message="A numeric indicator needs a target.",
            ),
            models.CheckConstraint(
                condition=Q(indicator="numeric") | (Q(baseline__isnull=True) & Q(target__isnull=True)),
                name="only_numeric_outcome_has_figures",
                violation_error_message="Only a numeric indicator has a baseline and a target.",
            ),
        ]

    def __str__(self):
        return shorten(self.description)

    @property
    def is_numeric(self):
        return self.indicator == self.Indicator.NUMERIC

    def clean(self):
        super().clean()
        if self.indicator == self.Indicator.NUMERIC and self.target is None:
            raise ValidationError({"target": "A numeric indicator needs a target."})
        if self.indicator != self.Indicator.NUMERIC and (self.baseline is not None or self.target is not None):
            # Said of a field, so that the constraint's shorter message is not shown beside it.
            raise ValidationError(
                {"indicator": "Only a numeric indicator has a baseline and a target. Choose “Numeric” or clear them."}
            )


def shorten(text, length=80):
    """Text on one line, and if longer than `length`, cut at the end of a word with "…"."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if text[length - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # not half a word
    return cut.rstrip(" ,;:–-") + "…"


def document_upload_to(instance, filename):
    """A generated name, so an uploaded name can never collide, traverse or execute; it keeps the
    upload's extension (".pdf" of "report.pdf", and of a file named only ".pdf")."""
    name = Path(filename).name
    suffix = "." + name.rsplit(".", 1)[1].lower() if "." in name else ""
    return f"documents/{uuid.uuid4().hex}{suffix[:10]}"


class DocumentFileField(models.FileField):
    """A document's file, stored under a generated name (document_upload_to), so the name of the
    file uploaded may be as long as people make them: Django's form would refuse one over the
    100 characters the stored name may have. Every form of it checks what is uploaded
    (partnerships/documents.py)."""

    def formfield(self, **kwargs):
        from .documents import DocumentUploadField

        field = super().formfield(**{"form_class": DocumentUploadField, **kwargs})
        field.max_length = None
        return field


class BaseDocument(models.Model):
    """A file or a link, public or internal."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", "Presentation"
        EVALUATION_REPORT = "evaluation-report", "Evaluation report"
        LEARNING_REPORT = "learning-report", "Learning report"
        CASE_STUDY = "case-study", "Case study"
        EVIDENCE = "evidence", "Evidence"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    file = DocumentFileField(upload_to=document_upload_to, blank=True)
    url = models.URLField("external link", blank=True, max_length=500)
    is_public = models.BooleanField(
        "shown publicly",
        default=False,
        db_index=True,
        help_text="Public documents are listed on public pages. Internal ones never are.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def format_description(self):
        """What following the link gives, for its listing: "PDF, 240.0 KB", or "on another website".
        Asks the storage for the file's size; "" when it cannot say (the file is missing, say)."""
        if self.url:
            return "on another website"
        try:
            size = self.file.size
        except Exception:  # noqa: BLE001 - any storage's failure: list the document without its size
            return ""
        return f"{Path(self.file.name).suffix.lstrip('.').upper() or 'File'}, {filesizeformat(size)}"

    @property
    def download_name(self):
        """The name its file is downloaded under: its title, made safe for any system, with the
        file's extension ("Final report.pdf"), once even when the title ends with it."""
        suffix = Path(self.file.name).suffix.lower()
        title = self.title[: -len(suffix)] if suffix and self.title.lower().endswith(suffix) else self.title
        safe = "".join(ch if ch.isalnum() or ch in " -_.,()&'" else "-" for ch in title).strip() or "document"
        return f"{safe[:80]}{suffix}"

    def clean(self):
        # Said of a field, so that the database constraint (which says the same of both cases)
        # is not checked as well, and its message shown beside this one.
        if self.file and self.url:
            raise ValidationError({"url": "Give either an uploaded file or an external link, not both."})
        if not (self.file or self.url):
            raise ValidationError({"file": "Upload a file or give an external link."})

    @classmethod
    def file_or_link_constraint(cls, name):
        return models.CheckConstraint(
            condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
            name=name,
            violation_error_message="Give either an uploaded file or an external link, not both.",
        )


class Document(BaseDocument):
    """A document about a programme, a phase or a partnership."""

    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            BaseDocument.file_or_link_constraint("document_file_or_link"),
            models.CheckConstraint(
                condition=(
                    Q(programme__isnull=False, phase__isnull=True, partnership__isnull=True)
                    | Q(programme__isnull=True, phase__isnull=False, partnership__isnull=True)
                    | Q(programme__isnull=True, phase__isnull=True, partnership__isnull=False)
                ),
                name="document_belongs_to_one_thing",
                violation_error_message="A document belongs to exactly one programme, phase or partnership.",
            ),
        ]

    def get_absolute_url(self):
        return reverse("partnerships:document", args=[self.pk])

    def clean(self):
        super().clean()
        owners = [self.programme_id, self.phase_id, self.partnership_id]
        if sum(owner is not None for owner in owners) != 1:
            # Said of the first of the three, for the reason given in BaseDocument.clean.
            raise ValidationError(
                {"programme": "Choose exactly one programme, phase or partnership that this document belongs to."}
            )
