"""The validator names every rule a question breaks, as file:line: message."""

from __future__ import annotations

import os

import pytest

from nnquiz.errors import BankError
from nnquiz.quiz import bank

GOOD = """\
- id: q-one
  type: open
  topic: gan
  difficulty: 2
  covers: [S001-05]
  question: {en: "What is mode collapse?", zh: "什么是模式崩溃？"}
  answer: {en: "Few modes.", zh: "少数模式。"}
  explanation: {en: "Diversity.", zh: "多样性。"}
  key_points:
    - {en: "few modes", zh: "少数模式", keywords: {en: [few modes], zh: [少数]}}
    - {en: "no diversity", zh: "缺乏多样性", keywords: {en: [diversity], zh: [多样性]}}
"""


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    return bank.validate_paths([path])


def test_good_question_is_clean(tmp_path):
    assert problems(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    "edit, message, line",
    [
        (('zh: "什么是模式崩溃？"', 'zh: ""'), "question needs non-empty 'en' and 'zh' text", 6),
        (("topic: gan", "topic: gans"), "unknown topic 'gans'", 1),
        (("covers: [S001-05]", "covers: [S009-99]"), "unknown coverage id 'S009-99'", 1),
        (("difficulty: 2", "difficulty: 4"), "difficulty must be 1, 2 or 3", 1),
        (("type: open", "type: essay"), "type must be one of", 1),
        (
            ('    - {en: "no diversity"', '    - {en: "no diversity", zh: ""}\n    - {en: "x"'),
            "each key point needs non-empty",
            11,
        ),
    ],
    ids=[
        "missing language",
        "unknown topic",
        "unknown coverage id",
        "bad difficulty",
        "bad type",
        "key point without zh",
    ],
)
def test_each_rule_is_reported_with_its_line(tmp_path, edit, message, line):
    found = problems(tmp_path, GOOD.replace(*edit))
    assert any(message in p for p in found), found
    assert any(p.startswith(f"{tmp_path / 'q.yaml'}:{line}: ") for p in found), found


def test_open_question_without_key_points(tmp_path):
    text = GOOD[: GOOD.index("  key_points:")]
    assert any("needs key_points" in p for p in problems(tmp_path, text))


def test_choice_without_a_correct_option(tmp_path):
    text = GOOD[: GOOD.index("  key_points:")].replace("type: open", "type: choice") + (
        "  choices:\n    - {en: a, zh: 甲}\n    - {en: b, zh: 乙}\n"
    )
    assert any("no choice is marked correct" in p for p in problems(tmp_path, text))


def test_duplicate_ids_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    found = bank.validate_paths([tmp_path])
    assert any(
        "duplicate id (first at" in p and p.startswith(str(tmp_path / "b.yaml")) for p in found
    )


def test_truefalse_needs_a_boolean_answer(tmp_path):
    text = GOOD[: GOOD.index("  answer:")].replace("type: open", "type: truefalse") + (
        "  answer: maybe\n  explanation: {en: x, zh: 乙}\n"
    )
    assert any("answer: true or answer: false" in p for p in problems(tmp_path, text))


def test_long_snippet_is_refused(tmp_path):
    snippet = "\n".join(f"    x{i} = {i}" for i in range(25))
    text = GOOD.replace("type: open", "type: code") + f"  snippet: |\n{snippet}\n"
    assert any("snippet is longer than 20 lines" in p for p in problems(tmp_path, text))


def test_loading_a_broken_bank_raises_with_the_location(tmp_path):
    (tmp_path / "q.yaml").write_text(GOOD.replace("topic: gan", "topic: nope"), encoding="utf-8")
    with pytest.raises(BankError, match=r"q\.yaml:1: q-one: unknown topic"):
        bank.load_bank([tmp_path])


def test_missing_bank_folder(tmp_path):
    with pytest.raises(BankError, match="no such bank file or folder"):
        bank.load_bank([tmp_path / "nope"])


def test_parsed_bank_cache_sees_edits(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert bank.load_bank([tmp_path])[0].question["en"] == "What is mode collapse?"
    path.write_text(
        GOOD.replace("What is mode collapse?", "Define mode collapse."), encoding="utf-8"
    )
    assert bank.load_bank([tmp_path])[0].question["en"] == "Define mode collapse."


CHOICE = """\
- id: q-two
  type: choice
  topic: gan
  difficulty: 1
  covers: [S001-05]
  tags: [basics]
  question: {en: "Which loss?", zh: "哪个损失？"}
  answer: {en: "BCE", zh: "二元交叉熵"}
  explanation: {en: "BCE.", zh: "二元交叉熵。"}
  choices:
    - {en: "BCE", zh: "二元交叉熵", correct: true}
    - {en: "MSE", zh: "均方误差"}
  snippet: |
    loss = bce(d(x), ones)
"""


def test_a_question_read_from_the_cache_equals_the_parsed_one(tmp_path):
    """The cache keeps questions' texts packed until first read: every field comes back."""
    import dataclasses

    (tmp_path / "q.yaml").write_text(GOOD + CHOICE, encoding="utf-8")
    parsed = bank._parse_bank([tmp_path])[0]
    bank._loaded.clear()
    bank.load_bank([tmp_path])  # parses and writes the cache
    bank._loaded.clear()
    cached = bank.load_bank([tmp_path])  # from the cache file
    assert all("_packed" in vars(q) for q in cached)  # nothing unpacked yet
    names = {f.name for f in dataclasses.fields(bank.Question)}
    assert set(bank.PACKED_FIELDS) | set(bank.PLAIN_FIELDS) == names
    assert not set(bank.PACKED_FIELDS) & set(bank.PLAIN_FIELDS)
    for want, got in zip(parsed, cached, strict=True):
        assert got.id == want.id and "_packed" in vars(got)
        assert dataclasses.asdict(got) == dataclasses.asdict(want)
        assert "_packed" not in vars(got)
        assert got.graded_as == want.graded_as and got.text("zh") == want.text("zh")
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cached[0].nope  # noqa: B018


def test_any_packed_field_read_first_from_the_cache_is_the_parsed_one(tmp_path):
    """Reading `q.snippet` (or `q.answer`, `q.choices`...) before anything else unpacks the
    texts too: it must not fall back on the field's default."""
    import dataclasses

    def plain(value):
        if dataclasses.is_dataclass(value):
            return dataclasses.asdict(value)
        return tuple(map(plain, value)) if isinstance(value, tuple) else value

    (tmp_path / "q.yaml").write_text(GOOD + CHOICE, encoding="utf-8")
    parsed = bank._parse_bank([tmp_path])[0]
    assert any(q.snippet for q in parsed) and any(q.choices for q in parsed)
    bank._loaded.clear()
    bank.load_bank([tmp_path])  # writes the cache
    for name in bank.PACKED_FIELDS + ("graded_as",):
        bank._loaded.clear()
        cached = bank.load_bank([tmp_path])
        assert all("_packed" in vars(q) for q in cached)
        for want, got in zip(parsed, cached, strict=True):
            assert plain(getattr(got, name)) == plain(getattr(want, name)), (want.id, name)
    built = bank.Question(id="x", type="o", topic="t", difficulty=1, question={}, explanation={})
    assert built.snippet == "" and built.answer is None  # defaults still apply when built


USER_TOPIC = GOOD.replace("topic: gan", "topic: my-own-topic").replace("  covers: [S001-05]\n", "")


def test_a_users_bank_may_add_topics_and_skip_coverage_ids(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(USER_TOPIC, encoding="utf-8")
    assert bank.validate_paths([path], user=True) == []
    strict = bank.validate_paths([path])
    assert any("unknown topic 'my-own-topic'" in p for p in strict)


def test_user_bank_topics_are_asked_and_named_by_their_id(runner, tmp_path, monkeypatch, mini_bank):
    from nnquiz.quiz.topics import topic_name
    from nnquiz.ui.cli import app

    (tmp_path / "q.yaml").write_text(USER_TOPIC, encoding="utf-8")
    monkeypatch.setenv("NNQUIZ_BANK", str(tmp_path))
    result = runner.invoke(
        app, ["ask", "--topic", "my-own-topic", "--count", "1"], input="few modes\n"
    )
    assert result.exit_code == 0, result.output
    assert "What is mode collapse?" in result.stdout
    assert runner.invoke(app, ["validate"]).exit_code == 0
    assert topic_name("my-own-topic", "zh") == "my-own-topic"
    assert topic_name("gan", "zh") == "生成对抗网络"


def test_collecting_the_bank_tests_writes_nothing_to_the_user_data_dir(tmp_path):
    import subprocess
    import sys

    from ..conftest import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("NNQUIZ_")}
    env.update(
        HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "c")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:randomly",
            "tests/quiz/test_bank_content.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert sorted(p.name for p in tmp_path.rglob("*") if "nnquiz" in p.name) == []
