"""Golden grades: each folder in tests/golden/ holds a submission for the fixture
curriculum's `add` kata (and options.json when it needs flags) beside the `grade --json`
result expected for it, with the time and path normalised. Regenerate after a deliberate
change of the report with NNQUIZ_GOLDEN_UPDATE=1, then review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from nnquiz.ui.cli import app

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
SITUATIONS = sorted(p.name for p in GOLDEN.iterdir() if (p / "submission.py").is_file())


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "file": "submission.py", "duration_s": 0.0}


@pytest.mark.usefixtures("curriculum")
@pytest.mark.parametrize("situation", SITUATIONS)
def test_golden(runner, situation):
    folder = GOLDEN / situation
    options_file = folder / "options.json"
    options = json.loads(options_file.read_text(encoding="utf-8")) if options_file.exists() else {}
    args = ["grade", "add", "--file", str(folder / "submission.py"), "--json"]
    if "timeout_s" in options:
        args += ["--timeout", str(options["timeout_s"])]
    result = runner.invoke(app, args)
    got = normalised(json.loads(result.stdout))
    expected_file = folder / "expected.json"
    if os.environ.get("NNQUIZ_GOLDEN_UPDATE"):
        expected_file.write_text(
            json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))
    assert result.exit_code == (0 if got["status"] == "pass" else 1)


def test_every_situation_is_there():
    assert {
        "pass",
        "partial-fail",
        "syntax-error",
        "timeout",
        "forbidden-import",
        "crash",
        "missing-entrypoint",
        "import-error",
    } <= set(SITUATIONS)
