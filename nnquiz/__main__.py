from nnquiz.cli import main

main()
