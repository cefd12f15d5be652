#!/usr/bin/env node
// A node-soap client, generated at run time from the served WSDL, completes one sale against a
// running `boxoffice serve`: createOrder, addOperation (2 seats, automatic), validateOrder,
// closeOrder, getOrderDetails; then the payment workflow on a second order
// (createPaymentsAndCloseOrder, notifyOrder FAILED, reopenOrder, createPaymentsAndCloseOrder,
// notifyOrder PAID) and an attachment round trip (uploadFileAttachment, getFileDetails,
// getFileAttachment). Prints one JSON summary on stdout; the checks are made by
// tests/system/test_client_stacks.py. Exit 1 (the SOAP request and response on stderr) when a
// call fails at the SOAP level.
//
// Usage: node sale.js BASE_URL   (or BOXOFFICE_BASE_URL), e.g. http://127.0.0.1:8080
// Optional env: BOXOFFICE_LOGIN, BOXOFFICE_PASSWORD (default: the demo operator RESELLER_A_WS).
'use strict';

const soap = require('soap');

const ENDPOINT_PREFIX =
  '/tnseb/external-remoting/com.secutix.service.realtime.externalorder.v1_33.';
const LOGIN = process.env.BOXOFFICE_LOGIN || 'RESELLER_A_WS';
const PASSWORD = process.env.BOXOFFICE_PASSWORD || 'demo-a-secret';
// The demo catalog (src/boxoffice/demo/demo-catalog.json), channel RESELLER_A.
const POINT_OF_SALES_ID = 466653735;
const PERFORMANCE_ID = 101036924388;
const SEAT_CATEGORY_ID = 466681816;
const ADULT = 306159078;
const CALL_TIMEOUT_MS = 60000;
// Two adult seats with the channel's charges: 2 x 40.000 + 2 x 1.500 + 2.000.
const SALE_AMOUNT = 85000;
const ATTACHMENT_BASE64 = 'Ym94b2ZmaWNlIHZvdWNoZXIgNDIK';

// `prefix`: the endpoint path before the service name (the sibling services have their own).
async function client(baseUrl, service, prefix = ENDPOINT_PREFIX) {
  const wsdlUrl = `${baseUrl}${prefix}${service}.webservice?wsdl`;
  const created = await soap.createClientAsync(wsdlUrl, { wsdl_options: { timeout: CALL_TIMEOUT_MS } });
  created.setSecurity(
    new soap.WSSecurity(LOGIN, PASSWORD, { passwordType: 'PasswordText', hasTimeStamp: false }),
  );
  return created;
}

// Calls one operation and returns its result object (node-soap hands back the content of the
// wrapper `<opResponse>`: { OrderUpdateResult: {...} }, one key named after the result class).
// On a SOAP-level failure, shows what went over the wire and exits 1.
async function call(soapClient, operation, resultName, args) {
  let response;
  try {
    [response] = await soapClient[`${operation}Async`](args, { timeout: CALL_TIMEOUT_MS });
  } catch (error) {
    process.stderr.write(
      `${operation} failed: ${error && error.message}\n` +
        `--- request ---\n${soapClient.lastRequest}\n` +
        `--- response ---\n${soapClient.lastResponse}\n`,
    );
    process.exit(1);
  }
  if (!response || typeof response[resultName] !== 'object') {
    process.stderr.write(
      `${operation}: no <${resultName}> in the response\n--- response ---\n${soapClient.lastResponse}\n`,
    );
    process.exit(1);
  }
  return response[resultName];
}

// The fields a reseller reads from each result; numbers left as node-soap gives them.
function status(result) {
  return {
    statusCode: result.statusCode,
    statusDetail: result.statusDetail === undefined ? null : result.statusDetail,
  };
}

function orderSummary(order) {
  const movements = [].concat(order.movementDatas || []);
  const operations = [].concat(order.operationDatas || []);
  return {
    orderId: String(order.orderId),
    orderState: order.orderState,
    saleAmount: String(order.saleAmount),
    operationTotals: operations.map((operation) => String(operation.totalAmount)),
    movements: movements.map((movement) => ({
      movementId: String(movement.movementId),
      seatId: movement.seatId === undefined ? null : String(movement.seatId),
      barcode: movement.barcode === undefined ? null : movement.barcode,
    })),
  };
}

async function main() {
  const baseUrl = (process.argv[2] || process.env.BOXOFFICE_BASE_URL || '').replace(/\/+$/, '');
  if (!baseUrl) {
    process.stderr.write('usage: node sale.js BASE_URL (or set BOXOFFICE_BASE_URL)\n');
    process.exit(2);
  }
  const facade = await client(baseUrl, 'ExternalOrderFacade');
  const service = await client(baseUrl, 'ExternalOrderService');
  const summary = { stack: 'node-soap', soapVersion: require('soap/package.json').version,
    nodeVersion: process.version };

  const created = await call(facade, 'createOrder', 'OrderUpdateResult', { pointOfSalesId: POINT_OF_SALES_ID });
  summary.createOrder = { ...status(created) };
  if (created.statusCode !== 'success') return summary;
  const orderId = created.orderUpdateData.orderId;
  summary.createOrder.orderId = String(orderId);
  summary.createOrder.orderState = created.orderUpdateData.orderState;

  const added = await call(facade, 'addOperation', 'OrderUpdateResult', {
    orderId,
    operation: {
      kind: 'SEAT',
      performanceId: PERFORMANCE_ID,
      seatCategoryId: SEAT_CATEGORY_ID,
      audienceSubCategoryId: ADULT,
      quantity: 2,
    },
  });
  summary.addOperation = {
    ...status(added),
    movementIds: [].concat((added.orderUpdateData || {}).movementDataUpdates || [])
      .map((movement) => String(movement.movementId)),
  };

  const validated = await call(service, 'validateOrder', 'OrderUpdateResult', { orderId });
  summary.validateOrder = {
    ...status(validated),
    orderState: (validated.orderUpdateData || {}).orderState,
  };

  const closed = await call(service, 'closeOrder', 'CloseOrderResult', { orderId });
  summary.closeOrder = { ...status(closed), order: closed.orderData ? orderSummary(closed.orderData) : null };

  const details = await call(service, 'getOrderDetails', 'OrderDetailResult', { orderId });
  summary.getOrderDetails = {
    ...status(details),
    order: details.orderDetailsData ? orderSummary(details.orderDetailsData) : null,
  };
  summary.payment = await paymentWorkflow(facade);
  summary.attachment = await attachmentRoundTrip(service, created.orderUpdateData.fileId);
  return summary;
}

async function paymentWorkflow(facade) {
  const created = await call(facade, 'createOrder', 'OrderUpdateResult', { pointOfSalesId: POINT_OF_SALES_ID });
  const orderId = created.orderUpdateData.orderId;
  await call(facade, 'addOperation', 'OrderUpdateResult', {
    orderId,
    operation: { kind: 'SEAT', performanceId: PERFORMANCE_ID, seatCategoryId: SEAT_CATEGORY_ID,
      audienceSubCategoryId: ADULT, quantity: 2 },
  });
  const pay = () => call(facade, 'createPaymentsAndCloseOrder', 'PaymentsAndCloseOrderResult', {
    orderId, payments: [{ paymentMethodId: 7, amount: SALE_AMOUNT }],
  });
  const notify = (paymentState) => call(facade, 'notifyOrder', 'CloseOrderResult', { orderId, paymentState });
  const requested = await pay();
  const failed = await notify('FAILED');
  const reopened = await call(facade, 'reopenOrder', 'OrderDetailResult', { orderId });
  const again = await pay();
  const paid = await notify('PAID');
  return {
    orderId: String(orderId),
    requested: { ...status(requested), paymentState: requested.orderData.paymentState,
      paymentIds: [].concat(requested.paymentIds || []).map(String) },
    failed: { ...status(failed), paymentState: failed.orderData.paymentState },
    reopened: { ...status(reopened), orderState: reopened.orderDetailsData.orderState },
    requestedAgain: { ...status(again), paymentState: again.orderData.paymentState },
    paid: { ...status(paid), order: paid.orderData ? orderSummary(paid.orderData) : null },
  };
}

async function attachmentRoundTrip(service, fileId) {
  const uploaded = await call(service, 'uploadFileAttachment', 'WebMethodResult', {
    fileId,
    printableFileAttachmentData: { data: ATTACHMENT_BASE64, fileName: 'voucher.txt',
      mimetype: 'text/plain', uploadDate: '03/12/2026' },
    contactReference: 'NODE-1',
  });
  const file = await call(service, 'getFileDetails', 'FileDetailResult', { fileId });
  const listed = [].concat(file.fileDetailsData.fileAttachments || []);
  const read = listed.length
    ? await call(service, 'getFileAttachment', 'PrintableFileAttachmentResult',
      { fileAttachmentId: listed[0].fileAttachmentId })
    : null;
  return {
    uploaded: status(uploaded),
    listed: listed.map((attachment) => String(attachment.fileAttachmentId)),
    data: read ? read.fileAttachment.data : null,
    fileName: read ? read.fileAttachment.fileName : null,
  };
}

// Runs a client's main(): prints its summary as one JSON line, or the error and exit 1.
function runMain(name, mainFunction) {
  mainFunction().then(
    (summary) => process.stdout.write(`${JSON.stringify(summary)}\n`),
    (error) => {
      process.stderr.write(`${name}: ${error && error.stack ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}

module.exports = { client, call, runMain };

if (require.main === module) {
  runMain('sale.js', main);
}
