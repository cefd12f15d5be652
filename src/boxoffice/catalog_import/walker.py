"""Walking a decoded catalog document: key and type checks, definitions, references, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from boxoffice.catalog_import.schema import CHECKS, ObjectSpec, join

# Most problems worth listing before the rest only repeat them.
MAX_PROBLEMS = 200

Row = dict[str, Any]


class CatalogError(Exception):
    """The catalog file is unreadable or invalid; `problems` lists every message found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        shown = "\n  ".join(self.problems[:MAX_PROBLEMS])
        more = len(self.problems) - MAX_PROBLEMS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        count = f"{len(self.problems)} problem" + ("" if len(self.problems) == 1 else "s")
        super().__init__(f"{count}:\n  {shown}{tail}")


@dataclass
class ParsedCatalog:
    """The catalog as rows per table name, in file order; operators carry clear passwords."""

    rows: dict[str, list[Row]] = field(default_factory=dict)

    def table(self, name: str) -> list[Row]:
        return self.rows.setdefault(name, [])


class CatalogWalker:
    """Walks the document once, collecting rows, definitions, references and problems."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.parsed = ParsedCatalog()
        # kind -> id -> path where it was defined
        self.defined: dict[str, dict[Any, str]] = {}
        # (path, kind, id) checked once everything is defined
        self.references: list[tuple[str, str, Any]] = []
        self.area_venue: dict[int, int] = {}

    # -- generic checks ------------------------------------------------------

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def fields(self, node: Any, path: str, spec: ObjectSpec) -> dict[str, Any] | None:
        """The object's values after checking its keys and their types; None if not an object."""
        if not isinstance(node, dict):
            self.problem(path, "expected an object")
            return None
        values: dict[str, Any] = {}
        for key in node:
            if key not in spec:
                self.problem(join(path, key), "unknown key")
        for key, (kind, required) in spec.items():
            key_path = join(path, key)
            if key not in node:
                if required:
                    self.problem(key_path, "missing required key")
                values[key] = [] if kind == "list" else None
                continue
            values[key] = self.check(node[key], key_path, kind)
        return values

    def check(self, value: Any, path: str, kind: str) -> Any:
        message = CHECKS[kind](value)
        if message is not None:
            self.problem(path, message)
            return [] if kind == "list" else None
        if kind == "datetime":
            return datetime.fromisoformat(value).astimezone(UTC)
        return value

    def define(self, kind: str, key: Any, path: str, label: str) -> bool:
        """Records a definition; False (and a problem) when the key is already defined."""
        if key is None:
            return False
        seen = self.defined.setdefault(kind, {})
        if key in seen:
            self.problem(path, f"duplicate {label} {key!r} (first defined at {seen[key]})")
            return False
        seen[key] = path
        return True

    def refer(self, path: str, kind: str, key: Any) -> None:
        if key is not None:
            self.references.append((path, kind, key))

    def each(self, values: list[Any], path: str, key: str) -> list[tuple[str, Any]]:
        return [(f"{join(path, key)}[{index}]", value) for index, value in enumerate(values)]
