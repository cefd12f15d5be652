"""The CatalogService service: what the calling channel may sell, and its point of sale."""

from __future__ import annotations

from types import SimpleNamespace

from spyne import ServiceBase, rpc

from boxoffice.service import catalog_reads
from boxoffice.soap.responder import respond
from boxoffice.soap.services.common import returns


def build_catalog_service(types: SimpleNamespace) -> type[ServiceBase]:
    class CatalogService(ServiceBase):
        @rpc(types.RequestId, **returns(types.CatalogResultDetailed))
        def getCatalogDetailed(ctx, requestId):
            return respond(
                ctx,
                types.CatalogResultDetailed,
                requestId,
                catalog_reads.get_catalog_detailed,
                "catalogData",
                types=types,
            )

        @rpc(types.RequestId, **returns(types.POSConfigResult))
        def getPOSConfig(ctx, requestId):
            return respond(
                ctx,
                types.POSConfigResult,
                requestId,
                catalog_reads.get_pos_config,
                "posConfigData",
                types=types,
            )

        @rpc(types.RequestId, **returns(types.WebMethodResult))
        def isCatalogServiceAlive(ctx, requestId):
            # Answered once the caller is authenticated: the service and its database are up.
            return respond(ctx, types.WebMethodResult, requestId, catalog_reads.is_alive, None)

    return CatalogService
