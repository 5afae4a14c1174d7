"""Who may read and create projects. The lifecycle steps have their own table (workflow.py)."""

from typing import Any

import rules

from khuyencong.accounts.choices import Role
from khuyencong.accounts.rules import is_object_in_scope

CREATOR_ROLES = frozenset({Role.PROVINCIAL_OFFICER, Role.PROVINCIAL_APPROVER, Role.MINISTRY_OFFICER})


@rules.predicate
def is_project_creator(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in CREATOR_ROLES)


rules.add_perm("projects.view_project", rules.is_authenticated & is_object_in_scope)
rules.add_perm("projects.add_project", is_project_creator)
