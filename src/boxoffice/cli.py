"""The `boxoffice` command: serve, demo, catalog load, expire, wsdl, seatmap."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

SNAPSHOT_HOST = "http://localhost:8080"


def _settings():  # type: ignore[no-untyped-def]
    from boxoffice.logging_setup import configure_logging
    from boxoffice.settings import Settings

    settings = Settings.from_environment()
    configure_logging(settings.log_level)
    return settings


def _engine(settings):  # type: ignore[no-untyped-def]
    from boxoffice.persistence.engine import create_engine_for, create_schema

    engine = create_engine_for(settings.database_url)
    create_schema(engine)
    return engine


def command_serve(arguments: argparse.Namespace) -> int:
    from boxoffice.server import serve

    serve(_settings(), host=arguments.host, port=arguments.port, threads=arguments.threads,
          workers=arguments.workers)
    return 0


def _load(path_or_document, settings) -> int:  # type: ignore[no-untyped-def]
    from boxoffice.catalog_import import CatalogError
    from boxoffice.persistence.catalog_loader import load_catalog

    try:
        report = load_catalog(_engine(settings), path_or_document)
    except CatalogError as error:
        print(f"catalog refused, nothing changed:\n{error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"cannot read the catalog: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


def command_catalog_load(arguments: argparse.Namespace) -> int:
    return _load(Path(arguments.file), _settings())


def command_demo(arguments: argparse.Namespace) -> int:
    settings = _settings()
    demo = resources.files("boxoffice.demo").joinpath("demo-catalog.json")
    with resources.as_file(demo) as path:
        status = _load(path, settings)
    if status == 0:
        print(f"Demo catalog loaded into {settings.database_url}.")
        print("Operators: RESELLER_A_WS / demo-a-secret and RESELLER_B_WS / demo-b-secret")
        print("Next: boxoffice serve   (then open http://127.0.0.1:8080"
              "/tnseb/external-remoting/com.secutix.service.realtime.externalorder.v1_33"
              ".ExternalOrderFacade.webservice?wsdl)")
    return status


def command_expire(arguments: argparse.Namespace) -> int:
    from boxoffice.bootstrap import unit_of_work_factory, utc_now
    from boxoffice.sweeper import sweep

    uow_factory = unit_of_work_factory(_engine(_settings()))
    total = sweep(uow_factory, utc_now(), max_batches=sys.maxsize)
    print(f"{total} order(s) expired")
    return 0


def command_wsdl(arguments: argparse.Namespace) -> int:
    from boxoffice.soap.application import SERVICES, build_application, render_wsdl

    output = Path(arguments.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    for definition in SERVICES:
        document = render_wsdl(build_application(definition, None),
                               SNAPSHOT_HOST + definition.path)
        (output / f"{definition.name}.wsdl").write_bytes(document)
        print(output / f"{definition.name}.wsdl")
    return 0


def command_seatmap(arguments: argparse.Namespace) -> int:
    from boxoffice.console.seatmap import draw_performance
    from boxoffice.persistence.console_reads import SqlConsoleReads

    reads = SqlConsoleReads(_engine(_settings()))
    drawn = draw_performance(reads, arguments.performance_id, arguments.channel)
    if drawn is None:
        whose = f" sold by channel {arguments.channel}" if arguments.channel else ""
        print(f"no performance {arguments.performance_id}{whose}", file=sys.stderr)
        return 2
    svg, counted = drawn
    Path(arguments.output).write_text(svg, encoding="utf-8")
    print(f"{arguments.output}: " + ", ".join(f"{n:,} {state}" for state, n in counted.items()))
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="boxoffice",
        description="Ticket sales over the S-360 reseller Orders API. The database is "
                    "BOXOFFICE_DATABASE_URL (default: sqlite:///boxoffice.db here).",
    )
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser(
        "serve", help="serve the SOAP services over HTTP",
        description="Serve every SOAP service (and its JSON twin) over HTTP. Each worker "
                    "also expires orders past their deadline every BOXOFFICE_SWEEP_SECONDS "
                    "(default 1; 0 turns the sweep off).")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (8080)")
    serve.add_argument("--threads", type=int, default=8,
                       help="request threads per worker process (8)")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes sharing the port (1)")
    serve.set_defaults(handler=command_serve)

    demo = commands.add_parser("demo", help="load the demo catalog with two test operators")
    demo.set_defaults(handler=command_demo)

    catalog = commands.add_parser("catalog", help="catalog commands")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", required=True)
    load = catalog_commands.add_parser("load", help="load or update the catalog from a file")
    load.add_argument("file", help="catalog JSON file (see docs/catalog-format.md)")
    load.set_defaults(handler=command_catalog_load)

    expire = commands.add_parser("expire", help="expire every order past its deadline, once")
    expire.set_defaults(handler=command_expire)

    wsdl = commands.add_parser("wsdl", help="write the WSDL snapshot of every service")
    wsdl.add_argument("--output-dir", default="wsdl", help="folder to write into (wsdl)")
    wsdl.set_defaults(handler=command_wsdl)

    seatmap = commands.add_parser(
        "seatmap", help="draw a performance's seats as SVG (free, held, sold)",
        description="Write the console's seat map of one performance as an SVG file.")
    seatmap.add_argument("performance_id", type=int, metavar="PERFORMANCE_ID")
    seatmap.add_argument("--output", default="seatmap.svg", help="file to write (seatmap.svg)")
    seatmap.add_argument("--channel", type=int, default=None,
                         help="draw as this sales channel sees it: seats outside its "
                              "contingents greyed (default: every channel)")
    seatmap.set_defaults(handler=command_seatmap)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    return int(arguments.handler(arguments))


if __name__ == "__main__":
    sys.exit(main())
