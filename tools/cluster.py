"""A local OpenSearch cluster for development and tests: one JVM per node, all on 127.0.0.1.

The nodes are cluster/'s launcher (a subclass of org.opensearch.node.Node with the Netty4 and
analysis-common plugins on the classpath, built by Maven from Maven Central's jars). Ports are
picked free at start; every node is cluster-manager eligible and holds data; the cluster forms
from explicit `discovery.seed_hosts` and `cluster.initial_cluster_manager_nodes`.

    python tools/cluster.py start [--dir .cluster] [--nodes 3]   # prints the URL
    python tools/cluster.py stop [--dir .cluster]

The state (PIDs, ports) is kept in DIR/cluster.json; `stop` signals only those PIDs, and only if
each is still the java process this module started (its command line names the launcher).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "cluster"
LAUNCHER = "se.diariet.cluster.DiarietNode"
DEFAULT_DIR = ROOT / ".cluster"
CLUSTER_NAME = "diariet-test"


class ClusterError(RuntimeError):
    pass


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise ClusterError("java is not installed (Debian: apt-get install openjdk-17-jdk-headless)")
    return found


def built() -> bool:
    lib = PROJECT / "target" / "lib"
    classes = PROJECT / "target" / "classes" / "se" / "diariet" / "cluster" / "DiarietNode.class"
    if not (classes.exists() and lib.is_dir() and any(lib.glob("opensearch-*.jar"))):
        return False
    newest_source = max(p.stat().st_mtime for p in [PROJECT / "pom.xml", *PROJECT.rglob("*.java")])
    return classes.stat().st_mtime >= newest_source


def build(timeout: float = 900) -> None:
    """Build the launcher with Maven unless it is built and newer than its sources."""
    if built():
        return
    mvn = shutil.which("mvn")
    if not mvn:
        raise ClusterError("maven is not installed (Debian: apt-get install maven)")
    done = subprocess.run(
        [mvn, "-B", "-q", "-f", str(PROJECT / "pom.xml"), "package", "-DskipTests"],
        capture_output=True, text=True, timeout=timeout,
    )
    if done.returncode != 0 or not built():
        raise ClusterError(f"maven build of {PROJECT} failed:\n{done.stdout[-4000:]}{done.stderr[-4000:]}")


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def http_json(url: str, method: str = "GET", body: object = None, timeout: float = 10) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


@dataclass
class NodeProcess:
    name: str
    http_port: int
    transport_port: int
    pid: int = 0
    home: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"


@dataclass
class Cluster:
    directory: Path
    nodes: list[NodeProcess] = field(default_factory=list)
    heap: str = "384m"

    @property
    def url(self) -> str:
        return self.nodes[0].url

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    # -- state ---------------------------------------------------------------------------
    def save(self) -> None:
        state = {"heap": self.heap, "nodes": [n.__dict__ for n in self.nodes]}
        (self.directory / "cluster.json").write_text(json.dumps(state, indent=1))

    @classmethod
    def load(cls, directory: Path) -> Cluster | None:
        path = Path(directory) / "cluster.json"
        if not path.exists():
            return None
        state = json.loads(path.read_text())
        return cls(Path(directory), [NodeProcess(**n) for n in state["nodes"]], state["heap"])

    # -- processes -----------------------------------------------------------------------
    def _command(self, node: NodeProcess) -> list[str]:
        seeds = ",".join(f"127.0.0.1:{n.transport_port}" for n in self.nodes)
        managers = ",".join(n.name for n in self.nodes)
        classpath = f"{PROJECT / 'target' / 'classes'}:{PROJECT / 'target' / 'lib'}/*"
        settings = {
            "cluster.name": CLUSTER_NAME,
            "node.name": node.name,
            "path.home": node.home,
            "path.data": str(Path(node.home) / "data"),
            "path.logs": str(Path(node.home) / "logs"),
            "network.host": "127.0.0.1",
            "http.port": str(node.http_port),
            "transport.port": str(node.transport_port),
            "discovery.seed_hosts": seeds,
            "cluster.initial_cluster_manager_nodes": managers,
            # A shared development disk is often fuller than the watermarks allow.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "action.auto_create_index": "false",
            "node.processors": "1",
        }
        return [
            java(), f"-Xms{self.heap}", f"-Xmx{self.heap}", "-XX:+UseSerialGC",
            "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true",
            "-Dlog4j2.disable.jmx=true", "-Dlog4j.shutdownHookEnabled=false",
            "-Dio.netty.noUnsafe=true", "-Dio.netty.recycler.maxCapacityPerThread=0",
            "-cp", classpath, LAUNCHER, *[f"{k}={v}" for k, v in settings.items()],
        ]

    def start_node(self, node: NodeProcess) -> None:
        Path(node.home, "config").mkdir(parents=True, exist_ok=True)
        log = open(Path(node.home) / "stdout.log", "ab")
        process = subprocess.Popen(self._command(node), stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True, cwd=node.home)
        log.close()
        node.pid = process.pid
        self.save()

    def alive(self, node: NodeProcess) -> bool:
        if not node.pid:
            return False
        try:
            cmdline = Path(f"/proc/{node.pid}/cmdline").read_bytes()
        except OSError:
            return False
        stat = Path(f"/proc/{node.pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            try:
                os.waitpid(node.pid, os.WNOHANG)
            except ChildProcessError:
                pass
            return False
        return LAUNCHER.encode() in cmdline and f"node.name={node.name}".encode() in cmdline

    def kill_node(self, node: NodeProcess, sig: int = signal.SIGKILL, timeout: float = 60) -> None:
        """Signal one node (SIGKILL by default, as a crash) and wait until its process is gone."""
        if not self.alive(node):
            return
        os.kill(node.pid, sig)
        deadline = time.monotonic() + timeout
        while self.alive(node):
            if time.monotonic() > deadline:
                if sig == signal.SIGKILL:
                    raise ClusterError(f"{node.name} (pid {node.pid}) did not die")
                os.kill(node.pid, signal.SIGKILL)
                sig = signal.SIGKILL
                deadline = time.monotonic() + timeout
            time.sleep(0.1)
        node.pid = 0
        self.save()

    def health(self, params: str = "", timeout: float = 10) -> dict:
        last: Exception | None = None
        for node in self.nodes:
            if not self.alive(node):
                continue
            try:
                return http_json(f"{node.url}/_cluster/health?{params}", timeout=timeout)
            except urllib.error.HTTPError as e:  # 408: the wait timed out, the body is the health
                if e.code == 408:
                    return json.loads(e.read())
                last = e
            except OSError as e:
                last = e
        raise ClusterError(f"no node answers: {last}")

    def wait_for(self, status: str = "green", nodes: int | None = None, timeout: float = 180) -> dict:
        """Wait (bounded) until the cluster has `nodes` nodes and at least `status`."""
        nodes = len(self.nodes) if nodes is None else nodes
        deadline = time.monotonic() + timeout
        health: dict = {}
        while True:
            dead = [n.name for n in self.nodes if n.pid and not self.alive(n)]
            if dead:
                raise ClusterError(f"node(s) {dead} exited; see {self.directory}/*/stdout.log")
            left = deadline - time.monotonic()
            if left <= 0:
                raise ClusterError(f"cluster not {status} with {nodes} nodes in {timeout:.0f} s: {health}")
            try:
                health = self.health(f"wait_for_status={status}&wait_for_nodes={nodes}"
                                     f"&timeout={max(1, min(10, int(left)))}s", timeout=15)
                if not health.get("timed_out") and health.get("number_of_nodes") == nodes:
                    return health
            except ClusterError:
                time.sleep(1)

    def wait_for_http(self, timeout: float = 120) -> None:
        """Wait (bounded) until every running node answers HTTP itself: a node joins the
        cluster before it binds its HTTP port, so a green health from another node is not enough."""
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            while self.alive(node):
                try:
                    http_json(f"{node.url}/", timeout=5)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise ClusterError(f"{node.name} does not answer on {node.url}") from None
                    time.sleep(0.5)

    def stop(self, timeout: float = 60) -> None:
        for node in self.nodes:
            if self.alive(node):
                os.kill(node.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            while self.alive(node) and time.monotonic() < deadline:
                time.sleep(0.2)
            if self.alive(node):
                os.kill(node.pid, signal.SIGKILL)
        for node in self.nodes:
            while self.alive(node):
                time.sleep(0.1)
        (self.directory / "cluster.json").unlink(missing_ok=True)


def start(directory: Path | str = DEFAULT_DIR, nodes: int = 3, heap: str = "384m",
          timeout: float = 240, fresh: bool = True) -> Cluster:
    """Build if needed, start `nodes` JVMs and wait (bounded) for a green cluster."""
    directory = Path(directory)
    old = Cluster.load(directory)
    if old is not None:
        old.stop()
    if fresh and directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    build()
    ports = free_ports(2 * nodes)
    cluster = Cluster(directory, heap=heap)
    for i in range(nodes):
        cluster.nodes.append(NodeProcess(f"node-{i}", ports[2 * i], ports[2 * i + 1],
                                         home=str((directory / f"node-{i}").resolve())))
    try:
        for node in cluster.nodes:
            cluster.start_node(node)
        cluster.wait_for("green", nodes, timeout=timeout)
        cluster.wait_for_http(timeout=timeout)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status", "build"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--heap", default="384m")
    args = parser.parse_args(argv)
    try:
        if args.action == "build":
            build()
        elif args.action == "start":
            cluster = start(args.dir, args.nodes, args.heap)
            print(cluster.url)
        elif args.action == "stop":
            cluster = Cluster.load(args.dir)
            if cluster is not None:
                cluster.stop()
        else:
            cluster = Cluster.load(args.dir)
            if cluster is None:
                print("not running")
                return 1
            print(cluster.url, json.dumps(cluster.health()))
    except ClusterError as e:
        print(f"fel: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
