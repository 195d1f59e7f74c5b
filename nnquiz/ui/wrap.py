"""Line breaking that suits Chinese as well as English.

rich breaks lines only at spaces, so a Chinese sentence moves whole to the next line (leaving a
short one) and a full-width comma can start a line. Here a line may break between any two CJK
characters or at a space, but never before closing punctuation (，。、；：？！）」』】》 ...), never
after opening punctuation (（「『【《 ...), and never between a number and its unit ("12 GB",
"100 个", "3秒", "50%"). `Wrapped` is a rich renderable that wraps to the width it is given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

CLOSING = set("，。、；：？！）」』】》〉〕｝］”’…—·%‰,.;:!?)]}") | {"\u30fc"}
OPENING = set("（「『【《〈〔｛［“‘([{")
_NUMBER = re.compile(r"^[+\-−]?[\d][\d.,:/]*%?$")
_UNIT = re.compile(r"^[A-Za-zμ°Ω]{1,5}[,.;:!?)]*$")


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def cells(text: str) -> int:
    return sum(2 if is_wide(ch) else (0 if unicodedata.combining(ch) else 1) for ch in text)


def _atoms(paragraph: str) -> list[tuple[str, str]]:
    """(separator before, atom): spaces separate; each wide character is an atom of its own;
    a run of other characters is one atom."""
    out: list[tuple[str, str]] = []
    sep = ""
    run = ""
    for ch in paragraph:
        if ch == " " or ch == "\t":
            if run:
                out.append((sep, run))
                run, sep = "", ""
            sep = " "
        elif is_wide(ch) or ch in CLOSING or ch in OPENING:
            if run:
                out.append((sep, run))
                run, sep = "", ""
            out.append((sep, ch))
            sep = ""
        else:
            run += ch
    if run:
        out.append((sep, run))
    return out


def _units(paragraph: str) -> list[tuple[str, str]]:
    """Atoms glued into the pieces a line may not break inside."""
    units: list[tuple[str, str]] = []
    glue_next = False
    for sep, atom in _atoms(paragraph):
        prev = units[-1][1] if units else None
        glue = glue_next or (
            prev is not None
            and (
                atom[0] in CLOSING
                or (not sep and not is_wide(atom[0]) and not is_wide(prev[-1]))  # one word
                or (_NUMBER.match(_last_word(prev)) is not None and _is_unit(atom))
            )
        )
        if glue and units:
            units[-1] = (units[-1][0], units[-1][1] + sep + atom)
        else:
            units.append((sep, atom))
        glue_next = atom[-1] in OPENING
    return units


def _last_word(text: str) -> str:
    return re.split(r"[ \u3400-\u9fff（(]", text)[-1]


def _is_unit(atom: str) -> bool:
    return (is_wide(atom[0]) and atom[0] not in OPENING) or _UNIT.match(atom) is not None


def wrap(text: str, width: int) -> list[str]:
    """`text` broken into lines of at most `width` cells (a piece wider than that is cut
    between characters); newlines in `text` are kept."""
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for sep, unit in _units(paragraph):
            add = cells(sep) + cells(unit) if line else cells(unit)
            if line and used + add <= width:
                line, used = line + sep + unit, used + add
                continue
            if line:
                lines.append(line)
            line, used = "", 0
            for ch in unit:  # only a piece wider than a whole line is cut inside
                w = cells(ch)
                if line and used + w > width:
                    lines.append(line)
                    line, used = "", 0
                line, used = line + ch, used + w
        lines.append(line.rstrip())
    return lines


class Wrapped:
    """Text wrapped by `wrap` to the width rich gives it, after an optional prefix (`a) `)
    whose width the following lines are indented by."""

    def __init__(self, text: str, style: str = "", prefix: str = "", prefix_style: str = ""):
        if not prefix:  # an indented bullet ("  ✓ ", "  • ") hangs like a prefix
            bullet = re.match(r"^( +\S{1,2} )(?=\S)", text)
            if bullet:
                prefix, prefix_style, text = bullet.group(1), style, text[bullet.end() :]
        self.text, self.style, self.prefix, self.prefix_style = text, style, prefix, prefix_style

    def __str__(self) -> str:  # a plain console prints it unwrapped
        return self.prefix + self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        from rich.segment import Segment
        from rich.style import Style

        style = console.get_style(self.style) if self.style else Style()
        prefix_style = console.get_style(self.prefix_style) if self.prefix_style else Style()
        indent = cells(self.prefix)
        for i, line in enumerate(wrap(self.text, options.max_width - indent)):
            if indent:
                yield Segment(self.prefix if i == 0 else " " * indent, prefix_style)
            yield Segment(line, style)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Any:
        from rich.measure import Measurement

        longest = max((cells(x) for x in self.text.split("\n")), default=0)
        return Measurement(
            min(4, options.max_width), min(longest + cells(self.prefix), options.max_width)
        )


def wrap_styled(text: Any, width: int) -> list[Any]:
    """A rich Text broken as `wrap` breaks its plain text, keeping its styles; rich's own
    wrapping when the two cannot be lined up (tabs, say)."""
    plain: str = text.plain
    out: list[Any] = []
    start_of_paragraph = 0
    for paragraph in plain.split("\n"):
        pos = start_of_paragraph
        for line in wrap(paragraph, width):
            if line:
                while pos < len(plain) and plain[pos] == " " and not plain.startswith(line, pos):
                    pos += 1
                if not plain.startswith(line, pos):
                    return list(text.wrap_lines(width)) if hasattr(text, "wrap_lines") else [text]
            out.append(text[pos : pos + len(line)])
            pos += len(line)
        start_of_paragraph += len(paragraph) + 1
    return out


class WrappedText:
    """A styled rich Text wrapped by `wrap_styled` to the width rich gives it."""

    def __init__(self, text: Any) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        for line in wrap_styled(self.text, options.max_width):
            line.end = "\n"
            yield line


def markdown(source: str) -> Any:
    """rich's Markdown whose paragraphs (list items too) break like `wrap`: Chinese
    instructions wrap between characters."""
    from rich.markdown import Markdown, Paragraph

    class _Paragraph(Paragraph):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
            self.text.justify = self.justify
            yield WrappedText(self.text)

    class _Markdown(Markdown):
        elements: ClassVar[dict[str, type[Any]]] = {
            **Markdown.elements,
            "paragraph_open": _Paragraph,
        }

    return _Markdown(source)
