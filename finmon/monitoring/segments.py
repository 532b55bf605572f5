"""Segments read from the transfers themselves, for the accounts no accounts table names.

A file of transfers says who holds each account: a name, often with its legal form, and often a
Kazakhstan IIN or BIN. An organisation is written with its legal form (ТОО, АО, ИП, LLP, LLC ...;
ОФ, БФ or "Foundation" for a non-profit; КГУ, ГКП, "akimat" or a Russian state institution's
ФГБУ, ГБУЗ for a state body), named by what it is (a hospital, clinic or university, in the
languages of the region's corridors: a clinic abroad paid for a treatment), or identified by
a BIN (the fifth digit 4-6 is the registration type, which an IIN cannot have there). Without
either, an account is a private person's: the segment is left empty, as it is for a person in an
accounts table that does not give one. The accounts table, where given, always decides.

Only the holder's name and identifier are read: never anything about the person (no protected
attribute can enter a segment).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from finmon.lists.identifiers import is_bin_shaped, is_valid_iin_bin
from finmon.transactions.model import PartyInfo, Transaction, channel_kind

NPO = "npo"
PUBLIC = "public"
BANK = "bank"
BUSINESS = "business"

_WORDS: dict[str, frozenset[str]] = {
    # Public associations and foundations (ОФ, ПФ, БФ, КФ, ОО, ОЮЛ; Kazakh ҚҚ, ҚБ, ҚҚБ),
    # charities.
    NPO: frozenset(
        "оф пф бф кф оо оюл ққ қб ққб фонд фонда қоры қор благотворительный благотворительного "
        "общественный общественное общественного қайырымдылық қоғамдық foundation charity "
        "charitable ngo nonprofit".split()
    ),
    # State institutions and enterprises (КГУ, ГУ, РГУ, ГКП, ГККП, РГП, РГКП, НАО; Kazakh ММ,
    # КММ, МКК, МКҚК, РМК, КЕАҚ), akimats and ministries.
    PUBLIC: frozenset(
        "кгу гу ргу гкп гккп ргп ргкп нао кеақ мм кмм мкк мкқк рмк ркк акимат әкімдігі әкімдік "
        "министерство министрлігі akimat ministry фгбу фгау фгуп фгбоу гбу гбуз гауз мбу мбуз "
        "гуп".split()
    ),
    BANK: frozenset("банк банкі bank".split()),
    # Companies and individual entrepreneurs (ТОО, АО, ИП; Kazakh ЖШС, АҚ, ЖК; Russian ООО ...;
    # the Latin forms; Turkey's A.Ş. and Ltd. Şti., written AS or STI in Latin letters).
    BUSINESS: frozenset(
        "тоо жшс ао ақ ип жк кх шқ ооо оао зао пао чп тов llp llc jsc ojsc cjsc pjsc plc ltd "
        "inc corp gmbh ag sarl srl spa bv nv fze fzco fzc pte pvt bhd lp limited incorporated "
        "corporation company aş şti sti as".split()
    )
    # Institutions named by what they are rather than by a legal form (a clinic abroad, a
    # university): a hospital paid for a treatment is an organisation, not a person.
    | frozenset("hôpital hopital krankenhaus université universidad аурухана емхана".split()),
}
_STEMS = tuple(
    # Institution words also found inside longer words (Universitätsklinikum, Hastanesi,
    # Üniversitesi, клиника, больницы): no person's name holds them; read as businesses.
    "hospital clinic klinik clínica hastane universit üniversite больниц клиник госпитал "
    "университет".split()
)
_ORDER = (NPO, PUBLIC, BANK, BUSINESS)
"""A name with words of several kinds takes the first: a bank's charitable foundation is a
non-profit, a state bank's branch a bank."""
_WORD = re.compile(r"\w+")


def segment_of(party: PartyInfo) -> str | None:
    """The segment a party's name and identifier show (npo, public, bank, business), None for
    a private person or a party that shows nothing."""
    if party.name:
        words = set(_WORD.findall(party.name.casefold()))
        for segment in _ORDER:
            if words & _WORDS[segment]:
                return segment
        if any(stem in word for word in words for stem in _STEMS):
            return BUSINESS
    number = (party.id or "").strip()
    if is_bin_shaped(number) and is_valid_iin_bin(number):
        return BUSINESS
    return None


RETAIL = "retail"
SEGMENTS = frozenset({RETAIL, BUSINESS, NPO, BANK, PUBLIC, "foreign"})
"""The segments rules' filters and peer groups name, as an accounts table writes them in English."""
_TABLE_WORDS: dict[str, frozenset[str]] = {
    # Legal entities and individual entrepreneurs as a bank's client types say it: ЮЛ, ИП.
    BUSINESS: frozenset(
        "юл юрлицо юрлица юридическое юридические заңды ип жк ипшник corporate legal entity sme "
        "company".split()
    ),
    NPO: frozenset("нко некоммерческая некоммерческое некоммерческие npo nko".split()),
    PUBLIC: frozenset("го госорган государственный государственное мемлекеттік".split()),
    # Private persons: ФЛ, физ. лицо, жеке тұлға.
    RETAIL: frozenset(
        "фл физлицо физлица физическое физические физ жеке individual person private natural "
        "розница розничный".split()
    ),
}
_TABLE_ORDER = (NPO, PUBLIC, BANK, BUSINESS, RETAIL)


def table_segment(written: str) -> str:
    """A segment as an accounts table writes it, in the words rules use: retail, business, npo,
    bank, public, foreign as they are; a bank's client type (ФЛ, ЮЛ, ИП, НКО, физ. лицо, заңды
    тұлға, Individual ...) or a legal form (ТОО, ОФ, КГУ) as the segment it is; anything else
    as written, in lower case (a peer group of its own)."""
    plain = written.strip().lower()
    if plain in SEGMENTS or not plain:
        return plain
    words = set(_WORD.findall(plain.casefold()))
    for segment in _TABLE_ORDER:
        if words & (_TABLE_WORDS.get(segment, frozenset()) | _WORDS.get(segment, frozenset())):
            return segment
    return plain


def inferred_segments(
    transactions: Iterable[Transaction], given: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Each account's segment: the accounts table's (`given`) where it names the account, else
    the first segment the account's holder shows on a transfer (segment_of); accounts that show
    none are left out (private persons). An empty segment in the table is no segment given."""
    found = {account: segment for account, segment in (given or {}).items() if segment}
    shown: dict[tuple[str | None, str | None], str | None] = {}
    for transaction in transactions:
        for party in (transaction.originator, transaction.beneficiary):
            account = party.account
            if not account or account in found:
                continue
            key = (party.name, party.id)
            if key not in shown:
                shown[key] = segment_of(party)
            segment = shown[key]
            if segment is not None:
                found[account] = segment
    return found


def organisations(transactions: Iterable[Transaction]) -> frozenset[str]:
    """The parties that show a legal form or a BIN on some transfer (segment_of), by account,
    or by name where the transfer names no account (as events name a counterparty): what a
    `counterparty_organisation` filter reads. Only the holder's name and identifier are read."""
    found: set[str] = set()
    shown: dict[tuple[str | None, str | None], bool] = {}
    for transaction in transactions:
        cash = channel_kind(transaction.channel) == "cash"  # cached per channel
        for party in (transaction.originator, transaction.beneficiary):
            if cash and not party.account:
                # Cash taken out or paid in has no counterparty: the side without an account is
                # the holder's own name (a firm's withdrawal), not an organisation paid.
                continue
            key = (party.name, party.id)
            if key not in shown:
                shown[key] = segment_of(party) is not None
            if shown[key]:
                found.add(party.account or party.name or "?")
    return frozenset(found)
