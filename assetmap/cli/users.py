"""``assetmap users add|list|revoke|link|steward``: officers, admins and stewards who may edit
the register (stewards only what they steward)."""

from __future__ import annotations

import argparse

from assetmap.cli._common import Commands, with_store
from assetmap.config import Settings
from assetmap.errors import ValidationFailed
from assetmap.store import Store

__all__ = ["add_users_command"]


def _ids(text: str | None) -> list[str] | None:
    """``A1,A2`` -> ["A1", "A2"]; None when the option was not given ("" clears)."""
    return None if text is None else [part.strip() for part in text.split(",") if part.strip()]


def _add(store: Store, args: argparse.Namespace, settings: Settings) -> None:
    from assetmap.layers import load_catalog
    from assetmap.register.stewardship import add_steward
    from assetmap.register.users import add_user

    assets, organisations = _ids(args.assets), _ids(args.organisations)
    if args.role == "steward":
        token = add_steward(store, load_catalog(settings.layers_dir), args.name,
                            email=args.email, assets=assets or [],
                            organisations=organisations or [], actor="assetmap users add")
    elif assets is not None or organisations is not None:
        raise ValidationFailed(
            f"--assets and --organisations are for stewards; {args.role}s edit everything. "
            "Leave them out, or add the user with --role steward"
        )
    else:
        token = add_user(store, args.name, args.role, email=args.email)
    print(f"added {args.name} ({args.role}). Their token, shown only this once:")
    print(token)


def _steward(store: Store, args: argparse.Namespace, settings: Settings) -> None:
    from assetmap.layers import load_catalog
    from assetmap.register.stewardship import set_stewardship, stewarded_by
    from assetmap.register.users import set_user_email

    assets, organisations = _ids(args.assets), _ids(args.organisations)
    if assets is None and organisations is None and args.email is None:
        raise ValidationFailed(
            "Nothing to change: give --assets, --organisations and/or --email "
            "(an empty value, e.g. --assets '', takes them all away)"
        )
    if assets is not None or organisations is not None:
        set_stewardship(store, load_catalog(settings.layers_dir), args.name, assets=assets,
                        organisations=organisations, actor="assetmap users steward")
    if args.email is not None:
        set_user_email(store, args.name, args.email)
    held = stewarded_by(store, args.name)
    print(f"{args.name} stewards assets: {', '.join(sorted(held.assets)) or 'none'}; "
          f"organisations: {', '.join(sorted(held.organisations)) or 'none'}")


def _list(store: Store) -> None:
    from assetmap.register.stewardship import stewarded_by
    from assetmap.register.users import list_users

    rows = list_users(store)
    if not rows:
        print("no users yet: add one with `assetmap users add NAME --role officer`")
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        line = (f"{row['name']}\t{row['role']}\t{row.get('email') or '-'}\t"
                f"added {row['created_at']}\t{state}\t{row['sessions']} signed-in session(s)")
        if row["role"] == "steward" and not row["revoked_at"]:
            held = stewarded_by(store, str(row["name"]))
            line += (f"\tassets {','.join(sorted(held.assets)) or '-'}"
                     f"\torganisations {','.join(sorted(held.organisations)) or '-'}")
        print(line)


def _users(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.register.identities import link_identity
    from assetmap.register.users import revoke_user
    from assetmap.store import open_store

    store = open_store(with_store(settings, args.store).store)
    try:
        if args.users_command == "add":
            _add(store, args, settings)
        elif args.users_command == "steward":
            _steward(store, args, settings)
        elif args.users_command == "revoke":
            revoke_user(store, args.name)
            print(f"revoked {args.name}: their token no longer works and they are signed out")
        elif args.users_command == "link":
            link_identity(store, args.name, email=args.email, subject=args.subject)
            account = args.email or f"subject {args.subject}"
            print(f"linked {account} to {args.name}: signing in with the council's identity "
                  f"provider now gives {args.name}'s role")
        else:
            _list(store)
    finally:
        store.close()
    return 0


def _stewarding_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--assets", metavar="ID,…",
                         help="ids of the assets they steward, comma-separated (stewards)")
    command.add_argument("--organisations", metavar="ID,…",
                         help="ids of the organisations they steward, comma-separated")
    command.add_argument("--email", help="their email address (stewards' yearly check)")


def add_users_command(commands: Commands) -> None:
    users = commands.add_parser(
        "users", help="officers, admins and stewards who may edit the register")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add a user and print their token (once)")
    add.add_argument("name", help="who they are, e.g. 'j.smith'")
    add.add_argument("--role", choices=("steward", "officer", "admin"), default="officer")
    _stewarding_options(add)
    user_commands.add_parser("list", help="list users and whether they are active")
    revoke = user_commands.add_parser("revoke", help="revoke a user's token, end their sessions")
    revoke.add_argument("name")
    link = user_commands.add_parser(
        "link", help="let an account at the council's identity provider sign in as a user")
    link.add_argument("name", help="the user (added with `assetmap users add`)")
    account = link.add_mutually_exclusive_group(required=True)
    account.add_argument("--email", help="their work email address, as the provider sends it")
    account.add_argument("--subject", help="their subject ('sub') at the provider")
    steward = user_commands.add_parser(
        "steward", help="change what a steward stewards, or their email address")
    steward.add_argument("name", help="the steward (added with `users add --role steward`)")
    _stewarding_options(steward)
    for command in (add, steward, user_commands.choices["list"], revoke, link):
        command.add_argument("--store", default=None, help="store (default: ASSETMAP_STORE)")
        command.set_defaults(handler=_users)
