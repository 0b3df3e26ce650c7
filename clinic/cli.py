"""Registers every feature's Flask CLI commands on the app."""

from flask import Flask

from clinic.handout_commands import handout
from clinic.kiosk.commands import COMMANDS as KIOSK_COMMANDS
from clinic.records_commands import COMMANDS as RECORDS_COMMANDS
from clinic.staff.commands import COMMANDS as STAFF_COMMANDS
from clinic.triage_commands import triage


def register(app: Flask) -> None:
    for command in [triage, handout, *STAFF_COMMANDS, *RECORDS_COMMANDS, *KIOSK_COMMANDS]:
        app.cli.add_command(command)
