"""A learner's progress: which exercises passed and how many hints were shown, in a small
JSON file in the exercise folder.

An exercise is *done* once it has passed (a later failing check does not take that back),
*next* when every exercise it requires is done, and *locked* otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["Progress", "PROGRESS_FILE"]

#: The file's name inside the exercise folder.
PROGRESS_FILE = "progress.json"


class Progress:
    """The progress recorded in ``folder/progress.json`` (empty if there is none yet).

    Raises
    ------
    ValueError
        If the file exists but is not progress this class wrote (``reset`` starts over).
    """

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / PROGRESS_FILE
        self.passed: list[str] = []
        self.hints: dict[str, int] = {}
        if self.path.exists():
            self._read()

    def _read(self) -> None:
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
            passed, hints = data["passed"], data["hints"]
            if not (isinstance(passed, list) and all(isinstance(n, str) for n in passed)
                    and isinstance(hints, dict)
                    and all(isinstance(v, int) and v >= 0 for v in hints.values())):
                raise TypeError
        except (OSError, ValueError, TypeError, KeyError):
            raise ValueError(
                f"{self.path} is not a progress file this tool wrote; delete it or run "
                "`fromscratch exercises reset` to start over."
            ) from None
        self.passed, self.hints = passed, hints

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"passed": self.passed, "hints": self.hints}
        self.path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    def status(self, name: str, requires: tuple[str, ...]) -> str:
        """``"done"``, ``"next"`` or ``"locked"``."""
        if name in self.passed:
            return "done"
        return "next" if all(r in self.passed for r in requires) else "locked"

    def record_pass(self, name: str) -> None:
        if name not in self.passed:
            self.passed.append(name)

    def next_hint(self, name: str, n_hints: int) -> int:
        """The index of the hint to show now (the last one again once all were shown)."""
        shown = self.hints.get(name, 0)
        self.hints[name] = min(shown + 1, n_hints)
        return min(shown, n_hints - 1)

    def reset(self, name: str | None = None) -> None:
        """Forget one exercise's pass and hints, or everything (``name=None``)."""
        if name is None:
            self.passed, self.hints = [], {}
        else:
            self.passed = [n for n in self.passed if n != name]
            self.hints.pop(name, None)
