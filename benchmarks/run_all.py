"""Run every benchmark; one line per figure: name, value, target, ok|SHORT. Exit 0 when all are ok.

python benchmarks/run_all.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_grading
import bench_reference
import bench_startup
import bench_warm
from common import report


def main() -> int:
    figures = []
    for module in (bench_startup, bench_grading, bench_warm, bench_reference):
        print(f"# {module.__name__}", flush=True)
        got = module.run()
        report(got)
        figures += got
    short = [f for f in figures if not f.ok]
    print(f"# {len(figures) - len(short)} of {len(figures)} figures ok")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
