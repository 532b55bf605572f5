"""Monitoring rules: each rule of the shipped pack fires on its pattern and not below it, an
alert uses up its window, and the batch and streaming engines give identical alerts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from finmon.errors import InputError
from finmon.monitoring.engine import (
    Monitor,
    combined_score,
    numbered,
    run_batch,
    run_stream,
    typology_scores,
)
from finmon.monitoring.events import Context
from finmon.monitoring.rules import Filter, Rule, load_pack
from finmon.transactions import PartyInfo, Transaction
from finmon.transactions.tabular import read_amlsim
from tests.conftest import shared_file

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SHIPPED = load_pack()
PACK = {rule.id: rule for rule in SHIPPED.rules}


def transfer(
    n: int,
    hours: float,
    sender: str | None,
    receiver: str | None,
    amount: str = "10000",
    channel: str = "transfer",
    sender_country: str | None = "KZ",
    receiver_country: str | None = "KZ",
    currency: str = "KZT",
    owners: tuple[str | None, str | None] = (None, None),
) -> Transaction:
    return Transaction(
        id=f"T{n}",
        timestamp=START + dt.timedelta(hours=hours),
        amount=Decimal(amount),
        currency=currency,
        originator=PartyInfo(account=sender, country=sender_country, id=owners[0]),
        beneficiary=PartyInfo(account=receiver, country=receiver_country, id=owners[1]),
        channel=channel,
    )


MONTH_BEFORE = transfer(999, -24 * 31, "ELSEWHERE", "SHOP", channel="card")
"""The input's first transfer, a month before: rules with a history judge what comes after."""


def both(
    rules: list[Rule],
    transactions: list[Transaction],
    segments: Mapping[str, str] | None = None,
    listed: tuple[str, ...] = (),
    usual: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
) -> list[dict[str, object]]:
    """The alerts, checked to be the same from both engines (`usual`: bars given beforehand,
    as from a history, instead of those of the input)."""
    context = Context.of(SHIPPED, segments=segments, listed=listed)
    if usual is not None:
        context = dataclasses.replace(context, usual=usual)
    batch = numbered(run_batch(rules, transactions, context))
    assert numbered(
        run_stream(rules, sorted(transactions, key=lambda t: t.timestamp), context)
    ) == (batch)
    return batch


def fired(rule: str, transactions: list[Transaction], **context: object) -> list[str]:
    """The accounts one shipped rule alerts."""
    return [str(a["account"]) for a in both([PACK[rule]], transactions, **context)]  # type: ignore[arg-type]


def test_a_funnel_fires_at_the_tenth_sender_within_two_weeks_and_not_before() -> None:
    rule = PACK["funnel_account"]
    nine = [transfer(i, 30 * i, f"S{i}", "COLLECT") for i in range(9)]
    assert both([rule], nine) == []
    tenth = [*nine, transfer(9, 300, "S9", "COLLECT")]
    (alert,) = both([rule], tenth)
    assert alert["account"] == "COLLECT"
    assert alert["transaction_ids"] == [f"T{i}" for i in range(10)]
    assert alert["evidence"] == {"count": 10, "sum": "100000", "distinct_counterparties": 10}
    late = [*nine, transfer(9, 14 * 24 + 1, "S9", "COLLECT")]  # T0 has left the window
    assert both([rule], late) == []
    same_sender = [*nine, transfer(9, 300, "S8", "COLLECT")]
    assert both([rule], same_sender) == []
    large = [*nine, transfer(9, 300, "S9", "COLLECT", amount="300000")]  # not a small sum
    assert both([rule], large) == []
    assert both([rule], tenth, segments={"COLLECT": "business"}) == []  # a shop's takings
    in_dollars = [
        transfer(i, i, f"S{i}", "COLLECT", amount="50", currency="USD") for i in range(10)
    ]
    (converted,) = both([rule], in_dollars)
    assert converted["evidence"]["sum"] == "260000"  # type: ignore[index]


def test_an_alert_uses_up_its_window() -> None:
    rule = PACK["funnel_account"]
    first = [transfer(i, i, f"S{i}", "COLLECT") for i in range(10)]
    more = [transfer(10 + i, 12 + i, f"R{i}", "COLLECT") for i in range(9)]
    assert len(both([rule], first + more)) == 1  # nine new senders are not ten
    tenth = transfer(19, 30, "R9", "COLLECT")
    alerts = both([rule], [*first, *more, tenth])
    assert [a["transaction_ids"][0] for a in alerts] == ["T0", "T10"]  # type: ignore[index]


def test_fan_out_and_transfers_to_risky_jurisdictions_fire_on_their_patterns() -> None:
    scatter = [transfer(i, i, "PAYER", f"B{i}", amount="50000") for i in range(8)]
    assert [a["rule"] for a in both(list(PACK.values()), scatter)] == ["fan_out"]
    assert fired("fan_out", scatter, segments={"PAYER": "business"}) == []  # payroll
    first = [transfer(0, 0, "S", "X", receiver_country="SY")]
    # A month into the input there is a before to change from; at its start there is not.
    assert fired("risky_jurisdiction_transfers", [MONTH_BEFORE, *first]) == ["S"]
    assert fired("risky_jurisdiction_transfers", first) == []
    holiday = [transfer(0, 0, "S", "SHOP", channel="card", receiver_country="IR")]
    assert fired("risky_jurisdiction_transfers", holiday) == []
    home = [transfer(i, 24 * i, "MIGRANT", f"M{i}", receiver_country="UZ") for i in range(3)]
    assert fired("risky_jurisdiction_transfers", home) == []


def test_pass_through_fires_when_nine_tenths_leave_within_two_days() -> None:
    money = [
        transfer(0, 0, "PAYER", "MULE", amount="1000000"),
        transfer(1, 30, "MULE", "ONWARD", amount="950000"),
    ]
    assert fired("pass_through", money) == ["MULE"]
    late = [money[0], transfer(1, 49, "MULE", "ONWARD", amount="950000")]
    assert fired("pass_through", late) == []
    half = [money[0], transfer(1, 30, "MULE", "ONWARD", amount="500000")]
    assert fired("pass_through", half) == []
    own = [
        transfer(0, 0, "SALARY", "CURRENT", amount="1000000", owners=("1", "900101300123")),
        transfer(1, 1, "CURRENT", "SAVINGS", amount="1000000", owners=("900101300123",) * 2),
    ]
    assert fired("pass_through", own) == []  # savings are not an onward transfer
    assert fired("pass_through", money, segments={"MULE": "business"}) == []
    # Taken out as cash, by the owner himself (the same IIN on the withdrawal), it is passed on;
    # paid in as cash, it was never a transfer received.
    owner = ("900101300123",) * 2
    cash_out = transfer(1, 30, "MULE", None, amount="960000", channel="ATM", owners=owner)
    assert fired("pass_through", [money[0], cash_out]) == ["MULE"]
    cash_in = dataclasses.replace(money[0], channel="cash")
    assert fired("pass_through", [cash_in, money[1]]) == []
    # Paid on to a company (a seller's supplier abroad, its legal form on the transfer): trade,
    # not money passed on to people.
    supplier = dataclasses.replace(
        money[1],
        beneficiary=PartyInfo(name="HORIZON GENERAL TRADING LLC", account="ONWARD", country="AE"),
    )
    assert fired("pass_through", [money[0], supplier]) == []
    person = dataclasses.replace(supplier, beneficiary=PartyInfo(account="ONWARD", country="AE"))
    assert fired("pass_through", [money[0], person]) == ["MULE"]


def test_a_collection_with_senders_abroad() -> None:
    """Two new people abroad paying small sums within two weeks: below review alone; with a
    collection moved on (collected_then_moved) it reaches review."""
    abroad = [
        transfer(i, 24 * i, f"F{i}", "COLLECT", sender_country=country)
        for i, country in enumerate(("TJ", "RU"))
    ]
    assert fired("collection_from_abroad", abroad) == ["COLLECT"]
    assert fired("collection_from_abroad", abroad[:1]) == []
    late = [abroad[0], transfer(1, 24 * 15, "F1", "COLLECT", sender_country="RU")]
    assert fired("collection_from_abroad", late) == []
    # A relative abroad sending every month is regular, however many months.
    family = [transfer(i, 24 * 31 * i, "MOTHER", "COLLECT", sender_country="UZ") for i in range(3)]
    family += [transfer(9, 24 * 31 * 2 + 5, "FATHER", "COLLECT", sender_country="UZ")]
    assert fired("collection_from_abroad", [*family, abroad[0]]) == []
    # A company abroad paying (a marketplace's payout) and payers at home are not counted.
    firm = [
        dataclasses.replace(
            t, originator=PartyInfo(name="Demir Ltd", account=f"FIRM{n}", country="TR")
        )
        for n, t in enumerate(abroad)
    ]
    assert fired("collection_from_abroad", firm) == []
    home = [transfer(i, 24 * i, f"F{i}", "COLLECT") for i in range(2)]
    assert fired("collection_from_abroad", home) == []
    assert fired("collection_from_abroad", abroad, segments={"COLLECT": "business"}) == []
    # The collection and its moving on: ten new senders, two of them abroad, the money taken
    # out as cash three days later.
    collection = [
        transfer(i, 20 * i, f"S{i}", "COLLECT", amount="30000", sender_country="KZ")
        for i in range(2, 10)
    ]
    owner = ("900101300123",) * 2
    drawn = transfer(20, 24 * 9, "COLLECT", None, "250000", channel="ATM", owners=owner)
    alerts = both(list(PACK.values()), [*abroad, *collection, drawn])
    rules = {a["rule"] for a in alerts}
    assert {"collection_from_abroad", "collected_then_moved"} <= rules
    assert typology_scores(alerts, SHIPPED.evidence)["COLLECT"] >= SHIPPED.review_threshold
    alone = both(list(PACK.values()), abroad)
    assert typology_scores(alone, SHIPPED.evidence)["COLLECT"] < SHIPPED.review_threshold


def test_cash_turned_into_a_transfer_abroad() -> None:
    deposits = [
        transfer(0, 0, "MULE", "MULE", amount="900000", channel="cash"),
        transfer(1, 20, "MULE", "MULE", amount="950000", channel="cash"),
    ]
    abroad = transfer(2, 50, "MULE", "FOREIGN", amount="1500000", receiver_country="TR")
    assert fired("cash_then_abroad", [*deposits, abroad]) == ["MULE"]
    assert fired("cash_then_abroad", deposits) == []
    at_home = transfer(2, 50, "MULE", "FRIEND", amount="1500000")
    assert fired("cash_then_abroad", [*deposits, at_home]) == []
    small = [transfer(i, i, "MULE", "MULE", amount="40000", channel="cash") for i in range(5)]
    assert fired("cash_then_abroad", [*small, abroad]) == []
    # Smaller deposits that add up: four of 300,000 and 700,000 sent on; a migrant's month of
    # wages (two deposits, 600,000) sent home is not.
    four = [transfer(i, 10 * i, "MULE", "MULE", amount="300000", channel="cash") for i in range(4)]
    onward = transfer(5, 60, "MULE", "FOREIGN", amount="700000", receiver_country="TJ")
    assert fired("cash_then_abroad", [*four, onward]) == ["MULE"]
    wages = dataclasses.replace(onward, amount=Decimal(400000))
    assert fired("cash_then_abroad", [*four[:2], wages]) == []
    # Sent abroad ten days after the first deposit: within the fortnight; a month later, not.
    later = dataclasses.replace(abroad, timestamp=START + dt.timedelta(days=10))
    assert fired("cash_then_abroad", [*deposits, later]) == ["MULE"]
    month = dataclasses.replace(abroad, timestamp=START + dt.timedelta(days=30))
    assert fired("cash_then_abroad", [*deposits, month]) == []
    # Cash as other files name it; a card payment abroad is no transfer abroad.
    for name in ("ATM", "Cash Deposit", "cash-in", "наличные"):
        named = [dataclasses.replace(t, channel=name) for t in deposits]
        assert fired("cash_then_abroad", [*named, abroad]) == ["MULE"], name
    paid_by_card = dataclasses.replace(abroad, channel="POS")
    assert fired("cash_then_abroad", [*deposits, paid_by_card]) == []


def test_npo_rules_look_only_at_npo_accounts() -> None:
    abroad = [transfer(0, 0, "FUND", "PERSON", amount="300000", receiver_country="SY")]
    assert fired("npo_abroad", abroad, segments={"FUND": "npo"}) == ["FUND"]
    assert fired("npo_abroad", abroad, segments={"FUND": "retail"}) == []
    cash = [transfer(i, 48 * i, "FUND", None, amount="60000", channel="cash") for i in range(3)]
    assert fired("npo_cash", cash, segments={"FUND": "npo"}) == ["FUND"]
    assert fired("npo_cash", cash[:2], segments={"FUND": "npo"}) == []
    monthly = [transfer(i, 24 * 30 * i, "FUND", None, channel="cash") for i in range(3)]
    assert fired("npo_cash", monthly, segments={"FUND": "npo"}) == []  # petty cash
    # Slowly: donations of 600,000 over three weeks and 300,000 of it drawn in cash over 50
    # days is half of it; a month's petty cash (3 x 30,000) against the same donations is not.
    gifts = [transfer(10 + i, 50 * i, f"DONOR{i}", "FUND", amount="60000") for i in range(10)]
    drawn = [transfer(20 + i, 24 * 25 * i, "FUND", None, "100000", "cash") for i in range(3)]
    npo = {"FUND": "npo"}
    assert fired("npo_cash_share", [*gifts, *drawn], segments=npo) == ["FUND"]
    petty = [transfer(20 + i, 24 * 25 * i, "FUND", None, "30000", "cash") for i in range(3)]
    assert fired("npo_cash_share", [*gifts, *petty], segments=npo) == []
    assert fired("npo_cash_share", [*gifts, *drawn], segments={"FUND": "retail"}) == []
    # Two withdrawals of 100,000 against 30,000 of donations: more than two and a half times
    # it, outside the shipped rule's two-sided ratio; a one-sided ratio takes it (a larger
    # share, not a smaller one), and without any money in there is no share at all.
    few = [transfer(10 + i, 50 * i, f"DONOR{i}", "FUND", amount="10000") for i in range(3)]
    assert fired("npo_cash_share", [*few, *drawn[:2]], segments=npo) == []
    condition = {"out_count": 2, "out_sum": 150000, "out_in_at_least": 0.4}
    one_sided = dataclasses.replace(PACK["npo_cash_share"], condition=condition)
    assert [a["account"] for a in both([one_sided], [*few, *drawn[:2]], npo)] == ["FUND"]
    assert both([one_sided], drawn[:2], npo) == []


def test_a_firm_passing_money_on_to_people_abroad_or_in_cash() -> None:
    firm = {"FRONT": "business"}
    paid = transfer(0, 0, "CLIENT", "FRONT", amount="1000000")
    abroad = transfer(1, 20, "FRONT", "PERSON", amount="960000", receiver_country="TJ")
    assert fired("pass_through_firm", [paid, abroad], segments=firm) == ["FRONT"]
    # Its own withdrawal: the cash side names the firm, with no account; not an organisation
    # paid, even though the holder's name shows a legal form.
    drawn = Transaction(
        id="T1",
        timestamp=START + dt.timedelta(hours=20),
        amount=Decimal(960000),
        currency="KZT",
        originator=PartyInfo(name="ТОО «Фронт»", account="FRONT", country="KZ"),
        beneficiary=PartyInfo(name="ТОО «Фронт»", country="KZ"),
        channel="ATM",
    )
    assert fired("pass_through_firm", [paid, drawn], segments=firm) == ["FRONT"]
    # Wages or a contractor at home, and a supplier abroad, are the firm's trade.
    staff = transfer(1, 20, "FRONT", "EMPLOYEE", amount="960000")
    assert fired("pass_through_firm", [paid, staff], segments=firm) == []
    supplier = dataclasses.replace(
        abroad, beneficiary=PartyInfo(name="Demir Ltd", account="PERSON", country="TR")
    )
    assert fired("pass_through_firm", [paid, supplier], segments=firm) == []
    # A person is left to pass_through; a firm to this rule alone.
    assert fired("pass_through_firm", [paid, abroad]) == []
    assert fired("pass_through", [paid, abroad], segments=firm) == []


def test_a_firm_that_cashes_its_takings_every_week_does_it_as_usual() -> None:
    # A trader paid by a buyer each week draws the sum in cash the next day, four months long:
    # its own history, not a sign. The same once, in a firm whose months hold nothing like it
    # (it pays its supplier, a firm, every month), is a front company's money passed on.
    firm = {"TRADER": "business"}
    weekly = []
    for week in range(17):
        hours = 24 * 7 * week
        weekly.append(transfer(2 * week, hours, f"BUYER{week}", "TRADER", amount="800000"))
        weekly.append(transfer(2 * week + 1, hours + 20, "TRADER", None, "780000", channel="ATM"))
    assert fired("pass_through_firm", weekly, segments=firm) == []
    supplier = PartyInfo(name="ТОО «Поставщик»", account="SUPPLIER", country="KZ")
    monthly = [
        dataclasses.replace(transfer(100 + m, 24 * 30 * m, "TRADER", None), beneficiary=supplier)
        for m in range(4)
    ]
    once = [*monthly, *weekly[16:18]]
    assert fired("pass_through_firm", once, segments=firm) == ["TRADER"]


def test_listed_links_one_and_two_hops_either_way() -> None:
    rows = [
        transfer(0, 0, "LISTED", "FRIEND"),  # one hop
        transfer(1, 5, "FRIEND", "FAR"),  # two hops from the listed account
        transfer(2, 6, "DONOR", "MIDDLE"),
        transfer(3, 7, "MIDDLE", "LISTED"),  # DONOR funds LISTED through MIDDLE
        transfer(4, 8, "FAR", "FURTHER"),  # three hops: nothing
    ]
    accounts = fired("listed_link", rows, listed=("LISTED",))
    assert sorted(set(accounts)) == ["DONOR", "FAR", "FRIEND", "MIDDLE"]
    assert fired("listed_link", rows) == []
    too_late = [rows[0], transfer(1, 24 * 31, "FRIEND", "FAR")]
    assert fired("listed_link", too_late, listed=("LISTED",)) == ["FRIEND"]


def test_a_cycle_alerts_every_account_on_it() -> None:
    loop = [
        transfer(0, 0, "A", "B", amount="1000000"),
        transfer(1, 20, "B", "C", amount="980000"),
        transfer(2, 40, "C", "A", amount="960000"),
    ]
    alerts = both([PACK["cycle"]], loop)
    assert sorted(str(a["account"]) for a in alerts) == ["A", "B", "C"]
    assert {tuple(a["transaction_ids"]) for a in alerts} == {("T0", "T1", "T2")}  # type: ignore[arg-type]
    skimmed = [*loop[:2], transfer(2, 40, "C", "A", amount="700000")]
    assert fired("cycle", skimmed) == []
    slow = [*loop[:2], transfer(2, 24 * 11, "C", "A", amount="960000")]
    assert fired("cycle", slow) == []
    onwards = [*loop[:2], transfer(2, 40, "C", "D", amount="960000")]  # it does not return
    assert fired("cycle", onwards) == []
    loan = [transfer(0, 0, "A", "B", amount="200000"), transfer(1, 30, "B", "A", amount="200000")]
    assert fired("cycle", loan) == ["A", "B"]  # one hop there and back is a cycle too


def test_firms_that_buy_from_and_sell_to_each_other_every_month_are_not_a_cycle() -> None:
    # Two small firms trade both ways month after month: similar sums there and back within
    # days are their usual life (regular counterparties), not money returning to its origin.
    rows = []
    for month in range(3):
        day = 24 * 35 * month
        rows.append(transfer(2 * month, day, "MILL", "BAKERY", amount="400000"))
        rows.append(transfer(2 * month + 1, day + 72, "BAKERY", "MILL", amount="390000"))
    assert fired("cycle", rows) == []
    # The same there and back once, between firms that never dealt before, is a cycle.
    assert fired("cycle", rows[:2]) == ["BAKERY", "MILL"]


def test_scatter_gather_alerts_source_intermediaries_and_gatherer() -> None:
    rows = [transfer(i, i, "SOURCE", f"I{i}", amount="500000") for i in range(4)]
    rows += [transfer(4 + i, 10 + i, f"I{i}", "GATHER", amount="480000") for i in range(4)]
    alerts = both([PACK["scatter_gather"]], rows)
    first = [a for a in alerts if a["window_end"] == alerts[0]["window_end"]]
    assert sorted(str(a["account"]) for a in first) == ["GATHER", "I0", "I1", "I2", "SOURCE"]
    roles = {a["account"]: a["evidence"]["role"] for a in first}  # type: ignore[index]
    assert roles["GATHER"] == "gatherer" and roles["SOURCE"] == "source"
    # The fourth intermediary comes after the alert, within the week: a follow-up names it.
    assert {str(a["account"]) for a in alerts} - {str(a["account"]) for a in first} == {"I3"}
    assert fired("scatter_gather", rows[:2] + rows[4:6]) == []  # two intermediaries
    skimmed = [*rows[:3], *rows[4:6], transfer(6, 12, "I2", "GATHER", amount="300000")]
    assert fired("scatter_gather", skimmed) == []  # the third passes on too little


def test_scatter_gather_leaves_out_transfers_between_regular_counterparties() -> None:
    # A marketplace pays its sellers each month; each pays its monthly bill to a utility out of
    # the payout: once both pairs have dealt with each other for a month, their usual life.
    sellers = [f"SELLER{i}" for i in range(4)]
    rows = [MONTH_BEFORE]
    for month, day in enumerate((0, 35, 70)):
        for i, seller in enumerate(sellers):
            n = 10 * month + 2 * i
            rows.append(transfer(n, 24 * day + i, "MARKET", seller, amount="60000"))
            rows.append(transfer(n + 1, 24 * day + 10 + i, seller, "UTILITY", amount="58000"))
    # The first time, a month into the input, the accounts had never dealt with each other: a
    # path, which what they do later does not undo; the months after add nothing.
    once = [r for r in rows if r.timestamp < START + dt.timedelta(days=30)]
    assert set(fired("scatter_gather", once)) == {"MARKET", "UTILITY", *sellers}
    assert fired("scatter_gather", rows) == fired("scatter_gather", once)
    # Pairs already dealing in the input's first month may be older than it: regular throughout.
    assert fired("scatter_gather", rows[1:]) == []


def test_an_offshore_threshold_transaction_is_reported() -> None:
    rows = [
        transfer(0, 0, "CLIENT", "TRUST", amount="6000000", receiver_country="KY"),
        transfer(1, 1, "CLIENT", "TRUST", amount="4000000", receiver_country="KY"),
    ]
    (alert,) = both([PACK["offshore_threshold"]], rows)
    assert alert["transaction_ids"] == ["T0"]
    assert alert["evidence"]["report"] == "threshold"  # type: ignore[index]


def test_typology_scores_combine_distinct_rules() -> None:
    rows = [
        {"account": "A", "rule": "x", "score": 0.5},
        {"account": "A", "rule": "x", "score": 0.6},
        {"account": "A", "rule": "y", "score": 0.5},
        {"account": "B", "rule": "y", "score": 0.5},
    ]
    scores = typology_scores(rows)
    assert scores["A"] == pytest.approx(1 - 0.4 * 0.5)
    assert scores["B"] == pytest.approx(0.5)


def test_a_combined_score_is_within_nought_and_one() -> None:
    assert combined_score({}) == 0.0
    assert combined_score({"x": 0.5, "y": 1.0}) == 1.0
    assert combined_score({"x": 0.5, "y": -0.5}) == 0.5


def test_typology_scores_count_rules_on_shared_evidence_once() -> None:
    """Rules naming a common piece of evidence are one indication, at their highest score;
    rules on separate evidence add up, and evidence links rules through any name they share."""
    rows = [
        {"account": "A", "rule": "gathered", "score": 0.4},
        {"account": "A", "rule": "moved", "score": 0.2},
        {"account": "B", "rule": "gathered", "score": 0.4},
        {"account": "B", "rule": "abroad", "score": 0.2},
        {"account": "C", "rule": "gathered", "score": 0.4},
        {"account": "C", "rule": "moved", "score": 0.2},
        {"account": "C", "rule": "corridor", "score": 0.3},
    ]
    evidence = {"gathered": ("collection",), "moved": ("collection", "move"), "corridor": ("move",)}
    scores = typology_scores(rows, evidence)
    assert scores["A"] == pytest.approx(0.4)
    assert scores["B"] == pytest.approx(1 - 0.6 * 0.8)
    assert scores["C"] == pytest.approx(0.4)  # corridor shares the move with moved
    assert typology_scores(rows)["A"] == pytest.approx(1 - 0.6 * 0.8)  # no evidence: independent


def test_a_rule_s_evidence_is_a_plain_name(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    rule = "{id: r, typology: t, direction: in, window: 1d, condition: {count: 2}, score: 0.3"
    pack.write_text(f"rules:\n  - {rule}, evidence: [collection, collection]}}\n")
    assert load_pack(pack).evidence == {"r": ("collection",)}
    pack.write_text(f"rules:\n  - {rule}, evidence: [Not a name]}}\n")
    with pytest.raises(InputError, match="evidence"):
        load_pack(pack)


def test_the_engines_agree_on_the_amlsim_sample() -> None:
    transactions = read_amlsim(shared_file("tm/amlsim_20K_fanin200/transactions.csv"))
    alerts = both(list(PACK.values()), transactions)
    assert alerts  # the sample holds fan-in patterns
    assert {a["rule"] for a in alerts} <= set(PACK)


ACCOUNTS = ["A", "B", "C", "D", "E"]


@settings(max_examples=120, deadline=None)
@example(  # a regular counterparty and corridor (six weeks apart), and a new one
    [
        (0, "A", "B", "500", "wire", "KZ", False),
        (150, "A", "B", "500", "wire", "KZ", False),
        (151, "B", "C", "520", "wire", "IR", False),
        (151, "C", "A", "499.99", "wire", "IR", False),
    ],
    1,
    5,
    set(),
    {},
    {},
    6,
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 200),  # hours from the start (ties are common)
            st.sampled_from(ACCOUNTS[:4]),
            st.sampled_from(ACCOUNTS),
            st.sampled_from(["1", "499.99", "500", "520", "1200.5"]),
            st.sampled_from(["cash", "wire"]),
            st.sampled_from(["KZ", "IR", None]),
            st.booleans(),  # one owner on both sides
        ),
        max_size=60,
    ),
    st.integers(1, 4),
    st.integers(1, 72),
    st.sets(st.sampled_from(ACCOUNTS), max_size=2),
    st.dictionaries(st.sampled_from(ACCOUNTS), st.sampled_from(["npo", "business"]), max_size=3),
    st.dictionaries(st.sampled_from(ACCOUNTS), st.integers(0, 4), max_size=4),
    st.sampled_from([1, 6]),
)
def test_the_engines_agree_on_any_input(
    rows: list[tuple[int, str, str, str, str, str | None, bool]],
    threshold: int,
    hours: int,
    listed: set[str],
    segments: dict[str, str],
    bars: dict[str, int],
    spread: int,
) -> None:
    # spread 6: the transfers over up to fifty days, so that some counterparties and
    # corridors are regular (dealt with more than a month apart) and a history can pass.
    transactions = [
        transfer(
            n,
            h * spread,
            s,
            r,
            amount=a,
            channel=c,
            receiver_country=country,
            currency="USD",
            owners=("X", "X") if own else (None, None),
        )
        for n, (h, s, r, a, c, country, own) in enumerate(rows)
    ]
    window = dt.timedelta(hours=hours)
    npo = frozenset({"npo"})
    rules = [
        Rule("in_parties", "t", "", "in", window, {"distinct_counterparties": threshold}, 0.5),
        Rule("in_more", "t", "", "in", window, {"count": threshold + 1}, 0.5, follow_up=True),
        Rule(
            "out_sum",
            "t",
            "",
            "out",
            window,
            {"sum": 500 * 520 * threshold, "count": threshold},
            0.5,
            Filter(amount_below=1000 * 520, except_segments=npo),
        ),
        Rule(
            "cash_abroad",
            "t",
            "",
            "in",
            window,
            {"count": threshold},
            0.5,
            Filter(channels=frozenset({"cash"}), cross_border=True, amount_at_least=500 * 520),
        ),
        Rule(
            "to_iran",
            "t",
            "",
            "out",
            window,
            {"count": threshold},
            0.5,
            Filter(counterparty_countries=frozenset({"IR"}), cross_border=False, segments=npo),
        ),
        Rule(
            "through",
            "t",
            "",
            "both",
            window,
            {"in_count": 1, "out_in_ratio": 0.5},
            0.5,
            Filter(same_owner=False),
            sides={"in": Filter(channels=frozenset({"cash"})), "out": Filter(cross_border=None)},
        ),
        Rule("in_usual", "t", "", "in", window, {"count": threshold}, 0.5, baseline={"count": 2}),
        Rule(
            "to_new_people",
            "t",
            "",
            "both",
            window,
            {"in_count": 1, "out_in_at_least": 0.5},
            0.5,
            sides={"out": Filter(counterparty_regular=False, cash_or_abroad=True)},
        ),
        Rule(
            "regular_corridor",
            "t",
            "",
            "out",
            window,
            {"count": threshold},
            0.5,
            Filter(corridor_regular=True, counterparty_regular=True, cash_or_abroad=False),
        ),
        Rule(
            "new_corridor",
            "t",
            "",
            "out",
            window,
            {"count": threshold},
            0.5,
            Filter(corridor_regular=False),
            history=dt.timedelta(days=10),
            baseline={"count": 2},
        ),
        Rule(
            "out_peer",
            "t",
            "",
            "both",
            window,
            {"out_count": 1},
            0.5,
            Filter(counterparty_organisation=False),
            baseline={"out_sum": 1.5},
            peer={"in_count": 0.5},
        ),
        Rule("cycle", "t", "", "path", window, {"count": 1}, 0.5, pattern="cycle", hops=4),
        Rule(
            "cycle_close",
            "t",
            "",
            "path",
            window,
            {"count": threshold},
            0.5,
            Filter(except_channels=frozenset({"cash"})),
            pattern="cycle",
            hops=3,
            tolerance=0.1,
        ),
        Rule(
            "gather",
            "t",
            "",
            "path",
            window,
            {"distinct_counterparties": min(threshold, 2)},
            0.5,
            pattern="scatter_gather",
            hops=2,
            tolerance=0.5,
            follow_up=True,
        ),
        Rule(
            "gather_new",
            "t",
            "",
            "path",
            window,
            {"distinct_counterparties": 2},
            0.5,
            Filter(counterparty_regular=False),
            pattern="scatter_gather",
            hops=2,
        ),
        Rule(
            "cycle_regular",
            "t",
            "",
            "path",
            window,
            {"count": 1},
            0.5,
            Filter(counterparty_regular=True),
            pattern="cycle",
            hops=3,
        ),
        Rule(
            "listed",
            "t",
            "",
            "path",
            window,
            {"count": threshold},
            0.5,
            Filter(except_segments=frozenset({"business"})),
            pattern="listed_link",
            hops=2,
        ),
    ]
    both(rules, transactions, segments=segments, listed=tuple(listed))
    # The same with bars from a history: a window must also hold each account's bar.
    usual = {
        "in_usual": {"count": {a: float(b) for a, b in bars.items()}},
        "out_peer": {"out_sum": {a: b * 260_000.0 * 10_000 for a, b in bars.items()}},
    }
    both(rules, transactions, segments=segments, listed=tuple(listed), usual=usual)


def test_the_streaming_engine_refuses_transfers_out_of_time_order() -> None:
    monitor = Monitor(list(PACK.values()))
    monitor.feed(transfer(0, 10, "S", "R"))
    with pytest.raises(InputError, match="time order"):
        monitor.feed(transfer(1, 5, "OTHER", "ONE"))
    with pytest.raises(InputError, match="no rate from XYZ"):
        monitor.feed(transfer(2, 11, "S", "R", currency="XYZ"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules: [", "not valid YAML"),
        ("rules: {}", "a list under 'rules:'"),
        (
            "rules:\n  - {id: a, typology: t, direction: up, window: 1d, condition: {count: 1}, "
            "score: 0.5}",
            "direction 'up'",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1w, condition: {count: 1}, "
            "score: 0.5}",
            "window '1w'",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {median: 1}, "
            "score: 0.5}",
            "condition 'median'",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {count: 1}, "
            "score: 0.5, religion: x}",
            "unknown key(s) rules[1] 'a'.religion",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {count: 1}, "
            "score: 0.5, filter: {counterparty_countries: sanctioned}}",
            "jurisdictions",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {count: 1}, "
            "score: 0.5}\n  - {id: a, typology: t, direction: in, window: 1d, "
            "condition: {count: 1}, score: 0.5}",
            "used twice",
        ),
        (
            "rules:\n  - {id: a, typology: t, pattern: spiral, window: 1d, "
            "condition: {count: 1}, score: 0.5}",
            "pattern 'spiral'",
        ),
        (
            "rules:\n  - {id: a, typology: t, pattern: cycle, direction: in, window: 1d, "
            "condition: {count: 1}, score: 0.5}",
            "no direction",
        ),
        (
            "rules:\n  - {id: a, typology: t, pattern: cycle, hops: 9, window: 1d, "
            "condition: {count: 1}, score: 0.5}",
            "hops 9",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, tolerance: 0.1, window: 1d, "
            "condition: {count: 1}, score: 0.5}",
            "tolerance",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, "
            "filter: {in: {channels: [cash]}}, condition: {count: 1}, score: 0.5}",
            "need direction both",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: both, window: 1d, "
            "condition: {out_in_ratio: 2}, score: 0.5}",
            "at most 1",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: both, window: 1d, "
            "condition: {out_in_at_least: 1.5}, score: 0.5}",
            "out_in_at_least is a share",
        ),
        ("currency: tenge\nrules: []", "currency 'tenge'"),
        ("rates: {USD: -1}\nrules: []", "rates.USD: -1: Input should be greater than 0"),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {count: 1}, "
            "score: 0.5, filter: {channels: cash}}",
            "rules[1] 'a'.filter.channels: 'cash': Input should be a valid list",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {count: 1}, "
            "score: 1.5}",
            "rules[1] 'a'.score: 1.5: Input should be less than or equal to 1",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, score: 0.5}",
            "missing key(s) rules[1] 'a'.condition",
        ),
        (
            "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
                for p, n in zip("abcd", "bcde", strict=True)
            )
            + "rules: []",
            "expands to over 100,000 values",
        ),
    ],
)
def test_a_bad_rules_pack_is_refused_naming_the_rule(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_pack(path)
    assert str(refused.value).startswith(str(path))
    assert expected in str(refused.value)


def test_finmon_monitor_writes_the_contract_columns_the_same_from_both_engines(
    tmp_path: Path,
) -> None:
    import csv

    from typer.testing import CliRunner

    from finmon.cli import app
    from finmon.services.monitoring import ALERT_COLUMNS

    source = shared_file("tm/amlsim_20K_fanin200/transactions.csv")
    written = {}
    for engine in ("batch", "stream"):
        out = tmp_path / f"{engine}.csv"
        result = CliRunner().invoke(
            app, ["monitor", str(source), "--engine", engine, "--output", str(out)]
        )
        assert result.exit_code == 0, result.output
        written[engine] = out.read_text(encoding="utf-8")
    assert written["batch"] == written["stream"]
    with (tmp_path / "batch.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == ALERT_COLUMNS
    assert rows and {row["rule"] for row in rows} <= set(PACK)
    refused = CliRunner().invoke(app, ["monitor", str(source), "--engine", "magic"])
    assert refused.exit_code == 2


def test_monitor_leaves_out_a_transfer_it_cannot_read_names_it_and_exits_10(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from finmon.cli import app

    path = tmp_path / "transactions.csv"
    path.write_text("sourceNodeId,targetNodeId,value,time\n1,2,10.5,3\n1,2,ten,4\n2,3,7,5\n")
    lenient = CliRunner().invoke(app, ["monitor", str(path), "--format", "amlsim"])
    assert lenient.exit_code == 10, lenient.output
    assert (
        "not read:" in lenient.output and "line 3: amount 'ten' is not a number" in lenient.output
    )
    strict = CliRunner().invoke(app, ["monitor", str(path), "--format", "amlsim", "--strict"])
    assert strict.exit_code == 2 and "(--strict)" in strict.output
