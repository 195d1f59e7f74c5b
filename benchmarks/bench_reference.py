"""The CI check: `nnquiz grade --reference --jobs 2` over every kata, from a cold cache;
and the peak memory of grading the heaviest kata (from the OS's accounting of the child)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from common import NNQUIZ, ROOT, Figure, report

BEFORE_WARM_S = 51.405  # benchmarks/README.md, 2026-11-25: a fresh interpreter per grade
# The catalogue that 51.4 s was measured on (the second curriculum came after it).
FIRST_18 = (
    "knn", "svm", "random-forest", "voting", "mlp", "conv2d", "cnn", "lstm", "autoencoder",
    "text-cnn", "attention", "optimizers", "regularization", "vae", "wgan-gp", "gan-metrics",
    "image-metrics", "gan",
)  # fmt: skip


def reference_run(slugs: tuple[str, ...] = ()) -> tuple[float, list[dict]]:
    """`nnquiz grade --reference --jobs 2 [SLUG...]` from an empty cache: seconds, checks."""
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as home:
        start = time.perf_counter()
        proc = subprocess.run(
            NNQUIZ + ["grade", *slugs, "--reference", "--jobs", "2", "--json"],
            capture_output=True,
            text=True,
            env={**os.environ, "NNQUIZ_CACHE": cache, "NNQUIZ_HOME": home},
            cwd=ROOT,
        )
        took = time.perf_counter() - start
    return took, json.loads(proc.stdout)


def reference_all() -> list[Figure]:
    first, first_checks = reference_run(FIRST_18)
    took, checks = reference_run()
    slowest = max(checks, key=lambda c: c["solution"]["duration_s"] + c["starter"]["duration_s"])
    ok = sum(c["ok"] for c in checks)
    from nnquiz.katas.catalogue import load_catalogue

    limits = {slug: k.time_limit_s for slug, k in load_catalogue().items()}
    share = {c["kata"]: c["solution"]["duration_s"] / limits[c["kata"]] for c in checks}
    worst = max(share, key=share.get)
    return [
        Figure(
            "grade --reference --jobs 2 / before",
            first / BEFORE_WARM_S,
            0.5,
            unit="x",
            note=f"the same 18 katas: {first:.1f}s against {BEFORE_WARM_S:g}s measured before "
            f"the warm worker (2026-11-25), {sum(c['ok'] for c in first_checks)}/18 ok, "
            f"load {os.getloadavg()[0]:.1f}",
        ),
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
