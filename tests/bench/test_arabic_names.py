from __future__ import annotations

from bench.arabic_names import arabic_persons, without_arabic
from finmon.model import Designation, DesignationName, Schema


def _listed(reference: str, schema: Schema, *names: tuple[str, bool]) -> Designation:
    return Designation(
        source="un",
        reference=reference,
        schema=schema,
        names=[DesignationName(full, original_script=original) for full, original in names],
    )


def test_arabic_names_are_taken_out_and_their_persons_kept() -> None:
    person = _listed("P1", Schema.PERSON, ("Ahmed YAQUB", False), ("احمد يعقوب", True))
    only_arabic = _listed("P2", Schema.PERSON, ("خالد محمد", True))
    group = _listed("O1", Schema.ORGANIZATION, ("Al-Qaida", False), ("القاعدة", True))
    kept = without_arabic([person, only_arabic, group])
    assert [d.reference for d in kept] == ["P1", "O1"]
    assert [n.full for n in kept[0].names] == ["Ahmed YAQUB"]
    assert arabic_persons([person, only_arabic, group]) == [
        (person, "احمد يعقوب"),
        (only_arabic, "خالد محمد"),
    ]
