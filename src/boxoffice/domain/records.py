"""What a reseller may pin to a file or an order: attachments and external references.

Both are bounded, so that nothing a client sends grows storage without limit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from boxoffice.domain.errors import (
    AttachmentsTooMany,
    AttachmentTooLarge,
    ExternalReferenceKindUnsupported,
    ExternalReferencesTooMany,
)

# An attachment is a ticket confirmation, a voucher or an invoice: a few hundred KiB at most.
MAX_ATTACHMENT_BYTES = 512 * 1024
MAX_ATTACHMENTS_PER_FILE = 20
MAX_EXTERNAL_REFERENCES_PER_OWNER = 50
REFERENCE_KEY_LENGTH = 128
REFERENCE_VALUE_LENGTH = 255
ATTACHMENT_NAME_LENGTH = 255
MIMETYPE_LENGTH = 128


class ReferenceOwnerKind(enum.Enum):
    """The externalReferenceKind values boxoffice keeps references for."""

    ORDER = "ORDER"
    FILE = "FILE"


@dataclass(frozen=True)
class Attachment:
    attachment_id: int | None
    file_id: int
    name: str
    mimetype: str
    upload_date: datetime
    data: bytes
    contact_reference: str | None


@dataclass(frozen=True)
class ExternalReference:
    key: str
    value: str


def check_attachment(data: bytes, attachments_already: int) -> None:
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(
            f"An attachment may hold at most {MAX_ATTACHMENT_BYTES} bytes, not {len(data)}."
        )
    if attachments_already >= MAX_ATTACHMENTS_PER_FILE:
        raise AttachmentsTooMany(
            f"A file holds at most {MAX_ATTACHMENTS_PER_FILE} attachments; delete one first."
        )


def reference_owner_kind(value: str | None) -> ReferenceOwnerKind:
    try:
        return ReferenceOwnerKind((value or "").strip())
    except ValueError:
        raise ExternalReferenceKindUnsupported(
            f"External references are kept on ORDER and FILE, not {value!r}."
        ) from None


def merge_references(current: dict[str, str], updates: list[ExternalReference]) -> dict[str, str]:
    """Each update replaces the value of its key; an empty value removes the key."""
    merged = dict(current)
    for update in updates:
        if update.value:
            merged[update.key] = update.value
        else:
            merged.pop(update.key, None)
    if len(merged) > MAX_EXTERNAL_REFERENCES_PER_OWNER:
        raise ExternalReferencesTooMany(
            f"At most {MAX_EXTERNAL_REFERENCES_PER_OWNER} external references per order or file."
        )
    return merged
