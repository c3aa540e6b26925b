"""The contacts domain: countries, units, organisations, people and the contact log."""

import calendar
import datetime
import zoneinfo
from functools import cache

from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from contacts.phones import format_international, national_digits, normalize_phone
from crm import dates
from crm.access import as_viewer
from crm.collation import ordering as vi_ordering
from crm.models import (
    ArchivableModel,
    ConfidentialQuerySet,
    SearchableModel,
    SearchQuerySet,
    TrackedModel,
    VisibleQuerySet,
    rebuild_search,
    search_depends_on,
)
from crm.text import in_language, join_for_search

# ---------------------------------------------------------------------------------------------
# Vocabularies


class Pillar(models.TextChoices):
    POLITICAL_SECURITY = "political_security", _("Political–Security")
    ECONOMIC = "economic", _("Economic")
    SOCIO_CULTURAL = "socio_cultural", _("Socio-Cultural")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")


@cache
def language_choices() -> list[tuple[str, str]]:
    """ISO 639 codes Django knows, plus the ASEAN languages it lacks, for people's languages."""
    extra = [("lo", _("Lao")), ("tl", _("Tagalog (Filipino)"))]
    # Django's names are marked with gettext_noop: translated here, when shown.
    named = [(code, _(name)) for code, name in global_settings.LANGUAGES]  # noqa: INT001
    return sorted([*named, *extra], key=lambda choice: choice[0])


def validate_language_codes(value: object) -> None:
    known = {code for code, _name in language_choices()}
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."), code="not_a_list")
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s."),
            code="unknown_language",
            params={"codes": ", ".join(unknown)},
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone."),
            code="unknown_time_zone",
            params={"value": value},
        )


# ---------------------------------------------------------------------------------------------
# Reference data


class Tag(TrackedModel):
    """A free label staff put on people and organisations ("kết nghĩa", "học bổng"…)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    name_fields = ("name",)
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = vi_ordering("name")

    def __str__(self) -> str:
        return self.name


class PillarTag(models.Model):
    """One of ASEAN's three community pillars, as a row so that M2M filters work everywhere."""

    code = models.CharField(_("code"), max_length=32, primary_key=True, choices=Pillar.choices)

    class Meta:
        verbose_name = _("ASEAN pillar")
        verbose_name_plural = _("ASEAN pillars")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(Pillar(self.code).label)


class Country(SearchableModel, TrackedModel):
    code = models.CharField(
        _("ISO 3166-1 alpha-2 code"),
        max_length=2,
        primary_key=True,
        help_text=_("Upper-case, e.g. KH, LA, VN."),
    )
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    name_native = models.CharField(_("native name"), max_length=200, blank=True)
    asean_joined_on = models.DateField(_("joined ASEAN on"), null=True, blank=True)
    national_day_month = models.PositiveSmallIntegerField(
        _("national day: month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    national_day_day = models.PositiveSmallIntegerField(
        _("national day: day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    national_day_name_vi = models.CharField(
        _("national day: what it commemorates (Vietnamese)"), max_length=200, blank=True
    )
    national_day_name_en = models.CharField(
        _("national day: what it commemorates (English)"), max_length=200, blank=True
    )
    diplomatic_relations_on = models.DateField(
        _("diplomatic relations with Vietnam since"), null=True, blank=True
    )
    notes_vi = models.TextField(_("notes (Vietnamese)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    source = models.TextField(_("sources"), blank=True, help_text=_("Where the facts come from."))

    change_type = "country"  # its name in the changes feed
    name_fields = ("name_vi", "name_en", "name_native")
    objects = SearchQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = vi_ordering("name_vi", "=code")
        constraints = [
            models.CheckConstraint(
                condition=Q(national_day_month__isnull=True, national_day_day__isnull=True)
                | Q(national_day_month__isnull=False, national_day_day__isnull=False),
                name="country_national_day_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name_vi

    @property
    def national_day_name(self) -> str:
        """What the national day commemorates, in the reader's language."""
        return in_language(self.national_day_name_vi, self.national_day_name_en)

    @property
    def notes(self) -> str:
        """The notes in the reader's language."""
        return in_language(self.notes_vi, self.notes_en)

    @property
    def is_asean_member(self) -> bool:
        return self.asean_joined_on is not None

    @property
    def national_day(self) -> tuple[int, int] | None:
        if self.national_day_month is None:
            return None
        return (self.national_day_month, self.national_day_day)

    def clean(self) -> None:
        self.code = (self.code or "").upper()
        if (self.national_day_month is None) != (self.national_day_day is None):
            raise ValidationError(
                {"national_day_day": _("Give both the month and the day of the national day.")}
            )
        if self.national_day_month is not None:
            validate_month_day(self.national_day_month, self.national_day_day, "national_day_day")

    def build_search_text(self) -> str:
        return join_for_search(self.code, self.name_vi, self.name_en, self.name_native)


def validate_month_day(month: int, day: int, field: str) -> None:
    """A day that exists in that month in some year (29 February included)."""
    if not 1 <= month <= 12:
        raise ValidationError({field: _("Month must be between 1 and 12.")})
    longest = calendar.monthrange(2000, month)[1]  # 2000 is a leap year: February has 29 days
    if not 1 <= day <= longest:
        raise ValidationError(
            {
                field: _("Day %(day)s does not exist in month %(month)s.")
                % {"day": day, "month": month}
            }
        )


class Unit(TrackedModel):
    """A unit of the staff (Sở Ngoại vụ, Liên hiệp các tổ chức hữu nghị…): data, not code.

    Which units exist after the 2025 restructuring varies by province, so a unit says whether
    its existence is confirmed, and which one unit receives the yearly reports (the
    coordinating agency was itself merged in 2025): both are edited in the admin."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        TO_CONFIRM = "to_confirm", _("To be confirmed")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=50, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.CONFIRMED,
        help_text=_("Whether the province has confirmed this unit as it stands."),
    )
    receives_reports = models.BooleanField(
        _("receives the yearly reports"),
        default=False,
        help_text=_("The agency the units report to each year (one unit at most)."),
    )
    source = models.TextField(_("sources"), blank=True, help_text=_("Where the facts come from."))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="units",
        blank=True,
    )

    change_type = "unit"  # its name in the changes feed
    name_fields = ("name_vi", "name_en", "abbreviation")
    objects = VisibleQuerySet.as_manager()
    # m2m history is recorded from this side only: add members with `unit.members.add(user)`,
    # never `user.units.add(unit)` (django-simple-history does not follow the reverse side).
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = vi_ordering("name_vi", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["receives_reports"],
                condition=Q(receives_reports=True),
                name="unit_one_report_recipient",
                violation_error_message=_("Another unit already receives the yearly reports."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_vi


# ---------------------------------------------------------------------------------------------
# Organisations and people


class Organization(ArchivableModel, SearchableModel, TrackedModel):
    class Kind(models.TextChoices):
        COUNTERPART_PROVINCE = "counterpart_province", _("Provincial counterpart government")
        FOREIGN_GOVERNMENT = "foreign_government", _("Foreign government body")
        DIPLOMATIC_MISSION = "diplomatic_mission", _("Embassy or consulate")
        INTERNATIONAL_ORGANIZATION = "international_organization", _("International organisation")
        FRIENDSHIP_ASSOCIATION = "friendship_association", _("Friendship association")
        OVERSEAS_VIETNAMESE_ASSOCIATION = (
            "overseas_vietnamese_association",
            _("Overseas-Vietnamese association"),
        )
        BUSINESS = "business", _("Business")
        NGO = "ngo", _("Non-governmental organisation")
        EDUCATION_RESEARCH = "education_research", _("Education or research")
        MEDIA = "media", _("Media")
        DOMESTIC_AGENCY = "domestic_agency", _("Domestic agency")

    class Status(models.TextChoices):
        PROSPECTIVE = "prospective", _("Prospective")
        # What the sources do not say: a partnership whose last known agreement has expired,
        # or one nobody has confirmed since.
        TO_CONFIRM = "to_confirm", _("To be confirmed")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        ENDED = "ended", _("Ended")

    name_native = models.CharField(
        _("official name (own script)"),
        max_length=300,
        help_text=_("As the organisation writes it: Khmer, Lao, Thai or Latin script."),
    )
    name_vi = models.CharField(_("Vietnamese name"), max_length=300, blank=True)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    region = models.CharField(_("province or region"), max_length=200, blank=True)
    subdivision_code = models.CharField(
        _("ISO 3166-2 code"),
        max_length=10,
        blank=True,
        help_text=_("For provincial governments, e.g. KH-14 for Prey Veng."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    pillars = models.ManyToManyField(PillarTag, verbose_name=_("ASEAN pillars"), blank=True)
    relationship_status = models.CharField(
        _("relationship status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("In Vietnamese."))
    notes_en = models.TextField(
        _("notes (English)"), blank=True, help_text=_("For English readers, where kept.")
    )
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )

    change_type = "organization"  # its name in the changes feed
    name_fields = ("name_native", "name_vi", "name_en", "abbreviation", "region")
    # Interactions, agreements, people (by their posts) and events are found by these names.
    search_name_fields = ("name_native", "name_vi", "name_en", "abbreviation")
    search_prefetch = ("contact_points",)
    objects = SearchQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[pillars, tags], excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = vi_ordering("name_vi", "name_en", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["subdivision_code"],
                condition=~Q(subdivision_code=""),
                name="organization_unique_subdivision_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name_vi or self.name_en or self.name_native

    @property
    def notes_in_language(self) -> str:
        """The notes in the reader's language (the Vietnamese ones when no English is kept)."""
        return in_language(self.notes, self.notes_en)

    def clean(self) -> None:
        if self.parent_id is not None and self.pk is not None:
            ancestor, seen = self.parent, {self.pk}
            while ancestor is not None:
                if ancestor.pk in seen:
                    raise ValidationError(
                        {"parent": _("An organisation cannot be its own ancestor.")}
                    )
                seen.add(ancestor.pk)
                ancestor = ancestor.parent

    def build_search_text(self) -> str:
        contact_values = contact_search_values(self.contact_points.all()) if self.pk else []
        return join_for_search(
            self.name_native,
            self.name_vi,
            self.name_en,
            self.abbreviation,
            self.region,
            self.subdivision_code,
            *contact_values,
        )


class Person(ArchivableModel, SearchableModel, TrackedModel):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class Category(models.TextChoices):
        FOREIGN_PARTNER = "foreign_partner", _("Foreign partner")
        COUNTERPART_OFFICIAL = "counterpart_official", _("Counterpart official")
        OVERSEAS_VIETNAMESE = "overseas_vietnamese", _("Overseas Vietnamese")
        DOMESTIC = "domestic", _("Domestic")

    full_name_native = models.CharField(
        _("name as written"),
        max_length=300,
        help_text=_("Full name in its own script and order (Khmer, Lao, Thai or Latin)."),
    )
    name_latin = models.CharField(_("Latin transliteration"), max_length=300, blank=True)
    name_vi = models.CharField(_("Vietnamese rendering"), max_length=300, blank=True)
    honorific = models.CharField(
        _("honorific"), max_length=100, blank=True, help_text=_("Ông, Bà, H.E., Dr.…")
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    nationality = models.ForeignKey(
        Country,
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nationals",
    )
    residence_country = models.ForeignKey(
        Country,
        verbose_name=_("country of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    home_commune = models.CharField(
        _("home commune or ward"),
        max_length=200,
        blank=True,
        help_text=_("For overseas Vietnamese: the commune or ward of the province (since 2025)."),
    )
    home_commune_former = models.CharField(
        _("former home address names"),
        max_length=300,
        blank=True,
        help_text=_("Names before the 2025 reorganisation (district, old commune, Tiền Giang…)."),
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
        help_text=_('ISO 639 codes, e.g. ["km", "vi"].'),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1880), MaxValueValidator(2100)],
    )
    birth_month = models.PositiveSmallIntegerField(
        _("birth month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    birth_day = models.PositiveSmallIntegerField(
        _("birth day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True)
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )

    search_personal = models.TextField(editable=False, blank=True, default="")

    change_type = "person"  # its name in the changes feed
    name_fields = ("full_name_native", "name_latin", "name_vi", "honorific")
    # Interactions and events are found by the names of the people taking part.
    search_name_fields = ("full_name_native", "name_latin", "name_vi")
    search_prefetch = ("contact_points", "positions__organization")
    objects = SearchQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[tags], excluded_fields=["search_text", "search_personal"]
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = vi_ordering("name_vi", "full_name_native", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True, birth_day__isnull=True)
                | Q(birth_month__isnull=False, birth_day__isnull=False),
                name="person_birthday_month_and_day_together",
            ),
        ]

    def __str__(self) -> str:
        return self.name_vi or self.name_latin or self.full_name_native

    def clean(self) -> None:
        if (self.birth_month is None) != (self.birth_day is None):
            raise ValidationError(
                {"birth_day": _("Give both the day and the month of the birthday, or neither.")}
            )
        if self.birth_month is None:
            return
        validate_month_day(self.birth_month, self.birth_day, "birth_day")
        if (
            self.birth_year is not None
            and (self.birth_month, self.birth_day) == (2, 29)
            and not calendar.isleap(self.birth_year)
        ):
            raise ValidationError(
                {
                    "birth_day": _("%(year)s is not a leap year: 29/2 does not exist.")
                    % {"year": self.birth_year}
                }
            )

    @property
    def birthday_display(self) -> str:
        """29/2/1992, or 14/3 when the year is unknown (Vietnamese day/month order)."""
        if self.birth_month is None:
            return ""
        if self.birth_year is None:
            return f"{self.birth_day}/{self.birth_month}"
        return f"{self.birth_day}/{self.birth_month}/{self.birth_year}"

    def birthday_in(self, year: int) -> datetime.date | None:
        """The birthday as observed in `year`: 29 February falls on 28 February in common years."""
        if self.birth_month is None:
            return None
        day = self.birth_day
        if (self.birth_month, day) == (2, 29) and not calendar.isleap(year):
            day = 28
        return datetime.date(year, self.birth_month, day)

    def next_birthday(self, today: datetime.date | None = None) -> datetime.date | None:
        today = today or timezone.localdate()
        upcoming = self.birthday_in(today.year)
        if upcoming is not None and upcoming < today:
            upcoming = self.birthday_in(today.year + 1)
        return upcoming

    def default_phone_region(self) -> str:
        """Region for local phone forms: where they live, else their nationality, else home."""
        return self.residence_country_id or self.nationality_id or settings.HOME_COUNTRY

    def search_columns(self) -> dict[str, str]:
        # Names are searchable by everyone; phones and home communes only by those who may
        # see personal data (`SearchQuerySet.search(personal=True)`).
        contact_values = contact_search_values(self.contact_points.all()) if self.pk else []
        return {
            "search_text": self.build_search_text(),
            "search_personal": join_for_search(
                self.home_commune, self.home_commune_former, *contact_values
            ),
        }

    def build_search_text(self) -> str:
        """Their names, then the names of the organisations they hold or held a post in."""
        positions = self.related_for_search(
            "positions", lambda: self.positions.select_related("organization")
        )
        organizations = [position.organization for position in positions]
        return join_for_search(*self.search_names(), *names_of(organizations))


class InteractionQuerySet(ConfidentialQuerySet):
    staff_field = "staff"


class AgreementQuerySet(ConfidentialQuerySet):
    """As interactions, without a staff list: restricted ones for their unit's managers."""


class InteractionPartQuerySet(VisibleQuerySet):
    """Follow-ups and participants: visible with their interaction; internal workflow, so
    never to public-only callers."""

    def restrict(self, viewer) -> "InteractionPartQuerySet":
        if viewer.public_only:
            return self.none()
        return self.filter(interaction__in=Interaction.objects.visible_to(viewer).values("pk"))

    def of_visible_interactions(self, who) -> "InteractionPartQuerySet":
        """`visible_to(who)` for rows read under interactions already visible to `who` (a
        prefetch keyed by a visible page, the summary of a visible history): the same rows,
        without `restrict()`'s check of their interaction, which costs a pass over every
        visible interaction of the log on each read."""
        viewer = as_viewer(who)
        if not viewer.can_read or viewer.public_only:
            return self.none()
        if any(f.name == "archived_at" for f in self.model._meta.concrete_fields):
            return self.filter(archived_at__isnull=True)
        return self


class FollowUpQuerySet(InteractionPartQuerySet):
    """Follow-ups as staff work through them: open ones first (status codes sort "cancelled",
    "done", "open"), then by due date with undated ones last; `is_overdue` marks open ones due
    before today. Annotations on the same query: no query more per list."""

    def with_state(self, today: datetime.date | None = None) -> "FollowUpQuerySet":
        """Annotates `is_overdue` and `is_open_first` (0 for open, 1 otherwise)."""
        today = today or timezone.localdate()
        open_ = Q(status=FollowUp.Status.OPEN)
        return self.annotate(
            is_overdue=models.ExpressionWrapper(
                open_ & Q(due_on__lt=today), output_field=models.BooleanField()
            ),
            status_rank=models.Case(
                models.When(open_, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            ),
        )

    def in_work_order(self, today: datetime.date | None = None) -> "FollowUpQuerySet":
        """Open first, then by due date (undated last), then by id: the default list order."""
        return self.with_state(today).order_by(
            "status_rank", models.F("due_on").asc(nulls_last=True), "pk"
        )

    def overdue(self, value: bool = True, today: datetime.date | None = None):
        """Open and due before today (`value` False: every other one)."""
        today = today or timezone.localdate()
        overdue = Q(status=FollowUp.Status.OPEN, due_on__lt=today)
        return self.filter(overdue) if value else self.exclude(overdue)

    def assigned_to(self, user) -> "FollowUpQuerySet":
        """The follow-ups assigned to `user` (none for an anonymous caller)."""
        if user is None or not getattr(user, "pk", None):
            return self.none()
        return self.filter(assignee=user)


class ContactPointQuerySet(VisibleQuerySet):
    def restrict(self, viewer) -> "ContactPointQuerySet":
        """A person's contact points are personal data; an organisation's are not."""
        if viewer.personal_data:
            return self
        return self.filter(person__isnull=True)


# ---------------------------------------------------------------------------------------------
# Contact points


class ContactPoint(TrackedModel):
    """A way to reach a person or an organisation (exactly one of the two)."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        ZALO = "zalo", "Zalo"
        WHATSAPP = "whatsapp", "WhatsApp"
        TELEGRAM = "telegram", "Telegram"
        LINE = "line", "LINE"
        WECHAT = "wechat", "WeChat"
        FACEBOOK = "facebook", "Facebook"
        OTHER = "other", _("Other")

    # Zalo and WhatsApp accounts are phone numbers, so they are validated as such.
    PHONE_KINDS = frozenset({Kind.PHONE, Kind.ZALO, Kind.WHATSAPP})

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_points",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_points",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(
        _("label"), max_length=50, blank=True, help_text=_("work, mobile, home…")
    )
    value = models.CharField(_("value"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)

    objects = ContactPointQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["-is_primary", "id"]  # primary first, then as entered
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organization__isnull=True)
                | Q(person__isnull=True, organization__isnull=False),
                name="contact_point_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_value}"

    @property
    def owner(self) -> Person | Organization | None:
        return self.person if self.person is not None else self.organization

    @property
    def display_value(self) -> str:
        if self.kind in self.PHONE_KINDS:
            return format_international(self.value)
        return self.value

    def default_region(self) -> str:
        # The owner may be unsaved (an admin add page), so go through the relation, not the id.
        if self.person is not None:
            return self.person.default_phone_region()
        if self.organization is not None:
            return self.organization.country_id or settings.HOME_COUNTRY
        return settings.HOME_COUNTRY

    def clean(self) -> None:
        if (self.person is None) == (self.organization is None):
            raise ValidationError(_("A contact point belongs to one person or one organisation."))
        self.value = (self.value or "").strip()
        if self.kind in self.PHONE_KINDS:
            try:
                self.value = normalize_phone(self.value, self.default_region())
            except ValidationError as exc:
                raise ValidationError({"value": exc.messages}) from exc
        elif self.kind == self.Kind.EMAIL:
            self.value = self.value.lower()
            try:
                validate_email(self.value)
            except ValidationError as exc:
                raise ValidationError(
                    {"value": _("%(value)s is not a valid email address.") % {"value": self.value}}
                ) from exc

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._refresh_owner_search()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._refresh_owner_search()
        return result

    def _refresh_owner_search(self) -> None:
        owner = self.owner
        if owner is not None and owner.pk is not None:
            # An update, not a save: the owner did not change, so no history row and no
            # new updated_at.
            type(owner).objects.filter(pk=owner.pk).update(**owner.search_columns())


def names_of(rows) -> list[str]:
    """Every name of `rows` (organisations or people) as their `search_names()`, each row
    once and in the order of their keys (so the text does not depend on how they were read)."""
    unique = {row.pk: row for row in rows}
    return [name for pk in sorted(unique) for name in unique[pk].search_names()]


def contact_search_values(contact_points) -> list[str]:
    """Contact values as staff search them: E.164 and the national digits for phones."""
    values = []
    for point in contact_points:
        values.append(point.value)
        if point.kind in ContactPoint.PHONE_KINDS:
            values.append(national_digits(point.value))
    return values


# ---------------------------------------------------------------------------------------------
# Positions


def held_on(on) -> Q:
    """Positions held on `on` (a date, or an expression such as OuterRef("occurred_on")):
    started by then or start unknown, and no end or an end after it. The one definition of
    holding a post, used for "current" and for the organisation history window."""
    started = Q(start_date__isnull=True) | Q(start_date__lte=on)
    not_ended = Q(end_date__isnull=True) | Q(end_date__gt=on)
    return started & not_ended


class PositionQuerySet(VisibleQuerySet):
    def current(self, on: datetime.date | None = None) -> "PositionQuerySet":
        """Held on `on` (default today): started by then, and no end or an end after it."""
        return self.filter(held_on(on or timezone.localdate()))

    def past(self, on: datetime.date | None = None) -> "PositionQuerySet":
        on = on or timezone.localdate()
        return self.filter(end_date__lte=on)


class Position(TrackedModel):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    title = models.CharField(pgettext_lazy("position", "title"), max_length=300)
    department = models.CharField(_("department"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    change_type = "position"  # its name in the changes feed
    objects = PositionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-is_primary", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organization}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_person_id = instance.__dict__.get("person_id")
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._refresh_person_search()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._refresh_person_search()
        return result

    def _refresh_person_search(self) -> None:
        """A person is found by the organisations of their posts: rebuild theirs (and the
        previous holder's, if the post moved to someone else)."""
        ids = {self.person_id, getattr(self, "_loaded_person_id", None)} - {None}
        rebuild_search(Person.objects.filter(pk__in=ids))
        self._loaded_person_id = self.person_id

    def is_current(self, on: datetime.date | None = None) -> bool:
        """Python twin of `held_on`, for a row already loaded."""
        on = on or timezone.localdate()
        started = self.start_date is None or self.start_date <= on
        return started and (self.end_date is None or self.end_date > on)


# ---------------------------------------------------------------------------------------------
# The contact log


class Interaction(ArchivableModel, SearchableModel, TrackedModel):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        INBOUND_DELEGATION = "inbound_delegation", _("Inbound delegation")
        OUTBOUND_DELEGATION = "outbound_delegation", _("Outbound delegation")
        PHONE_CALL = "phone_call", _("Phone call")
        VIDEO_CALL = "video_call", _("Video call")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter or diplomatic note")
        GREETINGS = "greetings", _("Greetings sent")
        EVENT_PARTICIPATION = "event_participation", _("Event participation")
        OTHER = "other", _("Other")

    occurred_on = models.DateField(_("date"), db_index=True)
    occurred_time = models.TimeField(_("time"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Ho_Chi_Minh",
        validators=[validate_time_zone],
        help_text=_("IANA name; applies when a time is given."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    people = models.ManyToManyField(
        Person,
        verbose_name=_("external participants"),
        through="Participant",
        related_name="interactions",
        blank=True,
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organisations involved"),
        related_name="interactions",
        blank=True,
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff taking part"),
        related_name="interactions",
        blank=True,
    )
    pillars = models.ManyToManyField(PillarTag, verbose_name=_("ASEAN pillars"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
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
        related_name="interactions",
    )

    change_type = "interaction"  # its name in the changes feed
    search_prefetch = ("organizations", "people")
    objects = InteractionQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[organizations, staff, pillars], excluded_fields=["search_text"]
    )

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_on", "-occurred_time", "-id"]

    def __str__(self) -> str:
        return f"{dates.format_date(self.occurred_on)} · {self.subject}"

    @property
    def occurred_at(self) -> datetime.datetime | None:
        """The aware start time, when a time was given."""
        if self.occurred_time is None:
            return None
        return datetime.datetime.combine(
            self.occurred_on, self.occurred_time, tzinfo=zoneinfo.ZoneInfo(self.time_zone)
        )

    def build_search_text(self) -> str:
        """Subject, summary, and the names of its organisations and people in every script
        and spelling they carry (native, Latin or English, Vietnamese)."""
        organizations = self.related_for_search("organizations")
        people = self.related_for_search("people")
        return join_for_search(
            self.subject, self.summary, *names_of(organizations), *names_of(people)
        )


class Participant(TrackedModel):
    """An external person taking part in an interaction, with their role in it."""

    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("Head of delegation, interpreter…")
    )

    objects = InteractionPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "person"], name="participant_once_per_interaction"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_interaction_id = instance.__dict__.get("interaction_id")
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._refresh_interaction_search()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._refresh_interaction_search()
        return result

    def _refresh_interaction_search(self) -> None:
        """An interaction is found by its people's names: rebuild it (and the one the
        participant left, if it moved)."""
        ids = {self.interaction_id, getattr(self, "_loaded_interaction_id", None)} - {None}
        rebuild_search(Interaction.objects.filter(pk__in=ids))
        self._loaded_interaction_id = self.interaction_id


class FollowUp(ArchivableModel, TrackedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    action = models.CharField(_("action"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    change_type = "follow-up"  # its name in the changes feed
    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        # Open ones first (the codes alone sort "open" last), then by due date, undated last:
        # the admin, nested lists and briefings read them as the API's list does.
        ordering = [
            models.Case(
                models.When(status="open", then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            ).asc(),
            models.F("due_on").asc(nulls_last=True),
            "id",
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False),
                name="follow_up_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.action

    @property
    def confidentiality(self) -> str:
        """Follow-ups are internal work, as secret as their interaction when it is restricted."""
        if self.interaction.confidentiality == Confidentiality.RESTRICTED:
            return Confidentiality.RESTRICTED
        return Confidentiality.INTERNAL

    def is_overdue_on(self, today: datetime.date) -> bool:
        """Open and due before `today` (the rule of `FollowUpQuerySet.overdue`)."""
        return self.status == self.Status.OPEN and self.due_on is not None and self.due_on < today

    def clean(self) -> None:
        if self.status == self.Status.DONE and self.done_at is None:
            self.done_at = timezone.now()
        elif self.status == self.Status.OPEN:
            self.done_at = None


class Agreement(ArchivableModel, SearchableModel, TrackedModel):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        TWINNING = "twinning", _("Twinning agreement")
        COOPERATION_PROGRAMME = "cooperation_programme", _("Cooperation programme")
        MINUTES = "minutes", _("Minutes")

    class Status(models.TextChoices):
        DRAFT = "draft", _("In negotiation")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    title = models.CharField(pgettext_lazy("agreement", "title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parties = models.ManyToManyField(
        Organization, verbose_name=_("parties"), related_name="agreements", blank=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.CharField(_("signed at"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
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
        related_name="agreements",
    )

    change_type = "agreement"  # its name in the changes feed
    search_prefetch = ("parties",)
    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[parties], excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("signed_on")),
                name="agreement_valid_after_signing",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.signed_on and self.valid_until and self.valid_until < self.signed_on:
            raise ValidationError({"valid_until": _("Valid until is before the signing date.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Valid until is before valid from.")})

    def build_search_text(self) -> str:
        """Title, summary, place of signing and the names of the parties."""
        parties = self.related_for_search("parties")
        return join_for_search(self.title, self.summary, self.signed_at, *names_of(parties))


# Whose search text holds whose names (see `crm.models.SearchableModel`).
search_depends_on(Organization, Interaction, "organizations")
search_depends_on(Person, Interaction, "participants__person")
search_depends_on(Organization, Person, "positions__organization")
search_depends_on(Organization, Agreement, "parties")
