"""The `finmon triage` commands: a model that ranks monitoring alerts, trained on decisions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from finmon.cli.common import acting, command_group
from finmon.cli.options import (
    AccountsOption,
    ProblemsOption,
    RulesOption,
    StrictOption,
    TransactionFormatOption,
)
from finmon.cli.output import err, print_problems
from finmon.errors import ROW_PROBLEMS_EXIT
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.services.triage import Training

triage_app = command_group(
    "triage",
    "Alert triage: a model of the chance an analyst confirms an account's alerts; it "
    "orders work and never closes an alert.",
)


@triage_app.command("train")
def train_command(
    ctx: typer.Context,
    transactions: Annotated[
        list[Path], typer.Argument(help="Transaction file(s), in any format monitor reads.")
    ],
    labels: Annotated[
        Path,
        typer.Option(
            help="CSV account,label: 1 or true for an account confirmed suspicious, 0 or false "
            "for one cleared."
        ),
    ],
    output: Annotated[Path, typer.Option(help="Write the model to this .json.")],
    format: TransactionFormatOption = None,
    accounts: AccountsOption = None,
    rules: RulesOption = None,
    problems: ProblemsOption = None,
    strict: StrictOption = False,
    features: Annotated[
        str,
        typer.Option(
            help="general (amounts, the rules' alerts and score, the account against its peers: "
            "the default, for cases of kinds the labels do not cover), all (also the counts of "
            "transfers, counterparties and days each way) or amounts (the baseline)."
        ),
    ] = "general",
) -> None:
    """Train a triage model on decided accounts: account features and the rules' alerts,
    a logistic regression, the threshold with the best F1 on a held-out part; the model records
    its training data's sha256, features, finmon version, date and metrics.

    A bad label row is left out and reported (exit 10), or refuses the file with --strict."""
    actor = acting(ctx, Action.SCREEN)
    from finmon.screening.problems import ProblemLog, problems_path
    from finmon.screening.rows import refuse
    from finmon.services.triage import train_triage

    where = problems_path(labels, output, problems)
    with (
        ProblemLog(None if strict else where, always=problems is not None) as log,
        err.status("training the triage model"),
    ):
        training = train_triage(
            actor,
            transactions,
            labels=labels,
            output=output,
            report=refuse if strict else log,
            format=format,
            accounts=accounts,
            rules=rules,
            features=features,
        )
    _print_training(training, output)
    if log.count:
        print_problems(log)
        raise typer.Exit(ROW_PROBLEMS_EXIT)


def _print_training(training: Training, output: Path) -> None:
    check = training.model.metrics["check"]
    err.print(
        f"{training.labelled:,} labelled accounts ({training.unknown:,} not in the transfers, "
        f"left out); threshold {training.model.threshold:.3f}; on the check part: precision "
        f"{check['precision']:.3f}, recall {check['recall']:.3f}, F1 {check['f1']:.3f}; "
        f"model written to {output}",
        markup=False,
    )
    rates = training.model.metrics["segments"]
    err.print(
        "held-out accounts at or above the threshold, per segment: "
        + ", ".join(
            f"{name} {r['flagged_share']:.1%} of {r['accounts']:,}" for name, r in rates.items()
        ),
        markup=False,
    )
