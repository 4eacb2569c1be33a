"""Reads of the orglife app, one module per concern (access scopes, the quarter overview)."""
