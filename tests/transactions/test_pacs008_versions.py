"""pacs.008 .07 to .13 and pacs.009 COV, bare or in any envelope: each Document found by its
namespace, validated against its own version's schema (or read with structural checks, saying so),
its business application header kept with each payment, and a message that cannot be read skipped
and named while the others of the file are read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import InputError
from finmon.transactions.pacs008 import NAMESPACE, read_pacs008, read_pacs008_file
from finmon.transactions.reader import detect_format
from tests.conftest import SHARED, shared_file, shared_spec
from tests.transactions.test_pacs008 import TWO_TRANSFERS

ISO = "urn:iso:std:iso:20022:tech:xsd:"
runner = CliRunner()


@pytest.fixture
def schemas() -> Path:
    """The directory of the shared ISO 20022 schemas."""
    return shared_spec("iso20022/pacs.008.001.09.xsd").parent


def document(version: str, msg_id: str = "M-1") -> str:
    """The two-transfer fixture as a Document of another version, without its XML declaration."""
    body = TWO_TRANSFERS.split("\n", 1)[1].replace(NAMESPACE, ISO + version)
    return body.replace("HSBKKZKX-20260315-07", msg_id)


def header(
    version: str = "head.001.001.02", sender: str = "HSBKKZKXXXX", ident: str = "B-1"
) -> str:
    return f"""<AppHdr xmlns="{ISO}{version}">
      <Fr><FIId><FinInstnId><BICFI>{sender}</BICFI></FinInstnId></FIId></Fr>
      <To><FIId><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></FIId></To>
      <BizMsgIdr>{ident}</BizMsgIdr>
      <MsgDefIdr>pacs.008.001.08</MsgDefIdr>
      <CreDt>2026-03-15T09:05:09Z</CreDt>
    </AppHdr>"""


def write(tmp_path: Path, text: str, name: str = "payments.xml") -> Path:
    path = tmp_path / name
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "version",
    [f"pacs.008.001.{n:02d}" for n in range(8, 14)],
)
def test_every_version_bare_is_validated_against_its_own_schema(
    schemas: Path, tmp_path: Path, version: str
) -> None:
    reading = read_pacs008_file(write(tmp_path, document(version)), schemas)
    assert not reading.skipped
    assert [t.id for t in reading.transactions] == ["TX-7731", "E2E-7732"]
    first = reading.transactions[0]
    assert first.originator.name == "Nurlan Abenov"
    assert first.message is not None
    assert first.message.format == version
    assert first.message.wrapper == "none"
    assert first.message.checked == f"{version}: valid against {version}.xsd"
    assert first.message.message_id == "M-1"


@pytest.mark.parametrize(
    ("envelope", "wrapper"),
    [
        ("<message>{h}{d}</message>", "message+AppHdr"),
        ('<Envelope xmlns="urn:swift:xsd:envelope">{h}{d}</Envelope>', "Envelope+AppHdr"),
        (
            '<Saa:DataPDU xmlns:Saa="urn:swift:saa:xsd:saa.2.0"><Saa:Revision>2.0.13</Saa:Revision>'
            "<Saa:Header/><Saa:Body>{h}{d}</Saa:Body></Saa:DataPDU>",
            "DataPDU/Body+AppHdr",
        ),
        ('<Message xmlns="urn:clearing:house">{h}{d}</Message>', "Message+AppHdr"),
    ],
)
def test_a_wrapped_message_keeps_its_header_with_each_payment(
    schemas: Path, tmp_path: Path, envelope: str, wrapper: str
) -> None:
    text = envelope.format(h=header(), d=document("pacs.008.001.10"))
    reading = read_pacs008_file(write(tmp_path, text), schemas)
    assert not reading.skipped, reading.skipped
    assert len(reading.transactions) == 2
    for payment in reading.transactions:
        info = payment.message
        assert info is not None
        assert (info.format, info.wrapper, info.header) == (
            "pacs.008.001.10",
            wrapper,
            "head.001.001.02",
        )
        assert (info.sender, info.receiver, info.message_id, info.created) == (
            "HSBKKZKXXXX",
            "DEUTDEFFXXX",
            "B-1",
            "2026-03-15T09:05:09Z",
        )
        assert "head.001.001.02: valid against head.001.001.02.xsd" in info.checked


def test_several_messages_in_one_file_each_with_its_own_header(
    schemas: Path, tmp_path: Path
) -> None:
    one = f"<Msg>{header(sender='AAAAKZKXXXX', ident='B-1')}{document('pacs.008.001.08')}</Msg>"
    two = f"<Msg>{header(sender='BBBBKZKXXXX', ident='B-2')}{document('pacs.008.001.12')}</Msg>"
    reading = read_pacs008_file(write(tmp_path, f"<Batch>{one}{two}</Batch>"), schemas)
    assert [(t.message.format, t.message.sender) for t in reading.transactions if t.message] == [
        ("pacs.008.001.08", "AAAAKZKXXXX"),
        ("pacs.008.001.08", "AAAAKZKXXXX"),
        ("pacs.008.001.12", "BBBBKZKXXXX"),
        ("pacs.008.001.12", "BBBBKZKXXXX"),
    ]
    assert ", message 1, transaction 1 (line " in reading.transactions[0].source
    assert ", message 2, transaction 2 (line " in reading.transactions[3].source


def test_an_invalid_message_is_skipped_and_named_and_the_others_are_read(
    schemas: Path, tmp_path: Path
) -> None:
    broken = document("pacs.008.001.10").replace("<ChrgBr>SHAR</ChrgBr>", "", 1)
    broken = broken.replace("<SttlmMtd>CLRG</SttlmMtd>", "<SttlmMtd>NOPE</SttlmMtd>")
    text = f"<Batch>{document('pacs.008.001.08')}{broken}</Batch>"
    path = write(tmp_path, text)
    reading = read_pacs008_file(path, schemas)
    assert len(reading.transactions) == 2
    assert len(reading.skipped) == 1
    reason = str(reading.skipped[0])
    assert reason.startswith(f"{path}, message 2:")
    assert "does not validate against pacs.008.001.10 at" in reason
    assert "SttlmMtd" in reason
    with pytest.raises(InputError, match="message 2"):
        read_pacs008(path, schemas)


def test_a_version_without_a_schema_is_read_by_structure_and_says_so(
    schemas: Path, tmp_path: Path
) -> None:
    only_09 = tmp_path / "schemas"
    only_09.mkdir()
    (only_09 / "pacs.008.001.09.xsd").write_bytes((schemas / "pacs.008.001.09.xsd").read_bytes())
    reading = read_pacs008_file(write(tmp_path, document("pacs.008.001.12")), only_09)
    assert len(reading.transactions) == 2
    info = reading.transactions[0].message
    assert info is not None
    assert info.checked == "pacs.008.001.12: no schema at hand, structural checks only"
    assert "structural checks only" in reading.summary()


def test_structural_checks_still_refuse_what_finmon_cannot_read(
    schemas: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "none"
    empty.mkdir()
    bad = document("pacs.008.001.12").replace('Ccy="USD">12500.75', 'Ccy="USD">lots')
    reading = read_pacs008_file(write(tmp_path, bad), empty)
    assert [t.id for t in reading.transactions] == ["E2E-7732"]
    assert "transaction 1" in str(reading.skipped[0])
    assert "IntrBkSttlmAmt 'lots'" in str(reading.skipped[0])


PACS009_COV = f"""<Document xmlns="{ISO}pacs.009.001.08">
  <FICdtTrf>
    <GrpHdr>
      <MsgId>COV-1</MsgId><CreDtTm>2026-03-15T10:00:00Z</CreDtTm><NbOfTxs>1</NbOfTxs>
      <SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>
    </GrpHdr>
    <CdtTrfTxInf>
      <PmtId><InstrId>I-9</InstrId><EndToEndId>E2E-9</EndToEndId><TxId>COV-TX-9</TxId></PmtId>
      <IntrBkSttlmAmt Ccy="EUR">25000</IntrBkSttlmAmt>
      <IntrBkSttlmDt>2026-03-15</IntrBkSttlmDt>
      <Dbtr><FinInstnId><BICFI>HSBKKZKXXXX</BICFI></FinInstnId></Dbtr>
      <Cdtr><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></Cdtr>
      <UndrlygCstmrCdtTrf>
        <Dbtr><Nm>Nurlan Abenov</Nm><PstlAdr><TwnNm>Almaty</TwnNm><Ctry>KZ</Ctry></PstlAdr></Dbtr>
        <DbtrAcct><Id><IBAN>KZ75125KZT2069100100</IBAN></Id></DbtrAcct>
        <DbtrAgt><FinInstnId><BICFI>HSBKKZKXXXX</BICFI></FinInstnId></DbtrAgt>
        <CdtrAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></CdtrAgt>
        <Cdtr><Nm>Orient Trade GmbH</Nm><PstlAdr><Ctry>DE</Ctry></PstlAdr></Cdtr>
        <CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>
        <RmtInf><Ustrd>Invoice 42</Ustrd></RmtInf>
      </UndrlygCstmrCdtTrf>
    </CdtTrfTxInf>
  </FICdtTrf>
</Document>"""


def test_a_pacs009_cover_payment_is_screened_on_the_underlying_customers(
    schemas: Path, tmp_path: Path
) -> None:
    reading = read_pacs008_file(write(tmp_path, PACS009_COV), schemas)
    assert not reading.skipped, reading.skipped
    (payment,) = reading.transactions
    assert payment.originator.name == "Nurlan Abenov"
    assert payment.originator.account == "KZ75125KZT2069100100"
    assert payment.beneficiary.name == "Orient Trade GmbH"
    assert payment.purpose == "Invoice 42"
    assert payment.message is not None
    assert payment.message.format == "pacs.009.001.08 COV"
    assert payment.message.checked == "pacs.009.001.08: valid against pacs.009.001.08.xsd"


@pytest.mark.parametrize(
    ("name", "version", "wrapper", "sender"),
    [
        ("fednow_CustomerCreditTransfer_Scenario1_Step1.xml", "pacs.008.001.08", "none", None),
        (
            "fednow_CustomerCreditTransfer_Variation4_UltimateDebtor.xml",
            "pacs.008.001.08",
            "none",
            None,
        ),
        (
            "fednow_CustomerCreditTransfer_Variation5_UltimateCreditor.xml",
            "pacs.008.001.08",
            "none",
            None,
        ),
        ("fedwire_Drawdowns_Scenario1_Step3.xml", "pacs.008.001.08", "none", None),
        (
            "prowide-iso20022_pacs.008.001.07.xml",
            "pacs.008.001.07",
            "message+AppHdr",
            "MLCOUS33XXX",
        ),
    ],
)
def test_every_real_pacs008_file_is_read(
    schemas: Path, name: str, version: str, wrapper: str, sender: str | None
) -> None:
    path = shared_file(f"real/pacs008/{name}")
    assert detect_format(path) == "pacs008"
    reading = read_pacs008_file(path, schemas)
    assert not reading.skipped, reading.skipped
    assert len(reading.transactions) == 1
    info = reading.transactions[0].message
    assert info is not None
    assert (info.format, info.wrapper, info.sender) == (version, wrapper, sender)
    assert f"{version}: valid against {version}.xsd" in info.checked
    if wrapper != "none":
        assert (info.instructed_amount, info.charges) == ("USD 5000", "SHAR")
        assert info.header == "head.001.001.01"
        assert "head.001.001.01: no schema at hand, structural checks only" in info.checked


def test_check_payment_decides_every_real_pacs008_file(tmp_path: Path) -> None:
    lists = shared_file("lists/un_consolidated_2026-02-27.xml")
    files = sorted((SHARED / "data" / "real" / "pacs008").glob("*.xml"))
    assert len(files) >= 5 or not files
    if not files:
        shared_file("real/pacs008/prowide-iso20022_pacs.008.001.07.xml")
    assert runner.invoke(app, ["lists", "load", str(lists)]).exit_code == 0
    for path in files:
        out = tmp_path / f"{path.stem}.jsonl"
        done = runner.invoke(app, ["check-payment", str(path), "--output", str(out)])
        assert done.exit_code == 0, done.stderr
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert rows and all(row["decision"] in ("allow", "hold") for row in rows)
        assert all(row["message"]["format"].startswith("pacs.008.001.0") for row in rows)
        assert all(row["message"]["wrapper"] for row in rows)
        assert "0 messages or transfers not read" in done.stderr
