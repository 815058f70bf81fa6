"""Run a piece of work in several threads released at the same moment (each with its own connection)."""

import threading

from django.db import close_old_connections, connection


def run_at_once(count, work):
    """Run `work()` in `count` threads released together; returns each thread's result or exception."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def target(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work()
        except Exception as exc:  # noqa: BLE001 - the refusal is the result under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    close_old_connections()
    return results
