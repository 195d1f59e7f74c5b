"""The question bank: load the YAML files, validate them, look questions up."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnquiz import paths
from nnquiz.errors import BankError
from nnquiz.quiz.topics import LANGS, META_FILES

TYPES = ("choice", "truefalse", "open", "code")
FIELDS = {
    "id",
    "type",
    "topic",
    "difficulty",
    "tags",
    "covers",
    "question",
    "answer",
    "explanation",
    "key_points",
    "choices",
    "snippet",
    "runnable",
}
MAX_SNIPPET_LINES = 20


@dataclass(frozen=True, eq=False)
class Choice:
    text: dict[str, str]
    correct: bool


@dataclass(frozen=True, eq=False)
class KeyPoint:
    text: dict[str, str]
    keywords: dict[str, tuple[str, ...]]


@dataclass(frozen=True, eq=False)
class Question:
    id: str
    type: str
    topic: str
    difficulty: int
    question: dict[str, str]
    explanation: dict[str, str]
    answer: dict[str, str] | bool | None = None
    choices: tuple[Choice, ...] = ()
    key_points: tuple[KeyPoint, ...] = ()
    snippet: str = ""
    runnable: bool = False
    tags: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    source: str = ""
    content_hash: str = field(default="", compare=False)

    @property
    def graded_as(self) -> str:
        """How an answer is checked: choice, truefalse or open."""
        if self.type == "code":
            return "choice" if self.choices else "open"
        return self.type

    def text(self, lang: str) -> str:
        return self.question.get(lang) or self.question["en"]

    if not TYPE_CHECKING:  # (mypy keeps checking attribute names)

        def __getattr__(self, name: str) -> Any:
            """A question read from the bank cache carries its texts packed (_packed) until
            one of them is first read: a session shows a few of the bank's questions."""
            packed = self.__dict__.get("_packed")
            if packed is None or name not in PACKED_FIELDS:
                raise AttributeError(f"'Question' object has no attribute {name!r}")
            import pickle

            self.__dict__.update(zip(PACKED_FIELDS, pickle.loads(packed), strict=True))
            del self.__dict__["_packed"]
            return self.__dict__[name]


# What a cached question keeps packed, and what it carries as it is (cheap to unpickle).
PACKED_FIELDS = ("question", "explanation", "answer", "choices", "key_points", "snippet", "source")
PLAIN_FIELDS = ("id", "type", "topic", "difficulty", "runnable", "tags", "covers", "content_hash")
# A packed field with a default must not be found on the class: reading it first (`q.snippet`
# before `q.question`) would give the default instead of reaching `__getattr__`. The dataclass's
# `__init__` keeps the defaults of its own.
for _name in PACKED_FIELDS:
    if _name in Question.__dict__:
        delattr(Question, _name)


def _pack(q: Question) -> tuple[Any, ...]:
    import pickle

    blob = pickle.dumps(tuple(getattr(q, f) for f in PACKED_FIELDS), pickle.HIGHEST_PROTOCOL)
    return (*(getattr(q, f) for f in PLAIN_FIELDS), blob)


def _unpack(row: tuple[Any, ...]) -> Question:
    q = object.__new__(Question)
    q.__dict__.update(zip(PLAIN_FIELDS, row[:-1], strict=True))
    q.__dict__["_packed"] = row[-1]
    return q


# ---------------------------------------------------------------------------- validation


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _bilingual(value: Any) -> bool:
    return isinstance(value, dict) and all(_is_text(value.get(lang)) for lang in LANGS)


@dataclass(frozen=True)
class Rules:
    """What a bank may use: the curriculum's topics and coverage ids. A user's own bank
    (`user=True`) may add topics of its own and needs no coverage ids."""

    topics: frozenset[str]
    seed_topics: frozenset[str]
    coverage: frozenset[str]
    user: bool = False


def rules(user: bool = False) -> Rules:
    from nnquiz.quiz.topics import load_coverage, load_topics

    topics = load_topics()
    return Rules(
        frozenset(topics),
        frozenset(t for t, v in topics.items() if v.seed),
        frozenset(load_coverage()),
        user,
    )


def _question_problems(q: Any, where: Path, seen: dict[str, str], rules: Rules) -> list[str]:
    if not isinstance(q, dict):
        return [f"{where}:{line_of(q)}: each question must be a mapping of fields"]
    out: list[str] = []
    line = line_of(q)

    def bad(msg: str, node: Any = q) -> None:
        out.append(f"{where}:{line_of(node, line)}: {qid_text}{msg}")

    qid = q.get("id")
    qid_text = f"{qid}: " if isinstance(qid, str) else ""
    if not isinstance(qid, str) or not qid.strip():
        bad("missing id")
    elif qid in seen:
        bad(f"duplicate id (first at {seen[qid]})")
    else:
        seen[qid] = f"{where}:{line}"
    for key in sorted(set(map(str, q)) - FIELDS):
        bad(f"unknown field {key!r}")
    qtype = q.get("type")
    if qtype not in TYPES:
        bad(f"type must be one of {', '.join(TYPES)} (got {qtype!r})")
    topic = q.get("topic")
    if rules.user and not (isinstance(topic, str) and topic.strip()):
        bad("topic must be a name (your own bank may use topics of its own)")
    elif not rules.user and not (isinstance(topic, str) and topic in rules.topics):
        bad(f"unknown topic {topic!r} (valid: {', '.join(sorted(rules.topics))})")
    if q.get("difficulty") not in (1, 2, 3) or isinstance(q.get("difficulty"), bool):
        bad("difficulty must be 1, 2 or 3")
    for name in ("question", "explanation"):
        if not _bilingual(q.get(name)):
            bad(f"{name} needs non-empty 'en' and 'zh' text", q.get(name, q))
    covers = q.get("covers", [] if rules.user else None)
    if not isinstance(covers, list) or (
        not covers and not rules.user and isinstance(topic, str) and topic in rules.seed_topics
    ):
        bad("covers must list at least one coverage id (non-seed topics may use [])")
    else:
        for cid in covers:
            if not isinstance(cid, str) or cid not in rules.coverage:
                bad(f"unknown coverage id {cid!r}")
    tags = q.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, (str, int)) for t in tags):
        bad("tags must be a list of words")
    answer = q.get("answer")
    if qtype == "truefalse":
        if not isinstance(answer, bool):
            bad("a truefalse question needs answer: true or answer: false")
    elif qtype in TYPES and not _bilingual(answer):
        bad("answer needs non-empty 'en' and 'zh' text", answer if isinstance(answer, dict) else q)
    choices = q.get("choices")
    key_points = q.get("key_points")
    if qtype == "choice" or (qtype == "code" and choices is not None):
        out += _choice_problems(choices, bad)
    if qtype == "open" or (qtype == "code" and choices is None):
        out += _key_point_problems(key_points, bad)
    if qtype == "code":
        snippet = q.get("snippet")
        if not isinstance(snippet, str) or not _is_text(snippet):
            bad("a code question needs a snippet")
        elif len(snippet.rstrip("\n").splitlines()) > MAX_SNIPPET_LINES:
            bad(f"snippet is longer than {MAX_SNIPPET_LINES} lines")
    elif "snippet" in q and not _is_text(q.get("snippet")):
        bad("snippet must be text")
    if "runnable" in q and not isinstance(q.get("runnable"), bool):
        bad("runnable must be true or false")
    return out


def _choice_problems(choices: Any, bad: Any) -> list[str]:
    if not isinstance(choices, list) or not 2 <= len(choices) <= 6:
        bad("choices must be a list of 2 to 6 options")
        return []
    for choice in choices:
        if not _bilingual(choice):
            bad("each choice needs non-empty 'en' and 'zh' text", choice)
        elif not isinstance(choice.get("correct", False), bool):
            bad("correct must be true or false", choice)
    if not any(isinstance(c, dict) and c.get("correct") is True for c in choices):
        bad("no choice is marked correct: true")
    return []


def _key_point_problems(points: Any, bad: Any) -> list[str]:
    if not isinstance(points, list) or not points:
        bad("an open question needs key_points (2 to 5)")
        return []
    if not 2 <= len(points) <= 5:
        bad(f"key_points must number 2 to 5 (got {len(points)})")
    for point in points:
        if not _bilingual(point):
            bad("each key point needs non-empty 'en' and 'zh' text", point)
            continue
        keywords = point.get("keywords")
        if not isinstance(keywords, dict) or not all(
            isinstance(keywords.get(lang), list)
            and keywords[lang]
            and all(_is_text(w) for w in keywords[lang])
            for lang in LANGS
        ):
            bad("each key point needs keywords: {en: [...], zh: [...]} (non-empty lists)", point)
    return []


def line_of(obj: Any, default: int = 1) -> int:
    """The line a parsed mapping started on (yamlio.LineDict), without importing PyYAML."""
    return getattr(obj, "line", 0) or default


def _file_questions(path: Path) -> list[Any]:
    from nnquiz.yamlio import load_yaml  # PyYAML only when the parsed-bank cache misses

    data = load_yaml(path, BankError)
    if isinstance(data, dict) and "questions" in data:
        data = data["questions"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise BankError(f"{path}:{line_of(data)}: a bank file must be a list of questions")
    return data


def bank_files(folders: list[Path]) -> list[Path]:
    """YAML files in the given folders (or the files themselves), sorted."""
    found: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found.append(folder)
        elif folder.is_dir():
            found += sorted(
                p
                for p in folder.rglob("*")
                if p.suffix in (".yaml", ".yml") and p.is_file() and p.name not in META_FILES
            )
        else:
            raise BankError(key="errors.no_bank_folder", folder=folder)
    return found


def validate_paths(
    folders: list[Path], seen: dict[str, str] | None = None, user: bool = False
) -> list[str]:
    """Every problem in these files, as `file:line: message` (`user`: a user's own bank)."""
    seen = {} if seen is None else seen
    try:
        bank_rules = rules(user)
    except BankError as exc:
        return [str(exc)]
    problems: list[str] = []
    try:
        files = bank_files(folders)
    except BankError as exc:
        return [str(exc)]
    for path in files:
        try:
            items = _file_questions(path)
        except BankError as exc:
            problems.append(str(exc))
            continue
        for q in items:
            problems += _question_problems(q, path, seen, bank_rules)
    return problems


def all_bank_dirs() -> list[Path]:
    return [paths.questions_dir(), *paths.extra_bank_dirs()]


def validate_path(path: Path) -> list[str]:
    """`nnquiz validate PATH`: inside the shipped bank its rules; elsewhere a user's bank's."""
    if not path.exists():
        from nnquiz.errors import UsageError

        raise UsageError(key="errors.no_such_path", path=path)
    shipped = paths.questions_dir().resolve()
    inside = path.resolve() == shipped or shipped in path.resolve().parents
    return validate_paths([path], user=not inside)


def validate_all() -> list[str]:
    """The shipped bank, then the user's own banks (which may add topics of their own)."""
    seen: dict[str, str] = {}
    problems = validate_paths([paths.questions_dir()], seen)
    extra = paths.extra_bank_dirs()
    return problems + (validate_paths(extra, seen, user=True) if extra else [])


# ---------------------------------------------------------------------------- loading


def _texts(node: dict[str, Any]) -> dict[str, str]:
    """The {en, zh} texts of a validated node."""
    return {lang: node[lang] for lang in LANGS}


def _build(q: dict[str, Any], path: Path) -> Question:
    import hashlib
    import json

    choices = tuple(
        Choice(_texts(c), bool(c.get("correct", False))) for c in q.get("choices") or []
    )
    points = tuple(
        KeyPoint(_texts(p), {lang: tuple(str(w) for w in p["keywords"][lang]) for lang in LANGS})
        for p in q.get("key_points") or []
    )
    answer = q.get("answer")
    plain = json.dumps(q, sort_keys=True, ensure_ascii=False, default=str)
    return Question(
        id=q["id"],
        type=q["type"],
        topic=q["topic"],
        difficulty=q["difficulty"],
        question=_texts(q["question"]),
        explanation=_texts(q["explanation"]),
        answer=_texts(answer) if isinstance(answer, dict) else answer,
        choices=choices,
        key_points=points,
        snippet=q.get("snippet") or "",
        runnable=bool(q.get("runnable", False)),
        tags=tuple(str(t) for t in q.get("tags") or []),
        covers=tuple(q.get("covers") or []),
        source=f"{path}:{line_of(q)}",
        content_hash=hashlib.sha256(plain.encode()).hexdigest()[:12],
    )


def _cache_key(files: list[Path]) -> str | None:
    """Every bank file's path, size and mtime: any edit makes a new key."""
    from nnquiz import __version__

    parts = [__version__, "rows with packed texts"]  # the cache's format
    try:
        for path in files:
            st = os.stat(path)
            parts.append(f"{os.path.abspath(path)}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return None
    return "\n".join(parts)


_loaded: dict[str, tuple[list[Question], list[str]]] = {}


def load_bank(folders: list[Path] | None = None) -> list[Question]:
    """All questions; a problem in the shipped bank raises BankError naming file:line and
    `nnquiz validate`; a bad question in a user's own bank is skipped (`skipped()`)."""
    return load_bank_report(folders)[0]


def skipped(folders: list[Path] | None = None) -> list[str]:
    """`file:line: problem` for each question (or file) of a user's bank that was skipped."""
    return load_bank_report(folders)[1]


def load_bank_report(folders: list[Path] | None = None) -> tuple[list[Question], list[str]]:
    """The questions and what was skipped of the user's banks.

    Parsed banks are cached (pickled, keyed by the files' paths, sizes and mtimes):
    parsing YAML costs more than the quiz's whole start-up budget."""
    import gc
    import pickle
    import zlib

    folders = folders if folders is not None else all_bank_dirs()
    files = bank_files(folders)
    key = _cache_key(files)
    if key is not None:  # the same folder may be the shipped bank or a user's (other rules)
        key += "\nuser banks: " + os.pathsep.join(map(str, paths.extra_bank_dirs()))
    if key is not None and key in _loaded:
        return _loaded[key]
    cache = None
    if key is not None:
        cache = paths.cache_dir() / "bank" / f"{zlib.crc32(key.encode()):08x}-{len(key)}.pickle"
        try:
            with open(cache, "rb") as fh:
                data = fh.read()
            # Loading makes thousands of objects: with the collector on, it runs several
            # passes over them meanwhile (as long as the load itself).
            collecting = gc.isenabled()
            gc.disable()
            try:
                stored_key, rows, skips = pickle.loads(data)
                questions = [_unpack(row) for row in rows]
            finally:
                if collecting:
                    gc.enable()
            if stored_key == key:
                _loaded[key] = (questions, skips)
                return questions, skips
        except Exception:
            pass
    questions, skips = _parse_bank(folders)
    if key is not None:
        _loaded[key] = (questions, skips)
    if cache is not None and paths.data_dir_may_be_created():
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            rows = [_pack(q) for q in questions]
            tmp.write_bytes(pickle.dumps((key, rows, skips), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, cache)
        except OSError:
            pass
    return questions, skips


def _parse_bank(folders: list[Path]) -> tuple[list[Question], list[str]]:
    seen: dict[str, str] = {}
    questions: list[Question] = []
    skips: list[str] = []
    user_dirs = {str(p) for p in paths.extra_bank_dirs()}
    strict, lenient = rules(), rules(user=True)
    for folder in folders:
        user = str(folder) in user_dirs
        bank_rules = lenient if user else strict
        for path in bank_files([folder]):
            try:
                items = _file_questions(path)
            except BankError as exc:
                if not user:
                    raise
                skips.append(str(exc))
                continue
            for q in items:
                problems = _question_problems(q, path, seen, bank_rules)
                if problems and user:
                    skips.append(problems[0])
                elif problems:
                    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                    raise BankError(
                        f"{problems[0]}{more}. Run `nnquiz validate` to list every problem."
                    )
                else:
                    questions.append(_build(q, path))
    if not questions:
        raise BankError(f"no questions found in {', '.join(map(str, folders))}")
    return questions, skips


def get_question(questions: list[Question], qid: str) -> Question:
    for q in questions:
        if q.id == qid:
            return q
    import difflib

    close = difflib.get_close_matches(qid, [q.id for q in questions], n=3, cutoff=0.5)
    if close:
        raise BankError(key="errors.unknown_question_near", qid=qid, near=", ".join(close))
    raise BankError(key="errors.unknown_question", qid=qid)


def check_topics(questions: list[Question], topics: list[str]) -> None:
    present = {q.topic for q in questions}
    for topic in topics:
        if topic not in present:
            import difflib

            from nnquiz.quiz.topics import load_topics

            known = sorted(present | set(load_topics()))
            if topic in known:
                continue
            close = difflib.get_close_matches(topic, known, n=1)
            if close:
                raise BankError(
                    key="errors.unknown_topic_near",
                    topic=topic,
                    near=close[0],
                    known=", ".join(known),
                )
            raise BankError(key="errors.unknown_topic", topic=topic, known=", ".join(known))


def filter_questions(
    questions: list[Question],
    *,
    topics: Sequence[str] = (),
    qtype: str | None = None,
    difficulty: int | None = None,
    search: str | None = None,
) -> list[Question]:
    check_topics(questions, list(topics))
    out = [
        q
        for q in questions
        if (not topics or q.topic in topics)
        and (qtype is None or q.type == qtype)
        and (difficulty is None or q.difficulty == difficulty)
    ]
    if search:
        word = search.casefold()
        out = [q for q in out if word in _searchable(q)]
    return out


def _searchable(q: Question) -> str:
    parts = [q.id, *q.question.values(), *q.explanation.values(), *q.tags, q.snippet]
    if isinstance(q.answer, dict):
        parts += list(q.answer.values())
    parts += [t for c in q.choices for t in c.text.values()]
    return "\n".join(parts).casefold()
