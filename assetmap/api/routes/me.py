"""Who the caller is: lets pages show editing tools to officers only."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from assetmap.api.auth import UserDep

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["register upkeep"])


class Me(BaseModel):
    name: str
    role: str


@router.get("/me", summary="The signed-in user and role ('public' when not signed in)")
def me(user: UserDep, response: Response) -> Me:
    response.headers["Cache-Control"] = "no-store"
    return Me(name=user.name, role=user.role)
