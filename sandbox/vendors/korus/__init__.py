"""The korus adapter."""
