"""Speed of the plaspy Python package (figures go in BENCHMARKS.md; nothing is asserted).

1. ``client.fleet.snapshot()`` of a 1,000-device fleet, the sandbox answering every
   request after 20 ms, against the sequential loop users write today (list the devices,
   then ask each one's last location, one after the other) over one kept-alive HTTP
   connection (``requests.Session`` when requests is installed, else ``http.client``).
2. The GIL is released while a call waits: 4 threads each making one call, against one
   call alone.

Run from the repository root, in a virtualenv with the package built in release mode:

    python -m venv /tmp/plaspy-bench && /tmp/plaspy-bench/bin/pip install ./plaspy-python
    /tmp/plaspy-bench/bin/python plaspy-python/bench/bench_fleet.py
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import statistics
import threading
import time
from datetime import timedelta
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

import plaspy


def timed(action: Callable[[], Any]) -> Tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def median_of(samples: int, action: Callable[[], Any]) -> Tuple[float, float, float, Any]:
    times, result = [], None
    for _ in range(samples):
        elapsed, result = timed(action)
        times.append(elapsed)
    return statistics.median(times), min(times), max(times), result


class SequentialLoop:
    """The loop users write: one request after the other, no retries, no concurrency."""

    def __init__(self, url: str, username: str, api_key: str) -> None:
        self.url = url
        try:
            import requests  # type: ignore[import-untyped]

            self.session: Optional[Any] = requests.Session()
            self.kind = "requests.Session"
        except ImportError:
            self.session = None
            parts = urlsplit(url)
            self.conn = http.client.HTTPConnection(parts.hostname or "", parts.port)
            self.kind = "http.client keep-alive"
        token = self.request("POST", "/api/Auth/Token", {"userName": username, "apiKey": api_key})
        self.headers = {"Authorization": f"Bearer {token['token']}"}

    def request(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        headers = dict(getattr(self, "headers", {}))
        if self.session is not None:
            reply = self.session.request(method, self.url + path, json=body, headers=headers)
            return reply.json()
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        return json.loads(self.conn.getresponse().read())

    def snapshot(self) -> List[Tuple[str, Any]]:
        devices = self.request("GET", "/api/devices")["devices"]
        return [
            (d["id"], self.request("GET", f"/api/devices/{d['id']}/lastLocation").get("lastLocation"))
            for d in devices
        ]


def fleet(sandbox: plaspy.Sandbox, samples: int) -> None:
    client = sandbox.client()
    client.devices.list()  # authenticate first, as the loop does
    med, low, high, entries = median_of(samples, client.fleet.snapshot)
    located = sum(1 for e in entries if e.location is not None)
    print(f"Client.fleet.snapshot():       median {med:6.2f} s  (min {low:.2f}, max {high:.2f}; "
          f"{len(entries)} devices, {located} positions)")

    aclient = sandbox.async_client()

    async def async_snapshot() -> List[plaspy.FleetEntry]:
        return await aclient.fleet.snapshot()

    asyncio.run(aclient.devices.list())
    amed, alow, ahigh, aentries = median_of(samples, lambda: asyncio.run(async_snapshot()))
    print(f"AsyncClient.fleet.snapshot():  median {amed:6.2f} s  (min {alow:.2f}, max {ahigh:.2f}; "
          f"{len(aentries)} devices)")

    loop = SequentialLoop(sandbox.url, sandbox.username, sandbox.api_key)
    elapsed, rows = timed(loop.snapshot)
    print(f"sequential loop ({loop.kind}): {elapsed:6.2f} s  (1 sample; {len(rows)} devices, "
          f"{sum(1 for _, fix in rows if fix)} positions)")
    print(f"speed-up: sync {elapsed / med:.1f}x, async {elapsed / amed:.1f}x")


def threads(sandbox: plaspy.Sandbox, samples: int) -> None:
    client = sandbox.client()
    client.devices.list()

    def one_call() -> None:
        client.devices.last_location("dev-01")

    def four_threads() -> None:
        workers = [threading.Thread(target=one_call) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    for _ in range(3):  # warm the connection pool
        four_threads()
    one, _, _, _ = median_of(samples, one_call)
    four, _, _, _ = median_of(samples, four_threads)
    print(f"one call:                      median {one * 1000:6.1f} ms")
    print(f"4 threads, one call each:      median {four * 1000:6.1f} ms  ({four / one:.2f}x one call)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    latency = timedelta(milliseconds=args.latency_ms)
    with plaspy.Sandbox(devices=args.devices, latency=latency) as sandbox:
        print(f"sandbox: {args.devices} devices, {args.latency_ms} ms per request")
        fleet(sandbox, args.samples)
        threads(sandbox, max(args.samples * 4, 20))


if __name__ == "__main__":
    main()
