"""The project's own checks of deploy/: what the linters (hadolint, yamllint, kubeconform, systemd-analyze, promtool)
cannot know, because it is about how our files fit each other and the code:

  dockerfile  the image builds the release daemon with the build dependencies scripts/setup installs, runs it as a
              non-root user, checks /healthz and exposes the admin port
  kubernetes  the manifests agree with each other, with the image and with the daemon (labels and selectors, ports,
              probes, drain vs grace period, every ${VAR} of a mounted config set from the Secret, security context)
  metrics     the Grafana dashboard and the alert rules use only metrics (and labels) of the metric table, and the
              dashboard shows every metric; writes the PromQL of both as a rule file for `promtool check rules`
  systemd     the unit's stop timeout covers the drain deadline it passes

Each prints one line per problem and exits 1 if there is any. scripts/checks/packaging runs them; tests/packaging
imports the parsers (runtime libraries, metric table). Only the standard library and PyYAML.
"""

import argparse
import json
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PORT = 9100

# ---- Dockerfile -------------------------------------------------------------------------------------------------


def dockerfile_instructions(text):
    """[(keyword, arguments)] with continuation lines joined and comments dropped."""
    out, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = pending + stripped
        pending = ""
        keyword, _, args = full.partition(" ")
        out.append((keyword.upper(), args.strip()))
    return out


def dockerfile_stages(text):
    """[{"from": image, "name": name or None, "instructions": [...]}] in order."""
    stages = []
    for keyword, args in dockerfile_instructions(text):
        if keyword == "FROM":
            words = args.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append({"from": words[0], "name": name, "instructions": []})
        elif stages:
            stages[-1]["instructions"].append((keyword, args))
    return stages


def apt_installed(stage):
    """Packages of the `apt-get install` commands of a stage's RUN instructions."""
    packages = []
    for keyword, args in stage["instructions"]:
        if keyword != "RUN":
            continue
        for command in re.split(r"&&|;|\|\|", args):
            words = command.split()
            while words and "=" in words[0]:  # VAR=value prefixes
                words.pop(0)
            if words[:2] == ["apt-get", "install"]:
                packages += [w for w in words[2:] if not w.startswith("-")]
    return packages


def setup_apt_packages(setup_text):
    """The APT_PACKAGES array of scripts/setup (comments removed)."""
    match = re.search(r"^APT_PACKAGES=\((.*?)^\)", setup_text, re.S | re.M)
    if not match:
        raise ValueError("scripts/setup has no APT_PACKAGES=( ... ) array")
    words = []
    for line in match.group(1).splitlines():
        words += line.split("#", 1)[0].split()
    return words


# What scripts/setup installs only for tests, benchmarks, fuzzing, linting or the test servers: not for a build of the
# daemon. Everything else it installs is a build dependency and belongs in the image's build stage.
NOT_BUILD_DEPENDENCIES = {
    "git", "curl", "ccache", "libgtest-dev", "libgmock-dev", "libbenchmark-dev", "clang", "clang-format",
    "libclang-rt-14-dev", "prometheus", "chromium", "openjdk-17-jre-headless", "maven", "nodejs", "npm",
    "python3-venv",
}


def check_dockerfile(dockerfile_text, setup_text):
    problems = []
    stages = dockerfile_stages(dockerfile_text)
    if len(stages) != 2:
        return [f"expected two stages (build, runtime), found {len(stages)}"]
    build, runtime = stages
    if not build["from"].startswith("debian:bookworm") or build["name"] != "build":
        problems.append(f"the first stage must be `FROM debian:bookworm AS build`, is {build['from']} AS"
                        f" {build['name']}")
    if runtime["from"] != "debian:bookworm-slim":
        problems.append(f"the runtime stage must start from debian:bookworm-slim, not {runtime['from']}")

    wanted = [p for p in setup_apt_packages(setup_text) if p not in NOT_BUILD_DEPENDENCIES]
    installed = apt_installed(build)
    for p in wanted:
        if p not in installed:
            problems.append(f"build stage: scripts/setup installs {p} (a build dependency) but the image does not")
    for p in installed:
        if p not in wanted:
            problems.append(f"build stage installs {p}, which scripts/setup does not (or lists as test-only)")
    build_runs = " ".join(a for k, a in build["instructions"] if k == "RUN")
    for needle in ("cmake --preset release", "--target pulsar-kinesis", "-DPK_BUILD_TESTS=OFF"):
        if needle not in build_runs:
            problems.append(f"build stage: no `{needle}` (build the release daemon only)")

    instr = runtime["instructions"]
    for p in apt_installed(runtime):
        if p.endswith("-dev") or p in ("g++", "cmake", "gcc"):
            problems.append(f"runtime stage installs the build tool / headers {p}")
    users = [a for k, a in instr if k == "USER"]
    if not users:
        problems.append("runtime stage: no USER (the daemon would run as root)")
    else:
        uid = users[-1].split(":")[0]
        if not uid.isdigit() or uid == "0":
            problems.append(f"runtime stage: USER {users[-1]} must be a numeric non-root uid (runAsNonRoot checks it)")
    if f"{ADMIN_PORT}" not in [a.split("/")[0] for k, a in instr if k == "EXPOSE"]:
        problems.append(f"runtime stage: no EXPOSE {ADMIN_PORT} (the admin endpoint)")
    health = [a for k, a in instr if k == "HEALTHCHECK"]
    if not health or "/healthz" not in health[-1] or f"/{ADMIN_PORT}" not in health[-1]:
        problems.append(f"runtime stage: no HEALTHCHECK of /healthz on port {ADMIN_PORT}")
    entry = [a for k, a in instr if k == "ENTRYPOINT"]
    if not entry or json.loads(entry[-1])[0] != "/usr/local/bin/pulsar-kinesis":
        problems.append("runtime stage: ENTRYPOINT must be [\"/usr/local/bin/pulsar-kinesis\"] (exec form)")
    stop = [a for k, a in instr if k == "STOPSIGNAL"]
    if stop != ["SIGTERM"]:
        problems.append("runtime stage: STOPSIGNAL SIGTERM (the drain) is missing")
    if not any(k == "COPY" and a.startswith("--from=build ") and "bin/pulsar-kinesis" in a for k, a in instr):
        problems.append("runtime stage: the binary is not copied from the build stage")
    return problems


def healthcheck_command(dockerfile_text):
    """The exec-form command of the runtime stage's HEALTHCHECK."""
    runtime = dockerfile_stages(dockerfile_text)[-1]
    args = [a for k, a in runtime["instructions"] if k == "HEALTHCHECK"][-1]
    return json.loads(args[args.index("CMD") + 3:].strip())


def dockerfile_user_id(dockerfile_text):
    runtime = dockerfile_stages(dockerfile_text)[-1]
    return int([a for k, a in runtime["instructions"] if k == "USER"][-1].split(":")[0])


def runtime_packages(dockerfile_text):
    return apt_installed(dockerfile_stages(dockerfile_text)[-1])


# ---- Kubernetes -------------------------------------------------------------------------------------------------

ENV_REFERENCE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def load_manifests(directory):
    import yaml

    objects = []
    for path in sorted(Path(directory).glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                objects.append((path.name, doc))
    return objects


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def drain_timeout_seconds(args):
    """The --drain-timeout-ms of an argument list in seconds (30, the daemon's default, when absent)."""
    for i, a in enumerate(args):
        if a == "--drain-timeout-ms" and i + 1 < len(args):
            return int(args[i + 1]) / 1000
        if a.startswith("--drain-timeout-ms="):
            return int(a.split("=", 1)[1]) / 1000
    return 30.0


def check_kubernetes(directory, dockerfile_text):
    import yaml

    problems = []
    objects = load_manifests(directory)
    by_kind = {}
    for name, obj in objects:
        by_kind.setdefault(obj.get("kind"), []).append((name, obj))
    config_maps = {o["metadata"]["name"]: o for _, o in by_kind.get("ConfigMap", [])}
    secrets = {o["metadata"]["name"]: o for _, o in by_kind.get("Secret", [])}
    deployments = by_kind.get("Deployment", [])
    if not deployments:
        problems.append("no Deployment")
    image_uid = dockerfile_user_id(dockerfile_text)
    pod_labels = []

    for file, dep in deployments:
        where = f"{file}: Deployment {dep['metadata']['name']}"
        spec = dep["spec"]
        pod = spec["template"]["spec"]
        labels = spec["template"]["metadata"].get("labels", {})
        pod_labels.append(labels)
        if not matches(spec["selector"]["matchLabels"], labels):
            problems.append(f"{where}: selector does not match the pod labels")
        pod_security = pod.get("securityContext", {})
        if pod_security.get("runAsNonRoot") is not True:
            problems.append(f"{where}: securityContext.runAsNonRoot is not true")
        if pod_security.get("runAsUser") != image_uid:
            problems.append(f"{where}: runAsUser {pod_security.get('runAsUser')} is not the image's user {image_uid}")
        if pod.get("automountServiceAccountToken") is not False:
            problems.append(f"{where}: automountServiceAccountToken should be false (the daemon does not use the API)")
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        containers = pod["containers"]
        if len(containers) != 1:
            problems.append(f"{where}: expected one container, found {len(containers)}")
            continue
        c = containers[0]
        args = c.get("args", [])
        grace = pod.get("terminationGracePeriodSeconds", 30)
        drain = drain_timeout_seconds(args)
        if grace < drain + 5:
            problems.append(f"{where}: terminationGracePeriodSeconds {grace} does not cover the drain ({drain:g} s)"
                            " plus 5 s")
        ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
        if ports.get("admin") != ADMIN_PORT:
            problems.append(f"{where}: no container port named admin = {ADMIN_PORT}")
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz")):
            get = c.get(probe, {}).get("httpGet", {})
            if get.get("path") != path or get.get("port") not in ("admin", ADMIN_PORT):
                problems.append(f"{where}: {probe} must GET {path} on the admin port")
        resources = c.get("resources", {})
        for part in ("requests", "limits"):
            for what in ("cpu", "memory"):
                if what not in resources.get(part, {}):
                    problems.append(f"{where}: resources.{part}.{what} is not set")
        security = c.get("securityContext", {})
        if security.get("allowPrivilegeEscalation") is not False or security.get("readOnlyRootFilesystem") is not True \
                or security.get("capabilities", {}).get("drop") != ["ALL"]:
            problems.append(f"{where}: container securityContext must forbid privilege escalation, make the root"
                            " file system read-only and drop ALL capabilities")
        env = {}
        for e in c.get("env", []):
            env[e["name"]] = e
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                secret = secrets.get(ref["name"])
                if secret is None:
                    problems.append(f"{where}: env {e['name']} refers to the missing Secret {ref['name']}")
                elif ref["key"] not in {**secret.get("data", {}), **secret.get("stringData", {})}:
                    problems.append(f"{where}: env {e['name']} refers to the missing key {ref['key']} of Secret"
                                    f" {ref['name']}")
        # The config file: --config <mount>/<key> of a mounted ConfigMap.
        config = args[args.index("--config") + 1] if "--config" in args else None
        if config is None:
            problems.append(f"{where}: no --config in args")
            continue
        text = None
        mounts = [m for m in c.get("volumeMounts", []) if config.startswith(m["mountPath"].rstrip("/") + "/")]
        if not mounts:
            problems.append(f"{where}: --config {config} is not in a mounted ConfigMap")
            continue
        key = config[len(mounts[0]["mountPath"].rstrip("/")) + 1:]
        cm_name = volumes.get(mounts[0]["name"], {}).get("configMap", {}).get("name")
        text = config_maps.get(cm_name, {}).get("data", {}).get(key)
        if text is None:
            problems.append(f"{where}: --config {config}: ConfigMap {cm_name} has no key {key}")
            continue
        for name in sorted(set(ENV_REFERENCE.findall(text))):
            if name not in env:
                problems.append(f"{where}: {config} uses ${{{name}}}, which the container's env does not set")
        admin = (yaml.safe_load(text) or {}).get("admin", {}).get("address", "127.0.0.1:9100")
        if admin != f"0.0.0.0:{ADMIN_PORT}":
            problems.append(f"{where}: {config} must set admin.address 0.0.0.0:{ADMIN_PORT} (probes come from outside"
                            f" the pod), has {admin}")

    services = by_kind.get("Service", [])
    for file, svc in services:
        where = f"{file}: Service {svc['metadata']['name']}"
        selector = svc["spec"].get("selector", {})
        if not any(matches(selector, labels) for labels in pod_labels):
            problems.append(f"{where}: its selector matches no Deployment's pods")
        for port in svc["spec"]["ports"]:
            if port.get("targetPort") not in ("admin", ADMIN_PORT):
                problems.append(f"{where}: port {port.get('name')} does not target the admin port")
    for file, sm in by_kind.get("ServiceMonitor", []):
        where = f"{file}: ServiceMonitor {sm['metadata']['name']}"
        selected = [s for _, s in services if matches(sm["spec"]["selector"]["matchLabels"], s["metadata"]["labels"])]
        if not selected:
            problems.append(f"{where}: its selector matches no Service")
        for endpoint in sm["spec"]["endpoints"]:
            names = {p.get("name") for s in selected for p in s["spec"]["ports"]}
            if endpoint.get("port") not in names or endpoint.get("path", "/metrics") != "/metrics":
                problems.append(f"{where}: endpoint must scrape /metrics on a port of the Service ({sorted(names)})")
    for file, kz in by_kind.get("Kustomization", []):
        listed = set(kz.get("resources", []))
        files = {name for name, obj in objects if obj.get("kind") not in ("Kustomization", "ServiceMonitor")}
        for missing in sorted(files - listed):
            problems.append(f"{file}: resources does not list {missing}")
        for extra in sorted(listed - {p.name for p in Path(directory).glob('*.yaml')}):
            problems.append(f"{file}: resources lists {extra}, which does not exist")
    return problems


# ---- Metrics: dashboard and alert rules ------------------------------------------------------------------------

METRIC_ROW = re.compile(r"^\| `(pulsar_kinesis_[a-z0-9_]+)` \| (counter|gauge|histogram) \| ([^|]*) \|", re.M)
METRIC_NAME = re.compile(r"\bpulsar_kinesis_[a-z0-9_]+\b")
# Labels Prometheus adds to every scraped series.
TARGET_LABELS = {"instance", "job"}


def metric_table(markdown):
    """{name: (type, {labels})} from docs/metrics.md (or pk-metrics-docs' output, which it is)."""
    table = {}
    for name, kind, labels in METRIC_ROW.findall(markdown):
        table[name] = (kind, set(re.findall(r"`([a-z_]+)`", labels)))
    if not table:
        raise ValueError("no metric rows found in the metrics reference")
    return table


def base_metric(name, table):
    """The table's metric a series name belongs to (histograms: _bucket, _sum, _count), or None."""
    if name in table:
        return name
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and table.get(name[: -len(suffix)], ("",))[0] == "histogram":
            return name[: -len(suffix)]
    return None


def labels_used(expr):
    """Label names an expression groups by or matches on."""
    used = set()
    for group in re.findall(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", expr):
        used |= {w.strip() for w in group.split(",") if w.strip()}
    for matchers in re.findall(r"\{([^}]*)\}", expr):
        used |= set(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", matchers))
    return used


def check_expression(expr, table, where):
    problems, used = [], set()
    allowed = set(TARGET_LABELS)
    for name in METRIC_NAME.findall(expr):
        base = base_metric(name, table)
        if base is None:
            problems.append(f"{where}: {name} is not in the metric table (docs/metrics.md)")
            continue
        used.add(base)
        allowed |= table[base][1]
        if name.endswith("_bucket"):
            allowed.add("le")
    for label in sorted(labels_used(expr) - allowed):
        problems.append(f"{where}: label {label} is not a label of {sorted(used) or 'its metrics'}")
    return problems, used


def dashboard_expressions(dashboard):
    """[(panel title, expr)] of every panel, rows included."""
    out = []

    def walk(panels):
        for p in panels:
            for t in p.get("targets", []):
                if t.get("expr"):
                    out.append((p.get("title", "?"), t["expr"]))
            walk(p.get("panels", []))

    walk(dashboard.get("panels", []))
    for var in dashboard.get("templating", {}).get("list", []):
        query = var.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if var.get("type") == "query" and query:
            out.append((f"variable {var['name']}", query))
    return out


def check_dashboard(dashboard, table):
    problems, used = [], set()
    ids = []
    cells = {}

    def walk(panels):
        for p in panels:
            ids.append(p.get("id"))
            g = p["gridPos"]
            if g["x"] + g["w"] > 24:
                problems.append(f"panel {p.get('title')}: wider than the 24 grid columns")
            for x in range(g["x"], g["x"] + g["w"]):
                for y in range(g["y"], g["y"] + g["h"]):
                    if (x, y) in cells:
                        problems.append(f"panel {p.get('title')} overlaps {cells[(x, y)]}")
                        return
                    cells[(x, y)] = p.get("title")
            if p.get("type") != "row":
                if p.get("datasource", {}).get("uid") != "${datasource}":
                    problems.append(f"panel {p.get('title')}: datasource is not the ${{datasource}} variable")
                if not p.get("targets"):
                    problems.append(f"panel {p.get('title')}: no query")
            walk(p.get("panels", []))

    walk(dashboard.get("panels", []))
    if len(ids) != len(set(ids)):
        problems.append("panel ids are not unique")
    for title, expr in dashboard_expressions(dashboard):
        found, metrics = check_expression(expr, table, f"panel {title}")
        problems += found
        used |= metrics
        has_pipeline_label = any("pipeline" in table[m][1] for m in metrics)
        if not title.startswith("variable") and has_pipeline_label and "$pipeline" not in expr:
            problems.append(f"panel {title}: `{expr}` does not filter by the pipeline variable")
    for name in sorted(set(table) - used):
        problems.append(f"the dashboard shows no panel of {name}: add one (deploy/grafana/pulsar-kinesis.json)")
    return problems


def alert_expressions(rules):
    return [(r.get("alert") or r.get("record"), r["expr"]) for g in rules["groups"] for r in g["rules"]]


def check_alerts(rules, table):
    problems = []
    for name, expr in alert_expressions(rules):
        problems += check_expression(expr, table, f"alert {name}")[0]
    return problems


def promtool_rule_file(dashboard):
    """A rule file holding each dashboard query as a recording rule, Grafana's variables given sample values, so
    that `promtool check rules` parses every query."""
    rules = []
    for i, (title, expr) in enumerate(dashboard_expressions(dashboard)):
        if title.startswith("variable"):
            continue  # label_values() is Grafana's, not PromQL
        promql = expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$pipeline", ".*")
        rules.append({"record": f"pulsar_kinesis_dashboard:query_{i}", "expr": promql})
    return {"groups": [{"name": "pulsar-kinesis-dashboard", "rules": rules}]}


# ---- systemd ----------------------------------------------------------------------------------------------------


def unit_settings(text):
    settings = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def check_systemd(text):
    problems = []
    s = unit_settings(text)
    exec_start = shlex.split(s["ExecStart"][-1])
    drain = drain_timeout_seconds(exec_start)
    timeout = s.get("TimeoutStopSec", ["90s"])[-1]
    seconds = int(timeout.rstrip("s")) if timeout.rstrip("s").isdigit() else None
    if seconds is None or seconds < drain + 5:
        problems.append(f"TimeoutStopSec={timeout} does not cover the drain ({drain:g} s) plus 5 s")
    if s.get("KillSignal", ["SIGTERM"])[-1] != "SIGTERM":
        problems.append("KillSignal must be SIGTERM (the drain)")
    if s.get("Restart", [""])[-1] != "on-failure":
        problems.append("Restart must be on-failure")
    if "2" not in " ".join(s.get("RestartPreventExitStatus", [])).split():
        problems.append("RestartPreventExitStatus must hold 2 (a bad configuration: restarting does not help)")
    if "--config" not in exec_start or not exec_start[exec_start.index("--config") + 1].endswith("%i.yaml"):
        problems.append("ExecStart must take --config <dir>/%i.yaml (one instance per file)")
    return problems


# ---- command line -----------------------------------------------------------------------------------------------


def report(problems, what):
    for p in problems:
        print(f"{what}: {p}")
    return 1 if problems else 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="check", required=True)
    sub.add_parser("dockerfile")
    sub.add_parser("kubernetes")
    metrics = sub.add_parser("metrics")
    metrics.add_argument("--metrics-doc", default=str(ROOT / "docs/metrics.md"))
    metrics.add_argument("--promtool-rules", help="write the dashboard's queries here as a rule file")
    sub.add_parser("systemd")
    args = parser.parse_args(argv)
    dockerfile = (ROOT / "deploy/docker/Dockerfile").read_text()
    if args.check == "dockerfile":
        return report(check_dockerfile(dockerfile, (ROOT / "scripts/setup").read_text()), "deploy/docker/Dockerfile")
    if args.check == "kubernetes":
        return report(check_kubernetes(ROOT / "deploy/kubernetes", dockerfile), "deploy/kubernetes")
    if args.check == "systemd":
        text = (ROOT / "deploy/systemd/pulsar-kinesis@.service").read_text()
        return report(check_systemd(text), "deploy/systemd/pulsar-kinesis@.service")
    import yaml

    table = metric_table(Path(args.metrics_doc).read_text())
    dashboard = json.loads((ROOT / "deploy/grafana/pulsar-kinesis.json").read_text())
    rules = yaml.safe_load((ROOT / "deploy/prometheus/pulsar-kinesis-alerts.yaml").read_text())
    if args.promtool_rules:
        Path(args.promtool_rules).write_text(yaml.safe_dump(promtool_rule_file(dashboard), sort_keys=False))
    return report(check_dashboard(dashboard, table), "deploy/grafana/pulsar-kinesis.json") | report(
        check_alerts(rules, table), "deploy/prometheus/pulsar-kinesis-alerts.yaml")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
