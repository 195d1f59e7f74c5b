"""What the grading child may see and use: static checks, environment, resource limits."""

from __future__ import annotations

import ast
import contextlib
import os
import resource
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

# Environment variables passed through to the child as they are; everything else is dropped.
PASS_THROUGH = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
MEMORY_LIMIT_BYTES = 6 * 1024**3  # address-space backstop: torch alone maps ~0.5 GB
FILE_SIZE_LIMIT_BYTES = 256 * 1024**2
OPEN_FILES_LIMIT = 1024


@dataclass(frozen=True)
class StaticProblem:
    """Why a file was refused before any test ran."""

    kind: str  # "syntax error" | "forbidden import"
    line: int
    message: str


def check_source(source: str, filename: str, allowed: tuple[str, ...]) -> StaticProblem | None:
    """A syntax error or the first import outside the standard library and `allowed`."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        line = exc.lineno or 1
        return StaticProblem("syntax error", line, f"line {line}: {exc.msg}")
    except ValueError as exc:  # e.g. null bytes
        return StaticProblem("syntax error", 1, f"line 1: {exc}")
    ok = set(sys.stdlib_module_names) | set(allowed) | {"__future__"}
    for node in ast.walk(tree):
        names: list[str] = []
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                return StaticProblem(
                    "forbidden import",
                    node.lineno,
                    f"line {node.lineno}: relative import; the kata is a single module",
                )
            names = [node.module or ""]
        for name in names:
            top = name.split(".")[0]
            if top not in ok:
                allowed_text = ", ".join(allowed) if allowed else "nothing beyond it"
                return StaticProblem(
                    "forbidden import",
                    node.lineno,
                    f"line {node.lineno}: `{name}` is not allowed in this kata "
                    f"(allowed: the standard library and {allowed_text})",
                )
    return None


def child_env(workdir: Path, threads: int, extra: dict[str, str]) -> dict[str, str]:
    """A curated environment: no PYTHONPATH or PYTEST_ADDOPTS, HOME inside the temp dir."""
    env = {k: os.environ[k] for k in PASS_THROUGH if k in os.environ}
    env.setdefault("PATH", os.defpath)
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "TMPDIR": str(workdir),
            "MPLCONFIGDIR": str(home / ".mpl"),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
            "OMP_WAIT_POLICY": "PASSIVE",  # idle OpenMP threads sleep instead of spinning
        }
    )
    env.update({var: str(threads) for var in THREAD_VARS})
    env.update(extra)
    return env


def limit_child(cpu_seconds: int, memory_bytes: int = MEMORY_LIMIT_BYTES) -> None:
    """Run in the child before exec (preexec_fn): resource limits that survive exec."""

    def cap(which: int, value: int) -> None:
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, value if hard == resource.RLIM_INFINITY else hard))

    cap(resource.RLIMIT_CPU, cpu_seconds)
    cap(resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT_BYTES)
    cap(resource.RLIMIT_NOFILE, OPEN_FILES_LIMIT)
    cap(resource.RLIMIT_AS, memory_bytes)
    cap(resource.RLIMIT_CORE, 0)
    # A write past the file-size limit fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
