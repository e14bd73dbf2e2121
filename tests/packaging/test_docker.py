"""deploy/docker/Dockerfile: the runtime stage installs exactly the Debian packages of the shared libraries the
daemon loads (ldd of the real binary), its HEALTHCHECK command answers as Docker expects, and the project's
Dockerfile rules find what they are meant to find."""
import http.server
import json
import socket
import subprocess
import threading

import packaging_checks as checks
from conftest import ROOT, env_path, run

DOCKERFILE = (ROOT / "deploy/docker/Dockerfile").read_text()
SETUP = (ROOT / "scripts/setup").read_text()
# Runtime packages that are no shared library of the binary: the CA certificates TLS verifies against.
DATA_PACKAGES = {"ca-certificates"}
# The sanitizer runtimes of the asan / tsan builds (scripts/test runs this test on those): not in a release build.
SANITIZER_PACKAGES = {"libasan8", "libubsan1", "libtsan2"}


def shared_libraries(binary):
    """{soname: path} of what the dynamic loader loads for `binary`."""
    libraries = {}
    for line in run("ldd", binary).stdout.splitlines():
        parts = line.split()
        if "=>" in parts and parts[parts.index("=>") + 1] != "not":
            libraries[parts[0]] = parts[parts.index("=>") + 1]
        elif parts and parts[0].startswith("/"):  # the loader itself
            libraries[parts[0].rsplit("/", 1)[1]] = parts[0]
    return libraries


def package_of(path):
    """The Debian package that ships `path` (with merged /usr, dpkg may know it as /lib/... or /usr/lib/...)."""
    candidates = [path]
    if path.startswith("/usr/"):
        candidates.append(path[4:])
    else:
        candidates.append("/usr" + path)
    for candidate in candidates:
        result = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    raise AssertionError(f"no Debian package ships {path}")


def test_runtime_packages_are_those_of_the_loaded_libraries():
    libraries = shared_libraries(env_path("PK_DAEMON"))
    assert "libssl.so.3" in libraries and "libc.so.6" in libraries, libraries
    needed = {package_of(path) for path in libraries.values()} - SANITIZER_PACKAGES
    declared = set(checks.runtime_packages(DOCKERFILE)) - DATA_PACKAGES
    assert sorted(needed - declared) == [], "the runtime stage lacks these (ldd of the daemon needs them)"
    assert sorted(declared - needed) == [], "the runtime stage installs these, which the daemon does not load"


def test_the_shared_library_parser_reads_ldd():
    libraries = shared_libraries("/bin/ls")
    assert package_of(libraries["libc.so.6"]) == "libc6"
    assert package_of(libraries["libselinux.so.1"]) == "libselinux1"


class Answer(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):
        self.send_response(200 if self.path == "/healthz" and Answer.status == 200 else 503)
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, *args):
        pass


def healthcheck(port):
    """The image's HEALTHCHECK command, run here against 127.0.0.1:<port> instead of 9100."""
    command = [part.replace("/9100", f"/{port}") for part in checks.healthcheck_command(DOCKERFILE)]
    assert command[:2] == ["bash", "-c"]
    return subprocess.run(command, capture_output=True, text=True, timeout=10).returncode


def test_healthcheck_command():
    server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        Answer.status = 200
        assert healthcheck(port) == 0
        Answer.status = 503
        assert healthcheck(port) != 0
    finally:
        server.shutdown()
        server.server_close()
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    assert healthcheck(closed) != 0


def test_dockerfile_follows_the_rules():
    assert checks.check_dockerfile(DOCKERFILE, SETUP) == []


def test_dockerfile_rules_find_mistakes():
    def problems(old, new, setup=SETUP):
        assert old in DOCKERFILE, old
        return checks.check_dockerfile(DOCKERFILE.replace(old, new), setup)

    assert problems("libsnappy-dev", "") == [
        "build stage: scripts/setup installs libsnappy-dev (a build dependency) but the image does not"]
    assert checks.check_dockerfile(DOCKERFILE, SETUP.replace("libcli11-dev", "libcli11-dev libnew-dev")) == [
        "build stage: scripts/setup installs libnew-dev (a build dependency) but the image does not"]
    assert problems("--target pulsar-kinesis", "") == [
        "build stage: no `--target pulsar-kinesis` (build the release daemon only)"]
    assert problems("USER 10001:10001", "USER root") == [
        "runtime stage: USER root must be a numeric non-root uid (runAsNonRoot checks it)"]
    assert problems("EXPOSE 9100", "EXPOSE 8080") == ["runtime stage: no EXPOSE 9100 (the admin endpoint)"]
    assert problems("/healthz", "/") == ["runtime stage: no HEALTHCHECK of /healthz on port 9100"]
    assert problems("FROM debian:bookworm-slim", "FROM debian:bookworm") == [
        "the runtime stage must start from debian:bookworm-slim, not debian:bookworm"]
    assert problems("      ca-certificates \\\n      lib", "      ca-certificates libssl-dev \\\n      lib") == [
        "runtime stage installs the build tool / headers libssl-dev"]


def test_healthcheck_and_cmd_parse():
    assert checks.healthcheck_command(DOCKERFILE)[-1].count("/healthz") == 1
    runtime = checks.dockerfile_stages(DOCKERFILE)[-1]
    cmd = json.loads([a for k, a in runtime["instructions"] if k == "CMD"][-1])
    assert cmd == ["run", "--drain-timeout-ms", "30000", "--config", "/etc/pulsar-kinesis/run.yaml"]
