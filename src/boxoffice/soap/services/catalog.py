"""The CatalogService service: what the calling channel may sell, and its point of sale."""

from __future__ import annotations

from types import SimpleNamespace

from spyne import ServiceBase, rpc

from boxoffice.service import catalog_reads
from boxoffice.soap.services.common import returns
from boxoffice.soap.services.full_results import respond_in_full


def build_catalog_service(types: SimpleNamespace) -> type[ServiceBase]:
    class CatalogService(ServiceBase):
        @rpc(types.RequestId, **returns(types.CatalogResultDetailed))
        def getCatalogDetailed(ctx, requestId):  # noqa: N802,N803
            return respond_in_full(ctx, types.CatalogResultDetailed, requestId,
                                   catalog_reads.get_catalog_detailed, "catalogData")

        @rpc(types.RequestId, **returns(types.POSConfigResult))
        def getPOSConfig(ctx, requestId):  # noqa: N802,N803
            return respond_in_full(ctx, types.POSConfigResult, requestId,
                                   catalog_reads.get_pos_config, "posConfigData")

        @rpc(types.RequestId, **returns(types.WebMethodResult))
        def isCatalogServiceAlive(ctx, requestId):  # noqa: N802,N803
            # Answered once the caller is authenticated: the service and its database are up.
            return respond_in_full(ctx, types.WebMethodResult, requestId,
                                   catalog_reads.is_alive)

    return CatalogService
