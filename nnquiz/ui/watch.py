"""`nnquiz watch`: re-grade the workspace file each time it is saved (polls its mtime)."""

from __future__ import annotations

import os
import select
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from nnquiz.errors import UsageError
from nnquiz.grading.service import grade_and_record
from nnquiz.katas import workspace
from nnquiz.katas.catalogue import Kata
from nnquiz.store import Store


class Keys:
    """Single key presses from a terminal (cbreak mode), or lines from a pipe."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.closed = False

    def read(self, timeout: float) -> str:
        if self.closed:
            time.sleep(timeout)
            return ""
        try:
            ready, _, _ = select.select([self.stream], [], [], timeout)
        except (ValueError, OSError, TypeError):  # no real file descriptor (tests)
            time.sleep(timeout)
            return ""
        if not ready:
            return ""
        data = os.read(self.stream.fileno(), 1 if self.tty else 256).decode(errors="ignore")
        if not data:
            self.closed = True
        return data.strip()[:1].lower()


@contextmanager
def key_reader(stream: Any) -> Iterator[Keys]:
    keys = Keys(stream)
    if not keys.tty:
        yield keys
        return
    from nnquiz.ui.terminal import cbreak, terminal_mode

    with terminal_mode(stream, cbreak):
        yield keys


class _Stop:
    """`q` while a grade runs: a thread reads the keys and interrupts the main thread, which
    is waiting on the grading child (the grader kills the child on an interrupt)."""

    def __init__(self, keys: Keys) -> None:
        self.keys = keys
        self.requested = False

    @contextmanager
    def watching(self) -> Iterator[None]:
        import _thread
        import threading

        done = threading.Event()

        def read() -> None:
            while not done.is_set():
                if self.keys.read(0.05) == "q":
                    self.requested = True
                    _thread.interrupt_main()
                    return

        thread = threading.Thread(target=read, daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()


@contextmanager
def _stoppable(keys: Keys) -> Iterator[_Stop]:
    stop = _Stop(keys)
    try:
        yield stop
    except KeyboardInterrupt:
        if not stop.requested:  # Ctrl-C: the caller's to handle
            raise


def watch(
    store: Store,
    kata: Kata,
    file: Path,
    console: Any,
    lang: str,
    *,
    interval: float = 0.02,
    max_runs: int | None = None,
    stream: Any = None,
    record: bool = True,
) -> int:
    """Returns the number of grades run. `record`: the file is the user's workspace file
    (its grades are their attempts). `q` quits, also in the middle of a grade."""
    from nnquiz.ui import kata_view
    from nnquiz.ui.strings import t

    if not file.exists():
        raise UsageError(key="errors.watch_no_file", file=file, slug=kata.slug)
    runs = 0
    last: float | None = None
    with key_reader(stream or sys.stdin) as keys, _stoppable(keys) as stop:
        while True:
            try:
                mtime = file.stat().st_mtime_ns
            except FileNotFoundError:
                mtime = -1
            if mtime != last:
                last = mtime
                console.clear()
                if mtime == -1:
                    console.print(t("watch.removed", lang=lang, file=file), markup=False)
                else:
                    try:
                        with (
                            stop.watching(),
                            kata_view.grading_status(
                                console, kata.slug, lang, stoppable=True
                            ) as on_event,
                        ):
                            result = grade_and_record(
                                store, kata, file, warm=True, on_event=on_event, record=record
                            )
                    except KeyboardInterrupt:
                        if stop.requested:
                            return runs
                        raise
                    kata_view.grade_result(console, result, kata, lang, recorded=record)
                runs += 1
                console.print(t("watch.footer", lang=lang, file=file), style="dim", markup=False)
                if max_runs is not None and runs >= max_runs:
                    return runs
            key = keys.read(interval)
            if key == "q":
                return runs
            if key == "h":
                hint = workspace.next_hint(store, kata)
                if hint.text is None:
                    console.print(t("watch.hints_done", lang=lang, slug=kata.slug), markup=False)
                else:
                    from nnquiz.ui.wrap import Wrapped

                    label = t("kata.hint", lang=lang, n=hint.number, total=hint.total)
                    console.print(
                        Wrapped(
                            hint.text.get(lang, hint.text["en"]), prefix=label, prefix_style="bold"
                        )
                    )
