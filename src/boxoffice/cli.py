"""The `boxoffice` command: serve, demo, catalog load, expire, wsdl, seatmap, db, purge."""

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
    from boxoffice.serving.server import serve

    settings = _settings()
    # Create or check the schema before any worker starts: a database that is behind is
    # refused here, once, instead of by every worker.
    _engine(settings).dispose()
    try:
        serve(
            settings,
            host=arguments.host,
            port=arguments.port,
            threads=arguments.threads,
            workers=arguments.workers,
        )
    except ValueError as error:  # a setting out of range, named in the message
        print(f"boxoffice serve: {error}", file=sys.stderr)
        return 2
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
        print(
            "Next: boxoffice serve   (then open http://127.0.0.1:8080"
            "/tnseb/external-remoting/com.secutix.service.realtime.externalorder.v1_33"
            ".ExternalOrderFacade.webservice?wsdl)"
        )
    return status


def command_expire(arguments: argparse.Namespace) -> int:
    from boxoffice.bootstrap import unit_of_work_factory, utc_now
    from boxoffice.sweeper import sweep

    uow_factory = unit_of_work_factory(_engine(_settings()))
    total = sweep(uow_factory, utc_now(), max_batches=sys.maxsize)
    print(f"{total} order(s) expired")
    return 0


def command_purge(arguments: argparse.Namespace) -> int:
    from datetime import timedelta

    from boxoffice.bootstrap import utc_now
    from boxoffice.persistence.retention import purge

    engine = _engine(_settings())
    try:
        report = purge(engine, utc_now(), timedelta(days=arguments.older_than))
    finally:
        engine.dispose()
    print(f"Purged: {report.summary()}.")
    return 0


def _days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not days >= 0 or days == float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}")
    return days


def command_db_upgrade(arguments: argparse.Namespace) -> int:
    from boxoffice.persistence.engine import create_engine_for
    from boxoffice.persistence.schema import upgrade_database

    engine = create_engine_for(_settings().database_url)
    try:
        before, after = upgrade_database(engine)
    finally:
        engine.dispose()
    if before.revision == after.revision:
        print(f"Database already current (revision {after.revision}).")
    else:
        print(
            f"Database upgraded from revision {before.revision or 'none'} "
            f"({before.state.value}) to {after.revision}."
        )
    return 0


def command_db_current(arguments: argparse.Namespace) -> int:
    from boxoffice.persistence.engine import create_engine_for
    from boxoffice.persistence.schema import SchemaState, schema_status

    engine = create_engine_for(_settings().database_url)
    try:
        with engine.connect() as connection:
            status = schema_status(connection)
    finally:
        engine.dispose()
    print(f"Database at {status.describe()}.")
    return 0 if status.state in (SchemaState.CURRENT, SchemaState.EMPTY) else 1


def command_wsdl(arguments: argparse.Namespace) -> int:
    from boxoffice.soap.application import SERVICES, build_application, render_wsdl

    output = Path(arguments.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    for definition in SERVICES:
        document = render_wsdl(build_application(definition, None), SNAPSHOT_HOST + definition.path)
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
        "serve",
        help="serve the SOAP services over HTTP",
        description="Serve every SOAP service (and its JSON twin) over HTTP. Each worker "
        "also expires orders past their deadline every BOXOFFICE_SWEEP_SECONDS "
        "(default 1; 0 turns the sweep off).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (8080)")
    serve.add_argument(
        "--threads",
        type=int,
        # 4: on two cores, alternating runs gave 4 threads about a third more reads and a
        # tenth more sales per second than 8, with a lower p99 (docs/performance.md).
        default=4,
        help="threads running calls in each worker process (4); connections "
        "are held by each worker's event loop, not by threads",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes sharing the port (1); one that dies or hangs is replaced",
    )
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

    purge = commands.add_parser(
        "purge",
        help="delete abandoned and expired carts and stale failed-login rows",
        description="Delete orders abandoned or expired more than DAYS days ago (with their "
        "lines, places, state history and logged calls), and failed-login rows "
        "idle as long. Closed orders and tickets are never deleted. The server "
        "does this daily when BOXOFFICE_PURGE_AFTER_DAYS is set.",
    )
    purge.add_argument(
        "--older-than",
        type=_days,
        required=True,
        metavar="DAYS",
        help="retention period in days (0 or more, fractions allowed)",
    )
    purge.set_defaults(handler=command_purge)

    database = commands.add_parser(
        "db",
        help="database schema commands (migrations)",
        description="The database schema, versioned by Alembic migrations (docs/operations.md).",
    )
    database_commands = database.add_subparsers(dest="db_command", required=True)
    upgrade = database_commands.add_parser(
        "upgrade", help="bring the database to the current schema (back it up first)"
    )
    upgrade.set_defaults(handler=command_db_upgrade)
    current = database_commands.add_parser(
        "current", help="print the database's schema revision (exit 1 when not current)"
    )
    current.set_defaults(handler=command_db_current)

    wsdl = commands.add_parser("wsdl", help="write the WSDL snapshot of every service")
    wsdl.add_argument("--output-dir", default="wsdl", help="folder to write into (wsdl)")
    wsdl.set_defaults(handler=command_wsdl)

    seatmap = commands.add_parser(
        "seatmap",
        help="draw a performance's seats as SVG (free, held, sold)",
        description="Write the console's seat map of one performance as an SVG file.",
    )
    seatmap.add_argument("performance_id", type=int, metavar="PERFORMANCE_ID")
    seatmap.add_argument("--output", default="seatmap.svg", help="file to write (seatmap.svg)")
    seatmap.add_argument(
        "--channel",
        type=int,
        default=None,
        help="draw as this sales channel sees it: seats outside its "
        "contingents greyed (default: every channel)",
    )
    seatmap.set_defaults(handler=command_seatmap)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    from boxoffice.persistence.schema import SchemaNotCurrent

    arguments = parser().parse_args(argv)
    try:
        return int(arguments.handler(arguments))
    except SchemaNotCurrent as refusal:
        print(f"boxoffice: {refusal}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
