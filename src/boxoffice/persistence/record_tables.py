"""Tables of what a reseller pins to files and orders: attachments and external references."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String, Table, UniqueConstraint

from boxoffice.domain.records import (
    ATTACHMENT_NAME_LENGTH,
    MIMETYPE_LENGTH,
    REFERENCE_KEY_LENGTH,
    REFERENCE_VALUE_LENGTH,
)
from boxoffice.persistence.metadata import Id, UtcDateTime, metadata

file_attachments = Table(
    "file_attachments",
    metadata,
    Column("attachment_id", Id, primary_key=True, autoincrement=True),
    Column("file_id", Id, ForeignKey("files.file_id"), nullable=False, index=True),
    Column("name", String(ATTACHMENT_NAME_LENGTH), nullable=False),
    Column("mimetype", String(MIMETYPE_LENGTH), nullable=False),
    Column("upload_date", UtcDateTime, nullable=False),
    Column("contact_reference", String(128)),
    # Bounded by domain/records.py MAX_ATTACHMENT_BYTES before it is written.
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

external_references = Table(
    "external_references",
    metadata,
    Column("reference_id", Id, primary_key=True, autoincrement=True),
    # ORDER or FILE; owner_id is that order's or file's id (checked visible before any write).
    Column("owner_kind", String(8), nullable=False),
    Column("owner_id", Id, nullable=False),
    Column("reference_key", String(REFERENCE_KEY_LENGTH), nullable=False),
    Column("reference_value", String(REFERENCE_VALUE_LENGTH), nullable=False),
    UniqueConstraint(
        "owner_kind", "owner_id", "reference_key", name="uq_external_references_owner_key"
    ),
)
