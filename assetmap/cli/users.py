"""``assetmap users add|list|revoke|link``: officers and admins who may edit the register."""

from __future__ import annotations

import argparse

from assetmap.cli._common import Commands, with_store
from assetmap.config import Settings

__all__ = ["add_users_command"]


def _users(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.register.identities import link_identity
    from assetmap.register.users import add_user, list_users, revoke_user
    from assetmap.store import open_store

    store = open_store(with_store(settings, args.store).store)
    try:
        if args.users_command == "add":
            token = add_user(store, args.name, args.role)
            print(f"added {args.name} ({args.role}). Their token, shown only this once:")
            print(token)
        elif args.users_command == "revoke":
            revoke_user(store, args.name)
            print(f"revoked {args.name}: their token no longer works and they are signed out")
        elif args.users_command == "link":
            link_identity(store, args.name, email=args.email, subject=args.subject)
            account = args.email or f"subject {args.subject}"
            print(f"linked {account} to {args.name}: signing in with the council's identity "
                  f"provider now gives {args.name}'s role")
        else:
            rows = list_users(store)
            if not rows:
                print("no users yet: add one with `assetmap users add NAME --role officer`")
            for row in rows:
                state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
                print(f"{row['name']}\t{row['role']}\tadded {row['created_at']}\t{state}"
                      f"\t{row['sessions']} signed-in session(s)")
    finally:
        store.close()
    return 0


def add_users_command(commands: Commands) -> None:
    users = commands.add_parser("users", help="officers and admins who may edit the register")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add a user and print their token (once)")
    add.add_argument("name", help="who they are, e.g. 'j.smith'")
    add.add_argument("--role", choices=("officer", "admin"), default="officer")
    user_commands.add_parser("list", help="list users and whether they are active")
    revoke = user_commands.add_parser("revoke", help="revoke a user's token, end their sessions")
    revoke.add_argument("name")
    link = user_commands.add_parser(
        "link", help="let an account at the council's identity provider sign in as a user")
    link.add_argument("name", help="the user (added with `assetmap users add`)")
    account = link.add_mutually_exclusive_group(required=True)
    account.add_argument("--email", help="their work email address, as the provider sends it")
    account.add_argument("--subject", help="their subject ('sub') at the provider")
    for command in (add, user_commands.choices["list"], revoke, link):
        command.add_argument("--store", default=None, help="store (default: ASSETMAP_STORE)")
        command.set_defaults(handler=_users)
