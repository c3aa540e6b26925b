"""Shared base models and querysets used by every domain app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.text import search_terms


class VisibleQuerySet(models.QuerySet):
    """Every read of domain rows starts from `visible_to(user)`: the one place that decides.

    The base rule: active staff see rows, nobody else does. Models with confidentiality refine
    it in their own queryset.
    """

    def visible_to(self, user) -> "VisibleQuerySet":
        if user is None or not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        return self


class SearchQuerySet(VisibleQuerySet):
    """Accent-free search over a model's folded `search_text` column.

    Each term of the query must appear in the column. Both sides are folded by `crm.text.fold`,
    so a case-sensitive `contains` suffices; on PostgreSQL it is served by a trigram index.
    """

    def search(self, query: str | None) -> "SearchQuerySet":
        queryset = self
        for term in search_terms(query):
            queryset = queryset.filter(search_text__contains=term)
        return queryset


class TrackedModel(models.Model):
    """Who created and last changed a row, and when."""

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
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        raise NotImplementedError
