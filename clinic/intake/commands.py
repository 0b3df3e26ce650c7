"""`flask triage` commands: assess intakes from a JSON file or stdin, print the rule table.

Registered by the app factory with ``app.cli.add_command(triage)``:

    flask triage FILE [--explain]   FILE is a path or "-" (stdin): one intake or a list
    flask triage rules              the rule table as Markdown
"""

import json
from typing import Any

import click

from clinic.triage import (
    Evaluation,
    IntakeError,
    evaluate,
    explain_evaluation,
    rules_markdown,
    to_assessment,
)


class DefaultCommandGroup(click.Group):
    """A group whose unknown first argument falls through to a default command."""

    def __init__(self, *args: Any, default_command: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_command = default_command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in self.get_help_option_names(
            ctx
        ):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


class InputError(Exception):
    """Bad input for a command: one line for stderr, then exit status 2."""


def load_intakes(path: str) -> tuple[list[object], bool]:
    """Read FILE (a path, or - for stdin) as JSON: the intakes and whether it held a list.

    The one JSON-input loader of the CLI commands (`flask triage`, `flask handout`); a file
    that cannot be read or parsed raises InputError naming the problem.
    """
    try:
        with click.open_file(path, "r", encoding="utf-8") as stream:
            text = stream.read()
    except (OSError, ValueError) as error:
        # ValueError covers undecodable bytes and a path with a NUL byte in it.
        raise InputError(f"{path!r}: cannot read the file ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise InputError(f"{path}: malformed JSON at {where}: {error.msg}") from None
    except ValueError as error:
        # Valid JSON Python still refuses, e.g. an integer over 4300 digits.
        raise InputError(f"{path}: cannot read the JSON: {error}") from None
    return (data, True) if isinstance(data, list) else ([data], False)


def _evaluated(items: list[object], is_list: bool) -> list[Evaluation]:
    """Evaluate every intake before any output, so a bad item prints nothing but the error."""
    evaluations = []
    for index, item in enumerate(items):
        try:
            evaluations.append(evaluate(item))
        except IntakeError as error:
            prefix = f"[{index}]" if is_list else ""
            joiner = "." if prefix and error.field and not error.field.startswith("[") else ""
            where = prefix + joiner + error.field or "intake"
            raise InputError(f"{where}: {error.problem}") from None
    return evaluations


@click.group("triage", cls=DefaultCommandGroup, default_command="assess")
def triage() -> None:
    """Triage intake answers (clinic-intake/1) and show the triage rules."""


@triage.command("assess")
@click.argument("file", metavar="FILE")
@click.option("--explain", "explain_only", is_flag=True,
              help="Print the rules that fired and why, instead of the JSON assessment.")
def assess_command(file: str, explain_only: bool) -> None:
    """Assess FILE (a path, or - for stdin): one intake object or a JSON list of them.

    Prints the assessment (or a list of them) as JSON. Bad input: exit status 2 and one
    line on stderr naming the field and the problem.
    """
    try:
        items, is_list = load_intakes(file)
        evaluations = _evaluated(items, is_list)
    except InputError as error:
        click.echo(" ".join(str(error).splitlines()), err=True)
        raise click.exceptions.Exit(2) from None
    if explain_only:
        for index, evaluation in enumerate(evaluations):
            click.echo(f"=== intake [{index}] ===" if is_list else "=== intake ===")
            for line in explain_evaluation(evaluation):
                click.echo(line)
        return
    results = [to_assessment(evaluation) for evaluation in evaluations]
    click.echo(json.dumps(results if is_list else results[0], indent=2, ensure_ascii=False))


@triage.command("rules")
def rules_command() -> None:
    """Print the rule table as Markdown (the same text as docs/triage-rules.md)."""
    click.echo(rules_markdown(), nl=False)


COMMANDS = [triage]
