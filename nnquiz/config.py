"""The user's saved preferences: a small JSON file in the data dir (`nnquiz config KEY VALUE`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nnquiz.errors import UsageError

# each key: its allowed values (None: any text)
KEYS: dict[str, tuple[str, ...] | None] = {"lang": ("en", "zh")}


def config_path() -> Path:
    from nnquiz.paths import data_dir

    return data_dir() / "config.json"


def load() -> dict[str, Any]:
    """Every saved preference; an unreadable or foreign file counts as none saved."""
    try:
        text = config_path().read_text(encoding="utf-8")
    except OSError:  # none saved (json is not imported: every command's start-up reads this)
        return {}
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def get(key: str) -> Any:
    return load().get(key)


def check_key(key: str) -> None:
    if key not in KEYS:
        raise UsageError(key="errors.unknown_setting", setting=key, settings=", ".join(KEYS))


def set_value(key: str, value: str) -> Path:
    """Save `key = value` (validated); returns the file written."""
    check_key(key)
    allowed = KEYS[key]
    if allowed is not None and value not in allowed:
        raise UsageError(
            key="errors.setting_value", setting=key, allowed=", ".join(allowed), value=value
        )
    data = load()
    data[key] = value
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import json

        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(
            key="errors.cannot_save_setting", file=path, reason=exc.strerror or exc
        ) from None
    return path


def unset(key: str) -> Path:
    check_key(key)
    data = load()
    data.pop(key, None)
    path = config_path()
    if path.exists():
        import json

        try:
            path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(
                key="errors.cannot_save_setting", file=path, reason=exc.strerror or exc
            ) from None
    return path
