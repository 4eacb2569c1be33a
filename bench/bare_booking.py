"""Bare endpoint for the booking benchmark floor (same lookup, lock and insert as the real one, nothing else)."""

urlpatterns: list = []
