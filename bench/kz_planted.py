"""Terrorist-financing cases planted in the world of bench/kz_world.py, with labels.

Each is written from a typology of ../shared/docs/REFERENCE.md section 9 (and the FATF/EAG
reports it summarises) and hidden in an account that otherwise behaves like its neighbours:
the collector also earns a salary, the charity also has donors and spends on goods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bench.kz_ordinary import charity, employee, pensioner, student
from bench.kz_world import CONFLICT_ADJ, DAYS, START, Account, World

NAMES = ("Жәрдем", "Рахмет", "Мейірім", "Надежда", "Ақниет")
KINDS = (
    "collection_abroad",
    "npo_diversion",
    "structured_cash",
    "pass_through",
    "listed_link",
    "travel_change",
)


def cover(w: World, a: Account) -> None:
    """The ordinary life the case hides in."""
    w.rng.choice([employee, employee, employee, pensioner, student])(w, a)


def planted_person(w: World, kind: str) -> Account:
    a = w.add("planted", "retail")
    people = [x for x in w.accounts if x.segment == "retail" and x.customer]
    a.friends = w.rng.sample(people, w.rng.randint(3, 10))
    w.labels[a] = kind
    return a


def collection_abroad(w: World) -> None:
    """Small sums collected from many people (some every week), sent on to a conflict-zone
    neighbour or a transit hub, often to one person, in a few transfers."""
    rng = w.rng
    a = planted_person(w, "collection_abroad")
    cover(w, a)
    start = rng.uniform(0, DAYS - 60)
    circle = rng.sample([x for x in w.accounts if x.segment == "retail"], rng.randint(8, 60))
    collected = 0.0
    for _ in range(rng.randint(15, 80)):
        amount = w.amount(8000, 0.8, 500)
        collected += amount
        w.tx(
            w.at(start + rng.uniform(0, 45), 8, 24),
            rng.choice(circle),
            a,
            amount,
            "transfer",
            rng.choice(["", "", "на общее дело", "помощь", "на нужды"]),
        )
    recipient = w.foreign(rng.choice(CONFLICT_ADJ))
    parts = rng.randint(1, 4)
    for n in range(parts):
        w.tx(
            w.at(start + 10 + (n + 1) * 35 / parts),
            a,
            recipient,
            round(collected * rng.uniform(0.6, 0.95) / parts, -2),
            rng.choice(["money transfer system", "transfer", "swift"]),
            rng.choice(["помощь родственникам", "", "family support"]),
        )


def npo_diversion(w: World) -> None:
    """A small foundation with real donors; from some month part of its money goes to
    individuals abroad in high-risk places and out in cash, not to its stated purpose."""
    rng = w.rng
    name = f'{rng.choice(["ОФ", "БФ", "КФ"])} "{rng.choice(NAMES)} {rng.randint(1, 50)}"'
    a = w.add("planted", "npo", name=name)
    w.labels[a] = "npo_diversion"
    charity(w, a)
    start = rng.uniform(20, DAYS - 60)
    recipients = [w.foreign(rng.choice(CONFLICT_ADJ)) for _ in range(rng.randint(1, 4))]
    for _ in range(rng.randint(3, 10)):
        w.tx(
            w.at(start + rng.uniform(0, 60), 9, 18),
            a,
            rng.choice(recipients),
            w.amount(700_000, 0.6, 1000),
            rng.choice(["swift", "money transfer system"]),
            rng.choice(["гуманитарная помощь", "humanitarian aid", "помощь семьям"]),
        )
    for _ in range(rng.randint(0, 4)):
        w.tx(
            w.at(start + rng.uniform(0, 60), 9, 18),
            a,
            None,
            w.amount(800_000, 0.5, 1000),
            "atm",
            "наличные",
        )


def structured_cash(w: World) -> None:
    """Cash paid in several times in a few days, each under a round sum, at different
    branches, then sent abroad in one or two transfers."""
    rng = w.rng
    a = planted_person(w, "structured_cash")
    cover(w, a)
    ceiling = rng.choice([1_000_000, 2_000_000, 3_000_000, 5_000_000, 7_000_000])
    for _ in range(rng.randint(1, 3)):
        start = rng.uniform(0, DAYS - 20)
        total = 0.0
        for _ in range(rng.randint(3, 9)):
            amount = round(ceiling * rng.uniform(0.75, 0.985), -3)
            total += amount
            w.tx(
                w.at(start + rng.uniform(0, 8), 9, 19),
                None,
                a,
                amount,
                "cash deposit",
                f"взнос наличных, отделение {rng.randint(1, 40)}",
            )
        recipient = w.foreign(rng.choice((*CONFLICT_ADJ, "RU", "KG", "UZ")))
        for n in range(rng.randint(1, 2)):
            w.tx(
                w.at(start + 8 + rng.uniform(0, 5) + n, 9, 18),
                a,
                recipient,
                round(total * rng.uniform(0.4, 0.5), -3),
                rng.choice(["swift", "money transfer system"]),
                rng.choice(["оплата за товар", "заем", "помощь"]),
            )


def pass_through(w: World) -> None:
    """An account that receives from a few people and forwards nearly all of it within a day
    or two, again and again: a link in a chain."""
    rng = w.rng
    a = planted_person(w, "pass_through")
    if rng.random() < 0.5:
        cover(w, a)
    else:
        a.opened = (START - dt.timedelta(days=rng.randint(5, 60))).date()  # opened for it
    senders = rng.sample(w.by_kind["external_person"], rng.randint(2, 8))
    if rng.random() < 0.5:
        senders.append(w.foreign(rng.choice(["RU", "TR", "AE"])))
    onward = [w.foreign(rng.choice(CONFLICT_ADJ)) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.4:
        onward = rng.sample(w.by_kind["external_person"], 2)
    for _ in range(rng.randint(3, 9)):
        day = rng.uniform(0, DAYS - 3)
        received = 0.0
        for _ in range(rng.randint(1, 4)):
            amount = w.amount(300_000, 0.7, 1000)
            received += amount
            w.tx(
                w.at(day, 8, 20),
                rng.choice(senders),
                a,
                amount,
                "transfer",
                rng.choice(["", "долг", "перевод"]),
            )
        w.tx(
            w.at(day + rng.uniform(0.1, 1.5)),
            a,
            rng.choice(onward),
            round(received * rng.uniform(0.9, 0.99), -2),
            rng.choice(["transfer", "money transfer system", "swift"]),
            rng.choice(["", "перевод", "помощь"]),
        )


def listed_person(w: World) -> Account:
    """An account of a listed or frozen person (listed in the accounts table)."""
    listed = w.by_kind.get("listed") or []
    if len(listed) < 4 or w.rng.random() < 0.2:
        a = w.add("listed", "retail", customer=True)
        a.listed = True
        return a
    return w.rng.choice(listed)


def listed_link(w: World) -> None:
    """Ordinary-looking people paying a listed person a few times: a loan, help, a debt."""
    rng = w.rng
    a = planted_person(w, "listed_link")
    cover(w, a)
    target = listed_person(w)
    for _ in range(rng.randint(1, 4)):
        w.tx(
            w.at(rng.uniform(0, DAYS)),
            a,
            target,
            w.amount(40000, 0.8, 1000),
            "transfer",
            rng.choice(["", "долг", "помощь", "за товар"]),
        )


def travel_change(w: World) -> None:
    """A settled life that changes weeks before leaving: savings withdrawn, things sold, new
    transfers to a transit hub, a one-way ticket, then nothing."""
    rng = w.rng
    a = planted_person(w, "travel_change")
    leave = rng.uniform(60, DAYS - 5)
    before = len(w.rows)
    cover(w, a)
    w.rows[before:] = [r for r in w.rows[before:] if r[0] < leave * 86_400]
    hub = rng.choice(["TR", "TR", "AE", "GE", "AZ"])
    contact = w.foreign(hub)
    for _ in range(rng.randint(2, 5)):
        w.tx(
            w.at(leave - rng.uniform(1, 35)),
            a,
            contact,
            w.amount(250_000, 0.7, 1000),
            rng.choice(["money transfer system", "transfer"]),
            rng.choice(["", "помощь", "долг"]),
        )
    for _ in range(rng.randint(1, 4)):
        w.tx(
            w.at(leave - rng.uniform(0, 30), 9, 20),
            a,
            None,
            w.amount(300_000, 0.6, 1000),
            "atm",
            "снятие наличных",
        )
    if rng.random() < 0.6:
        w.tx(
            w.at(leave - rng.uniform(5, 30)),
            rng.choice(w.by_kind["external_person"]),
            a,
            w.amount(2_500_000, 0.5, 10000),
            "transfer",
            rng.choice(["за автомобиль", "продажа", ""]),
        )
    if rng.random() < 0.5:
        w.tx(
            w.at(leave - rng.uniform(5, 30), 9, 18),
            w.by_kind["bank"][0],
            a,
            w.amount(1_500_000, 0.4, 10000),
            "transfer",
            "выдача кредита",
        )
    airline = [m for m in w.by_kind["merchant"] if "Air" in m.name or "Fly" in m.name]
    w.tx(
        w.at(leave - rng.uniform(1, 10)),
        a,
        rng.choice(airline),
        w.amount(120_000, 0.4, 10),
        "card payment",
        "авиабилет",
    )


PLANTS: dict[str, Callable[[World], None]] = {
    "collection_abroad": collection_abroad,
    "npo_diversion": npo_diversion,
    "structured_cash": structured_cash,
    "pass_through": pass_through,
    "listed_link": listed_link,
    "travel_change": travel_change,
}


def plant(w: World) -> None:
    for kind in KINDS:
        for _ in range(w.rng.randint(10, 20)):
            PLANTS[kind](w)
