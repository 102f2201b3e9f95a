"""Errors for expected mistakes in input data.

An analyst who types a bad value into a return should see one line saying which file,
which row, which column, what was expected and what was found: never a traceback.
``DataError`` carries exactly that; the ``pcp`` command prints it and exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DataError", "Problem", "Problems", "rel"]


@dataclass
class Problem:
    """One problem found in an input: where it is, what was expected, what was found.

    ``row`` is the spreadsheet row number as a person sees it (the header is row 1, so
    the first data row is row 2). ``severity`` is "error" or "warning".
    """

    file: str | None
    expected: str
    row: int | None = None
    column: str | None = None
    got: str | None = None
    sheet: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        loc = ", ".join(where) if where else "input"
        msg = f"{loc}: expected {self.expected}"
        if self.got is not None:
            msg += f"; got {self.got!r}"
        return msg


class DataError(ValueError):
    """One or more problems in input data (a ValueError so callers may treat it as one).

    ``str()`` is the first problem on one line, followed by the others, one a line.
    """

    def __init__(self, problems: Problem | list[Problem] | str, **kwargs: object) -> None:
        if isinstance(problems, str):
            problems = [Problem(file=None, expected=problems)] if not kwargs else [
                Problem(expected=problems, **kwargs)  # type: ignore[arg-type]
            ]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def rel(path: str | Path) -> str:
    """A path as shown to people: relative to the working folder when it is inside it,
    so messages and exports carry no user names or absolute local paths."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        # Outside the working folder: the last three parts say enough (data folder, quarter,
        # file) without exposing the user's home or other local folders.
        return str(Path(*p.parts[-3:])) if p.is_absolute() else str(p)


@dataclass
class Problems:
    """A collector used by loaders that report every problem at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def raise_if_errors(self) -> None:
        if any(p.severity == "error" for p in self.items):
            raise DataError(self.items)
