"""The ExternalSeatingService service: movements moved to the seats the customer picked."""

from __future__ import annotations

from types import SimpleNamespace

from spyne import Long, ServiceBase, rpc

from boxoffice.service.seating import SeatingInput, do_seating_for_operations
from boxoffice.soap.services.common import returns
from boxoffice.soap.services.full_results import respond_in_full
from boxoffice.soap.types import repeated


def build_seating_service(types: SimpleNamespace) -> type[ServiceBase]:
    class ExternalSeatingService(ServiceBase):
        @rpc(types.RequestId, repeated(Long), repeated(types.SeatingInformation),
             **returns(types.SeatingResult))
        def doSeatingForOperations(ctx, requestId, operationIds,  # noqa: N802,N803
                                   seatingInformation):  # noqa: N803
            seating = [SeatingInput(line.movementId, line.physicalSeatId)
                       for line in seatingInformation or ()]
            return respond_in_full(
                ctx, types.SeatingResult, requestId,
                lambda uow, caller, now: do_seating_for_operations(
                    uow, caller, now, list(operationIds or ()), seating),
                list_field=("movementsData", types.MovementData))

    return ExternalSeatingService
