"""The application's tables, as SQLAlchemy 2.x declarative models.

aludel reads them through `schema = "sqlalchemy:app.models:Base"` in aludel.toml:
edit this file, then `aludel revision --autogenerate -m "..."`.
"""

import enum

from sqlalchemy import Enum, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Role(enum.Enum):
    member = "member"
    admin = "admin"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role"), server_default=Role.member.value
    )
