"""Staff account commands: `flask --app wsgi create-staff|set-password|disable-staff|unlock-staff|
list-staff`.

Every change is audited with actor "cli".
"""

import sys

import click
from flask.cli import with_appcontext

from clinic.audit.chain import CLI_ACTOR
from clinic.models import STAFF_ROLES
from clinic.staff.accounts import (
    StaffError,
    create_staff,
    disable_staff,
    list_staff,
    set_password,
    unlock_staff,
)


def _read_password(from_stdin: bool) -> str:
    """The new password, entered twice (two lines on stdin with --password-stdin)."""
    if from_stdin:
        lines = sys.stdin.read().splitlines()
        first, second = (lines + ["", ""])[:2]
    else:
        first = click.prompt("Password", hide_input=True)
        second = click.prompt("Repeat password", hide_input=True)
    if first != second:
        raise click.UsageError("the two passwords do not match")
    return str(first)


password_stdin = click.option(
    "--password-stdin", is_flag=True,
    help="Read the password twice, one line each, from standard input.",
)


@click.command("create-staff")
@click.argument("username")
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@password_stdin
@with_appcontext
def create_staff_command(username: str, role: str, password_stdin: bool) -> None:
    """Create a staff account; the password is asked for twice."""
    password = _read_password(password_stdin)
    try:
        user = create_staff(username, password, role, actor=CLI_ACTOR)
    except StaffError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"created {user.role} account {user.username!r}")


@click.command("set-password")
@click.argument("username")
@password_stdin
@with_appcontext
def set_password_command(username: str, password_stdin: bool) -> None:
    """Set a new password for a staff account; ends its sessions and any login delay."""
    password = _read_password(password_stdin)
    try:
        user = set_password(username, password, actor=CLI_ACTOR)
    except StaffError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"password changed for {user.username!r}")


@click.command("disable-staff")
@click.argument("username")
@with_appcontext
def disable_staff_command(username: str) -> None:
    """Disable a staff account; every open session of it ends at its next request."""
    try:
        user = disable_staff(username, actor=CLI_ACTOR)
    except StaffError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"disabled {user.username!r}")


@click.command("unlock-staff")
@click.argument("username")
@with_appcontext
def unlock_staff_command(username: str) -> None:
    """End a staff account's login delay after failed logins; its failures count from zero."""
    try:
        user = unlock_staff(username, actor=CLI_ACTOR)
    except StaffError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"unlocked {user.username!r}: logins no longer wait, failures count from zero")


@click.command("list-staff")
@with_appcontext
def list_staff_command() -> None:
    """List staff accounts (never their password hashes)."""
    for user in list_staff():
        state = "active" if user.active else "disabled"
        click.echo(f"{user.username}\t{user.role}\t{state}")


COMMANDS = [create_staff_command, set_password_command, disable_staff_command,
            unlock_staff_command, list_staff_command]
