#!/usr/bin/env node
// The reseller's whole journey with node-soap clients generated at run time from the served
// WSDLs: getPOSConfig -> getCatalogDetailed -> getPerformanceAvailability ->
// createOrUpdateOrder -> getSeatsAvailability -> doSeatingForOperations -> closeOrder ->
// getOrderDetails. Every id is read from the API; only the login is given. Prints one JSON
// summary on stdout; the checks are made by tests/system/test_client_journey.py.
//
// Usage: node journey.js BASE_URL   (or BOXOFFICE_BASE_URL), e.g. http://127.0.0.1:8080
// Optional env: BOXOFFICE_LOGIN, BOXOFFICE_PASSWORD (default: the demo operator RESELLER_A_WS).
'use strict';

const { client, call, runMain } = require('./sale');

const REMOTING = '/tnseb/external-remoting/com.secutix.service.';
const ORDERS = `${REMOTING}realtime.externalorder.v1_33.`;
const QUANTITY = 2;

const list = (value) => [].concat(value === undefined || value === null ? [] : value);

async function main() {
  const baseUrl = (process.argv[2] || process.env.BOXOFFICE_BASE_URL || '').replace(/\/+$/, '');
  if (!baseUrl) {
    process.stderr.write('usage: node journey.js BASE_URL (or set BOXOFFICE_BASE_URL)\n');
    process.exit(2);
  }
  const catalog = await client(baseUrl, 'CatalogService', `${REMOTING}catalog.v1_33.`);
  const availability = await client(baseUrl, 'AvailabilityService',
    `${REMOTING}availability.v1_33.`);
  const seating = await client(baseUrl, 'ExternalSeatingService', `${REMOTING}seat.v1_0.`);
  const facade = await client(baseUrl, 'ExternalOrderFacade', ORDERS);
  const service = await client(baseUrl, 'ExternalOrderService', ORDERS);
  const summary = { stack: 'node-soap' };

  const pos = await call(catalog, 'getPOSConfig', 'POSConfigResult', {});
  const posId = pos.posConfigData.posId;
  summary.getPOSConfig = { statusCode: pos.statusCode, posId: String(posId) };

  const catalogue = await call(catalog, 'getCatalogDetailed', 'CatalogResultDetailed', {});
  const product = list(list(catalogue.catalogData.seasons)[0].products)[0];
  const performance = list(product.event.performances)[0];
  const price = list(performance.prices)[0];
  summary.getCatalogDetailed = { statusCode: catalogue.statusCode };

  const figures = await call(availability, 'getPerformanceAvailability', 'AvailabilityResult', {
    pointOfSalesId: posId, performanceIds: [performance.id], seatCategoryIds: [price.seatCatId],
  });
  summary.getPerformanceAvailability = {
    statusCode: figures.statusCode, quantity: String(list(figures.availabilityData)[0].quantity),
  };

  const created = await call(facade, 'createOrUpdateOrder', 'OrderUpdateResult', {
    pointOfSalesId: posId,
    singleEntryAttributionOperations: [{
      operationAttributions: [{
        performanceId: performance.id, seatCategoryId: price.seatCatId,
        audienceSubCategoryId: price.audSubCatId, quantity: QUANTITY,
      }],
    }],
  });
  const update = created.orderUpdateData;
  const movements = list(update.movementDataUpdates).filter((m) => m.type === 'SEAT');
  summary.createOrUpdateOrder = {
    statusCode: created.statusCode, orderId: String(update.orderId),
    movementIds: movements.map((m) => String(m.movementId)),
    seatIds: movements.map((m) => String(m.seatId)),
  };

  const seats = await call(availability, 'getSeatsAvailability', 'SeatsAvailabilityResult', {
    pointOfSalesId: posId, performanceId: performance.id, seatCategoryIds: [price.seatCatId],
  });
  const picked = list(seats.seatAvailabilityData).filter((s) => s.status === 'FREE')
    .slice(-QUANTITY).map((s) => s.seatId);
  summary.getSeatsAvailability = {
    statusCode: seats.statusCode, pickedSeatIds: picked.map(String),
  };

  const seated = await call(seating, 'doSeatingForOperations', 'SeatingResult', {
    operationIds: [movements[0].operationId],
    seatingInformation: movements.map((m, index) => ({
      movementId: m.movementId, physicalSeatId: picked[index],
    })),
  });
  summary.doSeatingForOperations = {
    statusCode: seated.statusCode, seatIds: list(seated.movementsData).map((m) => String(m.seatId)),
  };

  // closeOrder's parameters in the real platform's order (contract §9.1): purchaserInfo (left
  // out here), orderId, generateBarCodes, maxWaitingTime, orderType.
  const closed = await call(service, 'closeOrder', 'CloseOrderResult', {
    orderId: update.orderId,
  });
  summary.closeOrder = { statusCode: closed.statusCode, orderState: closed.orderData.orderState };

  const details = await call(service, 'getOrderDetails', 'OrderDetailResult', {
    orderId: update.orderId,
  });
  const data = details.orderDetailsData;
  const tickets = list(data.movementDatas).filter((m) => m.type === 'SEAT');
  summary.getOrderDetails = {
    statusCode: details.statusCode, orderId: String(data.orderId), orderState: data.orderState,
    seatIds: tickets.map((m) => String(m.seatId)), barcodes: tickets.map((m) => m.barcode),
  };
  return summary;
}

runMain('journey.js', main);
