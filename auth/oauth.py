"""The OAuth 2 authorization server (authlib): client credentials for agency systems,
password login for officers and applicants (through the hub's own public clients).

authlib's server is framework-neutral and synchronous; the HTTP layer reads the form,
loads the client and the user from the database, and hands them in through
``TokenRequest`` so the grant logic never waits on I/O.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar
from urllib.parse import parse_qsl

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidGrantError
from authlib.oauth2.rfc6749.grants import (
    ClientCredentialsGrant,
    ResourceOwnerPasswordCredentialsGrant,
)
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload

from auth.tokens import TokenIssuer
from models.vocab import Purpose, Role

HASHER = PasswordHasher()
# The hub's own public clients (no secret): the officers' console and self-service.
CONSOLE_CLIENT = "qhub-console"
SELF_SERVICE_CLIENT = "qhub-self-service"


def hash_secret(secret: str) -> str:
    return HASHER.hash(secret)


@cache
def dummy_hash() -> str:
    """A hash made with the hasher's own parameters, of a secret nobody knows: what an
    unknown user's password is checked against, so that it costs the same time."""
    return HASHER.hash("qhub-dummy-" + base64.b64encode(os.urandom(24)).decode())


def check_secret(stored: str | None, given: str, hasher: PasswordHasher = HASHER) -> bool:
    """Whether ``given`` matches ``stored``. Without a stored hash (unknown user or client)
    the work is done all the same, against ``dummy_hash()``, and the answer is no."""
    try:
        matches = hasher.verify(stored or dummy_hash(), given)
    except (VerificationError, InvalidHashError):
        return False
    return bool(matches) and stored is not None


class WrongCredentials(InvalidGrantError):  # type: ignore[misc]
    """RFC 6749 ``invalid_grant`` for a wrong username or password, in Spanish, with a code."""

    description = "Usuario o contraseña incorrectos."

    def get_body(self) -> list[tuple[str, str]]:
        return [*super().get_body(), ("code", "INVALID_CREDENTIALS")]


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    """An OAuth client: an agency system (confidential) or one of the hub's public clients."""

    client_id: str
    secret_hash: str | None
    grant_types: tuple[str, ...]
    role: Role | None = None
    purposes: frozenset[Purpose] = frozenset()
    office: str | None = None
    active: bool = True

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return ""

    def get_allowed_scope(self, scope: str) -> str:
        return ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        # the hash is checked first: an inactive or unknown client costs the same time
        return check_secret(self.secret_hash, client_secret) and self.active

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.secret_hash is None:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return self.active and grant_type in self.grant_types


def unknown_client(client_id: str) -> Client:
    """What an unknown client id is answered with: a confidential client that can never
    authenticate, whose secret is checked against ``dummy_hash()`` all the same, so an
    unknown id costs the time of a known one and gets the same ``invalid_client``."""
    return Client(client_id, dummy_hash(), ("client_credentials",), active=False)


PUBLIC_CLIENTS = {
    CONSOLE_CLIENT: Client(CONSOLE_CLIENT, None, ("password",)),
    SELF_SERVICE_CLIENT: Client(SELF_SERVICE_CLIENT, None, ("password",)),
}


@dataclass(frozen=True)
class User:
    """Someone who logged in with a password: an officer or an applicant."""

    role: Role
    subject: str
    office: str | None = None
    officer_id: int | None = None
    person_id: int | None = None


@dataclass
class TokenRequest:
    """A token request with everything the grants need, loaded beforehand."""

    method: str
    uri: str
    headers: Mapping[str, str]
    form: dict[str, str]
    client: Client | None = None
    user: User | None = None
    user_password_hash: str | None = None


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, request: TokenRequest) -> None:
        super().__init__(request.method, request.uri, headers=request.headers)
        self.payload = BasicOAuth2Payload(request.form)
        self.qhub = request

    @property
    def args(self) -> dict[str, str]:
        return {}

    @property
    def form(self) -> dict[str, str]:
        return self.qhub.form


class _PasswordGrant(ResourceOwnerPasswordCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["none"]

    def authenticate_user(self, username: str, password: str) -> User | None:
        request: TokenRequest = self.request.qhub
        # An unknown user's password is checked too (against the dummy hash): same time.
        if not check_secret(request.user_password_hash, password) or request.user is None:
            raise WrongCredentials()
        return request.user


class _ClientCredentialsGrant(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]


# The agency client loaded for the token request being answered (requests are answered
# in worker threads, each in its own copy of the context).
_LOADED_CLIENT: ContextVar[Client | None] = ContextVar("qhub_loaded_client", default=None)


@dataclass
class HubAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    issuer: TokenIssuer

    def __post_init__(self) -> None:
        super().__init__(scopes_supported=[])
        self.register_grant(_ClientCredentialsGrant)
        self.register_grant(_PasswordGrant)
        self.register_token_generator("default", self._generate)

    def query_client(self, client_id: str) -> Client | None:
        loaded = _LOADED_CLIENT.get()
        if loaded is not None and loaded.client_id == client_id:
            return loaded
        return PUBLIC_CLIENTS.get(client_id)

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        """Access tokens are self-contained JWTs; nothing to store."""

    def create_oauth2_request(self, request: TokenRequest) -> _Request:
        return _Request(request)

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> tuple[int, Any, list[tuple[str, str]]]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def _generate(
        self,
        grant_type: str,
        client: Client,
        user: User | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        if user is not None:
            token = self.issuer.mint(
                user.role,
                subject=user.subject,
                office=user.office,
                officer_id=user.officer_id,
                person_id=user.person_id,
                client_id=client.client_id,
            )
        else:
            assert client.role is not None
            token = self.issuer.mint(
                client.role,
                subject=f"client:{client.client_id}",
                purposes=client.purposes,
                office=client.office,
                client_id=client.client_id,
            )
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.issuer.ttl_seconds,
        }

    def token_response(self, request: TokenRequest) -> tuple[int, Any, list[tuple[str, str]]]:
        """The RFC 6749 token response for a fully loaded request. Slow (argon2, signing):
        call it off the event loop (``asyncio.to_thread``)."""
        loaded = _LOADED_CLIENT.set(request.client)
        try:
            return self.create_token_response(request)  # type: ignore[no-any-return]
        finally:
            _LOADED_CLIENT.reset(loaded)


def parse_form(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
