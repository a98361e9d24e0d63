"""Limits on signing in that are checked before any password is hashed, and a bound on how much
argon2 work the process does at once.

Three things keep sign-in from being a lever against users or the server:

- Per client (a hash of its address, never the address itself): a client with
  CLIENT_FAILURES failed sign-ins within WINDOW is refused for every name, and one with
  PAIR_FAILURES failures on one name is refused for that name — both before any lookup or hash.
- The per-name lock in `login_failures` (services/users.py) applies only to clients that have
  failed on that name themselves; a correct password from a clean client always gets in, so an
  anonymous client cannot keep `admin` locked.
- VERIFY_SLOTS verifications run at once in this process; the others wait at most
  QUEUE_SECONDS and are then told 登录的人较多. An unknown name holds a slot for as long as a real
  verification takes, without running argon2 (64 MiB, ~150 ms).

Several processes (nginx in front of N app processes): each process keeps its own counts and its
own slots. The shipped nginx site (deploy/) sends /signin by client address, so one address always
meets the same process and its counts hold as on one server; only the slots multiply, N ×
VERIFY_SLOTS verifications at once (size N × VERIFY_SLOTS to the cores). The per-name lock lives in
the database and holds across processes. Behind a proxy that spread /signin over the processes, a
client would get up to N× the failures per window.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import defaultdict, deque

from ..model.errors import DomainError

WINDOW_SECONDS = 15 * 60
PAIR_FAILURES = 5          # one client, one name
CLIENT_FAILURES = 20       # one client, any names (spraying many names)
VERIFY_SLOTS = 2
QUEUE_SECONDS = 3.0
BUSY = "登录的人较多,请稍后再试"


def client_key(address: str) -> str:
    """What the limits count a client by: a hash of its address (the address is not kept)."""
    return "a:" + hashlib.sha256(f"sign-in:{address}".encode()).hexdigest()[:32]


class FailureWindows:
    """Sliding windows of failure times per client and per (client, name); thread-safe.
    Memory is bounded by pruning: a key with no failure in the window is dropped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_client: dict[str, deque] = defaultdict(deque)
        self._by_pair: dict[tuple[str, str], deque] = defaultdict(deque)

    def _recent(self, table: dict, key, at: float) -> int:
        times = table.get(key)
        if times is None:
            return 0
        while times and times[0] <= at - WINDOW_SECONDS:
            times.popleft()
        if not times:
            del table[key]
            return 0
        return len(times)

    def blocked(self, client: str, name: str, at: float) -> bool:
        with self._lock:
            return (self._recent(self._by_client, client, at) >= CLIENT_FAILURES
                    or self._recent(self._by_pair, (client, name), at) >= PAIR_FAILURES)

    def has_failed_on(self, client: str, name: str, at: float) -> bool:
        with self._lock:
            return self._recent(self._by_pair, (client, name), at) > 0

    def failures_on(self, client: str, name: str, at: float) -> int:
        with self._lock:
            return self._recent(self._by_pair, (client, name), at)

    def note_failure(self, client: str, name: str, at: float) -> None:
        with self._lock:
            self._by_client[client].append(at)
            self._by_pair[(client, name)].append(at)
            for table in (self._by_pair, self._by_client):
                if len(table) > 100_000:             # a flood of addresses or names: drop what aged out
                    for key in list(table):
                        self._recent(table, key, at)

    def forget(self, client: str | None = None, name: str | None = None) -> None:
        """After a success (client and name) or an admin's unlock (name only)."""
        with self._lock:
            for key in [k for k in self._by_pair if (client is None or k[0] == client) and k[1] == name]:
                del self._by_pair[key]

    def clear(self) -> None:
        with self._lock:
            self._by_client.clear()
            self._by_pair.clear()


FAILURES = FailureWindows()


class VerifySlots:
    """At most VERIFY_SLOTS password verifications at once; the rest queue for QUEUE_SECONDS.
    Remembers how long a verification takes, so an unknown name can take as long without hashing."""

    def __init__(self, slots: int = VERIFY_SLOTS) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self.typical_seconds = 0.1

    def run(self, verify):
        if not self._slots.acquire(timeout=QUEUE_SECONDS):
            raise DomainError(BUSY)
        try:
            started = time.perf_counter()
            result = verify()
            self.typical_seconds = 0.8 * self.typical_seconds + 0.2 * (time.perf_counter() - started)
            return result
        finally:
            self._slots.release()

    def idle_like_a_verification(self) -> bool:
        """For a name that does not exist: hold a slot as long as a real check would, no argon2."""
        if not self._slots.acquire(timeout=QUEUE_SECONDS):
            raise DomainError(BUSY)
        try:
            time.sleep(self.typical_seconds)
            return False
        finally:
            self._slots.release()


SLOTS = VerifySlots()
