"""Only a grade of the workspace file (or a --file inside the workspace) counts as the user's
attempt and unlocks the solution; other files are graded and reported, not recorded
(issue 14, item 7)."""

from __future__ import annotations

import json

from nnquiz.ui.cli import app

from ..conftest import CURRICULUM, SUBMISSIONS


def _attempts(runner) -> dict:
    return json.loads(runner.invoke(app, ["stats", "--json"]).stdout)["katas"]


def test_a_pass_of_another_file_is_reported_but_not_recorded(runner, curriculum, isolated):
    for other in (CURRICULUM / "solutions" / "add.py", SUBMISSIONS / "add_pass.py"):
        result = runner.invoke(app, ["grade", "add", "--file", str(other)])
        assert result.exit_code == 0, result.output
        assert "not recorded" in result.output.lower()
    assert runner.invoke(app, ["solution", "add"]).exit_code == 2
    assert not any(k.get("attempts") for k in _attempts(runner).values() if isinstance(k, dict))


def test_a_pass_of_the_workspace_file_unlocks_the_solution(runner, curriculum, isolated):
    work = isolated / "work"
    work.mkdir()
    (work / "add.py").write_text((SUBMISSIONS / "add_pass.py").read_text())
    (work / "mine.py").write_text((SUBMISSIONS / "add_pass.py").read_text())
    result = runner.invoke(app, ["grade", "add", "--file", str(work / "mine.py")])
    assert result.exit_code == 0 and "not recorded" not in result.output.lower()
    result = runner.invoke(app, ["grade", "add"])
    assert result.exit_code == 0 and "not recorded" not in result.output.lower()
    assert runner.invoke(app, ["solution", "add"]).exit_code == 0
