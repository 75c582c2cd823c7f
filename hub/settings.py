"""Settings read from the environment (prefix ``QHUB_``); one frozen object per process."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"QHUB_{name}")
    if value in (None, "") and os.environ.get(f"QHUB_{name}_FILE"):
        # a secret handed in as a file (Docker/Compose secrets: /run/secrets/...)
        value = Path(os.environ[f"QHUB_{name}_FILE"]).read_text(encoding="utf-8").strip()
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


@dataclass(frozen=True)
class Settings:
    """Every knob of the hub. Documented in README.md (Configuration)."""

    database_url: str | None = None
    # a read replica for reads that are not logged (hub.replica, issue 18)
    replica_url: str | None = None
    data_dir: Path = Path("var")
    # one key directory shared by every instance of a deployment (hub.shared_keys); unset:
    # each instance keeps (and on first use creates) its keys in its data folder
    shared_keys_dir: Path | None = None
    public_url: str = "http://127.0.0.1:8000"
    issuer: str = "https://qoricancha.cepr.gob.pe"
    audience: str = "qoricancha-hub"
    token_ttl_seconds: int = 900
    pool_size: int = 10
    pool_overflow: int = 10
    # every connection of a process, split across its pools (hub.connection_budget)
    max_connections: int | None = None
    stats_suppression_threshold: int = 10
    pre_registration_rate_per_minute: int = 30
    # count it in PostgreSQL for all instances together (hub.shared_state, issue 18)
    shared_rate_limits: bool = True
    signer_pkcs12: str | None = None
    signer_pkcs12_password: str | None = None
    tsa_url: str | None = None
    # PKCS#11 token holding the Executive Secretary's key (takes precedence over PKCS#12)
    pkcs11_module: str | None = None
    pkcs11_token_label: str | None = None
    pkcs11_pin: str | None = None
    pkcs11_key_label: str | None = None
    signer_cert_pem: str | None = None
    signer_ca_pem: str | None = None
    external_issuers: str | None = None
    # Deliver agencies' webhooks from this process (several processes may: rows are claimed).
    webhook_dispatch: bool = True
    # Sealed claim data: KEKs in a PKCS#11 token when its label is set, else key files.
    claim_kek_pkcs11_token: str | None = None
    claim_kek_pkcs11_module: str | None = None
    claim_kek_pkcs11_pin: str | None = None
    # The pseudonym secret in a PKCS#11 token when its label is set (services.pseudonym_token;
    # module and PIN default to the claim KEKs', then the signer's), else a file.
    pseudonym_pkcs11_token: str | None = None
    pseudonym_pkcs11_module: str | None = None
    pseudonym_pkcs11_pin: str | None = None
    # The token signing keys in a PKCS#11 token when its label is set (auth.token_keys)
    token_keys_pkcs11_token: str | None = None
    token_keys_pkcs11_module: str | None = None
    token_keys_pkcs11_pin: str | None = None
    # Sign a checkpoint of the access log this often (seconds; 0: only on demand).
    checkpoint_seconds: int = 3600
    # Hardening (issue 13): proxies whose X-Forwarded-For is believed (comma-separated CIDRs),
    # password-login throttles (limits' notation; per account and per client address),
    # where throttle counters live (limits' storage URI), GraphiQL on or off, JSON logs.
    trusted_proxies: str | None = None
    login_limits_account: str = "5/minute;10/15 minutes;20/hour"
    login_limits_address: str = "20/minute;100/hour"
    # "database": the hub's own (hub.limits_postgres), shared by the deployment's instances
    rate_limit_storage: str = "database"
    graphiql: bool = True
    log_json: bool = True
    # the bearer token Prometheus sends for /metrics; none: loopback callers only
    metrics_token: str | None = None
    # OTLP/HTTP collector for OpenTelemetry traces (hub.tracing); none: no tracing
    otel_endpoint: str | None = None
    # "plan" (the compiled executor, falling back to graphql-core for what it does not
    # compile) or "graphql-core" (diagnosis, benchmarks, the differential tests).
    executor: str = "plan"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "pg"

    @property
    def keys_dir(self) -> Path:
        """Token signing keys (``auth.keys``)."""
        if self.shared_keys_dir is not None:
            return self.shared_keys_dir / "tokens"
        return self.data_dir / "keys"

    @property
    def pseudonym_key_path(self) -> Path:
        """The master secret of agencies' pseudonyms (``services.pseudonyms``)."""
        if self.shared_keys_dir is not None:
            return self.shared_keys_dir / "pseudonym.key"
        return self.data_dir / "keys" / "pseudonym.key"

    @property
    def claim_keys_dir(self) -> Path:
        """Key files of sealed claim data, when no PKCS#11 token holds them."""
        return (self.shared_keys_dir or self.data_dir) / "claim-keys"

    @property
    def document_signer_dir(self) -> Path:
        """The demo document signer, when no PKCS#11 token or PKCS#12 file is set."""
        return (self.shared_keys_dir or self.data_dir) / "signing"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def load_settings() -> Settings:
    return Settings(
        database_url=_env("DATABASE_URL"),
        replica_url=_env("REPLICA_URL"),
        data_dir=Path(_env("DATA_DIR", "var") or "var"),
        shared_keys_dir=Path(keys) if (keys := _env("KEYS_DIR")) else None,
        public_url=(_env("PUBLIC_URL", "http://127.0.0.1:8000") or "").rstrip("/"),
        issuer=_env("ISSUER", "https://qoricancha.cepr.gob.pe") or "",
        audience=_env("AUDIENCE", "qoricancha-hub") or "",
        token_ttl_seconds=_env_int("TOKEN_TTL_SECONDS", 900),
        pool_size=_env_int("POOL_SIZE", 10),
        pool_overflow=_env_int("POOL_OVERFLOW", 10),
        max_connections=_env_int("MAX_CONNECTIONS", 0) or None,
        stats_suppression_threshold=_env_int("STATS_SUPPRESSION_THRESHOLD", 10),
        pre_registration_rate_per_minute=_env_int("PRE_REGISTRATION_RATE_PER_MINUTE", 30),
        shared_rate_limits=_env_bool("SHARED_RATE_LIMITS", True),
        signer_pkcs12=_env("SIGNER_PKCS12"),
        signer_pkcs12_password=_env("SIGNER_PKCS12_PASSWORD"),
        tsa_url=_env("TSA_URL"),
        pkcs11_module=_env("PKCS11_MODULE"),
        pkcs11_token_label=_env("PKCS11_TOKEN_LABEL"),
        pkcs11_pin=_env("PKCS11_PIN"),
        pkcs11_key_label=_env("PKCS11_KEY_LABEL"),
        signer_cert_pem=_env("SIGNER_CERT_PEM"),
        signer_ca_pem=_env("SIGNER_CA_PEM"),
        external_issuers=_env("EXTERNAL_ISSUERS"),
        webhook_dispatch=_env_bool("WEBHOOK_DISPATCH", True),
        claim_kek_pkcs11_token=_env("CLAIM_KEK_PKCS11_TOKEN"),
        claim_kek_pkcs11_module=_env("CLAIM_KEK_PKCS11_MODULE"),
        claim_kek_pkcs11_pin=_env("CLAIM_KEK_PKCS11_PIN"),
        pseudonym_pkcs11_token=_env("PSEUDONYM_PKCS11_TOKEN"),
        pseudonym_pkcs11_module=_env("PSEUDONYM_PKCS11_MODULE"),
        pseudonym_pkcs11_pin=_env("PSEUDONYM_PKCS11_PIN"),
        token_keys_pkcs11_token=_env("TOKEN_KEYS_PKCS11_TOKEN"),
        token_keys_pkcs11_module=_env("TOKEN_KEYS_PKCS11_MODULE"),
        token_keys_pkcs11_pin=_env("TOKEN_KEYS_PKCS11_PIN"),
        checkpoint_seconds=_env_int("CHECKPOINT_SECONDS", 3600),
        executor=_env("EXECUTOR", "plan") or "plan",
        trusted_proxies=_env("TRUSTED_PROXIES"),
        login_limits_account=_env("LOGIN_LIMITS_ACCOUNT") or Settings.login_limits_account,
        login_limits_address=_env("LOGIN_LIMITS_ADDRESS") or Settings.login_limits_address,
        rate_limit_storage=_env("RATE_LIMIT_STORAGE") or Settings.rate_limit_storage,
        graphiql=_env_bool("GRAPHIQL", True),
        log_json=_env_bool("LOG_JSON", True),
        otel_endpoint=_env("OTEL_ENDPOINT"),
        metrics_token=_env("METRICS_TOKEN"),
    )
