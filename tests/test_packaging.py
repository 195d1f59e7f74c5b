"""The wheel carries the content; the quiz path stays light."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import MINI_BANK, ROOT


@pytest.mark.slow
def test_wheel_ships_questions_katas_and_solutions(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("nnquiz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    questions = {Path(p).name for p in (ROOT / "questions").glob("*.yaml")}
    assert questions and all(f"nnquiz/_content/questions/{q}" in names for q in questions)
    assert "nnquiz/_content/katas/knn/kata.yaml" in names
    assert "nnquiz/_content/katas/knn/tests/test_knn.py" in names
    assert "nnquiz/_content/solutions/knn.py" in names
    assert "nnquiz/grading/child.py" in names


def test_content_falls_back_to_the_repository(monkeypatch):
    from nnquiz import paths

    monkeypatch.delenv("NNQUIZ_CONTENT", raising=False)
    assert paths.katas_dir() == ROOT / "katas" or paths.katas_dir().parent.name == "_content"


def test_quiz_never_imports_numpy_sklearn_or_torch(tmp_path):
    code = (
        "import sys, io\n"
        "sys.stdin = io.StringIO('a\\nt\\n\\n')\n"
        "from nnquiz.ui.cli import app\n"
        "for args in (['ask', '--count', '3', '--seed', '7'], ['stats'], [], ['questions']):\n"
        "    try:\n"
        "        app(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = sorted(m for m in ('numpy', 'sklearn', 'torch', 'scipy') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    env = {
        "NNQUIZ_HOME": str(tmp_path),
        "NNQUIZ_QUESTIONS": str(MINI_BANK),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_python_dash_m_works(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "nnquiz", "--version"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and out.stdout.startswith("nnquiz ")


@pytest.mark.parametrize(
    "args, commands, groups",
    [
        (["ask", "--count", "1"], ["ask"], []),
        (["--lang", "zh", "review"], ["review"], []),
        (["--lang=zh", "import", "x.json"], ["import"], []),
        (["dev", "check", "knn"], [], ["dev"]),
    ],
)
def test_only_the_command_asked_for_is_built(args, commands, groups):
    """Start-up: typer builds the options of the one command asked for, not of all of them."""
    from nnquiz.ui.cli import _cli_name, app_for

    one = app_for(args)
    assert [c.name or _cli_name(c) for c in one.registered_commands] == commands
    assert [g.name for g in one.registered_groups] == groups


@pytest.mark.parametrize("args", [[], ["--version"], ["--help"], ["askk"], ["--lang"]])
def test_the_home_screen_help_and_unknown_commands_get_the_whole_app(args):
    from nnquiz.ui.cli import app, app_for

    assert app_for(args) is app
