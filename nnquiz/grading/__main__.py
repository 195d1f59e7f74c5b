"""The grading child's entry point: `python -I -m nnquiz.grading <pytest args>`."""

import sys

from nnquiz.grading.child import main

sys.exit(main())
