"""Word lists that decide how much a name token counts as evidence.

Entries are written in plain lowercase Latin and folded at import, so every spelling variant of a
listed word is covered. Weights are static (not learned from a list) so that a score can be
reproduced from the two names alone.
"""

from __future__ import annotations

from finmon.names.keys import fold

# Connectors and articles carry no identity: "bin Laden" and "Laden" name the same family.
PARTICLES = frozenset(
    (
        "al el ad ar as at an az ash ud ul bin ibn ben bint binti bn ould van von de der den "
        "del della di da dos das du la le y e und and of the"
    ).split()
)

# Honorifics and ranks that lists and customers add or drop.
TITLES = frozenset(
    (
        "mr mrs ms miss dr prof sir haji hajji hadji alhaji sheikh shaikh shaykh sheik mullah "
        "mulla maulavi mawlawi maulvi mawlana maulana qari mufti imam general "
        "colonel gen col lt capt major"
    ).split()
)

# Turkic patronymic words written apart from the father's name: "Abish uly", "Aliyev oglu".
PATRONYMIC_WORDS = frozenset(
    fold(w) for w in ("uly ulu uli kyzy qyzy kizi ogly oglu ogli kyzi").split()
)

# Endings of patronymics written in one word (folded spelling).
PATRONYMIC_ENDINGS = tuple(
    fold(w)
    for w in ("ovich evich ovych evych ovna evna ichna inichna uly ulu kyzy qyzy ogly oglu").split()
)

# Multi-word legal forms that rigour (which handles most, in their original scripts) does not
# know: Kazakh forms, and Russian or Kazakh ones written in Latin letters. Folded to rigour's
# generic abbreviation before comparison.
LEGAL_PHRASES = {
    "tovarishchestvo s ogranichennoi otvetstvennostiu": "llp",
    "zhauapkershiligi shekteuli seriktestik": "llp",
    "aktsionerlik kogam": "jsc",
    "individualnyi predprinimatel": "sp",
    "societe anonyme": "jsc",
    "gesellschaft mit beschrankter haftung": "llc",
}

# Single-word legal forms. Each is compared in rigour's generic form (LLC, JSC, LLP ...), so a
# name given with and without rigour's normalisation agrees; LEGAL_FORM_EXTRAS names the generic
# form of the ones rigour does not know (Kazakh, and Latin spellings of Cyrillic abbreviations).
LEGAL_FORMS = frozenset(
    (
        "llc llp jsc ojsc cjsc pjsc plc ltd inc corp co gmbh ag sa sas srl spa bv nv kg oy ab "
        "as sarl sal fze fzco fzc pte pvt bhd sdn lp sp limited incorporated corporation "
        "company ooo ao oao zao pao tov"
    ).split()
)
LEGAL_FORM_EXTRAS = {
    "too": "llp", "zhshs": "llp", "kt": "llp", "ip": "sp", "chp": "sp", "ie": "sp",
    "lmtd": "llc", "limtd": "llc",
}  # fmt: skip

# Words common in organisation names: real evidence, but weak.
ORG_GENERIC = frozenset(
    (
        "group holding holdings international trading trade company services service bank "
        "foundation fund charity charitable association society organization organisation "
        "committee council union general industries industry enterprise enterprises global "
        "national center centre management investment investments import export partners "
        "development construction logistics shipping transport energy oil gas petroleum "
        "commercial finance financial capital systems technologies technology solutions "
        "institute university academy ministry department agency office network media "
        "tovarishchestvo obshchestvo firma kompaniia"
    ).split()
)
