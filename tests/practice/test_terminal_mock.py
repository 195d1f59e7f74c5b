"""The mock interview at a real terminal (issue 14, item 1): the kata round grades the
workspace file it names, also when the mock created it; it shows the kata's instructions
and a live countdown; a 5-minute mock holds more than 3 questions."""

from __future__ import annotations

import json
import os
import re
import time

from ..conftest import CURRICULUM, MINI_BANK, SUBMISSIONS, run_cli
from ..terminal import Terminal


def test_the_kata_round_grades_the_file_the_mock_created(tmp_path):
    env = {
        "NNQUIZ_HOME": str(tmp_path / "home"),
        "NNQUIZ_QUESTIONS": str(MINI_BANK),
        "NNQUIZ_CONTENT": str(CURRICULUM),
        "NNQUIZ_CACHE": os.environ["NNQUIZ_CACHE"],
    }
    work = tmp_path / "D"
    work.mkdir()
    term = Terminal(["mock", "--minutes", "5", "--kata", "add", "--dir", str(work)], env)
    try:
        handled = 0
        deadline = time.monotonic() + 120
        while "press Enter to grade" not in term.text:
            assert time.monotonic() < deadline and term.proc.poll() is None, term.text
            if term.text.count("> ") > handled:
                handled = term.text.count("> ")
                term.line("")  # don't know: the test is about the kata round
            term._read(0.1)
        asked = max(int(n) for n in re.findall(r"Q\d+/(\d+) · ", term.text))
        assert asked > 3, term.text
        assert "returning a + b" in term.text  # the instructions, inline
        assert (work / "add.py").exists()
        (work / "add.py").write_text((SUBMISSIONS / "add_pass.py").read_text())
        shown = term.text
        time.sleep(2.5)  # the countdown moves while the user works
        term._read(0.2)
        later = term.text[len(shown) :]
        assert re.search(r"0[0-4]:\d\d left", later), later
        term.line("")
        term.expect("Kata add: pass", timeout=120)
        assert term.wait() == 0
    finally:
        term.close()
    last = run_cli(["mock", "--last", "--json"], env=env)
    report = json.loads(last.stdout)
    assert report["kata"]["status"] == "pass" and report["kata"]["passed"] > 0
    assert len(report["questions"]) > 3
