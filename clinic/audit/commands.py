"""`flask --app wsgi audit verify`: walk the audit hash chain and check its recorded head.
`flask --app wsgi audit adopt-head --reason ...`: sign a head record over the chain as it
stands, audited (adopt.py)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from clinic.audit.adopt import ADOPTED_ACTION, REASON_MAX, AdoptError, adopt_head
from clinic.audit.head import head_path
from clinic.audit.verify import verify_chain


@click.group("audit")
def audit_group() -> None:
    """Audit trail tools."""


@audit_group.command("verify")
@click.option("--head", "head_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None,
              help="The head record to check against (default: instance/audit_head). For a "
                   "backup: the .audit_head file written beside it.")
@with_appcontext
def verify_command(head_file: Path | None) -> None:
    """Walk the hash chain; exit 1 naming the first broken row, or a cut or rewritten tail."""
    report = verify_chain(head_file)
    if report.broken_id is not None:
        click.echo(f"audit chain broken at row id {report.broken_id} "
                   f"(after {report.rows - 1} intact rows)", err=True)
        raise SystemExit(1)
    if report.head_problem is not None:
        click.echo(f"audit chain not intact: {report.head_problem}", err=True)
        # The count to check before adopting: every row walked links and hashes correctly.
        click.echo(f"  its {report.rows} rows link and hash correctly", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain intact: {report.rows} rows")
    if report.legacy_rows:
        click.echo(f"  the first {report.legacy_rows} rows predate the audit key (unkeyed "
                   "sha256); every row after them is keyed")
    if report.head is not None:
        click.echo(f"  it holds the head recorded in {head_file or head_path()} "
                   f"(row id {report.head.id}, {report.head.count} rows, record "
                   f"#{report.head.counter})")


@audit_group.command("adopt-head")
@click.option("--reason", required=True,
              help=f"Why, in at most {REASON_MAX} characters and never patient data: it goes "
                   "into the audit row.")
@with_appcontext
def adopt_head_command(reason: str) -> None:
    """Sign a head record over the chain as it stands, after `audit verify` found every row
    intact but the record missing, old, or not the chain's: after an upgrade from the old
    record format, an instance folder restored without it, or a move to a new machine.
    Audited as audit.head_adopted with the reason and what the record was."""
    try:
        adoption = adopt_head(reason)
    except AdoptError as error:
        click.echo(f"not adopted: {error}", err=True)
        raise SystemExit(1) from None
    head = adoption.head
    click.echo(f"adopted the audit chain as it stands: {adoption.path} now records row id "
               f"{head.id} ({head.count} rows, record #{head.counter})")
    click.echo(f"  audited as {ADOPTED_ACTION}: {adoption.record}")


COMMANDS = [audit_group]
