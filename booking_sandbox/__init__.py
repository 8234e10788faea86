"""booking-sandbox: a stateful mock of three vendors' booking APIs."""

__version__ = "0.1.0"
