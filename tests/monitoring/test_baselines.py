"""Baselines from the data (an account against its own history and its peer group), the
counterparty's kind, and geography as one factor: no rule alerts an account for where it sends
money alone."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.monitoring.baselines import with_baselines, with_regular
from finmon.monitoring.engine import run_batch, run_stream, typology_scores
from finmon.monitoring.events import PAIR, Context
from finmon.monitoring.rules import Rule, load_pack
from finmon.transactions import PartyInfo, Transaction
from tests.monitoring.test_engine import MONTH_BEFORE, PACK, SHIPPED, START, both, fired, transfer

DAY = 24.0
WATCHED = sorted(
    {"KP", "IR", "MM", "AF", "SY", "IQ", "YE", "SO", "LY", "ML", "BF", "NE", "TR", "AE"}
)


def collected(account: str, day: float, senders: int, first: int, tag: str) -> list[Transaction]:
    """`senders` different people each paying the account a small sum over a few days."""
    return [
        transfer(first + i, day * DAY + i * 5, f"{tag}{i}", account, amount="8000")
        for i in range(senders)
    ]


def quiet_history(account: str, days: int, first: int) -> list[Transaction]:
    """An account's ordinary months: a salary and a bill each month."""
    found = []
    for month in range(0, days, 30):
        found.append(transfer(first + 2 * month, month * DAY, "EMPLOYER", account, "300000"))
        found.append(transfer(first + 2 * month + 1, month * DAY + 5, account, "UTILITY", "9000"))
    return found


def test_a_seller_paid_by_many_every_fortnight_is_usual_a_sudden_collection_is_not() -> None:
    rule = PACK["funnel_account"]
    seller = [
        t
        for n, day in enumerate(range(0, 90, 14))
        for t in collected("SELLER", day, 12, 100 * n, f"B{n}-")
    ]
    assert fired("funnel_account", seller) == []
    # The same collection once, in an account with three ordinary months around it.
    sudden = quiet_history("QUIET", 90, 1000) + collected("QUIET", 40, 12, 2000, "G")
    assert fired("funnel_account", sorted(sudden, key=lambda t: t.timestamp)) == ["QUIET"]
    # Without the baseline the seller fires at every fortnight: the history is what spared it.
    plain = dataclasses.replace(rule, baseline={})
    assert len(both([plain], seller)) >= 6


def test_a_short_history_leaves_the_thresholds_to_decide() -> None:
    # Ten senders in an input shorter than a month: nothing to compare with, the rule fires.
    assert fired("funnel_account", collected("NEW", 0, 10, 0, "S")) == ["NEW"]


def test_the_bars_are_what_the_account_does_outside_the_window() -> None:
    rule = dataclasses.replace(PACK["funnel_account"], id="usual", baseline={"count": 2})
    transactions = [
        t for n, day in enumerate((0, 30, 60)) for t in collected("A", day, 12, 100 * n, f"S{n}")
    ]
    context = with_baselines([rule], transactions, Context.of(SHIPPED))
    # 36 payments over 62 days: about 1.6 months outside a 14-day window, so the bar is
    # 2 x 36 / (1.6 + 2), about 20, more than the 12 of any one fortnight.
    span = (transactions[-1].timestamp - transactions[0].timestamp) / dt.timedelta(days=30)
    outside = span - 14 / 30
    assert context.usual["usual"]["count"]["A"] == pytest.approx(2 * 36 / (outside + 2))
    assert both([rule], transactions) == []


def test_a_peer_group_raises_the_bar_where_many_of_its_members_do_the_same() -> None:
    rule = Rule(
        "big_in",
        "t",
        "",
        "in",
        dt.timedelta(days=7),
        {"sum": 100_000},
        0.6,
        peer={"sum": 0.5},
    )
    # Three of four traders take 500,000 twice a month: for the trade segment that is ordinary,
    # and a week's 500,000 is below the segment's usual month.
    trade = [
        transfer(n, n // 4 * 10 * DAY + n, "BUYER", f"T{n % 4}", "500000" if n % 4 else "150000")
        for n in range(8)
    ]
    segments = {f"T{i}": "trade" for i in range(4)}
    assert both([rule], trade, segments=segments) == []
    alone = [transfer(0, 0, "BUYER", "P", amount="150000")]
    assert [a["account"] for a in both([rule], alone, segments={"P": "retail"})] == ["P"]


def test_a_transfer_to_a_company_abroad_is_trade_not_money_to_a_person() -> None:
    deposits = [
        transfer(0, 0, "TRADER", "TRADER", amount="900000", channel="cash"),
        transfer(1, 20, "TRADER", "TRADER", amount="950000", channel="cash"),
    ]
    goods = dataclasses.replace(
        transfer(2, 50, "TRADER", "SUPPLIER", amount="1500000", receiver_country="CN"),
        beneficiary=PartyInfo(
            account="SUPPLIER", name="YIWU STAR IMPORT AND EXPORT CO., LTD", country="CN"
        ),
    )
    assert fired("cash_then_abroad", [*deposits, goods]) == []
    person = dataclasses.replace(
        goods, beneficiary=PartyInfo(account="SUPPLIER", name="WANG LEI", country="CN")
    )
    assert fired("cash_then_abroad", [*deposits, person]) == ["TRADER"]


def test_no_rule_alerts_an_account_for_the_jurisdiction_alone() -> None:
    """Someone who sends money every week, for three months, to people in every jurisdiction of
    the pack's tables (FATF call for action, conflict zones, transit hubs) and does nothing
    else unusual: no rule of the shipped pack alerts them, in either engine."""
    sent = [
        transfer(
            n,
            week * 7 * DAY + index,
            "MIGRANT",
            f"R-{country}",
            "60000",
            "wire",
            receiver_country=country,
        )
        for n, (week, (index, country)) in enumerate(
            (week, pair) for week in range(13) for pair in enumerate(WATCHED)
        )
    ]
    history = quiet_history("MIGRANT", 90, 10_000)
    everything = sorted([*sent, *history], key=lambda t: t.timestamp)
    assert both(list(PACK.values()), everything) == []


def test_a_first_transfer_to_a_conflict_zone_alone_stays_below_review() -> None:
    """The first transfer of an account to a conflict zone raises its score, but one factor
    does not reach review: geography needs other evidence."""
    history = quiet_history("PERSON", 90, 0)
    once = transfer(500, 60 * DAY, "PERSON", "FAR", "200000", "wire", receiver_country="SY")
    alerts = both(list(PACK.values()), sorted([*history, once], key=lambda t: t.timestamp))
    assert {a["rule"] for a in alerts} == {"risky_jurisdiction_transfers"}
    assert typology_scores(alerts, SHIPPED.evidence)["PERSON"] < SHIPPED.review_threshold
    # With other evidence, money received and passed straight on there, it reaches review.
    received = transfer(499, 60 * DAY - 5, "PAYER", "PERSON", "1000000")
    onward = dataclasses.replace(once, amount=Decimal(900000))
    alerts = both(
        list(PACK.values()), sorted([*history, received, onward], key=lambda t: t.timestamp)
    )
    assert typology_scores(alerts, SHIPPED.evidence)["PERSON"] >= SHIPPED.review_threshold


def test_every_jurisdiction_rule_of_the_pack_scores_below_review_alone() -> None:
    jurisdiction = [
        rule
        for rule in SHIPPED.rules
        if rule.filter.counterparty_countries is not None and rule.report is None
    ]
    assert jurisdiction
    for rule in jurisdiction:
        assert rule.score < SHIPPED.review_threshold, rule.id
        assert rule.baseline, f"{rule.id} fires on any transfer there, not on a change"


def test_every_rule_of_the_pack_names_its_typology_and_source() -> None:
    for rule in SHIPPED.rules:
        assert rule.typology and rule.description and rule.source, rule.id


@pytest.mark.parametrize(
    ("baseline", "message"),
    [
        ("{distinct_counterparties: 2}", "baseline 'distinct_counterparties'"),
        ("{out_in_ratio: 2}", "baseline 'out_in_ratio'"),
    ],
)
def test_a_baseline_on_a_measure_that_does_not_add_up_is_refused(
    tmp_path: Path, baseline: str, message: str
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "rules:\n  - id: r\n    typology: t\n    direction: in\n    window: 7d\n"
        f"    condition: {{count: 2}}\n    baseline: {baseline}\n    score: 0.5\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=f"pack.yaml.*'r'.*{message}"):
        load_pack(pack)


def test_a_monitor_without_history_uses_the_thresholds_alone() -> None:
    from finmon.monitoring.engine import Monitor

    monitor = Monitor([PACK["funnel_account"]], Context.of(SHIPPED))
    alerts = [a for t in collected("X", 0, 10, 0, "S") for a in monitor.feed(t)]
    alerts += monitor.finish()
    assert [a.account for a in alerts] == ["X"]


def test_a_foreman_passing_wages_to_his_crew_each_month_is_regular_a_mule_is_not() -> None:
    # Each month the same contractor pays the foreman and he pays the same four people.
    foreman = []
    for month in range(3):
        at = month * 30 * DAY
        foreman.append(transfer(10 * month, at, "CONTRACTOR", "FOREMAN", "1000000"))
        foreman += [
            transfer(10 * month + 1 + i, at + 20, "FOREMAN", f"CREW{i}", "240000") for i in range(4)
        ]
    assert fired("pass_through", foreman) == []
    # The same money passed on once to people it never pays otherwise.
    mule = [
        transfer(0, 0, "PAYER", "MULE", "1000000"),
        transfer(1, 20, "MULE", "ONE", "500000"),
        transfer(2, 21, "MULE", "TWO", "450000"),
    ]
    assert fired("pass_through", mule) == ["MULE"]


def test_a_corridor_used_for_months_is_not_new_whichever_relative_is_paid() -> None:
    # Three relatives in Syria, a different one each time, over three months.
    migrant = [
        transfer(i, i * 20 * DAY, "MIGRANT", f"REL{i % 3}", "70000", "wire", receiver_country="SY")
        for i in range(5)
    ]
    assert fired("new_corridor", migrant) == []
    assert fired("risky_jurisdiction_transfers", migrant) == []
    # Someone who starts sending there a month into the input, twice in a week.
    fresh = [
        *quiet_history("FRESH", 90, 100),
        transfer(1, 45 * DAY, "FRESH", "NEW", "200000", "wire", receiver_country="SY"),
        transfer(2, 50 * DAY, "FRESH", "NEW", "150000", "wire", receiver_country="SY"),
    ]
    fresh.sort(key=lambda t: t.timestamp)
    assert fired("new_corridor", fresh) == ["FRESH"]
    assert fired("risky_jurisdiction_transfers", fresh) == ["FRESH"]


def test_a_counterparty_is_regular_a_month_into_the_relationship_never_before() -> None:
    # An account with ordinary months from the input's start passes on what a payer sends to
    # the same two people three times, the first forty days in: at the first two nothing yet
    # says they are its usual life; by the third the relationship is months old.
    rows = quiet_history("MULE", 150, 1000)
    for n, day in enumerate((40, 50, 120)):
        rows.append(transfer(10 * n, day * DAY, f"PAYER{n}", "MULE", "1000000"))
        rows.append(transfer(10 * n + 1, day * DAY + 20, "MULE", "ONE", "500000"))
        rows.append(transfer(10 * n + 2, day * DAY + 21, "MULE", "TWO", "450000"))
    rows.sort(key=lambda t: t.timestamp)
    rule = PACK["pass_through"]
    known = with_regular([rule], rows, Context.of(SHIPPED))
    assert known.regular is not None
    assert known.regular[f"MULE{PAIR}ONE"] == START + dt.timedelta(days=70, hours=20)
    # The salary and the bill, seen in the input's first month, are regular from its start.
    assert known.regular[f"MULE{PAIR}UTILITY"] == START
    alerts = both([rule], rows)
    assert [a["transaction_ids"][0] for a in alerts] == ["T0", "T10"]  # type: ignore[index]
    assert run_batch([rule], rows, known) == run_batch([rule], rows, Context.of(SHIPPED))


def test_regular_counterparties_from_a_history_count_as_those_of_the_input() -> None:
    # A monitor given last months' regular counterparties (a live stream's history) reads them
    # as it reads those of its input: the crew paid for months is regular, a new one is not.
    history = [transfer(i, i * 20 * DAY, "FOREMAN", f"CREW{i % 2}", "240000") for i in range(4)]
    today = [
        transfer(10, 100 * DAY, "PAYER", "FOREMAN", "1000000"),
        transfer(11, 100 * DAY + 2, "FOREMAN", "CREW0", "480000"),
        transfer(12, 100 * DAY + 3, "FOREMAN", "CREW1", "480000"),
    ]
    rule = PACK["pass_through"]
    assert fired("pass_through", today) == ["FOREMAN"]
    known = with_regular([rule], history, Context.of(SHIPPED))
    assert known.regular is not None and f"FOREMAN{PAIR}CREW0" in known.regular
    batch = run_batch([rule], today, known)
    assert batch == []
    assert run_stream([rule], today, known) == batch


def test_a_new_corridor_is_a_jump_in_volume_against_the_peers_not_an_odd_gift_abroad() -> None:
    # Sixty people start sending a small sum to a relative abroad a month into the input, as
    # many do now and then; one starts sending several times as much.
    found: list[Transaction] = [MONTH_BEFORE]
    for i in range(60):
        person, sent = f"P{i}", str(40_000 + 500 * i)
        found += [
            transfer(1000 + 3 * i, 45 * DAY + i, person, f"REL{i}", sent, "wire", "KZ", "UZ"),
            transfer(1001 + 3 * i, 50 * DAY + i, person, f"REL{i}", sent, "wire", "KZ", "UZ"),
        ]
    found += [
        transfer(2, 46 * DAY, "BIG", "NEWREL", "300000", "wire", "KZ", "UZ"),
        transfer(3, 52 * DAY, "BIG", "NEWREL", "300000", "wire", "KZ", "UZ"),
    ]
    found.sort(key=lambda t: t.timestamp)
    alerted = fired("new_corridor", found)
    assert "BIG" in alerted
    assert len(alerted) <= 3  # the peers' 98th percentile: the odd gift is ordinary
    # The same rule without its peer group alerts every one of them.
    alone = dataclasses.replace(PACK["new_corridor"], peer={})
    assert len({a["account"] for a in both([alone], found)}) == 61


def test_money_passed_on_is_never_more_than_came_in() -> None:
    # A listed person pays M, who pays X more than came: two payments, not a passed-on link.
    more = [
        transfer(0, 0, "LISTED", "M", "100000"),
        transfer(1, 48, "M", "X", "130000"),
    ]
    assert "X" not in fired("listed_link", more, listed=("LISTED",))
    less = [more[0], transfer(1, 48, "M", "X", "90000")]
    assert "X" in fired("listed_link", less, listed=("LISTED",))


def family_money(account: str, per_month: int, first: int) -> list[Transaction]:
    """A parent paying an account small sums `per_month` times a month for three months."""
    return [
        transfer(first + n, n * 30 * DAY / per_month, "PARENT", account, amount="20000")
        for n in range(3 * per_month)
    ]


def test_a_collection_is_not_hidden_by_a_parent_who_sends_every_week() -> None:
    # 24 payments from one parent over three months and ten new people in one week: the
    # parent is a regular sender, part of the student's usual life, and counts on neither side.
    student = family_money("STUDENT", 8, 0) + collected("STUDENT", 40, 10, 100, "G")
    student.sort(key=lambda t: t.timestamp)
    assert fired("funnel_account", student) == ["STUDENT"]
    # Counted as before (every sender), the parent's 24 payments raise the bar above the week.
    counted = dataclasses.replace(PACK["funnel_account"], filter=dataclasses.replace(
        PACK["funnel_account"].filter, counterparty_regular=None))  # fmt: skip
    assert both([counted], student) == []


def test_family_money_does_not_dilute_a_collection_moved_on() -> None:
    # Ten new people pay 8,000 each (80,000) and 70,000 leaves to a new person within the
    # week; the parent's 120,000 in the same weeks is not part of the collection.
    student = family_money("STUDENT", 8, 0) + collected("STUDENT", 40, 10, 100, "G")
    student.append(transfer(200, 45 * DAY, "STUDENT", "FRIEND", amount="70000"))
    student.sort(key=lambda t: t.timestamp)
    assert fired("collected_then_moved", student) == ["STUDENT"]
    rule = PACK["collected_then_moved"]
    diluted = dataclasses.replace(
        rule,
        sides={
            **rule.sides,
            "in": dataclasses.replace(rule.sides["in"], counterparty_regular=None),
        },
    )
    assert both([diluted], student) == []


def test_an_npo_paying_a_partner_charity_abroad_is_not_sending_money_to_people() -> None:
    def abroad(receiver: PartyInfo) -> Transaction:
        return Transaction(
            id="T1",
            timestamp=START,
            amount=Decimal("900000"),
            currency="KZT",
            originator=PartyInfo(account="NPO", country="KZ", name="ОФ «Көмек»"),
            beneficiary=receiver,
            channel="wire",
        )

    partner = PartyInfo(account="TR1", country="TR", name="Yardım Derneği Foundation")
    person = PartyInfo(account="TR2", country="TR", name="Ahmet Yilmaz")
    clinic = PartyInfo(account="TR3", country="TR", name="Acibadem Hastanesi")
    npo = {"NPO": "npo"}
    assert fired("npo_abroad", [abroad(partner)], segments=npo) == []
    # A hospital paid for a child's treatment is named by what it is, not by a legal form.
    assert fired("npo_abroad", [abroad(clinic)], segments=npo) == []
    assert fired("npo_abroad", [abroad(person)], segments=npo) == ["NPO"]


def test_rules_naming_one_collection_count_once_on_the_engines_alerts() -> None:
    """funnel_account and collected_then_moved read the same collection: a community collection
    handed to a person at home is one indication when the two name it as their evidence (0.4,
    below review), two independent ones when they do not (0.52, at review)."""
    history = quiet_history("ORGANISER", 60, 0)
    gathered = collected("ORGANISER", 45, 12, 100, "G")
    handed = transfer(200, 47 * DAY, "ORGANISER", "FAMILY", amount="90000")
    home = sorted([*history, *gathered, handed], key=lambda t: t.timestamp)
    alerts = both(list(PACK.values()), home)
    assert {a["rule"] for a in alerts} == {"funnel_account", "collected_then_moved"}
    named = {"funnel_account": ("collection",), "collected_then_moved": ("collection",)}
    assert typology_scores(alerts, named)["ORGANISER"] == pytest.approx(0.4)
    assert typology_scores(alerts, SHIPPED.evidence)["ORGANISER"] == pytest.approx(1 - 0.6 * 0.8)
