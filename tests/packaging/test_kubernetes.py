"""deploy/kubernetes: the manifests agree with each other, the image and the daemon (scripts/checks/packaging runs
kubeconform on them too); each rule of the check finds the mistake it is for."""
import shutil

import packaging_checks as checks
import pytest
from conftest import ROOT

DOCKERFILE = (ROOT / "deploy/docker/Dockerfile").read_text()


@pytest.fixture
def manifests(tmp_path):
    shutil.copytree(ROOT / "deploy/kubernetes", tmp_path / "k8s")
    return tmp_path / "k8s"


def problems_after(directory, file, old, new):
    path = directory / file
    text = path.read_text()
    assert old in text, f"{file}: {old!r}"
    path.write_text(text.replace(old, new, 1))
    return checks.check_kubernetes(directory, DOCKERFILE)


def test_manifests_agree():
    assert checks.check_kubernetes(ROOT / "deploy/kubernetes", DOCKERFILE) == []


def test_grace_period_shorter_than_the_drain(manifests):
    assert problems_after(manifests, "deployment-sink.yaml", "terminationGracePeriodSeconds: 45",
                          "terminationGracePeriodSeconds: 30") == [
        "deployment-sink.yaml: Deployment pulsar-kinesis-sink: terminationGracePeriodSeconds 30 does not cover the"
        " drain (30 s) plus 5 s"]


def test_config_variable_not_in_env(manifests):
    assert problems_after(manifests, "configmap.yaml", "token:${PULSAR_AUTH_TOKEN}\n    admin:",
                          "token:${PULSAR_TOKEN}\n    admin:") == [
        "deployment-source.yaml: Deployment pulsar-kinesis-source: /etc/pulsar-kinesis/source.yaml uses"
        " ${PULSAR_TOKEN}, which the container's env does not set"]


def test_secret_key_missing(manifests):
    assert problems_after(manifests, "secret.yaml", "PULSAR_AUTH_TOKEN: replace-me", "TOKEN: replace-me") == [
        "deployment-sink.yaml: Deployment pulsar-kinesis-sink: env PULSAR_AUTH_TOKEN refers to the missing key"
        " PULSAR_AUTH_TOKEN of Secret pulsar-kinesis-credentials",
        "deployment-source.yaml: Deployment pulsar-kinesis-source: env PULSAR_AUTH_TOKEN refers to the missing key"
        " PULSAR_AUTH_TOKEN of Secret pulsar-kinesis-credentials"]


def test_admin_endpoint_on_loopback(manifests):
    assert problems_after(manifests, "configmap.yaml", "address: 0.0.0.0:9100", "address: 127.0.0.1:9100") == [
        "deployment-sink.yaml: Deployment pulsar-kinesis-sink: /etc/pulsar-kinesis/sink.yaml must set admin.address"
        " 0.0.0.0:9100 (probes come from outside the pod), has 127.0.0.1:9100"]


def test_probe_paths(manifests):
    assert problems_after(manifests, "deployment-source.yaml", "path: /readyz", "path: /healthz") == [
        "deployment-source.yaml: Deployment pulsar-kinesis-source: readinessProbe must GET /readyz on the admin port"]


def test_run_as_another_user_than_the_image(manifests):
    assert problems_after(manifests, "deployment-sink.yaml", "runAsUser: 10001", "runAsUser: 1000") == [
        "deployment-sink.yaml: Deployment pulsar-kinesis-sink: runAsUser 1000 is not the image's user 10001"]


def test_config_file_not_in_the_config_map(manifests):
    assert problems_after(manifests, "deployment-sink.yaml", '"/etc/pulsar-kinesis/sink.yaml"]',
                          '"/etc/pulsar-kinesis/sinks.yaml"]') == [
        "deployment-sink.yaml: Deployment pulsar-kinesis-sink: --config /etc/pulsar-kinesis/sinks.yaml: ConfigMap"
        " pulsar-kinesis-config has no key sinks.yaml"]
    assert problems_after(manifests, "deployment-sink.yaml", "mountPath: /etc/pulsar-kinesis",
                          "mountPath: /config") == [
        "deployment-sink.yaml: Deployment pulsar-kinesis-sink: --config /etc/pulsar-kinesis/sinks.yaml is not in a"
        " mounted ConfigMap"]


def test_service_and_monitor_selectors(manifests):
    assert problems_after(manifests, "service.yaml", "targetPort: admin", "targetPort: metrics") == [
        "service.yaml: Service pulsar-kinesis-metrics: port admin does not target the admin port"]
    assert problems_after(manifests, "servicemonitor.yaml", "- port: admin", "- port: http") == [
        "service.yaml: Service pulsar-kinesis-metrics: port admin does not target the admin port",
        "servicemonitor.yaml: ServiceMonitor pulsar-kinesis: endpoint must scrape /metrics on a port of the Service"
        " (['admin'])"]


def test_kustomization_lists_every_manifest(manifests):
    assert problems_after(manifests, "kustomization.yaml", "  - service.yaml\n", "") == [
        "kustomization.yaml: resources does not list service.yaml"]
