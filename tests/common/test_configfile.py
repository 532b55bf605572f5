"""Configuration files: bounded reading and messages that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from finmon.common.configfile import MAX_BYTES, Strict, read_yaml, validated
from finmon.errors import InputError


class Inner(Strict):
    colour: str


class Outer(Strict):
    items: list[Inner]
    size: int = 1


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * MAX_BYTES, encoding="utf-8")
    with pytest.raises(InputError, match=r"big\.yaml: the pack is over 1,000,000 bytes"):
        read_yaml(path, "pack")


def test_text_that_is_not_utf8_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Almaty café".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.yaml: not UTF-8"):
        read_yaml(path, "pack")


def test_a_python_object_tag_is_not_constructed(tmp_path: Path) -> None:
    path = tmp_path / "tag.yaml"
    path.write_text("a: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"tag\.yaml:1: not valid YAML"):
        read_yaml(path, "pack")


def test_a_recursive_alias_is_refused_not_walked_forever(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a [*a, *a]\n", encoding="utf-8")
    with pytest.raises(InputError, match="expands to over"):
        read_yaml(path, "pack")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"items": [{"colour": "red", "shade": 1}]}, "unknown key(s) items[1].shade"),
        ({"items": [{}, {"colour": "blue"}]}, "missing key(s) items[1].colour"),
        ({"items": [{"colour": 7}]}, "items[1].colour: 7: Input should be a valid string"),
        ({"items": [], "size": "2"}, "size: '2': Input should be a valid integer"),
    ],
)
def test_errors_name_the_file_and_the_key(data: object, expected: str) -> None:
    with pytest.raises(InputError) as refused:
        validated(Outer, data, Path("settings.yaml"))
    assert str(refused.value) == f"settings.yaml: {expected}"
