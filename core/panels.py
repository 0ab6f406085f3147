"""Parts of a page that apps above the page's own app contribute (issue 15 point 6).

The layers (pyproject.toml, `[tool.importlinter]`) let an app import only the apps below
it, yet some pages show what an app above holds: the customer's dashboard (accounts) lists
the agents asking to record a policy for them (policies), the agent's dashboard (agents)
shows the open requests of their lines (insurance_requests), a policy's page (policies)
shows its stock declarations (declarations). The page's app declares a `PagePanels`; the
app that owns the data provides a function returning context, and `portal.wiring` (the top
layer, which may import everyone) registers it. The view merges `panels.context(...)`.
"""

from __future__ import annotations

from collections.abc import Callable


class PagePanels:
    def __init__(self, page: str):
        self.page = page
        self._providers: list[Callable[..., dict]] = []

    def register(self, provider: Callable[..., dict]) -> None:
        """Idempotent: `ready()` may run twice (tests, the autoreloader)."""
        if provider not in self._providers:
            self._providers.append(provider)

    def context(self, **kwargs) -> dict:
        """Every provider's context for this page; two providers may not fill the same name."""
        merged: dict = {}
        for provider in self._providers:
            part = provider(**kwargs)
            clash = merged.keys() & part.keys()
            if clash:
                raise ValueError(f"{self.page}: {provider.__qualname__} fills {sorted(clash)} again.")
            merged.update(part)
        return merged
