"""boxoffice: a ticket-sales back end speaking the S-360 reseller Orders API v1_33."""

__version__ = "0.1.0"
