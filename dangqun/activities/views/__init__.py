"""Pages of the activities app (thin: forms in, services and selectors out)."""
