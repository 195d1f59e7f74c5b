"""The user-error family. Only the CLI catches these; anything else is a bug."""

from __future__ import annotations


class NnquizError(Exception):
    """A mistake the user can fix: printed as `Error: ...`, exit 2."""

    exit_code = 2


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
