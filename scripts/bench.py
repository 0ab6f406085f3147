"""`make bench`: run the benchmarks (tests marked `bench`) and print their figures.

They need PostgreSQL (DATABASE_URL=postgres://…); without it they skip and say so.
Record the printed figures in docs/BENCHMARKS.md with the command used.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    command = [sys.executable, "-m", "pytest", "-m", "bench", "-s", "-q", "-p", "no:cacheprovider", "tests/benchmarks"]
    sys.exit(subprocess.call(command, cwd=ROOT))  # noqa: S603 (fixed argv)
