"""Wrong fixtures as patches: a small unified diff against the kata's reference solution.

A patch file starts with `# bug: <one line>`, then the output of
`diff -u --label a/solutions/SLUG.py --label b/solutions/SLUG.py solutions/SLUG.py wrong.py`.
It is applied strictly: every context and removed line must match the solution at the line
the hunk names, else a PatchError names the patch and the hunk (the solution has drifted:
rebase the bug onto it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nnquiz.errors import NnquizError

BUG_PREFIX = "# bug: "
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_NO_NEWLINE = "\\ No newline at end of file"


class PatchError(NnquizError):
    """A patch that is malformed or no longer applies to its solution."""


@dataclass
class Hunk:
    old_start: int
    old_len: int
    new_start: int
    new_len: int
    lines: list[str] = field(default_factory=list)  # each with its ' ', '-' or '+' marker


@dataclass
class Patch:
    name: str  # for messages: the patch file
    bug: str
    hunks: list[Hunk]

    @property
    def changed_lines(self) -> int:
        return sum(1 for h in self.hunks for line in h.lines if line[:1] in "+-")


def parse_patch(text: str, name: str = "<patch>") -> Patch:
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].startswith(BUG_PREFIX) or not lines[0][len(BUG_PREFIX) :].strip():
        raise PatchError(f"{name}:1: the first line must be `{BUG_PREFIX}<what is wrong>`")
    bug = lines[0][len(BUG_PREFIX) :].strip()
    hunks: list[Hunk] = []
    i = 1
    while i < len(lines) and not lines[i].startswith("@@"):
        i += 1  # the ---/+++ header
    while i < len(lines):
        match = _HUNK.match(lines[i])
        if not match:
            raise PatchError(f"{name}:{i + 1}: expected a hunk header `@@ -a,b +c,d @@`")
        a, b, c, d = match.groups()
        hunk = Hunk(int(a), int(b if b is not None else 1), int(c), int(d if d is not None else 1))
        i += 1
        old = new = 0
        while i < len(lines) and (
            old < hunk.old_len or new < hunk.new_len or lines[i].startswith(_NO_NEWLINE)
        ):
            line = lines[i]
            if line.startswith(_NO_NEWLINE):
                if not hunk.lines:
                    raise PatchError(f"{name}:{i + 1}: a no-newline marker before any line")
                hunk.lines[-1] = hunk.lines[-1].rstrip("\n")
            elif line[:1] in (" ", "-", "+") or line in ("\n", ""):
                marker = line[:1] if line[:1] in (" ", "-", "+") else " "
                body = line[1:] if line[:1] in (" ", "-", "+") else line
                hunk.lines.append(marker + body)
                old += marker != "+"
                new += marker != "-"
            else:
                raise PatchError(f"{name}:{i + 1}: unexpected line in hunk {len(hunks) + 1}")
            i += 1
        if old != hunk.old_len or new != hunk.new_len:
            raise PatchError(f"{name}: hunk {len(hunks) + 1} is cut short")
        hunks.append(hunk)
    if not hunks:
        raise PatchError(f"{name}: no hunks: the patch changes nothing")
    return Patch(name, bug, hunks)


def apply_patch(patch: Patch, source: str) -> str:
    """The patched text; a context or removed line that does not match is a PatchError."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    pos = 0  # index into `lines` of the next line not yet copied
    for number, hunk in enumerate(patch.hunks, 1):
        start = hunk.old_start - 1 if hunk.old_len else hunk.old_start
        if start < pos or start > len(lines):
            raise PatchError(
                f"{patch.name}: hunk {number} (@@ -{hunk.old_start}) starts outside "
                "the solution or before the previous hunk ends"
            )
        out += lines[pos:start]
        pos = start
        for line in hunk.lines:
            marker, body = line[0], line[1:]
            if marker == "+":
                out.append(body)
                continue
            have = lines[pos] if pos < len(lines) else None
            if have is None or have.rstrip("\n") != body.rstrip("\n"):
                raise PatchError(
                    f"{patch.name}: hunk {number} (@@ -{hunk.old_start}) does not apply: line "
                    f"{pos + 1} of the solution is {have.rstrip() if have else 'past its end'!r}, "
                    f"the patch expects {body.rstrip()!r}. Rebase the bug onto the current solution."
                )
            if marker == " ":
                out.append(have if not body.endswith("\n") or have.endswith("\n") else have + "\n")
            pos += 1
    out += lines[pos:]
    return "".join(out)


def read_patch(path: Path) -> Patch:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PatchError(f"{path}: cannot read it ({exc})") from None
    return parse_patch(text, str(path))


def patched_source(patch_path: Path, solution: Path) -> str:
    """The wrong module a patch describes: `solution` with the patch applied."""
    return apply_patch(read_patch(patch_path), solution.read_text(encoding="utf-8"))
