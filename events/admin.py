"""Data entry for events, anniversaries and calendar subscriptions."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contacts.admin import TRACKING_FIELDS, OwnerUnitColumn
from crm import dates
from crm.admin import TrackedAdmin, TrackedInline
from events.anniversaries import milestone_word
from events.calendar import public_base_url, subscription_links
from events.models import CALENDAR_KINDS, Anniversary, CalendarFeed, Event, EventInteraction
from events.services import regenerate_feed_token


class EventInteractionInline(TrackedInline):
    model = EventInteraction
    fields = ("interaction",)
    autocomplete_fields = ("interaction",)
    extra = 0
    verbose_name = _("interaction at this event")
    verbose_name_plural = _("interactions at this event")


@admin.register(Event)
class EventAdmin(OwnerUnitColumn, TrackedAdmin):
    list_display = ("start_date", "end_date", "title_vi", "kind", "status", "visibility", "unit")
    list_filter = ("kind", "status", "visibility", "pillars", "owner_unit", "country")
    list_select_related = ("owner_unit",)
    search_fields = ("title_vi", "title_en")
    autocomplete_fields = ("country", "organizations", "people", "staff", "owner_unit")
    filter_horizontal = ("pillars",)
    date_hierarchy = "start_date"
    inlines = (EventInteractionInline,)
    readonly_fields = (*TrackedAdmin.readonly_fields, "sequence")
    fieldsets = (
        (None, {"fields": ("title_vi", "title_en", "kind", "status")}),
        (
            _("When"),
            {
                "fields": (
                    "all_day",
                    ("start_date", "end_date"),
                    ("starts_at", "ends_at", "time_zone"),
                ),
                "description": _(
                    "All-day: give the days. Timed: give the times; the days follow from them."
                ),
            },
        ),
        (_("Content"), {"fields": ("description_vi", "description_en", "location", "country")}),
        (_("Who"), {"fields": ("organizations", "people", "staff")}),
        (
            _("Classification"),
            {"fields": ("pillars", "visibility", "owner_unit", "budget_planned", "budget_spent")},
        ),
        (
            _("Record"),
            {"fields": (*TrackedAdmin.readonly_fields, "sequence"), "classes": ["collapse"]},
        ),
    )


@admin.register(Anniversary)
class AnniversaryAdmin(TrackedAdmin):
    list_display = ("title_vi", "kind", "origin", "next_occurrence", "country")
    list_filter = ("kind", "visibility", "country")
    list_select_related = ("country",)
    search_fields = ("title_vi", "title_en")
    autocomplete_fields = ("country", "organization", "agreement", "owner_unit")
    readonly_fields = (*TrackedAdmin.readonly_fields, "code", "sequence")
    fieldsets = (
        (None, {"fields": ("title_vi", "title_en", "kind")}),
        (
            _("Date and rule"),
            {
                "fields": (("origin_day", "origin_month", "origin_year"), "milestone_every"),
                "description": _(
                    "29 February falls on 28 February in common years. Without a year the "
                    "anniversary is a yearly observance, without ordinal or milestones."
                ),
            },
        ),
        (_("Related"), {"fields": ("country", "organization", "agreement", "owner_unit")}),
        (_("Classification"), {"fields": ("visibility", "notes", "notes_en", "source", "code")}),
        TRACKING_FIELDS,
    )

    @admin.display(description=_("origin"), ordering="origin_month")
    def origin(self, anniversary: Anniversary) -> str:
        # dd/mm/yyyy like every date on the staff's pages (dd/mm for a yearly observance)
        year = f"/{anniversary.origin_year:04d}" if anniversary.origin_year else ""
        return f"{anniversary.origin_day:02d}/{anniversary.origin_month:02d}{year}"

    @admin.display(description=_("next occurrence"))
    def next_occurrence(self, anniversary: Anniversary) -> str:
        found = anniversary.next_occurrence(timezone.localdate())
        if found is None:
            return "—"
        word = milestone_word(found.milestone, translation.get_language())
        mark = f" ★ {word}" if word else ""
        ordinal = f" ({found.ordinal})" if found.ordinal else ""
        return f"{dates.format_date(found.date)}{ordinal}{mark}"


def calendar_kind_choices() -> list[tuple[str, str]]:
    """Every kind a feed can pick (CALENDAR_KINDS): events' kinds, then anniversaries' own."""
    labels = dict(Anniversary.Kind.choices) | dict(Event.Kind.choices)
    return [(kind, labels[kind]) for kind in CALENDAR_KINDS]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(TrackedAdmin):
    """Staff make their own subscriptions here; the address is shown once, after saving."""

    list_display = ("name", "owner", "token_prefix", "milestones_only", "language")
    list_select_related = ("owner",)
    search_fields = ("name",)
    autocomplete_fields = ("country", "organization", "unit")
    readonly_fields = (*TrackedAdmin.readonly_fields, "owner", "token_prefix")
    actions = ("regenerate_tokens",)
    fieldsets = (
        (None, {"fields": ("name", "language", "owner", "token_prefix")}),
        (
            _("What it shows"),
            {
                "fields": (
                    "milestones_only",
                    "kinds",
                    "country",
                    "organization",
                    "unit",
                    "include_cancelled",
                    "preparation_days",
                    "alarms",
                )
            },
        ),
        TRACKING_FIELDS,
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kinds":
            # A JSON list of kind codes in the database; ticked boxes on the screen.
            return forms.MultipleChoiceField(
                label=db_field.verbose_name,
                choices=calendar_kind_choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Tick none to show every kind."),
            )
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "language" and field is not None:
            field.choices = [("vi", _("Vietnamese")), ("en", _("English"))]
        return field

    def has_archive_permission(self, request) -> bool:
        """Everyone archives (deletes) their own feeds, as in the API; the gate shows each
        user only their own."""
        return self.has_change_permission(request)

    def save_model(self, request, obj, form, change):
        key = None
        if not change:
            obj.owner = request.user
            key = obj.set_token()
        super().save_model(request, obj, form, change)
        if key:
            self.show_links(request, obj, key)

    @admin.action(description=_("Regenerate the address (the old one stops working)"))
    def regenerate_tokens(self, request, queryset):
        for feed in queryset:
            self.show_links(request, feed, regenerate_feed_token(feed, user=request.user))

    def show_links(self, request, feed: CalendarFeed, key: str) -> None:
        links = subscription_links(public_base_url(request), key)
        messages.success(
            request,
            format_html(
                '{}: <code>{}</code> · <a href="{}">webcal</a> · '
                '<a href="{}" target="_blank" rel="noopener">Google Calendar</a> — {}',
                feed.name,
                links["feed_url"],
                links["webcal_url"],
                links["google_url"],
                _("copy the address now: it is shown only once."),
            ),
        )
