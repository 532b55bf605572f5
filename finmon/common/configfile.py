"""YAML configuration files (rules packs, goAML settings): bounded reading, pydantic validation.

A configuration is trusted more than a record file, but it is still a file someone can get wrong
or write to harm: it is read only up to MAX_BYTES, with the safe loader (no Python objects), and
its nodes are counted before validation so that anchors and aliases cannot make a small file
expand into millions of values. Validation errors name the file and the key, as every finmon
message does: `pack.yaml: rules[2] 'funnel'.window: ...`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from finmon.errors import InputError

MAX_BYTES = 1_000_000
"""A configuration is a page or two of YAML; anything near a megabyte is a mistake or an attack."""
MAX_NODES = 100_000
"""Values after aliases are expanded (the shipped pack has about 400)."""

Model = TypeVar("Model", bound=BaseModel)


class Strict(BaseModel):
    """Base of configuration models: unknown keys are refused, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def read_yaml(path: Path, what: str) -> Any:
    """The YAML document in `path` as plain data; InputError naming the file (and line)."""
    import yaml

    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"{path}: the {what} is over {MAX_BYTES:,} bytes")
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InputError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if _nodes(data, MAX_NODES) > MAX_NODES:
        raise InputError(f"{path}: the {what} expands to over {MAX_NODES:,} values (aliases)")
    return data


def _nodes(data: Any, budget: int) -> int:
    """How many values `data` holds, counting shared ones each time; stops past the budget."""
    count, stack = 0, [data]
    while stack and count <= budget:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def validated(
    model: type[Model], data: Any, path: Path, context: dict[str, Any] | None = None
) -> Model:
    """`data` as `model`, or InputError naming the file and every key at fault."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{path}: {describe(exc.errors(), data)}") from None


def describe(errors: Sequence[Any], data: Any) -> str:
    """Pydantic's errors as one line: unknown and missing keys together, else the first error."""
    unknown = [_where(error["loc"], data) for error in errors if error["type"] == "extra_forbidden"]
    if unknown:
        return f"unknown key(s) {', '.join(unknown)}"
    missing = [_where(error["loc"], data) for error in errors if error["type"] == "missing"]
    if missing:
        return f"missing key(s) {', '.join(missing)}"
    error = errors[0]
    message = str(error["msg"]).removeprefix("Value error, ")
    where = _where(error["loc"], data)
    if error["type"] != "value_error":
        shown = repr(error["input"])
        message = f"{shown if len(shown) <= 60 else shown[:57] + '...'}: {message}"
    return f"{where}: {message}" if where else message


def _where(loc: Iterable[Any], data: Any) -> str:
    """A pydantic location as a key path: `rules[2] 'funnel'.filter.channels` (1-based lists).

    The union members pydantic tried (`list[str]`, `str` ...) are types, not keys: left out."""
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            name = node.get("id") if isinstance(node, dict) else None
            parts.append(f"[{step + 1}]" + (f" {name!r}" if isinstance(name, str) else ""))
        elif isinstance(node, dict) and (step in node or not any(c in step for c in "[(")):
            parts.append(f".{step}" if parts else str(step))
            node = node.get(step)
    return "".join(parts)
