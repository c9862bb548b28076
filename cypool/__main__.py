"""``cypool`` (or ``python -m cypool``): the configuration and a short benchmark.

cypool                                  # show_config() + common calls vs NumPy (~20 s)
cypool bench                            # every workload, small shapes, with targets
cypool bench --full --plot out.png      # the full suite (and a chart)
cypool bench --only W1 W4 --threads 1 2
cypool bench --list                     # the workloads
"""

import argparse
import sys


def build_parser():
    from cypool.benchmark import suite

    parser = argparse.ArgumentParser(
        prog="cypool",
        description=__doc__.splitlines()[0],
        epilog="Without a command: show_config() and a short table of common pooling "
        "calls, timed with cypool, NumPy and any of PyTorch, OpenCV and SciPy installed.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["bench"],
        help="run the benchmark suite (small shapes unless --full)",
    )
    parser.add_argument(
        "--full", action="store_true", help="with bench: full-size shapes instead of small ones"
    )
    suite.add_arguments(parser)
    return parser


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)  # a bad option: argparse's message, exit status 2
    from cypool import show_config
    from cypool.benchmark import suite

    if args.list:
        suite.list_workloads()
        return 0
    suite.check_arguments(args, parser)
    if args.command is None and len(argv) == 0:
        from cypool.benchmark import tour

        show_config()
        print()
        tour.main()
        return 0
    if not args.full:
        args.quick = True
    show_config()
    print()
    suite.execute(args, parser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
