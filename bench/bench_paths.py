"""Where the end-to-end benchmarks (bench/sink, bench/source) find the release build's binaries: PK_BENCH_BUILD is
set by scripts/bench-sink and scripts/bench-source, which build them."""
import os

BUILD = os.environ["PK_BENCH_BUILD"]
DAEMON = f"{BUILD}/src/app/pulsar-kinesis"
FAKE = f"{BUILD}/bench/fake_kinesis/fake_kinesis_endpoint"
