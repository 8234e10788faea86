"""The booqable adapter."""
