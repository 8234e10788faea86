"""The QA plane's view of vendor traffic: fault injection, the request journal, metrics.

Everything here sits around the vendor adapters (one ASGI middleware), never inside them: a
faulted answer touches no vendor state, and the journal records what went over the wire.
"""
