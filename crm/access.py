"""Who may see and do what: roles, units and token scopes, decided here and nowhere else.

A `Viewer` is built once per request (from the user and, for token requests, the token's
scopes); every queryset's `visible_to()` and every API permission reads it.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

VIEWER = "viewer"  # reads public and internal records
EDITOR = "editor"  # also creates and edits contacts, interactions, follow-ups
MANAGER = "manager"  # also sees restricted records of their own units, archives and restores
ADMINISTRATOR = "administrator"  # everything, purge included
ROLES = (VIEWER, EDITOR, MANAGER, ADMINISTRATOR)  # each includes the ones before it
# The roles as staff read them (the group names above stay the codes the code checks).
ROLE_LABELS = {
    VIEWER: _("viewer"),
    EDITOR: _("editor"),
    MANAGER: _("manager"),
    ADMINISTRATOR: _("administrator"),
}

READ, WRITE, PERSONAL_DATA, PUBLIC_ONLY = "read", "write", "personal-data", "public-only"


@dataclass(frozen=True)
class Viewer:
    user: object = None
    role: str | None = None
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    can_read: bool = False
    can_write: bool = False
    personal_data: bool = False
    public_only: bool = False

    @classmethod
    def of(cls, user, scopes: frozenset[str] | set[str] | list[str] | None = None) -> "Viewer":
        """The viewer for `user`; `scopes` is None for a session (all the role allows)."""
        if user is None or not (user.is_authenticated and user.is_active):
            return cls()
        cached = getattr(user, "_crm_role_and_units", None)
        if cached is None:
            cached = (role_of(user), frozenset(user.units.values_list("pk", flat=True)))
            user._crm_role_and_units = cached
        role, unit_ids = cached
        if role is None:
            return cls(user=user)
        scopes = set(scopes) if scopes is not None else {READ, WRITE, PERSONAL_DATA}
        public_only = PUBLIC_ONLY in scopes
        return cls(
            user=user,
            role=role,
            unit_ids=unit_ids,
            can_read=bool(scopes & {READ, PUBLIC_ONLY}),
            can_write=WRITE in scopes and not public_only and at_least(role, EDITOR),
            personal_data=PERSONAL_DATA in scopes and not public_only,
            public_only=public_only,
        )

    @classmethod
    def public(cls) -> "Viewer":
        """Anyone at all (the public calendar feed): public records only."""
        return cls(can_read=True, public_only=True)

    def at_least(self, role: str) -> bool:
        return self.role is not None and at_least(self.role, role)

    @property
    def is_administrator(self) -> bool:
        return self.at_least(ADMINISTRATOR) and not self.public_only

    @property
    def sees_internal(self) -> bool:
        return self.can_read and not self.public_only

    def may_see(self, confidentiality: str, owner_unit_id, staff_ids=()) -> bool:
        """The confidentiality rule for one row in memory (a purged row's last version); the
        querysets' `restrict()` is the same rule in SQL."""
        if not self.can_read:
            return False
        if self.public_only:
            return confidentiality == "public"
        if confidentiality != "restricted" or self.is_administrator:
            return True
        if self.at_least(MANAGER) and owner_unit_id in self.unit_ids:
            return True
        return getattr(self.user, "pk", None) in set(staff_ids)


def at_least(role: str, wanted: str) -> bool:
    return ROLES.index(role) >= ROLES.index(wanted)


def role_of(user) -> str | None:
    """The highest role of `user`'s groups; superusers are administrators."""
    if user.is_superuser:
        return ADMINISTRATOR
    names = set(user.groups.values_list("name", flat=True))
    held = [role for role in ROLES if role in names]
    return held[-1] if held else None


def as_viewer(who) -> Viewer:
    """Accept a Viewer or a user (a user acts with every scope its role allows)."""
    return who if isinstance(who, Viewer) else Viewer.of(who)
