"""Topics and coverage ids, read from questions/topics.yaml and questions/coverage.yaml.

The shipped bank and the kata catalogue must use the topics listed there; a user's own bank
(NNQUIZ_BANK) may add topics of its own, whose name is their id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnquiz import paths
from nnquiz.errors import BankError

LANGS = ("en", "zh")
META_FILES = ("topics.yaml", "coverage.yaml")  # data beside the questions, not question files


@dataclass(frozen=True)
class Topic:
    id: str
    name: dict[str, str]
    seed: bool  # drawn from the seed documents: its questions name coverage ids
    order: int


_cache: dict[tuple[str, str], tuple[int, Any]] = {}


def _load(path: Path, kind: str, parse: Any) -> Any:
    """Parse `path` once per modification (tests switch curricula between calls)."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise BankError(f"{path}: no such file (the {kind} of the curriculum)") from None
    key = (kind, str(path))
    hit = _cache.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    from nnquiz.yamlio import line_of, load_yaml

    data = load_yaml(path, BankError)
    if not isinstance(data, dict) or kind not in data:
        raise BankError(f"{path}:{line_of(data)}: expected a mapping with a {kind!r} entry")
    value = parse(path, data[kind])
    _cache[key] = (stamp, value)
    return value


def _parse_topics(path: Path, items: Any) -> dict[str, Topic]:
    from nnquiz.yamlio import line_of

    if not isinstance(items, list):
        raise BankError(f"{path}:1: topics must be a list")
    out: dict[str, Topic] = {}
    for order, item in enumerate(items):
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and isinstance(item.get("name"), dict)
            and all(isinstance(item["name"].get(lang), str) for lang in LANGS)
        )
        if not ok or item["id"] in out:
            raise BankError(
                f"{path}:{line_of(item)}: each topic needs a unique id and name {{en, zh}}"
            )
        out[item["id"]] = Topic(
            item["id"],
            {lang: item["name"][lang] for lang in LANGS},
            bool(item.get("seed", False)),
            order,
        )
    return out


def _parse_coverage(path: Path, items: Any) -> dict[str, str]:
    if not isinstance(items, dict) or not all(isinstance(k, str) for k in items):
        raise BankError(f"{path}:1: coverage must map each id to what it covers")
    return {k: str(v) for k, v in items.items()}


def load_topics(path: Path | None = None) -> dict[str, Topic]:
    """The curriculum's topics by id, in their order."""
    return _load(path or paths.topics_file(), "topics", _parse_topics)


def load_coverage(path: Path | None = None) -> dict[str, str]:
    """The seed coverage ids and what each covers."""
    return _load(path or paths.coverage_file(), "coverage", _parse_coverage)


def topic_name(topic_id: str, lang: str) -> str:
    """A topic's name in `lang`; a user's own topic is named by its id."""
    topic = load_topics().get(topic_id)
    return topic.name.get(lang, topic_id) if topic else topic_id
