"""`python -m finmon`: the same as the `finmon` command."""

from finmon.cli import main

if __name__ == "__main__":
    main()
