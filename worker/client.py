"""Temporal client setup: the pydantic data converter, TLS and API key from settings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import TLSConfig

from models.settings import Settings, SettingsError


def tls_config(settings: Settings) -> TLSConfig | bool:
    """The TLS configuration for the Temporal connection (False when TLS is off)."""
    if not settings.tls_enabled():
        return False
    if bool(settings.temporal_tls_cert) != bool(settings.temporal_tls_key):
        raise SettingsError("MINERALS_TEMPORAL_TLS_CERT and MINERALS_TEMPORAL_TLS_KEY must be set together")

    def read(path: str, name: str) -> bytes | None:
        if not path:
            return None
        try:
            return Path(path).expanduser().read_bytes()
        except OSError as exc:
            raise SettingsError(f"MINERALS_{name} cannot be read: {exc.strerror} ({path})") from None

    return TLSConfig(
        client_cert=read(settings.temporal_tls_cert, "TEMPORAL_TLS_CERT"),
        client_private_key=read(settings.temporal_tls_key, "TEMPORAL_TLS_KEY"),
        server_root_ca_cert=read(settings.temporal_tls_ca, "TEMPORAL_TLS_CA"),
    )


async def connect(settings: Settings, *, timeout: timedelta = timedelta(seconds=10)) -> Client:
    """A client for the configured Temporal service and namespace."""
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        api_key=settings.temporal_api_key or None,
        tls=tls_config(settings),
        data_converter=pydantic_data_converter,
        connect_timeout=timeout,
    )
