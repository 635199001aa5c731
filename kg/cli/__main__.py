"""`python -m kg.cli`: the same as the `kg` command (the benchmarks start the service so)."""

import sys

from kg.cli.main import main

if __name__ == "__main__":  # not when a worker process imports it
    sys.exit(main())
