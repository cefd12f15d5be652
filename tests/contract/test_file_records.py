"""ExternalOrderService's file operations (contract §9.2): status, attachments, references."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from zeep.exceptions import Fault

from boxoffice.bootstrap import Boxoffice
from boxoffice.domain.records import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_FILE,
    MAX_EXTERNAL_REFERENCES_PER_OWNER,
)
from boxoffice.soap.application import ORDER_SERVICE
from tests.contract.conftest import Reseller
from tests.contract.envelopes import ORDER_SERVICE_URL, envelope, fault_of, post

PDF = b"%PDF-1.4 ticket confirmation \x00\xff\x10"


def file_of_new_order(reseller: Reseller) -> tuple[int, int]:
    order_id = reseller.new_order()
    return order_id, int(reseller.details(order_id).fileId)


def upload(reseller: Reseller, file_id: int, data: bytes | str = PDF, **extra: Any) -> Any:
    encoded = data if isinstance(data, str) else base64.b64encode(data).decode()
    attachment = {
        "data": encoded,
        "fileName": "confirmation.pdf",
        "mimetype": "application/pdf",
        "uploadDate": "03/12/2026",
    } | extra
    return reseller.orders.service.uploadFileAttachment(
        fileId=file_id, printableFileAttachmentData=attachment, contactReference="C-1"
    )


def attachments(reseller: Reseller, file_id: int) -> list[Any]:
    result = reseller.orders.service.getFileDetails(fileId=file_id)
    assert result.statusCode == "success"
    return list(result.fileDetailsData.fileAttachments)


def test_an_attachment_round_trip(reseller: Reseller) -> None:
    _, file_id = file_of_new_order(reseller)
    assert upload(reseller, file_id).statusCode == "success"
    [listed] = attachments(reseller, file_id)
    assert listed.name == "confirmation.pdf" and listed.fileAttachmentId > 0
    assert listed.uploadDate.strftime("%d/%m/%Y") == "03/12/2026"
    got = reseller.orders.service.getFileAttachment(
        fileAttachmentId=listed.fileAttachmentId, contactReference="C-1"
    )
    assert got.statusCode == "success"
    attachment = got.fileAttachment
    assert base64.b64decode(attachment.data) == PDF
    assert (attachment.fileName, attachment.mimetype, attachment.uploadDate) == (
        "confirmation.pdf",
        "application/pdf",
        "03/12/2026",
    )
    deleted = reseller.orders.service.deleteFileAttachment(
        fileAttachmentId=listed.fileAttachmentId, contactReference="C-1"
    )
    assert deleted.statusCode == "success"
    assert attachments(reseller, file_id) == []
    again = reseller.orders.service.deleteFileAttachment(
        fileAttachmentId=listed.fileAttachmentId, contactReference="C-1"
    )
    assert (again.statusCode, again.statusDetail) == ("error", "error.attachment.notFound")


def test_attachments_are_bounded_in_size_and_count(reseller: Reseller) -> None:
    _, file_id = file_of_new_order(reseller)
    large = upload(reseller, file_id, b"x" * (MAX_ATTACHMENT_BYTES + 1))
    assert (large.statusCode, large.statusDetail) == ("error", "error.attachment.tooLarge")
    assert attachments(reseller, file_id) == []
    for _ in range(MAX_ATTACHMENTS_PER_FILE):
        assert upload(reseller, file_id, b"small").statusCode == "success"
    over = upload(reseller, file_id, b"one more")
    assert (over.statusCode, over.statusDetail) == ("error", "error.attachment.tooMany")
    assert len(attachments(reseller, file_id)) == MAX_ATTACHMENTS_PER_FILE


def test_bad_base64_or_a_bad_date_is_a_client_fault_and_stores_nothing(reseller: Reseller) -> None:
    _, file_id = file_of_new_order(reseller)
    for bad in ({"data": "not*base64!"}, {"data": ""}, {"uploadDate": "32/13/2026"}):
        with pytest.raises(Fault) as raised:
            upload(reseller, file_id, **bad)
        assert raised.value.code.endswith("Client.InvalidRequest")
    assert attachments(reseller, file_id) == []


MULTIPART_BOUNDARY = "MIMEBoundary_1f2e3d"


def multipart(parameters: str, parts: dict[str, bytes]) -> bytes:
    soap = envelope("uploadFileAttachment", parameters, tns=ORDER_SERVICE.tns)
    chunks = [
        f"--{MULTIPART_BOUNDARY}\r\nContent-Type: text/xml; charset=UTF-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\nContent-ID: <root.message@cxf>\r\n\r\n".encode()
        + soap
        + b"\r\n"
    ]
    for content_id, data in parts.items():
        chunks.append(
            f"--{MULTIPART_BOUNDARY}\r\nContent-Type: application/pdf\r\n"
            f"Content-Transfer-Encoding: binary\r\nContent-ID: <{content_id}>\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    return b"".join(chunks) + f"--{MULTIPART_BOUNDARY}--\r\n".encode()


def multipart_type() -> str:
    return (
        f'multipart/related; type="text/xml"; boundary="{MULTIPART_BOUNDARY}"; '
        'start="<root.message@cxf>"'
    )


def upload_parameters(file_id: int, reference: str) -> str:
    return (
        f"<fileId>{file_id}</fileId><printableFileAttachmentData><data>{reference}</data>"
        "<fileName>swa.pdf</fileName><mimetype>application/pdf</mimetype>"
        "<uploadDate>03/12/2026</uploadDate></printableFileAttachmentData>"
        "<contactReference>C-1</contactReference>"
    )


def test_a_multipart_related_upload_takes_the_referenced_part(
    app: Boxoffice, reseller: Reseller
) -> None:
    _, file_id = file_of_new_order(reseller)
    body = multipart(upload_parameters(file_id, "cid:part1@example"), {"part1@example": PDF})
    response = post(app, body, ORDER_SERVICE_URL, content_type=multipart_type())
    assert response.status_code == 200, response.content
    [listed] = attachments(reseller, file_id)
    got = reseller.orders.service.getFileAttachment(fileAttachmentId=listed.fileAttachmentId)
    assert base64.b64decode(got.fileAttachment.data) == PDF


def test_a_missing_mime_part_is_a_client_fault(app: Boxoffice, reseller: Reseller) -> None:
    _, file_id = file_of_new_order(reseller)
    body = multipart(upload_parameters(file_id, "cid:absent@example"), {"other@example": PDF})
    response = post(app, body, ORDER_SERVICE_URL, content_type=multipart_type())
    assert response.status_code == 500
    assert fault_of(response)[0].endswith("Client.MissingAttachment")
    too_many = multipart(upload_parameters(file_id, "cid:p0"), {f"p{i}": b"x" for i in range(20)})
    refused = post(app, too_many, ORDER_SERVICE_URL, content_type=multipart_type())
    assert fault_of(refused)[0].endswith("Client.InvalidMultipart")
    assert attachments(reseller, file_id) == []


def references(reseller: Reseller, owner: int, kind: str) -> dict[str, str]:
    result = reseller.orders.service.getExternalReference(id=owner, externalReferenceKind=kind)
    assert result.statusCode == "success", result
    assert result.externalReferences.id == owner
    return {r.key: r.value for r in result.externalReferences.externalReferences}


def update_references(reseller: Reseller, owner: int, kind: str, **pairs: str) -> Any:
    return reseller.orders.service.updateExternalReferences(
        id=owner,
        externalReferenceKind=kind,
        externalReference=[{"key": k, "value": v} for k, v in pairs.items()],
    )


def test_external_references_are_replaced_by_key_and_shown_with_the_order(
    reseller: Reseller,
) -> None:
    order_id, file_id = file_of_new_order(reseller)
    assert (
        update_references(reseller, order_id, "ORDER", crm="A-1", shop="web").statusCode
        == "success"
    )
    assert (
        update_references(reseller, order_id, "ORDER", crm="A-2", shop="").statusCode == "success"
    )
    assert references(reseller, order_id, "ORDER") == {"crm": "A-2"}
    shown = reseller.details(order_id).externalReferences
    assert [(r.key, r.value) for r in shown] == [("crm", "A-2")]
    update_references(reseller, file_id, "FILE", case="F-9")
    assert references(reseller, file_id, "FILE") == {"case": "F-9"}
    assert references(reseller, order_id, "ORDER") == {"crm": "A-2"}


def test_external_references_are_bounded_and_refusals_change_nothing(reseller: Reseller) -> None:
    order_id, _ = file_of_new_order(reseller)
    update_references(reseller, order_id, "ORDER", kept="1")
    pairs = {f"k{i}": "v" for i in range(MAX_EXTERNAL_REFERENCES_PER_OWNER)}
    over = update_references(reseller, order_id, "ORDER", **pairs)
    assert (over.statusCode, over.statusDetail) == ("error", "error.externalReference.tooMany")
    kind = update_references(reseller, order_id, "CONTACT", crm="x")
    assert (kind.statusCode, kind.statusDetail) == ("error", "error.externalReference.kind")
    assert references(reseller, order_id, "ORDER") == {"kept": "1"}
    assert references(reseller, order_id, "ORDER") == {"kept": "1"}


def test_a_list_longer_than_the_bound_is_refused_before_it_is_read(
    app: Boxoffice, reseller: Reseller
) -> None:
    order_id, _ = file_of_new_order(reseller)
    entries = "".join(
        f"<externalReference><key>k{i}</key><value>v</value></externalReference>"
        for i in range(MAX_EXTERNAL_REFERENCES_PER_OWNER + 1)
    )
    body = envelope(
        "updateExternalReferences",
        f"<id>{order_id}</id><externalReferenceKind>ORDER</externalReferenceKind>" + entries,
        tns=ORDER_SERVICE.tns,
    )
    response = post(app, body, ORDER_SERVICE_URL)
    assert response.status_code == 500
    assert fault_of(response)[0].endswith("Client.ValidationError")
    assert references(reseller, order_id, "ORDER") == {}


def test_a_files_state_follows_its_orders(reseller: Reseller) -> None:
    order_id, file_id = file_of_new_order(reseller)
    service = reseller.orders.service
    assert service.updateFileStatus(fileId=file_id, fileStatusIC="").statusCode == "success"
    assert service.updateFileStatus(fileId=file_id, fileStatusIC="RUNNING").statusCode == "success"
    refused = service.updateFileStatus(fileId=file_id, fileStatusIC="CANCELED")
    assert (refused.statusCode, refused.statusDetail) == ("error", "error.file.status")
    reseller.orders.service.abandonOrder(orderId=order_id)
    assert service.getFileDetails(fileId=file_id).fileDetailsData.fileState == "ABANDONNED"


def test_another_channels_file_order_and_attachment_answer_as_missing_ones(
    reseller: Reseller, other_reseller: Reseller
) -> None:
    order_id, file_id = file_of_new_order(reseller)
    upload(reseller, file_id)
    update_references(reseller, order_id, "ORDER", crm="A-1")
    [listed] = attachments(reseller, file_id)
    other = other_reseller.orders.service
    for file_ in (file_id, file_id + 10_000):
        answers = [
            other.updateFileStatus(fileId=file_, fileStatusIC=""),
            upload(other_reseller, file_),
            update_references(other_reseller, file_, "FILE", x="y"),
            other.getExternalReference(id=file_, externalReferenceKind="FILE"),
        ]
        assert {(a.statusCode, a.statusDetail) for a in answers} == {
            ("error", "error.file.notFound")
        }
    for order in (order_id, order_id + 10_000):
        answers = [
            update_references(other_reseller, order, "ORDER", crm="stolen"),
            other.getExternalReference(id=order, externalReferenceKind="ORDER"),
        ]
        assert {(a.statusCode, a.statusDetail) for a in answers} == {
            ("error", "error.order.notFound")
        }
    for attachment_id in (listed.fileAttachmentId, listed.fileAttachmentId + 10_000):
        answers = [
            other.getFileAttachment(fileAttachmentId=attachment_id),
            other.deleteFileAttachment(fileAttachmentId=attachment_id),
        ]
        assert {(a.statusCode, a.statusDetail) for a in answers} == {
            ("error", "error.attachment.notFound")
        }
    assert len(attachments(reseller, file_id)) == 1
    assert references(reseller, order_id, "ORDER") == {"crm": "A-1"}
