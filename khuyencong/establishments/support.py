"""What the khuyến công programme gave an establishment, shown on its "Hỗ trợ đã nhận" tab. The registry sits below
the projects in the layers, so it does not read projects itself: the projects app registers the function that does
(`projects/apps.py`), and the tab shows what it returns."""

from collections.abc import Callable
from typing import Any

#: `provider(user, establishment) -> list of rows` (see `projects.selectors.support_received`).
_PROVIDERS: list[Callable[[Any, Any], list[Any]]] = []


def register(provider: Callable[[Any, Any], list[Any]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def support_received(user: Any, establishment: Any) -> list[Any]:
    """The support rows of `establishment` as `user` may see them (the establishment is already in their scope)."""
    return [row for provider in _PROVIDERS for row in provider(user, establishment)]
