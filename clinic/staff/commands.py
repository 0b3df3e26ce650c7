"""Staff account commands: `flask --app wsgi create-staff ...`."""

import sys

import click
from flask.cli import with_appcontext

from clinic.models import STAFF_ROLES
from clinic.staff.operations import StaffError, create_staff


@click.command("create-staff")
@click.argument("username")
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@click.option("--password-stdin", is_flag=True,
              help="Read the password twice, one line each, from standard input.")
@with_appcontext
def create_staff_command(username: str, role: str, password_stdin: bool) -> None:
    """Create a staff account; the password is asked for twice."""
    if password_stdin:
        lines = sys.stdin.read().splitlines()
        first, second = (lines + ["", ""])[:2]
    else:
        first = click.prompt("Password", hide_input=True)
        second = click.prompt("Repeat password", hide_input=True)
    if first != second:
        raise click.UsageError("the two passwords do not match")
    try:
        user = create_staff(username, first, role)
    except StaffError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"created {user.role} account {user.username!r}")


COMMANDS = [create_staff_command]
