"""Writes of the activities app, one module per aggregate (activities, registrations, checkin, …)."""
