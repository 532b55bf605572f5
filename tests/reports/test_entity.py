"""The reporting entity's profile: required before a report, every missing key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from finmon.errors import NotConfigured
from finmon.reports.entity import REQUIRED, load_profile
from finmon.settings import load_settings

PROFILE = """\
rentity_id: 4711
rentity_branch: Алматинский филиал
reporting_person:
  first_name: Әлия
  last_name: Сәрсенбаева
  position: Бас комплаенс-бақылаушы
  email: mlro@bank.kz
  phone: "+7 727 244 00 00"
"""


def write_profile(text: str = PROFILE) -> Path:
    """The profile at its default place, $FINMON_HOME/entity.yaml (the test's own home)."""
    path = load_settings().home / "entity.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_profile_is_refused_naming_the_setting() -> None:
    with pytest.raises(NotConfigured, match=r"FINMON_ENTITY_PROFILE: no file at .*rentity_id"):
        load_profile()


def test_the_profile_is_read() -> None:
    reporter = load_profile(write_profile())
    assert (reporter.rentity_id, reporter.branch) == (4711, "Алматинский филиал")
    assert reporter.person.last_name == "Сәрсенбаева"
    assert reporter.person.occupation == "Бас комплаенс-бақылаушы"
    assert reporter.person.middle_name is None


@pytest.mark.parametrize("key", REQUIRED)
def test_each_missing_key_is_named(key: str) -> None:
    name = key.rpartition(".")[2]
    text = "\n".join(line for line in PROFILE.splitlines() if not line.strip().startswith(name))
    with pytest.raises(NotConfigured, match=f"{key} not set"):
        load_profile(write_profile(text))


def test_a_made_up_id_or_an_unknown_key_is_refused() -> None:
    with pytest.raises(NotConfigured, match="rentity_id is 'first'"):
        load_profile(write_profile(PROFILE.replace("4711", "first")))
    with pytest.raises(NotConfigured, match=r"reporting_person\.fax"):
        load_profile(write_profile(PROFILE + "  fax: 1\n"))
