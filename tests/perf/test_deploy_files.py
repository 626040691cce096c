"""The container image, compose file and Kubernetes manifests (deploy/), checked without a
container runtime: hadolint lints the Dockerfile, kubernetes-validate checks every manifest
against the Kubernetes schema (strict), and the rest is read as YAML and checked by rule."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
HEALTH = "/_stcore/health"


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found: install requirements-dev.txt", pytrace=False)
    return found


def test_the_dockerfile_passes_hadolint():
    done = subprocess.run(
        [tool("hadolint"), "--no-color", str(DEPLOY / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_is_slim_non_root_and_health_checked():
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim$", text, re.M)
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    assert "HEALTHCHECK" in text and HEALTH in text
    assert "--server.address" in text
    assert re.search(r'"run", "serve\.py"', text), "served with its security headers"
    sources = re.findall(r"^COPY (?:--\S+ )*(\S+) ", text, re.M)
    assert sources and "." not in sources, "copy only what the app needs (no tests, no .git)"


def manifests() -> list[Path]:
    return sorted((DEPLOY / "k8s").glob("*.yaml"))


def test_the_kubernetes_manifests_validate_strictly():
    done = subprocess.run(
        [tool("kubernetes-validate"), "--strict", *map(str, manifests())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def resources() -> dict[tuple[str, str], dict]:
    found = {}
    for path in manifests():
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


def test_the_app_is_probed_served_with_cookie_affinity_and_uses_redis():
    found = resources()
    app = found[("Deployment", "softmax-app")]
    assert app["spec"]["replicas"] >= 2
    container = app["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == HEALTH
    env = {e["name"]: e for e in container["env"]}
    assert env["SOFTMAX_ROOMS_URL"]["value"].startswith("redis://softmax-redis:")
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    assert app["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert ("Service", "softmax-app") in found and ("Service", "softmax-redis") in found
    ingress = found[("Ingress", "softmax-app")]
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"


def test_compose_runs_replicas_behind_haproxy_with_cookies_and_redis():
    compose = yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text())
    services = compose["services"]
    assert services["app"]["deploy"]["replicas"] >= 2
    assert services["app"]["environment"]["SOFTMAX_ROOMS_URL"] == "redis://redis:6379/0"
    assert services["app"]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert "haproxy" in services["balancer"]["image"]
    cfg = (DEPLOY / "compose" / "haproxy.cfg").read_text()
    assert re.search(r"^\s*cookie stsrv insert indirect nocache dynamic$", cfg, re.M)
    assert re.search(r"^\s*dynamic-cookie-key \S+$", cfg, re.M)
    assert f"option httpchk GET {HEALTH}" in cfg
    assert "timeout tunnel" in cfg and "set-header X-Forwarded-For %[src]" in cfg
    assert re.search(r"server-template app \d+-\d+ app:8501 check", cfg)
