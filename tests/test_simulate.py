"""The simulator's contract: reproducible files in the canonical layout, valid identifiers,
ordinary look-alikes in the background, and planted instances shaped as their typology says."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import InputError
from finmon.simulate import TYPOLOGIES, Settings, Simulation, simulate, write
from finmon.simulate.parameters import HIGH_RISK, TRANSIT
from finmon.transactions.model import COLUMNS
from finmon.transactions.reader import read_transactions
from finmon.transactions.wire import check_wire, r16_applies

PLANTED = 3
runner = CliRunner()


def small(seed: int = 7, months: int = 2) -> Settings:
    """A small world: 800 customers, two months, three instances of each typology."""
    return Settings(
        seed=seed, customers=800, months=months, planted=dict.fromkeys(TYPOLOGIES, PLANTED)
    )


@pytest.fixture(scope="module")
def simulation() -> Simulation:
    return simulate(small())


@pytest.fixture(scope="module")
def city() -> pl.DataFrame:
    """A city's worth of ordinary activity: 5,000 customers for a month, little planted; the
    transactions with empty labels as empty text."""
    settings = Settings(customers=5000, months=1, planted=dict.fromkeys(TYPOLOGIES, 2))
    simulation = simulate(settings)
    accounts = simulation.accounts.select("account", "kind", pl.col("typology").alias("label"))
    return simulation.transactions.join(
        accounts, left_on="beneficiary_account", right_on="account", how="left"
    )


@pytest.fixture(scope="module")
def folder(simulation: Simulation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("simulation")
    write(simulation, path)
    return path


@pytest.fixture(scope="module")
def transfers(folder: Path) -> pl.DataFrame:
    """transactions.csv as written, with times and amounts typed and labels empty, not null."""
    frame = pl.read_csv(folder / "transactions.csv", infer_schema=False)
    return frame.with_columns(
        pl.col("timestamp").str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_zone="UTC"),
        pl.col("amount").cast(pl.Float64),
        pl.col("typology", "scenario", "originator_account", "beneficiary_account").fill_null(""),
    )


@pytest.fixture(scope="module")
def accounts(folder: Path) -> pl.DataFrame:
    return pl.read_csv(folder / "accounts.csv", infer_schema=False).with_columns(
        pl.col("typology").fill_null("")
    )


def test_the_same_seed_writes_the_same_bytes(folder: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    write(simulate(small()), again)
    write(simulate(small(seed=small().seed + 1)), other)
    for name in ("transactions.csv", "accounts.csv"):
        assert (again / name).read_bytes() == (folder / name).read_bytes()
        assert (other / name).read_bytes() != (folder / name).read_bytes()


def test_transactions_read_back_in_the_canonical_layout(
    folder: Path, simulation: Simulation
) -> None:
    path = folder / "transactions.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == [*COLUMNS, "typology", "scenario"]
    read = read_transactions(path)
    assert len(read) == simulation.transactions.height > 30_000
    assert len({t.id for t in read}) == len(read)
    assert all(a.timestamp <= b.timestamp for a, b in itertools.pairwise(read))
    assert {t.channel for t in read} == {"transfer", "card", "cash", "wire", "internal"}
    assert all(t.currency == "KZT" and t.amount > 0 for t in read)
    assert all(t.amount == t.amount.quantize(t.amount.__class__("0.01")) for t in read)


def test_times_are_in_the_period_at_waking_hours(transfers: pl.DataFrame) -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - dt.timedelta(hours=5)
    end = dt.datetime(2026, 3, 1, tzinfo=dt.UTC) - dt.timedelta(hours=5)
    times = transfers["timestamp"]
    assert start <= times.min() and times.max() < end
    local = (times.dt.hour() + 5) % 24
    assert local.min() >= 7


def test_every_transfer_carries_what_r16_asks(folder: Path) -> None:
    read = read_transactions(folder / "transactions.csv")
    checked = [t for t in read if r16_applies(t)]
    assert len(checked) > 10_000
    incomplete = [check_wire(t).message() for t in checked if not check_wire(t).complete]
    assert incomplete == []
    for t in checked:
        assert t.originator.id and t.beneficiary.id
        assert t.originator.country and t.beneficiary.country


def test_every_account_used_is_in_accounts_csv(
    transfers: pl.DataFrame, accounts: pl.DataFrame
) -> None:
    known = set(accounts["account"])
    used = set(transfers["originator_account"]) | set(transfers["beneficiary_account"])
    used.discard("")
    assert {a for a in used if a.startswith("KZ")} <= known
    assert used <= known
    assert accounts["account"].n_unique() == accounts.height
    assert set(accounts.columns) == {
        "account", "name", "kind", "segment", "country", "typology", "listed"
    }  # fmt: skip
    assert set(accounts["kind"]) == {"person", "business", "npo", "merchant", "utility", "bank"}
    assert set(accounts["listed"]) == {"true", "false"}


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 written out again: the rearranged number mod 97 is 1."""
    moved = iban[4:] + iban[:4]
    digits = "".join(str(ord(c) - 55) if c.isalpha() else c for c in moved)
    return int(digits) % 97 == 1


def iin_is_valid(number: str) -> bool:
    """REFERENCE.md section 4 written out again, not finmon's function."""
    digits = [int(c) for c in number]
    check = sum(d * (i + 1) for i, d in enumerate(digits[:11])) % 11
    if check == 10:
        weights = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
        check = sum(d * w for d, w in zip(digits[:11], weights, strict=True)) % 11
    return check != 10 and check == digits[11]


def test_kz_accounts_are_valid_ibans(accounts: pl.DataFrame) -> None:
    domestic = accounts.filter(pl.col("country") == "KZ")["account"].to_list()
    assert len(domestic) > 800
    assert all(len(a) == 20 and a[:2] == "KZ" and a[2:].isdigit() for a in domestic)
    assert all(iban_is_valid(a) for a in domestic)
    assert not iban_is_valid(domestic[0][:-1] + str((int(domestic[0][-1]) + 1) % 10))


def test_domestic_parties_have_valid_iins_and_bins(transfers: pl.DataFrame) -> None:
    ids = set()
    for side in ("originator", "beneficiary"):
        home = transfers.filter(pl.col(f"{side}_country") == "KZ")
        ids |= set(home[f"{side}_id"])
    assert len(ids) > 800
    assert all(len(i) == 12 and i.isdigit() and iin_is_valid(i) for i in ids)
    people = transfers.filter(pl.col("channel") == "card")["originator_id"]
    assert all(i[6] in "3456" and 1 <= int(i[2:4]) <= 12 for i in people)


def test_every_typology_is_planted_as_configured(
    transfers: pl.DataFrame, accounts: pl.DataFrame
) -> None:
    for typology in TYPOLOGIES:
        labelled = transfers.filter(pl.col("typology") == typology)
        assert labelled["scenario"].n_unique() == PLANTED, typology
        assert labelled.height >= PLANTED, typology
        assert accounts.filter(pl.col("typology") == typology).height >= PLANTED, typology
    assert transfers.filter((pl.col("typology") == "") != (pl.col("scenario") == "")).is_empty()
    assert accounts.filter(pl.col("listed") == "true").height == 5


def test_suspects_also_live_ordinary_lives(transfers: pl.DataFrame, accounts: pl.DataFrame) -> None:
    suspects = accounts.filter((pl.col("typology") != "") & (pl.col("country") == "KZ"))
    ordinary = transfers.filter(pl.col("typology") == "")
    active = set(ordinary["originator_account"]) | set(ordinary["beneficiary_account"])
    share = sum(a in active for a in suspects["account"]) / suspects.height
    assert share >= 0.9


def test_ordinary_migrants_send_money_home_every_month(transfers: pl.DataFrame) -> None:
    home = transfers.filter(
        (pl.col("typology") == "")
        & (pl.col("originator_country") == "KZ")
        & pl.col("beneficiary_country").is_in(["UZ", "KG", "TJ"])
    )
    months = home.group_by("originator_account").agg(pl.col("timestamp").dt.month().n_unique())
    assert months.filter(pl.col("timestamp") == 2).height >= 20


def test_ordinary_charities_have_many_donors(city: pl.DataFrame) -> None:
    charities = city.filter((pl.col("kind") == "npo") & (pl.col("label") == ""))
    donors = charities.group_by("beneficiary_account").agg(pl.col("originator_account").n_unique())
    assert donors.filter(pl.col("originator_account") > 50).height >= 3
    ngos = set(charities["beneficiary_account"])
    spent = city.filter(pl.col("originator_account").is_in(ngos) & (pl.col("typology") == ""))
    assert spent.filter(pl.col("beneficiary_country") == "KZ").height > 100
    assert spent.filter(pl.col("beneficiary_country") != "KZ").is_empty()


def test_other_look_alikes_are_in_the_background(transfers: pl.DataFrame) -> None:
    ordinary = transfers.filter(pl.col("typology") == "")
    payers = ordinary.group_by("originator_account", pl.col("timestamp").dt.date()).agg(
        pl.col("beneficiary_account").n_unique().alias("payees")
    )
    assert payers["payees"].max() >= 20  # type: ignore[operator]  # a payroll
    traders = ordinary.filter(pl.col("reference") == "Оплата по QR")
    busiest = traders.group_by("beneficiary_account").agg(pl.col("originator_account").n_unique())
    assert busiest["originator_account"].max() >= 30  # type: ignore[operator]
    abroad = ordinary.filter(
        (pl.col("channel") == "card") & (pl.col("beneficiary_country") != "KZ")
    )
    assert set(abroad["beneficiary_country"]) >= {"TR", "AE"}
    cash_in = ordinary.filter((pl.col("channel") == "cash") & (pl.col("originator_account") == ""))
    assert cash_in.height > 100
    own = ordinary.filter(pl.col("channel") == "internal")
    assert own.height > 50 and (own["originator_id"] == own["beneficiary_id"]).all()


def scenarios(transfers: pl.DataFrame, typology: str) -> list[pl.DataFrame]:
    """Each planted instance's transfers, in time order."""
    labelled = transfers.filter(pl.col("typology") == typology).sort("timestamp")
    found = labelled.partition_by("scenario", maintain_order=True)
    assert len(found) == PLANTED
    return found


def test_structured_cash_instances(transfers: pl.DataFrame) -> None:
    for one in scenarios(transfers, "structured_cash"):
        deposits = one.filter(pl.col("channel") == "cash")
        account = deposits["beneficiary_account"][0]
        assert deposits.height >= 3
        assert (deposits["originator_account"] == "").all()
        assert (deposits["beneficiary_account"] == account).all()
        assert (deposits["originator_id"] == deposits["beneficiary_id"]).all()
        low, high = deposits["amount"].min(), deposits["amount"].max()
        assert high <= low * 0.99 / 0.5  # type: ignore[operator]
        span = deposits["timestamp"].max() - deposits["timestamp"].min()  # type: ignore[operator]
        assert span <= dt.timedelta(days=5)
        wire = one.filter(pl.col("channel") == "wire")
        assert wire.height == 1 and wire["originator_account"][0] == account
        assert wire["beneficiary_country"][0] != "KZ"
        assert wire["timestamp"][0] > deposits["timestamp"].max()  # type: ignore[operator]
        assert 0.5 * deposits["amount"].sum() <= wire["amount"][0] <= deposits["amount"].sum()


def test_funnel_instances(transfers: pl.DataFrame) -> None:
    for one in scenarios(transfers, "funnel"):
        collector = one["beneficiary_account"].mode()[0]
        incoming = one.filter(pl.col("beneficiary_account") == collector)
        outgoing = one.filter(pl.col("originator_account") == collector)
        assert 10 <= incoming["originator_account"].n_unique() == incoming.height <= 40
        span = incoming["timestamp"].max() - incoming["timestamp"].min()  # type: ignore[operator]
        assert span <= dt.timedelta(days=14)
        assert incoming["amount"].max() <= 60_000  # type: ignore[operator]
        assert 1 <= outgoing.height <= 4 and incoming.height + outgoing.height == one.height
        assert outgoing["amount"].sum() <= incoming["amount"].sum()
        assert outgoing["amount"].min() > incoming["amount"].median()  # type: ignore[operator]


def test_pass_through_instances(transfers: pl.DataFrame) -> None:
    for one in scenarios(transfers, "pass_through"):
        account = one["originator_account"].mode()[0]
        incoming = one.filter(pl.col("beneficiary_account") == account)
        outgoing = one.filter(pl.col("originator_account") == account)
        assert incoming.height >= 3
        for arrived, amount in incoming.select("timestamp", "amount").iter_rows():
            window = outgoing.filter(
                (pl.col("timestamp") > arrived)
                & (pl.col("timestamp") <= arrived + dt.timedelta(hours=48))
            )
            assert 0.9 * amount <= window["amount"].sum() <= amount


def test_high_risk_jurisdiction_instances(transfers: pl.DataFrame) -> None:
    places = set(HIGH_RISK) | set(TRANSIT)
    for one in scenarios(transfers, "high_risk_jurisdiction"):
        account = one["originator_account"][0]
        assert one.height >= 2 and (one["originator_account"] == account).all()
        assert set(one["beneficiary_country"]) <= places
        before = transfers.filter(
            (pl.col("originator_account") == account) & (pl.col("beneficiary_country") != "KZ")
        )
        assert before.filter(pl.col("typology") == "").is_empty()


def test_npo_misuse_instances(transfers: pl.DataFrame, accounts: pl.DataFrame) -> None:
    kinds = dict(zip(accounts["account"], accounts["kind"], strict=True))
    for one in scenarios(transfers, "npo_misuse"):
        npo = one["originator_account"][0]
        assert kinds[npo] == "npo" and (one["originator_account"] == npo).all()
        for row in one.iter_rows(named=True):
            to_cash = row["channel"] == "cash" and row["beneficiary_account"] == ""
            abroad = row["beneficiary_country"] != "KZ"
            assert to_cash or (abroad and kinds[row["beneficiary_account"]] == "person")
        gifts = transfers.filter(
            (pl.col("beneficiary_account") == npo) & (pl.col("typology") == "")
        )
        assert gifts.height >= 5


def test_crowdfunding_spike_instances(transfers: pl.DataFrame, accounts: pl.DataFrame) -> None:
    kinds = dict(zip(accounts["account"], accounts["kind"], strict=True))
    for one in scenarios(transfers, "crowdfunding_spike"):
        account = one["beneficiary_account"].mode()[0]
        assert kinds[account] == "person"
        gifts = one.filter(pl.col("beneficiary_account") == account)
        sent = one.filter(pl.col("originator_account") == account)
        assert 20 <= gifts["originator_account"].n_unique() == gifts.height <= 100
        span = gifts["timestamp"].max() - gifts["timestamp"].min()  # type: ignore[operator]
        assert span <= dt.timedelta(days=5)
        assert sent["beneficiary_account"].n_unique() == 1
        assert sent["timestamp"].min() > gifts["timestamp"].max()  # type: ignore[operator]
        assert 0.65 * gifts["amount"].sum() <= sent["amount"].sum() <= gifts["amount"].sum()


def test_listed_link_instances(transfers: pl.DataFrame, accounts: pl.DataFrame) -> None:
    listed = set(accounts.filter(pl.col("listed") == "true")["account"])
    labels = dict(zip(accounts["account"], accounts["typology"], strict=True))
    for one in scenarios(transfers, "listed_link"):
        links = defaultdict(set)
        for origin, beneficiary in one.select("originator_account", "beneficiary_account").rows():
            links[origin].add(beneficiary)
            links[beneficiary].add(origin)
        touching = {a for a in links if links[a] & listed}
        assert touching
        for account in set(links) - listed:
            assert labels[account] == "listed_link"
            assert account in touching or links[account] & touching


def test_cycle_instances(transfers: pl.DataFrame, accounts: pl.DataFrame) -> None:
    labels = dict(zip(accounts["account"], accounts["typology"], strict=True))
    for one in scenarios(transfers, "cycle"):
        rows = one.select("originator_account", "beneficiary_account", "amount", "timestamp")
        origin, hops = rows.row(0)[0], []
        for payer, payee, amount, when in rows.iter_rows():
            assert not hops or hops[-1][1] == payer  # each hop starts where the last ended
            hops.append((payer, payee, amount, when))
            if payee != origin:
                continue
            first = hops[0][2]
            assert 2 <= len(hops) <= 4
            assert all(0.9 * first <= amount <= first for _p, _b, amount, _w in hops)
            assert hops[-1][3] - hops[0][3] <= dt.timedelta(days=7)
            assert all(labels[p] == "cycle" for p, _b, _a, _w in hops)
            hops = []
        assert hops == []  # the money came back


def test_scatter_gather_instances(transfers: pl.DataFrame, accounts: pl.DataFrame) -> None:
    labels = dict(zip(accounts["account"], accounts["typology"], strict=True))
    for one in scenarios(transfers, "scatter_gather"):
        source = one["originator_account"].mode()[0]
        gatherer = one["beneficiary_account"].mode()[0]
        split = one.filter(pl.col("originator_account") == source)
        gathered = one.filter(pl.col("beneficiary_account") == gatherer)
        assert split.height + gathered.height == one.height
        assert 4 <= split["beneficiary_account"].n_unique() == split.height <= 10
        received = {
            r[0]: (r[1], r[2])
            for r in split.select("beneficiary_account", "amount", "timestamp").rows()
        }
        for middle, amount, when in gathered.select(
            "originator_account", "amount", "timestamp"
        ).rows():
            got, arrived = received.pop(middle)
            assert 0.9 * got <= amount <= got and arrived < when <= arrived + dt.timedelta(days=3)
        assert received == {}
        shares = split["amount"]
        assert shares.max() <= shares.min() * 1.1 / 0.9  # type: ignore[operator]
        assert {labels[a] for a in (source, gatherer, *split["beneficiary_account"])} == {
            "scatter_gather"
        }


def test_settings_that_make_no_sense_are_refused() -> None:
    with pytest.raises(InputError, match="customers"):
        simulate(Settings(customers=10))
    with pytest.raises(InputError, match="months"):
        simulate(Settings(months=0))
    with pytest.raises(InputError, match="unknown typolog"):
        simulate(Settings(planted={"smurfing": 1}))
    with pytest.raises(InputError, match="too few"):
        simulate(Settings(customers=300))


def test_cli_writes_both_files_and_the_summary(tmp_path: Path) -> None:
    shown = runner.invoke(app, ["simulate", "--help"])
    assert shown.exit_code == 0 and "--customers" in shown.stdout
    result = runner.invoke(
        app,
        ["simulate", "--output", str(tmp_path / "out"), "--customers", "500", "--months", "1",
         "--planted", "2", "--seed", "3", "--start", "2026-03-01"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("transactions.csv", "accounts.csv"):
        assert (tmp_path / "out" / name).stat().st_size > 0
        assert f"wrote {tmp_path / 'out' / name}" in result.stdout
    assert "Planted" in result.stdout and "listed persons" in result.stdout
    for typology in TYPOLOGIES:
        assert typology in result.stdout
    first = (tmp_path / "out" / "transactions.csv").read_text(encoding="utf-8").split("\n")[1]
    assert first.split(",")[1].startswith("2026-0")


def test_cli_refuses_bad_input_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    for args, message in (
        (["--start", "2026-13-01"], "is not a date"),
        (["--customers", "-5"], "customers must be"),
        (["--months", "0"], "months must be"),
        (["--output", str(blocker / "sub")], "cannot create the output directory"),
    ):
        output = [] if "--output" in args else ["--output", str(tmp_path / "x")]
        result = runner.invoke(app, ["simulate", *output, *args])
        assert result.exit_code == InputError.exit_code, result.output
        assert message in result.stderr
