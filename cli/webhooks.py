"""`minerals webhooks`: receivers told of case events, each delivery signed (add prints the secret once)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer

from cli.context import By, DataDir, Json, acting, fail, hint, say, sessions, settings_for
from models.settings import Settings

app = typer.Typer(
    help="Webhooks: tell other systems of case events (add, list, remove, test).", no_args_is_help=True
)
WebhookId = Annotated[int, typer.Argument(help="The webhook's number (see `minerals webhooks list`).", min=1)]


def _dispatch(settings: Settings) -> None:
    """Make sure the dispatcher runs; without Temporal the events wait in the audit trail."""
    from cases.webhooks import start_dispatcher
    from worker.client import connect

    async def start() -> None:
        await start_dispatcher(await connect(settings), settings.task_queue)

    try:
        asyncio.run(start())
    except Exception as exc:  # noqa: BLE001  (the webhook is saved: say what is left to do)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        say(f"Temporal at {settings.temporal_address} did not start the webhook dispatcher ({first}); ")
        say("events wait in the audit trail: run `minerals webhooks test N` once `minerals up` runs.")


@app.command()
def add(
    url: Annotated[str, typer.Argument(help="Where to POST the events (http or https).")],
    events: Annotated[
        str, typer.Option("--events", help="Comma-separated, e.g. case.stage_changed,action.opened")
    ],
    as_json: Json = False,
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Add a webhook and print its signing secret: it is shown this once."""
    from cases.webhooks import WebhookError, add_webhook, parse_events

    settings = settings_for(data_dir)
    try:
        hook, secret = add_webhook(sessions(settings), url, parse_events(events), actor=acting(by))
    except WebhookError as exc:
        fail(str(exc), 2)
    if as_json:
        typer.echo(json.dumps({"id": hook.id, "url": hook.url, "events": hook.events, "secret": secret}))
    else:
        say(f"Webhook {hook.id} added for {', '.join(hook.events)}; its signing secret, shown only now:")
        say(secret)
        say(f"Send it a test event with: {hint(settings, f'minerals webhooks test {hook.id}')}")
    _dispatch(settings)


@app.command("list")
def list_(as_json: Json = False, data_dir: DataDir = None) -> None:
    """Every webhook with its events and its last delivery's status."""
    from cases.webhooks import webhook_rows

    with sessions(settings_for(data_dir))() as session:
        rows = webhook_rows(session)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        last = row["last_delivery"]
        status = "no delivery yet"
        if last is not None:
            answer = last["status_code"] or last["error"] or "-"
            status = f"last {last['event']} {last['status']} ({last['attempts']} attempt(s), {answer})"
        say(f"{row['id']}\t{row['url']}\t{','.join(row['events'])}\t{status}")
    say(f"{len(rows)} webhook(s)")


@app.command()
def remove(webhook: WebhookId, by: By = "", data_dir: DataDir = None) -> None:
    """Stop telling a webhook anything."""
    from cases.webhooks import WebhookError, remove_webhook

    try:
        remove_webhook(sessions(settings_for(data_dir)), webhook, actor=acting(by))
    except WebhookError as exc:
        fail(str(exc), 2)
    say(f"Webhook {webhook} removed.")


@app.command()
def test(webhook: WebhookId, by: By = "", data_dir: DataDir = None) -> None:
    """Send a webhook.test event; `minerals webhooks list` shows how it went."""
    from cases.webhooks import WebhookError, ping

    settings = settings_for(data_dir)
    try:
        ping(sessions(settings), webhook, actor=acting(by))
    except WebhookError as exc:
        fail(str(exc), 2)
    _dispatch(settings)
    say(f"Test event recorded for webhook {webhook}; see {hint(settings, 'minerals webhooks list')}")
