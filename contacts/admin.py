"""The staff's data-entry screens."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _

from contacts.models import (
    Agreement,
    ContactPoint,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    PillarTag,
    Position,
    Tag,
    Unit,
    language_choices,
)
from crm.admin import TrackedAdmin, TrackedInline
from crm.collation import ordering as vi_ordering

TRACKING_FIELDS = (_("Record"), {"fields": TrackedAdmin.readonly_fields, "classes": ["collapse"]})


class OwnerUnitColumn:
    """The owner unit as its abbreviation, so list columns stay narrow."""

    @admin.display(description=_("owner unit"), ordering="owner_unit__abbreviation")
    def unit(self, obj) -> str:
        unit = obj.owner_unit
        return (unit.abbreviation or unit.name_vi) if unit else "—"


class ContactPointInline(TrackedInline):
    model = ContactPoint
    fields = ("kind", "label", "value", "is_primary")
    extra = 1


class PersonPositionInline(TrackedInline):
    model = Position
    fk_name = "person"
    fields = ("organization", "title", "department", "start_date", "end_date", "is_primary")
    autocomplete_fields = ("organization",)
    extra = 0


class OrganizationPositionInline(PersonPositionInline):
    fk_name = "organization"
    fields = ("person", "title", "department", "start_date", "end_date", "is_primary")
    autocomplete_fields = ("person",)


class ParticipantInline(TrackedInline):
    model = Participant
    fields = ("person", "role")
    autocomplete_fields = ("person",)
    extra = 1


class FollowUpInline(TrackedInline):
    model = FollowUp
    fields = ("action", "due_on", "assignee", "status", "done_at")
    autocomplete_fields = ("assignee",)
    extra = 1


@admin.register(Country)
class CountryAdmin(TrackedAdmin):
    list_display = (
        "code",
        "name_vi",
        "name_en",
        "name_native",
        "asean_joined_on",
        "national_day_display",
        "diplomatic_relations_on",
    )
    list_filter = (("asean_joined_on", admin.EmptyFieldListFilter),)
    search_fields = ("code", "name_vi", "name_en", "name_native")
    ordering = vi_ordering("name_vi", "=code")
    fieldsets = (
        (None, {"fields": ("code", "name_vi", "name_en", "name_native")}),
        (
            _("Relations"),
            {
                "fields": (
                    "asean_joined_on",
                    ("national_day_day", "national_day_month"),
                    "national_day_name_vi",
                    "national_day_name_en",
                    "diplomatic_relations_on",
                )
            },
        ),
        (None, {"fields": ("notes_vi", "notes_en", "source")}),
        TRACKING_FIELDS,
    )

    @admin.display(description=_("national day"))
    def national_day_display(self, obj: Country) -> str:
        if obj.national_day is None:
            return "—"
        return f"{obj.national_day_day:02d}/{obj.national_day_month:02d}"  # dd/mm, as dates are

    def get_readonly_fields(self, request, obj=None):
        # The ISO code is the key other rows point to: fixed once created.
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "code") if obj else readonly


@admin.register(Unit)
class UnitAdmin(TrackedAdmin):
    list_display = ("name_vi", "abbreviation", "code", "status", "receives_reports")
    list_filter = ("status", "receives_reports")
    search_fields = ("name_vi", "name_en", "abbreviation", "code")
    filter_horizontal = ("members",)
    prepopulated_fields = {"code": ("abbreviation",)}


@admin.register(Tag)
class TagAdmin(TrackedAdmin):
    search_fields = ("name",)


@admin.register(PillarTag)
class PillarTagAdmin(admin.ModelAdmin):
    """The three pillars are fixed by a migration: listed, never edited."""

    search_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(TrackedAdmin):
    list_display = (
        "__str__",
        "name_native",
        "abbreviation",
        "kind",
        "country",
        "relationship_status",
    )
    list_filter = ("kind", "relationship_status", "country", "pillars", "owner_unit", "tags")
    list_select_related = ("country",)
    search_fields = ("name_vi", "name_en", "name_native", "abbreviation")
    autocomplete_fields = ("country", "parent", "owner_unit", "tags")
    filter_horizontal = ("pillars",)
    inlines = (ContactPointInline, OrganizationPositionInline)
    fieldsets = (
        (None, {"fields": ("name_native", "name_vi", "name_en", "abbreviation", "kind")}),
        (
            _("Where"),
            {"fields": ("country", "region", "subdivision_code", "parent", "address", "website")},
        ),
        (
            _("Relationship"),
            {
                "fields": (
                    "relationship_status",
                    "pillars",
                    "tags",
                    "owner_unit",
                    "notes",
                    "notes_en",
                )
            },
        ),
        TRACKING_FIELDS,
    )


@admin.register(Person)
class PersonAdmin(TrackedAdmin):
    list_display = (
        "__str__",
        "full_name_native",
        "name_latin",
        "category",
        "nationality",
        "residence_country",
    )
    list_filter = ("category", "nationality", "residence_country", "gender", "owner_unit", "tags")
    list_select_related = ("nationality", "residence_country")
    search_fields = ("full_name_native", "name_latin", "name_vi")
    autocomplete_fields = ("nationality", "residence_country", "owner_unit", "tags")
    inlines = (ContactPointInline, PersonPositionInline)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "languages":
            # A list of ISO codes in the database; a filterable pick-list on the screen.
            return forms.MultipleChoiceField(
                label=db_field.verbose_name,
                choices=language_choices(),
                required=False,
                widget=FilteredSelectMultiple(db_field.verbose_name, is_stacked=False),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    fieldsets = (
        (
            None,
            {"fields": ("full_name_native", "name_latin", "name_vi", "honorific", "gender")},
        ),
        (
            _("Origin and residence"),
            {
                "fields": (
                    "category",
                    "nationality",
                    "residence_country",
                    "home_commune",
                    "home_commune_former",
                    "occupation",
                    "languages",
                )
            },
        ),
        (_("Birthday"), {"fields": (("birth_day", "birth_month", "birth_year"),)}),
        (None, {"fields": ("tags", "owner_unit", "notes")}),
        TRACKING_FIELDS,
    )


@admin.register(Position)
class PositionAdmin(TrackedAdmin):
    list_display = ("person", "title", "organization", "start_date", "end_date", "is_primary")
    list_filter = ("is_primary", "organization__country")
    list_select_related = ("person", "organization")
    search_fields = ("title", "department")
    autocomplete_fields = ("person", "organization")
    date_hierarchy = "start_date"


@admin.register(ContactPoint)
class ContactPointAdmin(TrackedAdmin):
    list_display = ("shown_value", "kind", "label", "person", "organization", "is_primary")
    list_filter = ("kind", "is_primary")
    list_select_related = ("person", "organization")
    search_fields = ("value", "label")
    autocomplete_fields = ("person", "organization")

    @admin.display(description=_("value"), ordering="value")
    def shown_value(self, obj: ContactPoint) -> str:
        """The value as staff read it (a phone number spaced out), under a translated head."""
        return obj.display_value


@admin.register(Interaction)
class InteractionAdmin(OwnerUnitColumn, TrackedAdmin):
    list_display = ("occurred_on", "subject", "kind", "confidentiality", "unit")
    list_filter = ("kind", "confidentiality", "pillars", "owner_unit", "organizations__country")
    list_select_related = ("owner_unit",)
    search_fields = ("subject", "summary")
    autocomplete_fields = ("organizations", "staff", "owner_unit")
    filter_horizontal = ("pillars",)
    date_hierarchy = "occurred_on"
    inlines = (ParticipantInline, FollowUpInline)
    fieldsets = (
        (None, {"fields": (("occurred_on", "occurred_time", "time_zone"), "kind", "subject")}),
        (_("Content"), {"fields": ("summary", "outcome", "location")}),
        (_("Who"), {"fields": ("organizations", "staff")}),
        (_("Classification"), {"fields": ("pillars", "confidentiality", "owner_unit")}),
        TRACKING_FIELDS,
    )


@admin.register(Participant)
class ParticipantAdmin(TrackedAdmin):
    list_display = ("person", "role", "interaction")
    list_select_related = ("person", "interaction")
    search_fields = ("role",)
    autocomplete_fields = ("person", "interaction")


@admin.register(FollowUp)
class FollowUpAdmin(TrackedAdmin):
    list_display = ("action", "due_on", "assignee", "status", "interaction")
    list_filter = ("status", "assignee")
    list_select_related = ("assignee", "interaction")
    search_fields = ("action", "details")
    autocomplete_fields = ("interaction", "assignee")
    date_hierarchy = "due_on"


@admin.register(Agreement)
class AgreementAdmin(TrackedAdmin):
    list_display = ("title", "kind", "signed_on", "valid_until", "status")
    list_filter = ("kind", "status", "owner_unit")
    search_fields = ("title", "summary")
    autocomplete_fields = ("parties", "owner_unit")
    date_hierarchy = "signed_on"
