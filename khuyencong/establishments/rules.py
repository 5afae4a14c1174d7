"""Who may read and change establishments: anyone logged in within scope reads; editors within scope write."""

from typing import Any

import rules

from khuyencong.accounts.choices import Role
from khuyencong.accounts.rules import is_object_in_scope

EDITOR_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.MINISTRY_OFFICER,
        Role.MINISTRY_APPROVER,
        Role.PROVINCIAL_OFFICER,
        Role.PROVINCIAL_APPROVER,
        Role.COLLABORATOR,
    }
)


@rules.predicate
def is_registry_editor(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in EDITOR_ROLES))


rules.add_perm("establishments.view_establishment", rules.is_authenticated & is_object_in_scope)
rules.add_perm("establishments.add_establishment", is_registry_editor)
rules.add_perm("establishments.change_establishment", is_registry_editor & is_object_in_scope)
rules.add_perm("establishments.merge_establishment", is_registry_editor & is_object_in_scope)
rules.add_perm("establishments.import_establishments", is_registry_editor)

# Craft villages: recognised by the provincial People's Committee; officers of the province keep the list.
rules.add_perm("establishments.view_craftvillage", rules.is_authenticated & is_object_in_scope)
rules.add_perm("establishments.add_craftvillage", is_registry_editor)
rules.add_perm("establishments.change_craftvillage", is_registry_editor & is_object_in_scope)
