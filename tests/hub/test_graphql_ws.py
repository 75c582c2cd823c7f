"""The graphql-transport-ws protocol on /graphql, with a real WebSocket client."""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import LiveHub

PROTOCOL = "graphql-transport-ws"


def ws_url(hub: LiveHub) -> str:
    return hub.url.replace("http://", "ws://") + "/graphql"


def test_handshake_ping_and_refusal_of_non_subscriptions(live_hub: LiveHub) -> None:
    with connect(ws_url(live_hub), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == PROTOCOL
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "connection_ack"}
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "pong"}
        ws.send(
            json.dumps(
                {"type": "subscribe", "id": "1", "payload": {"query": "{ offices { code } }"}}
            )
        )
        answer = json.loads(ws.recv(timeout=5))
        assert answer["type"] == "error" and answer["id"] == "1"
        assert answer["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
        ws.send(json.dumps({"type": "subscribe", "id": "2", "payload": {"query": "{ nope }"}}))
        invalid = json.loads(ws.recv(timeout=5))
        assert invalid["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_a_second_connection_init_closes_with_4429(live_hub: LiveHub) -> None:
    with connect(ws_url(live_hub), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init"}))
        ws.recv(timeout=5)
        ws.send(json.dumps({"type": "connection_init"}))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429


def test_messages_before_init_close_with_4400(live_hub: LiveHub) -> None:
    with connect(ws_url(live_hub), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "subscribe", "id": "1", "payload": {"query": "{ x }"}}))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400
