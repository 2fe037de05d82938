"""The embedded stack's pieces: the dev server answers with our search attributes, mail is captured."""

from __future__ import annotations

import asyncio
import socket
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey

from worker.devserver import DevServer, StackError, free_port
from worker.mail_capture import MailCapture, captured_mail
from worker.stack import Stack


async def test_dev_server_answers_and_keeps_search_attributes(tmp_path: Path) -> None:
    keys: list[SearchAttributeKey] = [
        SearchAttributeKey.for_keyword("CampaignId"),
        SearchAttributeKey.for_int("ReminderCount"),
    ]
    server = DevServer(tmp_path, port=free_port(), ui_port=None, search_attributes=keys)
    await server.start()
    try:
        client = await Client.connect(server.address)
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace="default")
        )
        assert {"CampaignId", "ReminderCount"} <= set(listed.custom_attributes)
        assert await client.count_workflows() is not None
    finally:
        server.stop()
    assert (tmp_path / "temporal.db").is_file()
    assert server.process is None


async def test_dev_server_moves_off_a_port_taken_before_it_binds(tmp_path: Path) -> None:
    with socket.socket() as taken:  # another process won the race for the port found free
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = DevServer(tmp_path, port=port, ui_port=None, search_attributes=[])
        await server.start()
        try:
            assert server.port != port
            assert await (await Client.connect(server.address)).count_workflows() is not None
        finally:
            server.stop()
    assert b"address already in use" in (tmp_path / "temporal.log").read_bytes()


async def test_captured_message_is_stored_with_envelope(tmp_path: Path) -> None:
    capture = MailCapture(tmp_path / "mail", port=free_port())
    capture.start()
    try:
        message = EmailMessage()
        message["From"] = "minerals@localhost"
        message["To"] = "supplier@example.test"
        message["Subject"] = "Please fill the CMRT — 紛争鉱物"
        message.set_content("Upload link: http://127.0.0.1/u/abc")
        host, port = capture.address.split(":")
        await aiosmtplib.send(message, hostname=host, port=int(port))
    finally:
        capture.stop()
    (mail,) = captured_mail(tmp_path / "mail")
    assert mail.rcpt_tos == ["supplier@example.test"]
    assert mail.subject == "Please fill the CMRT — 紛争鉱物"
    assert "http://127.0.0.1/u/abc" in mail.text()
    assert not list((tmp_path / "mail").glob("*.part"))


def test_one_stack_per_data_dir(tmp_path: Path) -> None:
    first, second = Stack(tmp_path), Stack(tmp_path)
    first._take_lock()
    try:
        with pytest.raises(StackError, match="already running"):
            second._take_lock()
    finally:
        asyncio.run(first.stop())
    second._take_lock()  # released by stop()
    asyncio.run(second.stop())
