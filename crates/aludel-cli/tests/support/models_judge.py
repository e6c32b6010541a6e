"""SQLAlchemy and Alembic as the judges of the model-source tests.

    python models_judge.py create_all MODULE:ATTR URL
        metadata.create_all() on the (empty) database URL: what a fresh load of the
        models gives, to compare aludel's upgraded database with.
    python models_judge.py compare MODULE:ATTR URL
        Alembic's own autogenerate comparison (compare_metadata with Alembic's
        defaults: types compared, server defaults not, as Alembic itself reports
        false differences for some MySQL defaults right after create_all()) of the
        database with the models; prints one line per difference, nothing when
        there is none. aludel's own description compares the defaults.

The module is imported from the working directory. ATTR is a declarative base, a
SQLModel class or a MetaData, as in aludel's `sqlalchemy:` sources.
"""

import importlib
import sys

import sqlalchemy


def metadata_of(target):
    module_name, attr = target.split(":")
    sys.path.insert(0, ".")
    value = getattr(importlib.import_module(module_name), attr)
    if isinstance(value, sqlalchemy.MetaData):
        return value
    return value.metadata


def main():
    command, target, url = sys.argv[1:4]
    metadata = metadata_of(target)
    engine = sqlalchemy.create_engine(url)
    try:
        if command == "create_all":
            metadata.create_all(engine)
        elif command == "compare":
            from alembic.autogenerate import compare_metadata
            from alembic.migration import MigrationContext

            with engine.connect() as conn:
                context = MigrationContext.configure(
                    conn,
                    opts={
                        "compare_type": True,
                        # aludel's own tables are not the models' business.
                        "include_name": lambda name, kind, parent: not (
                            kind == "table"
                            and name in ("aludel_version", "aludel_history")
                        ),
                    },
                )
                for diff in compare_metadata(context, metadata):
                    print(repr(diff))
        else:
            raise SystemExit(f"unknown command {command}")
    finally:
        engine.dispose()


main()
