"""Shared helpers for the benchmarks: time commands, take medians, print result lines."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
_SCRIPT = Path(PY).with_name("nnquiz")
NNQUIZ = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "nnquiz"]  # what users run


@dataclass
class Figure:
    name: str
    value: float
    target: float
    unit: str = "s"
    higher_is_better: bool = False
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        cmp = ">=" if self.higher_is_better else "<="
        text = (
            f"{self.name:<34} {self.value:>9.3f}{self.unit:<3} {cmp} {self.target:g}{self.unit:<3} "
            f"{'ok' if self.ok else 'SHORT'}"
        )
        return text + (f"   ({self.note})" if self.note else "")


def timed(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    cwd: Path = ROOT,
    check: bool = False,
) -> float:
    """Wall-clock seconds of one run of `cmd`."""
    full_env = {**os.environ, **(env or {})}
    # as on a user's machine: Python caches compiled bytecode (some sandboxes turn that off)
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=full_env, cwd=cwd)
    took = time.perf_counter() - start
    if check and proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return took


def medians(cmds: dict[str, list[str]], runs: int, **kw) -> dict[str, float]:
    """Interleave the commands run by run (so load affects all alike); median per command."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            times[key].append(timed(cmd, **kw))
    return {k: statistics.median(v) for k, v in times.items()}


def report(figures: list[Figure]) -> int:
    for f in figures:
        print(f.line(), flush=True)
    return 0 if all(f.ok for f in figures) else 1
