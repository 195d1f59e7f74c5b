"""The user-error family. Only the CLI catches these; anything else is a bug."""

from __future__ import annotations

from typing import Any


class Phrase:
    """A field of a keyed error that is itself a catalogue message (a reason, a place), put
    in the same language as the message around it."""

    def __init__(self, key: str, **fields: Any) -> None:
        self.key = key
        self.fields = fields

    def render(self, lang: str | None) -> str:
        from nnquiz.ui.strings import t

        fields = {
            name: value.render(lang) if isinstance(value, Phrase) else value
            for name, value in self.fields.items()
        }
        return t(self.key, lang=lang, **fields)


class NnquizError(Exception):
    """A mistake the user can fix: printed as `Error: ...`, exit 2.

    Raised with an English `message`, or with `key`, a message of nnquiz.ui.strings, and its
    fields (a `Phrase` field is translated too): `str(error)` is then the English text (JSON
    output, logs) and the CLI prints the message in the user's language (`localized`)."""

    exit_code = 2

    def __init__(self, message: str = "", *, key: str | None = None, **fields: Any) -> None:
        self.key = key
        self.fields = fields
        super().__init__(self.localized("en") if key is not None else message)

    def localized(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the active language)."""
        if self.key is None:
            return str(self)
        from nnquiz.ui.strings import t

        fields = {
            name: value.render(lang) if isinstance(value, Phrase) else value
            for name, value in self.fields.items()
        }
        return t(self.key, lang=lang, **fields)


class UsageError(NnquizError):
    """A bad option value or combination."""


class BankError(NnquizError):
    """A question bank file is missing, unreadable or malformed."""


class KataError(NnquizError):
    """An unknown kata, or a kata folder that breaks the catalogue's rules."""


class WorkspaceError(NnquizError):
    """The user's workspace file is missing or unreadable."""


class StoreError(NnquizError):
    """The progress database cannot be opened or is not nnquiz's."""


class DependencyError(NnquizError):
    """An optional package (torch, matplotlib) is needed but not installed."""
