"""The engine and the per-request session the routes use."""

import os

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

# The same database aludel migrates (aludel also reads DATABASE_URL first).
engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///app.db"))


def get_session():
    with Session(engine) as session:
        yield session
