"""The domain core: catalog, orders, allocation, charges and expiry, free of frameworks."""
