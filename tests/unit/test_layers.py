"""The import rule of docs/design.md: domain <- service <- soap/rest; persistence <- bootstrap."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "boxoffice"

# What each layer may import from the project (besides itself), and from outside.
ALLOWED = {
    "domain": ({"boxoffice.domain"}, set()),
    "service": ({"boxoffice.domain", "boxoffice.service", "boxoffice.passwords"}, set()),
    "persistence": (
        {
            "boxoffice.domain",
            "boxoffice.persistence",
            "boxoffice.passwords",
            "boxoffice.console.ports",
            "boxoffice.catalog_import",
        },
        set(),
    ),
    # Reading the catalog file knows nothing of storage: persistence stores what it reads
    # (it takes the hold caps' defaults from the catalog values).
    "catalog_import": ({"boxoffice.catalog_import", "boxoffice.domain.catalog"}, set()),
    "soap": (
        {"boxoffice.domain.errors", "boxoffice.service", "boxoffice.soap", "boxoffice.calls"},
        set(),
    ),
    "rest": ({"boxoffice.service", "boxoffice.soap", "boxoffice.rest", "boxoffice.calls"}, set()),
    # The console reads through its ports (console/ports.py), which persistence implements.
    "console": ({"boxoffice.console", "boxoffice.calls", "boxoffice.service"}, set()),
}
SERVERS = {"gunicorn", "uvicorn"}
FORBIDDEN_OUTSIDE = {
    "domain": {"sqlalchemy", "spyne", "lxml", "structlog", "psycopg", *SERVERS},
    "service": {"sqlalchemy", "spyne", "lxml", "psycopg", *SERVERS},
    "console": {"sqlalchemy", "spyne", "psycopg", *SERVERS},
    "catalog_import": {"sqlalchemy", "spyne", "lxml", "psycopg", *SERVERS},
}


def imports_of(path: Path) -> list[str]:
    """Modules imported at run time (imports under `if TYPE_CHECKING:` only serve the checker)."""
    tree = ast.parse(path.read_text())
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If)
        and ast.unparse(block.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for node in ast.walk(block)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_it_may(layer: str) -> None:
    allowed, _ = ALLOWED[layer]
    forbidden = FORBIDDEN_OUTSIDE.get(layer, set())
    offences = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imports_of(path):
            if module.startswith("boxoffice") and not any(
                module == prefix or module.startswith(prefix + ".") for prefix in allowed
            ):
                offences.append(f"{path.name} imports {module}")
            if module.split(".")[0] in forbidden:
                offences.append(f"{path.name} imports {module}")
    assert offences == []


def test_the_domain_never_reads_the_clock() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text()
        assert ".now(" not in text and "time.time(" not in text, path.name


# The modules and packages beside the layers, and what each may import from the project.
# Wiring (bootstrap, cli, serving, observability) may import anything: it is where the layers
# meet. Every top-level entry must be named here, so that a new one gets a rule from its start.
TOP_LEVEL: dict[str, set[str] | None] = {
    "calls": set(),
    "client_address": set(),
    "logging_setup": set(),
    "passwords": set(),
    # The defaults of the settings live beside the code that uses them.
    "settings": {
        "boxoffice.persistence.engine",
        "boxoffice.service.authentication",
        "boxoffice.soap.gateway",
    },
    "sweeper": {"boxoffice.service"},
    "purger": {"boxoffice.persistence.retention"},
    "bootstrap": None,
    "cli": None,
    "serving": None,
    "observability": None,
}
LAYERS_AND_DATA = set(ALLOWED) | {"persistence", "demo", "catalog_import", "__init__"}


def _top_level_entries() -> dict[str, list[Path]]:
    entries: dict[str, list[Path]] = {}
    for path in PACKAGE.iterdir():
        if path.suffix == ".py":
            entries[path.stem] = [path]
        elif path.is_dir() and not path.name.startswith(("_", ".")):
            entries[path.name] = sorted(path.rglob("*.py"))
    return entries


def test_every_top_level_module_has_an_import_rule() -> None:
    unruled = set(_top_level_entries()) - set(TOP_LEVEL) - LAYERS_AND_DATA
    assert unruled == set(), f"give these a rule in TOP_LEVEL: {sorted(unruled)}"


@pytest.mark.parametrize(
    "name", sorted(name for name, rule in TOP_LEVEL.items() if rule is not None)
)
def test_each_top_level_module_imports_only_what_it_may(name: str) -> None:
    allowed = TOP_LEVEL[name]
    assert allowed is not None
    own = f"boxoffice.{name}"
    offences = [
        f"{path.name} imports {module}"
        for path in _top_level_entries()[name]
        for module in imports_of(path)
        if module.startswith("boxoffice")
        and not module.startswith(own)
        and not any(module == prefix or module.startswith(prefix + ".") for prefix in allowed)
    ]
    assert offences == []
