"""A FastAPI application on the models; the schema itself is aludel's job
(no `Base.metadata.create_all()` here: migrations create and change the tables).
"""

from fastapi import Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import User

app = FastAPI()


@app.get("/users")
def list_users(session: Session = Depends(get_session)):
    return [{"id": u.id, "email": u.email} for u in session.scalars(select(User))]
