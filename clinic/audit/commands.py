"""`flask --app wsgi audit verify`: walk the audit hash chain."""

import click
from flask.cli import with_appcontext

from clinic.audit.chain import verify_chain


@click.group("audit")
def audit_group() -> None:
    """Audit trail tools."""


@audit_group.command("verify")
@with_appcontext
def verify_command() -> None:
    """Walk the hash chain; exit 1 naming the first broken row."""
    report = verify_chain()
    if not report.intact:
        click.echo(f"audit chain broken at row id {report.broken_id} "
                   f"(after {report.rows - 1} intact rows)", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain intact: {report.rows} rows")


COMMANDS = [audit_group]
