"""Attachments and external references in the database, read and written in the caller's
transaction (visibility is checked by the service through the file or order first)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from boxoffice.domain.records import Attachment, ExternalReference, ReferenceOwnerKind
from boxoffice.persistence.record_tables import external_references, file_attachments
from boxoffice.persistence.tables import files

_LISTED = (
    file_attachments.c.attachment_id,
    file_attachments.c.file_id,
    file_attachments.c.name,
    file_attachments.c.mimetype,
    file_attachments.c.upload_date,
    file_attachments.c.contact_reference,
)

# Read on every order's details: built once, not per call (building and keying a statement
# costs a good part of running it).
_REFERENCES_OF_OWNER = (
    select(external_references.c.reference_key, external_references.c.reference_value)
    .where(
        external_references.c.owner_kind == bindparam("owner_kind"),
        external_references.c.owner_id == bindparam("owner_id"),
    )
    .order_by(external_references.c.reference_key)
)


# Where a session keeps the references another statement read with its owner, under the
# owner's lock: {(owner kind, owner id): references}.
_READ_WITH_OWNER = "boxoffice.references"


def note_references(
    session: Session,
    kind: ReferenceOwnerKind,
    owner_id: int,
    pairs: Iterable[Sequence[str]] | None,
) -> None:
    """Tells the session's record repository the references a statement read with their
    owner, locked, so that the repository need not read them again (closeOrder's details)."""
    known = session.info.setdefault(_READ_WITH_OWNER, {})
    known[(kind, owner_id)] = [ExternalReference(key, value) for key, value in pairs or ()]


class SqlRecordRepository:
    """The RecordRepository of the service layer, on one SQLAlchemy session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_attachment(self, attachment: Attachment) -> int:
        self.session.flush()
        attachment_id = self.session.scalar(
            insert(file_attachments)
            .values(
                file_id=attachment.file_id,
                name=attachment.name,
                mimetype=attachment.mimetype,
                upload_date=attachment.upload_date,
                contact_reference=attachment.contact_reference,
                size=len(attachment.data),
                data=attachment.data,
            )
            .returning(file_attachments.c.attachment_id)
        )
        assert attachment_id is not None
        return int(attachment_id)

    def count_attachments(self, file_id: int) -> int:
        statement = select(func.count()).where(file_attachments.c.file_id == file_id)
        return int(self.session.scalar(statement) or 0)

    def attachments_of_file(self, file_id: int) -> Sequence[Attachment]:
        """The file's attachments without their data, oldest first."""
        statement = (
            select(*_LISTED)
            .where(file_attachments.c.file_id == file_id)
            .order_by(file_attachments.c.attachment_id)
        )
        return [
            Attachment(
                row.attachment_id,
                row.file_id,
                row.name,
                row.mimetype,
                row.upload_date,
                b"",
                row.contact_reference,
            )
            for row in self.session.execute(statement)
        ]

    def attachment(self, attachment_id: int, channel_id: int) -> Attachment | None:
        """The attachment with its data; None when absent or in another channel's file."""
        statement = (
            select(*_LISTED, file_attachments.c.data)
            .join(files, files.c.file_id == file_attachments.c.file_id)
            .where(
                file_attachments.c.attachment_id == attachment_id, files.c.channel_id == channel_id
            )
        )
        row = self.session.execute(statement).one_or_none()
        if row is None:
            return None
        return Attachment(
            row.attachment_id,
            row.file_id,
            row.name,
            row.mimetype,
            row.upload_date,
            row.data,
            row.contact_reference,
        )

    def delete_attachment(self, attachment_id: int) -> None:
        self.session.execute(
            delete(file_attachments).where(file_attachments.c.attachment_id == attachment_id)
        )

    def references(self, kind: ReferenceOwnerKind, owner_id: int) -> list[ExternalReference]:
        known = self.session.info.get(_READ_WITH_OWNER, {}).get((kind, owner_id))
        if known is not None:
            return list(known)
        rows = self.session.execute(
            _REFERENCES_OF_OWNER, {"owner_kind": kind.value, "owner_id": owner_id}
        )
        return [ExternalReference(key, value) for key, value in rows]

    def replace_references(
        self, kind: ReferenceOwnerKind, owner_id: int, references: dict[str, str]
    ) -> None:
        """Makes the owner's references exactly `references`."""
        self.session.info.get(_READ_WITH_OWNER, {}).pop((kind, owner_id), None)
        self.session.flush()
        self.session.execute(
            delete(external_references).where(
                external_references.c.owner_kind == kind.value,
                external_references.c.owner_id == owner_id,
            )
        )
        if references:
            self.session.execute(
                insert(external_references),
                [
                    {
                        "owner_kind": kind.value,
                        "owner_id": owner_id,
                        "reference_key": key,
                        "reference_value": value,
                    }
                    for key, value in sorted(references.items())
                ],
            )
