"""`python -m kg.cli`: the same as the `kg` command (the benchmarks start the service so)."""

import sys

from kg.cli.main import main

sys.exit(main())
