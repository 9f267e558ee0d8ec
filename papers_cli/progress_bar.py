"""The live progress bar `papers backfill` shows on a terminal (rich.progress)."""

from __future__ import annotations

import time

from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn
from rich.text import Text

from papers_cli.progress import BackfillProgress, DayTally


class TerminalProgress(BackfillProgress):
    """A live rich progress bar over the days, with failed days and finished runs printed above it."""

    def __init__(self, console, days, raw_dir, published, clock=time.monotonic):
        super().__init__(console, days, raw_dir, published, clock)
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("Backfill"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("days"),
            _TallyColumn(self.tally),
            console=console,
            get_time=clock,
        )
        self._task = self.bar.add_task("days", total=self.tally.total)

    def __enter__(self) -> TerminalProgress:
        self.bar.start()
        return self

    def _finish(self) -> None:
        self.bar.stop()

    def _show(self, day, event, papers, reason=None) -> None:
        self.bar.update(self._task, completed=self.tally.done)
        if event == "failed":
            self.bar.console.print(Text(f"  {day} failed: {' '.join(reason.split())}", style="red"))

    def _warn(self, message) -> None:
        self.bar.console.print(Text(f"  warning: {message}", style="yellow"))

    def _range_line(self, first, last, success) -> None:
        status = Text("ok", style="green") if success else Text("failed", style="red")
        self.bar.console.print(Text.assemble(f"  {first} .. {last}: ", status))


class _TallyColumn(ProgressColumn):
    """fetched / loaded / failed, papers, rate and ETA, recomputed at every refresh."""

    def __init__(self, tally: DayTally):
        super().__init__()
        self.tally = tally

    def render(self, task) -> Text:
        figures = self.tally.fields()
        eta = figures["eta_s"]
        return Text.assemble(
            f"fetched {figures['fetched']} · loaded {figures['loaded']} · ",
            (f"failed {figures['failed']}", "red" if figures["failed"] else ""),
            f" · {figures['papers_fetched']:,} papers fetched, {figures['papers_loaded']:,} loaded"
            f" · {figures['days_per_s']} days/s · fetch ETA {clock_time(eta) if isinstance(eta, int) else '--:--'}",
        )


def clock_time(seconds: float) -> str:
    """Seconds as H:MM:SS (hours not wrapped at a day)."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
