"""The ExternalSeatingService service: movements moved to the seats the customer picked."""

from __future__ import annotations

from types import SimpleNamespace

from spyne import ServiceBase, rpc

from boxoffice.service.seating import SeatingInput, do_seating_for_operations
from boxoffice.soap.responder import respond
from boxoffice.soap.services.common import returns


def build_seating_service(types: SimpleNamespace) -> type[ServiceBase]:
    class ExternalSeatingService(ServiceBase):
        @rpc(
            types.RequestId, types.OperationIds, types.SeatingLines, **returns(types.SeatingResult)
        )
        def doSeatingForOperations(
            ctx,
            requestId,
            operationIds,
            seatingInformation,
        ):
            seating = [
                SeatingInput(line.movementId, line.physicalSeatId)
                for line in seatingInformation or ()
            ]
            return respond(
                ctx,
                types.SeatingResult,
                requestId,
                lambda uow, caller, now: do_seating_for_operations(
                    uow, caller, now, list(operationIds or ()), seating
                ),
                "movementsData",
                types=types,
            )

    return ExternalSeatingService
