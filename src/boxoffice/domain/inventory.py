"""Counted stock: places of a standing area for one performance, units of an item."""

from __future__ import annotations

from boxoffice.domain.errors import NoAvailability


class Stock:
    """A capacity and how much of it is held or sold; never more than the capacity."""

    def __init__(self, key: str, capacity: int, taken: int = 0) -> None:
        self.key = key
        self.capacity = capacity
        self.taken = taken

    @property
    def available(self) -> int:
        return self.capacity - self.taken

    def take(self, quantity: int) -> None:
        if quantity > self.available:
            raise NoAvailability(
                f"Only {max(self.available, 0)} left of {self.key}, {quantity} asked."
            )
        self.taken += quantity

    def release(self, quantity: int) -> None:
        self.taken = max(0, self.taken - quantity)
