"""The grader on a small fake curriculum: pass, fail, syntax error, timeout, forbidden import, exit."""

from __future__ import annotations

import json
import time

import pytest

from nnquiz.grading.runner import grade
from nnquiz.katas import catalogue as katas
from nnquiz.ui.cli import app

from ..conftest import SUBMISSIONS

pytestmark = pytest.mark.usefixtures("curriculum")


def add_kata():
    return katas.get_kata("add")


def test_passing_file_passes():
    result = grade(add_kata(), SUBMISSIONS / "add_pass.py")
    assert result.status == "pass"
    assert result.counts == {"passed": 4, "failed": 0, "errors": 0, "total": 4}
    assert [t.name for t in result.tests][:2] == [
        "adds two numbers (small)",
        "adds two numbers (negative)",
    ]


def test_failing_file_fails_with_expected_vs_actual():
    result = grade(add_kata(), SUBMISSIONS / "add_fail.py")
    assert result.status == "fail"
    assert result.counts["failed"] == 4
    assert "expected 3.0, got -1.0" in result.tests[0].message
    assert not result.tests[0].message.startswith("nnquiz.")


def test_syntax_error_names_the_line():
    result = grade(add_kata(), SUBMISSIONS / "add_syntax.py")
    assert result.status == "error"
    assert result.message.startswith("syntax error: line 2")


def test_forbidden_import_is_named_before_running():
    result = grade(add_kata(), SUBMISSIONS / "add_forbidden.py")
    assert result.status == "error"
    assert "forbidden import: line 2: `sklearn.base`" in result.message
    assert result.counts["total"] == 0


def test_timeout_is_labelled():
    result = grade(add_kata(), SUBMISSIONS / "add_timeout.py", timeout_s=2)
    assert result.status == "error"
    assert result.message.startswith("timeout")
    assert result.duration_s < 2 + 15


def test_exit_at_import_is_a_crash_not_a_pass():
    result = grade(add_kata(), SUBMISSIONS / "add_exit_at_import.py")
    assert result.status == "error"
    assert result.message.startswith("crash")


def test_missing_entrypoint_is_named():
    result = grade(add_kata(), SUBMISSIONS / "add_wrong_name.py")
    assert result.status == "fail"
    assert "does not define add" in result.tests[0].message


def test_starter_fails_and_reference_passes(runner):
    result = runner.invoke(app, ["grade", "--reference", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data[0]["solution"]["status"] == "pass"
    assert data[0]["starter"]["status"] == "fail"


def test_kata_list_and_workspace(runner, isolated):
    result = runner.invoke(app, ["kata"])
    assert result.exit_code == 0 and "add" in result.stdout
    result = runner.invoke(app, ["kata", "add"])
    assert result.exit_code == 0, result.output
    work = isolated / "work" / "add.py"
    assert work.read_text() == (katas.get_kata("add").starter).read_text()
    work.write_text("def add(a, b):\n    return a + b\n")
    result = runner.invoke(app, ["kata", "add"])
    assert "already there" in result.stdout
    assert "return a + b" in work.read_text()  # never overwritten without --reset
    result = runner.invoke(app, ["grade", "add"])
    assert result.exit_code == 0, result.output
    assert "PASS" in result.stdout
    result = runner.invoke(app, ["kata", "add", "--reset"])
    assert "NotImplementedError" in work.read_text()
    assert "return a + b" in (isolated / "work" / "add.py.bak").read_text()
    result = runner.invoke(app, ["grade", "add", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["status"] == "fail"
    result = runner.invoke(app, ["stats", "--json"])
    assert json.loads(result.stdout)["katas"]["add"]["status"] == "pass"


def test_grade_json_contract(runner):
    result = runner.invoke(
        app, ["grade", "add", "--file", str(SUBMISSIONS / "add_fail.py"), "--json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {
        "version",
        "kata",
        "file",
        "status",
        "message",
        "counts",
        "tests",
        "duration_s",
    }
    assert data["version"] == 2
    assert set(data["tests"][0]) == {"name", "status", "message", "output"}
    assert data["counts"]["total"] == 4


def test_hints_are_progressive_and_remembered(runner):
    first = runner.invoke(app, ["hint", "add"])
    assert "Hint 1/2" in first.stdout and "Hint 2/2" not in first.stdout
    second = runner.invoke(app, ["hint", "add"])
    assert "Hint 2/2" in second.stdout
    third = runner.invoke(app, ["hint", "add"])
    assert "every hint" in third.stdout


def test_solution_needs_a_pass_or_force(runner):
    result = runner.invoke(app, ["solution", "add"])
    assert result.exit_code == 2
    assert "--force" in result.output
    result = runner.invoke(app, ["solution", "add", "--force"])
    assert result.exit_code == 0
    assert "return a + b" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["grade", "ad"], "unknown kata 'ad'. Did you mean: add?"),
        (["grade", "add"], "Create it with `nnquiz kata add`"),
        (["grade", "add", "--file", "missing.py"], "does not exist"),
        (["grade"], "name one kata"),
        (["grade", "add", "--timeout", "-1"], "--timeout must be a positive"),
        (["grade", "--reference", "--jobs", "0"], "--jobs must be at least 1"),
        (["kata", "ad"], "Did you mean: add?"),
        (["hint", "zzz"], "unknown kata"),
    ],
    ids=[
        "misspelt slug",
        "no workspace file",
        "missing file",
        "no slug",
        "bad timeout",
        "bad jobs",
        "kata misspelt",
        "hint unknown",
    ],
)
def test_kata_errors_exit_2(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_unreadable_file_exits_2(runner, tmp_path):
    bad = tmp_path / "binary.py"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    result = runner.invoke(app, ["grade", "add", "--file", str(bad)])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_catalogue_validation_reports_broken_katas(tmp_path):
    root = tmp_path / "katas"
    folder = root / "broken"
    (folder / "tests").mkdir(parents=True)
    (folder / "kata.yaml").write_text(
        "id: broken\ntitle: {en: x, zh: y}\ntopic: gan\ndifficulty: 2\nallowed_imports: []\n"
        "time_limit_s: 10\nhints: []\nentrypoints: [missing_fn]\ncovers: [S000-01]\ncolour: red\n"
    )
    (folder / "starter.py").write_text("def other():\n    raise NotImplementedError\n")
    problems = "\n".join(katas.validate_catalogue(root, tmp_path / "solutions"))
    for expected in (
        "unknown field 'colour'",
        "hints must be a non-empty list",
        "entrypoint 'missing_fn' is missing from starter.py",
        "missing file instructions.en.md",
        "missing hidden tests",
        "missing reference solution",
    ):
        assert expected in problems
    assert f"{folder / 'kata.yaml'}:" in problems


def test_torch_kata_without_torch_says_how_to_install(runner, monkeypatch, tmp_path, isolated):
    monkeypatch.delenv("NNQUIZ_CONTENT")  # the real catalogue
    from nnquiz.grading import runner as grading_runner

    monkeypatch.setattr(grading_runner, "torch_available", lambda: False)
    torch_kata = next(k for k in katas.load_catalogue().values() if k.uses_torch)
    target = tmp_path / f"{torch_kata.module_name}.py"
    target.write_text("def build():\n    pass\n")
    result = runner.invoke(app, ["grade", torch_kata.slug, "--file", str(target)])
    assert result.exit_code == 2
    assert "needs PyTorch" in result.output and "pip install" in result.output


def test_cache_clear(runner, shared_cache, monkeypatch, tmp_path):
    monkeypatch.setenv("NNQUIZ_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "reference"
    folder.mkdir(parents=True)
    (folder / "knn-x.json").write_text('{"value": 1}')
    result = runner.invoke(app, ["cache", "clear"])
    assert result.exit_code == 0 and "removed 1" in result.output
    assert not folder.exists()


def test_reference_cache_is_written_atomically_and_reused(tmp_path):
    from nnquiz.grading.fixtures import RefCache

    calls = []
    cache = RefCache(str(tmp_path), "key", "kata")
    assert cache.get("fig", lambda: calls.append(1) or {"acc": 0.9}) == {"acc": 0.9}
    assert cache.get("fig", lambda: calls.append(1) or {"acc": 0.1}) == {"acc": 0.9}
    assert calls == [1]
    assert not list(tmp_path.glob("*.tmp"))
    (tmp_path / "kata-fig-key.json").write_text("{half a fi")  # a torn file is recomputed
    assert cache.get("fig", lambda: {"acc": 0.5}) == {"acc": 0.5}


def _figure_twice(folder: str, log: str) -> object:
    from nnquiz.grading.fixtures import RefCache

    def compute() -> int:
        with open(log, "a") as fh:
            fh.write("computed\n")
        time.sleep(0.5)
        return 42

    return RefCache(folder, "key", "kata").get("figure", compute)


def test_two_grades_missing_the_same_figure_compute_it_once(tmp_path):
    """The second grade waits for the first's figure instead of training the model again."""
    from concurrent.futures import ProcessPoolExecutor

    log = tmp_path / "log.txt"
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_figure_twice, [str(tmp_path / "c")] * 2, [str(log)] * 2))
    assert results == [42, 42]
    assert log.read_text().count("computed") == 1
