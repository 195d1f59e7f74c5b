"""Terminal modes for the live screens (watch, the mock's countdown), always restored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def terminal_mode(stream: Any, change: Callable[[int], object]) -> Iterator[bool]:
    """Apply `change(fd)` to the terminal behind `stream` and restore its settings on the way
    out (Ctrl-C included). Yields whether it is a terminal; a pipe or a test's stream is
    left as it is."""
    try:
        fd = stream.fileno() if stream.isatty() else -1
    except (AttributeError, OSError, ValueError):
        fd = -1
    if fd < 0:
        yield False
        return
    import termios

    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        yield False
        return
    try:
        change(fd)
        yield True
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def no_echo(fd: int) -> None:
    """Lines as usual (Enter ends one) but nothing typed is echoed: a live display stays
    where it was drawn, so it can clear itself."""
    import termios

    attrs = termios.tcgetattr(fd)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def cbreak(fd: int) -> None:
    """Single key presses, no echo."""
    import tty

    tty.setcbreak(fd)
