"""Run `python -m nnquiz` in a real pseudo-terminal, as a person at a terminal would: the
interactive paths (prompts, re-asks, Ctrl-C, the mock's countdown) only run there."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r")


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT):
        master, slave = pty.openpty()
        os.set_blocking(master, False)
        full_env = {**os.environ, "COLUMNS": "100", "LINES": "30", "TERM": "xterm"}
        full_env.pop("NO_COLOR", None)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nnquiz", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.raw = b""

    @property
    def text(self) -> str:
        """Everything shown so far, without colours and cursor codes."""
        return _ANSI.sub("", self.raw.decode("utf-8", "replace"))

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            self.raw += chunk

    def expect(self, needle: str, timeout: float = 60) -> str:
        """Wait until `needle` has been shown (after what was already seen); return the text."""
        end = time.monotonic() + timeout
        while needle not in self.text:
            if time.monotonic() > end:
                self._read(0.2)  # what came while this process was not scheduled
                if needle in self.text:
                    break
                raise AssertionError(
                    f"{needle!r} not shown in {timeout}s; {self._state()}; screen:\n{self.text}"
                )
            if self.proc.poll() is not None:
                self._read(0.2)
                if needle not in self.text:
                    raise AssertionError(f"exited before {needle!r}; screen:\n{self.text}")
                break
            self._read(0.1)
        return self.text

    def _state(self) -> str:
        """The program's state for a failure message: running or sleeping, in which kernel
        call, with which signals ignored, blocked or caught, and the terminal's modes."""
        pid = self.proc.pid
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            wchan = Path(f"/proc/{pid}/wchan").read_text()
        except OSError:
            return f"pid {pid} gone"
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        shown = ", ".join(
            f"{k} {fields[k].strip()}" for k in ("State", "Threads", "SigIgn", "SigBlk", "SigCgt")
        )
        try:
            lflag = termios.tcgetattr(self.master)[3]
            modes = f"ICANON {bool(lflag & termios.ICANON)}, ECHO {bool(lflag & termios.ECHO)}"
        except (termios.error, OSError):
            modes = "terminal modes unknown"
        return f"pid {pid}: {shown}, wchan {wchan or '?'}, {modes}"

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def line(self, text: str = "") -> None:
        self.send(text + "\r")

    def interrupt(self) -> None:
        """Ctrl-C, as the terminal sends it: SIGINT to the foreground process."""
        os.killpg(self.proc.pid, signal.SIGINT)

    def wait(self, timeout: float = 60) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            self._read(0.1)
        if self.proc.poll() is None:
            state = self._state()
            self.close()
            raise AssertionError(f"still running after {timeout}s; {state}; screen:\n{self.text}")
        self._read(0.1)
        return self.proc.returncode

    def close(self) -> None:
        """Kill what still runs and close the terminal; a second call does nothing (the fd
        number may already belong to another file by then)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
