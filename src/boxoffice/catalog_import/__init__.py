"""Reading the catalog file: checks a JSON document and turns it into catalog rows.

No database here: persistence stores what this package reads (`read_catalog`).
"""

from boxoffice.catalog_import.reader import parse_catalog, read_catalog
from boxoffice.catalog_import.walker import CatalogError, ParsedCatalog

__all__ = ["CatalogError", "ParsedCatalog", "parse_catalog", "read_catalog"]
