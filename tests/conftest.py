"""Shared test helpers. The golden-file option (--update-goldens) comes from cleanarticle's plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "cases"
SHARED = ROOT.parent / "shared"


def needs_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test cleanly when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available on this machine")
    return path

pytest_plugins = ["pytester"]
