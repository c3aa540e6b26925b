"""Events and anniversaries: what staff organise or attend, and the dates they must never miss.

Anniversary occurrences are computed, not stored (`Anniversary.occurrence(year)`).
"""

import datetime
import secrets
import zoneinfo
from dataclasses import dataclass
from hashlib import sha256

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from contacts.models import (
    Agreement,
    Confidentiality,
    Country,
    Interaction,
    Organization,
    Person,
    PillarTag,
    Unit,
    names_of,
    validate_month_day,
    validate_time_zone,
)
from crm import dates
from crm.collation import ordering as vi_ordering
from crm.models import (
    ArchivableModel,
    ConfidentialQuerySet,
    SearchableModel,
    TrackedModel,
    VisibleQuerySet,
    search_depends_on,
)
from crm.text import in_language, join_for_search
from events.anniversaries import Occurrence, milestone_kind, occurrence_date, occurrence_titles


class SequencedModel(models.Model):
    """RFC 5545 SEQUENCE: grows when a field calendar clients show (time, title, status)
    changes, so that they replace their copy; other edits leave it alone."""

    sequence = models.PositiveIntegerField(_("revision (iCalendar SEQUENCE)"), default=0)

    sequence_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", None)
        if loaded and any(getattr(self, name) != value for name, value in loaded.items()):
            self.sequence += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)
        self._loaded = {name: getattr(self, name) for name in self.sequence_fields}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = {
            name: getattr(instance, name) for name in cls.sequence_fields if name in field_names
        }
        return instance


# ---------------------------------------------------------------------------------------------
# Events


class EventQuerySet(ConfidentialQuerySet):
    confidentiality_field = "visibility"
    staff_field = "staff"

    def overlapping(self, start: datetime.date, end: datetime.date) -> "EventQuerySet":
        """Events on any day from `start` to `end`, both included."""
        return self.filter(start_date__lte=end, end_date__gte=start)


class Event(ArchivableModel, SearchableModel, SequencedModel, TrackedModel):
    class Kind(models.TextChoices):
        NATIONAL_DAY = "national_day", _("National day")
        DIPLOMATIC_ANNIVERSARY = "diplomatic_anniversary", _("Diplomatic anniversary")
        ASEAN_EVENT = "asean_event", _("ASEAN event")
        FESTIVAL = "festival", _("Festival")
        CONFERENCE = "conference", _("Conference or seminar")
        TRADE_FAIR = "trade_fair", _("Trade fair or exhibition")
        DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
        CONTEST = "contest", _("Contest")
        EXCHANGE = "exchange", _("Cultural or sports exchange")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")

    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    all_day = models.BooleanField(_("all day"), default=True)
    # Both dates are kept for timed events too (derived from the times in the event's zone), so
    # that every calendar query is one date comparison.
    start_date = models.DateField(
        _("start date"),
        db_index=True,
        blank=True,
        help_text=_("First day. For a timed event, set from its start time."),
    )
    end_date = models.DateField(
        _("end date"),
        blank=True,
        help_text=_("Last day, included (multi-day events); default: the start date."),
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Ho_Chi_Minh",
        validators=[validate_time_zone],
        help_text=_("IANA name; the zone a timed event is shown in."),
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organisations involved"), related_name="events", blank=True
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("people involved"), related_name="events", blank=True
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff taking part"),
        related_name="events",
        blank=True,
    )
    pillars = models.ManyToManyField(PillarTag, verbose_name=_("ASEAN pillars"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    budget_planned = models.PositiveBigIntegerField(
        _("planned budget (VND)"), null=True, blank=True
    )
    budget_spent = models.PositiveBigIntegerField(_("budget spent (VND)"), null=True, blank=True)

    change_type = "event"  # its name in the changes feed
    sequence_fields = ("title_vi", "title_en", "all_day", "start_date", "end_date")
    sequence_fields += ("starts_at", "ends_at", "time_zone", "status")
    search_prefetch = ("organizations", "people")
    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[organizations, people, staff, pillars], excluded_fields=["search_text"]
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(all_day=True) | Q(starts_at__isnull=False, ends_at__isnull=False),
                name="event_timed_has_times",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_at_after_starts_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{dates.format_date(self.start_date)} · {self.title_vi}"

    @property
    def confidentiality(self) -> str:
        """The name the changes feed and `Viewer.may_see` use for visibility."""
        return self.visibility

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean_fields(self, exclude=None) -> None:
        self.derive_dates()
        super().clean_fields(exclude=exclude)

    def derive_dates(self) -> None:
        """A timed event's days come from its times in its zone; the end day defaults to the
        start day. An all-day event has no times."""
        if self.all_day:
            self.starts_at = self.ends_at = None
        elif (
            isinstance(self.starts_at, datetime.datetime)
            and isinstance(self.ends_at, datetime.datetime)
            and self.time_zone in zoneinfo.available_timezones()
            # Out of range: refused by clean_fields (converting might overflow).
            and dates.datetime_in_range(self.starts_at)
            and dates.datetime_in_range(self.ends_at)
        ):
            self.start_date = self.starts_at.astimezone(self.zone).date()
            self.end_date = self.ends_at.astimezone(self.zone).date()
        if self.start_date and self.end_date is None:
            self.end_date = self.start_date

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.all_day and self.start_date is None:
            errors["start_date"] = _("An all-day event needs its first day.")
        if not self.all_day:
            for name in ("starts_at", "ends_at"):
                if getattr(self, name) is None:
                    errors[name] = _("A timed event needs a start and an end time.")
            if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
                errors["ends_at"] = _("The event ends before it starts.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors.setdefault("end_date", _("The end date is before the start date."))
        if errors:
            raise ValidationError(errors)

    def build_search_text(self) -> str:
        """Titles, descriptions, place, and the names of its organisations and people in
        every script and spelling they carry."""
        organizations = self.related_for_search("organizations")
        people = self.related_for_search("people")
        return join_for_search(
            self.title_vi,
            self.title_en,
            self.description_vi,
            self.description_en,
            self.location,
            *names_of(organizations),
            *names_of(people),
        )


class EventInteractionQuerySet(VisibleQuerySet):
    def restrict(self, viewer) -> "EventInteractionQuerySet":
        """A link names its interaction and its event: visible when both are."""
        return self.filter(
            interaction__in=Interaction.objects.visible_if_live(viewer).values("pk"),
            event__in=Event.objects.visible_if_live(viewer).values("pk"),
        )


class EventInteraction(TrackedModel):
    """An interaction that happened at an event (at most one event per interaction).

    Declared here, in the higher app, so that `contacts` never depends on `events`.
    """

    interaction = models.OneToOneField(
        Interaction,
        verbose_name=_("interaction"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="event_link",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="interaction_links",
    )

    objects = EventInteractionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interaction at an event")
        verbose_name_plural = _("interactions at events")

    def __str__(self) -> str:
        return f"{self.interaction} @ {self.event}"


# ---------------------------------------------------------------------------------------------
# Anniversaries


class AnniversaryQuerySet(ConfidentialQuerySet):
    confidentiality_field = "visibility"


class Anniversary(ArchivableModel, SearchableModel, SequencedModel, TrackedModel):
    """A date commemorated every year. With an origin year each occurrence has an ordinal
    (2027 for 1967 is the 60th) and every `milestone_every` years is a milestone (năm chẵn);
    without one it is a yearly observance. See `events.anniversaries` for the 29 February rule.
    """

    class Kind(models.TextChoices):
        NATIONAL_DAY = "national_day", _("National day")
        DIPLOMATIC_RELATIONS = "diplomatic_relations", _("Diplomatic relations")
        AGREEMENT_SIGNING = "agreement_signing", _("Agreement signing")
        ENTRY_INTO_FORCE = "entry_into_force", _("Entry into force")
        FOUNDING = "founding", _("Founding")
        OTHER = "other", _("Other")

    code = models.SlugField(
        _("reference code"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Set on reference anniversaries (fixtures/reference); empty for the rest."),
    )
    title_vi = models.CharField(
        _("what is commemorated (Vietnamese)"),
        max_length=300,
        help_text=_("E.g. Ngày thiết lập quan hệ ngoại giao Việt Nam – Campuchia."),
    )
    title_en = models.CharField(
        _("what is commemorated (English)"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the establishment of Vietnam–Cambodia diplomatic relations."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    origin_year = models.PositiveSmallIntegerField(
        _("origin: year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9999)],
        help_text=_("Leave empty when the year is not meaningful: a yearly observance."),
    )
    origin_month = models.PositiveSmallIntegerField(
        _("origin: month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    origin_day = models.PositiveSmallIntegerField(
        _("origin: day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    milestone_every = models.PositiveSmallIntegerField(
        _("milestone every (years)"),
        default=5,
        help_text=_("Years divisible by this are milestones (năm chẵn); 0: none."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anniversaries",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anniversaries",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anniversaries",
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anniversaries",
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("In Vietnamese."))
    notes_en = models.TextField(
        _("notes (English)"), blank=True, help_text=_("For English readers, where kept.")
    )
    source = models.TextField(_("sources"), blank=True, help_text=_("Where the date comes from."))

    change_type = "anniversary"  # its name in the changes feed
    sequence_fields = ("title_vi", "title_en", "origin_year", "origin_month", "origin_day")
    objects = AnniversaryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("anniversary")
        verbose_name_plural = _("anniversaries")
        ordering = ["origin_month", "origin_day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin_month__gte=1, origin_month__lte=12, origin_day__gte=1)
                & Q(origin_day__lte=31),
                name="anniversary_origin_in_calendar",
            ),
        ]

    def __str__(self) -> str:
        return self.title_vi

    @property
    def confidentiality(self) -> str:
        return self.visibility

    @property
    def origin_date(self) -> datetime.date | None:
        if self.origin_year is None:
            return None
        return datetime.date(self.origin_year, self.origin_month, self.origin_day)

    def clean(self) -> None:
        if self.origin_month is None or self.origin_day is None:
            return
        validate_month_day(self.origin_month, self.origin_day, "origin_day")
        if self.origin_year is not None:
            try:
                origin = datetime.date(self.origin_year, self.origin_month, self.origin_day)
            except ValueError:
                raise ValidationError(
                    {
                        "origin_day": _("%(year)s was not a leap year: 29 February did not exist.")
                        % {"year": self.origin_year}
                    }
                ) from None
            if not dates.date_in_range(origin):
                raise ValidationError({"origin_year": dates.date_range_message()})

    def occurrence(self, year: int) -> Occurrence | None:
        """This anniversary in `year`; None before (or in) its origin year."""
        if self.origin_year is not None and year <= self.origin_year:
            return None
        ordinal = year - self.origin_year if self.origin_year is not None else None
        milestone = milestone_kind(ordinal, self.milestone_every)
        on = occurrence_date(self.origin_month, self.origin_day, year)
        title_vi, title_en = occurrence_titles(
            self.title_vi, self.title_en or self.title_vi, self.origin_date, on, ordinal, milestone
        )
        return Occurrence(
            anniversary=self,
            year=year,
            date=on,
            ordinal=ordinal,
            is_milestone=milestone is not None,
            title_vi=title_vi,
            title_en=title_en,
            milestone=milestone,
        )

    def next_occurrence(self, today: datetime.date) -> Occurrence | None:
        """The first occurrence on or after `today` (this year's if still to come)."""
        for year in (today.year, today.year + 1):
            found = self.occurrence(year)
            if found is not None and found.date >= today:
                return found
        return None

    def next_milestone(self, today: datetime.date) -> Occurrence | None:
        """The first milestone occurrence on or after `today`; None without milestones."""
        if not self.milestone_every or self.origin_year is None:
            return None
        for year in range(today.year, today.year + self.milestone_every + 1):
            found = self.occurrence(year)
            if found is not None and found.is_milestone and found.date >= today:
                return found
        return None

    def occurrences(self, start: datetime.date, end: datetime.date) -> list[Occurrence]:
        """The occurrences falling from `start` to `end`, both included."""
        found = (self.occurrence(year) for year in range(start.year, end.year + 1))
        return [o for o in found if o is not None and start <= o.date <= end]

    def build_search_text(self) -> str:
        return join_for_search(self.title_vi, self.title_en, self.notes, self.notes_en)

    def notes_in(self, language: str | None = None) -> str:
        """The notes in `language` (default: the reader's)."""
        return in_language(self.notes, self.notes_en, language)


# ---------------------------------------------------------------------------------------------
# Calendar subscriptions

# What the calendar's `kind` filter takes: an event kind or an anniversary kind (national_day
# is both, and matches both).
CALENDAR_KINDS = tuple(dict.fromkeys([*Event.Kind.values, *Anniversary.Kind.values]))


def validate_kinds(value: object, *, field: str) -> None:
    if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
        raise ValidationError({field: _("Give a list of kinds.")})
    unknown = [kind for kind in value if kind not in CALENDAR_KINDS]
    if unknown:
        raise ValidationError(
            {
                field: _("Unknown kind(s): %(kinds)s. Known: %(known)s.")
                % {"kinds": ", ".join(unknown), "known": ", ".join(CALENDAR_KINDS)}
            }
        )


class CalendarFeedQuerySet(VisibleQuerySet):
    def restrict(self, viewer) -> "CalendarFeedQuerySet":
        """A feed is its owner's: nobody else lists, reads or changes it through the API."""
        if viewer.public_only or viewer.user is None:
            return self.none()
        return self.filter(owner=viewer.user)


@dataclass(frozen=True)
class FeedToken:
    """A new token: the secret (shown once) and what is stored (its hash)."""

    key: str
    digest: str


def new_feed_token() -> FeedToken:
    key = secrets.token_urlsafe(32)  # 256 bits; calendar clients cannot log in, so it is the key
    return FeedToken(key=key, digest=feed_token_digest(key))


def feed_token_digest(key: str) -> str:
    return sha256(key.encode()).hexdigest()


class CalendarFeed(ArchivableModel, TrackedModel):
    """A staff member's calendar subscription: what to show, at a secret URL.

    What the feed shows is decided at each request with its owner's permissions then, so a
    feed never shows what its owner may no longer see.
    """

    class Language(models.TextChoices):
        VI = "vi", "Tiếng Việt"
        EN = "en", "English"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    name = models.CharField(pgettext_lazy("calendar", "name"), max_length=200)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token prefix"), max_length=8, editable=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.VI
    )
    milestones_only = models.BooleanField(
        _("milestone anniversaries only"),
        default=False,
        help_text=_("Only round-year anniversaries (and their preparation items), no events."),
    )
    kinds = models.JSONField(
        _("kinds"), default=list, blank=True, help_text=_("Event or anniversary kinds; empty: all.")
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.CASCADE
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Only the events and anniversaries this unit owns."),
    )
    include_cancelled = models.BooleanField(
        _("include cancelled events"),
        default=True,
        help_text=_("Shown as cancelled, titled [HỦY]; off: left out of the feed."),
    )
    preparation_days = models.PositiveSmallIntegerField(
        _("preparation lead time (days)"),
        default=90,
        validators=[MaxValueValidator(730)],
        help_text=_("A preparation item this many days before each milestone; 0: none."),
    )
    alarms = models.BooleanField(
        _("reminders (VALARM)"),
        default=False,
        help_text=_("Most subscribed calendars ignore them; the preparation items do not."),
    )

    objects = CalendarFeedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token_digest"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = vi_ordering("name", "id")

    def __str__(self) -> str:
        return self.name

    def set_token(self) -> str:
        """Give the feed a new secret token and return it (the only time it is readable);
        the old URL stops working once this is saved."""
        token = new_feed_token()
        self.token_digest = token.digest
        self.token_prefix = token.key[:8]
        return token.key

    def clean(self) -> None:
        validate_kinds(self.kinds, field="kinds")

    @classmethod
    def by_token(cls, key: str) -> "CalendarFeed | None":
        """The live feed with this token, or None (a regenerated or unknown token)."""
        return (
            cls.objects.filter(token_digest=feed_token_digest(key), archived_at__isnull=True)
            .select_related("owner")
            .first()
        )


search_depends_on(Organization, Event, "organizations")
search_depends_on(Person, Event, "people")
