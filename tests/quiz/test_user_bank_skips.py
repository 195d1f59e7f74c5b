"""One bad question in a user bank does not block the quiz (issue 14, item 6): it is skipped
with one warning line (`file:line: problem`); `validate` still fails on it."""

from __future__ import annotations

from nnquiz.ui.cli import app

GOOD = """\
- id: my-good-question
  topic: my-topic
  type: truefalse
  difficulty: 1
  question: {en: "Mode collapse means low sample diversity.", zh: "模式崩溃指样本多样性低。"}
  answer: true
  explanation: {en: "It does.", zh: "是的。"}
"""
BAD = """\
- id: my-bad-question
  topic: my-topic
  type: truefalse
  difficulty: 7
  question: {en: "A question with a bad difficulty.", zh: "难度不对的题目。"}
  answer: true
  explanation: {en: "It does.", zh: "是的。"}
"""


def _bank(tmp_path, monkeypatch):
    bank = tmp_path / "mybank"
    bank.mkdir()
    (bank / "a.yaml").write_text(GOOD + BAD, encoding="utf-8")
    (bank / "broken.yaml").write_text("- id: x\n  question: {en: 'a'\n", encoding="utf-8")
    monkeypatch.setenv("NNQUIZ_BANK", str(bank))
    return bank


def test_bad_user_questions_are_skipped_with_one_warning_line_each(
    runner, tmp_path, monkeypatch, mini_bank
):
    bank = _bank(tmp_path, monkeypatch)
    result = runner.invoke(app, ["ask", "--topic", "my-topic", "--count", "5"], input="t\n")
    assert result.exit_code == 0, result.output
    assert "Mode collapse means low sample diversity." in result.output
    assert "A question with a bad difficulty" not in result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2, result.output
    assert any(f"{bank / 'a.yaml'}:8:" in w and "difficulty" in w for w in warnings), warnings
    assert any(f"{bank / 'broken.yaml'}:" in w for w in warnings), warnings


def test_the_shipped_bank_still_runs_and_validate_still_fails(
    runner, tmp_path, monkeypatch, mini_bank
):
    _bank(tmp_path, monkeypatch)
    result = runner.invoke(app, ["ask", "--count", "2", "--seed", "1"], input="a\nt\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["questions"])
    assert result.exit_code == 0 and "my-good-question" in result.output
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert "difficulty" in result.output
