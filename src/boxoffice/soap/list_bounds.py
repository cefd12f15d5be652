"""The bounded lists of each operation's parameters, checked before spyne reads a request.

spyne checks a list's maxOccurs only after it has built every element of it: 10,000
external references take seconds to refuse. Counting them first keeps a refusal cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

ListBounds = Mapping[str, Mapping[str, int]]


def list_bounds(service_class: Any) -> dict[str, dict[str, int]]:
    """{operation: {parameter: maxOccurs}} for the parameters with a finite bound above one."""
    bounds: dict[str, dict[str, int]] = {}
    for name, method in service_class.public_methods.items():
        in_message = method.in_message
        for parameter, field_type in in_message.get_flat_type_info(in_message).items():
            bound = field_type.Attributes.max_occurs
            if isinstance(bound, int) and bound > 1:
                bounds.setdefault(name, {})[parameter] = bound
    return bounds


def over_bound(counts: Mapping[str, int], bounds: Mapping[str, int]) -> str | None:
    """The refusal message for the first list longer than its bound, or None."""
    for parameter, bound in bounds.items():
        if counts.get(parameter, 0) > bound:
            return f"{parameter} takes at most {bound} values."
    return None


def xml_counts(operation_element: etree._Element) -> dict[str, int]:
    counts: dict[str, int] = {}
    for child in operation_element:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            counts[name] = counts.get(name, 0) + 1
    return counts
