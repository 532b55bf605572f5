"""FIU intake speed: N goAML reports from E registered reporting entities, written by finmon's own
goAML writer (`finmon.reports.goaml.to_xml` with the Kazakhstan configuration), received through
`finmon.services.fiu_intake.intake_files` (the path `finmon fiu intake` takes) into a fresh store.

    PYTHONPATH=$PWD python bench/fiu_intake.py [--reports 10000] [--entities 40] [--database URL]

Prints the time to generate the files (not counted), the intake time, reports a second, and
checks that every report was accepted. A tenth of the reports are resubmissions of earlier ones,
so the version chain is exercised at scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import shared_data  # noqa: E402
from finmon.reports.goaml import (  # noqa: E402
    Identification,
    Party,
    Person,
    Report,
    ReportingEntity,
    ReportTransaction,
    load_config,
    to_xml,
)

GIVEN = ["Айбек", "Қайрат", "Нұрлан", "Динара", "Әлия", "Ерлан", "Timur", "Aigerim", "Сәуле"]
SURNAMES = ["Абенов", "Сәрсенбаев", "Tokayev", "Жұмабаев", "Иванов", "Nurlanov", "Қасымов"]
CHANNELS = ["wire", "cash", "transfer", "card", "online"]
INDICATORS = ["SIWOT", "SCTFS", "MCDSL", "TFFTH", "UFNPO"]
REPORTER = ReportingEntity(
    rentity_id=1,  # each report's own registered entity is put in its place before intake
    branch="Алматинский филиал",
    person=Person(
        first_name="Әлия",
        last_name="Сәрсенбаева",
        occupation="MLRO",
        email="mlro@example.kz",
        phone="+7 727 000 00 00",
    ),
)


def bins(count: int) -> list[str]:
    """Valid BINs, the first `count` of a series."""
    from finmon.lists.identifiers import is_valid_iin_bin

    found = []
    number = 40140000000
    while len(found) < count:
        number += 1
        if is_valid_iin_bin(f"{number:012d}"):
            found.append(f"{number:012d}")
    return found


def person(rng: random.Random) -> Person:
    """A client with what goAML asks of an entity's own client."""
    return Person(
        first_name=rng.choice(GIVEN),
        last_name=rng.choice(SURNAMES),
        birth_date=dt.date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)),
        id_number=f"{rng.randrange(10**11, 10**12)}",
        nationality="KZ",
        residence="KZ",
        identification=Identification(
            kind="id_card",
            number=f"{rng.randrange(10**8, 10**9)}",
            issue_date=dt.date(2019, 5, 20),
            expiry_date=dt.date(2029, 5, 19),
            issue_country="KZ",
        ),
    )


def report(rng: random.Random, reference: str) -> Report:
    """A suspicious-transaction report of one client's 1 to 4 transfers."""
    holder = person(rng)
    client = Party(
        name=f"{holder.last_name} {holder.first_name}",
        country="KZ",
        account=f"KZ{rng.randrange(10, 99)}125KZT{rng.randrange(10**9, 10**10)}",
        bank="АО «Банк»",
        bank_code="HSBKKZKX",
        is_my_client=True,
        holder=holder,
        account_opened=dt.date(2015, 6, 1),
    )
    transactions = []
    for number in range(rng.randrange(1, 5)):
        other = Party(
            name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
            country=rng.choice(["KZ", "KG", "TR", "AE"]),
            account=f"{rng.randrange(10**15, 10**16)}",
            bank="Other bank",
            bank_code="AIYLKG22",
        )
        outgoing = rng.random() < 0.5
        transactions.append(
            ReportTransaction(
                number=f"{reference}-T{number}",
                date=dt.datetime(2026, 5, 1 + rng.randrange(28), rng.randrange(24), 0),
                amount_local=Decimal(rng.randrange(10_000, 5_000_000)),
                channel=rng.choice(CHANNELS),
                from_party=client if outgoing else other,
                to_party=other if outgoing else client,
            )
        )
    return Report(
        kind="str",
        entity_reference=reference,
        submission_date=dt.datetime(2026, 6, 1, 10, 0),
        reporter=REPORTER,
        transactions=tuple(transactions),
        indicators=(rng.choice(INDICATORS),),
        reason="Generated for the intake benchmark.",
    )


def write_corpus(folder: Path, reports: int, entities: int, seed: int = 7) -> list[Path]:
    """The reports as files; every tenth one a resubmission of an earlier report id."""
    rng = random.Random(seed)
    config = load_config()
    paths = []
    for index in range(reports):
        entity = 1 + index % entities
        reference = (
            f"STR-{index // entities}"
            if index % 10
            else f"STR-{rng.randrange(max(1, index // entities))}"
        )
        xml = to_xml(report(rng, reference), config)
        xml = xml.replace(b"<rentity_id>1<", f"<rentity_id>{entity}<".encode(), 1)
        path = folder / f"report-{index:05d}.xml"
        path.write_bytes(xml)
        paths.append(path)
    return paths


def main() -> None:
    """Generate, receive, time, check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--entities", type=int, default=40)
    parser.add_argument("--database", help="a database URL (default: SQLite in a temporary home)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        os.environ["FINMON_HOME"] = str(home / "home")
        if args.database:
            os.environ["FINMON_DATABASE_URL"] = args.database
        os.environ["FINMON_FIU_SCHEMA"] = str(
            shared_data().parent / "specs" / "goaml" / "goAMLSchema-5.0.2-UAE.xsd"
        )
        from finmon.services import fiu_intake

        for number, bin in enumerate(bins(args.entities), start=1):
            fiu_intake.register_entity(
                "bench", bin=bin, goaml_id=number, name=f"Bank {number}", kind="bank"
            )
        started = time.perf_counter()
        (home / "reports").mkdir()
        paths = write_corpus(home / "reports", args.reports, args.entities)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        acks = fiu_intake.intake_files("bench", paths)
        took = time.perf_counter() - started
        rejected = [a for a in acks if a.status != "accepted"]
        replacing = sum(1 for a in acks if a.replaces)
        mentions = len(fiu_intake.current_mentions("bench"))
    print(f"generated {args.reports:,} reports from {args.entities} entities in {generated:.1f} s")
    print(
        f"intake: {len(acks):,} reports in {took:.1f} s ({len(acks) / took:,.0f} a second); "
        f"{len(acks) - len(rejected):,} accepted, {len(rejected)} rejected, {replacing:,} "
        f"resubmissions replacing an earlier version; {mentions:,} current mentions"
    )
    print(
        "target: 10,000 reports in under 60 s:",
        "met" if took < 60 * args.reports / 10_000 else "NOT met",
    )
    for ack in rejected[:5]:
        print("rejected:", ack.file, [str(r) for r in ack.reasons])
    print("command: PYTHONPATH=$PWD python bench/fiu_intake.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
