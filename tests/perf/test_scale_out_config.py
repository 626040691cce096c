"""deploy/: the generated HAProxy configuration and the scale-out script's guard rails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy import haproxy_cfg, warm_up

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "scale_out.sh"


def test_one_server_line_per_backend_with_its_own_cookie():
    cfg = haproxy_cfg.render([8601, 8602, 8603], port=8600)
    servers = [line.split() for line in cfg.splitlines() if line.strip().startswith("server ")]
    assert [s[2] for s in servers] == ["127.0.0.1:8601", "127.0.0.1:8602", "127.0.0.1:8603"]
    assert [s[s.index("cookie") + 1] for s in servers] == ["app1", "app2", "app3"]
    assert all("check" in s for s in servers)
    assert "bind 127.0.0.1:8600" in cfg


def test_stickiness_is_by_cookie_not_by_client_address():
    cfg = haproxy_cfg.render([8601, 8602])
    assert f"cookie {haproxy_cfg.COOKIE} insert indirect nocache" in cfg
    assert "balance roundrobin" in cfg
    assert "balance source" not in cfg  # all students behind one NAT (or 127.0.0.1) on one box
    assert "timeout tunnel" in cfg  # websockets live for the whole lesson
    assert f"option httpchk GET {haproxy_cfg.HEALTH}" in cfg


def test_the_balancers_tell_the_app_the_clients_address_and_clients_cannot_write_it():
    """The join-code rate limit counts by the address the balancer saw (live.client): with
    no forwarded address every student shared 127.0.0.1 behind scale_out.sh, and with an
    appended one the client wrote the entry the app read (a review). Both configurations set
    the header to the address they saw."""
    compose = (ROOT / "deploy" / "compose" / "haproxy.cfg").read_text()
    for cfg in (haproxy_cfg.render([8601, 8602]), compose):
        assert "http-request set-header X-Forwarded-For %[src]" in cfg
        assert "option forwardfor" not in cfg


@pytest.mark.parametrize(
    ("backends", "kwargs", "message"),
    [
        ([], {}, "at least one"),
        ([8601, 8601], {}, "duplicate"),
        ([8600], {"port": 8600}, "also a backend"),
        ([70000], {}, "bad port"),
        ([8601], {"backend_address": "10.0.0.5"}, "not a loopback"),
    ],
)
def test_bad_settings_are_refused(backends, kwargs, message):
    with pytest.raises(ValueError, match=message):
        haproxy_cfg.render(backends, **kwargs)


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy not installed")
@pytest.mark.parametrize("n", [1, 2, 4])
def test_haproxy_accepts_the_generated_config(tmp_path, n):
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(haproxy_cfg.render([9601 + i for i in range(n)], port=9600))
    done = subprocess.run(
        ["haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_script_parses_and_refuses_a_bad_process_count(tmp_path):
    assert subprocess.run(["bash", "-n", str(SCRIPT)], timeout=10).returncode == 0
    env = os.environ | {"RUN_DIR": str(tmp_path / "run")}
    for bad in ("0", "17", "two"):
        done = subprocess.run(
            ["bash", str(SCRIPT), bad], capture_output=True, text=True, timeout=10, env=env
        )
        assert done.returncode != 0
        assert "N must be a whole number" in done.stderr


def test_stop_without_a_run_is_harmless(tmp_path):
    env = os.environ | {"RUN_DIR": str(tmp_path / "never-started")}
    done = subprocess.run(
        ["bash", str(SCRIPT), "stop"], capture_output=True, text=True, timeout=10, env=env
    )
    assert done.returncode == 0
    assert "nothing to stop" in done.stdout


@pytest.mark.parametrize("url", ["http://10.0.0.1:8600", "http://example.com"])
def test_warm_up_talks_to_loopback_only(url, capsys):
    with pytest.raises(SystemExit) as stop:
        warm_up.main([url])
    assert stop.value.code == 2
    assert "loopback" in capsys.readouterr().err
