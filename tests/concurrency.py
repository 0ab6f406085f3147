import threading

from django.db import connection


def run_at_once(calls):
    """Start every callable at the same moment, each in its own thread (and its own database
    connection, closed afterwards); return their results, or the exceptions they raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the outcome under test, e.g. a 409 or a refusal
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
