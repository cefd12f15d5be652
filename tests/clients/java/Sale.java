// A JAX-WS RI client whose classes `wsimport` generated from the served WSDLs completes one sale
// against a running `boxoffice serve`: createOrder, addOperation (2 seats, automatic),
// validateOrder, closeOrder, getOrderDetails; then the payment workflow on a second order and an
// attachment round trip (see test_client_stacks.py). Prints one JSON summary on stdout; the checks are
// made by tests/system/test_client_stacks.py. Exit 1 (the SOAP request and response on stderr)
// when a call fails at the SOAP level.
//
// Generated packages (wsimport -p): boxoffice.client.facade (ExternalOrderFacade) and
// boxoffice.client.service (ExternalOrderService).
// Usage: java -cp ... Sale BASE_URL   (or BOXOFFICE_BASE_URL), e.g. http://127.0.0.1:8080
// Optional env: BOXOFFICE_LOGIN, BOXOFFICE_PASSWORD (default: the demo operator RESELLER_A_WS).

import boxoffice.client.facade.ExternalOrderFacade;
import boxoffice.client.facade.ExternalOrderFacade_Service;
import boxoffice.client.facade.OperationKind;
import boxoffice.client.facade.OperationRequest;
import boxoffice.client.facade.OrderUpdateResult;
import boxoffice.client.service.CloseOrderResult;
import boxoffice.client.service.ExternalOrderService;
import boxoffice.client.service.ExternalOrderService_Service;
import boxoffice.client.service.MovementData;
import boxoffice.client.service.OperationData;
import boxoffice.client.service.OrderDetailResult;
import boxoffice.client.service.OrderDetailsData;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.xml.namespace.QName;
import javax.xml.soap.SOAPElement;
import javax.xml.soap.SOAPEnvelope;
import javax.xml.soap.SOAPHeader;
import javax.xml.soap.SOAPMessage;
import javax.xml.ws.BindingProvider;
import javax.xml.ws.handler.Handler;
import javax.xml.ws.handler.MessageContext;
import javax.xml.ws.handler.soap.SOAPHandler;
import javax.xml.ws.handler.soap.SOAPMessageContext;

public final class Sale {
    static final String ENDPOINT_PREFIX =
        "/tnseb/external-remoting/com.secutix.service.realtime.externalorder.v1_33.";
    // The demo catalog (src/boxoffice/demo/demo-catalog.json), channel RESELLER_A.
    static final long POINT_OF_SALES_ID = 466653735L;
    static final long PERFORMANCE_ID = 101036924388L;
    static final long SEAT_CATEGORY_ID = 466681816L;
    static final long ADULT = 306159078L;
    static final int TIMEOUT_MS = 60000;

    static final String WSSE =
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    static final String PASSWORD_TEXT =
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
        + "#PasswordText";

    /**
     * Adds a WS-Security UsernameToken (PasswordText) header to every outgoing message, and keeps
     * the last request and response as text for error reports. JAX-WS RI has no WS-Security of
     * its own without Metro; a handler like this one is the usual way.
     */
    static final class UsernameTokenHandler implements SOAPHandler<SOAPMessageContext> {
        private final String login;
        private final String password;
        String lastRequest = "(none)";
        String lastResponse = "(none)";

        UsernameTokenHandler(String login, String password) {
            this.login = login;
            this.password = password;
        }

        @Override
        public boolean handleMessage(SOAPMessageContext context) {
            boolean outbound = (Boolean) context.get(MessageContext.MESSAGE_OUTBOUND_PROPERTY);
            try {
                SOAPMessage message = context.getMessage();
                if (outbound) {
                    SOAPEnvelope envelope = message.getSOAPPart().getEnvelope();
                    SOAPHeader header = envelope.getHeader();
                    if (header == null) {
                        header = envelope.addHeader();
                    }
                    SOAPElement security = header.addChildElement("Security", "wsse", WSSE);
                    security.addAttribute(envelope.createName("mustUnderstand", "S",
                        envelope.getNamespaceURI()), "1");
                    SOAPElement token = security.addChildElement("UsernameToken", "wsse");
                    token.addChildElement("Username", "wsse").addTextNode(login);
                    SOAPElement secret = token.addChildElement("Password", "wsse");
                    secret.setAttribute("Type", PASSWORD_TEXT);
                    secret.addTextNode(password);
                    message.saveChanges();
                    lastRequest = text(message);
                } else {
                    lastResponse = text(message);
                }
            } catch (Exception error) {
                throw new RuntimeException("WS-Security header: " + error, error);
            }
            return true;
        }

        @Override
        public boolean handleFault(SOAPMessageContext context) {
            try {
                lastResponse = text(context.getMessage());
            } catch (Exception ignored) {
                // keep the previous text
            }
            return true;
        }

        @Override
        public void close(MessageContext context) {
        }

        @Override
        public Set<QName> getHeaders() {
            // The server answers no header that this client must understand.
            return Collections.emptySet();
        }

        private static String text(SOAPMessage message) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Points a generated port at the server, with the handler and bounded timeouts. */
    static void configure(Object port, String address, UsernameTokenHandler handler) {
        BindingProvider provider = (BindingProvider) port;
        Map<String, Object> context = provider.getRequestContext();
        context.put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY, address);
        context.put("com.sun.xml.ws.connect.timeout", TIMEOUT_MS);
        context.put("com.sun.xml.ws.request.timeout", TIMEOUT_MS);
        @SuppressWarnings("rawtypes")
        List<Handler> chain = new ArrayList<>(provider.getBinding().getHandlerChain());
        chain.add(handler);
        provider.getBinding().setHandlerChain(chain);
    }

    static <T> T call(String operation, UsernameTokenHandler handler, Supplier<T> invocation) {
        try {
            T result = invocation.get();
            if (result == null) {
                throw new IllegalStateException("no result element in the response");
            }
            return result;
        } catch (RuntimeException error) {
            System.err.println(operation + " failed: " + error);
            System.err.println("--- request ---\n" + handler.lastRequest);
            System.err.println("--- response ---\n" + handler.lastResponse);
            System.exit(1);
            throw error;
        }
    }

    // -- a small JSON writer: the summary holds only strings, nulls, lists and objects ----------

    static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(json(String.valueOf(entry.getKey()))).append(':')
                    .append(json(entry.getValue()));
            }
            return out.append('}').toString();
        }
        if (value instanceof List) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : (List<?>) value) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(json(item));
            }
            return out.append(']').toString();
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder("\"");
        for (char character : text.toCharArray()) {
            if (character == '"' || character == '\\') {
                out.append('\\').append(character);
            } else if (character < 0x20) {
                out.append(String.format("\\u%04x", (int) character));
            } else {
                out.append(character);
            }
        }
        return out.append('"').toString();
    }

    static Map<String, Object> object() {
        return new java.util.LinkedHashMap<>();
    }

    static String string(Object value) {
        return value == null ? null : value.toString();
    }

    static Map<String, Object> status(String statusCode, String statusDetail) {
        Map<String, Object> status = object();
        status.put("statusCode", statusCode);
        status.put("statusDetail", statusDetail);
        return status;
    }

    static Map<String, Object> order(OrderDetailsData order) {
        if (order == null) {
            return null;
        }
        Map<String, Object> summary = object();
        summary.put("orderId", string(order.getOrderId()));
        summary.put("orderState", order.getOrderState());
        summary.put("saleAmount", string(order.getSaleAmount()));
        List<Object> totals = new ArrayList<>();
        for (OperationData operation : order.getOperationDatas()) {
            totals.add(string(operation.getTotalAmount()));
        }
        summary.put("operationTotals", totals);
        List<Object> movements = new ArrayList<>();
        for (MovementData movement : order.getMovementDatas()) {
            Map<String, Object> item = object();
            item.put("movementId", string(movement.getMovementId()));
            item.put("seatId", string(movement.getSeatId()));
            item.put("barcode", movement.getBarcode());
            movements.add(item);
        }
        summary.put("movements", movements);
        return summary;
    }

    public static void main(String[] arguments) throws Exception {
        String base = arguments.length > 0 ? arguments[0] : System.getenv("BOXOFFICE_BASE_URL");
        if (base == null || base.isEmpty()) {
            System.err.println("usage: java Sale BASE_URL (or set BOXOFFICE_BASE_URL)");
            System.exit(2);
        }
        base = base.replaceAll("/+$", "");
        String login = System.getenv().getOrDefault("BOXOFFICE_LOGIN", "RESELLER_A_WS");
        String password = System.getenv().getOrDefault("BOXOFFICE_PASSWORD", "demo-a-secret");
        String facadeAddress = base + ENDPOINT_PREFIX + "ExternalOrderFacade.webservice";
        String serviceAddress = base + ENDPOINT_PREFIX + "ExternalOrderService.webservice";

        UsernameTokenHandler handler = new UsernameTokenHandler(login, password);
        ExternalOrderFacade facade = new ExternalOrderFacade_Service(
            new URL(facadeAddress + "?wsdl")).getExternalOrderFacade();
        configure(facade, facadeAddress, handler);
        ExternalOrderService service = new ExternalOrderService_Service(
            new URL(serviceAddress + "?wsdl")).getExternalOrderService();
        configure(service, serviceAddress, handler);
        boxoffice.client.facade.ObjectFactory facadeTypes =
            new boxoffice.client.facade.ObjectFactory();

        Map<String, Object> summary = object();
        summary.put("stack", "jax-ws-ri");
        summary.put("javaVersion", System.getProperty("java.version"));
        summary.put("jaxwsVersion", com.sun.xml.ws.util.RuntimeVersion.VERSION.toString());

        OrderUpdateResult created = call("createOrder", handler, () -> facade.createOrder(
            null, POINT_OF_SALES_ID, null, null, null, null, null));
        Map<String, Object> createSummary = status(created.getStatusCode(),
            created.getStatusDetail());
        summary.put("createOrder", createSummary);
        if (!"success".equals(created.getStatusCode())) {
            System.out.println(json(summary));
            return;
        }
        long orderId = created.getOrderUpdateData().getOrderId();
        createSummary.put("orderId", string(orderId));
        createSummary.put("orderState", created.getOrderUpdateData().getOrderState());

        OperationRequest seats = facadeTypes.createOperationRequest();
        seats.setKind(OperationKind.SEAT);
        seats.setPerformanceId(facadeTypes.createOperationRequestPerformanceId(PERFORMANCE_ID));
        seats.setSeatCategoryId(
            facadeTypes.createOperationRequestSeatCategoryId(SEAT_CATEGORY_ID));
        seats.setAudienceSubCategoryId(
            facadeTypes.createOperationRequestAudienceSubCategoryId(ADULT));
        seats.setQuantity(facadeTypes.createOperationRequestQuantity(BigInteger.valueOf(2)));
        OrderUpdateResult added = call("addOperation", handler,
            () -> facade.addOperation(null, orderId, seats));
        Map<String, Object> addSummary = status(added.getStatusCode(), added.getStatusDetail());
        List<Object> movementIds = new ArrayList<>();
        if (added.getOrderUpdateData() != null) {
            for (boxoffice.client.facade.MovementData movement
                    : added.getOrderUpdateData().getMovementDataUpdates()) {
                movementIds.add(string(movement.getMovementId()));
            }
        }
        addSummary.put("movementIds", movementIds);
        summary.put("addOperation", addSummary);

        boxoffice.client.service.OrderUpdateResult validated = call("validateOrder", handler,
            () -> service.validateOrder(null, orderId));
        Map<String, Object> validateSummary = status(validated.getStatusCode(),
            validated.getStatusDetail());
        validateSummary.put("orderState", validated.getOrderUpdateData() == null ? null
            : validated.getOrderUpdateData().getOrderState());
        summary.put("validateOrder", validateSummary);

        CloseOrderResult closed = call("closeOrder", handler,
            () -> service.closeOrder(null, null, orderId, null, null, null, null));
        Map<String, Object> closeSummary = status(closed.getStatusCode(),
            closed.getStatusDetail());
        closeSummary.put("order", order(closed.getOrderData()));
        summary.put("closeOrder", closeSummary);

        OrderDetailResult details = call("getOrderDetails", handler,
            () -> service.getOrderDetails(null, orderId));
        Map<String, Object> detailSummary = status(details.getStatusCode(),
            details.getStatusDetail());
        detailSummary.put("order", order(details.getOrderDetailsData()));
        summary.put("getOrderDetails", detailSummary);
        summary.put("payment", paymentWorkflow(facade, service, handler, facadeTypes));
        summary.put("attachment", attachmentRoundTrip(service, handler,
            created.getOrderUpdateData().getFileId()));

        System.out.println(json(summary));
    }

    // Two adult seats with the channel's charges: 2 x 40.000 + 2 x 1.500 + 2.000.
    static final long SALE_AMOUNT = 85000L;
    static final String ATTACHMENT_BASE64 = "Ym94b2ZmaWNlIHZvdWNoZXIgNDIK";

    static Map<String, Object> paymentWorkflow(ExternalOrderFacade facade,
            ExternalOrderService service, UsernameTokenHandler handler,
            boxoffice.client.facade.ObjectFactory types) {
        OrderUpdateResult created = call("createOrder", handler, () -> facade.createOrder(
            null, POINT_OF_SALES_ID, null, null, null, null, null));
        long orderId = created.getOrderUpdateData().getOrderId();
        OperationRequest seats = types.createOperationRequest();
        seats.setKind(OperationKind.SEAT);
        seats.setPerformanceId(types.createOperationRequestPerformanceId(PERFORMANCE_ID));
        seats.setSeatCategoryId(types.createOperationRequestSeatCategoryId(SEAT_CATEGORY_ID));
        seats.setAudienceSubCategoryId(types.createOperationRequestAudienceSubCategoryId(ADULT));
        seats.setQuantity(types.createOperationRequestQuantity(BigInteger.valueOf(2)));
        call("addOperation", handler, () -> facade.addOperation(null, orderId, seats));
        boxoffice.client.facade.PaymentData payment = types.createPaymentData();
        payment.setPaymentMethodId(types.createPaymentDataPaymentMethodId(7L));
        payment.setAmount(types.createPaymentDataAmount(SALE_AMOUNT));
        List<boxoffice.client.facade.PaymentData> payments = List.of(payment);
        Supplier<boxoffice.client.facade.PaymentsAndCloseOrderResult> pay = () -> call(
            "createPaymentsAndCloseOrder", handler, () -> facade.createPaymentsAndCloseOrder(
                null, orderId, null, null, payments, null, null, null, null));

        Map<String, Object> workflow = object();
        workflow.put("orderId", string(orderId));
        boxoffice.client.facade.PaymentsAndCloseOrderResult requested = pay.get();
        Map<String, Object> requestedSummary = status(requested.getStatusCode(),
            requested.getStatusDetail());
        requestedSummary.put("paymentState", requested.getOrderData().getPaymentState());
        List<Object> paymentIds = new ArrayList<>();
        for (Long id : requested.getPaymentIds()) {
            paymentIds.add(string(id));
        }
        requestedSummary.put("paymentIds", paymentIds);
        workflow.put("requested", requestedSummary);

        boxoffice.client.facade.CloseOrderResult failed = call("notifyOrder", handler,
            () -> facade.notifyOrder(null, orderId,
                boxoffice.client.facade.PaymentState.FAILED, null));
        Map<String, Object> failedSummary = status(failed.getStatusCode(),
            failed.getStatusDetail());
        failedSummary.put("paymentState", failed.getOrderData().getPaymentState());
        workflow.put("failed", failedSummary);

        boxoffice.client.facade.OrderDetailResult reopened = call("reopenOrder", handler,
            () -> facade.reopenOrder(null, orderId));
        Map<String, Object> reopenedSummary = status(reopened.getStatusCode(),
            reopened.getStatusDetail());
        reopenedSummary.put("orderState", reopened.getOrderDetailsData().getOrderState());
        workflow.put("reopened", reopenedSummary);

        boxoffice.client.facade.PaymentsAndCloseOrderResult again = pay.get();
        Map<String, Object> againSummary = status(again.getStatusCode(),
            again.getStatusDetail());
        againSummary.put("paymentState", again.getOrderData().getPaymentState());
        workflow.put("requestedAgain", againSummary);

        boxoffice.client.facade.CloseOrderResult paid = call("notifyOrder", handler,
            () -> facade.notifyOrder(null, orderId,
                boxoffice.client.facade.PaymentState.PAID, null));
        Map<String, Object> paidSummary = status(paid.getStatusCode(), paid.getStatusDetail());
        // The order as the service reads it after the notification (the facade's generated
        // classes are another package's copies of the same types).
        paidSummary.put("order", order(call("getOrderDetails", handler,
            () -> service.getOrderDetails(null, orderId)).getOrderDetailsData()));
        workflow.put("paid", paidSummary);
        return workflow;
    }

    static Map<String, Object> attachmentRoundTrip(ExternalOrderService service,
            UsernameTokenHandler handler, long fileId) {
        boxoffice.client.service.ObjectFactory types = new boxoffice.client.service.ObjectFactory();
        boxoffice.client.service.PrintableFileAttachmentData data =
            types.createPrintableFileAttachmentData();
        data.setData(types.createPrintableFileAttachmentDataData(ATTACHMENT_BASE64));
        data.setFileName(types.createPrintableFileAttachmentDataFileName("voucher.txt"));
        data.setMimetype(types.createPrintableFileAttachmentDataMimetype("text/plain"));
        data.setUploadDate(types.createPrintableFileAttachmentDataUploadDate("03/12/2026"));
        boxoffice.client.service.WebMethodResult uploaded = call("uploadFileAttachment", handler,
            () -> service.uploadFileAttachment(null, fileId, data, "JAXWS-1"));
        boxoffice.client.service.FileDetailResult file = call("getFileDetails", handler,
            () -> service.getFileDetails(null, fileId));
        List<Object> listed = new ArrayList<>();
        for (boxoffice.client.service.FileAttachmentData attachment
                : file.getFileDetailsData().getFileAttachments()) {
            listed.add(string(attachment.getFileAttachmentId()));
        }
        Map<String, Object> roundTrip = object();
        roundTrip.put("uploaded", status(uploaded.getStatusCode(), uploaded.getStatusDetail()));
        roundTrip.put("listed", listed);
        if (!listed.isEmpty()) {
            long attachmentId = Long.parseLong((String) listed.get(0));
            boxoffice.client.service.PrintableFileAttachmentResult read = call(
                "getFileAttachment", handler,
                () -> service.getFileAttachment(null, attachmentId, null));
            roundTrip.put("data", read.getFileAttachment().getData());
            roundTrip.put("fileName", read.getFileAttachment().getFileName());
        }
        return roundTrip;
    }
}
