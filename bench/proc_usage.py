"""What the end-to-end benchmarks (bench/sink, bench/source) read about the processes they measure: CPU seconds and
peak RSS from /proc, of one process or of a process and its live descendants (the Java connector's JVM and its KPL
child), and the server addresses the scripts/bench-* scripts export."""
import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set (the scripts/bench-* script starts the servers)")
    return value


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def children(pid):
    """The live child processes of pid (this kernel has no /proc/<pid>/task/*/children: scan the ppids)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_stat_fields(entry)[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError):
                pass  # gone meanwhile
    return found


def process_tree(pid):
    tree = [pid]
    for child in children(pid):
        tree += process_tree(child)
    return tree


def cpu_seconds(pid):
    """utime + stime of pid and of its children already reaped (cutime + cstime)."""
    fields = _stat_fields(pid)
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def process_name(pid):
    with open(f"/proc/{pid}/comm") as f:
        return f.read().strip()


def tree_usage(pid):
    """CPU seconds and peak RSS (VmHWM) of pid and every live descendant, summed, and per process by name. The sum of
    the peaks is an upper bound of the tree's peak (the processes need not peak at the same time)."""
    parts = []
    for p in process_tree(pid):
        try:
            parts.append({"pid": p, "name": process_name(p), "cpu": cpu_seconds(p), "rss_mib": peak_rss_mib(p)})
        except OSError:
            pass  # exited meanwhile (its CPU moves to its parent's cutime once reaped)
    return {"cpu": sum(p["cpu"] for p in parts), "rss_mib": sum(p["rss_mib"] for p in parts), "processes": parts}
