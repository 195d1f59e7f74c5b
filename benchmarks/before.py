"""The grader as it was when issue 15 was filed, run side by side with today's.

Issue 15's targets are ratios to "today's cold `nnquiz grade`" and "today's 51 s" of
`grade --reference --jobs 2`: the code at BEFORE_COMMIT (2026-11-25, 18 katas, a fresh
interpreter per grade). A constant measured on another day moves with the machine's load,
so the benchmarks run that code itself, interleaved with today's: the commit's files are
unpacked from git into a temporary folder, with a venv that sees them first and this
interpreter's installed libraries (numpy, scikit-learn, torch, pytest) after them.
"""

from __future__ import annotations

import compileall
import io
import subprocess
import sysconfig
import tarfile
import tempfile
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from common import ROOT

BEFORE_COMMIT = "92c4ea6"  # "benchmark figures recorded in benchmarks/README.md", 2026-11-25
BEFORE_DATE = "2026-11-25"


@dataclass(frozen=True)
class Before:
    """How to run the grader of BEFORE_COMMIT: its command line and its content root."""

    nnquiz: list[str]
    root: Path

    def has_kata(self, slug: str) -> bool:
        return (self.root / "katas" / slug / "kata.yaml").is_file()


@contextmanager
def before_grader() -> Iterator[Before | None]:
    """Unpack BEFORE_COMMIT and yield how to run it; None when this checkout lacks that
    commit (a shallow clone, an unpacked wheel, no git): the callers then say so."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", BEFORE_COMMIT],
            capture_output=True,
        )
    except OSError:  # no git
        archive = None
    if archive is None or archive.returncode != 0:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="nnquiz-before-") as tmp:
        tree = Path(tmp) / "tree"
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tree, filter="data")
        compileall.compile_dir(tree / "nnquiz", quiet=1)  # as an installed package would be
        env_dir = Path(tmp) / "venv"
        venv.create(env_dir, with_pip=False)
        python = env_dir / "bin" / "python"
        site = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # Its own package first, then the libraries this interpreter has (not this
        # checkout's nnquiz: an editable install's finder is a .pth hook that a path
        # listed here does not run).
        libs = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
        (Path(site) / "_nnquiz_before.pth").write_text("\n".join([str(tree), *libs]) + "\n")
        yield Before([str(python), "-m", "nnquiz"], tree)
