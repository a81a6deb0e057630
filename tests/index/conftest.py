"""The real local OpenSearch cluster (tools/cluster.py), started once per test session for the
index tests that need it (the engine contract on the OpenSearch backend, the backend's own tests).

Locally the tests that need it are skipped when java or maven is missing; under CI=true they
fail, since .ci/run installs both."""
import os
import shutil
import tempfile
from pathlib import Path

import pytest


def _missing() -> str | None:
    if not shutil.which("java"):
        return "java is not installed"
    from tools import cluster

    if not cluster.built() and not shutil.which("mvn"):
        return "maven is not installed and the launcher is not built"
    return None


@pytest.fixture(scope="session")
def opensearch_cluster():
    """A green three-node cluster on 127.0.0.1 (free ports), stopped at the end of the session."""
    from tools import cluster

    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"OpenSearch cluster needed under CI: {missing}")
        pytest.skip(missing)
    directory = Path(tempfile.mkdtemp(prefix="diariet-cluster-"))
    try:
        running = cluster.start(directory, nodes=3, heap="384m", timeout=240)
    except cluster.ClusterError as first:  # once more, the first failure's node logs kept in the report
        logs = "".join(f"\n--- {p.parent.name}: " + p.read_text(errors="replace")[-1500:]
                       for p in sorted(directory.glob("*/stdout.log")))
        try:
            running = cluster.start(directory, nodes=3, heap="384m", timeout=240)
        except cluster.ClusterError as second:
            raise cluster.ClusterError(f"{second} (first try: {first}){logs}") from second
        print(f"cluster started at the second try; the first: {first}{logs}")
    try:
        yield running
    finally:
        running.stop()
        shutil.rmtree(directory, ignore_errors=True)
