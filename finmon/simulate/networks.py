"""Planted typologies over several accounts: links to listed persons, cycles, scatter-gather.

Every account taking part is labelled with the typology: for listed_link the account paying or
paid by a listed person's account and, in the two-hop form, the middleman forwarding to or from
it; for cycle the origin and every intermediary; for scatter_gather the source, every
intermediary and the gatherer. The listed persons' own accounts are marked listed=true, not
labelled: they are the monitoring engine's input, not something to find.
"""

from __future__ import annotations

import itertools

import numpy as np

from finmon.simulate.ledger import Scenario, draw, to_tiyn
from finmon.simulate.parameters import CYCLE, LISTED_TRANSFER, SCATTER
from finmon.simulate.typologies import TO_PERSON, Plant

CONTRACT = "Оплата по договору"
DEBT = "Возврат долга"
PLACES_ABROAD = ("TR", "AE", "RU", "GE", "UZ")
"""Where a foreign intermediary or gatherer of a network sits."""


def listed_link(plant: Plant, scenario: Scenario) -> None:
    """One hop (three in five): 1-3 transfers between an account and a listed person's, mostly
    to the listed person. Two hops: 1-2 times, money goes through a middleman to the listed
    person (or from them), forwarded at 80-100% within 1-5 days."""
    rng = plant.rng
    listed = int(rng.choice(plant.world.listed))
    suspect = plant.suspect(scenario.typology)
    outward = rng.random() < 0.7
    if rng.random() < 0.6:
        count = int(rng.integers(1, 4))
        days = plant.start(20) + rng.integers(0, 20, size=count)
        origin, beneficiary = (suspect, listed) if outward else (listed, suspect)
        amounts = draw(rng, LISTED_TRANSFER, count)
        channel = _channel(plant, origin, beneficiary)
        plant.add(
            scenario, plant.at(days, (9, 21)), origin, beneficiary, amounts, channel, TO_PERSON
        )
        return
    middle = plant.suspect(scenario.typology)
    path = [suspect, middle, listed] if outward else [listed, middle, suspect]
    second = int(plant.at([plant.start(16)], (9, 20))[0])
    for repeat in range(int(rng.integers(1, 3))):
        first = plant.later(second, 24, 120) if repeat else second
        amount = int(draw(rng, LISTED_TRANSFER, 1)[0])
        forwarded = int(to_tiyn(np.array([amount / 100 * rng.uniform(0.8, 1.0)]), 100)[0])
        second = plant.later(first, 24, 120)
        hops = ((path[0], path[1], first, amount), (path[1], path[2], second, forwarded))
        for origin, beneficiary, time, paid in hops:
            channel = _channel(plant, origin, beneficiary)
            plant.add(scenario, [time], origin, beneficiary, paid, channel, TO_PERSON)


def cycle(plant: Plant, scenario: Scenario) -> None:
    """Money leaves an account and comes back through 1-3 intermediaries (one abroad at times),
    2-36 hours a hop, each hop 0-2% less than the one before (a fee or a cut); once, or twice
    1-10 days apart."""
    rng = plant.rng
    origin = plant.suspect(scenario.typology, businesses=0.3)
    count = int(rng.integers(1, 4))
    abroad = int(rng.integers(count)) if count > 1 and rng.random() < 0.15 else -1
    middle = [
        plant.foreigner(PLACES_ABROAD, scenario.typology)
        if hop == abroad
        else plant.suspect(scenario.typology, businesses=0.2)
        for hop in range(count)
    ]
    path = [origin, *middle, origin]
    time = int(plant.at([plant.start(22)], (9, 19))[0])
    for repeat in range(int(rng.integers(1, 3))):
        time = plant.later(time, 24, 240) if repeat else time
        amount = float(draw(rng, CYCLE, 1)[0]) / 100
        for hop, (payer, payee) in enumerate(itertools.pairwise(path)):
            if hop:
                time = plant.later(time, 2, 36)
                amount *= 1 - rng.uniform(0, 0.02)
            paid = int(to_tiyn(np.array([amount]), 100)[0])
            plant.add(
                scenario,
                [time],
                payer,
                payee,
                paid,
                _channel(plant, payer, payee),
                _text(plant, payer, payee),
            )


def scatter_gather(plant: Plant, scenario: Scenario) -> None:
    """A source splits a sum among 4-10 intermediaries (each share within 10% of an even one)
    within two days; each forwards 95-100% of its share to one gatherer (abroad at times)
    2-72 hours after receiving it."""
    rng = plant.rng
    source = plant.suspect(scenario.typology, businesses=0.3)
    middle = [plant.suspect(scenario.typology) for _ in range(int(rng.integers(4, 11)))]
    if rng.random() < 0.2:
        gatherer = plant.foreigner(PLACES_ABROAD, scenario.typology)
    else:
        gatherer = plant.suspect(scenario.typology, businesses=0.3)
    total = float(draw(rng, SCATTER, 1)[0]) / 100
    shares = total / len(middle) * rng.uniform(0.9, 1.1, size=len(middle))
    first = plant.start(6)
    for intermediary, share in zip(middle, shares, strict=True):
        sent = int(plant.at([first + int(rng.integers(0, 2))], (9, 20))[0])
        paid = int(to_tiyn(np.array([share]), 100)[0])
        plant.add(
            scenario,
            [sent],
            source,
            intermediary,
            paid,
            _channel(plant, source, intermediary),
            _text(plant, source, intermediary),
        )
        forwarded = int(to_tiyn(np.array([share * rng.uniform(0.95, 1.0)]), 100)[0])
        channel = _channel(plant, intermediary, gatherer)
        plant.add(
            scenario,
            [plant.later(sent, 2, 72)],
            intermediary,
            gatherer,
            forwarded,
            channel,
            _text(plant, intermediary, gatherer),
        )


def _channel(plant: Plant, origin: int, beneficiary: int) -> str:
    countries = plant.world.accounts.country
    return "wire" if countries[origin] != countries[beneficiary] else "transfer"


def _text(plant: Plant, origin: int, beneficiary: int) -> str:
    kinds = plant.world.accounts.kind
    if "business" in (kinds[origin], kinds[beneficiary]):
        return CONTRACT
    return TO_PERSON if plant.rng.random() < 0.7 else DEBT
