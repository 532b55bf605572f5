"""Imports point one way: down ARCHITECTURE.md's layers, never back up.

Every `import finmon.x` in finmon/ is read from the source (no import is executed) and the unit it
names must sit in a lower layer than the importing module, or in the same layer where that layer
allows it. The imports that issue 19's restructuring still has to remove are listed in PENDING;
the list may only shrink: an entry that no longer occurs fails too, so that it is struck off.
"""

from __future__ import annotations

import ast
from pathlib import Path

import finmon

PACKAGE = Path(finmon.__file__).parent

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "settings", "common", "model", "countries", "hygiene", "exports"}),
    frozenset({"names"}),
    frozenset({"lists"}),
    frozenset({"screening"}),
    frozenset({"transactions", "travel", "reports"}),
    frozenset({"monitoring", "simulate", "fiu"}),
    frozenset({"scale"}),
    frozenset({"workflow"}),
    frozenset({"store"}),
    frozenset({"services"}),
    frozenset({"web"}),
    frozenset({"api", "cli"}),
)
"""Lowest first. `web` is below `api` because the API's app serves the web pages' router."""

SAME_LAYER = {0: {("hygiene", "errors"), ("common", "errors"), ("countries", "errors")}}
"""Imports allowed between units of one layer (the helpers beside the chain use `errors`)."""

FRONT_DOORS = frozenset({"api", "cli", "web"})
"""They call services; none of them touches the store (issue 19)."""

PENDING: set[tuple[str, str]] = set()
"""Imports issue 19 removes; it removed them all (the front doors reach the store only through
services, and the demo is a service). A restructuring that leaves some for later lists them."""


def unit_of(path: Path) -> str:
    """The unit a module belongs to: its top-level package, or its module (cli_x.py is cli)."""
    first = path.relative_to(PACKAGE).parts[0]
    name = first.removesuffix(".py")
    return "cli" if name.startswith("cli_") else name


def layer_of(unit: str) -> int:
    """The index of the unit's layer; a unit that is in none fails the test that names it."""
    for index, layer in enumerate(LAYERS):
        if unit in layer:
            return index
    raise AssertionError(f"finmon/{unit} is in no layer of tests/test_architecture.py LAYERS")


def imported_units(path: Path) -> set[str]:
    """The finmon units a module imports, at module level or inside functions."""
    units: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "finmon" and len(parts) > 1:
                units.add("cli" if parts[1].startswith("cli_") else parts[1])
    return units


def all_imports() -> set[tuple[str, str]]:
    """(importing unit, imported unit) for every import between two units of finmon/."""
    pairs: set[tuple[str, str]] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.parent == PACKAGE and path.name in {"__init__.py", "__main__.py"}:
            continue
        source = unit_of(path)
        pairs |= {(source, target) for target in imported_units(path) if target != source}
    return pairs


def allowed(source: str, target: str) -> bool:
    """Whether `source` may import `target` under LAYERS, SAME_LAYER and FRONT_DOORS."""
    if source in FRONT_DOORS and target == "store":
        return False
    low, high = layer_of(target), layer_of(source)
    return low < high or (low == high and (source, target) in SAME_LAYER.get(low, set()))


def test_every_import_points_down_the_layers() -> None:
    upward = sorted(pair for pair in all_imports() if not allowed(*pair) and pair not in PENDING)
    assert upward == [], f"imports against ARCHITECTURE.md's direction: {upward}"


def test_pending_imports_are_struck_off_once_gone() -> None:
    gone = sorted(PENDING - all_imports())
    assert gone == [], f"no longer imported, remove from PENDING: {gone}"


def test_the_guard_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("from finmon.store.engine import Database\nimport finmon.cli_x\n")
    assert imported_units(module) == {"store", "cli"}
    assert not allowed("screening", "store")
    assert allowed("store", "screening")
    assert not allowed("web", "store")
    assert allowed("api", "web") and not allowed("web", "api")


MAX_FUNCTION_LINES = 60
"""Issue 19: no function in finmon/ longer than this, outside the migrations."""


def test_no_function_is_longer_than_sixty_lines() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} {lines}")
    assert long == []
