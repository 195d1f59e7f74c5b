"""Where time comes from: one small object, so tests (and replays) can pass their own."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone


class Clock:
    """The system clock: wall time in UTC for records, a monotonic counter for durations."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def now_iso(self) -> str:
        """Now in UTC, to the second (the form stored in the progress database)."""
        return self.now().replace(microsecond=0).isoformat(timespec="seconds")


@dataclass
class FixedClock(Clock):
    """A clock that stands still until moved: `advance(seconds)`."""

    at: datetime
    counter: float = 0.0

    def now(self) -> datetime:
        return self.at

    def monotonic(self) -> float:
        return self.counter

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)
        self.counter += seconds


_system = Clock()


def system_clock() -> Clock:
    """The clock services use when none is passed."""
    return _system
