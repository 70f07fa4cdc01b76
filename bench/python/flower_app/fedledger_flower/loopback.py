"""Bytes through the loopback interface of this process's network namespace (the bench runs each
system in a namespace of its own, so this counts every byte its processes exchanged)."""


def parse_loopback_bytes(text):
    """Received bytes of `lo` from /proc/net/dev text (on loopback every byte sent is received once)."""
    for line in text.splitlines():
        name, sep, counters = line.partition(":")
        if sep and name.strip() == "lo":
            return int(counters.split()[0])
    raise ValueError("no lo line in /proc/net/dev")


def loopback_bytes():
    with open("/proc/net/dev", encoding="ascii") as handle:
        return parse_loopback_bytes(handle.read())
