from nnquiz.ui.cli import main

main()
