"""The `finmon audit` commands: check the tamper-evident audit log."""

from __future__ import annotations

import typer

from finmon.cli.common import actor_name, command_group
from finmon.cli.output import err, out
from finmon.services import audit

audit_app = command_group("audit", "Check the tamper-evident audit log.")


@audit_app.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """Check the audit log's chain, key and checkpoints; exit 0 only when nothing is wrong."""
    report = audit.verify_audit(actor_name(ctx))
    if report.ok:
        checkpoint = f", checkpoint at row {report.checkpoint_row}" if report.checkpoint_row else ""
        out.print(f"audit log intact: {report.rows} rows, head {report.head}{checkpoint}")
        return
    for problem in report.problems:
        err.print(f"audit log BROKEN ({problem.kind}): {problem.message}", markup=False)
    raise typer.Exit(1)
