"""Shared base models and querysets used by every domain app."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from crm import dates
from crm.access import MANAGER, as_viewer
from crm.text import control_character_error, normalize_name, normalize_newlines, search_terms


class VisibleQuerySet(models.QuerySet):
    """Every read of domain rows starts from `visible_to(who)`: the one place that decides.

    `who` is a `crm.access.Viewer` (or a user, acting with all its role allows). Without a role
    nothing is visible; archived rows are left out, or with `archived=True` are the only rows,
    for managers and above. Models with confidentiality narrow it further in `restrict()`.
    """

    def visible_to(self, who, *, archived: bool = False) -> "VisibleQuerySet":
        viewer = as_viewer(who)
        if not viewer.can_read:
            return self.none()
        queryset = self
        if any(f.name == "archived_at" for f in self.model._meta.concrete_fields):
            if archived and not (viewer.at_least(MANAGER) and viewer.sees_internal):
                return self.none()
            queryset = queryset.filter(archived_at__isnull=not archived)
        return queryset.restrict(viewer)

    def visible_if_live(self, who) -> "VisibleQuerySet":
        """Rows `who` would see were they not archived (for telling who saw a row once)."""
        viewer = as_viewer(who)
        return self.restrict(viewer) if viewer.can_read else self.none()

    def restrict(self, viewer) -> "VisibleQuerySet":
        """Narrow to what `viewer` may read; models with confidential rows override this."""
        return self


class SearchAll(models.Func):
    """`search_text || ' ' || search_personal`: a person's names and personal data as one text,
    exactly the expression of the trigram index `contacts_person_search_all_trgm` (the literal
    is in the template, not a parameter, so the SQL matches the index's)."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = models.TextField()

    def __init__(self, **extra):
        super().__init__(models.F("search_text"), models.F("search_personal"), **extra)


class SearchQuerySet(VisibleQuerySet):
    """Accent-free search over a model's folded `search_text` column.

    Each term of the query must appear in the column. Both sides are folded by `crm.text.fold`,
    so a case-sensitive `contains` suffices; on PostgreSQL it is served by a trigram index.
    """

    def search(self, query: str | None, *, personal: bool = False) -> "SearchQuerySet":
        """`personal` also matches personal data (a person's phones, home commune): only for
        callers allowed to see it, or a search would reveal what the response hides."""
        has_personal = personal and any(
            f.name == "search_personal" for f in self.model._meta.concrete_fields
        )
        terms = search_terms(query)
        if not terms:
            return self
        if has_personal:
            # One indexed expression for both columns: a term may match either.
            queryset = self.alias(_search_all=SearchAll())
            return queryset.filter(*(models.Q(_search_all__contains=term) for term in terms))
        return self.filter(*(models.Q(search_text__contains=term) for term in terms))


class ConfidentialQuerySet(SearchQuerySet):
    """Rows that are public, internal or restricted, with an owner unit (and maybe a staff list).

    Public and internal rows are for every role; restricted ones for administrators, the staff
    listed on the row, and managers of its owner unit. Public-only callers see public rows only.
    Interactions, agreements and events share this one rule.
    """

    confidentiality_field = "confidentiality"
    staff_field: str | None = None  # a many-to-many to users, if the model lists its staff

    def restrict(self, viewer) -> "ConfidentialQuerySet":
        field = self.confidentiality_field
        if viewer.public_only:
            return self.filter(**{field: "public"})
        if viewer.is_administrator:
            return self
        allowed = ~Q(**{field: "restricted"})
        if self.staff_field:
            through = self.model._meta.get_field(self.staff_field).remote_field.through
            source = self.model._meta.model_name
            allowed |= Exists(
                through.objects.filter(**{source: OuterRef("pk"), "user": viewer.user})
            )
        if viewer.at_least(MANAGER) and viewer.unit_ids:
            allowed |= Q(owner_unit__in=viewer.unit_ids)
        return self.filter(allowed)


def value_error(field: models.Field, value: object) -> str | None:
    """Why `value` cannot be stored in `field` and served back, or None: a control character
    in text (a line break in a single-line field), a date or datetime outside the supported
    range (`crm.dates`)."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        in_range = dates.datetime_in_range(value)
        return None if in_range else dates.datetime_range_message()
    if isinstance(field, models.DateField):
        return None if dates.date_in_range(value) else dates.date_range_message()
    if isinstance(field, models.CharField | models.TextField) and isinstance(value, str):
        return control_character_error(value, multiline=isinstance(field, models.TextField))
    return None


class CleanValuesModel(models.Model):
    """Every row the API, the admin or a service writes passes `full_clean()`, and so this
    check of every field: text free of control characters (CRLF in multi-line text is made
    LF), dates and datetimes within the range the system can serve (datetimes kept in UTC).
    Errors are keyed by field.
    """

    # Fields holding a name (of a person, an organisation, a place): stored as
    # `crm.text.normalize_name` spells them (NFC, one space, no stray space in Khmer or Lao),
    # whichever door they come through (admin, API, loaders).
    name_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        exclude = set(exclude or ())
        fields = [f for f in self._meta.concrete_fields if f.name not in exclude]
        for field in fields:
            value = getattr(self, field.attname)
            if isinstance(field, models.TextField) and isinstance(value, str):
                setattr(self, field.attname, normalize_newlines(value))
            elif field.name in self.name_fields and isinstance(value, str):
                setattr(self, field.attname, normalize_name(value))
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in fields:
            if field.name not in errors:
                value = getattr(self, field.attname)
                message = value_error(field, value)
                if message:
                    errors[field.name] = [ValidationError(message, code="invalid")]
                elif isinstance(field, models.DateTimeField) and value is not None:
                    # The same instant in UTC: PostgreSQL refuses offsets beyond ±15:59.
                    setattr(self, field.attname, dates.check_datetime(value))
        if errors:
            raise ValidationError(errors)


class TrackedModel(CleanValuesModel):
    """Who created and last changed a row, and when (and `CleanValuesModel`'s checks)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def stamp(self, user) -> None:
        """Record `user` as the author of the change about to be saved."""
        if user is None or not getattr(user, "is_authenticated", False):
            return
        if self._state.adding and self.created_by_id is None:
            self.created_by = user
        self.updated_by = user


class SearchableModel(models.Model):
    """A model with a folded `search_text` column rebuilt on every save.

    A row's search text may hold the names of related rows (an interaction's organisations and
    people, a person's organisations): `search_prefetch` names the relations its builder reads
    (so `rebuild_search` loads a batch in a fixed number of queries), and `search_names()`
    what a row lends to the rows that name it. When those names change on save, the rows
    registered with `search_depends_on` are rebuilt, set by set; relation changes call
    `rebuild_search` (services, admin, loaders) or `SearchableModel.refresh_search()`.
    """

    search_text = models.TextField(editable=False, blank=True, default="")
    search_prefetch: tuple[str, ...] = ()
    # The fields whose values other rows' search text holds (`search_names()`).
    search_name_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        adding = self._state.adding
        names_before = None if adding else getattr(self, "_loaded_search_names", None)
        columns = self.search_columns()
        for name, value in columns.items():
            setattr(self, name, value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *columns}
        super().save(*args, **kwargs)
        names_now = self.search_names()
        if not adding and names_before != names_now:
            rebuild_dependents(type(self), [self.pk])
        self._loaded_search_names = names_now

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if all(name in field_names for name in cls.search_name_fields):  # nothing deferred
            instance._loaded_search_names = instance.search_names()
        return instance

    def search_columns(self) -> dict[str, str]:
        """The folded search columns and their values (a model may add `search_personal`)."""
        return {"search_text": self.build_search_text()}

    def build_search_text(self) -> str:
        raise NotImplementedError

    def search_names(self) -> tuple[str, ...]:
        """The names other rows' search text holds for this row."""
        return tuple(getattr(self, name) for name in self.search_name_fields)

    def refresh_search(self) -> None:
        """Rebuild this row's search columns after its relations changed (no history row, no
        new `updated_at`: the row itself did not change)."""
        if self.pk is not None:
            rebuild_search(type(self)._default_manager.filter(pk=self.pk))

    def related_for_search(self, name: str, query: "Callable[[], Iterable] | None" = None) -> list:
        """The related rows `name` as prefetched by `rebuild_search`, else read by `query()`
        (default: the relation's `all()`); nothing for an unsaved row."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if name in cache:
            return list(cache[name])
        if self.pk is None:
            return []
        return list(query() if query is not None else getattr(self, name).all())


# dependency: (source model, dependent model, lookup from the dependent to the source's pk)
_SEARCH_DEPENDENTS: list[tuple[type[models.Model], type[models.Model], str]] = []


def search_depends_on(source: type[models.Model], dependent: type[models.Model], lookup: str):
    """Say that `dependent`'s search text holds `source`'s `search_names()`, reached by the
    query lookup `lookup` (e.g. Interaction, "organizations"): renaming a source rebuilds the
    dependents. A higher app registers its own from its `ready()`."""
    entry = (source, dependent, lookup)
    if entry not in _SEARCH_DEPENDENTS:
        _SEARCH_DEPENDENTS.append(entry)


def rebuild_dependents(source: type[models.Model], pks: list) -> int:
    """Rebuild the search columns of every row naming one of `source`'s rows `pks`."""
    rebuilt = 0
    for registered, dependent, lookup in _SEARCH_DEPENDENTS:
        if issubclass(source, registered):
            ids = dependent._default_manager.filter(**{f"{lookup}__in": pks}).values("pk")
            rebuilt += rebuild_search(dependent._default_manager.filter(pk__in=ids))
    return rebuilt


def rebuild_search(queryset: models.QuerySet, *, batch_size: int = 500) -> int:
    """Recompute the search columns of `queryset`'s rows and write those that changed.

    Set-based: each batch costs one read, one per prefetched relation and one `bulk_update`,
    whatever the batch's size. Writes skip `save()`: no history row, no `updated_at`."""
    model = queryset.model
    pks = list(queryset.order_by().values_list("pk", flat=True).distinct())
    changed = 0
    for start in range(0, len(pks), batch_size):
        batch = (
            model._default_manager.filter(pk__in=pks[start : start + batch_size])
            .prefetch_related(*model.search_prefetch)
            .order_by("pk")
        )
        stale = []
        columns: set[str] = set()
        for row in batch:
            values = row.search_columns()
            if any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                columns.update(values)
                stale.append(row)
        if stale:
            model._default_manager.bulk_update(stale, sorted(columns))
            changed += len(stale)
    return changed


class ArchivableModel(models.Model):
    """Rows are archived, not deleted: they leave lists and searches, and can be restored."""

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Change(models.Model):
    """One create, update, archive, restore or delete of a domain row, for the changes feed.

    `txid` is the writing transaction's id on PostgreSQL (0 elsewhere). Readers order by
    (txid, id) and serve only rows from transactions older than every transaction still in
    flight, so a row committed late can never fall behind a consumer's cursor.
    `public` and `restricted` say what the row's confidentiality was after this change, so
    the feed can tell a record that stopped being visible from one never visible.
    """

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        ARCHIVE = "archive"
        RESTORE = "restore"
        DELETE = "delete"

    type = models.CharField(max_length=40, db_index=True)
    object_id = models.CharField(max_length=40)
    action = models.CharField(max_length=10, choices=Action.choices)
    changed_at = models.DateTimeField()
    txid = models.BigIntegerField(default=0)
    public = models.BooleanField(default=True)
    restricted = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["txid", "id"], name="change_feed_order"),
            models.Index(fields=["type", "object_id"], name="change_object"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_id} {self.action}"
