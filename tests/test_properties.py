"""Bad input never crashes: arbitrary YAML and structures give a clean result or an
NnquizError naming file:line, never another exception."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnquiz.errors import NnquizError
from nnquiz.katas import catalogue as katas
from nnquiz.quiz import bank
from nnquiz.ui.cli import app

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
LOCATED = re.compile(r"^.+:\d+: ")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), inner, max_size=5),
    ),
    max_leaves=25,
)
FIELDS = sorted(bank.FIELDS) + ["en", "zh", "correct", "keywords"]
question_like = st.fixed_dictionaries({}, optional={f: structures for f in FIELDS})
yaml_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            [
                "- ",
                "id: x",
                "  type: choice",
                ": ",
                "{",
                "}",
                "[",
                "]",
                "\n",
                "  ",
                "'",
                '"',
                "&a",
                "*a",
                "!!python/object:os.system",
                "%YAML 1.1",
                "---",
                "? ",
                "\t",
                "#",
            ]
        ),
        max_size=40,
    ).map("".join),
)


def _check_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    problems = bank.validate_paths([path])
    for p in problems:
        assert LOCATED.match(p), p
    try:
        bank.load_bank([path])
    except NnquizError as exc:
        assert LOCATED.match(str(exc)) or "no questions found" in str(exc), str(exc)


@SETTINGS
@given(text=yaml_text)
def test_any_yaml_text(tmp_path, text):
    _check_file(tmp_path, text)


@SETTINGS
@given(doc=st.one_of(structures, st.lists(question_like, max_size=4)))
def test_any_structure(tmp_path, doc):
    _check_file(tmp_path, yaml.safe_dump(doc, allow_unicode=True))


KATA_FIELDS = sorted(katas.KATA_FIELDS)


@SETTINGS
@given(
    doc=st.one_of(
        structures, st.fixed_dictionaries({}, optional={f: structures for f in KATA_FIELDS})
    ),
    raw=st.booleans(),
    text=yaml_text,
)
def test_any_kata_yaml(tmp_path, doc, raw, text):
    root = tmp_path / "katas"
    folder = root / "k"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kata.yaml").write_text(
        text if raw else yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )
    for p in katas.validate_catalogue(root, tmp_path / "solutions"):
        assert LOCATED.match(p), p
    katas.load_catalogue(root)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    topic=st.text(max_size=12),
    count=st.integers(-5, 3),
    search=st.text(max_size=12),
    slug=st.text(max_size=12),
    lang=st.text(max_size=4),
)
def test_cli_free_values_never_crash(runner, mini_bank, topic, count, search, slug, lang):
    for args in (
        ["ask", "--topic", topic, "--count", str(count)],
        ["questions", "--search", search],
        ["questions", "--lang", lang],
        ["grade", slug, "--json"],
        ["kata", slug],
        ["hint", slug],
        ["ask", "--lang", lang, "--count", "1"],
    ):
        result = runner.invoke(app, args, input="\n")
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            repr(result.exception),
        )
