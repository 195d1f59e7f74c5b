"""Terminal modes are applied to a real terminal (a pty here) and always restored."""

from __future__ import annotations

import io
import os
import termios

import pytest

from nnquiz.ui.terminal import cbreak, no_echo, terminal_mode


@pytest.fixture
def pty_stream():
    leader, follower = os.openpty()
    stream = os.fdopen(follower, "r")
    yield stream
    stream.close()
    os.close(leader)


def echo_on(stream) -> bool:
    return bool(termios.tcgetattr(stream.fileno())[3] & termios.ECHO)


def line_mode(stream) -> bool:
    return bool(termios.tcgetattr(stream.fileno())[3] & termios.ICANON)


def test_no_echo_keeps_lines_and_is_undone(pty_stream):
    assert echo_on(pty_stream)
    with terminal_mode(pty_stream, no_echo) as is_tty:
        assert is_tty
        assert not echo_on(pty_stream) and line_mode(pty_stream)
    assert echo_on(pty_stream)


def test_the_mode_is_undone_on_ctrl_c(pty_stream):
    with pytest.raises(KeyboardInterrupt), terminal_mode(pty_stream, cbreak):
        assert not echo_on(pty_stream) and not line_mode(pty_stream)
        raise KeyboardInterrupt
    assert echo_on(pty_stream) and line_mode(pty_stream)


def test_a_stream_that_is_no_terminal_is_left_alone():
    touched = []
    with terminal_mode(io.StringIO(""), touched.append) as is_tty:
        assert not is_tty
    assert touched == []
