"""Admin building blocks shared by the domain apps."""

from django.db import models
from simple_history.admin import SimpleHistoryAdmin


class TrackedAdmin(SimpleHistoryAdmin):
    """History pages, the author of each change recorded, and accent-free search.

    Models with a folded `search_text` column are searched through it (so "dong thap" finds
    "Đồng Tháp" and autocomplete fields behave the same); others use `search_fields`.
    """

    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
    # Websites typed without a scheme ("dongthap.gov.vn") are read as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        """The admin shows what the API shows the same user (archived rows to managers too)."""
        queryset = super().get_queryset(request)
        if not hasattr(queryset, "visible_to"):
            return queryset
        return queryset.visible_to(request.user) | queryset.visible_to(request.user, archived=True)

    def save_model(self, request, obj, form, change):
        obj.stamp(request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if hasattr(instance, "stamp"):
                instance.stamp(request.user)
            instance.save()
        formset.save_m2m()

    def get_search_results(self, request, queryset, search_term):
        if hasattr(queryset, "search"):
            return queryset.search(search_term, personal=True), False
        return super().get_search_results(request, queryset, search_term)
