"""Monitoring on Kazakhstan activity written independently of finmon's rules and simulators.

    python bench/kz_activity.py generate --seed 101 --out out/kz_activity/101
    python bench/kz_activity.py run --seeds 101,102,103,104,105 [--no-docs]

`generate` writes transactions.csv (finmon's canonical CSV), accounts.csv (the bank's customers:
account, customer_id, name, segment, listed, opened, activity) and labels.csv (account, typology)
for one seed. `run` generates each seed, runs the `finmon monitor` command at the shipped defaults
with the accounts table and without it, and reports per seed the share of ordinary accounts
reaching the pack's review threshold, per rule the ordinary accounts its alerts name, and recall
per planted kind; the generation and each monitor run are timed. The world is described in
bench/kz_world.py, bench/kz_ordinary.py and bench/kz_planted.py.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.kz_ordinary import customers, infrastructure, ordinary  # noqa: E402
from bench.kz_planted import KINDS, plant  # noqa: E402
from bench.kz_world import START, Account, World  # noqa: E402

OUT = ROOT / "out" / "kz_activity"
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Monitoring on independently written activity"
CUSTOMERS = 5_000
COLUMNS = (
    "id timestamp originator_account originator_name originator_id originator_country "
    "beneficiary_account beneficiary_name beneficiary_id beneficiary_country amount currency "
    "channel reference"
).split()
ACTIVITY = {
    "employee": "наемный работник",
    "pensioner": "пенсионер",
    "student": "студент",
    "migrant_worker": "наемный работник",
    "remittance_family": "наемный работник",
    "hub_family": "наемный работник",
    "self_employed": "самозанятый",
    "online_seller": "ИП, интернет-торговля",
    "cash_trader": "ИП, оптовая торговля",
    "seasonal_trader": "ИП, сельхозпродукция",
    "landlord": "наемный работник",
    "study_abroad_parent": "наемный работник",
    "leaving_abroad": "наемный работник",
    "small_firm": "ТОО",
    "charity": "некоммерческая организация",
    "merchant": "торговля",
    "planted": "наемный работник",
    "listed": "наемный работник",
}


def build(seed: int, size: int = CUSTOMERS) -> World:
    """The world of one seed: parties, ordinary activity, planted cases."""
    w = World(seed, size)
    infrastructure(w)
    customers(w)
    ordinary(w)
    plant(w)
    w.rows.sort(key=lambda r: r[0])
    return w


def side(a: Account | None, holder: Account) -> list[str]:
    """account, name, id, country of one side; cash shows the holder without an account."""
    if a is None:
        return ["", holder.name, holder.ident, "KZ"]
    return [a.number, a.name, a.ident, a.country]


def write(w: World, out: Path) -> dict[str, int]:
    """The seed's transactions.csv, accounts.csv (customers only, as a bank exports them),
    labels.csv, and kinds.json (each account's kind of activity, for the report)."""
    out.mkdir(parents=True, exist_ok=True)
    write_transfers(w, out / "transactions.csv")
    kept = write_accounts(w, out / "accounts.csv")
    with (out / "labels.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["account", "typology"])
        for account, kind in w.labels.items():
            writer.writerow([account.number, kind])
    (out / "kinds.json").write_text(
        json.dumps({a.number: "+".join([a.kind, *a.roles]) for a in w.accounts})
    )
    return {"transfers": len(w.rows), "customers": kept, "accounts": len(w.accounts)}


def write_transfers(w: World, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for n, (when, src, dst, amount, channel, ref, currency) in enumerate(w.rows):
            stamp = (START + dt.timedelta(seconds=round(when))).strftime("%Y-%m-%dT%H:%M:%S")
            holder = src or dst
            assert holder is not None
            a = side(src, holder) if src else side(None, holder)
            b = side(dst, holder) if dst else ["", "", "", "KZ"]
            writer.writerow(
                [f"T{n + 1:07d}", stamp, *a, *b, f"{amount:.2f}", currency, channel, ref]
            )


def write_accounts(w: World, path: Path) -> int:
    kept = [a for a in w.accounts if a.customer]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["account", "customer_id", "name", "segment", "listed", "opened", "activity"]
        )
        for a in kept:
            listed = "true" if a.listed else "false"
            activity = ACTIVITY.get(a.kind, "")
            writer.writerow([a.number, a.ident, a.name, a.segment, listed, a.opened, activity])
    return len(kept)


@dataclass
class Monitored:
    """One `finmon monitor` run over a seed's files, as the CLI reports it."""

    seconds: float
    printed: int  # accounts at or above the review threshold, as the CLI prints
    threshold: float
    alerts: list[dict[str, str]]
    reaching: set[str] = field(default_factory=set)


def monitor(folder: Path, with_table: bool, home: Path) -> Monitored:
    """Run the CLI at the shipped defaults; the alerts file says which accounts reach."""
    name = "alerts_table.csv" if with_table else "alerts_bare.csv"
    command = [str(Path(sys.executable).parent / "finmon"), "monitor"]
    command += [str(folder / "transactions.csv"), "--output", str(folder / name)]
    if with_table:
        command += ["--accounts", str(folder / "accounts.csv")]
    env = {**os.environ, "FINMON_HOME": str(home)}
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"finmon monitor exited {done.returncode}: {done.stderr[-2000:]}")
    found = re.search(r"([\d,]+) at or above the review threshold ([\d.]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no review count in: {done.stderr[-1000:]}")
    with (folder / name).open(encoding="utf-8") as f:
        alerts = list(csv.DictReader(f))
    run = Monitored(seconds, int(found[1].replace(",", "")), float(found[2]), alerts)
    run.reaching = reaching(alerts, run.threshold)
    if len(run.reaching) != run.printed:
        print(f"  note: {len(run.reaching)} accounts from the alerts, the CLI says {run.printed}")
    return run


def reaching(alerts: list[dict[str, str]], threshold: float) -> set[str]:
    """The accounts at or above the review threshold, from the alerts file: an account's score
    is the shipped pack's typology score over its alerts (rules resting on shared evidence
    counted once). Read off the CLI's output (it gives the count this way at every seed run so
    far, and `run` checks it each time)."""
    from finmon.monitoring.engine import typology_scores
    from finmon.monitoring.rules import load_pack

    scores = typology_scores(alerts, load_pack().evidence)
    return {account for account, score in scores.items() if score >= threshold - 1e-9}


@dataclass
class SeedResult:
    seed: int
    sizes: dict[str, int]
    generate_seconds: float
    runs: dict[str, Monitored]
    ordinary: set[str]
    labels: dict[str, str]
    kinds: dict[str, str]

    def share(self, run: str) -> tuple[int, float]:
        hit = len(self.runs[run].reaching & self.ordinary)
        return hit, hit / len(self.ordinary)

    def recall(self, run: str) -> dict[str, float]:
        reached = self.runs[run].reaching
        per: dict[str, list[bool]] = defaultdict(list)
        for account, kind in self.labels.items():
            per[kind].append(account in reached)
        return {kind: sum(v) / len(v) for kind, v in per.items()}

    def per_rule(self, run: str) -> Counter[str]:
        named: dict[str, set[str]] = defaultdict(set)
        for alert in self.runs[run].alerts:
            if alert["account"] in self.ordinary:
                named[alert["rule"]].add(alert["account"])
        return Counter({rule: len(v) for rule, v in named.items()})


def read_table(path: Path, key: str, value: str) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        return {row[key]: row[value] for row in csv.DictReader(f)}


def one_seed(seed: int) -> SeedResult:
    folder = OUT / str(seed)
    began = time.perf_counter()
    sizes = write(build(seed), folder)
    generated = time.perf_counter() - began
    labels = read_table(folder / "labels.csv", "account", "typology")
    listed = read_table(folder / "accounts.csv", "account", "listed")
    ordinary = {a for a, flag in listed.items() if flag == "false" and a not in labels}
    kinds = json.loads((folder / "kinds.json").read_text())
    with tempfile.TemporaryDirectory() as home:
        runs = {
            "table": monitor(folder, True, Path(home)),
            "bare": monitor(folder, False, Path(home)),
        }
    return SeedResult(seed, sizes, generated, runs, ordinary, labels, kinds)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


PREAMBLE = """`bench/kz_activity.py` generates six months of a Kazakhstan bank's customers and
their payments and runs `finmon monitor` over them at the shipped defaults, with the accounts
table and without it. The generator (bench/kz_world.py, kz_ordinary.py, kz_planted.py) was
written from how people and firms in Kazakhstan pay, and its planted cases from the typologies
of REFERENCE.md section 9, without reading finmon's rules, packs or simulators: payroll (with
advances), pensions and child benefits, students (parents, stipends, classmates splitting
bills), rent, utilities, mobile top-ups, card payments and a marketplace, P2P transfers among
friends, workers from Uzbekistan, Kyrgyzstan and Tajikistan remitting home, families receiving
from abroad over 14 corridors, families with relatives or business in Turkey, the Emirates,
Georgia and Azerbaijan, taxi drivers, tutors and beauty masters paid by many people, online
sellers, bazaar traders depositing cash and paying suppliers abroad, seasonal traders,
landlords, parents paying tuition abroad, people leaving to work or study abroad, small firms,
foundations, a flood appeal and community fundraising (treatment abroad, funerals). The segment
mix, corridor mix, amounts and frequencies are drawn per seed. Planted, 10-20 per kind and
seed, each hidden in an account that otherwise lives an ordinary life: collections sent on to
a conflict-zone neighbour or a transit hub, a foundation diverting money abroad and to cash,
cash deposits under round sums then abroad, pass-through, payments to a listed person's account
(`listed` in the accounts table), a change of behaviour before travel.""".splitlines()

FINDINGS = """What the ordinary customers reaching review were doing (all five seeds, with the
table; the kinds are the generator's, never given to finmon):

- Community collections (199 organisers: a relative's treatment, a funeral, a fire): 95% reach
  review. Dozens to hundreds of people send 500-30,000 KZT each within a few days, and the
  organiser then pays the clinic (often abroad), hands the sum to the family or takes it in
  cash. `funnel_account` (many distinct senders in a day or two) with `collected_then_moved`
  (the money then goes out) alerts them; `transit_hub_transfers` joins when the clinic is in
  Turkey.
- Foundations (135): 41% reach review, on one payment to a clinic abroad for a child's
  treatment (`npo_abroad`, one transfer is enough), or on the cash a flood appeal hands out
  (`npo_cash_share`).
- Seasonal traders (502): 13.5%: a wholesale buyer pays for the harvest and the trader pays
  farmers or draws cash the same or next day (`pass_through_firm`). Online sellers (776): 2.2%,
  a marketplace payout then a cash withdrawal or a supplier payment within a day.
- Small firms (1,202): 3.3%, and 40 accounts of their suppliers at other banks: a firm that both
  buys from and sells to the same counterparty, two amounts within about 10% a few days apart
  (`cycle`).
- People leaving to work or study abroad (339): 4.1%: the car sold, then the money sent to
  their own account abroad within days (`pass_through_abroad`), or a first transfer to Turkey or
  the Emirates (`new_corridor` with `transit_hub_transfers`: two 0.3 scores reach 0.5 together).
- Families with relatives in Turkey or the Emirates (1,078): 0.7%, employees 4 of 9,435: a first
  transfer or two to a relative there (`new_corridor` with `transit_hub_transfers`), nothing
  else.
- Not alerted into review: migrant workers remitting home (1,964), families receiving from
  abroad (1,425), bazaar traders paying suppliers abroad from cash (486), taxi drivers and
  tutors paid by many people (1,607: `collected_then_moved` names 1,212 of them, at 0.2 alone),
  students, pensioners, landlords, parents paying tuition abroad.

Misses: planted pass-through (an account that forwards 90-99% of what a few people send within
hours to a day and a half, 3-9 times) is found at 0.07-0.31 whether it forwards abroad or at
home, with or without an ordinary life around it. A change of behaviour before travel is found
when its new transfers go to Turkey or the Emirates (43 of 44) and missed when they go to
Georgia or Azerbaijan (1 of 26): the change itself counts only where the destination is on a
list. Collections sent on abroad are missed mostly when the recipient is in Pakistan (6 of 9),
Georgia or Azerbaijan (5 of 11). Structured cash (0.67-0.94) is missed 16 times in 84, not
for its destination. `listed_link` finds every payer of a listed account with the table and
none without it (no store: `listed` comes only from the table here); it also names, two hops
away, a few ordinary people who paid or were paid by a payer.

A bank's export as Kazakhstan banks write it (tried on a 300-customer seed): semicolons, a
decimal comma, thousands separated by spaces, `DD.MM.YYYY HH:MM:SS` times, country names in
Russian, `listed` as `да`/`1`/`Y` and cash deposits without the depositor's name are read as the
canonical file. But channels in Russian other than the bare word `наличные` are read as plain
transfers, without a word: `Снятие наличных в банкомате`, `Выдача наличных` and `снятие
наличных` are not cash-outs, `Взнос наличных` and `Пополнение наличными` not cash deposits,
`Оплата картой` and `Покупка` not card payments (9, 17 and 0 alerts lost, 0, 3 and 3 new). An
accounts table with semicolons is refused (`no 'account' column`) though a transactions file
with them is read; segments as a bank names them (`ФЛ`, `ЮЛ`, `НКО`) are taken without a warning
and change the alerts (153 lost, 168 new); a `₸` currency is refused per row (exit 10, named).
The generator writes the English channel names, ISO codes and finmon's segments.""".splitlines()


def seed_table(results: list[SeedResult]) -> list[str]:
    lines = [
        "| seed | transfers | customers (ordinary) | ordinary reaching review, with table "
        "| without table | generate s | monitor s (with / without) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        (t, ts), (b, bs) = r.share("table"), r.share("bare")
        lines.append(
            f"| {r.seed} | {r.sizes['transfers']:,} | {r.sizes['customers']:,} "
            f"({len(r.ordinary):,}) | {t} ({ts:.2%}) | {b} ({bs:.2%}) | {r.generate_seconds:.1f} "
            f"| {r.runs['table'].seconds:.1f} / {r.runs['bare'].seconds:.1f} |"
        )
    return lines


def recall_table(results: list[SeedResult]) -> list[str]:
    lines = ["| planted kind | " + " | ".join(str(r.seed) for r in results) + " |"]
    lines.append("|---" * (len(results) + 1) + "|")
    for kind in KINDS:
        cells = []
        for r in results:
            count = sum(1 for k in r.labels.values() if k == kind)
            cells.append(
                f"{r.recall('table')[kind]:.2f} / {r.recall('bare')[kind]:.2f} (n={count})"
            )
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return lines


def rule_table(results: list[SeedResult]) -> list[str]:
    rules = sorted({rule for r in results for run in ("table", "bare") for rule in r.per_rule(run)})
    lines = ["| rule | " + " | ".join(str(r.seed) for r in results) + " |"]
    lines.append("|---" * (len(results) + 1) + "|")
    for rule in rules:
        cells = [f"{r.per_rule('table')[rule]} / {r.per_rule('bare')[rule]}" for r in results]
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    return lines


def behaviours(results: list[SeedResult]) -> list[str]:
    """Per rule, which ordinary kinds of customer its alerts name (with the table), summed
    over the seeds: what the rule alerts on, for whoever makes the rules general."""
    named: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        for alert in r.runs["table"].alerts:
            if alert["account"] in r.ordinary:
                named[alert["rule"]][r.kinds[alert["account"]]] += 1
    return [
        f"| {rule} | "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda k: (-k[1], k[0]))[:6])
        + " |"
        for rule, kinds in sorted(named.items())
    ]


def combinations(results: list[SeedResult]) -> list[str]:
    """The ordinary customers reaching review (with the table) per combination of the rules that
    alerted them, per seed: which evidence, together, brings ordinary people to review."""
    per_seed: list[Counter[str]] = []
    for r in results:
        rules: dict[str, set[str]] = defaultdict(set)
        for alert in r.runs["table"].alerts:
            rules[alert["account"]].add(alert["rule"])
        per_seed.append(
            Counter(" + ".join(sorted(rules[a])) for a in r.runs["table"].reaching & r.ordinary)
        )
    total: Counter[str] = sum(per_seed, Counter())
    lines = ["| rules alerting together | " + " | ".join(str(r.seed) for r in results) + " |"]
    lines.append("|---" * (len(results) + 1) + "|")
    for combo, _ in sorted(total.items(), key=lambda k: (-k[1], k[0])):
        lines.append(f"| {combo} | " + " | ".join(str(c[combo]) for c in per_seed) + " |")
    return lines


def reaching_kinds(results: list[SeedResult]) -> list[str]:
    """The ordinary customers reaching review (with the table), per kind, all seeds."""
    kinds: Counter[str] = Counter()
    for r in results:
        kinds.update(r.kinds[a] for a in r.runs["table"].reaching & r.ordinary)
    return [f"| {kind} | {n} |" for kind, n in sorted(kinds.items(), key=lambda k: (-k[1], k[0]))]


def report(results: list[SeedResult], command: str) -> str:
    parts = [
        SECTION,
        "",
        *PREAMBLE,
        "",
        "Ordinary accounts are the bank's customers (accounts.csv) that are neither planted nor",
        "listed. An account reaches review when the CLI counts it at or above the pack's review",
        "threshold; which accounts those are is read from the alerts file (the account's score is",
        "the pack's typology score over its alerts, rules on shared evidence counted once, which",
        "reproduces the CLI's printed count at every seed). Timings on 2 shared cores, load",
        "average " + load() + ".",
        "",
        f"Command: `{command}`",
        "",
        *seed_table(results),
        "",
        "Recall per planted kind (with the accounts table / without):",
        "",
        *recall_table(results),
        "",
        "Ordinary customers named by each rule's alerts (with the table / without):",
        "",
        *rule_table(results),
        "",
        "What each rule alerts on among ordinary customers, with the table (alerts per kind of",
        "customer, all seeds):",
        "",
        "| rule | kinds of ordinary customer (alerts) |",
        "|---|---|",
        *behaviours(results),
        "",
        "Ordinary customers reaching review, per kind (with the table, all seeds; `+collection`",
        "marks one who also organised a community collection):",
        "",
        "| kind of customer | reaching review |",
        "|---|---|",
        *reaching_kinds(results),
        "",
        "Ordinary customers reaching review per combination of the rules alerting them (with the",
        "table, per seed):",
        "",
        *combinations(results),
        "",
        *FINDINGS,
    ]
    return "\n".join(parts) + "\n"


def write_docs(text: str) -> None:
    doc = DOCS.read_text(encoding="utf-8")
    start = doc.find(SECTION)
    if start < 0:
        doc = doc.rstrip("\n") + "\n\n" + text
    else:
        end = doc.find("\n## ", start + len(SECTION))
        doc = doc[:start] + text + (doc[end + 1 :] if end >= 0 else "")
    DOCS.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    generate = sub.add_parser("generate", help="write one seed's files")
    generate.add_argument("--seed", type=int, required=True)
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument("--customers", type=int, default=CUSTOMERS)
    run = sub.add_parser("run", help="generate seeds and monitor them")
    run.add_argument("--seeds", default="101,102,103,104,105")
    run.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "generate":
        began = time.perf_counter()
        sizes = write(build(args.seed, args.customers), args.out)
        print(f"{sizes} in {time.perf_counter() - began:.1f}s -> {args.out}")
        return
    results = []
    for seed in (int(s) for s in args.seeds.split(",")):
        results.append(one_seed(seed))
        print(f"seed {seed} done (load {load()})", flush=True)
    text = report(results, f"python bench/kz_activity.py run --seeds {args.seeds}")
    print(text)
    (OUT / "report.md").write_text(text, encoding="utf-8")
    if not args.no_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
