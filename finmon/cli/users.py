"""The `finmon users` commands: users, roles and API keys.

Users are made on the command line by whoever runs finmon on the server (the actor of the audit
row is --actor / FINMON_ACTOR); after that an admin can make them through the API too.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.commands import Rows, Step, rows_command, step_commands
from finmon.cli.common import acting, actor_name, command_group
from finmon.cli.output import err, out
from finmon.errors import InputError
from finmon.services import users
from finmon.workflow.access import Action, Role

users_app = command_group("users", "Users, roles and API keys.")
UserName = Annotated[str, typer.Argument(help="User name.")]


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InputError(f"unknown --role {value!r}; use one of {choices}") from None


@users_app.command("create")
def users_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ - @).")],
    role: Annotated[str, typer.Option(help="analyst, supervisor, admin or auditor.")],
    person: Annotated[
        str, typer.Option(help="The holder's staff number or national ID: one person, one account.")
    ],
) -> None:
    """Add an account for one person with one role and print its API key (shown this once,
    stored hashed). After the founding pair, the account works once a second person approves it
    (finmon users approve NAME)."""
    acting(ctx, Action.MANAGE_USERS)  # refused before the role is parsed, as before
    key, status = users.create_user(actor_name(ctx), name, _role(role), person=person)
    err.print(f"user {name} ({role}) created, {status}; API key (shown once):", markup=False)
    out.print(key, markup=False, highlight=False, soft_wrap=True)


step_commands(
    users_app,
    "name",
    UserName,
    Step(
        "approve",
        "Approve, as the second person, what awaits approval on an account: its creation, a "
        "role change, a key or a password set by someone else.",
        lambda actor, name: ", ".join(sorted(users.approve_user(actor, name))),
        "approved for {id}: {result}",
    ),
)


@users_app.command("set-role")
def users_set_role(
    ctx: typer.Context,
    name: UserName,
    role: Annotated[str, typer.Argument(help="analyst, supervisor, admin or auditor.")],
) -> None:
    """Ask for an account's role to change; it changes when a second person approves."""
    users.change_role(actor_name(ctx), name, _role(role))
    out.print(f"{name}: role {role} awaits a second person's approval", markup=False)


@users_app.command("set-password")
def users_set_password(
    ctx: typer.Context,
    name: UserName,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Give a user a password for the web interface (asked twice unless --password-stdin);
    their open web sessions end."""
    actor = acting(ctx, Action.MANAGE_USERS)  # refused before the password is asked
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    users.set_password(actor, name, password)
    err.print(f"user {name} can now sign in at /ui/", markup=False)


step_commands(
    users_app,
    "name",
    UserName,
    Step(
        "new-key",
        "Issue another API key for a user and print it (shown this once).",
        users.issue_key,
        "{result}",
    ),
    Step(
        "revoke-keys",
        "Revoke every live API key of a user at once.",
        users.revoke_keys,
        "{result} key(s) of {id} revoked",
    ),
    Step(
        "disable",
        "Disable a user: none of their keys is accepted any more.",
        users.disable_user,
        "user {id} is disabled",
    ),
)


USER_COLUMNS = [
    "name",
    "role",
    "status",
    "pending_role",
    "person",
    "live_keys",
    "created_at",
    "created_by",
]


def _users_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("user", "role", "status", "person", "live keys", "created", "by")
    for user in rows:
        status = user["status"]
        if user["pending_role"]:
            status += f" (role {user['pending_role']} awaits approval)"
        table.add_row(
            user["name"],
            user["role"],
            status,
            user["person"],
            str(user["live_keys"]),
            user["created_at"][:19],
            user["created_by"],
        )
    return table


@rows_command(users_app, "list", USER_COLUMNS, _users_table)
def users_list(ctx: typer.Context) -> Rows:
    """Every user, their role, status and live keys."""
    return [dict(user) for user in users.list_users(actor_name(ctx))]
