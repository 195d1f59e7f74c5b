"""Install advice that works: nnquiz is not on the package index (issue 14, item 11)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADVICE = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "nnquiz").rglob("*.py")]


def test_no_advice_installs_nnquiz_from_the_package_index():
    bad = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in ADVICE
        for m in re.finditer(r"pip install ['\"]?nnquiz\[[a-z]+\]", p.read_text(encoding="utf-8"))
    ]
    assert bad == []


def test_readme_says_how_to_get_the_cpu_build_of_torch():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install torch --index-url https://download.pytorch.org/whl/cpu" in readme
    assert "pip install -e '.[torch]'" in readme
    assert "torch==2.13.0" not in readme  # a pinned version is not always the CPU build
    assert '-m "not slow"' in readme
