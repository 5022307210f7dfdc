import sys

from overblik.cli import main

sys.exit(main())
