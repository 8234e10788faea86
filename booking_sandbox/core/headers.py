"""The names every plane shares for a request's namespace: defined here once."""

# The contract's namespace header (design notes), as ASGI and Starlette give it: lower case.
NAMESPACE_HEADER = "x-sandbox-namespace"
# The ASGI scope key where the traffic middleware leaves the namespace a vendor request names
# (header, else credential binding, else default), checked: handlers need not resolve it again.
NAMESPACE_KEY = "sandbox.namespace"
# Where a vendor's `namespace_hint` leaves what it learnt checking the request's credential
# (Korus: the verified JWT claims, or None), so its handler checks them without verifying again.
CREDENTIAL_KEY = "sandbox.credential"
