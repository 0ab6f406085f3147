from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under artifacts/screenshots/ (kept by CI as evidence)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name, target=None):
        (target or page).screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
