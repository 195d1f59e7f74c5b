"""The CI check: `nnquiz grade --reference --jobs 2` over every kata, from a cold cache;
and the peak memory of grading the heaviest kata (from the OS's accounting of the child).

`/ before` runs the same check with the grader of issue 15's day (before.py: the code at
that commit, a fresh interpreter per grade) over the 18 katas it had, side by side with
today's over those 18: before, now, now, before, each from an empty cache."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from before import BEFORE_COMMIT, BEFORE_DATE, Before, before_grader
from common import NNQUIZ, ROOT, Figure, report

BEFORE_WARM_S = 51.405  # benchmarks/README.md, 2026-11-25 (used only without git history)
# The catalogue that 51.4 s was measured on (the second curriculum came after it).
FIRST_18 = (
    "knn", "svm", "random-forest", "voting", "mlp", "conv2d", "cnn", "lstm", "autoencoder",
    "text-cnn", "attention", "optimizers", "regularization", "vae", "wgan-gp", "gan-metrics",
    "image-metrics", "gan",
)  # fmt: skip


def reference_run(
    slugs: tuple[str, ...] = (), nnquiz: list[str] = NNQUIZ, root: Path = ROOT
) -> tuple[float, list[dict]]:
    """`nnquiz grade --reference --jobs 2 [SLUG...]` from an empty cache: seconds, checks."""
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as home:
        start = time.perf_counter()
        proc = subprocess.run(
            nnquiz + ["grade", *slugs, "--reference", "--jobs", "2", "--json"],
            capture_output=True,
            text=True,
            env={**os.environ, "NNQUIZ_CACHE": cache, "NNQUIZ_HOME": home},
            cwd=root,
        )
        took = time.perf_counter() - start
    return took, json.loads(proc.stdout)


def against_before(before: Before | None) -> Figure:
    """Today's reference check of the first 18 katas against the grader of issue 15's day."""
    if before is None:  # no git history: the figure measured that day
        now, checks = reference_run(FIRST_18)
        return Figure(
            "grade --reference --jobs 2 / before",
            now / BEFORE_WARM_S,
            0.5,
            unit="x",
            note=f"the same 18 katas: {now:.1f}s against {BEFORE_WARM_S:g}s measured on "
            f"{BEFORE_DATE} (commit {BEFORE_COMMIT} is not in this clone), "
            f"{sum(c['ok'] for c in checks)}/18 ok",
        )
    times: dict[str, list[float]] = {"before": [], "now": []}
    oks: dict[str, list[int]] = {"before": [], "now": []}
    for side in ("before", "now", "now", "before"):
        if side == "before":
            took, checks = reference_run((), before.nnquiz, before.root)  # its 18 katas
        else:
            took, checks = reference_run(FIRST_18)
        times[side].append(took)
        oks[side].append(sum(c["ok"] for c in checks))
    then, now = statistics.median(times["before"]), statistics.median(times["now"])
    return Figure(
        "grade --reference --jobs 2 / before",
        now / then,
        0.5,
        unit="x",
        note=f"the same 18 katas, side by side: now {now:.1f}s "
        f"({'/'.join(map(str, oks['now']))} ok), the grader of {BEFORE_DATE} "
        f"(commit {BEFORE_COMMIT}) {then:.1f}s ({'/'.join(map(str, oks['before']))} ok), "
        f"runs {' '.join(f'{t:.1f}' for t in times['now'])} / "
        f"{' '.join(f'{t:.1f}' for t in times['before'])}, load {os.getloadavg()[0]:.1f}",
    )


def reference_all() -> list[Figure]:
    with before_grader() as before:
        first = against_before(before)
    took, checks = reference_run()
    slowest = max(checks, key=lambda c: c["solution"]["duration_s"] + c["starter"]["duration_s"])
    ok = sum(c["ok"] for c in checks)
    from nnquiz.katas.catalogue import load_catalogue

    limits = {slug: k.time_limit_s for slug, k in load_catalogue().items()}
    share = {c["kata"]: c["solution"]["duration_s"] / limits[c["kata"]] for c in checks}
    worst = max(share, key=share.get)
    return [
        first,
        Figure(
            "grade --reference --jobs 2 (all)",
            took,
            300,
            note=f"{ok}/{len(checks)} katas ok; slowest: "
            f"{slowest['kata']} {slowest['solution']['duration_s']:.1f}s + starter "
            f"{slowest['starter']['duration_s']:.1f}s",
        ),
        Figure("reference check: katas ok", ok, len(checks), unit="", higher_is_better=True),
        Figure(
            "reference run / time limit (worst)",
            share[worst],
            1 / 3,
            unit="x",
            note=f"{worst}: {share[worst] * limits[worst]:.1f}s of {limits[worst]:g}s, cold cache, --jobs 2",
        ),
    ]


def peak_memory(slug: str) -> float:
    """Max resident set (MiB) of the grading processes, measured in a fresh child."""
    code = (
        "import resource, subprocess, sys\n"
        f"subprocess.run({NNQUIZ + ['grade', slug, '--file', str(ROOT / 'solutions' / (slug + '.py'))]!r},"
        " capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "NNQUIZ_HOME": home},
            cwd=ROOT,
        )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def memory() -> list[Figure]:
    candidates = [
        s
        for s in ("cnn", "text-cnn", "vae", "gan", "lstm", "autoencoder", "knn")
        if (ROOT / "katas" / s).is_dir()
    ]
    peaks = {s: peak_memory(s) for s in candidates}
    heaviest = max(peaks, key=peaks.get)
    limit_mib = 6 * 1024
    return [
        Figure(
            "peak memory, heaviest kata",
            peaks[heaviest],
            limit_mib,
            unit="MiB",
            note=f"{heaviest}; the grader's address-space limit is {limit_mib} MiB; "
            + ", ".join(f"{k} {v:.0f}" for k, v in sorted(peaks.items())),
        )
    ]


def run() -> list[Figure]:
    return reference_all() + memory()


if __name__ == "__main__":
    sys.exit(report(run()))
