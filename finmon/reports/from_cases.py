"""A suspicious-transaction report from an approved case, and a threshold report from threshold
alerts: finmon's records turned into goaml.Report.

Each transaction of the case becomes a goAML transaction between two parties as the loaded
transfer names them (t_from / t_to). finmon's transaction records do not hold what goAML asks of
the reporting entity's own clients (identity documents with issue and expiry dates, the account's
opening date, signatories), so the report names every party as a counterparty; the MLRO adds the
client details in goAML when the FIU's instance asks for them. Nothing is invented: a transaction
without a party's name or country, or in a currency with no rate into the local currency, is
refused with what is missing, and no file is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from finmon.errors import InputError
from finmon.reports.goaml import (
    GoamlConfig,
    Party,
    Report,
    ReportingEntity,
    ReportTransaction,
)

LEGAL_FORMS = frozenset(
    {
        "ТОО",
        "АО",
        "ОО",
        "ОФ",
        "ЧФ",
        "КФ",
        "ПК",
        "ГУ",
        "РГП",
        "ЖШС",
        "АҚ",
        "ҚБ",
        "LLP",
        "LLC",
        "JSC",
        "LTD",
        "GMBH",
        "INC",
    }
)
"""First words that make a party a legal entity: Kazakh and Russian legal forms (ТОО/ЖШС a
limited liability partnership, АО/АҚ a joint-stock company, ОО/ОФ/ҚБ public associations and
funds ...) and common foreign ones. ИП, an individual entrepreneur, is a person."""


def case_report(
    data: Mapping[str, Any],
    config: GoamlConfig,
    *,
    reporter: ReportingEntity,
    rates: Mapping[str, Decimal] | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """The suspicious-transaction report of an approved case (store.cases.case_report_data)."""
    if not data["transactions"]:
        raise InputError(
            f"case {data['case_id']}: none of its transactions is loaded in the store "
            f"({', '.join(data['transactions_not_loaded'][:5])}): load them with "
            "`finmon transactions load` first"
        )
    indicators = tuple(
        dict.fromkeys(
            config.indicator_codes.get(item["rule"]) or config.indicator_codes["default"]
            for item in data["indicators"]
        )
    )
    typologies = "; ".join(item["typology"] for item in data["indicators"])
    return Report(
        kind="str",
        entity_reference=f"CASE-{data['case_id']}",
        submission_date=now or dt.datetime.now(dt.UTC),
        reporter=reporter,
        transactions=tuple(_transaction(record, config, rates) for record in data["transactions"]),
        indicators=indicators,
        reason=f"{data['reason']} (finmon case {data['case_id']}: {typologies})",
        action=(
            f"Proposed by {data['proposed_by']}, approved by {data['approved_by']} on "
            f"{str(data['approved_at'])[:10]}; the account is under enhanced monitoring"
        ),
    )


def threshold_report(
    records: Sequence[Mapping[str, Any]],
    config: GoamlConfig,
    *,
    reference: str,
    reporter: ReportingEntity,
    rates: Mapping[str, Decimal] | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """A threshold-transaction report (Article 4) of transaction records (model.to_record)."""
    if not records:
        raise InputError("a threshold report needs at least one transaction")
    return Report(
        kind="threshold",
        entity_reference=reference,
        submission_date=now or dt.datetime.now(dt.UTC),
        reporter=reporter,
        transactions=tuple(_transaction(record, config, rates) for record in records),
        indicators=(config.indicator_codes.get("threshold") or config.indicator_codes["default"],),
    )


def _transaction(
    record: Mapping[str, Any], config: GoamlConfig, rates: Mapping[str, Decimal] | None
) -> ReportTransaction:
    where = f"transaction {record['id']!r}"
    amount = Decimal(str(record["amount"]))
    currency = str(record["currency"]).upper()
    if currency != config.currency_code_local:
        rate = (rates or {}).get(currency)
        if rate is None:
            raise InputError(
                f"{where}: amount in {currency}; the report is in {config.currency_code_local}: "
                "give --rates"
            )
        amount = (amount * rate).quantize(Decimal("0.01"))
    ours, theirs = record.get("originator") or {}, record.get("beneficiary") or {}
    text = str(record.get("reference") or record.get("purpose") or "")
    # goAML's t_account needs the account's institution; an account whose bank the transfer does
    # not name is given in the description instead, the party reported as a person or entity.
    unplaced = [
        f"{label} account {side['account']}"
        for label, side in (("from", ours), ("to", theirs))
        if side.get("account") and not side.get("bank")
    ]
    accounts = ", ".join(unplaced)
    return ReportTransaction(
        number=str(record["id"]),
        date=dt.datetime.fromisoformat(str(record["timestamp"])),
        amount_local=amount,
        channel=str(record.get("channel") or "transfer"),
        from_party=_party(ours, f"{where}: the originator"),
        to_party=_party(theirs, f"{where}: the beneficiary"),
        description="; ".join(part for part in (text, accounts) if part),
    )


def _party(side: Mapping[str, Any], where: str) -> Party:
    missing = [field for field in ("name", "country") if not side.get(field)]
    if missing:
        raise InputError(f"{where} has no {' and no '.join(missing)}: goAML needs both")
    name = str(side["name"])
    return Party(
        name=name,
        kind="entity" if name.split()[0].strip("«»\"'").upper() in LEGAL_FORMS else "person",
        country=str(side["country"]).upper(),
        account=side.get("account") if side.get("bank") else None,
        bank=side.get("bank"),
        id_number=side.get("id"),
    )
