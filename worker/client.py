"""Temporal client setup: the pydantic data converter, TLS and API key, metrics runtime from settings."""

from __future__ import annotations

import ipaddress
import logging
import socket
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    PrometheusConfig,
    Runtime,
    TelemetryConfig,
)
from temporalio.service import TLSConfig

from models.settings import Settings, SettingsError

CORE_LOGGER = logging.getLogger("temporalio.core")


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


def metrics_address(settings: Settings) -> str:
    """`metrics_bind` as an IP:port the Prometheus exporter accepts (empty when metrics are off)."""
    bind = settings.metrics_bind.strip()
    if not bind:
        return ""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError(f"MINERALS_METRICS_BIND must be host:port, like 0.0.0.0:9464; got {bind!r}")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        try:
            ip = ipaddress.ip_address(socket.gethostbyname(host))
        except OSError:
            raise SettingsError(f"MINERALS_METRICS_BIND: unknown host {host!r}") from None
    return f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}"


def worker_runtime(settings: Settings, *, forward_logs: bool = True) -> Runtime | None:
    """A Temporal runtime: Prometheus /metrics on `metrics_bind`, the SDK core's logs into Python logging.

    None (the default runtime) when there are no metrics and no logs to forward.
    """
    address = metrics_address(settings)
    if not address and not forward_logs:
        return None
    logs = LoggingConfig.default
    if forward_logs:  # so they come out in the configured format (JSON lines) like every other record
        logs = LoggingConfig(filter=logs.filter, forwarding=LogForwardingConfig(logger=CORE_LOGGER))
    metrics = PrometheusConfig(bind_address=address) if address else None
    try:
        return Runtime(telemetry=TelemetryConfig(logging=logs, metrics=metrics))
    except ValueError as exc:  # e.g. the port is taken
        raise SettingsError(f"MINERALS_METRICS_BIND {address}: {exc}") from None


def metrics_runtime(settings: Settings) -> Runtime | None:
    """A runtime serving Prometheus /metrics on `metrics_bind` (None when it is empty)."""
    return worker_runtime(settings, forward_logs=False)


async def connect(
    settings: Settings, *, timeout: timedelta = timedelta(seconds=10), runtime: Runtime | None = None
) -> Client:
    """A client for the configured Temporal service and namespace (on `runtime`, else the default)."""
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        api_key=settings.temporal_api_key or None,
        tls=tls_config(settings),
        data_converter=pydantic_data_converter,
        connect_timeout=timeout,
        runtime=runtime,
    )
