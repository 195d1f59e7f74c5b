"""The bank's Chinese glossary (questions/GLOSSARY.md): one Chinese term per concept.

Each table row is `| English term | Chinese term we use | notes |`; the notes may say
`avoid: X, Y; ...`, spellings that the bank's Chinese prose must not use for that concept.
`nnquiz validate` warns (without failing) when a question's Chinese text uses one of them.
Keywords are not checked: they list synonyms on purpose, to match learners' answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nnquiz.quiz.bank import Question

ROW = re.compile(r"^\|(?P<en>[^|]+)\|(?P<zh>[^|]+)\|(?P<notes>[^|]*)\|\s*$")
AVOID = re.compile(r"avoid:\s*(?P<words>[^;]+)")


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    avoid: tuple[str, ...]


def load_glossary(path: Path) -> list[Term]:
    """The terms with spellings to avoid; an absent file means no glossary."""
    if not path.is_file():
        return []
    terms: list[Term] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if not m or set(m.group("en").strip()) <= {"-"} or m.group("en").strip() == "English term":
            continue
        found = AVOID.search(m.group("notes"))
        if not found:
            continue
        # "avoid: 多头自注意力 unless it is self-attention": the spelling is the first word
        words = [w.strip().split(" ")[0] for w in found.group("words").split(",")]
        avoid = tuple(w for w in words if w and not w.isascii())
        if avoid:
            terms.append(Term(m.group("en").strip(), m.group("zh").strip(), avoid))
    return terms


def _chinese_prose(q: Question) -> Iterator[str]:
    yield q.question.get("zh", "")
    yield q.explanation.get("zh", "")
    if isinstance(q.answer, dict):
        yield q.answer.get("zh", "")
    for c in q.choices:
        yield c.text.get("zh", "")
    for p in q.key_points:
        yield p.text.get("zh", "")


def glossary_warnings(questions: Iterable[Question], terms: list[Term]) -> list[str]:
    """`file:line: warning: ...` for each question whose Chinese prose avoids the glossary."""
    out: list[str] = []
    for q in questions:
        text = "\n".join(_chinese_prose(q))
        for term in terms:
            # an avoided spelling inside the preferred term itself does not count
            rest = text.replace(term.chinese, "")
            for word in term.avoid:
                if word in rest:
                    out.append(
                        f"{q.source}: warning: {q.id}: {word!r} for {term.english!r}; "
                        f"the glossary uses {term.chinese!r} (questions/GLOSSARY.md)"
                    )
    return out
