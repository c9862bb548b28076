"""``cypool`` (or ``python -m cypool``): the configuration and a quick benchmark.

    cypool                                  # show_config() + quick benchmark table
    cypool bench --full --plot out.png      # the full suite (and a chart)
    cypool bench --only W1 W4 --threads 1 2
"""
import argparse
import sys

QUICK = ["--quick", "--threads", "1", "--only", "W1", "W3", "W4", "W6", "tiny", "--repeat", "3"]


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="cypool", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["bench"], help="run the benchmark suite")
    parser.add_argument("--full", action="store_true", help="every workload, full-size shapes")
    args, rest = parser.parse_known_args(argv)
    from cypool import show_config
    from cypool.benchmark import suite

    show_config()
    print()
    if args.command == "bench" and args.full:
        suite.main(rest)
    elif args.command == "bench":
        suite.main(["--quick"] + rest)
    else:
        suite.main(QUICK + rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
