"""The Grafana dashboard and the alert rules against the metric table itself (pk-metrics-docs prints it): every
metric and label they use exists, every metric has a panel; and the check finds what it is for."""
import copy
import json
import subprocess

import packaging_checks as checks
import yaml
from conftest import ROOT, env_path

DASHBOARD = json.loads((ROOT / "deploy/grafana/pulsar-kinesis.json").read_text())
RULES = yaml.safe_load((ROOT / "deploy/prometheus/pulsar-kinesis-alerts.yaml").read_text())


def table():
    output = subprocess.run([env_path("PK_METRICS_DOCS")], capture_output=True, text=True, check=True).stdout
    return checks.metric_table(output)


def test_table_is_read_whole():
    t = table()
    assert len(t) == 27
    assert t["pulsar_kinesis_sink_put_records_duration_seconds"] == ("histogram", {"pipeline"})
    assert t["pulsar_kinesis_source_behind_latest_seconds"] == ("gauge", {"pipeline", "shard"})
    assert t["pulsar_kinesis_build_info"] == ("gauge", {"version"})


def test_dashboard_uses_the_table():
    assert checks.check_dashboard(DASHBOARD, table()) == []


def test_alerts_use_the_table():
    assert checks.check_alerts(RULES, table()) == []
    assert len(checks.alert_expressions(RULES)) == 9


def with_expr(old, new):
    dashboard = copy.deepcopy(DASHBOARD)
    found = []

    def walk(panels):
        for p in panels:
            for t in p.get("targets", []):
                if old in t.get("expr", ""):
                    t["expr"] = t["expr"].replace(old, new)
                    found.append(p["title"])
            walk(p.get("panels", []))

    walk(dashboard["panels"])
    assert found, old
    return dashboard


def test_unknown_metric_and_label():
    t = table()
    problems = checks.check_dashboard(with_expr("pulsar_kinesis_source_leases_held", "pulsar_kinesis_leases_held"), t)
    assert problems == [
        "panel Leases held: pulsar_kinesis_leases_held is not in the metric table (docs/metrics.md)",
        "panel Leases held: label pipeline is not a label of its metrics",
        "the dashboard shows no panel of pulsar_kinesis_source_leases_held: add one"
        " (deploy/grafana/pulsar-kinesis.json)"]
    problems = checks.check_dashboard(with_expr("sum by (pipeline, reason) (rate(pulsar_kinesis_sink_failures",
                                                "sum by (pipeline, shard) (rate(pulsar_kinesis_sink_failures"), t)
    assert problems == ["panel Failures by reason: label shard is not a label of"
                        " ['pulsar_kinesis_sink_failures_total']"]


def test_histogram_series_and_pipeline_filter():
    t = table()
    # _bucket only exists for histograms
    problems = checks.check_dashboard(with_expr("pulsar_kinesis_sink_in_flight_bytes{",
                                                "pulsar_kinesis_sink_in_flight_bytes_bucket{"), t)
    assert problems[0] == ("panel In flight: pulsar_kinesis_sink_in_flight_bytes_bucket is not in the metric table"
                           " (docs/metrics.md)")
    problems = checks.check_dashboard(with_expr('pulsar_kinesis_source_in_flight_messages{pipeline=~"$pipeline"}',
                                                "pulsar_kinesis_source_in_flight_messages"), t)
    assert problems == ["panel In flight: `sum by (pipeline) (pulsar_kinesis_source_in_flight_messages)` does not"
                        " filter by the pipeline variable"]


def test_alert_on_unknown_metric():
    rules = copy.deepcopy(RULES)
    rules["groups"][0]["rules"][0]["expr"] = "pulsar_kinesis_pipeline_running == 0"
    assert checks.check_alerts(rules, table()) == [
        "alert PulsarKinesisPipelineDown: pulsar_kinesis_pipeline_running is not in the metric table (docs/metrics.md)"]


def test_promtool_rule_file_holds_every_query(tmp_path):
    rule_file = checks.promtool_rule_file(DASHBOARD)
    exprs = [r["expr"] for r in rule_file["groups"][0]["rules"]]
    assert len(exprs) == len(checks.dashboard_expressions(DASHBOARD)) - 1  # the pipeline variable is Grafana's
    assert not any("$" in e for e in exprs)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rule_file))
    assert subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True).returncode == 0
    rule_file["groups"][0]["rules"][0]["expr"] += " by"
    path.write_text(yaml.safe_dump(rule_file))
    assert subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True).returncode == 1
