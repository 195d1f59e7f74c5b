"""Terminal pictures and PNGs of what generative katas produce."""

from __future__ import annotations

import math
import sys

from rich.console import Console

from nnquiz.katas.catalogue import load_catalogue
from nnquiz.ui import pictures
from nnquiz.ui.cli import app

MODES = [[2 * math.cos(2 * math.pi * i / 8), 2 * math.sin(2 * math.pi * i / 8)] for i in range(8)]
GAN = {
    "gan": {
        "points": [[x + 0.01, y] for x, y in MODES[:6]] * 20,
        "modes": MODES,
        "covered": 6,
        "quality": 0.75,
        "std": 0.05,
    }
}
DIGITS = [[(i % 8) / 7 for i in range(64)], [1 - (i // 8) / 7 for i in range(64)]]
VAE = {"vae": {"samples": DIGITS * 4, "originals": DIGITS, "reconstructions": DIGITS}}


def test_gan_scatter_marks_modes_and_points():
    console = Console(record=True, width=80)
    pictures.show(console, "scatter", "gan", GAN)
    text = console.export_text()
    assert text.count("◎") == 8 + 1  # the modes, and the legend
    assert "modes covered: 6/8" in text and "0.75" in text


def test_digits_are_shaded_blocks_that_fit_the_width():
    console = Console(record=True, width=40)
    pictures.show(console, "digits", "vae", VAE)
    lines = console.export_text().splitlines()
    assert "Samples from the prior:" in lines[0]
    assert all(len(line) <= 40 for line in lines)
    assert any("██" in line for line in lines) and any("░░" in line for line in lines)


def test_nothing_saved_draws_nothing():
    console = Console(record=True)
    pictures.show(console, "scatter", "gan", {})
    assert console.export_text() == ""


def test_png_is_written(tmp_path):
    for picture, slug, data in (("scatter", "gan", GAN), ("digits", "vae", VAE)):
        out = pictures.write_png(picture, slug, data, tmp_path / f"{slug}.png")
        assert out is not None and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


CATALOGUE = load_catalogue()
DRAWING = [k.slug for k in CATALOGUE.values() if k.draws]
NOT_DRAWING = [k.slug for k in CATALOGUE.values() if not k.draws]


def test_plot_without_matplotlib_says_how_to_install(runner, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails as if not installed
    result = runner.invoke(
        app, ["grade", DRAWING[0], "--file", str(tmp_path / "x.py"), "--plot", "out.png"]
    )
    assert result.exit_code == 2
    assert "pip install matplotlib" in result.output and "pip install -e '.[plot]'" in result.output


def test_plot_only_for_katas_that_draw(runner, tmp_path):
    result = runner.invoke(
        app, ["grade", NOT_DRAWING[0], "--file", str(tmp_path / "x.py"), "--plot", "out.png"]
    )
    assert result.exit_code == 2
    assert "--plot works for the " in result.output
    assert all(slug in result.output for slug in DRAWING)
