"""Record-keeping commands: `flask --app wsgi purge | backup`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from clinic.audit.chain import CLI_ACTOR
from clinic.records.backup import backup, sqlite_path
from clinic.records.retention import RecordsError, check_retention_days, purge

PG_DUMP_HINT = """\
The database is PostgreSQL: back it up with pg_dump, for example
  pg_dump --format=custom --file=clinic-$(date +%Y%m%d).dump "$DATABASE_URL"
and restore into an empty database with
  pg_restore --clean --if-exists --dbname="$DATABASE_URL" clinic-YYYYMMDD.dump"""


@click.command("purge")
@click.option("--older-than", "days", type=int, default=None, metavar="DAYS",
              help="Delete intakes created more than DAYS ago (default: RETENTION_DAYS).")
@with_appcontext
def purge_command(days: int | None) -> None:
    """Delete old intakes, their patients and handouts, and expired kiosk drafts."""
    if days is None:
        days = int(current_app.config["RETENTION_DAYS"])
    try:
        check_retention_days(days)
    except RecordsError as error:
        raise click.BadParameter(str(error), param_hint="--older-than") from None
    result = purge(days, actor=CLI_ACTOR)
    click.echo(f"purged {result.intakes} intakes older than {days} days "
               f"({result.patients} patients, {result.drafts} expired drafts)")


@click.command("backup")
@click.argument("folder", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Copy the live SQLite database into FOLDER as a new dated file (FOLDER is made if
    needed); keep the newest BACKUP_KEEP backups there."""
    if sqlite_path() is None:
        click.echo(PG_DUMP_HINT)
        return
    try:
        target = backup(folder, actor=CLI_ACTOR)
    except RecordsError as error:
        raise click.ClickException(str(error)) from None
    except (OSError, ValueError) as error:
        # A folder that cannot be written: under a file, too long a name, no permission.
        reason = getattr(error, "strerror", None) or str(error)
        raise click.ClickException(f"cannot write a backup in {str(folder)!r}: {reason}") from None
    click.echo(f"backup written to {target}")


COMMANDS = [purge_command, backup_command]
