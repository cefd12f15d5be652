"""The web console under /console/: calls, orders and seat maps for operators."""
