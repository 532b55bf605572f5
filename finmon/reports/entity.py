"""The reporting entity's goAML profile: who reports to the FIU, read from the installation's own
file (FINMON_ENTITY_PROFILE, default $FINMON_HOME/entity.yaml).

goAML names the reporting entity (its `rentity_id`, assigned by the FIU, and branch) and the
person who reports (first and last name, position, e-mail and telephone) in every report. They are
facts only the installation knows, so a report is refused (NotConfigured, naming the missing key)
until they are set: nothing stands in for them.

    rentity_id: 4711
    rentity_branch: Алматинский филиал
    reporting_person:
      first_name: Әлия
      last_name: Сәрсенбаева
      middle_name: Нұрланқызы     # optional
      position: Compliance officer (MLRO)
      email: mlro@bank.kz
      phone: "+7 727 000 00 00"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from finmon.common.configfile import read_yaml
from finmon.errors import NotConfigured
from finmon.reports.goaml import Person, ReportingEntity
from finmon.settings import load_settings

REQUIRED = (
    "rentity_id",
    "rentity_branch",
    "reporting_person.first_name",
    "reporting_person.last_name",
    "reporting_person.position",
    "reporting_person.email",
    "reporting_person.phone",
)
"""The profile's keys a report cannot be written without."""
_WHY = "the reporting entity's goAML profile; no report is written without it"


def load_profile(path: Path | None = None) -> ReportingEntity:
    """The reporting entity of the profile file; NotConfigured naming the file or missing key."""
    path = path or load_settings().entity_profile
    if path is None or not path.is_file():
        raise NotConfigured(
            f"FINMON_ENTITY_PROFILE: no file at {path} ({_WHY}): write a YAML file with "
            f"{', '.join(REQUIRED)}"
        )
    data = read_yaml(path, "reporting entity profile")
    if not isinstance(data, dict):
        raise NotConfigured(f"{path}: a mapping of keys ({_WHY})")
    person = data.get("reporting_person")
    person = person if isinstance(person, dict) else {}
    values = {key: _value(data, person, key) for key in REQUIRED}
    missing = [key for key, value in values.items() if not value]
    if missing:
        raise NotConfigured(f"{path}: {', '.join(missing)} not set ({_WHY})")
    known = {"rentity_id", "rentity_branch", "reporting_person"}
    unknown = sorted(set(data) - known) + [
        f"reporting_person.{key}" for key in sorted(set(person) - {*_PERSON_KEYS, "middle_name"})
    ]
    if unknown:
        raise NotConfigured(f"{path}: unknown key(s) {', '.join(map(str, unknown))} ({_WHY})")
    rentity_id = data["rentity_id"]
    if isinstance(rentity_id, bool) or not isinstance(rentity_id, int) or rentity_id < 1:
        raise NotConfigured(f"{path}: rentity_id is {rentity_id!r}, not the FIU's number for you")
    return ReportingEntity(
        rentity_id=rentity_id,
        branch=values["rentity_branch"],
        person=Person(
            first_name=values["reporting_person.first_name"],
            last_name=values["reporting_person.last_name"],
            middle_name=_text(person.get("middle_name")) or None,
            occupation=values["reporting_person.position"],
            email=values["reporting_person.email"],
            phone=values["reporting_person.phone"],
        ),
    )


_PERSON_KEYS = {key.split(".", 1)[1] for key in REQUIRED if "." in key}


def _value(data: dict[str, Any], person: dict[str, Any], key: str) -> str:
    where, _, name = key.rpartition(".")
    return _text((person if where else data).get(name))


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""
