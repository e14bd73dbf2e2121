"""What the source benchmarks (run_bench.py: throughput, latency.py: latency) share: where the release build's
binaries are, starting the fake Kinesis endpoint and the daemon, the daemon's configuration, and how many messages
a Pulsar topic has taken in."""
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench_paths import BUILD, DAEMON, FAKE  # noqa: E402
from proc_usage import env  # noqa: E402

SHARDS = 4
READERS = {"polling": False, "efo": True}  # reader name -> useEnhancedFanOut


def topic_messages(topic):
    url = env("PK_PULSAR_ADMIN_URL") + "/admin/v2/persistent/" + topic.split("://", 1)[1] + "/stats"
    try:
        with urllib.request.urlopen(url) as response:
            return json.load(response).get("msgInCounter", 0)
    except urllib.error.HTTPError:
        return 0  # not created yet


def source_config(path, topic, endpoint, application, reader, stream="bench", extra=None):
    """Writes the daemon's YAML: `reader` is "polling" or "efo"; leases go to moto's DynamoDB."""
    configs = {"awsEndpoint": endpoint, "awsRegion": "us-east-1", "awsKinesisStreamName": stream,
               "dynamoEndpoint": env("PK_MOTO_ENDPOINT"), "applicationName": application,
               "awsCredentialPluginParam": json.dumps({"accessKey": env("PK_MOTO_ACCESS_KEY_ID"),
                                                        "secretKey": env("PK_MOTO_SECRET_ACCESS_KEY")}),
               "initialPositionInStream": "TRIM_HORIZON", "useEnhancedFanOut": READERS[reader]}
    configs.update(extra or {})
    lines = ["tenant: public", "namespace: default", "name: bench", f"topicName: {topic}",
             "pulsar:", f"  serviceUrl: {env('PK_PULSAR_URL')}", "admin:", "  enabled: false", "configs:"]
    lines += [f"  {k}: {json.dumps(v)}" for k, v in configs.items()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def start_fake(*args):
    """Starts fake_kinesis_endpoint with SHARDS shards and `args`; returns the process and its URL."""
    fake = subprocess.Popen([FAKE, "--port", "0", "--shards", str(SHARDS), *map(str, args)], stdout=subprocess.PIPE,
                            text=True)
    return fake, fake.stdout.readline().split()[-1]


def start_daemon(config, log_path):
    log = open(log_path, "w")
    return subprocess.Popen([DAEMON, "source", "--log-level", "warn", "--config", config], stdout=log,
                            stderr=subprocess.STDOUT)


def stop(process, seconds=60):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    process.wait(seconds)
