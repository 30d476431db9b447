"""Delivering a book by e-mail, against an SMTP server (aiosmtpd) on 127.0.0.1 started by the test."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from exporters.recipes.deliver import DeliveryError, send_book
from exporters.recipes.recipe import Delivery, Smtp


class _Inbox:
    def __init__(self, reply: str = "250 OK"):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.reply = reply

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        if self.reply.startswith("250"):
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return self.reply


@pytest.fixture
def smtp_server():
    servers = []

    def start(reply: str = "250 OK") -> tuple[_Inbox, int]:
        inbox = _Inbox(reply)
        with socket.socket() as probe:  # a free port: aiosmtpd's controller cannot report one it chose
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        return inbox, port

    yield start
    for controller in servers:
        controller.stop()


def _delivery(port: int) -> Delivery:
    return Delivery("me@kindle.example", Smtp(host="127.0.0.1", port=port, starttls=False, sender="news@me.example"))


def test_the_book_arrives_as_an_epub_attachment(tmp_path, smtp_server):
    inbox, port = smtp_server()
    book = tmp_path / "weekly-2026-11-30.epub"
    book.write_bytes(b"PK\x03\x04 an epub")
    send_book(book, _delivery(port), subject="Weekly reading")
    [(sender, recipients, raw)] = inbox.messages
    assert (sender, recipients) == ("news@me.example", ["me@kindle.example"])
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Weekly reading"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/epub+zip"
    assert attachment.get_filename() == "weekly-2026-11-30.epub"
    assert attachment.get_content() == b"PK\x03\x04 an epub"


def test_a_rejected_message_is_an_error_with_the_servers_reply(tmp_path, smtp_server):
    inbox, port = smtp_server("552 Message size exceeds fixed maximum message size")
    book = tmp_path / "weekly.epub"
    book.write_bytes(b"PK")
    with pytest.raises(DeliveryError) as caught:
        send_book(book, _delivery(port), subject="Weekly")
    assert str(caught.value) == (
        f"127.0.0.1:{port} refused the message: 552 Message size exceeds fixed maximum message size"
    )
    assert inbox.messages == []


def test_the_password_comes_from_the_environment_only(tmp_path, monkeypatch):
    book = tmp_path / "weekly.epub"
    book.write_bytes(b"PK")
    monkeypatch.delenv("NEWSEXPORT_TEST_SMTP_PASSWORD", raising=False)
    delivery = Delivery(
        "me@kindle.example", Smtp(host="127.0.0.1", port=1, user="me", password_env="NEWSEXPORT_TEST_SMTP_PASSWORD")
    )
    with pytest.raises(DeliveryError, match="^the SMTP password variable NEWSEXPORT_TEST_SMTP_PASSWORD is not set$"):
        send_book(book, delivery, subject="Weekly")
