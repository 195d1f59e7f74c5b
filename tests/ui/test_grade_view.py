"""How `nnquiz grade` shows a result: every failure listed, syntax errors with a caret."""

from __future__ import annotations

import io

from rich.console import Console

from nnquiz.grading.protocol import Status
from nnquiz.grading.result import GradeResult, TestResult, counts
from nnquiz.ui import kata_view


def render(result: GradeResult, **kw) -> str:
    out = io.StringIO()
    kata_view.grade_result(Console(file=out, width=100, color_system=None), result, **kw)
    return out.getvalue()


def five_failures() -> GradeResult:
    tests = [TestResult(f"passes check {i}", Status.PASS) for i in range(3)]
    tests += [
        TestResult(
            f"fails check {i}",
            Status.FAIL,
            f"first line of failure {i}\nsecond line of failure {i}\nthird line {i}",
        )
        for i in range(5)
    ]
    return GradeResult("knn", "knn.py", Status.FAIL, "", counts(3, 5, 0, 8), tests, duration_s=1.0)


def test_every_failing_test_is_listed_the_first_three_in_full():
    text = render(five_failures())
    for i in range(5):
        assert f"fails check {i}" in text
        assert f"first line of failure {i}" in text
    for i in range(3):
        assert f"second line of failure {i}" in text
    for i in range(3, 5):
        assert f"second line of failure {i}" not in text


def test_verbose_shows_every_failure_in_full():
    text = render(five_failures(), verbose=True)
    for i in range(5):
        assert f"second line of failure {i}" in text


def test_same_message_in_many_tests_still_lists_each_test():
    result = five_failures()
    for test in result.tests:
        if test.status is Status.FAIL:
            test.message = "the same message"
    text = render(result)
    for i in range(5):
        assert f"fails check {i}" in text


def test_syntax_error_shows_the_line_and_a_caret(tmp_path):
    f = tmp_path / "knn.py"
    f.write_text("import numpy as np\n\ndef knn_predict(X, y:\n    return 1\n")
    result = GradeResult(
        "knn", str(f), Status.ERROR, "syntax error: line 3: invalid syntax", counts()
    )
    text = render(result)
    assert "0/0" not in text
    assert "def knn_predict(X, y:" in text
    caret_line = next(line for line in text.splitlines() if line.strip() == "^")
    source_line = next(line for line in text.splitlines() if "def knn_predict" in line)
    assert source_line[caret_line.index("^")] in "(:"
    assert "line 3" in text


def test_an_error_before_any_test_ran_does_not_say_0_of_0():
    result = GradeResult(
        "knn", "knn.py", Status.ERROR, "forbidden import: line 1: import sklearn", counts()
    )
    text = render(result)
    assert "0/0" not in text and "forbidden import" in text
