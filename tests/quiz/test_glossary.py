"""The Chinese glossary: `validate` warns when the bank's Chinese prose spells a term another
way than questions/GLOSSARY.md, and the shipped bank follows it."""

from __future__ import annotations

from nnquiz import paths
from nnquiz.quiz.bank import Choice, KeyPoint, Question, load_bank
from nnquiz.quiz.glossary import glossary_warnings, load_glossary
from nnquiz.ui.cli import app

GLOSSARY = """\
| English term | Chinese term we use | notes |
|---|---|---|
| stride | 步幅 | |
| mode collapse | 模式崩溃 | avoid: 模式坍塌, 模式塌缩 |
| multi-head attention | 多头注意力 | avoid: 多头自注意力 unless it is self-attention |
"""


def question(zh: str, keyword: str = "模式坍塌") -> Question:
    return Question(
        id="q1",
        type="open",
        topic="gan",
        difficulty=1,
        question={"en": "What is mode collapse?", "zh": zh},
        explanation={"en": "e", "zh": "解释"},
        choices=(Choice({"en": "a", "zh": "甲"}, False),),
        key_points=(KeyPoint({"en": "k", "zh": "要点"}, {"zh": (keyword,)}),),
        source="bank.yaml:3",
    )


def test_glossary_rows_give_the_spellings_to_avoid(tmp_path):
    path = tmp_path / "GLOSSARY.md"
    path.write_text(GLOSSARY, encoding="utf-8")
    terms = load_glossary(path)
    assert [(t.english, t.chinese, t.avoid) for t in terms] == [
        ("mode collapse", "模式崩溃", ("模式坍塌", "模式塌缩")),
        ("multi-head attention", "多头注意力", ("多头自注意力",)),
    ]
    assert load_glossary(tmp_path / "absent.md") == []


def test_a_term_spelt_another_way_warns_keywords_do_not(tmp_path):
    path = tmp_path / "GLOSSARY.md"
    path.write_text(GLOSSARY, encoding="utf-8")
    terms = load_glossary(path)
    warnings = glossary_warnings([question("什么是模式坍塌？")], terms)
    assert warnings == [
        "bank.yaml:3: warning: q1: '模式坍塌' for 'mode collapse'; "
        "the glossary uses '模式崩溃' (questions/GLOSSARY.md)"
    ]
    assert glossary_warnings([question("什么是模式崩溃？")], terms) == []


def test_the_shipped_bank_follows_the_glossary_and_validate_says_so(runner):
    terms = load_glossary(paths.questions_dir() / "GLOSSARY.md")
    assert len(terms) >= 20
    assert glossary_warnings(load_bank(), terms) == []
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0 and "warning:" not in result.stdout
