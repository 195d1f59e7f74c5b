"""Start-up: `nnquiz --help` and a scripted `nnquiz ask` up to its first question,
against a bare `python -c "import typer, rich"` measured in the same loop."""

from __future__ import annotations

import sys
import tempfile

from common import NNQUIZ, PY, Figure, medians, report

RUNS = 15


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as home:
        env = {"NNQUIZ_HOME": home}
        # untimed runs fill the parsed-bank cache and the bytecode caches, as any earlier use would
        medians(
            {"warm": NNQUIZ + ["ask", "--count", "1"], "help": NNQUIZ + ["--help"], "home": NNQUIZ},
            1,
            env=env,
            stdin="",
        )
        m = medians(
            {
                "bare": [PY, "-c", "import typer, rich"],
                "help": NNQUIZ + ["--help"],
                # stdin at end of input: ask prints its first question, then ends
                "ask": NNQUIZ + ["ask", "--count", "1"],
                "home": NNQUIZ,
            },
            RUNS,
            env=env,
            stdin="",
        )
    return [
        Figure("nnquiz --help", m["help"], 0.25),
        Figure(
            "nnquiz --help / bare import",
            m["help"] / m["bare"],
            1.5,
            unit="x",
            note=f"bare import {m['bare']:.3f}s",
        ),
        Figure("ask: first question shown", m["ask"], 0.25),
        Figure("ask / bare import", m["ask"] / m["bare"], 1.5, unit="x"),
        Figure("home screen (bare nnquiz)", m["home"], 0.3),
    ]


if __name__ == "__main__":
    sys.exit(report(run()))
