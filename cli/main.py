"""Entry point of the `minerals` command: each feature adds its own sub-commands here."""

from __future__ import annotations

import typer

from cli import actions as actions_cmd
from cli import (
    assess,
    audit,
    campaign,
    cases,
    check,
    db,
    demo,
    outbox,
    report,
    smelters,
    suppliers,
    up,
    users,
)
from cli import console as console_cmd

app = typer.Typer(
    help="Responsible Minerals Workflows: supplier surveys, template checks and smelter risk.",
    no_args_is_help=True,
    add_completion=False,
)

app.add_typer(suppliers.app, name="suppliers")
app.command("check")(check.check_command)
app.add_typer(campaign.app, name="campaign")
app.add_typer(cases.app, name="cases")
app.command("outbox")(outbox.outbox)
app.command("up")(up.up)
app.command("worker")(up.worker)
app.command("demo")(demo.demo)
app.add_typer(smelters.app, name="smelters")
app.command("assess")(assess.assess_command)
app.add_typer(users.app, name="users")
app.command("console")(console_cmd.console)
app.add_typer(report.app, name="report")
app.add_typer(actions_cmd.app, name="actions")
smelters.app.command("outreach")(actions_cmd.outreach)
app.add_typer(audit.app, name="audit")
app.add_typer(db.app, name="db")


@app.callback()
def main() -> None:
    """Responsible-minerals due diligence as durable Temporal workflows."""


if __name__ == "__main__":
    app()
