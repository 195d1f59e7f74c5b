"""Safe YAML loading that remembers the line of every mapping, for `file:line` messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from nnquiz.errors import BankError
from nnquiz.paths import read_text


class LineDict(dict):
    """A mapping that knows the (1-based) line it started on."""

    line: int = 0


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class _LineLoader(_BaseLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def line_of(obj: Any, default: int = 1) -> int:
    """The line a mapping started on (see LineDict), else `default`."""
    return getattr(obj, "line", 0) or default


def load_yaml(path: Path, error: type[Exception] = BankError) -> Any:
    """Parse one YAML file safely; any problem becomes `error("file:line: message")`."""
    text = read_text(path, error)
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "malformed YAML"
        raise error(f"{path}:{line}: malformed YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}:1: malformed YAML: {exc}") from None
    except RecursionError:
        raise error(f"{path}:1: malformed YAML: nested too deeply") from None
