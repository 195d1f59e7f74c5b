"""Pictures of what a kata produced: terminal drawings now, PNGs with matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console


def show(console: Console, slug: str, artifacts: dict[str, Any]) -> None:
    """Draw whatever the suite saved for this kata (nothing if it saved nothing)."""
    return None


def write_png(slug: str, artifacts: dict[str, Any], path: Path) -> Path:
    return path
