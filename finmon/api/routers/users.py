"""Accounts: who may use finmon in which role, each change approved by a second person."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from finmon.api.deps import Admin, ApproveUsers, Store
from finmon.api.fields import Text
from finmon.services import users as users_service
from finmon.workflow.access import Role

router = APIRouter(tags=["users"])


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: Role
    person: Text = Field(
        min_length=1, max_length=64, description="The holder's staff number or national ID"
    )


class RoleIn(BaseModel):
    role: Role


class User(BaseModel):
    """An account, its role, how many live keys it holds, and what awaits approval on it."""

    name: str
    role: Role
    created_at: str
    created_by: str
    disabled: bool
    live_keys: int
    person: str = Field(description="The holder's staff number or national ID")
    status: str
    pending_role: Role | None
    pending_by: str | None


class UserCreated(BaseModel):
    name: str
    role: Role
    api_key: str = Field(description="Shown this once; finmon keeps only its hash")


class UserApproved(BaseModel):
    name: str
    approved: dict[str, Any] = Field(description="What was approved: account, role, keys ...")


class RoleAsked(BaseModel):
    name: str
    pending_role: Role


class KeysRevoked(BaseModel):
    name: str
    revoked: int = Field(description="How many live keys were revoked")


@router.get("/users")
def users(who: Admin, store: Store) -> list[User]:
    """Every user, their role and how many live keys they hold."""
    return [User.model_validate(row) for row in users_service.list_users(who.name, store)]


@router.post("/users", status_code=201)
def user_create(body: UserIn, who: Admin, store: Store) -> UserCreated:
    """Add a user; the answer holds their API key, which is shown this once."""
    created = users_service.create_user(
        who.name, body.name, body.role, person=body.person, db=store
    )
    return UserCreated(name=body.name, role=body.role, api_key=created.key)


@router.post("/users/{name}/approve")
def user_approve(name: str, who: ApproveUsers, store: Store) -> UserApproved:
    """Approve, as the second person, what awaits approval on an account."""
    approved = users_service.approve_user(who.name, name, store)
    return UserApproved(name=name, approved=approved)


@router.post("/users/{name}/role")
def user_role(name: str, body: RoleIn, who: Admin, store: Store) -> RoleAsked:
    """Ask for an account's role to change; it changes when a second person approves."""
    users_service.change_role(who.name, name, body.role, store)
    return RoleAsked(name=name, pending_role=body.role)


@router.post("/users/{name}/revoke-keys")
def user_revoke(name: str, who: Admin, store: Store) -> KeysRevoked:
    """Revoke every live key of a user."""
    return KeysRevoked(name=name, revoked=users_service.revoke_keys(who.name, name, store))
