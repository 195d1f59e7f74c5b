"""Pictures of what a kata produced: 8x8 digits as shaded blocks and a 2-D scatter in the
terminal, and the same as a PNG when matplotlib is installed (`pip install -e '.[plot]'`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from nnquiz.errors import DependencyError, UsageError
from nnquiz.katas.catalogue import Kata, load_catalogue
from nnquiz.ui.strings import t

SHADES = " ░▒▓█"
DIGIT_ROWS = ("samples", "originals", "reconstructions")  # titles: pic.<name> in the catalogue


def digit_rows(images: list[list[float]]) -> list[str]:
    """8x8 images (64 values in [0, 1]) side by side, two characters per pixel."""
    rows = []
    for r in range(8):
        parts = []
        for img in images:
            line = ""
            for c in range(8):
                v = min(max(float(img[r * 8 + c]), 0.0), 1.0)
                line += SHADES[min(int(v * len(SHADES)), len(SHADES) - 1)] * 2
            parts.append(line)
        rows.append("  ".join(parts))
    return rows


def _digits_block(console: Console, title: str, images: list[list[float]]) -> None:
    if not images:
        return
    console.print(Text(title, style="bold"))
    per_line = max(1, (console.width + 2) // 18)  # 16 characters a digit, 2 between
    images = images[:8]
    for start in range(0, len(images), per_line):
        for row in digit_rows(images[start : start + per_line]):
            console.print(row, markup=False, highlight=False, soft_wrap=True)


def scatter(
    points: list[list[float]],
    modes: list[list[float]],
    width: int = 61,
    height: int = 25,
    extent: float = 3.0,
) -> list[Text]:
    """Points as dots (denser = heavier), modes as ◎, on a square [-extent, extent] grid."""
    grid = [[0] * width for _ in range(height)]

    def cell(x: float, y: float) -> tuple[int, int] | None:
        col = int((x + extent) / (2 * extent) * (width - 1) + 0.5)
        row = int((extent - y) / (2 * extent) * (height - 1) + 0.5)
        return (row, col) if 0 <= row < height and 0 <= col < width else None

    for x, y in points:
        rc = cell(x, y)
        if rc:
            grid[rc[0]][rc[1]] += 1
    mode_cells = {cell(x, y) for x, y in modes}
    lines = []
    for r in range(height):
        line = Text()
        for c in range(width):
            n = grid[r][c]
            if (r, c) in mode_cells:
                line.append("◎", style="bold red")
            elif n:
                line.append("·" if n < 3 else ("•" if n < 10 else "●"), style="cyan")
            else:
                line.append(" ")
        lines.append(line)
    return lines


def _saved(slug: str, artifacts: dict[str, Any]) -> dict[str, Any] | None:
    """What the suite saved for the picture: artifacts["<slug>"] (a dict), else nothing."""
    data = artifacts.get(slug)
    return data if isinstance(data, dict) else None


def show(console: Console, picture: str, slug: str, artifacts: dict[str, Any]) -> None:
    """Draw the kata's `picture` (kata.yaml: none | scatter | digits) from what its suite
    saved (nothing if it saved nothing)."""
    data = _saved(slug, artifacts)
    if data is None or picture == "none":
        return
    try:
        if picture == "scatter":
            modes = data.get("modes", [])
            console.print(Text(t("pic.scatter_title", n=len(modes)), style="bold"))
            for line in scatter(data.get("points", []), modes):
                console.print(line)
            console.print(
                t(
                    "pic.scatter_line",
                    covered=data.get("covered", "?"),
                    n=len(modes),
                    quality=float(data.get("quality", 0)),
                ),
                markup=False,
            )
        elif picture == "digits":
            for key in DIGIT_ROWS:
                _digits_block(console, t(f"pic.{key}"), data.get(key, []))
    except (TypeError, ValueError, IndexError):
        console.print(t("pic.undrawable"), markup=False)


def check_plottable(kata: Kata) -> None:
    """--plot needs a kata that draws a picture, and matplotlib."""
    if not kata.draws:
        names = [k.slug for k in load_catalogue().values() if k.draws]
        raise UsageError(key="errors.plot_katas", katas=", ".join(names))
    require_matplotlib()


def require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise DependencyError(key="errors.needs_matplotlib") from None


def save_png(console: Console, kata: Kata, artifacts: dict[str, Any], path: Path) -> None:
    """`grade --plot PATH`: write the picture and say so (or why there is none)."""
    written = write_png(kata.picture, kata.slug, artifacts, path)
    console.print(t("pic.wrote", path=written) if written else t("pic.no_picture"), markup=False)


def write_png(picture: str, slug: str, artifacts: dict[str, Any], path: Path) -> Path | None:
    """A PNG of the same pictures; None when the grade produced none (e.g. it failed early)."""
    data = _saved(slug, artifacts)
    if data is None or picture == "none":
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if picture == "scatter":
        fig, ax = plt.subplots(figsize=(5, 5))
        pts = data.get("points", [])
        if pts:
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=4, alpha=0.5, label="generated")
        modes = data.get("modes", [])
        ax.scatter(
            [m[0] for m in modes],
            [m[1] for m in modes],
            s=80,
            marker="x",
            color="red",
            label="modes",
        )
        ax.set_aspect("equal")
        ax.set_title(
            f"{slug}: {data.get('covered', '?')}/{len(modes)} modes, "
            f"quality {float(data.get('quality', 0)):.2f}"
        )
        ax.legend(loc="upper right")
    else:
        rows = [(name, data.get(name, [])[:8]) for name in DIGIT_ROWS if data.get(name)]
        cols = max(len(imgs) for _, imgs in rows)
        fig, axes = plt.subplots(
            len(rows), cols, figsize=(cols * 1.2, len(rows) * 1.3), squeeze=False
        )
        for r, (name, imgs) in enumerate(rows):
            for c in range(cols):
                ax = axes[r][c]
                ax.axis("off")
                if c < len(imgs):
                    ax.imshow(
                        [imgs[c][i * 8 : (i + 1) * 8] for i in range(8)],
                        cmap="gray_r",
                        vmin=0,
                        vmax=1,
                    )
            axes[r][0].set_title(name, fontsize=8, loc="left")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path
