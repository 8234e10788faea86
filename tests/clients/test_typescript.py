"""openapi-typescript, with its default options, types the README's requests.

Where npm exists, `openapi-typescript` and `typescript` are installed into a temporary
directory (npm's cache there too), each document is turned into types with no option at all,
and `tsc --noEmit --strict` checks the README quickstart's request bodies against them. A
`default` on an optional request field used to fail this: openapi-typescript's default
`--default-non-nullable` makes such a field required.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

PACKAGES = ("openapi-typescript@7", "typescript@5")
DOCUMENTS = ("korus", "pontcentral", "booqable", "control")
OFFLINE = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "ENETUNREACH")

# The README's quickstart bodies, typed by the generated `paths` (Pont Central's availability
# request first: the one the issue found failing).
README_REQUESTS = """\
import type { components, paths as PontCentral } from "./pontcentral";
import type { paths as Korus } from "./korus";
import type { paths as Booqable } from "./booqable";
import type { paths as Control } from "./control";

type Body<P, Path extends keyof P, Method extends keyof P[Path], Media extends string> =
  P[Path][Method] extends { requestBody?: { content: { [M in Media]: infer B } } } ? B : never;

export const availability: components["schemas"]["AvailabilityRequest"] =
  { productCode: "TOUR-EIFFEL-SKIP-LINE", startDateTime: "2026-03-25" };
type Json = "application/json";
export const pcAvailability: Body<PontCentral, "/api/v1/availabilities", "post", Json> =
  availability;
export const pcToken: Body<PontCentral, "/api/v1/auth/token", "post", "application/json"> =
  { client_id: "demo-partner", client_secret: "demo-secret" };
export const pcBooking: Body<PontCentral, "/api/v1/bookings/create", "post", "application/json"> =
  { partnerId: 42, customer: { firstName: "Jane", lastName: "Doe", email: "jane.doe@example.com" },
    items: [{ productCode: "TOUR-EIFFEL-SKIP-LINE", reservationDateTime: "2026-03-25T10:00:00",
              quantities: [{ label: "adult", quantity: 2, price: 75 }] }] };

const OFFER = "/v1/ticketing/catalogs/0194d07e-aa37-7171-820c-712e91552451"
  + "/offers/0194d07e-ab12-7d4e-9a31-6f2b8c0d4e57";
type Token = Body<Korus, "/realms/korusticket/protocol/openid-connect/token", "post",
  "application/x-www-form-urlencoded">;
export const korusToken: Token =
  { grant_type: "client_credentials", client_id: "demo-client", client_secret: "demo-secret" };
type Ld = "application/ld+json";
export const korusReserve: Body<Korus, "/v1/booking/reservations/_bulk", "post", Ld> =
  { items: [{ offer: OFFER, quantity: 2 }] };
export const korusOrder: Body<Korus, "/v1/booking/orders/_bulk", "post", "application/ld+json"> =
  { reservations: ["/v1/booking/reservations/0194b10f-3ddd-70a5-a96a-d1026cd42746"],
    externalReference: "quickstart-1",
    customer: { firstname: "Jane", lastname: "Doe", email: "jane.doe@example.com" } };

type Media = "application/vnd.api+json";
export const bqOrder: Body<Booqable, "/api/boomerang/orders", "post", Media> =
  { data: { type: "orders", attributes: { status: "reserved",
    starts_at: "2026-04-01T09:00:00Z", stops_at: "2026-04-03T17:00:00Z" } } };
export const bqBooking: Body<Booqable, "/api/boomerang/order_bookings", "post", Media> =
  { data: { type: "order_bookings", attributes: { order_id: "0b6ea5a5-7aa8-4f43-a5ce-8b5a5a0d6d3b",
    items: [{ type: "products", id: "c2452fc4-8a27-45bd-9327-85305778bcbb", quantity: 2 }] } } };

export const clock: Body<Control, "/_sandbox/clock", "put", "application/json"> =
  { now: "2025-01-29T07:55:53Z" };
export const reset: Body<Control, "/_sandbox/reset", "post", "application/json"> = {};
"""
# The same file with wrong values must fail: the check is not vacuous (a `never` or `unknown`
# body type would let anything through, or nothing).
WRONG = {
    'productCode: "TOUR-EIFFEL-SKIP-LINE", startDateTime': "productCode: 5, startDateTime",
    'type: "order_bookings"': 'type: "orderz"',
    'firstname: "Jane"': "firstname: 7",
    '{ now: "2025-01-29T07:55:53Z" }': "{ now: 3 }",
}


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="session")
def node_tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with openapi-typescript and typescript installed; skipped without npm."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: openapi-typescript cannot be run")
    where = tmp_path_factory.mktemp("node")
    (where / "package.json").write_text('{"name": "sandbox-types", "private": true}\n', "utf-8")
    cache = where / ".npm-cache"
    command = [npm, "install", "--no-audit", "--no-fund", "--cache", str(cache), *PACKAGES]
    done = _run(command, where)
    output = done.stdout + done.stderr
    if done.returncode != 0 and any(code in output for code in OFFLINE):
        pytest.skip(f"the npm registry is not reachable: {output[-300:]}")
    assert done.returncode == 0, output
    return where


def test_the_readme_requests_type_check_with_default_options(
    node_tools: Path, tmp_path: Path
) -> None:
    bin_dir = node_tools / "node_modules" / ".bin"
    for document in DOCUMENTS:
        source = ROOT / "schemas" / f"{document}.openapi.json"
        made = _run(
            [str(bin_dir / "openapi-typescript"), str(source), "-o", f"{document}.ts"], tmp_path
        )
        assert made.returncode == 0, made.stdout + made.stderr
    (tmp_path / "readme.ts").write_text(README_REQUESTS, "utf-8")
    checked = _run([str(bin_dir / "tsc"), "--noEmit", "--strict", "readme.ts"], tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    wrong = README_REQUESTS
    for right, bad in WRONG.items():
        assert right in wrong
        wrong = wrong.replace(right, bad)
    (tmp_path / "wrong.ts").write_text(wrong, "utf-8")
    refused = _run([str(bin_dir / "tsc"), "--noEmit", "--strict", "wrong.ts"], tmp_path)
    assert refused.stdout.count("error TS") == len(WRONG), refused.stdout
