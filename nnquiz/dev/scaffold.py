"""`nnquiz dev new-kata SLUG`: a new kata's files from the template in kata_template/."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from nnquiz import paths
from nnquiz.errors import UsageError

TEMPLATE = Path(__file__).resolve().parent / "kata_template"
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def new_kata(slug: str) -> list[Path]:
    """Write the kata folder, its solution and its (empty) fixture folders; returns the paths."""
    if not SLUG.match(slug):
        raise UsageError(
            f"{slug!r} is not a kata slug: lower-case words joined by hyphens (e.g. my-kata)"
        )
    root = paths.content_root()
    folder = paths.katas_dir() / slug
    solution = paths.solutions_dir() / f"{slug}.py"
    for existing in (folder, solution):
        if existing.exists():
            raise UsageError(f"{existing} already exists: pick another slug")
    module = slug.replace("-", "_")
    values = {"slug": slug, "module": module}
    targets = {
        folder / "kata.yaml": "kata.yaml",
        folder / "instructions.en.md": "instructions.en.md",
        folder / "instructions.zh.md": "instructions.zh.md",
        folder / "starter.py": "starter.py",
        folder / "tests" / f"test_{module}.py": "tests/test_kata.py",
        solution: "solution.py",
    }
    written: list[Path] = []
    for target, name in targets.items():
        text = Template((TEMPLATE / name).read_text(encoding="utf-8")).safe_substitute(values)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    for kind in ("wrong", "right"):
        fixtures = root / "tests" / "fixtures" / kind / slug
        fixtures.mkdir(parents=True, exist_ok=True)
        written.append(fixtures)
    return written
