"""Namespaces never see each other; reset returns one (or all) to the loaded fixtures."""

from __future__ import annotations

from tests.conftest import Api


def test_namespaces_are_isolated(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": "2030-01-01T00:00:00Z", "frozen": True})
    other = api.get("/_sandbox/clock", headers={"X-Sandbox-Namespace": f"{api.namespace}-b"}).json()
    assert other["frozen"] is False
    assert not other["now"].startswith("2030")
    assert api.namespace in api.get("/_sandbox/namespaces").json()["namespaces"]


def test_reset_one_namespace(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": "2030-01-01T00:00:00Z", "frozen": True})
    r = api.post("/_sandbox/reset")
    assert r.json() == {"reset": [api.namespace]}
    assert api.get("/_sandbox/clock").json()["frozen"] is False


def test_reset_named_namespace_from_body(api: Api) -> None:
    target = f"{api.namespace}-x"
    api.put("/_sandbox/clock", json={"frozen": True}, headers={"X-Sandbox-Namespace": target})
    api.put("/_sandbox/clock", json={"frozen": True})
    assert api.post("/_sandbox/reset", json={"namespace": target}).json() == {"reset": [target]}
    assert api.get("/_sandbox/clock").json()["frozen"] is True


def test_reset_all(api: Api) -> None:
    api.put("/_sandbox/clock", json={"frozen": True})
    r = api.post("/_sandbox/reset", json={"all": True})
    assert api.namespace in r.json()["reset"]
    assert api.get("/_sandbox/clock").json()["frozen"] is False


def test_invalid_namespace_and_reset_bodies(api: Api) -> None:
    r = api.get("/_sandbox/clock", headers={"X-Sandbox-Namespace": "../etc"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_namespace"
    assert api.post("/_sandbox/reset", json={"all": "yes"}).status_code == 422
    assert api.post("/_sandbox/reset", json={"namespace": ""}).status_code == 422
    assert api.post("/_sandbox/reset", json={"everything": True}).status_code == 422


def test_health_and_openapi(api: Api) -> None:
    body = api.get("/_sandbox/health").json()
    assert body["status"] == "ok"
    assert body["vendors"] == ["korus", "pontcentral", "booqable"]
    assert body["fixtures"] == ["booqable", "korus", "pontcentral"]
    spec = api.get("/_sandbox/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/_sandbox/clock/advance" in spec["paths"]


def test_unknown_paths_and_methods_are_json(api: Api) -> None:
    r = api.get("/_sandbox/nope")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    r = api.delete("/_sandbox/clock")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "PUT"}
