"""Every payload type's converter, by wire type name: the order services' and the siblings'.

The responder looks a result's payload type up here; tests/unit/test_converters.py checks that
every type any service answers with has its converter.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from spyne import ComplexModelBase

from boxoffice.soap.catalog_converters import SIBLING_CONVERTERS
from boxoffice.soap.converters import CONVERTERS

WIRE_CONVERTERS: dict[str, Callable[[SimpleNamespace, Any], ComplexModelBase]] = {
    **CONVERTERS,
    **SIBLING_CONVERTERS,
}
