"""Kiosk CLI commands."""

import click
from flask.cli import with_appcontext

from clinic.intake.drafts import purge_drafts


@click.command("purge-drafts")
@with_appcontext
def purge_drafts_command() -> None:
    """Delete kiosk drafts untouched for longer than DRAFT_TTL_MINUTES."""
    count = purge_drafts()
    click.echo(f"Purged {count} expired draft(s).")


COMMANDS = [purge_drafts_command]
