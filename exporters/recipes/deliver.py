"""Delivering a book by e-mail (Send to Kindle and the like), through the standard library's SMTP client."""

from __future__ import annotations

import mimetypes
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from exporters.recipes.recipe import Delivery

__all__ = ["DeliveryError", "send_book", "MEDIA_TYPES"]

#: Attachment media types by extension: Send to Kindle refuses application/octet-stream.
MEDIA_TYPES = {".epub": "application/epub+zip", ".pdf": "application/pdf"}
#: Seconds to wait for the mail server at each step.
TIMEOUT = 60


class DeliveryError(Exception):
    """The server could not be reached or did not accept the message; the text gives its reply."""


def send_book(book: Path, delivery: Delivery, *, subject: str) -> None:
    """Send ``book`` as an attachment to ``delivery.email``; raises :class:`DeliveryError` unless accepted."""
    smtp = delivery.smtp
    password = ""
    if smtp.password_env:
        password = os.environ.get(smtp.password_env, "")
        if not password:
            raise DeliveryError(f"the SMTP password variable {smtp.password_env} is not set")
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = delivery.email
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=smtp.host)
    message.set_content(f"{subject}\n\nAttached: {book.name}, made by newsexport.\n")
    media_type = (
        MEDIA_TYPES.get(book.suffix.lower()) or mimetypes.guess_type(book.name)[0] or "application/octet-stream"
    )
    maintype, subtype = media_type.split("/", 1)
    message.add_attachment(book.read_bytes(), maintype=maintype, subtype=subtype, filename=book.name)
    where = f"{smtp.host}:{smtp.port}"
    try:
        if smtp.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        with client:
            if smtp.starttls and not smtp.ssl:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, password)
            refused = client.send_message(message)
    except smtplib.SMTPResponseException as exc:
        reply = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise DeliveryError(f"{where} refused the message: {exc.smtp_code} {reply}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        code, refusal = next(iter(exc.recipients.values()))
        raise DeliveryError(f"{where} refused {delivery.email}: {code} {refusal.decode('utf-8', 'replace')}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"cannot send through {where} ({exc.__class__.__name__}: {exc})") from None
    if refused:
        raise DeliveryError(f"{where} refused {', '.join(refused)}")
