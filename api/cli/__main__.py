"""`python -m qfgraph.api.cli`: the same as the `qfgraph` command."""
import sys

from qfgraph.api.cli import main

sys.exit(main())
