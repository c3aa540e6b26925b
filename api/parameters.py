"""Query parameters a view does not declare answer 400 naming each of them: a misspelt or
unsupported filter (`follow-ups/?overdue=true` before it existed) must never be read as "no
filter" and answer every row.

What a view declares: its filterset's parameters (when it filters), the pagination and
format parameters, `archived`, and its own options (`query_parameters`, on the view or as an
`@action(query_parameters=…)` argument)."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Every API view takes these: the page, its size, the format override and the archived switch
# (validated by the views that have archived rows; elsewhere it reads nothing).
COMMON = frozenset({"page", "page_size", "format", "archived"})


class DeclaredParametersMixin:
    """Checks the query string against the parameters the view declares, after
    authentication (a caller without credentials gets 401 first)."""

    query_parameters: tuple[str, ...] = ()

    def known_parameters(self) -> set[str]:
        known = set(COMMON) | set(self.query_parameters)
        filterset_class = getattr(self, "filterset_class", None)
        backends = getattr(self, "filter_backends", ())
        if filterset_class is not None and any(
            isinstance(backend, type) and issubclass(backend, DjangoFilterBackend)
            for backend in backends
        ):
            known |= set(filterset_class.base_filters)
        return known

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        check_parameters(request.query_params, self.known_parameters())


def check_parameters(params, known: set[str]) -> None:
    """400 naming every parameter of `params` not in `known`, saying which ones are."""
    unknown = [name for name in params if name not in known]
    if unknown:
        message = _("Unknown parameter. This address takes: %(known)s.") % {
            "known": ", ".join(sorted(known))
        }
        raise ValidationError({name: [message] for name in unknown})
