"""The JSON twin (REST_RPC) over the same service functions."""
