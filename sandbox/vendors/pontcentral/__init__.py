"""The pontcentral adapter."""
