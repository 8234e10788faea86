"""Generate a Python client from one of our OpenAPI documents and import it.

`openapi-python-client` writes the package; a schema or response it cannot build is a warning,
not a failure, and the client silently loses that model. So the generator's output is read:
only answers in media types it does not handle (a PDF, XML) may be left out.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT

# No ruff post-hooks: the client is imported, not read, and ruff need not be on PATH.
CONFIG = "post_hooks: []\n"
# The one kind of warning allowed: a non-JSON answer (the Korus ticket PDF, XML error pages).
NON_JSON = re.compile(r"\(Unsupported content_type (application/pdf|application/xml)\)")


def generate_client(document: str, into: Path) -> ModuleType:
    """`schemas/<document>.openapi.json` as the package `<document>_client`, imported."""
    package = f"{document}_client"
    config = into / "openapi-python-client.yaml"
    config.write_text(CONFIG, "utf-8")
    command = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(ROOT / "schemas" / f"{document}.openapi.json"),
        "--output-path",
        str(into / package),
        "--meta",
        "none",
        "--config",
        str(config),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert not generator_problems(output), output
    sys.path.insert(0, str(into))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(into))


def generator_problems(output: str) -> list[str]:
    """What the generator dropped, but answers in media types it does not support."""
    dropped = [line for line in output.splitlines() if line.startswith("Unable to process")]
    skipped = [
        line
        for line in output.splitlines()
        if line.startswith("Cannot parse") and not NON_JSON.search(line)
    ]
    return dropped + skipped


def part(client: ModuleType, name: str) -> ModuleType:
    """A module of the generated package, e.g. `part(korus, "api.orders.create_orders")`."""
    return importlib.import_module(f"{client.__name__}.{name}")


def forget(client: ModuleType) -> None:
    """Unload a generated package, so another test can generate and import it afresh."""
    for name in [
        n for n in sys.modules if n == client.__name__ or n.startswith(f"{client.__name__}.")
    ]:
        del sys.modules[name]
