import sys

from jaring.cli.main import main

sys.exit(main())
