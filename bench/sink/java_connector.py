"""The Apache Pulsar Java Kinesis connector (pulsar-io-kinesis NAR from Maven Central, the user's alternative) for the
sink benchmark, run as a Pulsar Functions worker runs a sink: org.apache.pulsar.functions.LocalRunner (THREAD
runtime: the sink, the Pulsar client and the function instance in one JVM) from the broker's classpath. The KPL it
bundles starts its native `kinesis_producer` as a child of the JVM; that child always speaks HTTPS and asks STS for
the caller's account (GetCallerIdentity) before it builds the stream's ARN, so the benchmark gives it a moto server
of its own behind TLS (the test certificate), answering for kinesis-mock's account; that server's Kinesis is the
second endpoint both sinks can use."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

from proc_usage import env

# kinesis-mock's account (scripts/services/kinesis starts it with AWS_ACCOUNT_ID=000000000000): the KPL builds the
# stream ARN from the account STS returns, and kinesis-mock rejects an ARN of another account.
KINESIS_MOCK_ACCOUNT = "000000000000"
# The heap a Pulsar Functions worker gives a function process by default (its `ram` resource, 1 GiB).
JAVA_HEAP = "-Xmx1g"
# What the connector needs on Java 17 (Pulsar's own launcher passes the same).
JAVA_FLAGS = ["--add-opens", "java.base/java.util=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
              "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
              "-Dio.netty.tryReflectionSetAccessible=true", "-Djava.net.preferIPv4Stack=true"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TlsMoto:
    """moto's server behind TLS (the test server certificate of scripts/services/fixtures), one request at a time
    (scripts/services/moto_atomic.py), signatures not checked: the KPL's STS (GetCallerIdentity answers with
    kinesis-mock's account) and a Kinesis that speaks TLS. Owned by the benchmark run; stop() ends it."""

    def __init__(self, workdir, root):
        fixtures = os.path.dirname(env("PK_TLS_CA_FILE"))
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.log = open(os.path.join(workdir, "moto-tls.log"), "w")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(root, "scripts/services/moto_atomic.py"), "-H", "127.0.0.1", "-p",
             str(self.port), "-c", f"{fixtures}/server.cert.pem", "-k", f"{fixtures}/server.key.pem"],
            stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, MOTO_ACCOUNT_ID=KINESIS_MOCK_ACCOUNT))
        deadline = time.time() + 60
        while not self._ready():
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"moto behind TLS did not start; see {self.log.name}")
            time.sleep(0.2)

    def _ready(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class JavaSink:
    """One LocalRunner JVM running the Java connector with the given `configs` (the same map our daemon gets), in its
    own session so that stop() ends the JVM and its kinesis_producer together."""

    def __init__(self, name, topic, configs, log_path, tmpdir):
        sink = {"tenant": "public", "namespace": "default", "name": name, "archive": env("PK_KINESIS_CONNECTOR_NAR"),
                "inputs": [topic], "sourceSubscriptionPosition": "Earliest", "configs": configs}
        with open(env("PK_PULSAR_CLASSPATH_FILE")) as f:
            classpath = f.read().strip()
        # The KPL unpacks its native binary into java.io.tmpdir (once; it reuses a file of the same hash).
        os.makedirs(tmpdir, exist_ok=True)
        # PK_BENCH_JAVA_OPTS: more JVM flags for a look inside (e.g. -Xlog:gc:file=gc.log), after ours.
        extra = os.environ.get("PK_BENCH_JAVA_OPTS", "").split()
        main = ["org.apache.pulsar.functions.LocalRunner", "--sinkConfig", json.dumps(sink), "--brokerServiceUrl",
                env("PK_PULSAR_URL"), "--webServiceUrl", env("PK_PULSAR_ADMIN_URL"), "--metricsPortStart", "0"]
        command = ["java", JAVA_HEAP] + JAVA_FLAGS + extra + [f"-Djava.io.tmpdir={tmpdir}", "-cp", classpath] + main
        self.log = open(log_path, "w")
        # No EC2 instance metadata lookups by the KPL's AWS SDK: there is no instance here.
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                        env=dict(os.environ, AWS_EC2_METADATA_DISABLED="true"))
        self.pid = self.process.pid

    def poll(self):
        return self.process.poll()

    def stop(self):
        """SIGTERM to the session (LocalRunner closes the sink, the KPL flushes), SIGKILL after 60 s."""
        try:
            os.killpg(self.pid, signal.SIGTERM)
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        self.log.close()

