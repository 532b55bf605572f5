"""Designation.to_dict is written out by hand for speed: it must say exactly what the dataclass
holds, as the generic conversion would, because stored designations and matching fingerprints
(remembered false positives, alert uniqueness) are made from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from typing import Any

import pytest

from finmon.lists import FIXTURE_DIR, parse_files
from finmon.model import Designation
from tests.conftest import shared_file

OFAC_SDN_2021 = [
    "lists/ofac_sdn_2021-07.csv",
    "lists/ofac_sdn_add_2021-07.csv",
    "lists/ofac_sdn_alt_2021-07.csv",
    "lists/ofac_sdn_comments_2021-07.csv",
]


def _generic(value: Any) -> Any:
    """The independent reading: every dataclass field, recursively, dates as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _generic(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_generic(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


@pytest.mark.parametrize(
    "files",
    [
        [FIXTURE_DIR / "un_list_fixture.xml"],
        ["lists/un_consolidated_2026-02-27.xml"],
        OFAC_SDN_2021,
    ],
    ids=["fixture", "un-2026", "ofac-sdn-2021"],
)
def test_to_dict_says_every_field_as_the_dataclass_holds_it(files: list[Any]) -> None:
    paths = [f if not isinstance(f, str) else shared_file(f) for f in files]
    designations = parse_files(paths).designations
    assert designations
    for designation in designations:
        data = designation.to_dict()
        expected = _generic(designation)
        assert data == expected, designation.reference
        assert json.dumps(data, sort_keys=True) == json.dumps(expected, sort_keys=True)
        assert Designation.from_dict(data) == designation
