"""The request's Viewer (user + token scopes), built once, and the permission that uses it."""

from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission

from crm.access import ADMINISTRATOR, EDITOR, MANAGER, Viewer


def viewer_for(request) -> Viewer:
    """Cached on the request; token requests act with the token's scopes only."""
    viewer = getattr(request, "crm_viewer", None)
    if viewer is None:
        scopes = getattr(request.auth, "scopes", None)
        viewer = Viewer.of(request.user, scopes=scopes)
        request.crm_viewer = viewer
    return viewer


# The role each write action needs; anything else that writes needs an editor.
ACTION_ROLES = {"destroy": MANAGER, "restore": MANAGER, "purge": ADMINISTRATOR}


class RolePermission(BasePermission):
    """Reads need a role and a read scope; writes need the write scope and the action's role.

    What a reader sees is decided by the selectors (`visible_to`), not here.
    """

    message = gettext_lazy("Your role or your token's scopes do not allow this.")

    def has_permission(self, request, view) -> bool:
        viewer = viewer_for(request)
        if request.method in SAFE_METHODS:
            return viewer.can_read
        role = ACTION_ROLES.get(getattr(view, "action", None), EDITOR)
        return viewer.can_write and viewer.at_least(role)
