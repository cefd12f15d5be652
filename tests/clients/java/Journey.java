// The reseller's whole journey with JAX-WS RI clients that `wsimport` generated from the five
// served WSDLs: getPOSConfig -> getCatalogDetailed -> getPerformanceAvailability ->
// createOrUpdateOrder -> getSeatsAvailability -> doSeatingForOperations -> closeOrder ->
// getOrderDetails. Every id is read from the API; only the login is given. Prints one JSON
// summary on stdout; the checks are made by tests/system/test_client_journey.py.
//
// Compiled with Sale.java, whose WS-Security handler, port setup, call wrapper and JSON writer it
// uses. Generated packages (wsimport -p): boxoffice.client.{facade, service, catalog,
// availability, seating}.
// Usage: java -cp ... Journey BASE_URL   (or BOXOFFICE_BASE_URL)
// Optional env: BOXOFFICE_LOGIN, BOXOFFICE_PASSWORD (default: the demo operator RESELLER_A_WS).

import boxoffice.client.availability.AvailabilityResult;
import boxoffice.client.availability.AvailabilityService;
import boxoffice.client.availability.AvailabilityService_Service;
import boxoffice.client.availability.SeatAvailabilityData;
import boxoffice.client.availability.SeatsAvailabilityResult;
import boxoffice.client.catalog.CatalogResultDetailed;
import boxoffice.client.catalog.CatalogService;
import boxoffice.client.catalog.CatalogService_Service;
import boxoffice.client.catalog.POSConfigResult;
import boxoffice.client.catalog.PerformanceData;
import boxoffice.client.catalog.PriceData;
import boxoffice.client.facade.ExternalOrderFacade;
import boxoffice.client.facade.ExternalOrderFacade_Service;
import boxoffice.client.facade.OperationAttribution;
import boxoffice.client.facade.OrderUpdateResult;
import boxoffice.client.facade.SingleEntryAttributionOperation;
import boxoffice.client.seating.ExternalSeatingService;
import boxoffice.client.seating.ExternalSeatingService_Service;
import boxoffice.client.seating.SeatingInformation;
import boxoffice.client.seating.SeatingResult;
import boxoffice.client.service.CloseOrderResult;
import boxoffice.client.service.ExternalOrderService;
import boxoffice.client.service.ExternalOrderService_Service;
import boxoffice.client.service.OrderDetailResult;
import boxoffice.client.service.OrderDetailsData;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.jws.WebParam;
import javax.xml.bind.JAXBElement;
import javax.xml.namespace.QName;

public final class Journey {
    static final String REMOTING = "/tnseb/external-remoting/com.secutix.service.";
    static final int QUANTITY = 2;

    /**
     * Calls an operation with its parameters given by name (the WSDL's element names, read from
     * the generated @WebParam annotations); the others are left out. The journey so never
     * depends on the order of a generated method's parameters: closeOrder's follows the real
     * platform's (purchaserInfo, orderId, generateBarCodes, maxWaitingTime, orderType) and
     * createOrUpdateOrder's grows with the contract.
     */
    @SuppressWarnings("unchecked")
    static <T> T invoke(Object port, String operation, Map<String, Object> named) {
        // The generated interface carries the annotations; the port is a proxy of it.
        List<Method> candidates = new ArrayList<>();
        for (Class<?> contract : port.getClass().getInterfaces()) {
            candidates.addAll(Arrays.asList(contract.getMethods()));
        }
        for (Method method : candidates) {
            if (!method.getName().equals(operation)) {
                continue;
            }
            Annotation[][] annotations = method.getParameterAnnotations();
            Class<?>[] types = method.getParameterTypes();
            Object[] values = new Object[types.length];
            for (int index = 0; index < types.length; index++) {
                String name = null;
                for (Annotation annotation : annotations[index]) {
                    if (annotation instanceof WebParam) {
                        name = ((WebParam) annotation).name();
                    }
                }
                Object value = named.get(name);
                if (value != null && types[index] == JAXBElement.class) {
                    value = new JAXBElement<Object>(new QName("", name),
                        (Class<Object>) value.getClass(), value);
                }
                values[index] = value;
            }
            try {
                return (T) method.invoke(port, values);
            } catch (java.lang.reflect.InvocationTargetException error) {
                throw new RuntimeException(error.getCause());
            } catch (IllegalAccessException error) {
                throw new RuntimeException(error);
            }
        }
        throw new IllegalStateException("no operation " + operation);
    }

    static Map<String, Object> named(Object... pairs) {
        Map<String, Object> values = Sale.object();
        for (int index = 0; index < pairs.length; index += 2) {
            values.put((String) pairs[index], pairs[index + 1]);
        }
        return values;
    }

    static Map<String, Object> step(String statusCode) {
        Map<String, Object> step = Sale.object();
        step.put("statusCode", statusCode);
        return step;
    }

    public static void main(String[] arguments) throws Exception {
        String base = arguments.length > 0 ? arguments[0] : System.getenv("BOXOFFICE_BASE_URL");
        if (base == null || base.isEmpty()) {
            System.err.println("usage: java Journey BASE_URL (or set BOXOFFICE_BASE_URL)");
            System.exit(2);
        }
        base = base.replaceAll("/+$", "");
        String login = System.getenv().getOrDefault("BOXOFFICE_LOGIN", "RESELLER_A_WS");
        String password = System.getenv().getOrDefault("BOXOFFICE_PASSWORD", "demo-a-secret");
        Sale.UsernameTokenHandler handler = new Sale.UsernameTokenHandler(login, password);
        String orders = base + REMOTING + "realtime.externalorder.v1_33.";

        String address = base + REMOTING + "catalog.v1_33.CatalogService.webservice";
        CatalogService catalog = new CatalogService_Service(new URL(address + "?wsdl"))
            .getCatalogService();
        Sale.configure(catalog, address, handler);
        address = base + REMOTING + "availability.v1_33.AvailabilityService.webservice";
        AvailabilityService availability = new AvailabilityService_Service(
            new URL(address + "?wsdl")).getAvailabilityService();
        Sale.configure(availability, address, handler);
        address = base + REMOTING + "seat.v1_0.ExternalSeatingService.webservice";
        ExternalSeatingService seating = new ExternalSeatingService_Service(
            new URL(address + "?wsdl")).getExternalSeatingService();
        Sale.configure(seating, address, handler);
        address = orders + "ExternalOrderFacade.webservice";
        ExternalOrderFacade facade = new ExternalOrderFacade_Service(new URL(address + "?wsdl"))
            .getExternalOrderFacade();
        Sale.configure(facade, address, handler);
        address = orders + "ExternalOrderService.webservice";
        ExternalOrderService service = new ExternalOrderService_Service(
            new URL(address + "?wsdl")).getExternalOrderService();
        Sale.configure(service, address, handler);

        Map<String, Object> summary = Sale.object();
        summary.put("stack", "jax-ws-ri");

        POSConfigResult pos = Sale.call("getPOSConfig", handler,
            () -> invoke(catalog, "getPOSConfig", named()));
        long posId = pos.getPosConfigData().getPosId();
        Map<String, Object> posStep = step(pos.getStatusCode());
        posStep.put("posId", Sale.string(posId));
        summary.put("getPOSConfig", posStep);

        CatalogResultDetailed catalogue = Sale.call("getCatalogDetailed", handler,
            () -> invoke(catalog, "getCatalogDetailed", named()));
        PerformanceData performance = catalogue.getCatalogData().getSeasons().get(0)
            .getProducts().get(0).getEvent().getPerformances().get(0);
        PriceData price = performance.getPrices().get(0);
        summary.put("getCatalogDetailed", step(catalogue.getStatusCode()));

        AvailabilityResult figures = Sale.call("getPerformanceAvailability", handler,
            () -> invoke(availability, "getPerformanceAvailability", named(
                "pointOfSalesId", posId,
                "performanceIds", Arrays.asList(performance.getId()),
                "seatCategoryIds", Arrays.asList(price.getSeatCatId()))));
        Map<String, Object> figureStep = step(figures.getStatusCode());
        figureStep.put("quantity", Sale.string(figures.getAvailabilityData().get(0).getQuantity()));
        summary.put("getPerformanceAvailability", figureStep);

        boxoffice.client.facade.ObjectFactory types = new boxoffice.client.facade.ObjectFactory();
        OperationAttribution attribution = types.createOperationAttribution();
        attribution.setPerformanceId(
            types.createOperationAttributionPerformanceId(performance.getId()));
        attribution.setSeatCategoryId(
            types.createOperationAttributionSeatCategoryId(price.getSeatCatId()));
        attribution.setAudienceSubCategoryId(
            types.createOperationAttributionAudienceSubCategoryId(price.getAudSubCatId()));
        attribution.setQuantity(
            types.createOperationAttributionQuantity(BigInteger.valueOf(QUANTITY)));
        SingleEntryAttributionOperation entry = types.createSingleEntryAttributionOperation();
        entry.getOperationAttributions().add(attribution);
        OrderUpdateResult created = Sale.call("createOrUpdateOrder", handler,
            () -> invoke(facade, "createOrUpdateOrder", named(
                "pointOfSalesId", posId,
                "singleEntryAttributionOperations", Arrays.asList(entry))));
        long orderId = created.getOrderUpdateData().getOrderId();
        List<boxoffice.client.facade.MovementData> movements = new ArrayList<>();
        for (boxoffice.client.facade.MovementData movement
                : created.getOrderUpdateData().getMovementDataUpdates()) {
            if ("SEAT".equals(movement.getType())) {
                movements.add(movement);
            }
        }
        Map<String, Object> createdStep = step(created.getStatusCode());
        createdStep.put("orderId", Sale.string(orderId));
        List<Object> movementIds = new ArrayList<>();
        List<Object> seatIds = new ArrayList<>();
        for (boxoffice.client.facade.MovementData movement : movements) {
            movementIds.add(Sale.string(movement.getMovementId()));
            seatIds.add(Sale.string(movement.getSeatId()));
        }
        createdStep.put("movementIds", movementIds);
        createdStep.put("seatIds", seatIds);
        summary.put("createOrUpdateOrder", createdStep);

        SeatsAvailabilityResult seats = Sale.call("getSeatsAvailability", handler,
            () -> invoke(availability, "getSeatsAvailability", named(
                "pointOfSalesId", posId, "performanceId", performance.getId(),
                "seatCategoryIds", Arrays.asList(price.getSeatCatId()))));
        List<Long> free = new ArrayList<>();
        for (SeatAvailabilityData seat : seats.getSeatAvailabilityData()) {
            if ("FREE".equals(seat.getStatus())) {
                free.add(seat.getSeatId());
            }
        }
        List<Long> picked = free.subList(free.size() - QUANTITY, free.size());
        Map<String, Object> seatsStep = step(seats.getStatusCode());
        List<Object> pickedText = new ArrayList<>();
        for (Long seat : picked) {
            pickedText.add(Sale.string(seat));
        }
        seatsStep.put("pickedSeatIds", pickedText);
        summary.put("getSeatsAvailability", seatsStep);

        List<SeatingInformation> seatingInformation = new ArrayList<>();
        for (int index = 0; index < movements.size(); index++) {
            SeatingInformation line = new SeatingInformation();
            line.setMovementId(movements.get(index).getMovementId());
            line.setPhysicalSeatId(picked.get(index));
            seatingInformation.add(line);
        }
        SeatingResult seated = Sale.call("doSeatingForOperations", handler,
            () -> invoke(seating, "doSeatingForOperations", named(
                "operationIds", Arrays.asList(movements.get(0).getOperationId()),
                "seatingInformation", seatingInformation)));
        Map<String, Object> seatedStep = step(seated.getStatusCode());
        List<Object> seatedIds = new ArrayList<>();
        for (boxoffice.client.seating.MovementData movement : seated.getMovementsData()) {
            seatedIds.add(Sale.string(movement.getSeatId()));
        }
        seatedStep.put("seatIds", seatedIds);
        summary.put("doSeatingForOperations", seatedStep);

        CloseOrderResult closed = Sale.call("closeOrder", handler,
            () -> invoke(service, "closeOrder", named("orderId", orderId)));
        Map<String, Object> closedStep = step(closed.getStatusCode());
        closedStep.put("orderState", closed.getOrderData().getOrderState());
        summary.put("closeOrder", closedStep);

        OrderDetailResult details = Sale.call("getOrderDetails", handler,
            () -> invoke(service, "getOrderDetails", named("orderId", orderId)));
        OrderDetailsData data = details.getOrderDetailsData();
        Map<String, Object> detailsStep = step(details.getStatusCode());
        detailsStep.put("orderId", Sale.string(data.getOrderId()));
        detailsStep.put("orderState", data.getOrderState());
        List<Object> ticketSeats = new ArrayList<>();
        List<Object> barcodes = new ArrayList<>();
        for (boxoffice.client.service.MovementData movement : data.getMovementDatas()) {
            if ("SEAT".equals(movement.getType())) {
                ticketSeats.add(Sale.string(movement.getSeatId()));
                barcodes.add(movement.getBarcode());
            }
        }
        detailsStep.put("seatIds", ticketSeats);
        detailsStep.put("barcodes", barcodes);
        summary.put("getOrderDetails", detailsStep);
        System.out.println(Sale.json(summary));
    }
}
