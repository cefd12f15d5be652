"""Use cases on what is pinned to files and orders: file status, attachments, references.

Another channel's file or order answers exactly as a missing one. The bounds of
domain/records.py are re-exported for the faces' types.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import datetime

from boxoffice.domain.errors import (
    AttachmentNotFound,
    FileNotFound,
    FileStatusUnsupported,
    InvalidRequest,
    OrderNotFound,
)
from boxoffice.domain.files import File
from boxoffice.domain.records import (
    ATTACHMENT_NAME_LENGTH,
    MAX_EXTERNAL_REFERENCES_PER_OWNER,
    MIMETYPE_LENGTH,
    REFERENCE_KEY_LENGTH,
    REFERENCE_VALUE_LENGTH,
    Attachment,
    ExternalReference,
    ReferenceOwnerKind,
    check_attachment,
    merge_references,
    reference_owner_kind,
)
from boxoffice.domain.states import FileState
from boxoffice.service.access import channel_of, open_order, require_id
from boxoffice.service.details import order_details
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.read_models import file_state
from boxoffice.service.requests import AttachmentInput, Caller
from boxoffice.service.views import AttachmentView, ExternalReferencesView, KeyValueView


def _file(uow: UnitOfWork, caller: Caller, file_id: int | None) -> File:
    file = uow.orders.file(require_id(file_id, "fileId"), caller.channel_id)
    if file is None:
        raise FileNotFound(f"No file {file_id}.")
    return file


def update_file_status(
    uow: UnitOfWork, caller: Caller, now: datetime, file_id: int | None, status: str | None
) -> None:
    """A file's state follows its orders: empty (as real clients send it) or the current
    state is accepted and changes nothing; another real state is refused."""
    wanted = (status or "").strip()
    with uow:
        file = _file(uow, caller, file_id)
        if not wanted:
            return
        channel = channel_of(uow, caller)
        # Opened one by one so that an order past its deadline is expired first.
        orders = [
            order_details(uow, open_order(uow, caller, listed.order_id, now)[0], channel)
            for listed in uow.orders.orders_of_file(_known(file.file_id))
        ]
        current = file_state(orders).value
        # Kept even when the status is refused: the expiries just made put places back on sale.
        uow.commit()
    if wanted != current:
        known = ", ".join(state.value for state in FileState)
        raise FileStatusUnsupported(
            f"File {file_id} is {current}; its state follows its orders ({known})."
        )


def decode_attachment_data(data: str | None) -> bytes:
    """Base64 text (line breaks allowed, as MIME writes it) as bytes; anything else is a bad
    request."""
    text = "".join((data or "").split())
    if not text:
        raise InvalidRequest("printableFileAttachmentData.data is required.")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRequest("printableFileAttachmentData.data is not valid base64.") from None


def upload_file_attachment(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    file_id: int | None,
    attachment: AttachmentInput,
    contact_reference: str | None,
) -> None:
    data = decode_attachment_data(attachment.data)
    if not attachment.file_name:
        raise InvalidRequest("printableFileAttachmentData.fileName is required.")
    with uow:
        file = _file(uow, caller, file_id)
        file_id_known = _known(file.file_id)
        check_attachment(data, uow.records.count_attachments(file_id_known))
        uow.records.add_attachment(
            Attachment(
                attachment_id=None,
                file_id=file_id_known,
                name=attachment.file_name,
                mimetype=attachment.mimetype or "application/octet-stream",
                upload_date=attachment.upload_date or now,
                data=data,
                contact_reference=contact_reference,
            )
        )
        file.updated_at = now
        uow.commit()


def _attachment(uow: UnitOfWork, caller: Caller, attachment_id: int | None) -> Attachment:
    found = uow.records.attachment(require_id(attachment_id, "fileAttachmentId"), caller.channel_id)
    if found is None:
        raise AttachmentNotFound(f"No file attachment {attachment_id}.")
    return found


def get_file_attachment(
    uow: UnitOfWork, caller: Caller, now: datetime, attachment_id: int | None
) -> AttachmentView:
    with uow:
        found = _attachment(uow, caller, attachment_id)
        return AttachmentView(found.data, found.name, found.mimetype, found.upload_date)


def delete_file_attachment(
    uow: UnitOfWork, caller: Caller, now: datetime, attachment_id: int | None
) -> None:
    """Deleting an attachment already deleted answers error.attachment.notFound."""
    with uow:
        found = _attachment(uow, caller, attachment_id)
        uow.records.delete_attachment(_known(found.attachment_id))
        uow.commit()


def _owner(
    uow: UnitOfWork, caller: Caller, owner_id: int | None, kind_name: str | None
) -> tuple[ReferenceOwnerKind, int]:
    kind = reference_owner_kind(kind_name)
    identifier = require_id(owner_id, "id")
    if kind is ReferenceOwnerKind.FILE:
        _file(uow, caller, identifier)
    elif uow.orders.get(identifier, caller.channel_id) is None:
        raise OrderNotFound(f"No order {identifier}.")
    return kind, identifier


def update_external_references(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    owner_id: int | None,
    kind_name: str | None,
    pairs: Sequence[tuple[str, str]],
) -> None:
    """Each key given replaces its value (an empty value removes it); others stay."""
    references = [ExternalReference(key, value) for key, value in pairs]
    for reference in references:
        if not reference.key:
            raise InvalidRequest("Each externalReference needs a key.")
    with uow:
        kind, identifier = _owner(uow, caller, owner_id, kind_name)
        current = {r.key: r.value for r in uow.records.references(kind, identifier)}
        uow.records.replace_references(kind, identifier, merge_references(current, references))
        uow.commit()


def get_external_reference(
    uow: UnitOfWork, caller: Caller, now: datetime, owner_id: int | None, kind_name: str | None
) -> ExternalReferencesView:
    with uow:
        kind, identifier = _owner(uow, caller, owner_id, kind_name)
        references = uow.records.references(kind, identifier)
        return ExternalReferencesView(
            identifier, [KeyValueView(r.key, r.value) for r in references]
        )


def _known(value: int | None) -> int:
    assert value is not None, "stored entity without an id"
    return value


__all__ = [
    "ATTACHMENT_NAME_LENGTH",
    "MAX_EXTERNAL_REFERENCES_PER_OWNER",
    "MIMETYPE_LENGTH",
    "REFERENCE_KEY_LENGTH",
    "REFERENCE_VALUE_LENGTH",
    "decode_attachment_data",
    "delete_file_attachment",
    "get_external_reference",
    "get_file_attachment",
    "update_external_references",
    "update_file_status",
    "upload_file_attachment",
]
