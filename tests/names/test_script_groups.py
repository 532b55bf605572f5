"""The script groups fairness is measured by."""

from __future__ import annotations

import pytest

from finmon.names.script_groups import ScriptGroup, script_group


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("محمد جلالی", ScriptGroup.ARABIC),
        ("سجا العجلان", ScriptGroup.ARABIC),
        ("海燕 陈", ScriptGroup.EAST_ASIAN),
        ("김민준", ScriptGroup.EAST_ASIAN),
        ("さくら 山田", ScriptGroup.EAST_ASIAN),
        ("Иванов Виктор", ScriptGroup.CYRILLIC),
        ("ТОО «Аптека Байтерек»", ScriptGroup.CYRILLIC),
        ("Әсел Нұрпейісова", ScriptGroup.CYRILLIC),
        ("Yusuf Karadağ", ScriptGroup.LATIN),
        ("Γιάννης Παπαδόπουλος", ScriptGroup.OTHER),
        ("שרה כהן", ScriptGroup.OTHER),
    ],
)
def test_a_name_is_grouped_by_the_script_most_of_its_letters_are_in(
    name: str, group: ScriptGroup
) -> None:
    assert script_group(name) is group
