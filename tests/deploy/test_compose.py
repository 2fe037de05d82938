"""The production deployment files (docker-compose.yml, Dockerfile, .env.example) agree with the code."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from temporalio.api.enums.v1 import IndexedValueType

from cli.main import app
from models.search_attributes import SEARCH_ATTRIBUTES
from models.settings import PREFIX, SECRETS, Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"

SCHEMA, REGISTER = "temporal-schema", "temporal-search-attributes"
PRODUCT = {"migrate", "worker", "email-worker", "console"}
ONE_SHOT = {SCHEMA, REGISTER, "migrate"}
EXPECTED = {"postgresql", "temporal", "temporal-ui", "mailpit"} | ONE_SHOT | PRODUCT
SETTING_NAMES = {PREFIX + f.name.upper() for f in fields(Settings)}
# Secrets: the settings the code masks, and the database passwords compose hands to PostgreSQL.
SECRET_NAMES = {PREFIX + name.upper() for name in SECRETS} | {
    "POSTGRES_PASSWORD",
    "POSTGRES_MINERALS_PASSWORD",
    "POSTGRES_TEMPORAL_PASSWORD",
    "POSTGRES_PWD",
    "SQL_PASSWORD",
}
DUMMY_SECRETS = {
    "POSTGRES_PASSWORD": "pg-test",
    "POSTGRES_MINERALS_PASSWORD": "minerals-test",
    "POSTGRES_TEMPORAL_PASSWORD": "temporal-test",
    "MINERALS_UPLOAD_SECRET": "0123456789abcdef0123456789abcdef",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def _command(service: dict[str, Any]) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f".env.example line is not KEY=value: {line!r}"
            pairs[key.strip()] = value.strip()
    return pairs


def test_every_service_the_deployment_needs_is_there(services: dict[str, Any]) -> None:
    assert EXPECTED <= set(services), f"missing: {sorted(EXPECTED - set(services))}"


def test_every_minerals_variable_is_a_setting() -> None:
    for path in (COMPOSE_FILE, ENV_EXAMPLE, DOCKERFILE):
        used = set(re.findall(r"\bMINERALS_[A-Z0-9_]+\b(?![*])", path.read_text()))
        assert used, f"{path.name} names no MINERALS_* variable"
        unknown = used - SETTING_NAMES
        assert not unknown, f"{path.name} sets variables the code never reads: {sorted(unknown)}"


def test_product_services_share_the_settings_the_deployment_depends_on(services: dict[str, Any]) -> None:
    must = {
        "MINERALS_DATABASE_URL",
        "MINERALS_TEMPORAL_ADDRESS",
        "MINERALS_SMTP_HOST",
        "MINERALS_UPLOAD_SECRET",
        "MINERALS_PUBLIC_BASE_URL",
        "MINERALS_FILE_STORE_DIR",
        "MINERALS_LOG_FORMAT",
    }
    for name in PRODUCT:
        env = _environment(services[name])
        assert must <= set(env), f"{name} lacks {sorted(must - set(env))}"
        assert env["MINERALS_DATABASE_URL"].startswith(
            ("postgresql://", "${MINERALS_DATABASE_URL:-postgresql://")
        )
        assert env["MINERALS_LOG_FORMAT"] == "json"
    for name in ("worker", "email-worker"):
        assert _environment(services[name])["MINERALS_METRICS_BIND"].endswith(":9464")


def test_secrets_come_from_the_environment_never_from_the_file(services: dict[str, Any]) -> None:
    checked = 0
    for name, service in services.items():
        for key, value in _environment(service).items():
            if key in SECRET_NAMES:
                checked += 1
                # `${VAR:?message}` (required) or `${VAR:-}` (optional, empty): no literal value.
                assert re.fullmatch(r"\$\{[A-Z0-9_]+(:\?[^}]*|:-)\}", value), (
                    f"{name}: {key} has a literal value"
                )
    assert checked >= 5


def test_images_are_pinned_and_product_services_build_the_repo_dockerfile(services: dict[str, Any]) -> None:
    for name, service in services.items():
        image = service.get("image", "")
        if name in PRODUCT:
            build = service.get("build")
            assert isinstance(build, dict), f"{name} must be built from the repository"
            assert (COMPOSE_FILE.parent / build["context"]).resolve() == ROOT
            assert build.get("dockerfile", "Dockerfile") == "Dockerfile"
            assert DOCKERFILE.is_file()
            continue
        assert image, f"{name} has neither image nor build"
        if "@sha256:" in image:
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image} has no tag"
        assert tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned to a version"


def test_dockerfile_pins_python_311_runs_unprivileged_and_installs_no_dev_extras() -> None:
    text = DOCKERFILE.read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.M)
    assert base and re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", base.group(1)), "base image"
    assert re.search(r"^USER (?!root\b)\S+$", text, re.M), "the image must not run as root"
    assert "[test]" not in text and ".[" not in text, "no extras in the product image"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".minerals", ".git", "tests", ".env"} <= set(ignored)


def _resolve(argv: list[str]) -> Any:
    """Parse argv as `minerals` would, without running anything: the click context of the leaf command.
    Click raises on an unknown option or a bad value. (Typer may bring its own click: duck-typed.)"""
    assert argv[0] == "minerals", f"{argv} does not run the minerals command"
    command: Any = typer.main.get_command(app)
    args = argv[1:]
    while hasattr(command, "list_commands"):  # a group
        assert args, f"{argv} names no sub-command"
        found = command.get_command(command.context_class(command), args[0])
        assert found is not None, f"`minerals {args[0]}` does not exist ({argv})"
        command, args = found, args[1:]
    return command.make_context(" ".join(argv[:2]), list(args))


def test_the_image_and_every_product_service_run_real_minerals_commands(services: dict[str, Any]) -> None:
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE.read_text(), re.M)
    assert cmd, "the Dockerfile has no exec-form CMD"
    argvs = {"Dockerfile CMD": yaml.safe_load(cmd.group(1))}
    argvs.update({name: _command(services[name]) for name in PRODUCT})
    ran = set()
    for argv in argvs.values():
        context = _resolve(argv)
        ran.add(argv[1])
        if argv[1] == "console":  # inside a container; compose publishes it on 127.0.0.1 only
            assert context.params["host"] == "0.0.0.0"  # noqa: S104
    assert {"db", "worker", "console"} <= ran
    assert _command(services["migrate"])[1:3] == ["db", "upgrade"]
    queues = {_command(services[name])[-1] for name in ("worker", "email-worker")}
    assert queues == {"workflows", "email"}


def test_long_running_services_have_health_checks_and_restart_policies(services: dict[str, Any]) -> None:
    for name, service in services.items():
        restart = str(service.get("restart", ""))
        if name in ONE_SHOT:
            assert restart == "no" or restart.startswith("on-failure"), f"{name}: {restart!r}"
            continue
        assert restart in {"unless-stopped", "always"}, f"{name} has no restart policy"
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"


def _condition(service: dict[str, Any], on: str) -> str:
    depends = service.get("depends_on") or {}
    assert isinstance(depends, dict), "depends_on must state conditions"
    return str((depends.get(on) or {}).get("condition", ""))


def test_start_order_waits_for_setup(services: dict[str, Any]) -> None:
    done, healthy = "service_completed_successfully", "service_healthy"
    for name in ("worker", "email-worker", "console"):
        assert _condition(services[name], "migrate") == done, name
        assert _condition(services[name], REGISTER) == done, name
    assert _condition(services["migrate"], "postgresql") == healthy
    assert _condition(services[SCHEMA], "postgresql") == healthy
    assert _condition(services["temporal"], SCHEMA) == done
    assert _condition(services[REGISTER], "temporal") == healthy
    assert _condition(services["temporal-ui"], "temporal") == healthy


def test_temporal_schema_setup_covers_both_databases_with_postgres12(services: dict[str, Any]) -> None:
    assert services["temporal"]["environment"]["DB"] == "postgres12"
    script = (ROOT / "deploy/temporal/setup-schema.sh").read_text()
    assert "--plugin postgres12" in script
    assert "setup-schema" in script and "update-schema" in script
    assert '"temporal:temporal"' in script and '"temporal_visibility:visibility"' in script
    init = (ROOT / "deploy/postgres/init-databases.sh").read_text()
    for database in ("minerals", "temporal", "temporal_visibility"):
        assert f"CREATE DATABASE {database} " in init


def _cli_type(value_type: int) -> str:
    """INDEXED_VALUE_TYPE_KEYWORD_LIST -> KeywordList: the type names of `temporal operator`."""
    name = IndexedValueType.Name(value_type).removeprefix("INDEXED_VALUE_TYPE_")  # type: ignore[arg-type]
    return "".join(part.capitalize() for part in name.split("_"))


def test_registered_search_attributes_equal_the_code(services: dict[str, Any]) -> None:
    registered = dict(pair.split("=", 1) for pair in _command(services[REGISTER]))
    expected = {key.name: _cli_type(key.indexed_value_type) for key in SEARCH_ATTRIBUTES}
    assert registered == expected
    assert expected["DueAt"] == "Datetime" and expected["ReminderCount"] == "Int"


def test_file_store_is_one_volume_shared_by_workers_and_console(services: dict[str, Any]) -> None:
    mounts = set()
    for name in ("worker", "email-worker", "console"):
        store = _environment(services[name])["MINERALS_FILE_STORE_DIR"]
        volume = next((v for v in services[name].get("volumes", []) if v.split(":")[1] == store), None)
        assert volume, f"{name} does not mount a volume at {store}"
        mounts.add(volume.split(":")[0])
    assert len(mounts) == 1


def test_ports_are_published_on_loopback_only(services: dict[str, Any]) -> None:
    published = 0
    for name, service in services.items():
        for port in service.get("ports", []):
            published += 1
            host_ip = port.get("host_ip") if isinstance(port, dict) else str(port).split(":")[0]
            assert host_ip == "127.0.0.1", f"{name} publishes {port} beyond this host"
    assert published >= 3


def test_env_example_lists_what_an_operator_sets_and_holds_no_secret() -> None:
    example = _env_example()
    compose_text = COMPOSE_FILE.read_text()
    for key, value in example.items():
        if key.startswith(PREFIX):
            assert key in SETTING_NAMES, f".env.example: {key} is not a setting"
        assert "${" + key in compose_text, f".env.example: docker-compose.yml never reads {key}"
        if key in SECRET_NAMES:
            assert value == "", f".env.example must leave {key} empty"
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", compose_text))
    assert required and required <= set(example), (
        f"missing from .env.example: {sorted(required - set(example))}"
    )


def _compose_cli() -> list[str]:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    if standalone:
        version = subprocess.run([standalone, "version"], capture_output=True, text=True).stdout
        if re.search(r"\bv?2\.", version):
            return [standalone]
    pytest.skip("no Docker Compose v2 here (neither the `docker compose` plugin nor docker-compose v2)")


def test_docker_compose_validates_the_file_and_refuses_missing_secrets(tmp_path: Path) -> None:
    cli = _compose_cli()
    empty = tmp_path / "empty.env"
    empty.write_text("")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MINERALS_", "POSTGRES_"))}
    argv = [*cli, "--project-directory", str(ROOT), "-f", str(COMPOSE_FILE), "--env-file", str(empty)]
    ok = subprocess.run([*argv, "config", "-q"], env=base | DUMMY_SECRETS, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    for missing in DUMMY_SECRETS:
        env = base | {k: v for k, v in DUMMY_SECRETS.items() if k != missing}
        refused = subprocess.run([*argv, "config", "-q"], env=env, capture_output=True, text=True)
        assert refused.returncode != 0 and missing in refused.stderr, missing
