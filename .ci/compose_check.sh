#!/usr/bin/env bash
# No Docker engine on CI: check what can be checked without one. docker-compose.yml parses and has the
# production shape (DESIGN.md), the Dockerfile has its invariants, and the example environment file
# carries every variable the production settings require.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

"$PY" - <<'PYTHON'
import re
import sys
from pathlib import Path

import yaml

problems = []
compose = yaml.safe_load(Path("docker-compose.yml").read_text())  # resolves the &django anchor and << merges
services = compose.get("services", {})
for name in ("postgres", "redis", "migrate", "web", "worker", "beat", "nginx"):
    if name not in services:
        problems.append(f"docker-compose.yml: no service {name!r}")
django_services = ("migrate", "web", "worker", "beat")
shapes = {n: (services[n].get("build"), services[n].get("image"), services[n].get("env_file"))
          for n in django_services if n in services}
if len({repr(shape) for shape in shapes.values()}) != 1:
    problems.append(f"docker-compose.yml: {', '.join(django_services)} must share one &django anchor: {shapes}")
expected_commands = {"web": "gunicorn", "worker": "worker", "beat": "beat", "migrate": "migrate"}
for name, word in expected_commands.items():
    command = services.get(name, {}).get("command")
    command = " ".join(command) if isinstance(command, list) else (command or "")
    if name != "web" and word not in command:
        problems.append(f"docker-compose.yml: service {name!r} should run {word!r}, runs {command!r}")
for name in ("postgres", "redis", "web"):
    if "healthcheck" not in services.get(name, {}):
        problems.append(f"docker-compose.yml: service {name!r} has no healthcheck")
if "nginx" not in services.get("nginx", {}).get("profiles", []):
    problems.append("docker-compose.yml: nginx must be optional (profile 'nginx')")
images = {n: s.get("image", "") for n, s in services.items()}
if not images.get("postgres", "").startswith("postgres:15"):
    problems.append("docker-compose.yml: postgres must be postgres:15 (what tests and CI run on)")
if not images.get("redis", "").startswith("redis:7"):
    problems.append("docker-compose.yml: redis must be redis:7")
for name, service in services.items():
    depends = service.get("depends_on", {})
    for target in depends if isinstance(depends, (list, dict)) else []:
        if target not in services:
            problems.append(f"docker-compose.yml: {name} depends on unknown service {target!r}")
    env_files = service.get("env_file", [])
    for entry in [env_files] if isinstance(env_files, (str, dict)) else env_files:
        path = entry["path"] if isinstance(entry, dict) else entry
        if not Path(path).exists() and not Path(f"{path}.example").exists():
            problems.append(f"docker-compose.yml: {name} reads {path}, and neither it nor {path}.example exists")
    for source in (v.split(":")[0] for v in service.get("volumes", []) if isinstance(v, str)):
        if source.startswith(".") and not Path(source).exists():
            problems.append(f"docker-compose.yml: {name} mounts missing {source}")

dockerfile = Path("Dockerfile").read_text()
for pattern, why in [
    (r"^FROM python:3\.13-slim", "base image python:3.13-slim"),
    (r"requirements/lock\.txt", "installs requirements/lock.txt"),
    (r"collectstatic", "collects static files"),
    (r"^USER (?!root\b)\S+", "runs as a non-root user"),
    (r"^CMD .*gunicorn", "gunicorn as the default command"),
]:
    if not re.search(pattern, dockerfile, re.MULTILINE):
        problems.append(f"Dockerfile: {why} ({pattern!r} not found)")

example = Path(".envs/.production.example")
keys = {m.group(1) for m in re.finditer(r"^([A-Z][A-Z0-9_]*)=", example.read_text(), re.MULTILINE)}
for key in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
            "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"):
    if key not in keys:
        problems.append(f"{example}: {key} missing")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"docker-compose.yml: services {', '.join(services)}; Dockerfile and {example} consistent")
PYTHON

# The production settings load from the example file's variables alone, its CHANGE_ME placeholders
# replaced by fresh secrets, and pass the deploy check: a variable that becomes required, or a value
# that weakens the deployment, fails here instead of on the first deployment.
"$PY" - <<'PYTHON'
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings.production"}
for match in re.finditer(r"^([A-Z][A-Z0-9_]*)=(.*)$", Path(".envs/.production.example").read_text(), re.MULTILINE):
    key, value = match.groups()
    if "CHANGE_ME" in value:
        fresh = Fernet.generate_key().decode() if key == "FIELD_ENCRYPTION_KEYS" else secrets.token_urlsafe(48)
        value = fresh if key != "DATABASE_URL" else value.replace("CHANGE_ME", fresh)
    env[key] = value
command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
print(result.stdout + result.stderr, end="")
if result.returncode or "no issues (0 silenced)" not in result.stdout:
    sys.exit(".envs/.production.example does not make a clean production configuration")
print(".envs/.production.example: production settings load from it and pass check --deploy")
PYTHON
