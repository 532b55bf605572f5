"""Names: transliteration, folding keys and weighted name parts."""

from finmon.names.parts import AnalysedName, NameToken, TokenKind, analyse_name
from finmon.names.translit import Script, script_of, to_latin

__all__ = [
    "AnalysedName",
    "NameToken",
    "Script",
    "TokenKind",
    "analyse_name",
    "script_of",
    "to_latin",
]
