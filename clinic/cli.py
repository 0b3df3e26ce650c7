"""Registers every feature's Flask CLI commands on the app."""

from flask import Flask

from clinic.handout_commands import handout
from clinic.staff.commands import COMMANDS as STAFF_COMMANDS
from clinic.triage_commands import triage


def register(app: Flask) -> None:
    for command in [triage, handout, *STAFF_COMMANDS]:
        app.cli.add_command(command)
