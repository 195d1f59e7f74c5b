"""The kata catalogue: load and validate katas/<slug>/kata.yaml and the files beside it."""

from __future__ import annotations

import ast
import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnquiz import paths
from nnquiz.errors import BankError, KataError
from nnquiz.quiz.topics import LANGS, load_coverage, load_topics
from nnquiz.yamlio import LineDict, line_of, load_yaml

KATA_FIELDS = {
    "id", "title", "topic", "difficulty", "allowed_imports", "time_limit_s", "hints",
    "entrypoints", "covers", "figures", "track", "picture", "aliases",
}
# figures: measured figures, for authors only; aliases: names a learner may try (rnn -> lstm)
REQUIRED_FIELDS = KATA_FIELDS - {"figures", "aliases"}
PICTURES = ("none", "scatter", "digits")  # what the CLI draws from the suite's artifacts


@dataclass(frozen=True)
class Track:
    id: str
    name: dict[str, str]
    order: int


_tracks_cache: dict[str, tuple[int, dict[str, Track]]] = {}


def load_tracks(path: Path | None = None) -> dict[str, Track]:
    """The kata tracks (katas/tracks.yaml) by id, in their order."""
    path = path or paths.tracks_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise KataError(f"{path}: no such file (the kata tracks)") from None
    hit = _tracks_cache.get(str(path))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    data = load_yaml(path, KataError)
    items = data.get("tracks") if isinstance(data, dict) else None
    tracks: dict[str, Track] = {}
    for order, item in enumerate(items if isinstance(items, list) else [None]):
        if not (isinstance(item, dict) and isinstance(item.get("id"), str) and _bilingual(item.get("name"))):
            raise KataError(f"{path}:{line_of(item, line_of(data))}: each track needs an id and name {{en, zh}}")
        tracks[item["id"]] = Track(item["id"], {lang: item["name"][lang] for lang in LANGS}, order)
    _tracks_cache[str(path)] = (stamp, tracks)
    return tracks


@dataclass(frozen=True)
class Kata:
    slug: str
    title: dict[str, str]
    topic: str
    difficulty: int
    allowed_imports: tuple[str, ...]
    time_limit_s: float
    hints: tuple[dict[str, str], ...]
    entrypoints: tuple[str, ...]
    covers: tuple[str, ...]
    folder: Path
    track: str
    picture: str  # none | scatter | digits
    aliases: tuple[str, ...] = ()  # other names a learner may try: `nnquiz kata rnn` -> lstm

    @property
    def draws(self) -> bool:
        """Whether grading produces a picture (terminal, or PNG with --plot)."""
        return self.picture != "none"

    @property
    def module_name(self) -> str:
        """The workspace file's module name: hyphens as underscores (random_forest)."""
        return self.slug.replace("-", "_")

    @property
    def starter(self) -> Path:
        return self.folder / "starter.py"

    @property
    def tests_dir(self) -> Path:
        return self.folder / "tests"

    @property
    def solution(self) -> Path:
        return paths.solutions_dir() / f"{self.slug}.py"

    @property
    def uses_torch(self) -> bool:
        return "torch" in self.allowed_imports

    def instructions(self, lang: str) -> str:
        return (self.folder / f"instructions.{lang}.md").read_text(encoding="utf-8")

    def test_files(self) -> list[Path]:
        return sorted(self.tests_dir.glob("test_*.py"))

    def version(self) -> str:
        """A hash of everything that decides a grade: the suite, kata.yaml, the solution."""
        digest = hashlib.sha256()
        for path in [self.folder / "kata.yaml", self.solution, *self.test_files()]:
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.exists() else b"")
        return digest.hexdigest()[:16]


@dataclass(frozen=True)
class _Known:
    """The curriculum's data a kata.yaml is checked against."""

    topics: frozenset[str]
    coverage: frozenset[str]
    tracks: frozenset[str]


def _known() -> _Known | str:
    try:
        return _Known(frozenset(load_topics()), frozenset(load_coverage()), frozenset(load_tracks()))
    except (BankError, KataError) as exc:
        return str(exc)


def _problems(slug: str, folder: Path, data: Any, solutions: Path, known: _Known) -> list[str]:
    """Every rule kata.yaml and its folder break, as `file:line: message`."""
    where = folder / "kata.yaml"
    if not isinstance(data, dict):
        return [f"{where}:1: kata.yaml must be a mapping of fields"]
    out: list[str] = []

    def bad(msg: str, node: object = data) -> None:
        out.append(f"{where}:{line_of(node, line_of(data))}: {msg}")

    for key in sorted(set(map(str, data)) - KATA_FIELDS):
        bad(f"unknown field {key!r} (known: {', '.join(sorted(KATA_FIELDS))})")
    for key in sorted(REQUIRED_FIELDS - set(data)):
        bad(f"missing field {key!r}")
    if "id" in data and data["id"] != slug:
        bad(f"id {data['id']!r} must equal the folder name {slug!r}")
    title = data.get("title")
    if "title" in data and not _bilingual(title):
        bad("title needs non-empty 'en' and 'zh'", title)
    if "topic" in data and not _member(data["topic"], known.topics):
        bad(f"unknown topic {data['topic']!r} (valid: {', '.join(sorted(known.topics))})")
    if "track" in data and not _member(data["track"], known.tracks):
        bad(f"unknown track {data['track']!r} (valid: {', '.join(sorted(known.tracks))})")
    if "picture" in data and not _member(data["picture"], frozenset(PICTURES)):
        bad(f"picture must be one of {', '.join(PICTURES)} (got {data['picture']!r})")
    if "difficulty" in data and data["difficulty"] not in (1, 2, 3):
        bad("difficulty must be 1, 2 or 3")
    limit = data.get("time_limit_s")
    if "time_limit_s" in data and (
        isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 < limit <= 3600
    ):
        bad("time_limit_s must be a number of seconds between 0 and 3600")
    for name in ("allowed_imports", "entrypoints", "covers", "aliases"):
        value = data.get(name)
        if name in data and not (
            isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        ):
            bad(f"{name} must be a list of names")
    covers = data.get("covers")
    if isinstance(covers, list):
        for cid in covers:
            if isinstance(cid, str) and cid and cid not in known.coverage:
                bad(f"unknown coverage id {cid!r}")
    hints = data.get("hints")
    if "hints" in data:
        if not isinstance(hints, list) or not hints:
            bad("hints must be a non-empty list of {en, zh}")
        else:
            for hint in hints:
                if not _bilingual(hint):
                    bad("each hint needs non-empty 'en' and 'zh'", hint)
    figures = data.get("figures", {})
    if not isinstance(figures, dict):
        bad("figures must be a mapping of name: text")
    for lang in LANGS:
        if not (folder / f"instructions.{lang}.md").is_file():
            bad(f"missing file instructions.{lang}.md")
    starter = folder / "starter.py"
    if not starter.is_file():
        bad("missing file starter.py")
    elif isinstance(data.get("entrypoints"), list):
        defined = top_level_names(starter)
        if defined is None:
            bad("starter.py does not parse")
        else:
            for name in data["entrypoints"]:
                if isinstance(name, str) and name not in defined:
                    bad(f"entrypoint {name!r} is missing from starter.py")
    if not list((folder / "tests").glob("test_*.py")):
        bad("missing hidden tests: tests/test_*.py")
    if not (solutions / f"{slug}.py").is_file():
        bad(f"missing reference solution solutions/{slug}.py")
    return out


def _member(value: object, known: frozenset[str]) -> bool:
    return isinstance(value, str) and value in known


def _bilingual(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGS
    )


def top_level_names(path: Path) -> set[str] | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, ValueError, OSError):
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _build(slug: str, folder: Path, data: LineDict) -> Kata:
    return Kata(
        slug=slug,
        title=dict(data["title"]),
        topic=data["topic"],
        difficulty=int(data["difficulty"]),
        allowed_imports=tuple(data["allowed_imports"]),
        time_limit_s=float(data["time_limit_s"]),
        hints=tuple(dict(h) for h in data["hints"]),
        entrypoints=tuple(data["entrypoints"]),
        covers=tuple(data["covers"]),
        folder=folder,
        track=data["track"],
        picture=data["picture"],
        aliases=tuple(data.get("aliases", ())),
    )


def validate_catalogue(root: Path | None = None, solutions: Path | None = None) -> list[str]:
    """All problems in the kata catalogue (empty when clean)."""
    root = root or paths.katas_dir()
    solutions = solutions or paths.solutions_dir()
    known = _known()
    if isinstance(known, str):
        return [known]
    problems: list[str] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if folder.name.startswith((".", "_")):
            continue
        if not (folder / "kata.yaml").is_file():
            problems.append(f"{folder}: missing kata.yaml")
            continue
        try:
            data = load_yaml(folder / "kata.yaml", KataError)
        except KataError as exc:
            problems.append(str(exc))
            continue
        problems += _problems(folder.name, folder, data, solutions, known)
    return problems


def load_catalogue(root: Path | None = None) -> dict[str, Kata]:
    """Every valid kata by slug, in track order, then by difficulty and slug; broken folders
    are skipped (`nnquiz validate` names them)."""
    root = root or paths.katas_dir()
    solutions = paths.solutions_dir()
    katas: dict[str, Kata] = {}
    known = _known()
    if not root.is_dir() or isinstance(known, str):
        return katas
    for folder in sorted(p for p in root.iterdir() if (p / "kata.yaml").is_file()):
        try:
            data = load_yaml(folder / "kata.yaml", KataError)
        except KataError:
            continue
        if _problems(folder.name, folder, data, solutions, known):
            continue
        katas[folder.name] = _build(folder.name, folder, data)
    order = {t: track.order for t, track in load_tracks().items()}
    return dict(sorted(katas.items(), key=lambda kv: (order[kv[1].track], kv[1].difficulty, kv[0])))


def torch_installed() -> bool:
    """Whether PyTorch can be imported here (without importing it: that takes seconds)."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def get_kata(slug: str, catalogue: dict[str, Kata] | None = None) -> Kata:
    """The kata named `slug`, or a KataError naming the closest slugs."""
    catalogue = catalogue if catalogue is not None else load_catalogue()
    if slug in catalogue:
        return catalogue[slug]
    # the workspace file's name works too: image_metrics, knn.py
    name = slug.strip().lower().removesuffix(".py").replace("_", "-")
    if name in catalogue:
        return catalogue[name]
    aliased = [k.slug for k in catalogue.values() if name in k.aliases]
    close = aliased + [
        s for s in difflib.get_close_matches(name, list(catalogue), n=3, cutoff=0.5) if s not in aliased
    ]
    if close:
        raise KataError(key="errors.unknown_kata_near", slug=slug, near=", ".join(close), n=len(catalogue))
    raise KataError(key="errors.unknown_kata", slug=slug, n=len(catalogue))
