"""pacs.008.001.09 read into canonical transactions: validated against the real schema first, every
R.16 field mapped, and hostile, foreign, malformed or invalid documents refused whole with an
InputError that names the file, the line and (for schema errors) the element path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.transactions.pacs008 import NAMESPACE, default_schema, read_pacs008
from tests.conftest import shared_spec

TWO_TRANSFERS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NAMESPACE}">
  <FIToFICstmrCdtTrf>
    <GrpHdr>
      <MsgId>HSBKKZKX-20260315-07</MsgId>
      <CreDtTm>2026-03-15T14:05:09+05:00</CreDtTm>
      <NbOfTxs>2</NbOfTxs>
      <SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf>
    </GrpHdr>
    <CdtTrfTxInf>
      <PmtId>
        <InstrId>INS-7731</InstrId>
        <EndToEndId>E2E-7731</EndToEndId>
        <TxId>TX-7731</TxId>
        <UETR>8a562c67-ca16-48ba-b074-65581be6f011</UETR>
      </PmtId>
      <IntrBkSttlmAmt Ccy="USD">12500.75</IntrBkSttlmAmt>
      <IntrBkSttlmDt>2026-03-15</IntrBkSttlmDt>
      <ChrgBr>SHAR</ChrgBr>
      <Dbtr>
        <Nm>Nurlan   Abenov</Nm>
        <PstlAdr>
          <StrtNm>Dostyk avenue</StrtNm>
          <BldgNb>52</BldgNb>
          <PstCd>050010</PstCd>
          <TwnNm>Almaty</TwnNm>
          <Ctry>KZ</Ctry>
        </PstlAdr>
        <Id>
          <PrvtId>
            <DtAndPlcOfBirth>
              <BirthDt>1979-04-23</BirthDt>
              <CityOfBirth>Taraz</CityOfBirth>
              <CtryOfBirth>KZ</CtryOfBirth>
            </DtAndPlcOfBirth>
            <Othr><Id>790423300511</Id><SchmeNm><Cd>NIDN</Cd></SchmeNm></Othr>
          </PrvtId>
        </Id>
      </Dbtr>
      <DbtrAcct><Id><IBAN>KZ75125KZT2069100100</IBAN></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BICFI>HSBKKZKX</BICFI></FinInstnId></DbtrAgt>
      <CdtrAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></CdtrAgt>
      <Cdtr>
        <Nm>Orient Trade GmbH</Nm>
        <PstlAdr>
          <Ctry>DE</Ctry>
          <AdrLine>Kaiserstrasse 1</AdrLine>
          <AdrLine>60311 Frankfurt</AdrLine>
        </PstlAdr>
        <Id><OrgId><LEI>529900T8BM49AURSDO55</LEI></OrgId></Id>
      </Cdtr>
      <CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>
      <Purp><Cd>GDDS</Cd></Purp>
      <RmtInf><Ustrd>Invoice 2026/117</Ustrd><Ustrd>textile   machinery</Ustrd></RmtInf>
    </CdtTrfTxInf>
    <CdtTrfTxInf>
      <PmtId><EndToEndId>E2E-7732</EndToEndId></PmtId>
      <IntrBkSttlmAmt Ccy="KZT">48000</IntrBkSttlmAmt>
      <ChrgBr>DEBT</ChrgBr>
      <Dbtr><Nm>Айгүл Сейітқали</Nm></Dbtr>
      <DbtrAcct><Id><Othr><Id>4400430012345678</Id></Othr></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BICFI>CASPKZKA</BICFI></FinInstnId></DbtrAgt>
      <CdtrAgt><FinInstnId><Nm>Bank without a BIC</Nm></FinInstnId></CdtrAgt>
      <Cdtr><Nm>Bakyt Usenov</Nm></Cdtr>
    </CdtTrfTxInf>
  </FIToFICstmrCdtTrf>
</Document>
"""
"""Two transfers written for these tests: the first with everything R.16 asks of the originator,
the second with names and an account only."""

TX = "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf"
SECOND_CDTR = "<Cdtr><Nm>Bakyt Usenov</Nm></Cdtr>"


@pytest.fixture
def schema() -> Path:
    return shared_spec("iso20022/pacs.008.001.09.xsd")


def write(tmp_path: Path, text: str | bytes, name: str = "payments.xml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def changed(old: str, new: str, text: str = TWO_TRANSFERS) -> str:
    """The message with one fragment replaced; fails loudly if the fragment is not there."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def refusal(path: Path, schema: Path) -> str:
    with pytest.raises(InputError) as refused:
        read_pacs008(path, schema)
    message = str(refused.value)
    assert message.startswith(f"{path}:"), message
    return message


def test_two_transfers_map_every_field(schema: Path, tmp_path: Path) -> None:
    path = write(tmp_path, TWO_TRANSFERS)
    full, bare = read_pacs008(path, schema)

    assert (full.id, full.reference) == ("TX-7731", "8a562c67-ca16-48ba-b074-65581be6f011")
    assert full.timestamp == dt.datetime(2026, 3, 15, 9, 5, 9, tzinfo=dt.UTC)
    assert full.timestamp.utcoffset() is not None
    assert (full.amount, full.currency) == (Decimal("12500.75"), "USD")
    assert isinstance(full.amount, Decimal)
    assert (full.channel, full.purpose) == ("wire", "Invoice 2026/117 textile machinery")
    assert full.source.startswith(f"{path}, transaction 1")
    origin = full.originator
    assert (origin.name, origin.account, origin.bank) == (
        "Nurlan Abenov",
        "KZ75125KZT2069100100",
        "HSBKKZKX",
    )
    assert (origin.address, origin.country) == ("Dostyk avenue, 52, 050010, Almaty, KZ", "KZ")
    assert (origin.birth_date, origin.birth_place) == (dt.date(1979, 4, 23), "Taraz, KZ")
    assert origin.id == "790423300511"
    target = full.beneficiary
    assert (target.name, target.account, target.bank) == (
        "Orient Trade GmbH",
        "DE89370400440532013000",
        "DEUTDEFFXXX",
    )
    assert (target.address, target.country) == ("DE, Kaiserstrasse 1, 60311 Frankfurt", "DE")
    assert target.id == "529900T8BM49AURSDO55"

    assert (bare.id, bare.reference) == ("E2E-7732", "E2E-7732")
    assert bare.timestamp == full.timestamp
    assert (bare.amount, bare.currency) == (Decimal("48000"), "KZT")
    assert (bare.channel, bare.purpose) == ("wire", None)
    assert bare.source.startswith(f"{path}, transaction 2")
    assert (bare.originator.name, bare.originator.account, bare.originator.bank) == (
        "Айгүл Сейітқали",
        "4400430012345678",
        "CASPKZKA",
    )
    for party in (bare.originator, bare.beneficiary):
        assert party.address is party.country is party.id is None
        assert party.birth_date is None
        assert party.birth_place is None
    assert (bare.beneficiary.name, bare.beneficiary.account) == ("Bakyt Usenov", None)
    assert bare.beneficiary.bank is None


@pytest.mark.parametrize(
    ("created", "settled", "expected"),
    [
        ("2026-03-15T14:05:09", None, dt.datetime(2026, 3, 15, 14, 5, 9, tzinfo=dt.UTC)),
        ("2026-03-15T23:30:00Z", None, dt.datetime(2026, 3, 15, 23, 30, tzinfo=dt.UTC)),
        ("2026-03-15T14:05:09+05:00", "2026-03-17", dt.datetime(2026, 3, 17, tzinfo=dt.UTC)),
    ],
)
def test_timestamp_is_zone_aware_and_utc_when_the_message_gives_no_zone(
    schema: Path, tmp_path: Path, created: str, settled: str | None, expected: dt.datetime
) -> None:
    text = changed("2026-03-15T14:05:09+05:00", created)
    if settled:
        dated = f"<IntrBkSttlmDt>{settled}</IntrBkSttlmDt><ChrgBr>DEBT</ChrgBr>"
        text = changed("<ChrgBr>DEBT</ChrgBr>", dated, text)
    bare = read_pacs008(write(tmp_path, text), schema)[1]
    assert bare.timestamp == expected
    assert bare.timestamp.utcoffset() is not None


@pytest.mark.parametrize(
    ("identification", "expected"),
    [
        ("<OrgId><AnyBIC>ORTRDEFF</AnyBIC></OrgId>", "ORTRDEFF"),
        ("<OrgId><LEI>529900T8BM49AURSDO55</LEI></OrgId>", "529900T8BM49AURSDO55"),
        ("<OrgId><Othr><Id>HRB 12345</Id></Othr></OrgId>", "HRB 12345"),
        ("<PrvtId><Othr><Id>AN1234567</Id></Othr></PrvtId>", "AN1234567"),
    ],
)
def test_party_id_comes_from_organisation_or_private_identification(
    schema: Path, tmp_path: Path, identification: str, expected: str
) -> None:
    cdtr = f"<Cdtr><Nm>Bakyt Usenov</Nm><Id>{identification}</Id></Cdtr>"
    bare = read_pacs008(write(tmp_path, changed(SECOND_CDTR, cdtr)), schema)[1]
    assert bare.beneficiary.id == expected


@pytest.mark.parametrize(
    ("pmt_id", "expected"),
    [
        ("<EndToEndId>E2E-9</EndToEndId><TxId>TX-9</TxId>", ("TX-9", "E2E-9")),
        (
            "<InstrId>I-9</InstrId><EndToEndId>E2E-9</EndToEndId>"
            "<UETR>0b7a5b7e-3c4d-4e5f-8a6b-7c8d9e0f1a2b</UETR>",
            ("E2E-9", "0b7a5b7e-3c4d-4e5f-8a6b-7c8d9e0f1a2b"),
        ),
    ],
)
def test_id_prefers_txid_and_reference_prefers_uetr(
    schema: Path, tmp_path: Path, pmt_id: str, expected: tuple[str, str]
) -> None:
    text = changed("<PmtId><EndToEndId>E2E-7732</EndToEndId></PmtId>", f"<PmtId>{pmt_id}</PmtId>")
    bare = read_pacs008(write(tmp_path, text), schema)[1]
    assert (bare.id, bare.reference) == expected


def test_country_of_residence_stands_in_for_an_address(schema: Path, tmp_path: Path) -> None:
    cdtr = "<Cdtr><Nm>Bakyt Usenov</Nm><CtryOfRes>KG</CtryOfRes></Cdtr>"
    bare = read_pacs008(write(tmp_path, changed(SECOND_CDTR, cdtr)), schema)[1]
    assert (bare.beneficiary.country, bare.beneficiary.address) == ("KG", None)


def test_purpose_is_the_remittance_text_else_the_purpose_code(schema: Path, tmp_path: Path) -> None:
    text = changed("<Ustrd>Invoice 2026/117</Ustrd>", "<Ustrd>   </Ustrd>")
    text = changed("<Ustrd>textile   machinery</Ustrd>", "<Ustrd> </Ustrd>", text)
    full = read_pacs008(write(tmp_path, text), schema)[0]
    assert full.purpose == "GDDS"
    text = changed("<Ustrd>Invoice 2026/117</Ustrd>", "<Ustrd>  </Ustrd>")
    assert read_pacs008(write(tmp_path, text), schema)[0].purpose == "textile machinery"


@pytest.mark.parametrize(
    ("old", "new", "element", "where", "says"),
    [
        ("<ChrgBr>DEBT</ChrgBr>", "", f"{TX}[2]/Dbtr", "<Dbtr><Nm>Айгүл", "ChrgBr"),
        (
            "<SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf>",
            "",
            "/Document/FIToFICstmrCdtTrf/GrpHdr",
            "<GrpHdr>",
            "SttlmInf",
        ),
        ('Ccy="USD"', 'Ccy="usd"', f"{TX}[1]/IntrBkSttlmAmt", 'Ccy="usd"', "Ccy"),
        ('Ccy="KZT"', 'Ccy="TENGE"', f"{TX}[2]/IntrBkSttlmAmt", 'Ccy="TENGE"', "Ccy"),
        (">12500.75<", ">12500.7S<", f"{TX}[1]/IntrBkSttlmAmt", "12500.7S", "12500.7S"),
        (">48000<", ">-48000<", f"{TX}[2]/IntrBkSttlmAmt", "-48000", "-48000"),
        (">12500.75<", ">12500.123456<", f"{TX}[1]/IntrBkSttlmAmt", "12500.123456", "digits"),
        (
            "<BirthDt>1979-04-23</BirthDt>",
            "<BirthDt>23.04.1979</BirthDt>",
            f"{TX}[1]/Dbtr/Id/PrvtId/DtAndPlcOfBirth/BirthDt",
            "<BirthDt>",
            "23.04.1979",
        ),
        (
            "8a562c67-ca16-48ba-b074-65581be6f011",
            "8a562c67-ca16-18ba-b074-65581be6f011",
            f"{TX}[1]/PmtId/UETR",
            "<UETR>",
            "UETR",
        ),
        (
            "<BICFI>CASPKZKA</BICFI>",
            "<BICFI>CASPIAN</BICFI>",
            f"{TX}[2]/DbtrAgt/FinInstnId/BICFI",
            "CASPIAN",
            "BICFI",
        ),
    ],
)
def test_a_message_that_does_not_validate_is_refused_with_line_and_element_path(
    schema: Path, tmp_path: Path, old: str, new: str, element: str, where: str, says: str
) -> None:
    text = changed(old, new)
    line = text[: text.index(where)].count("\n") + 1
    path = write(tmp_path, text)
    message = refusal(path, schema)
    assert message.startswith(f"{path}:{line}: does not validate against pacs.008.001.09 at ")
    assert f" at {element}" in message
    assert says in message
    assert "{urn:" not in message


BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE Document [\n <!ENTITY a "aaaaaaaaaa">\n'
    + "".join(
        f' <!ENTITY {b} "{("&" + a + ";") * 10}">\n'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>\n"
)


@pytest.mark.parametrize(
    ("prolog", "entity", "line"),
    [
        (BOMB, "&i;", 1),
        ('<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', "&x;", 1),
        ('<!DOCTYPE Document [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>\n', "", 1),
        ('<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/pacs.dtd">\n', "", 1),
        (
            "<!--" + "padding " * 9000 + "-->\n"
            '<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
            "&x;",
            4,
        ),
    ],
    ids=["billion-laughs", "xxe-file", "parameter-entity", "external-dtd", "after-64k"],
)
def test_doctype_with_entities_or_an_external_dtd_is_refused(
    schema: Path, tmp_path: Path, prolog: str, entity: str, line: int
) -> None:
    document = TWO_TRANSFERS.partition("\n")[2].replace("Bakyt Usenov", entity or "Bakyt")
    if not prolog.startswith("<?xml"):
        prolog = '<?xml version="1.0"?>\n' + prolog
    path = write(tmp_path, prolog + document)
    message = refusal(path, schema)
    assert message.startswith(f"{path}:{line}: refused")
    assert "entit" in message


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("id,timestamp,amount,currency\n1,2026-03-15,100,KZT\n", "malformed XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not valid utf-8"),
        ("", "malformed XML"),
        (TWO_TRANSFERS[: len(TWO_TRANSFERS) // 2], "malformed XML"),
    ],
    ids=["csv", "binary", "empty", "truncated"],
)
def test_a_file_that_is_not_xml_is_refused(
    schema: Path, tmp_path: Path, content: str | bytes, says: str
) -> None:
    assert says in refusal(write(tmp_path, content), schema)


@pytest.mark.parametrize(
    "namespace",
    [
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
        None,
    ],
)
def test_a_document_of_another_namespace_is_refused(
    schema: Path, tmp_path: Path, namespace: str | None
) -> None:
    declared = f' xmlns="{namespace}"' if namespace else ""
    text = changed(f'<Document xmlns="{NAMESPACE}">', f"<Document{declared}>")
    message = refusal(write(tmp_path, text), schema)
    assert ":2: not a pacs.008 document" in message
    assert repr(namespace) in message


def test_a_missing_schema_is_named_not_skipped(tmp_path: Path) -> None:
    missing = tmp_path / "specs" / "pacs.008.001.09.xsd"
    with pytest.raises(InputError) as refused:
        read_pacs008(write(tmp_path, TWO_TRANSFERS), missing)
    assert str(refused.value).startswith(f"{missing}: the pacs.008.001.09 schema is needed")


def test_default_schema_is_looked_for_in_the_shared_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FINMON_PACS008_XSD", raising=False)
    monkeypatch.setenv("FINMON_SHARED_DIR", str(tmp_path))
    assert default_schema() == tmp_path / "specs" / "iso20022"
    monkeypatch.setenv("FINMON_PACS008_XSD", str(tmp_path / "mine.xsd"))
    assert default_schema() == tmp_path / "mine.xsd"
