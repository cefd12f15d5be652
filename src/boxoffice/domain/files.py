"""Files: the customer cases that group orders, and the purchasers they know."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from boxoffice.domain.errors import FileContactLimit

# Purchasers one file keeps: every call may name new ones, and each file is read whole.
MAX_FILE_CONTACTS = 50


class Contact:
    """A purchaser known to a file."""

    def __init__(
        self,
        contact_reference: str,
        first_name: str | None = None,
        last_name: str | None = None,
        email: str | None = None,
    ) -> None:
        self.contact_reference = contact_reference
        self.first_name = first_name
        self.last_name = last_name
        self.email = email


class File:
    """Groups the orders of one customer case within one sales channel."""

    def __init__(self, channel_id: int, now: datetime) -> None:
        self.file_id: int | None = None
        self.channel_id = channel_id
        self.created_at = now
        self.updated_at = now
        self.contacts: list[Contact] = []

    def add_contacts(self, contacts: Iterable[Contact], now: datetime) -> None:
        """Adds the purchasers it does not know yet; refuses past MAX_FILE_CONTACTS."""
        known = {contact.contact_reference for contact in self.contacts}
        new = []
        for contact in contacts:
            if contact.contact_reference not in known:
                new.append(contact)
                known.add(contact.contact_reference)
        if len(self.contacts) + len(new) > MAX_FILE_CONTACTS:
            raise FileContactLimit(
                f"A file keeps at most {MAX_FILE_CONTACTS} purchasers; open a new file."
            )
        self.contacts.extend(new)
        self.updated_at = now
