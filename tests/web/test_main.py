"""The web command (web/__main__.py, web/options.py): one Swedish line, no traceback, for what an operator gets wrong."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import web.__main__ as main_module
from web.options import parse, swedish

ROOT = Path(__file__).resolve().parents[2]


def run(*args, env=None, timeout=120):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DIARIET_")} | (env or {})
    return subprocess.run([sys.executable, "-m", "web", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=timeout)


def one_swedish_line(result, *words):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fel: ") and "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_wrong_option(tmp_path):
    one_swedish_line(run("--data", str(tmp_path), "--prot", "8000"), "okänt argument: --prot", "--help")
    one_swedish_line(run("--data", str(tmp_path), "--port", "åtta"), "--port måste vara ett heltal")


def test_missing_data_dir(tmp_path):
    one_swedish_line(run("--data", str(tmp_path / "saknas")), "finns inte", "python -m ingest")
    one_swedish_line(run(), "--data")
    one_swedish_line(run("--data", str(tmp_path)), "innehåller inget arkiv")


def test_busy_port(archive_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        one_swedish_line(run("--data", str(archive_dir), "--port", str(port)), f"port {port}", "används redan")


def test_environment_gives_the_defaults(archive_dir):
    args = parse([], {"DIARIET_DATA": str(archive_dir), "DIARIET_PORT": "8123", "DIARIET_HOST": "0.0.0.0"})
    assert (args.data, args.port, args.host) == (str(archive_dir), 8123, "0.0.0.0")
    assert parse(["--port", "9000"], {"DIARIET_DATA": "x", "DIARIET_PORT": "8123"}).port == 9000
    one_swedish_line(run(env={"DIARIET_DATA": str(archive_dir), "DIARIET_PORT": "x"}), "DIARIET_PORT")


def test_unwritable_data_dir(tmp_path, monkeypatch):
    # As root (CI) every directory is writable, so the check itself is asked.
    monkeypatch.setattr(main_module.os, "access", lambda path, mode: False)
    assert "inte skrivbar" in main_module.check_data_dir(str(tmp_path))
    (tmp_path / "fil").write_text("x")
    assert "ingen katalog" in main_module.check_data_dir(str(tmp_path / "fil"))


def test_argparse_messages_in_swedish():
    assert swedish("the following arguments are required: --data") == "argumentet --data krävs"
    assert swedish("argument --port: expected one argument") == "--port behöver ett värde"


def test_serves_and_stops(archive_dir):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIARIET_")}
    env |= {"DIARIET_DATA": str(archive_dir), "DIARIET_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "-m", "web"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "Diariet på http://127.0.0.1:" in proc.stdout.readline()
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=", timeout=5) as r:
                    assert r.status == 200
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
