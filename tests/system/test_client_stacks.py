"""Three independent WSDL-generated SOAP client stacks complete a sale against `boxoffice serve`.

Each stack builds its client from the served `?wsdl` and runs the same sale as a reseller does:
createOrder, addOperation (2 seats, automatic best available), validateOrder, closeOrder,
getOrderDetails, with a WS-Security UsernameToken (PasswordText); then the payment workflow on
a second order (createPaymentsAndCloseOrder, notifyOrder FAILED, reopenOrder, a new payment,
notifyOrder PAID) and an attachment round trip (uploadFileAttachment, getFileDetails,
getFileAttachment). Each reports one JSON summary
of what it read, and the same checks apply to all three:

- zeep (Python), in this process;
- node-soap (the npm package `soap`, pinned by tests/clients/node/package-lock.json, installed
  with `npm ci` into tests/clients/node/node_modules when missing): tests/clients/node/sale.js;
- JAX-WS RI (Debian's `jaxws` and `libjaxws-java`): `wsimport` generates the classes from both
  served WSDLs, javac compiles them with tests/clients/java/Sale.java, java runs it.

A stack that cannot be installed here is skipped with the reason, unless
BOXOFFICE_REQUIRE_CLIENT_STACKS=1 (as in .ci/run), which makes the skip a failure.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
import zeep
from tests.system.test_serve import (
    ADULT,
    ADULT_PRICE,
    BOOKING_FEE_PER_TICKET,
    LOGIN,
    ORDER_FEE,
    PASSWORD,
    PERFORMANCE_ID,
    POINT_OF_SALES_ID,
    SEAT_CATEGORY_ID,
)
from zeep.helpers import serialize_object
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

# One worker runs both client-stack files: they share tests/clients (npm ci, javac output).
pytestmark = [pytest.mark.system, pytest.mark.xdist_group("client_stacks")]

StartServer = Callable[..., Any]

CLIENTS_DIR = Path(__file__).resolve().parents[1] / "clients"
NODE_DIR = CLIENTS_DIR / "node"
JAVA_SOURCE = CLIENTS_DIR / "java" / "Sale.java"
REQUIRE_STACKS = os.environ.get("BOXOFFICE_REQUIRE_CLIENT_STACKS") == "1"

QUANTITY = 2
EXPECTED_SALE_AMOUNT = QUANTITY * ADULT_PRICE + QUANTITY * BOOKING_FEE_PER_TICKET + ORDER_FEE

ATTACHMENT = b"boxoffice voucher 42\n"
NPM_CI_BOUND_SECONDS = 300
WSIMPORT_BOUND_SECONDS = 180
JAVAC_BOUND_SECONDS = 300
SALE_BOUND_SECONDS = 180

# Debian's JAX-WS RI: jaxws-rt.jar names the rest of the runtime (JAXB, SAAJ, ...) in its manifest.
JAXWS_RUNTIME_JAR = Path(os.environ.get("BOXOFFICE_JAXWS_RT_JAR", "/usr/share/java/jaxws-rt.jar"))
JAXWS_INSTALL_HINT = "apt-get install -y jaxws libjaxws-java"


def unavailable(reason: str) -> NoReturn:
    """Skips the stack's test with the reason; fails it when the stacks are required."""
    if REQUIRE_STACKS:
        pytest.fail(f"{reason} (BOXOFFICE_REQUIRE_CLIENT_STACKS=1)", pytrace=False)
    pytest.skip(reason)


def run(command: list[str], timeout: int, **options: Any) -> subprocess.CompletedProcess[str]:
    """Runs a command to completion, output captured; a hang past the bound fails the test."""
    try:
        return subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **options,
        )
    except subprocess.TimeoutExpired as expired:
        stdout, stderr = (
            text.decode(errors="replace") if isinstance(text, bytes) else text
            for text in (expired.stdout, expired.stderr)
        )
        pytest.fail(
            f"{' '.join(command)} did not finish within {timeout} s\n"
            f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            pytrace=False,
        )


def outcome(completed: subprocess.CompletedProcess[str]) -> str:
    return (
        f"exit {completed.returncode}\n--- stdout ---\n{completed.stdout}"
        f"\n--- stderr ---\n{completed.stderr}"
    )


def base_url(server: Any) -> str:
    return f"http://127.0.0.1:{server.port}"


def summary_of(completed: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON summary a client printed as its last line of output."""
    assert completed.returncode == 0, outcome(completed)
    lines = completed.stdout.strip().splitlines()
    assert lines, f"the client printed no summary\n{outcome(completed)}"
    summary: dict[str, Any] = json.loads(lines[-1])
    return summary


# -- the checks, the same for every stack --------------------------------------------------------


def assert_succeeded(summary: dict[str, Any], step: str) -> dict[str, Any]:
    result = summary.get(step)
    assert result is not None, f"{step} was not reached: {summary}"
    assert result["statusCode"] == "success", f"{step}: {result}"
    return dict(result)


def assert_closed_sale(order: dict[str, Any] | None, order_id: str, step: str) -> list[str]:
    """A closed order of 2 tickets, distinct barcodes, charges included; returns the barcodes."""
    assert order is not None, f"{step}: no order data"
    assert order["orderId"] == order_id, f"{step}: {order}"
    assert order["orderState"] == "CLOSED", f"{step}: {order}"
    assert int(order["saleAmount"]) == EXPECTED_SALE_AMOUNT, f"{step}: {order}"
    assert sum(int(total) for total in order["operationTotals"]) == EXPECTED_SALE_AMOUNT
    barcodes = [movement["barcode"] for movement in order["movements"]]
    assert len(barcodes) == QUANTITY, f"{step}: {order}"
    assert all(barcodes), f"{step}: a ticket without barcode: {order}"
    assert len(set(barcodes)) == QUANTITY, f"{step}: each ticket has its own barcode: {order}"
    return sorted(barcodes)


def assert_complete_sale(summary: dict[str, Any]) -> None:
    created = assert_succeeded(summary, "createOrder")
    assert created["orderState"] == "RUNNING", created
    order_id = created["orderId"]

    added = assert_succeeded(summary, "addOperation")
    assert len(added["movementIds"]) == QUANTITY, added

    validated = assert_succeeded(summary, "validateOrder")
    assert validated["orderState"] == "VALIDATED", validated

    closed = assert_succeeded(summary, "closeOrder")
    barcodes = assert_closed_sale(closed["order"], order_id, "closeOrder")

    details = assert_succeeded(summary, "getOrderDetails")
    assert assert_closed_sale(details["order"], order_id, "getOrderDetails") == barcodes
    movement_ids = sorted(movement["movementId"] for movement in details["order"]["movements"])
    assert movement_ids == sorted(added["movementIds"])
    assert_payment_workflow(summary)
    assert_attachment_round_trip(summary)


def assert_payment_workflow(summary: dict[str, Any]) -> None:
    payment = summary.get("payment")
    assert payment is not None, f"the payment workflow was not reached: {summary}"
    requested = assert_succeeded(payment, "requested")
    assert requested["paymentState"] == "WAITING" and len(requested["paymentIds"]) == 1, payment
    assert assert_succeeded(payment, "failed")["paymentState"] == "FAILED", payment
    assert assert_succeeded(payment, "reopened")["orderState"] == "RUNNING", payment
    assert assert_succeeded(payment, "requestedAgain")["paymentState"] == "WAITING", payment
    paid = assert_succeeded(payment, "paid")
    assert_closed_sale(paid["order"], payment["orderId"], "notifyOrder")


def assert_attachment_round_trip(summary: dict[str, Any]) -> None:
    attachment = summary.get("attachment")
    assert attachment is not None, f"the attachment round trip was not reached: {summary}"
    assert_succeeded(attachment, "uploaded")
    assert len(attachment["listed"]) == 1, attachment
    assert base64.b64decode(attachment["data"]) == ATTACHMENT, attachment
    assert attachment["fileName"] == "voucher.txt", attachment


# -- zeep ---------------------------------------------------------------------------------------


def zeep_summary(server: Any) -> dict[str, Any]:
    """The sale through zeep clients built from the served WSDLs (test_serve.py uses wsdl/)."""

    def proxy(service: str) -> Any:
        transport = Transport(timeout=SALE_BOUND_SECONDS, operation_timeout=SALE_BOUND_SECONDS)
        return zeep.Client(
            server.endpoint(service) + "?wsdl",
            transport=transport,
            wsse=UsernameToken(LOGIN, PASSWORD),
        ).service

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    def status(result: Any) -> dict[str, Any]:
        return {"statusCode": result.statusCode, "statusDetail": result.statusDetail}

    def order(data: Any) -> dict[str, Any] | None:
        if data is None:
            return None
        return {
            "orderId": text(data.orderId),
            "orderState": data.orderState,
            "saleAmount": text(data.saleAmount),
            "operationTotals": [text(operation.totalAmount) for operation in data.operationDatas],
            "movements": [
                {
                    "movementId": text(movement.movementId),
                    "seatId": text(movement.seatId),
                    "barcode": movement.barcode,
                }
                for movement in data.movementDatas
            ],
        }

    facade, service = proxy("ExternalOrderFacade"), proxy("ExternalOrderService")
    summary: dict[str, Any] = {"stack": "zeep"}
    created = facade.createOrder(pointOfSalesId=POINT_OF_SALES_ID)
    summary["createOrder"] = status(created)
    if created.statusCode != "success":
        return summary
    order_id = created.orderUpdateData.orderId
    summary["createOrder"].update(
        orderId=text(order_id), orderState=created.orderUpdateData.orderState
    )
    added = facade.addOperation(
        orderId=order_id,
        operation={
            "kind": "SEAT",
            "performanceId": PERFORMANCE_ID,
            "seatCategoryId": SEAT_CATEGORY_ID,
            "audienceSubCategoryId": ADULT,
            "quantity": QUANTITY,
        },
    )
    movements = added.orderUpdateData.movementDataUpdates if added.orderUpdateData else []
    summary["addOperation"] = {
        **status(added),
        "movementIds": [text(movement.movementId) for movement in movements],
    }
    validated = service.validateOrder(orderId=order_id)
    summary["validateOrder"] = {
        **status(validated),
        "orderState": validated.orderUpdateData.orderState if validated.orderUpdateData else None,
    }
    closed = service.closeOrder(orderId=order_id)
    summary["closeOrder"] = {**status(closed), "order": order(closed.orderData)}
    details = service.getOrderDetails(orderId=order_id)
    summary["getOrderDetails"] = {**status(details), "order": order(details.orderDetailsData)}
    summary["payment"] = zeep_payment_workflow(facade, order)
    summary["attachment"] = zeep_attachment_round_trip(service, created.orderUpdateData.fileId)
    # The summary goes through JSON as the other stacks' do.
    result: dict[str, Any] = json.loads(json.dumps(serialize_object(summary)))
    return result


def zeep_payment_workflow(facade: Any, order: Callable[[Any], Any]) -> dict[str, Any]:
    created = facade.createOrder(pointOfSalesId=POINT_OF_SALES_ID)
    order_id = created.orderUpdateData.orderId
    facade.addOperation(
        orderId=order_id,
        operation={
            "kind": "SEAT",
            "performanceId": PERFORMANCE_ID,
            "seatCategoryId": SEAT_CATEGORY_ID,
            "audienceSubCategoryId": ADULT,
            "quantity": QUANTITY,
        },
    )

    def pay() -> Any:
        return facade.createPaymentsAndCloseOrder(
            orderId=order_id, payments=[{"paymentMethodId": 7, "amount": EXPECTED_SALE_AMOUNT}]
        )

    def status(result: Any) -> dict[str, Any]:
        return {"statusCode": result.statusCode, "statusDetail": result.statusDetail}

    requested = pay()
    failed = facade.notifyOrder(orderId=order_id, paymentState="FAILED")
    reopened = facade.reopenOrder(orderId=order_id)
    again = pay()
    paid = facade.notifyOrder(orderId=order_id, paymentState="PAID")
    return {
        "orderId": str(order_id),
        "requested": {
            **status(requested),
            "paymentState": requested.orderData.paymentState,
            "paymentIds": [str(i) for i in requested.paymentIds],
        },
        "failed": {**status(failed), "paymentState": failed.orderData.paymentState},
        "reopened": {**status(reopened), "orderState": reopened.orderDetailsData.orderState},
        "requestedAgain": {**status(again), "paymentState": again.orderData.paymentState},
        "paid": {**status(paid), "order": order(paid.orderData)},
    }


def zeep_attachment_round_trip(service: Any, file_id: int) -> dict[str, Any]:
    uploaded = service.uploadFileAttachment(
        fileId=file_id,
        contactReference="ZEEP-1",
        printableFileAttachmentData={
            "data": base64.b64encode(ATTACHMENT).decode(),
            "fileName": "voucher.txt",
            "mimetype": "text/plain",
            "uploadDate": "03/12/2026",
        },
    )
    listed = service.getFileDetails(fileId=file_id).fileDetailsData.fileAttachments
    read = service.getFileAttachment(fileAttachmentId=listed[0].fileAttachmentId)
    return {
        "uploaded": {"statusCode": uploaded.statusCode, "statusDetail": uploaded.statusDetail},
        "listed": [str(a.fileAttachmentId) for a in listed],
        "data": read.fileAttachment.data,
        "fileName": read.fileAttachment.fileName,
    }


def test_zeep_from_the_served_wsdl_completes_a_sale(start_server: StartServer) -> None:
    assert_complete_sale(zeep_summary(start_server()))


# -- node-soap ----------------------------------------------------------------------------------


def locked_soap_version() -> str:
    lock = json.loads((NODE_DIR / "package-lock.json").read_text())
    return str(lock["packages"]["node_modules/soap"]["version"])


def installed_soap_version() -> str | None:
    manifest = NODE_DIR / "node_modules" / "soap" / "package.json"
    if not manifest.exists():
        return None
    return str(json.loads(manifest.read_text())["version"])


@pytest.fixture(scope="session")
def node_soap() -> Iterator[str]:
    """The path of node, with the locked `soap` package installed under tests/clients/node."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        unavailable("node-soap stack: node and npm are needed (not found on PATH)")
    if installed_soap_version() != locked_soap_version():
        installed = run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            NPM_CI_BOUND_SECONDS,
            cwd=NODE_DIR,
        )
        if installed.returncode != 0 or installed_soap_version() != locked_soap_version():
            unavailable(f"node-soap stack: `npm ci` in {NODE_DIR} failed\n{outcome(installed)}")
    yield node


def test_node_soap_completes_a_sale(node_soap: str, start_server: StartServer) -> None:
    server = start_server()

    completed = run(
        [node_soap, str(NODE_DIR / "sale.js"), base_url(server)], SALE_BOUND_SECONDS, cwd=NODE_DIR
    )

    summary = summary_of(completed)
    assert summary["stack"] == "node-soap"
    assert summary["soapVersion"] == locked_soap_version()
    assert_complete_sale(summary)


# -- JAX-WS RI (wsimport) -----------------------------------------------------------------------


def wsimport_command() -> list[str] | None:
    for candidate in ("wsimport", "/usr/share/jaxws/bin/wsimport.sh"):
        found = shutil.which(candidate)
        if found:
            return [found]
    return None


@pytest.fixture(scope="session")
def jaxws_tools() -> dict[str, Any]:
    """wsimport, javac, java and the JAX-WS RI runtime of Debian's jaxws/libjaxws-java."""
    wsimport, javac, java = wsimport_command(), shutil.which("javac"), shutil.which("java")
    missing = [
        name
        for name, tool in (("wsimport", wsimport), ("javac", javac), ("java", java))
        if tool is None
    ]
    if not JAXWS_RUNTIME_JAR.exists():
        missing.append(str(JAXWS_RUNTIME_JAR))
    if missing:
        unavailable(
            f"JAX-WS RI stack: {', '.join(missing)} not found "
            f"(a JDK and Debian's JAX-WS RI: {JAXWS_INSTALL_HINT})"
        )
    return {"wsimport": wsimport, "javac": javac, "java": java, "classpath": str(JAXWS_RUNTIME_JAR)}


def build_java_client(
    tools: dict[str, Any],
    server: Any,
    build_dir: Path,
    wsdl_urls: dict[str, str] | None = None,
    java_sources: tuple[Path, ...] = (JAVA_SOURCE,),
) -> Path:
    """wsimport from the served WSDLs (package -> WSDL URL; default: the two order services),
    then javac with the client's sources; returns the classes dir."""
    sources, classes = build_dir / "src", build_dir / "classes"
    sources.mkdir(parents=True)
    classes.mkdir()
    if wsdl_urls is None:
        wsdl_urls = {
            "boxoffice.client.facade": server.endpoint("ExternalOrderFacade") + "?wsdl",
            "boxoffice.client.service": server.endpoint("ExternalOrderService") + "?wsdl",
        }
    for package, url in wsdl_urls.items():
        generated = run(
            [
                *tools["wsimport"],
                "-Xnocompile",
                "-quiet",
                "-s",
                str(sources),
                "-d",
                str(classes),
                "-p",
                package,
                url,
            ],
            WSIMPORT_BOUND_SECONDS,
            cwd=build_dir,
        )
        assert generated.returncode == 0, f"wsimport {url}: {outcome(generated)}"
    source_files = [
        *sorted(str(path) for path in sources.rglob("*.java")),
        *(str(path) for path in java_sources),
    ]
    arguments = build_dir / "sources.txt"
    arguments.write_text("\n".join(source_files) + "\n")
    compiled = run(
        [
            tools["javac"],
            "-nowarn",
            "-encoding",
            "UTF-8",
            "-cp",
            tools["classpath"],
            "-d",
            str(classes),
            f"@{arguments}",
        ],
        JAVAC_BOUND_SECONDS,
        cwd=build_dir,
    )
    assert compiled.returncode == 0, f"javac: {outcome(compiled)}"
    return classes


def run_java_client(
    tools: dict[str, Any], classes: Path, main_class: str, server: Any, working_dir: Path
) -> dict[str, Any]:
    """Runs a compiled client's main class against the server; its JSON summary."""
    completed = run(
        [
            tools["java"],
            # SAAJ 1.4 warns about its own service file unless the factory is named.
            "-Djavax.xml.soap.SAAJMetaFactory=com.sun.xml.messaging.saaj.soap.SAAJMetaFactoryImpl",
            "-cp",
            os.pathsep.join([str(classes), tools["classpath"]]),
            main_class,
            base_url(server),
        ],
        SALE_BOUND_SECONDS,
        cwd=working_dir,
    )
    return summary_of(completed)


def test_jaxws_wsimport_client_completes_a_sale(
    jaxws_tools: dict[str, Any], start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server()
    classes = build_java_client(jaxws_tools, server, tmp_path / "java-build")

    summary = run_java_client(jaxws_tools, classes, "Sale", server, tmp_path)
    assert summary["stack"] == "jax-ws-ri"
    assert_complete_sale(summary)
