"""ExternalOrderService's operations on what is pinned to files and orders (contract §9.2):
file status, attachments, external references."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from spyne import rpc

from boxoffice.service import records
from boxoffice.soap.conversion import attachment_input, external_references
from boxoffice.soap.responder import respond
from boxoffice.soap.services.common import RequiredLong, returns


def file_record_operations(types: SimpleNamespace) -> dict[str, Any]:
    """The @rpc methods, to be put into the ExternalOrderService class."""
    done = returns(types.WebMethodResult)

    @rpc(types.RequestId, RequiredLong, types.FileStatus, **done)
    def updateFileStatus(ctx, requestId, fileId, fileStatusIC):
        return respond(
            ctx,
            types.WebMethodResult,
            requestId,
            lambda uow, caller, now: records.update_file_status(
                uow, caller, now, fileId, fileStatusIC
            ),
            None,
        )

    @rpc(
        types.RequestId,
        RequiredLong,
        types.PrintableFileAttachmentData.customize(min_occurs=1, nillable=False),
        types.Reference,
        **done,
    )
    def uploadFileAttachment(
        ctx,
        requestId,
        fileId,
        printableFileAttachmentData,
        contactReference,
    ):
        return respond(
            ctx,
            types.WebMethodResult,
            requestId,
            lambda uow, caller, now: records.upload_file_attachment(
                uow,
                caller,
                now,
                fileId,
                attachment_input(printableFileAttachmentData),
                contactReference,
            ),
            None,
        )

    # contactReference is accepted as real clients send it; the caller's channel decides
    # what it may read or delete.
    @rpc(
        types.RequestId,
        RequiredLong,
        types.Reference,
        **returns(types.PrintableFileAttachmentResult),
    )
    def getFileAttachment(ctx, requestId, fileAttachmentId, contactReference):
        return respond(
            ctx,
            types.PrintableFileAttachmentResult,
            requestId,
            lambda uow, caller, now: records.get_file_attachment(
                uow, caller, now, fileAttachmentId
            ),
            "fileAttachment",
        )

    @rpc(types.RequestId, RequiredLong, types.Reference, **done)
    def deleteFileAttachment(ctx, requestId, fileAttachmentId, contactReference):
        return respond(
            ctx,
            types.WebMethodResult,
            requestId,
            lambda uow, caller, now: records.delete_file_attachment(
                uow, caller, now, fileAttachmentId
            ),
            None,
        )

    @rpc(types.RequestId, RequiredLong, types.ReferenceKind, types.ExternalReferences, **done)
    def updateExternalReferences(
        ctx,
        requestId,
        id,
        externalReferenceKind,
        externalReference,
    ):
        given = external_references(externalReference)
        return respond(
            ctx,
            types.WebMethodResult,
            requestId,
            lambda uow, caller, now: records.update_external_references(
                uow, caller, now, id, externalReferenceKind, given
            ),
            None,
        )

    @rpc(
        types.RequestId, RequiredLong, types.ReferenceKind, **returns(types.ExternalReferenceResult)
    )
    def getExternalReference(ctx, requestId, id, externalReferenceKind):
        return respond(
            ctx,
            types.ExternalReferenceResult,
            requestId,
            lambda uow, caller, now: records.get_external_reference(
                uow, caller, now, id, externalReferenceKind
            ),
            "externalReferences",
        )

    return {
        "updateFileStatus": updateFileStatus,
        "uploadFileAttachment": uploadFileAttachment,
        "getFileAttachment": getFileAttachment,
        "deleteFileAttachment": deleteFileAttachment,
        "updateExternalReferences": updateExternalReferences,
        "getExternalReference": getExternalReference,
    }
