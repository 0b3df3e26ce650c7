"""Registers every feature's Flask CLI commands on the app."""

from flask import Flask

from clinic.audit.commands import COMMANDS as AUDIT_COMMANDS
from clinic.handout.commands import COMMANDS as HANDOUT_COMMANDS
from clinic.intake.commands import COMMANDS as INTAKE_COMMANDS
from clinic.kiosk.commands import COMMANDS as KIOSK_COMMANDS
from clinic.records.commands import COMMANDS as RECORDS_COMMANDS
from clinic.staff.commands import COMMANDS as STAFF_COMMANDS


def register(app: Flask) -> None:
    for command in [*INTAKE_COMMANDS, *HANDOUT_COMMANDS, *STAFF_COMMANDS, *AUDIT_COMMANDS,
                    *RECORDS_COMMANDS, *KIOSK_COMMANDS]:
        app.cli.add_command(command)
