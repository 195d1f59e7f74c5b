"""A timed mock interview: concept questions weighted toward weak topics, then one kata."""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from nnquiz import bank, kata_service, katas, progress
from nnquiz.errors import UsageError
from nnquiz.quiz_session import Reader, ask_one
from nnquiz.store import Store, now_iso

QUESTION_SHARE = 0.6  # of the minutes, for concept questions; the rest is the kata's
SECONDS_PER_QUESTION = 90


def weighted_questions(pool: list[bank.Question], accuracy: dict[str, float], count: int,
                       rng: random.Random) -> list[bank.Question]:
    """Sample without replacement, a topic's weight growing with its error rate."""
    by_topic: dict[str, list[bank.Question]] = defaultdict(list)
    for q in pool:
        by_topic[q.topic].append(q)
    for qs in by_topic.values():
        rng.shuffle(qs)
    chosen: list[bank.Question] = []
    while len(chosen) < count and any(by_topic.values()):
        topics = [t for t, qs in by_topic.items() if qs]
        weights = [1.0 + 2.0 * (1.0 - accuracy[t]) if t in accuracy else 1.5 for t in topics]
        topic = rng.choices(topics, weights)[0]
        chosen.append(by_topic[topic].pop())
    return chosen


def pick_kata(store: Store, catalogue: dict[str, katas.Kata], slug: str | None) -> katas.Kata:
    if slug:
        return katas.get_kata(slug, catalogue)
    status = store.kata_status()
    solved = sum(1 for s in status.values() if s["status"] == "pass")
    level = 1 if solved < 3 else (2 if solved < 10 else 3)
    open_katas = [k for k in catalogue.values() if status.get(k.slug, {}).get("status") != "pass"]
    for k in sorted(open_katas, key=lambda k: (abs(k.difficulty - level), k.difficulty, k.slug)):
        return k
    return next(iter(catalogue.values()))


def run_mock(store: Store, *, minutes: float, topics: list[str], kata_slug: str | None, lang: str,
             seed: int | None, workdir: Path | None, console: Any, stream: IO[str] | None = None) -> dict[str, Any]:

    if minutes <= 0:
        raise UsageError(f"--minutes must be a positive number (got {minutes:g})")
    stream = stream or sys.stdin
    catalogue = katas.load_catalogue()
    kata = pick_kata(store, catalogue, kata_slug)
    pool = bank.filter_questions(bank.load_bank(), topics=topics)
    if not pool:
        raise UsageError("no question matches those topics")
    rng = random.Random(seed)
    accuracy = {t: r["accuracy"] for t, r in progress.stats(store)["topics"].items()}
    budget = minutes * 60.0
    count = max(3, int(budget * QUESTION_SHARE // SECONDS_PER_QUESTION))
    questions = weighted_questions(pool, accuracy, count, rng)
    interactive = stream.isatty() and console.is_terminal
    plain = not interactive
    if plain:
        console.soft_wrap = True
    reader = Reader(console, stream, interactive)
    start = time.monotonic()
    deadline = start + budget
    session = "mock-" + uuid.uuid4().hex[:8]
    asked: list[dict[str, Any]] = []
    stopped = ""

    def left() -> str:
        secs = max(0, int(deadline - time.monotonic()))
        return f"{secs // 60:02d}:{secs % 60:02d} left"

    try:
        for n, q in enumerate(questions, 1):
            if time.monotonic() > start + budget * QUESTION_SHARE and n > 1:
                stopped = "question time over"
                break
            console.print(f"[bold yellow]⏱ {left()}[/bold yellow]" if not plain else f"[{left()}]", markup=not plain)
            one = ask_one(store, reader, console, q, n, len(questions), lang, plain, seed, session)
            if one is None:
                stopped = "end of input"
                break
            asked.append({"id": q.id, "topic": q.topic, "score": round(one.score, 3), "seconds": round(one.seconds, 1)})
    except KeyboardInterrupt:
        stopped = "interrupted"
    kata_result = _kata_part(store, kata, workdir, reader, console, interactive, left)
    report = build_report(asked, kata_result, minutes, time.monotonic() - start, stopped)
    store.save_mock(report)
    return report


def _kata_part(store: Store, kata: katas.Kata, workdir: Path | None, reader: Reader, console: Any,
               interactive: bool, left: Any) -> dict[str, Any]:
    from nnquiz.grader import grade

    ws = kata_service.create_workspace(kata, workdir)
    console.print(f"\nKata: {kata.slug} — {kata.title['en']} ({'★' * kata.difficulty}). "
                  f"Your file: {ws.file} · {left()}", markup=False)
    if interactive:
        console.print(f"Solve it in your editor, then press Enter to grade (instructions: nnquiz kata {kata.slug}).",
                      markup=False)
        try:
            reader.answer()
        except KeyboardInterrupt:
            return {"slug": kata.slug, "status": "skipped", "passed": 0, "total": 0, "file": str(ws.file)}
    if ws.created:
        return {"slug": kata.slug, "status": "not attempted", "passed": 0, "total": 0, "file": str(ws.file),
                "next": f"nnquiz kata {kata.slug}"}
    result = grade(kata, ws.file)
    store.record_attempt(kata.slug, result.status, result.counts, result.duration_s, str(ws.file))
    return {"slug": kata.slug, "status": result.status, "passed": result.counts.get("passed", 0),
            "total": result.counts.get("total", 0), "file": str(ws.file)}


def build_report(asked: list[dict[str, Any]], kata: dict[str, Any], minutes: float, seconds: float,
                 stopped: str) -> dict[str, Any]:
    per: dict[str, list[float]] = defaultdict(list)
    for a in asked:
        per[a["topic"]].append(a["score"])
    topics = {t: {"asked": len(s), "score_pct": round(100 * sum(s) / len(s), 1)} for t, s in sorted(per.items())}
    review_next = sorted({a["id"] for a in asked if a["score"] < 0.5})
    weak = [t for t, r in sorted(topics.items(), key=lambda kv: kv[1]["score_pct"]) if r["score_pct"] < 70]
    return {
        "created_at": now_iso(), "minutes": minutes, "seconds": round(seconds, 1), "stopped": stopped,
        "questions": asked, "topics": topics,
        "score_pct": round(100 * sum(a["score"] for a in asked) / len(asked), 1) if asked else 0.0,
        "kata": kata, "review_next": review_next,
        "suggest": ([f"nnquiz ask --topic {weak[0]}"] if weak else []) +
                   ([kata.get("next") or f"nnquiz grade {kata['slug']}"] if kata.get("status") != "pass" else []),
    }


def render_report(console: Any, report: dict[str, Any]) -> None:
    from rich.table import Table

    console.print(f"\nMock interview report ({report['created_at']}): {len(report['questions'])} questions, "
                  f"score {report['score_pct']:.0f}%, {report['seconds']:.0f}s of {report['minutes']:g} min"
                  + (f" (stopped: {report['stopped']})" if report["stopped"] else ""), markup=False)
    table = Table(title="Score per topic", title_justify="left")
    table.add_column("topic")
    table.add_column("asked", justify="right")
    table.add_column("score", justify="right")
    for t, r in report["topics"].items():
        table.add_row(t, str(r["asked"]), f"{r['score_pct']:.0f}%")
    console.print(table)
    table = Table(title="Time per question", title_justify="left")
    for col in ("question", "topic", "score", "seconds"):
        table.add_column(col)
    for q in report["questions"]:
        table.add_row(q["id"], q["topic"], f"{100 * q['score']:.0f}%", f"{q['seconds']:.1f}")
    console.print(table)
    k = report["kata"]
    console.print(f"Kata {k['slug']}: {k['status']}" + (f" ({k['passed']}/{k['total']} tests)" if k["total"] else ""),
                  markup=False)
    if report["review_next"]:
        console.print("Review next: " + ", ".join(report["review_next"]), markup=False)
    for cmd in report["suggest"]:
        console.print(f"  {cmd}", markup=False)
