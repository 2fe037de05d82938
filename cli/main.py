"""Entry point of the `minerals` command: each command's module is imported only when it runs."""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

# name -> (module:attribute, one-line help shown by `minerals --help`). The attribute is a Typer
# (a group of sub-commands) or a function (one command). tests/cli/test_startup.py checks that each
# line here is the command's own first help line.
COMMANDS: dict[str, tuple[str, str]] = {
    "up": (
        "cli.up:up",
        "Start the embedded stack: Temporal dev server, SMTP capture, worker; Ctrl-C stops it.",
    ),
    "demo": (
        "cli.demo:demo",
        "Run a whole campaign on the embedded stack in about a minute and print where to look.",
    ),
    "samples": ("cli.samples:samples", "Write a supplier list and filled templates to try `minerals` with."),
    "check": (
        "cli.check:check_command",
        "Check supplier templates; exit 0 when all are complete, 1 when any is incomplete, "
        "2 when unreadable.",
    ),
    "assess": (
        "cli.assess:assess_command",
        "Check and assess templates; exit 0 when all are complete, 1 if any is incomplete, 2 if unreadable.",
    ),
    "suppliers": ("cli.suppliers:app", "Suppliers: import, list, correct a contact."),
    "campaign": (
        "cli.campaign:app",
        "Survey campaigns: start one, follow its progress, pause its reminders.",
    ),
    "cases": ("cli.cases:app", "Survey cases: list, show, submit a file, staff actions."),
    "actions": (
        "cli.actions:app",
        "Corrective actions, numbered CASE/N (12/1): staff decisions and evidence.",
    ),
    "outbox": (
        "cli.outbox:outbox",
        "Every email: case, kind, recipients, subject, sent time, idempotency key, links.",
    ),
    "mail": ("cli.mail:app", "Emails as suppliers receive them: preview any kind in any language."),
    "smelters": ("cli.smelters:app", "Smelter registry: import RMI lists and look-ups, find facilities."),
    "registry": ("cli.registry:app", "Registry refreshes: judge cases again after each RMI status list."),
    "outreach": ("cli.engagement:app", "Smelter outreach: RMAP letters, follow-ups, notes, outcomes."),
    "schedule": ("cli.schedule:app", "Schedules: import the newest RMI list from a folder on a cadence."),
    "report": ("cli.report:app", "Reports: KPI table, consolidated smelter list, company CMRT roll-up."),
    "users": ("cli.users:app", "Staff accounts of the web console."),
    "console": (
        "cli.console:console",
        "Serve the web console; suppliers' upload links point at MINERALS_PUBLIC_BASE_URL.",
    ),
    "worker": (
        "cli.up:worker",
        "Run workers against the configured Temporal service; SIGTERM lets activities finish.",
    ),
    "audit": ("cli.audit:app", "The tamper-evident audit trail: verify, log, export, anchor."),
    "db": ("cli.db:app", "The database schema: its revision and migrations."),
    "tokens": ("cli.tokens:app", "Tokens of the JSON API under /api/v1: create, list, revoke."),
    "webhooks": (
        "cli.webhooks:app",
        "Webhooks: tell other systems of case events (add, list, remove, test).",
    ),
    "purchases": ("cli.purchases:app", "Purchases: import what was bought; the commodity-to-minerals map."),
    "customers": (
        "cli.customers:app",
        "Customers: their requests for our CMRT/EMRT, answered with the roll-up.",
    ),
}


def load_command(name: str) -> TyperCommand | TyperGroup:
    """Import the module of one command and build its click command."""
    target, _ = COMMANDS[name]
    module_name, attribute = target.split(":")
    found: Any = getattr(importlib.import_module(module_name), attribute)
    if isinstance(found, typer.Typer):  # a group, as `add_typer` would make it (no completion options)
        command: Any = typer.main.get_group(found)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(found)
        command = typer.main.get_command(single)
    assert isinstance(command, TyperCommand | TyperGroup)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """A command group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command, in the order of COMMANDS."""
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> TyperCommand | TyperGroup | None:
        """The command, its module imported now."""
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command with its whole one-line help, without importing any command."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in COMMANDS.items()])


app = typer.Typer(
    cls=LazyGroup,
    help="Responsible Minerals Workflows: supplier surveys, template checks and smelter risk.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # the top level's help in plain text: rich's help formatter costs 0.1 s to import
)


@app.callback()
def main() -> None:
    """Responsible-minerals due diligence as durable Temporal workflows."""


if __name__ == "__main__":
    app()
