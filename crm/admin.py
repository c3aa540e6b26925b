"""Admin building blocks shared by the domain apps: one gate for every admin page.

Every page that shows a row (list, change, delete, history, a version of the history,
autocomplete, raw-id popups) finds it through `get_queryset()`, which is `visible_to(user)`;
related rows offered in a form (choices, inlines) pass the same gate, and a related row the
user may not see is never named on a page (nor lost when the user saves the form). Versions of
the history follow `crm.history.shown_versions`. Bookkeeping fields are never inputs.
"""

from django import http
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from crm import history, services
from crm.access import MANAGER, as_viewer
from crm.collation import collated_if_text
from crm.models import SearchableModel

# Fields the system keeps, never typed by staff: archiving goes through the archive and restore
# actions, stamps and search columns are written on save, sequences and token hashes by the
# models. Whatever model has one of these, no admin form offers it as an input.
BOOKKEEPING_FIELDS = frozenset(
    {
        "archived_at",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "search_text",
        "search_personal",
        "sequence",
        "token_digest",
        "token_prefix",
        "digest",
        "prefix",
        "last_used_at",
        "revoked_at",
    }
)


def admin_rows(queryset, who):
    """The rows the admin shows `who`: what the API shows the same user, archived rows to
    managers and above too."""
    if not hasattr(queryset, "visible_to"):
        return queryset
    return queryset.visible_to(who) | queryset.visible_to(who, archived=True)


def related_rows(model, who):
    """Rows of `model` that `who` may see named in a form (as a choice, a link, a value):
    those their confidentiality lets them see, archived or not. None: no gate on `model`."""
    queryset = model._default_manager.all()
    if not hasattr(queryset, "visible_if_live"):
        return None
    return queryset.visible_if_live(who)


def _gated_relations(model):
    """Forward foreign keys and many-to-many fields of `model` to gated models."""
    for field in model._meta.get_fields():
        if not field.is_relation or field.auto_created or not field.concrete:
            continue
        if hasattr(field.related_model._default_manager.all(), "visible_if_live"):
            yield field


def mask_hidden_relations(obj, who) -> None:
    """Make the related rows `who` may not see invisible on `obj` (as if there were none), so
    that no page, read-only ones included, names them. The stored ids stay untouched."""
    for field in _gated_relations(type(obj)):
        visible = related_rows(field.related_model, who)
        if field.many_to_many:
            ids = _m2m_ids(field, obj)
            obj._prefetched_objects_cache = getattr(obj, "_prefetched_objects_cache", {})
            obj._prefetched_objects_cache[field.name] = visible.filter(pk__in=ids)
        else:
            value = getattr(obj, field.attname)
            if value is not None and field.null and not visible.filter(pk=value).exists():
                field.set_cached_value(obj, None)


def _m2m_ids(field, obj) -> set:
    if obj.pk is None:
        return set()
    through = field.remote_field.through
    column = field.m2m_reverse_field_name() + "_id"
    return set(
        through._default_manager.filter(**{field.m2m_field_name(): obj.pk}).values_list(
            column, flat=True
        )
    )


def keeping_hidden_values(form_class, who):
    """`form_class`, changed so that a related row hidden from `who` (absent from the choices,
    so not submitted) stays as it was rather than being cleared by the user's save."""

    class KeepHidden(form_class):
        def clean(self):
            cleaned = super().clean()
            instance = self.instance
            if instance.pk is None:
                return cleaned
            for field in _gated_relations(type(instance)):
                if field.name not in cleaned or field.name not in self.fields:
                    continue
                visible = related_rows(field.related_model, who)
                base = field.related_model._base_manager
                if field.many_to_many:
                    hidden = _m2m_ids(field, instance) - set(
                        visible.filter(pk__in=_m2m_ids(field, instance)).values_list(
                            "pk", flat=True
                        )
                    )
                    if hidden:
                        chosen = {row.pk for row in cleaned[field.name] or ()}
                        cleaned[field.name] = base.filter(pk__in=chosen | hidden)
                else:
                    current = getattr(instance, field.attname)
                    if (
                        cleaned[field.name] is None
                        and current is not None
                        and not visible.filter(pk=current).exists()
                    ):
                        cleaned[field.name] = base.get(pk=current)
            return cleaned

    KeepHidden.__name__ = form_class.__name__
    return KeepHidden


class GatedChangesHelper(HistoricalRecordContextHelper):
    """The history list's "changes" column, naming no related row hidden from `who`."""

    def __init__(self, model, record, *, who):
        super().__init__(model, record)
        self.who = who

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if not field.is_relation or value is None:
            return value
        visible = related_rows(field.related_model, self.who)
        if visible is None:
            return value
        values = value if isinstance(value, list) else [value]
        pks = [getattr(item, "pk", item) for item in values]
        shown = set(visible.filter(pk__in=pks).values_list("pk", flat=True))
        masked = [item if getattr(item, "pk", item) in shown else HIDDEN_VALUE for item in values]
        return masked if isinstance(value, list) else masked[0]


HIDDEN_VALUE = _("(hidden)")


class GateMixin:
    """What model admins and inlines share: rows, choices and bookkeeping fields."""

    def get_queryset(self, request):
        return admin_rows(super().get_queryset(request), request.user)

    def get_field_queryset(self, db, db_field, request):
        """Choices of foreign keys and many-to-many fields: only rows the user may see."""
        queryset = super().get_field_queryset(db, db_field, request)
        visible = related_rows(db_field.related_model, request.user)
        if visible is None:
            return queryset
        if queryset is None:
            return visible.using(db)
        return queryset.filter(pk__in=visible.values("pk"))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        bookkeeping = tuple(
            field.name
            for field in self.model._meta.concrete_fields
            if field.name in BOOKKEEPING_FIELDS and field.editable and field.name not in readonly
        )
        return readonly + bookkeeping


class TrackedInline(GateMixin, admin.TabularInline):
    """Inline rows through the gate, hidden related rows kept, bookkeeping read-only."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", keeping_hidden_values(self.form, request.user))
        return super().get_formset(request, obj, **kwargs)


class TrackedAdmin(GateMixin, SimpleHistoryAdmin):
    """History pages, the author of each change recorded, and accent-free search.

    Models with a folded `search_text` column are searched through it (so "dong thap" finds
    "Đồng Tháp" and autocomplete fields behave the same); others use `search_fields`.
    """

    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
    object_history_list_template = "admin/crm/object_history_list.html"
    # Websites typed without a scheme ("dongthap.gov.vn") are read as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if self.is_archivable() and self.delete_confirmation_template is None:
            self.delete_confirmation_template = "admin/crm/archive_confirmation.html"

    # --- rows and forms

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            mask_hidden_relations(obj, request.user)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:  # a history version's row is not fetched by get_object
            mask_hidden_relations(obj, request.user)
        form = super().get_form(request, obj, change=change, **kwargs)
        return keeping_hidden_values(form, request.user)

    def save_model(self, request, obj, form, change):
        if hasattr(obj, "stamp"):
            obj.stamp(request.user)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if isinstance(form.instance, SearchableModel):
            form.instance.refresh_search()  # many-to-many names (organisations, people…)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if hasattr(instance, "stamp"):
                instance.stamp(request.user)
            instance.save()
        formset.save_m2m()

    def get_changelist(self, request, **kwargs):
        return VietnameseOrderChangeList

    def get_search_results(self, request, queryset, search_term):
        if hasattr(queryset, "search"):
            return queryset.search(search_term, personal=True), False
        return super().get_search_results(request, queryset, search_term)

    # --- history: the live row through the gate, then only the versions shown to the user

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        obj = self._visible_or_404(request, object_id)
        shown = history.shown_versions(obj, request.user)
        return queryset.filter(history_id__in=[record.history_id for record in shown])

    def get_historical_record_context_helper(self, request, historical_record):
        return GatedChangesHelper(self.model, historical_record, who=request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._visible_or_404(request, object_id)
        shown = {record.history_id for record in history.shown_versions(obj, request.user)}
        try:
            version = int(version_id)
        except ValueError:
            raise http.Http404 from None
        if version not in shown:
            raise http.Http404
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied  # reverting is a change
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise http.Http404
        return obj

    # --- archive, restore, purge: the API's services and role rules. Deleting archives.

    def is_archivable(self) -> bool:
        return any(field.name == "archived_at" for field in self.model._meta.concrete_fields)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.is_archivable():
            for name in ("archive_selected", "restore_selected", "purge_selected"):
                actions.pop(name, None)
        else:
            actions.pop("delete_selected", None)  # "archive selected rows" says what it does
        return actions

    def get_list_filter(self, request):
        filters = tuple(super().get_list_filter(request))
        if self.is_archivable() and self.has_archive_permission(request):
            return (ArchivedFilter, *filters)
        return filters

    def has_archive_permission(self, request) -> bool:
        """Managers and above archive and restore (as `DELETE` and `restore/` in the API)."""
        viewer = as_viewer(request.user)
        return viewer.at_least(MANAGER) and viewer.can_write and self.has_view_permission(request)

    def has_purge_permission(self, request) -> bool:
        """Administrators alone delete an archived row for good (`purge/` in the API)."""
        return as_viewer(request.user).is_administrator and self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        """Deleting an archivable row archives it: the archive rule decides."""
        if self.is_archivable():
            return self.has_archive_permission(request)
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj) -> None:
        if self.is_archivable():
            services.archive(obj, user=request.user)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        if self.is_archivable():
            for obj in queryset:
                services.archive(obj, user=request.user)
        else:
            super().delete_queryset(request, queryset)

    def response_delete(self, request, obj_display, obj_id):
        """After "delete" archived the row, say so (Django's message says "deleted")."""
        if not self.is_archivable() or IS_POPUP_VAR in request.POST:
            return super().response_delete(request, obj_display, obj_id)
        self.message_user(
            request,
            _("“%(object)s” was archived: it left lists and searches; a manager can restore it.")
            % {"object": obj_display},
            messages.SUCCESS,
        )
        return http.HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
        )

    def get_deleted_objects(self, objs, request):
        """Archiving touches the rows themselves only (their related rows stay as they are),
        so the confirmation lists just them, and no related row's name."""
        if not self.is_archivable():
            return super().get_deleted_objects(objs, request)
        objs = list(objs)
        count = {self.model._meta.verbose_name_plural: len(objs)} if objs else {}
        return [str(obj) for obj in objs], count, set(), []

    @admin.action(description=_("Archive selected rows"), permissions=["archive"])
    def archive_selected(self, request, queryset) -> None:
        self._apply(request, queryset.filter(archived_at__isnull=True), services.archive)

    @admin.action(description=_("Restore selected rows"), permissions=["archive"])
    def restore_selected(self, request, queryset) -> None:
        self._apply(request, queryset.filter(archived_at__isnull=False), services.restore)

    @admin.action(description=_("Purge selected archived rows (for good)"), permissions=["purge"])
    def purge_selected(self, request, queryset):
        """Asks first, on a page of its own that names the rows; purges on the confirmation."""
        rows = queryset.filter(archived_at__isnull=False)
        if request.POST.get("confirm_purge") != "yes":
            return TemplateResponse(
                request,
                "admin/crm/purge_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Purge for good?"),
                    "opts": self.opts,
                    "rows": rows,
                    "queryset": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self._apply(request, rows, services.purge)
        return None

    actions = ("archive_selected", "restore_selected", "purge_selected")

    def _apply(self, request, queryset, service) -> None:
        done = 0
        for obj in queryset:
            service(obj, user=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d row changed.", "%(count)d rows changed.", done) % {"count": done},
            messages.SUCCESS,
        )


class VietnameseOrderChangeList(ChangeList):
    """Column headers sort names as the default order does: in Vietnamese order (Đ after D),
    not by bytes."""

    def get_ordering(self, request, queryset):
        return [
            collated_if_text(self.model, item) if isinstance(item, str) else item
            for item in super().get_ordering(request, queryset)
        ]


class ArchivedFilter(admin.SimpleListFilter):
    """Lists show live rows; archived ones on request (managers and above)."""

    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", _("Archived")), ("all", _("Live and archived"))]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("Live")
        return choices

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(archived_at__isnull=True)


__all__ = [
    "BOOKKEEPING_FIELDS",
    "ArchivedFilter",
    "GateMixin",
    "TrackedAdmin",
    "TrackedInline",
    "admin_rows",
]
