"""Shared base models and querysets used by every domain app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from crm import dates
from crm.access import MANAGER, as_viewer
from crm.text import control_character_error, normalize_newlines, search_terms


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

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        exclude = set(exclude or ())
        fields = [f for f in self._meta.concrete_fields if f.name not in exclude]
        for field in fields:
            value = getattr(self, field.attname)
            if isinstance(field, models.TextField) and isinstance(value, str):
                setattr(self, field.attname, normalize_newlines(value))
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
    """A model with a folded `search_text` column rebuilt on every save."""

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        columns = self.search_columns()
        for name, value in columns.items():
            setattr(self, name, value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *columns}
        super().save(*args, **kwargs)

    def search_columns(self) -> dict[str, str]:
        """The folded search columns and their values (a model may add `search_personal`)."""
        return {"search_text": self.build_search_text()}

    def build_search_text(self) -> str:
        raise NotImplementedError


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
