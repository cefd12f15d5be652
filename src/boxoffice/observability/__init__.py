"""What monitoring sees: health checks and Prometheus metrics on the serving port."""
